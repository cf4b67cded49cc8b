"""Join a digit broken at a thin stroke, by what the classifier makes of the joined crop.

find.py joins pieces only when they overlap horizontally by half. A 9 whose loop comes apart at a
thin join leaves a '1'-like stroke with a small mark beside it: neither overlaps the other much.
Here an unsure glyph is tried joined with a mark or another unsure glyph touching or next to it,
and the join is kept when the joined crop is one digit's width and is read much more surely. A narrow
sliver in a sure digit's rows (a speck of its own) joins it where the joined crop reads as the same digit.

And the other way about: a dash written touching the digit beside it (555-0199) is parted from it, where the
digit alone reads surely and the two together did not.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from digitocr.classifier import Classifier
from digitocr.document import union_bbox
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
# A glyph read as a 1 that is such a sliver, within ONE_GAP of a character height of a sure digit (a stroke of a 9 come
# apart, read 2789 as 27891), joins it where the joined crop reads as the same digit with JOINED
ONE_GAP = 0.12
# A glyph read as a 1 beside an unsure glyph (within ONE_GAP), or beside a mark by its top half at least STROKE_TALL of
# its height, joins it where the joined crop reads surely (JOINED) as a digit other than 1: a 4 written in two strokes
# (an "L" read as no digit and its stem), which no rule above tries, both parts being read surely as something
STROKE_TALL = 0.4
BLOCK = 256  # glyphs weighed against all others at once
# A touching dash: at a glyph's left or right end, DASH_LONG of its height or more of columns that hold one thin run of
# ink (DASH_THIN of its height at most) in the middle of its height (its middle within DASH_BAND, clear of its top and
# foot by DASH_CLEAR) and level (DASH_LEVEL up or down at most). Parted where the glyph whole read as no digit (with
# DASH_REST for "not a digit") and the digit alone reads with JOINED: a 2's long tail and a 4's long bar look alike,
# but leave a glyph read as a digit, if unsurely (a 2 without its tail reads as a 7). A dash DASH_SURE_LONG of its
# height or longer is parted from a glyph read as a digit too, where the digit alone reads as the same digit with
# JOINED, but not from a 2 or a 7 (a 2's long tail, a 7's crossbar: 274 read as 27-4).
DASH_LONG, DASH_THIN, DASH_BAND, DASH_CLEAR, DASH_LEVEL, DASH_REST = 0.3, 0.2, (0.35, 0.7), 0.15, 0.08, 0.5
DASH_SURE_LONG, DASH_NOT_FROM = 0.5, (2, 7)

Char = tuple[Glyph, np.ndarray, float]  # a glyph, its own ink, width over height


def char_entry(cleaned: Cleaned, labels: np.ndarray, glyph: Glyph) -> Char:
    """A glyph -> (glyph, its own ink in its box, width over ink height)."""
    x0, y0, x1, y1 = glyph.box
    ink = np.where(own_mask(labels, glyph), cleaned.ink[y0:y1, x0:x1], 0.0).astype(np.float32)
    rows = np.flatnonzero(ink.any(axis=1))
    return glyph, ink, ink.shape[1] / max(1, rows[-1] - rows[0] + 1) if rows.size else 1.0


def joined(a: Glyph, b: Glyph, labels: np.ndarray) -> Glyph:
    glyph = Glyph(labels=a.labels + b.labels, box=union_bbox([a.box, b.box]), area=a.area + b.area, kind="char")
    glyph.slant, glyph.elongation = shape_features(own_mask(labels, glyph))
    glyph.stroke = max(a.stroke, b.stroke)  # the pen's: a sliver joined to a digit does not make it thinner
    glyph.tallest_piece = max(a.tallest_piece, b.tallest_piece)
    if a.colour is not None and b.colour is not None:
        glyph.colour = a.colour + b.colour
    return glyph


def may_join(own: np.ndarray, boxes: np.ndarray, height: float, one_wide: float = ONE_WIDE, apart: float = 0.0
             ) -> np.ndarray:
    """[M, N] bool: which of `boxes` ([N, 4]) stand near enough beside each glyph of `own` ([M, 4] boxes), overlap it
    vertically, and together with it are the size of one digit."""
    a, b = own[:, None, :], boxes[None, :, :]
    gap = np.maximum(a[..., 0], b[..., 0]) - np.minimum(a[..., 2], b[..., 2])
    top, bottom = np.minimum(a[..., 1], b[..., 1]), np.maximum(a[..., 3], b[..., 3])
    overlap = np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1])
    width = np.maximum(a[..., 2], b[..., 2]) - np.minimum(a[..., 0], b[..., 0])
    tall = bottom - top
    # no taller than a digit, or than the taller of the two (a 4's long stem): nothing stacked
    limit = np.maximum(TALL * height, np.maximum(a[..., 3] - a[..., 1], b[..., 3] - b[..., 1]) + 1)
    return (gap <= NEAR * height) & (overlap > -apart * height) & (tall <= limit) & (width <= one_wide * tall)


def slivers(boxes: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """[M, N] bool: which of `boxes` ([N, 4]) are slivers that may have broken off each glyph of `owners` ([M, 4]
    boxes): narrow, tall enough, in its rows."""
    w, h = boxes[None, :, 2] - boxes[None, :, 0], boxes[None, :, 3] - boxes[None, :, 1]
    top, bottom = owners[:, 1:2], owners[:, 3:4]
    out = SLIVER_OUT * (bottom - top)
    return ((w <= SLIVER_WIDE * h) & (h >= SLIVER_TALL * (bottom - top))
            & (boxes[None, :, 1] >= top - out) & (boxes[None, :, 3] <= bottom + out))


def rejoin(cleaned: Cleaned, found: Found, chars: list[Char], probs: np.ndarray, marks: list[Glyph],
           classifier: Classifier) -> tuple[list[Char], np.ndarray, list[Glyph]]:
    """Chars (with their probabilities) and marks -> the same with broken digits joined (one more classifier
    call, only when some unsure glyph has a partner)."""
    height = found.char_height or max((g.height for g, _, _ in chars), default=1)
    conf = probs.max(axis=1)
    parts: list[tuple[Glyph, float]] = [(g, float(c)) for (g, _, _), c in zip(chars, conf, strict=True)]
    parts += [(m, 0.0) for m in marks]
    tries: list[tuple[int, int, bool, Char]] = []  # (glyph, partner, whether the partner is a sliver of it, joined)
    boxes = np.array([g.box for g, _ in parts], np.int64)
    sure = np.array([c for _, c in parts])
    mark = np.arange(len(parts)) >= len(chars)
    one = np.zeros(len(parts), bool)
    one[: len(chars)] = probs.argmax(axis=1) == 1
    middle = boxes[:, 1] + boxes[:, 3]  # twice the vertical centre
    for start in range(0, len(chars), BLOCK):  # each block of glyphs against all parts: memory by the block
        rows = np.arange(start, min(len(chars), start + BLOCK))
        own = boxes[rows]
        # an unsure glyph with a mark or another unsure glyph; any glyph with a mark by its top half (the loop of a 9,
        # the bar of a 5: separators sit lower)
        pair = (sure[rows, None] < UNSURE) & (mark | (sure < UNSURE))[None, :]
        high = mark[None, :] & (middle[None, :] < middle[rows, None])
        sliver = mark[None, :] & slivers(boxes, own)
        gap = np.maximum(own[:, None, 0], boxes[None, :, 0]) - np.minimum(own[:, None, 2], boxes[None, :, 2])
        sliver |= (one[None, :] & ~one[rows, None] & (sure[rows, None] >= UNSURE) & (gap <= ONE_GAP * height)
                   & slivers(boxes, own))
        sliver |= one[None, :] & (sure[rows, None] < UNSURE) & (gap <= ONE_GAP * height)  # a 4's "L" and its "|"
        partners = ((pair | sliver) & may_join(own, boxes, height)) | (
            high & may_join(own, boxes, height, BAR_WIDE, BAR_APART))
        partners[np.arange(len(rows)), rows] = False
        for r, j in zip(*(ix.tolist() for ix in np.nonzero(partners)), strict=True):
            i = start + r
            entry = char_entry(cleaned, found.labels, joined(parts[i][0], parts[j][0], found.labels))
            tries.append((i, j, bool(sliver[r, j]), entry))
    if not tries:
        return chars, probs, marks
    tried = classifier.predict(np.stack([to_mnist_form(ink) for _, _, _, (_, ink, _) in tries]))
    used: set[int] = set()
    new_chars, new_probs = [], []
    for t in np.argsort(-tried.max(axis=1)):
        i, j, of_it, entry = tries[t]
        c = float(tried[t].max())
        gain = GAIN if parts[i][1] < UNSURE else 0.0  # a sure glyph and a mark: as sure joined is enough
        surer = c >= JOINED and c >= max(parts[i][1], parts[j][1]) + gain
        same = (of_it and c >= (JOINED if j < len(chars) else SLIVER_SURE)
                and tried[t].argmax() == probs[i].argmax())
        stroke = c >= JOINED and tried[t].argmax() != 1 and (  # two strokes of a 4 (or a 7), one read as a 1
            (of_it and one[j] and parts[i][1] < UNSURE)
            or (one[i] and mark[j] and boxes[j, 3] - boxes[j, 1] >= STROKE_TALL * (boxes[i, 3] - boxes[i, 1])))
        if i in used or j in used or not (surer or same or stroke):
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


def touching_dash(own: np.ndarray, long: float = DASH_LONG) -> tuple[int, int] | None:
    """A glyph's own pixels in its box -> the columns [a, b) of a dash that touches it at its left or right end, or
    None."""
    h, w = own.shape
    count = own.sum(axis=0)
    top = np.argmax(own, axis=0)
    bottom = h - np.argmax(own[::-1], axis=0)
    middle = (top + bottom) / 2
    thin = (count > 0) & (bottom - top <= max(2.0, DASH_THIN * h)) & (count >= bottom - top - 1)
    thin &= (middle >= DASH_BAND[0] * h) & (middle <= DASH_BAND[1] * h)
    thin &= (top >= DASH_CLEAR * h) & (bottom <= (1.0 - DASH_CLEAR) * h)
    for ends in (thin, thin[::-1]):
        run = w if ends.all() else int(np.argmin(ends))
        if run < long * h or w - run < 2:
            continue
        a, b = (0, run) if ends is thin else (w - run, w)
        if np.ptp(middle[a:b]) <= DASH_LEVEL * h:
            return a, b
    return None


def detach_dashes(cleaned: Cleaned, found: Found, chars: list[Char], probs: np.ndarray, marks: list[Glyph],
                  classifier: Classifier) -> tuple[Found, list[Char], np.ndarray, list[Glyph]]:
    """Chars (with their probabilities) and marks -> the same with each dash that touched a digit a mark of its own
    (one more classifier call, only when some glyph has a dash's end); `found` with their labels, where any."""
    tries = []
    for k, (_, ink, _) in enumerate(chars):
        no_digit = 1.0 - probs[k].sum() >= DASH_REST
        if ink.shape[1] < 2 * DASH_LONG * ink.shape[0] or (not no_digit and probs[k].argmax() in DASH_NOT_FROM):
            continue
        cut = touching_dash(ink > 0, DASH_LONG if no_digit else DASH_SURE_LONG)
        if cut is not None:
            rest = ink.copy()
            rest[:, cut[0] : cut[1]] = 0.0
            tries.append((k, cut, rest, no_digit))
    if not tries:
        return found, chars, probs, marks
    read = classifier.predict(np.stack([to_mnist_form(rest) for _, _, rest, _ in tries]))
    parted = [(k, cut, p) for (k, cut, _, no_digit), p in zip(tries, read, strict=True)
              if p.max() >= JOINED and (no_digit or p.argmax() == probs[k].argmax())]
    if not parted:
        return found, chars, probs, marks
    labels = found.labels.copy()
    chars, probs, marks = list(chars), probs.copy(), list(marks)
    new = int(labels.max()) + 1
    for k, (a, b), p in parted:
        glyph = chars[k][0]
        x0, y0, x1, y1 = glyph.box
        own = own_mask(found.labels, glyph)
        dash = np.zeros_like(own)
        dash[:, a:b] = own[:, a:b]
        labels[y0:y1, x0:x1][dash] = new
        pieces = []
        for part in (own & ~dash, dash):
            ys, xs = np.nonzero(part)
            pieces.append(((x0 + int(xs.min()), y0 + int(ys.min()), x0 + int(xs.max()) + 1, y0 + int(ys.max()) + 1),
                           int(part.sum())))
        (digit_box, digit_area), (dash_box, dash_area) = pieces
        digit = replace(glyph, box=digit_box, area=digit_area)
        digit.slant, digit.elongation = shape_features(own_mask(labels, digit))
        chars[k] = char_entry(cleaned, labels, digit)
        probs[k] = p
        marks.append(Glyph(labels=[new], box=dash_box, area=dash_area, kind="mark"))
        new += 1
    return replace(found, labels=labels), chars, probs, marks
