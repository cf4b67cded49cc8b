"""Join a digit broken at a thin stroke, by what the classifier makes of the joined crop.

find.py joins pieces only when they overlap horizontally by half. A 9 whose loop comes apart at a
thin join leaves a '1'-like stroke with a small mark beside it: neither overlaps the other much.
Here an unsure glyph is tried joined with a mark or another unsure glyph touching or next to it,
and the join is kept when the joined crop is one digit's width and is read much more surely. A narrow
sliver in a sure digit's rows (a speck of its own) joins it where the joined crop reads as the same digit.
"""

from __future__ import annotations

import numpy as np

from digitocr.classifier import Classifier
from digitocr.preprocess import to_mnist_form
from digitocr.reading.clean import Cleaned
from digitocr.reading.find import Found, Glyph, own_mask, shape_features

UNSURE = 0.9  # a glyph read less surely than this may be part of a broken digit
JOINED = 0.95  # ... and is joined when the joined crop is read at least this surely
GAIN = 0.05  # ... and this much more surely than the unsure part
NEAR = 0.12  # the parts are at most this many character heights apart horizontally
ONE_WIDE = 0.9  # the joined glyph is no wider than this times its height (one digit)
BAR_WIDE, BAR_APART = 1.3, 0.15  # ... or this, with a mark by its top half, which may be this many heights above it:
# a 5's bar drawn long and apart
TALL = 1.3  # ... and no taller than this many character heights
# A sliver of ink beside a digit (a stroke of MNIST's own broken off, or a speck drawn with it) was read as a 1 or a
# comma: a mark at most SLIVER_WIDE times as wide as tall, at least SLIVER_TALL of the digit's height, within its
# rows (SLIVER_OUT of its height past them: a comma hangs below) joins it where the joined crop reads as the same
# digit with at least SLIVER_SURE (the classifier doubts a 1 with a speck beside it, yet reads no other digit there)
SLIVER_WIDE, SLIVER_TALL, SLIVER_OUT, SLIVER_SURE = 0.5, 0.25, 0.05, 0.5

Char = tuple[Glyph, np.ndarray, float]  # a glyph, its own ink, width over height


def char_entry(cleaned: Cleaned, labels: np.ndarray, glyph: Glyph) -> Char:
    """A glyph -> (glyph, its own ink in its box, width over ink height)."""
    x0, y0, x1, y1 = glyph.box
    ink = np.where(own_mask(labels, glyph), cleaned.ink[y0:y1, x0:x1], 0.0).astype(np.float32)
    rows = np.flatnonzero(ink.any(axis=1))
    return glyph, ink, ink.shape[1] / max(1, rows[-1] - rows[0] + 1) if rows.size else 1.0


def joined(a: Glyph, b: Glyph, labels: np.ndarray) -> Glyph:
    box = (min(a.box[0], b.box[0]), min(a.box[1], b.box[1]), max(a.box[2], b.box[2]), max(a.box[3], b.box[3]))
    glyph = Glyph(labels=a.labels + b.labels, box=box, area=a.area + b.area, kind="char")
    glyph.slant, glyph.elongation = shape_features(own_mask(labels, glyph))
    glyph.stroke = max(a.stroke, b.stroke)  # the pen's: a sliver joined to a digit does not make it thinner
    glyph.tallest_piece = max(a.tallest_piece, b.tallest_piece)
    return glyph


def may_join(a: Glyph, boxes: np.ndarray, height: float, one_wide: float = ONE_WIDE, apart: float = 0.0
             ) -> np.ndarray:
    """Which of `boxes` ([N, 4]) are near enough beside glyph `a`, overlap it vertically, and together with it
    are the size of one digit."""
    gap = np.maximum(a.box[0], boxes[:, 0]) - np.minimum(a.box[2], boxes[:, 2])
    top, bottom = np.minimum(a.box[1], boxes[:, 1]), np.maximum(a.box[3], boxes[:, 3])
    overlap = np.minimum(a.box[3], boxes[:, 3]) - np.maximum(a.box[1], boxes[:, 1])
    width = np.maximum(a.box[2], boxes[:, 2]) - np.minimum(a.box[0], boxes[:, 0])
    tall = bottom - top
    return (gap <= NEAR * height) & (overlap > -apart * height) & (tall <= TALL * height) & (width <= one_wide * tall)


