"""A digit redrawn as a pen writes it on a page: crisp edges, and a stroke width of its own.

An MNIST digit blown up to the height it is written at keeps MNIST's soft edges, and its strokes grow with it.
A real pen's line does neither: a fine pen writes hairlines with blots where strokes cross, a bold one fills the
loops, whatever the size of the writing. Read back into MNIST's form, such a digit is not MNIST's any more, and
the classifier misreads it twice as often (`benchmarks/pages.py digits`).

`glyph` draws one digit so; the page benchmark draws its test digits with it, and training (`redrawn`) its
training digits, read back through `to_mnist_form` as the reader would read them.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from digitocr.preprocess import to_mnist_form

# Written heights (pixels) and pen widths relative to them that `redrawn` draws: a 40 to 110 pixel digit at 300 dpi
# with a 0.35 to 0.85 mm pen spans about 0.035 to 0.25; MNIST's own strokes are about 0.13 of its 20-pixel box.
HEIGHTS = (24, 112)
PEN_SHARE = (0.03, 0.28)
MNIST_PEN_P = 0.3  # share drawn with MNIST's own strokes, only their edges made crisp


def pieces(ink: np.ndarray) -> int:
    """Connected strokes of a glyph, ignoring specks."""
    n, _, stats, _ = cv2.connectedComponentsWithStats((ink > 0.5).astype(np.uint8), connectivity=8)
    return int((stats[1:, cv2.CC_STAT_AREA] >= 0.02 * max(1, stats[1:, cv2.CC_STAT_AREA].sum())).sum()) if n > 1 else 0


def pen_width(ink: np.ndarray) -> float:
    """The stroke width of a glyph: ink area over half its skeleton-ish length (area / perimeter * 2)."""
    mask = (ink > 0.5).astype(np.uint8)
    area = float(mask.sum())
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    perimeter = sum(cv2.arcLength(c, True) for c in contours)
    return 2 * area / perimeter if perimeter else 3.0


def glyph(img28: np.ndarray, height: int, rng: np.random.Generator, pen: float | None = None) -> np.ndarray:
    """One MNIST digit (uint8, ink high) as ink coverage in [0, 1], cropped to its ink and scaled to `height` pixels
    tall.

    With `pen` (pixels), the stroke is thinned or thickened towards that width: a real pen's line does
    not grow with the size of the writing, a blown-up MNIST digit's does.
    """
    ys, xs = np.nonzero(img28 > 20)
    crop = img28[ys.min():ys.max() + 1, xs.min():xs.max() + 1].astype(np.float32) / 255.0
    h0, w0 = crop.shape
    slant = rng.uniform(0.9, 1.1)  # writers differ in width
    width = max(2, round(w0 * height / h0 * slant))
    pad = 2
    big = cv2.resize(np.pad(crop, pad), (width + 2 * pad * width // w0, height + 2 * pad * height // h0),
                     interpolation=cv2.INTER_CUBIC)
    ink = restroke(big, pen, whole=True) if pen else np.clip((big - 0.2) / 0.5, 0, 1)  # crisper than 28x28 blown up
    ys, xs = np.nonzero(ink > 0.05)
    if len(ys) == 0:
        return big.clip(0, 1)
    return ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def restroke(soft: np.ndarray, pen: float, whole: bool = False) -> np.ndarray:
    """Soft ink (MNIST's grey edges, blown up) with crisp edges and a stroke about `pen` pixels wide: the soft edge
    cut at the level, after a disc's thickening or thinning, that comes nearest that width without breaking the
    glyph apart.

    With `whole`, a cut must also keep the digit's whole path: thinned, a bold digit's strokes can fall below the
    cut but for a blot or two, and such a fragment is no longer the digit it is labelled (`kept_whole`). The page
    benchmark's digits are drawn so; the string reader's training strings are not, as its shipped model was made.
    """
    ink = np.clip((soft - 0.2) / 0.5, 0, 1)
    keep = pieces(ink)
    now = pen_width(ink)
    r = int(np.clip(round((pen - now) / 2), -now / 3, 3)) if abs(pen - now) >= 2 else 0
    bases = [soft]
    if r:
        k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * abs(r) + 1, 2 * abs(r) + 1))
        bases.append(cv2.dilate(soft, k) if r > 0 else cv2.erode(soft, k))
    cuts = [np.clip((b - t) / 0.3, 0, 1) for b in bases for t in (0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75)]
    ok = [(x, w) for x, w in ((x, pen_width(x)) for x in cuts)
          if x.max() > 0.5 and pieces(x) <= keep and (not whole or kept_whole(x, ink, widths=(w, now)))] or [(ink, now)]
    return min(ok, key=lambda xw: abs(xw[1] - pen))[0]


def kept_whole(cut: np.ndarray, ink: np.ndarray, share: float = 0.95,
               widths: tuple[float, float] | None = None) -> bool:
    """Whether `cut`'s ink covers `share` of `ink`'s, grown back by the width it lost, once its hairlines (under
    half its stroke wide) are left out: the same path, only thinner. `widths`: the two's `pen_width`s, if known."""
    width, ink_width = widths or (pen_width(cut), pen_width(ink))
    mask = (cut > 0.5).astype(np.uint8)
    side = max(2, round(width / 2))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side)))
    grow = round(max(0.0, ink_width - width) / 2) + 2
    back = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1))) > 0
    strong = ink > 0.5
    return bool(back[strong].sum() >= share * strong.sum())


