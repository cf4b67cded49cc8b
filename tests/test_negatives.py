"""The "not a digit" class: its examples, a model trained with them, and how the Classifier reports it."""

from __future__ import annotations

import json

import numpy as np

from digitocr.classifier import Classifier
from digitocr.data.mnist import load_split
from digitocr.data.negatives import (
    CLASS_NAMES,
    NOT_A_DIGIT,
    make_negatives,
    mark,
    printed_letter,
    touching_pair,
    with_neighbour,
    with_neighbours,
    written_sign,
)
from digitocr.training.card import train_command
from digitocr.training.fit import TrainConfig, train


def test_negatives_are_seeded_and_in_mnist_form(train_digits):
    digits, _ = train_digits
    a = make_negatives(digits, 60, np.random.default_rng(5))
    b = make_negatives(digits, 60, np.random.default_rng(5))
    c = make_negatives(digits, 60, np.random.default_rng(6))
    assert a.shape == (60, 28, 28) and a.dtype == np.uint8
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    for img in a:
        ys, xs = np.nonzero(img > 25)
        # MNIST's form: the ink fits the 20x20 box (one pixel of anti-aliasing either way), centred by mass
        assert ys.max() - ys.min() <= 21 and xs.max() - xs.min() <= 21
        w = img.astype(np.float64)
        cy, cx = (np.indices(w.shape) * w).sum(axis=(1, 2)) / w.sum()
        assert abs(cy - 13.5) < 1.0 and abs(cx - 13.5) < 1.0


def test_a_touching_pair_is_wider_than_either_digit_even_for_two_ones(train_digits):
    digits, labels = train_digits
    ones = digits[labels == 1][:2]
    rng = np.random.default_rng(0)
    for _ in range(20):
        pair = touching_pair(ones[0], ones[1], rng)
        height = pair.shape[0]
        widest_one = max((img.max(axis=0) > 25).sum() for img in ones)
        assert pair.shape[1] >= 0.5 * height + 1 and pair.shape[1] > widest_one


def test_a_digit_with_a_neighbours_edge_is_wider_than_the_digit_and_keeps_its_index(train_digits):
    digits, labels = train_digits
    rng = np.random.default_rng(2)
    images, which = with_neighbours(digits, 40, rng)
    assert images.shape == (40, 28, 28) and images.dtype == np.uint8 and which.shape == (40,)
    assert set(which) <= set(range(len(digits)))
    one = digits[labels == 1][0]
    wider = with_neighbour(one, digits[labels == 0][0], np.random.default_rng(0))
    # a 1 is narrow; with the edge of a 0 beside it, its ink spans more of the 20x20 box than the 1 alone
    assert (wider.max(axis=0) > 25).sum() > (one.max(axis=0) > 25).sum()


def test_letters_and_marks_have_ink():
    rng = np.random.default_rng(1)
    for _ in range(30):
        assert printed_letter(rng).max() > 0.9
        assert mark(rng).max() > 0.9


def test_signs_are_a_dollar_sign_or_a_hash_and_change_nothing_else_unless_asked_for(train_digits):
    digits, _ = train_digits
    rng = np.random.default_rng(3)
    for _ in range(30):
        ink = written_sign(rng) > 0.5
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        assert rows[-1] - rows[0] >= 20 and cols[-1] - cols[0] >= 5  # a sign of a digit's size, not a speck
    before = make_negatives(digits, 80, np.random.default_rng(4))
    np.testing.assert_array_equal(make_negatives(digits, 80, np.random.default_rng(4), signs=0.0), before)
    signed = make_negatives(digits, 80, np.random.default_rng(4), signs=0.5)
    changed = sum(not np.array_equal(a, b) for a, b in zip(signed, before, strict=True))
    assert 25 <= changed <= 80


def test_a_run_with_negatives_has_an_eleventh_output(tmp_path, mnist_dir):
    config = TrainConfig(arch="baseline", epochs=1, limit=1200, val_size=200, seed=3, batch_size=64, not_a_digit=0.3,
                         neighbours=0.2)
    from digitocr.data.sources import load_dataset

    metrics = train(config, load_dataset(data=str(mnist_dir)), tmp_path, progress=False)
    meta = json.loads((tmp_path / "model.json").read_text())
    assert meta["output"]["classes"] == CLASS_NAMES and meta["output"]["classes"][NOT_A_DIGIT] == "not a digit"
    assert metrics["classes"] == CLASS_NAMES
    assert 0.0 <= metrics["val_digits_rejected"] < 0.5 and 0.0 < metrics["val_not_a_digit_caught"] <= 1.0
    # The Classifier gives the ten digits' probabilities; what they leave is "not a digit"'s.
    clf = Classifier(tmp_path / "model.onnx")
    probs = clf.predict(make_negatives(load_split("train", mnist_dir)[0][:100], 50, np.random.default_rng(0))
                        .astype(np.float32) / 255.0)
    assert probs.shape == (50, 10)
    assert (probs.sum(axis=1) < 1.0 - 1e-4).all()
    raw = clf.session.run(None, {clf.input_name: np.zeros((1, 1, 28, 28), np.float32)})[0]
    assert raw.shape == (1, 11)
    # the command rebuilt for the model card asks for the same share of negatives
    command = train_command(json.loads((tmp_path / "config.json").read_text()), tmp_path)
    assert "--not-a-digit 0.3 --neighbours 0.2" in command