def slivers(a: Glyph, boxes: np.ndarray) -> np.ndarray:
    """Which of `boxes` ([N, 4]) are slivers that may have broken off glyph `a`: narrow, tall enough, in its rows."""
    w, h = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    out = SLIVER_OUT * a.height
    return ((w <= SLIVER_WIDE * h) & (h >= SLIVER_TALL * a.height)
            & (boxes[:, 1] >= a.box[1] - out) & (boxes[:, 3] <= a.box[3] + out))


def rejoin(cleaned: Cleaned, found: Found, chars: list[Char], probs: np.ndarray, marks: list[Glyph],
           classifier: Classifier) -> tuple[list[Char], np.ndarray, list[Glyph]]:
    """Chars (with their probabilities) and marks -> the same with broken digits joined (one more classifier
    call, only when some unsure glyph has a partner)."""
    height = found.char_height or max((g.height for g, _, _ in chars), default=1)
    conf = probs.max(axis=1)
    parts: list[tuple[Glyph, float]] = [(g, float(c)) for (g, _, _), c in zip(chars, conf, strict=True)]
    parts += [(m, 0.0) for m in marks]
    tries: list[tuple[int, int, Char]] = []
    boxes = np.array([g.box for g, _ in parts], np.int64)
    sure = np.array([c for _, c in parts])
    mark = np.arange(len(parts)) >= len(chars)
    middle = boxes[:, 1] + boxes[:, 3]  # twice the vertical centre
    for i, (a, ca) in enumerate(parts[: len(chars)]):
        # an unsure glyph with a mark or another unsure glyph; any glyph with a mark by its top half (the
        # loop of a 9, the bar of a 5: separators sit lower)
        pair = (ca < UNSURE) & (mark | (sure < UNSURE))
        high = mark & (middle < middle[i])
        near = may_join(a, boxes, height)
        partners = (pair | (mark & slivers(a, boxes))) & near
        partners |= high & may_join(a, boxes, height, BAR_WIDE, BAR_APART)
        partners[i] = False
        for j in np.flatnonzero(partners):
            tries.append((i, int(j), char_entry(cleaned, found.labels, joined(a, parts[j][0], found.labels))))
    if not tries:
        return chars, probs, marks
    tried = classifier.predict(np.stack([to_mnist_form(ink) for _, _, (_, ink, _) in tries]))
    used: set[int] = set()
    new_chars, new_probs = [], []
    for t in np.argsort(-tried.max(axis=1)):
        i, j, entry = tries[t]
        c = float(tried[t].max())
        gain = GAIN if parts[i][1] < UNSURE else 0.0  # a sure glyph and a mark: as sure joined is enough
        surer = c >= JOINED and c >= max(parts[i][1], parts[j][1]) + gain
        sliver = mark[j] and slivers(parts[i][0], boxes[j : j + 1])[0]
        same = sliver and c >= SLIVER_SURE and tried[t].argmax() == probs[i].argmax()
        if i in used or j in used or not (surer or same):
            continue
        used |= {i, j}
        new_chars.append(entry)
        new_probs.append(tried[t])
    if not used:
        return chars, probs, marks
    keep = [k for k in range(len(chars)) if k not in used]
    out_chars = [chars[k] for k in keep] + new_chars
    out_probs = np.concatenate([probs[keep], np.stack(new_probs)])
    return out_chars, out_probs, [m for k, m in enumerate(marks) if len(chars) + k not in used]