def redrawn(digits: np.ndarray, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """`count` random picks of `digits` (uint8 [N, 28, 28], MNIST's form) redrawn by `glyph` at a random height and
    pen and put back into MNIST's form, and their indices: uint8 [count, 28, 28]. They keep their digit's label."""
    which = rng.integers(0, len(digits), size=count)
    out = np.empty((count, 28, 28), np.uint8)
    for k, i in enumerate(which):
        height = int(rng.integers(*HEIGHTS))
        pen = None if rng.random() < MNIST_PEN_P else height * float(np.exp(rng.uniform(*np.log(PEN_SHARE))))
        out[k] = np.round(to_mnist_form(glyph(digits[i], height, rng, pen)) * 255.0).astype(np.uint8)
    return out, which


def european_habit(ink: np.ndarray, label: int, rng: np.random.Generator) -> np.ndarray:
    """A drawn 1 or 7 (ink coverage, as `glyph` gives it) as much of Europe writes it, drawn at the page's resolution
    with the glyph's own pen: the 1 given a flag from its top down to the left (30 to 60 degrees from its stem, 0.3
    to 0.45 of its height), the 7 a bar through its stem at 45% to 60% of its height (0.35 to 0.55 of its width).
    Other digits come back as they are. The page benchmark's `digits --european` draws its 1s and 7s with it, and the
    string reader's training strings (data/strings.py) a share of theirs; augment.py's `european` draws the same at
    MNIST's 28 pixels, where the flag's angle fills in."""
    if label not in (1, 7):
        return ink
    height, width = ink.shape
    pad = round(0.6 * height)
    out = np.pad(ink, ((2, 2), (pad, pad)))
    ys, xs = np.nonzero(out > 0.5)
    top, bottom = int(ys.min()), int(ys.max())
    if label == 1:
        tip, foot = float(xs[ys == top].mean()), float(xs[ys == bottom].mean())
        angle = math.atan2(foot - tip, bottom - top) - math.radians(rng.uniform(30, 60))
        length = (bottom - top) * rng.uniform(0.3, 0.45)
        start, end = (tip, float(top)), (tip + length * math.sin(angle), top + length * math.cos(angle))
    else:
        row = round(top + (bottom - top) * rng.uniform(0.45, 0.6))
        on = np.flatnonzero(out[row] > 0.5)
        centre = float(on.mean()) if on.size else float(xs.mean())
        half = 0.5 * rng.uniform(0.35, 0.55) * width
        start, end = (centre - half, float(row)), (centre + half, float(row))
    s = 4  # drawn at 4x and reduced: anti-aliased, as the page benchmark draws its separators
    canvas = np.zeros((out.shape[0] * s, out.shape[1] * s), np.uint8)
    cv2.line(canvas, (round(start[0] * s), round(start[1] * s)), (round(end[0] * s), round(end[1] * s)), 255,
             max(1, round(pen_width(ink) * s)), lineType=cv2.LINE_AA)
    stroke = cv2.resize(canvas, out.shape[::-1], interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    out = np.maximum(out, stroke)
    ys, xs = np.nonzero(out > 0.05)
    return out[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
