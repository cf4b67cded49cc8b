"""Strings of touching handwritten digits, for the string reader (models/strings.py).

A number written fast runs its digits together: each stroke meets the next digit's. The reader's find stage
sees such a run as one glyph. Cutting it into digits and classifying the pieces (reading/recognise.py) fails
where a neighbour's stroke intrudes on a piece, or where the cuts fall wrong; the string reader reads the run
whole instead, and learns what the joins look like from these examples.

Made from MNIST *training* digits only: each digit cropped to its ink, scaled to a common height (each a little
taller or shorter, its baseline a little higher or lower, a little wider or narrower), and pushed against the
ink before it until the strokes meet and then a little further, as a pen merges them; some pairs overlap more,
some keep a hair's gap. Some strings are one digit, most stretched wide: a wide 0 is one digit, not two. And some
are printed letters (OpenCV's Hershey fonts, as data/negatives.py draws them), whose text is empty: a bold
capital's strokes read as 1s otherwise. Every example goes through `to_strip`, the function that makes the
reader's strips.
"""

from __future__ import annotations

import cv2
import numpy as np

from digitocr.data.negatives import FONTS, LETTERS, SIGNS, ink_of, printed_letter, written_sign
from digitocr.data.pen import PEN_SHARE, european_habit, restroke
from digitocr.preprocess import to_strip

HEIGHT = 48  # digits are composed this tall (pixels), then reduced by `to_strip`
# How many digits a string has: 1 to 8, mostly 2 to 4. Single digits, most of them drawn wide, are there because
# the reader hands over every glyph wider than a digit: a wide 0, or a 4 with its arms apart, is one digit.
LENGTHS = np.arange(1, 9)
LENGTH_SHARES = np.array([0.18, 0.25, 0.21, 0.13, 0.09, 0.06, 0.05, 0.03])
PRINT_SHARE = 0.08  # strings that are one to three printed letters, to be read as no digits at all
# How one digit joins the one before: touching (its strokes pushed 0 to 12% of the height past meeting), deep
# (12-30%), or apart (a gap of 2-12%).
JOINS = (0.78, 0.12, 0.10)
# Strings written with a pen of their own width (data/pen.py: a fine pen's hairlines, a bold one's filled loops), a
# share PEN_SHARE of the height; the rest keep MNIST's strokes, thickened or thinned a little (`pen_and_slant`).
PEN_P = 0.5


def digit_ink(image: np.ndarray, height: int, rng: np.random.Generator, soft: bool = False) -> np.ndarray:
    """An MNIST digit (uint8 28x28) cropped to its ink and scaled to `height` pixels, a little wider or narrower;
    unless `soft`, half of them with crisper edges (as a page's cleaned ink is)."""
    ink = ink_of(image)
    h, w = ink.shape
    width = max(2, round(w * height / h * rng.uniform(0.85, 1.15)))
    big = np.clip(cv2.resize(ink, (width, height), interpolation=cv2.INTER_CUBIC), 0.0, 1.0)
    if not soft and rng.random() < 0.5:
        big = np.clip((big - 0.2) / 0.5, 0.0, 1.0)
    return big


