"""Digits redrawn as a pen writes them (data/pen.py): the page benchmark's drawing, and training's."""

from __future__ import annotations

import cv2
import numpy as np

from digitocr.data.pen import european_habit, glyph, kept_whole, pen_width, pieces, redrawn, restroke
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


def blown_up(img28: np.ndarray, height: int) -> np.ndarray:
    """An MNIST digit cropped to its ink and blown up to `height` pixels, MNIST's soft edges kept (as `glyph` does
    before it redraws)."""
    ys, xs = np.nonzero(img28 > 20)
    crop = np.pad(img28[ys.min():ys.max() + 1, xs.min():xs.max() + 1].astype(np.float32) / 255.0, 2)
    return cv2.resize(crop, (round(crop.shape[1] * height / crop.shape[0]), height), interpolation=cv2.INTER_CUBIC)


def test_a_fine_pen_keeps_a_bold_digits_whole_path(train_digits):
    digits, labels = train_digits
    assert labels[91] == 7  # a bold 7, its strokes uneven: thinned to a fine pen, most of it fell below the cut
    soft = blown_up(digits[91], 100)
    ink = np.clip((soft - 0.2) / 0.5, 0, 1)
    fragment, whole = restroke(soft, 4.0), restroke(soft, 4.0, whole=True)
    assert (fragment > 0.5).sum() < 0.15 * (ink > 0.5).sum() and not kept_whole(fragment, ink)
    assert kept_whole(whole, ink) and (whole > 0.5).sum() > 0.5 * (ink > 0.5).sum()
    assert pen_width(whole) < 0.65 * pen_width(ink) and pieces(whole) == pieces(ink) == 1


def test_kept_whole_leaves_out_hairlines_and_missing_strokes():
    ring = np.zeros((100, 80), np.float32)
    cv2.ellipse(ring, (40, 50), (30, 42), 0, 0, 360, 1.0, 14)  # a bold 0
    thin = np.zeros_like(ring)
    cv2.ellipse(thin, (40, 50), (30, 42), 0, 0, 360, 1.0, 5)  # the same 0 with a fine pen
    assert kept_whole(thin, ring)
    half = thin.copy()
    half[:, 40:] = 0  # its right half lost
    assert not kept_whole(half, ring)
    hairline = np.zeros_like(ring)
    cv2.ellipse(hairline, (40, 50), (30, 42), 0, 90, 270, 1.0, 5)
    cv2.ellipse(hairline, (40, 50), (30, 42), 0, -90, 90, 1.0, 1)  # its right half a hairline
    assert not kept_whole(hairline, ring)


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
