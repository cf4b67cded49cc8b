"""Digits redrawn as a pen writes them (data/pen.py): the page benchmark's drawing, and training's."""

from __future__ import annotations

import numpy as np

from digitocr.data.pen import european_habit, glyph, pen_width, pieces, redrawn, restroke
from digitocr.training.card import train_command
from digitocr.training.fit import TrainConfig, extras_for_epoch


def test_a_pen_sets_the_stroke_width_whatever_the_height(train_digits):
    digits, labels = train_digits
    zero = digits[labels == 0][0]
    drawn = {(h, pen): glyph(zero, h, np.random.default_rng(0), pen) for h in (40, 100) for pen in (3.0, 10.0, None)}
    for (height, _), ink in drawn.items():
        assert 0.9 * height <= ink.shape[0] <= 1.2 * height  # a bold pen adds its width top and bottom
        assert pieces(ink) == 1  # thinning never breaks the 0 apart
    width = {key: pen_width(ink) for key, ink in drawn.items()}
    # MNIST's own stroke grows with the writing; a pen's does not
    assert width[100, None] > 2 * width[40, None]
    assert abs(width[40, 10.0] - 10) < 1.5 and abs(width[100, 10.0] - 10) < 1.5
    assert abs(width[40, 3.0] - 3) < 1.0
    # a big digit is thinned at most by a third of its stroke either side, short of the fine pen but far below MNIST's
    assert width[100, 3.0] < 0.5 * width[100, None]


def test_redrawn_digits_are_seeded_in_mnist_form_and_keep_their_index(train_digits):
    digits, _ = train_digits
    a, which = redrawn(digits, 50, np.random.default_rng(4))
    b, again = redrawn(digits, 50, np.random.default_rng(4))
    assert a.shape == (50, 28, 28) and a.dtype == np.uint8 and which.shape == (50,)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(which, again)
    assert set(which) <= set(range(len(digits)))
    for img in a:
        ys, xs = np.nonzero(img)  # a redrawn digit may be faint in parts: all its ink counts
        assert max(ys.max() - ys.min(), xs.max() - xs.min()) in (19, 20, 21)
        w = img.astype(np.float64)
        cy, cx = (np.indices(w.shape) * w).sum(axis=(1, 2)) / w.sum()
        assert abs(cy - 13.5) < 1.0 and abs(cx - 13.5) < 1.0
    # redrawn, not copied: every digit differs from MNIST's own
    assert all(not np.array_equal(img, digits[i]) for img, i in zip(a, which, strict=True))


def test_an_epoch_adds_redrawn_digits_with_their_labels_and_the_card_asks_for_them(train_digits, tmp_path):
    digits, labels = train_digits
    config = TrainConfig(redrawn=0.2, seed=1)
    x, y = extras_for_epoch(config, digits, labels, epoch=3)
    count = round(0.2 * len(digits))
    assert x.shape == (count, 1, 28, 28) and y.shape == (count,)
    _, which = redrawn(digits, count, np.random.default_rng([1, 3]))
    np.testing.assert_array_equal(y.numpy(), labels[which])
    config_json = {"arch": "cnn", "epochs": 30, "seed": 0, "batch_size": 128, "lr": 0.003, "patience": 8,
                   "val_size": 5000, "redrawn": 0.25, "data": "MNIST train (data/mnist)"}
    assert "--neighbours 0.0 --redrawn 0.25 --params" in train_command(config_json, tmp_path)
    del config_json["redrawn"]
    assert "--redrawn" not in train_command(config_json, tmp_path)


def test_touching_strings_are_restroked_whole_for_half_of_them(train_digits, monkeypatch):
    import digitocr.data.strings as strings

    digits, labels = train_digits
    rng = np.random.default_rng(0)
    inks = [strings.digit_ink(digits[labels == d][0], 48, rng, soft=True) for d in (0, 8)]
    soft = strings.compose(inks, rng)
    crisp = np.clip((soft - 0.2) / 0.5, 0, 1)
    fine, bold = restroke(soft, 2.5), restroke(soft, 9.0)
    assert abs(pen_width(fine) - 2.5) < 1.0 and abs(pen_width(bold) - 9.0) < 1.5
    assert pieces(fine) <= pieces(crisp) and pieces(bold) <= pieces(crisp)
    # the string reader's training strings: about PEN_P of them drawn with a pen of their own
    pens = []
    monkeypatch.setattr(strings, "restroke", lambda ink, pen: pens.append(pen) or restroke(ink, pen))
    strips, texts = strings.make_strings(digits, labels, 300, np.random.default_rng(1))
    assert len(strips) == 300 and all(t.isdigit() or t == "" for t in texts)
    assert 0.4 * 300 * (1 - strings.PRINT_SHARE) < len(pens) < 0.6 * 300
    assert min(pens) < 0.05 * strings.HEIGHT and max(pens) > 0.2 * strings.HEIGHT


def test_european_habits_are_drawn_at_the_pages_resolution_on_1s_and_7s_only():
    rng = np.random.default_rng(0)
    one = np.zeros((80, 12), np.float32)
    one[:, 4:9] = 1.0  # an upright 1, 5 pixels wide
    flagged = european_habit(one, 1, rng)
    # its flag reaches out left of the stem, and no higher than the round end of its pen above the top
    assert 80 <= flagged.shape[0] <= 83 and flagged.shape[1] > 12
    left = flagged[:, : flagged.shape[1] - 12]
    rows = np.flatnonzero((left > 0.5).any(axis=1))
    assert rows.min() < 10 and rows.max() <= 42  # from the top down, at most 0.45 of the height
    assert 3 <= (left[rows.max() - 4] > 0.5).sum() <= 9  # at the stem's width (the pen), not a hairline
    seven = np.zeros((80, 50), np.float32)
    seven[:5, :] = 1.0  # its bar along the top
    for y in range(5, 80):
        seven[y, max(0, 40 - y // 2): 45 - y // 2] = 1.0  # its stem, down to the left
    crossed = european_habit(seven, 7, rng)
    assert crossed.shape == seven.shape  # the bar stays within the 7's width
    middle = np.flatnonzero(((crossed > 0.5) & ~(seven > 0.5)).any(axis=1))
    assert middle.size and 0.4 * 80 <= middle.mean() <= 0.65 * 80
    assert european_habit(seven, 4, rng) is seven