def compose(inks: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """Digit inks side by side as one ink map, each joined to the ink before it (JOINS)."""
    baselines = [p.shape[0] + round(rng.normal(0, 0.035 * HEIGHT)) for p in inks]
    above = max(baselines)
    below = max(p.shape[0] - b for p, b in zip(inks, baselines, strict=True))
    rows_total = above + below
    out = np.zeros((rows_total, sum(p.shape[1] for p in inks) + HEIGHT), np.float32)
    right = np.full(rows_total, -1)  # per row, the rightmost ink so far
    x_end = 0
    for i, (p, b) in enumerate(zip(inks, baselines, strict=True)):
        y = above - b
        x = 0
        if i:
            rows = np.flatnonzero(p.max(axis=1) > 0.3)
            left = np.argmax(p[rows] > 0.3, axis=1)
            shared = right[y + rows] >= 0
            meet = int((right[y + rows][shared] - left[shared]).max()) + 1 if shared.any() else x_end
            join = rng.choice(3, p=JOINS)
            if join == 2:  # apart
                x = max(0, meet, x_end - round(0.3 * p.shape[1])) + round(rng.uniform(0.02, 0.12) * HEIGHT)
            else:
                push = rng.uniform(0.0, 0.12) if join == 0 else rng.uniform(0.12, 0.3)
                floor = x_end - round(min(p.shape[1], inks[i - 1].shape[1]) / (3 if join == 0 else 2))
                x = max(0, floor, meet - round(push * HEIGHT))
        region = out[y : y + p.shape[0], x : x + p.shape[1]]
        np.maximum(region, p, out=region)
        for r in np.flatnonzero(p.max(axis=1) > 0.3):
            right[y + r] = max(right[y + r], x + int(np.flatnonzero(p[r] > 0.3)[-1]))
        x_end = max(x_end, x + p.shape[1])
    return out[:, :x_end]


def pen_and_slant(ink: np.ndarray, rng: np.random.Generator, thicken: bool = True) -> np.ndarray:
    """A thinner or thicker pen for a fifth of the strings each (if `thicken`), and a slant for a third."""
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
    pen = rng.random()
    if thicken and pen < 0.2:
        ink = cv2.dilate(ink, kernel)
    elif thicken and pen < 0.4:
        ink = cv2.erode(ink, kernel)
    if rng.random() < 0.33:
        shear = rng.uniform(-0.25, 0.25)
        h, w = ink.shape
        extra = int(abs(shear) * h) + 1
        matrix = np.float32([[1, shear, -shear * h if shear < 0 else 0.0], [0, 1, 0]])
        ink = cv2.warpAffine(ink, matrix, (w + extra, h), flags=cv2.INTER_LINEAR, borderValue=0.0)
    return ink


def sign_ink(rng: np.random.Generator) -> np.ndarray:
    """A sign written before a number (data/negatives.py's: a dollar sign or a "#", by hand or printed), cropped to its
    ink and scaled as tall as a digit or a little taller, as an ink map."""
    ink = written_sign(rng) if rng.random() < 0.7 else printed_letter(rng, SIGNS)
    rows, cols = np.flatnonzero(ink.max(axis=1) > 0.1), np.flatnonzero(ink.max(axis=0) > 0.1)
    ink = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    height = round(HEIGHT * rng.uniform(0.9, 1.3))
    width = max(2, round(ink.shape[1] * height / ink.shape[0]))
    return np.clip(cv2.resize(ink, (width, height), interpolation=cv2.INTER_CUBIC), 0.0, 1.0)


def digit_string(images: np.ndarray, labels: np.ndarray, length: int, rng: np.random.Generator,
                 european_p: float = 0.0, sign: bool = False) -> tuple[np.ndarray, str]:
    """`length` random digits of `images` (uint8 [N, 28, 28], MNIST's form) as one touching string: (its strip,
    its text). A share `european_p` of its 1s get a flag and of its 7s a bar (data/pen.py's `european_habit`). With
    `sign`, a sign (`sign_ink`) is joined to it in front, which is no part of its text: a currency sign written
    against an amount."""
    which = rng.integers(0, len(images), size=length)
    height = HEIGHT
    pen = height * float(np.exp(rng.uniform(*np.log(PEN_SHARE)))) if rng.random() < PEN_P else None
    inks = [digit_ink(images[i], round(height * rng.uniform(0.88, 1.08)), rng, soft=pen is not None) for i in which]
    if european_p:  # (no draw at all without it: the strings made before stay the same)
        inks = [european_habit(ink, int(labels[i]), rng) if labels[i] in (1, 7) and rng.random() < european_p
                else ink for ink, i in zip(inks, which, strict=True)]
    if length == 1 and rng.random() < 0.7:  # a wide single digit
        ink = inks[0]
        inks[0] = cv2.resize(ink, (round(ink.shape[1] * rng.uniform(1.2, 1.8)), ink.shape[0]),
                             interpolation=cv2.INTER_LINEAR)
    if sign:
        inks.insert(0, sign_ink(rng))
    ink = compose(inks, rng)
    if pen:
        ink = restroke(ink, pen)
    ink = pen_and_slant(ink, rng, thicken=pen is None)
    return to_strip(ink), "".join(str(int(labels[i])) for i in which)


def printed_letters(rng: np.random.Generator) -> np.ndarray:
    """One to three printed letters or signs that look like no digit (data/negatives.py's LETTERS) in one Hershey
    font, upright or italic, thin to bold (bold capitals touch), as one ink map."""
    text = "".join(rng.choice(list(LETTERS), size=int(rng.integers(1, 4))))
    font = FONTS[int(rng.integers(len(FONTS)))] | (cv2.FONT_ITALIC if rng.random() < 0.25 else 0)
    scale, thickness = rng.uniform(1.2, 2.0), int(rng.integers(1, 6))
    (w, h), base = cv2.getTextSize(text, font, scale, thickness)
    pad = 4 + thickness
    canvas = np.zeros((h + base + 2 * pad, w + 2 * pad), np.uint8)
    cv2.putText(canvas, text, (pad, pad + h), font, scale, 255, thickness, cv2.LINE_AA)
    return canvas.astype(np.float32) / 255.0


def make_strings(images: np.ndarray, labels: np.ndarray, count: int, rng: np.random.Generator,
                 european_p: float = 0.0, signs_p: float = 0.0) -> tuple[list[np.ndarray], list[str]]:
    """`count` strips: touching strings (`digit_string`, `european_p` of their 1s and 7s written as in Europe) of
    lengths drawn by LENGTH_SHARES, and PRINT_SHARE of printed letters, whose text is empty. A share `signs_p` of
    the strings have a sign joined in front of them, and as many of the letters are a sign alone (`sign_ink`):
    neither is read. (strips, texts)."""
    lengths = rng.choice(LENGTHS, size=count, p=LENGTH_SHARES / LENGTH_SHARES.sum())
    printed = rng.random(count) < PRINT_SHARE
    signed = rng.random(count) < signs_p if signs_p else np.zeros(count, bool)  # (no draw without: the same strings)
    made = [((to_strip(sign_ink(rng) if s else printed_letters(rng)), "") if p
             else digit_string(images, labels, int(n), rng, european_p, sign=bool(s)))
            for n, p, s in zip(lengths, printed, signed, strict=True)]
    return [s for s, _ in made], [t for _, t in made]
