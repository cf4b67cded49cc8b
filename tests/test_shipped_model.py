"""The shipped classifier: its files agree with each other and it keeps the model contract."""

from __future__ import annotations

import hashlib
import json

import numpy as np

from digitocr.classifier import Classifier, shipped_model_path
from digitocr.data.mnist import load_split

CLASSES = [*(str(d) for d in range(10)), "not a digit"]  # the shipped model has the eleventh output


def test_metadata_describes_the_shipped_file(monkeypatch):
    monkeypatch.delenv("DIGITOCR_MODEL", raising=False)
    path = shipped_model_path()
    meta = json.loads(path.with_suffix(".json").read_text())
    assert meta["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta["test_accuracy"] >= 0.9965  # the floor, as measured when shipped
    assert meta["output"] == {"name": "probabilities", "kind": "probabilities", "classes": CLASSES}
    assert meta["config"]["not_a_digit"] > 0  # trained with negatives, which is what the eleventh output is for
    clf = Classifier(path)
    assert clf.classes == CLASSES and clf.has_not_a_digit and not clf.outputs_logits
    outputs = clf.session.get_outputs()
    assert [o.name for o in outputs] == ["probabilities"] and outputs[0].shape[-1] == len(CLASSES)
    card = path.with_suffix(".md").read_text()
    assert card.count(meta["sha256"]) == 1 and "[N, 11] probabilities" in card


def test_confidences_are_continuous_and_sum_to_one(monkeypatch, mnist_dir):
    """The eleven outputs sum to one: the ten digit probabilities `predict` gives, plus the not-a-digit share."""
    monkeypatch.delenv("DIGITOCR_MODEL", raising=False)
    images, labels = load_split("test", mnist_dir)
    crops = images[:300].astype(np.float32) / 255
    clf = Classifier()
    raw = clf.session.run(None, {clf.input_name: crops[:, None]})[0]
    assert raw.shape == (300, 11)
    np.testing.assert_allclose(raw.sum(axis=1, dtype=np.float64), 1.0, atol=1e-5)
    probs = clf.predict(crops)
    np.testing.assert_array_equal(probs, raw[:, :10])
    digit_sums = probs.sum(axis=1, dtype=np.float64)
    shares = np.array([clf.not_a_digit(p) for p in probs])
    np.testing.assert_allclose(shares, raw[:, 10], atol=1e-6)
    np.testing.assert_allclose(digit_sums + shares, 1.0, atol=1e-5)
    # Clean MNIST test digits: the ten leave the eleventh output a little, never much (the least here: 0.955, a 5
    # shaped like the dollar signs among the "not a digit" examples; the next 0.993).
    assert (digit_sums < 1).all() and (digit_sums > 0.95).all() and (digit_sums > 0.99).mean() > 0.99
    assert (probs.argmax(axis=1) == labels[:300]).mean() > 0.99
    # A quantized softmax would give at most 256 distinct values, top confidences capped at 0.996.
    assert len(np.unique(probs)) > 1000 and probs.max() > 0.997
