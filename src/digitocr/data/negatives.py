"""Examples of what is not one handwritten digit, for the model's "not a digit" output (class 10).

The reader hands the classifier everything its find stage keeps. Besides digits that is two touching
digits cut too wide, the printed letters and figures of a form's labels, and marks (dots, dashes, crosses, box
corners). Trained on such crops as an eleventh class, the model gives them low digit probabilities,
and the reader's choices that weigh confidences (how to cut touching digits, what is print) see it.

`with_neighbour` makes the other side of that lesson, for the digit classes: a digit with the edge of a
neighbour beside it is still that digit.

Made from MNIST *training* digits and OpenCV's Hershey fonts only: never from test digits, and never in
the page benchmark's printed type (DejaVu, Liberation). Printed figures are among them (a form's printed
numbers are not handwriting), except 0, 1 and 7, whose printed shapes are how people write them. Every
example goes through `to_mnist_form`, the function that makes the reader's crops.
"""

from __future__ import annotations

import cv2
import numpy as np

from digitocr.preprocess import to_mnist_form

NOT_A_DIGIT = 10
CLASS_NAMES = [*(str(d) for d in range(10)), "not a digit"]

# Letters and signs whose print looks like no digit (no O, I, l, S, Z, B, G, b, g, q, T, Y, t, y, ?, !, $).
LETTERS = "ACEFHKMNPRUVWXacefhkmnpruvwx%&#@+=*"
FONTS = [cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_PLAIN, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX,
         cv2.FONT_HERSHEY_TRIPLEX, cv2.FONT_HERSHEY_COMPLEX_SMALL]
# Printed figures are not handwriting either, but a printed 0, 1 or 7 is drawn as people write them.
PRINTED_DIGITS = "2345689"
# Signs written beside a number: a currency sign before an amount, a "#" guarding it (`make_negatives`' `signs`).
SIGNS = "$#"
# Shares of each kind among the negatives: touching pairs, printed letters, printed figures, marks. (Not
# halves of digits: half a 6 is still a 6, the right half of an 8 a 3.)
SHARES = (0.45, 0.25, 0.15, 0.15)


def ink_of(image: np.ndarray) -> np.ndarray:
    """An MNIST-form uint8 digit -> float32 ink cropped to its bounding box."""
    ink = image.astype(np.float32) / 255.0
    rows, cols = np.flatnonzero(ink.max(axis=1) > 0.1), np.flatnonzero(ink.max(axis=0) > 0.1)
    if rows.size == 0:
        return ink
    return ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def touching_pair(a: np.ndarray, b: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Two digits side by side, overlapping or touching (as merged by a pen), as one ink map.

    The second starts at least half a digit's height to the right of the first one's left edge, so
    the pair is clearly wider than one digit however narrow the two are (two 1s included).
    """
    ia, ib = ink_of(a), ink_of(b)
    f = rng.uniform(0.85, 1.15)
    ib = cv2.resize(ib, (max(1, round(ib.shape[1] * f)), max(1, round(ib.shape[0] * f))),
                    interpolation=cv2.INTER_LINEAR)
    height = max(ia.shape[0], ib.shape[0])
    dx = max(round(ia.shape[1] * rng.uniform(0.55, 1.0)), round(0.5 * height))
    dy = int(rng.integers(-2, 3))
    top_a, top_b = max(0, -dy), max(0, dy)
    canvas = np.zeros((max(top_a + ia.shape[0], top_b + ib.shape[0]), max(ia.shape[1], dx + ib.shape[1])),
                      np.float32)
    canvas[top_a : top_a + ia.shape[0], : ia.shape[1]] = ia
    region = canvas[top_b : top_b + ib.shape[0], dx : dx + ib.shape[1]]
    np.maximum(region, ib, out=region)
    return canvas


def printed_letter(rng: np.random.Generator, chars: str = LETTERS) -> np.ndarray:
    """One printed letter or sign (or one of `chars`) in a Hershey font (upright or italic, thin to bold) as an
    ink map."""
    char = chars[int(rng.integers(len(chars)))]
    font = FONTS[int(rng.integers(len(FONTS)))] | (cv2.FONT_ITALIC if rng.random() < 0.25 else 0)
    scale = rng.uniform(1.2, 2.0)
    thickness = int(rng.integers(1, 5))
    (w, h), base = cv2.getTextSize(char, font, scale, thickness)
    pad = 4 + thickness
    canvas = np.zeros((h + base + 2 * pad, w + 2 * pad), np.uint8)
    cv2.putText(canvas, char, (pad, pad + h), font, scale, 255, thickness, cv2.LINE_AA)
    return canvas.astype(np.float32) / 255.0


def mark(rng: np.random.Generator) -> np.ndarray:
    """A mark that is no digit: a blot, a dash, a cross, a plus or a box's corner, as an ink map."""
    size = 40
    canvas = np.zeros((size, size), np.uint8)
    t = int(rng.integers(2, 6))
    kind = int(rng.integers(5))
    c = size // 2
    if kind == 0:  # a blot or a dot
        axes = (int(rng.integers(5, 15)), int(rng.integers(5, 15)))
        cv2.ellipse(canvas, (c, c), axes, float(rng.uniform(0, 180)), 0, 360, 255, -1, cv2.LINE_AA)
    elif kind == 1:  # a dash, a little tilted
        half, tilt = int(rng.integers(8, 18)), int(rng.integers(-3, 4))
        cv2.line(canvas, (c - half, c - tilt), (c + half, c + tilt), 255, t, cv2.LINE_AA)
    elif kind == 2:  # a cross: x
        r = int(rng.integers(8, 16))
        cv2.line(canvas, (c - r, c - r), (c + r, c + r), 255, t, cv2.LINE_AA)
        cv2.line(canvas, (c - r, c + r), (c + r, c - r), 255, t, cv2.LINE_AA)
    elif kind == 3:  # a plus
        r = int(rng.integers(8, 16))
        cv2.line(canvas, (c - r, c), (c + r, c), 255, t, cv2.LINE_AA)
        cv2.line(canvas, (c, c - r), (c, c + r), 255, t, cv2.LINE_AA)
    else:  # the corner of a box, opening right: a bar on top and one down the left (turned: an L). Never a
        # bar on top with one down the right side, which is a 7.
        r = int(rng.integers(10, 18))
        cv2.line(canvas, (c - r, c - r), (c + r, c - r), 255, t, cv2.LINE_AA)
        cv2.line(canvas, (c - r, c - r), (c - r, c + r), 255, t, cv2.LINE_AA)
        canvas = np.ascontiguousarray(np.rot90(canvas, int(rng.integers(2))))
    return canvas.astype(np.float32) / 255.0


def written_sign(rng: np.random.Generator) -> np.ndarray:
    """A sign written beside a number by hand, as an ink map: a dollar sign (an S with one or two bars through it, or
    with only their ends showing above and below) or a "#" that guards a cheque's amount. Drawn at 4x and reduced,
    with a pen's wobble, slant and width."""
    s, size = 4, 48
    canvas = np.zeros((size * s, size * s), np.uint8)
    pen = max(1, round(rng.uniform(1.5, 5.0) * s))
    shear = rng.uniform(-0.35, 0.2)  # most hands lean right
    cx, cy = size / 2, size / 2

    def stroke(points: np.ndarray) -> None:
        points = points + rng.normal(0, 0.25, points.shape)
        xs = points[:, 0] - shear * (points[:, 1] - cy)
        cv2.polylines(canvas, [np.round(np.stack([xs, points[:, 1]], 1) * s).astype(np.int32)], False, 255, pen,
                      cv2.LINE_AA)

    if rng.random() < 0.75:  # a dollar sign: the S as two arcs meeting in the middle
        r_top, r_bottom = rng.uniform(5, 8), rng.uniform(6, 9)
        wide = rng.uniform(0.8, 1.3)
        top = np.deg2rad(np.linspace(rng.uniform(0, 60), 270, 24))  # from the right, over the top, round the left
        bottom = np.deg2rad(np.linspace(90, -rng.uniform(120, 200), 24))  # from the middle, round the right
        y_mid = cy + (r_top - r_bottom) / 2
        arc_top = np.stack([cx + wide * r_top * np.cos(top), y_mid - r_top - r_top * np.sin(top)], 1)
        arc_bottom = np.stack([cx + wide * r_bottom * np.cos(bottom), y_mid + r_bottom - r_bottom * np.sin(bottom)], 1)
        stroke(np.concatenate([arc_top, arc_bottom[1:]]))
        y0, y1 = y_mid - 2 * r_top - rng.uniform(4, 9), y_mid + 2 * r_bottom + rng.uniform(4, 9)
        bars = [0.0] if rng.random() < 0.8 else [-1.5, 1.5]
        for dx in bars:
            x = cx + dx + rng.uniform(-1, 1)
            if rng.random() < 0.3:  # only the bar's ends, above and below the S
                stroke(np.array([[x, y0], [x, y_mid - 2 * r_top + 2]]))
                stroke(np.array([[x, y_mid + 2 * r_bottom - 2], [x, y1]]))
            else:
                stroke(np.array([[x, y0], [x + rng.uniform(-1, 1), y1]]))
    else:  # a "#"
        half, gap = rng.uniform(9, 14), rng.uniform(3, 6)
        for dx in (-gap, gap):
            lean = rng.uniform(0, 4)
            stroke(np.array([[cx + dx + lean, cy - half], [cx + dx - lean, cy + half]]))
        for dy in (-gap, gap):
            stroke(np.array([[cx - half, cy + dy + rng.uniform(-1, 1)], [cx + half, cy + dy + rng.uniform(-1, 1)]]))
    return cv2.resize(canvas, (size, size), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0


def with_neighbours(digits: np.ndarray, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """`count` random picks of `digits` with a neighbour's edge beside each (`with_neighbour`), and their indices:
    uint8 [count, 28, 28] in MNIST's form. They keep their digit's label."""
    which = rng.integers(0, len(digits), size=count)
    others = rng.integers(0, len(digits), size=count)
    return np.stack([with_neighbour(digits[i], digits[j], rng) for i, j in zip(which, others, strict=True)]), which


def with_neighbour(image: np.ndarray, neighbour: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A digit with the edge of a touching neighbour's ink beside it (10-30% of the neighbour's width, on the
    left or right), as a cut between touching digits leaves it; in MNIST's form, uint8. Still that digit."""
    ink, other = ink_of(image), ink_of(neighbour)
    part = max(1, round(other.shape[1] * rng.uniform(0.1, 0.3)))
    left = rng.random() < 0.5
    piece = other[:, -part:] if left else other[:, :part]
    overlap = min(int(rng.integers(0, 3)), piece.shape[1] - 1)
    h = max(ink.shape[0], piece.shape[0])
    canvas = np.zeros((h, ink.shape[1] + piece.shape[1] - overlap), np.float32)
    x_ink = piece.shape[1] - overlap if left else 0
    x_piece = 0 if left else ink.shape[1] - overlap
    canvas[: ink.shape[0], x_ink : x_ink + ink.shape[1]] = ink
    region = canvas[: piece.shape[0], x_piece : x_piece + piece.shape[1]]
    np.maximum(region, piece, out=region)
    return np.round(to_mnist_form(canvas) * 255.0).astype(np.uint8)


def make_negatives(digits: np.ndarray, count: int, rng: np.random.Generator, signs: float = 0.0) -> np.ndarray:
    """`count` examples of "not a digit" as uint8 [count, 28, 28] in MNIST's form (ink high).

    `digits`: uint8 [N, 28, 28] training digits (MNIST's form) to make touching pairs from. `signs`: the share of
    them that are signs written beside numbers (SIGNS printed, or `written_sign`), drawn after the rest so that
    without them the examples are the same as before.
    """
    kinds = rng.choice(4, size=count, p=SHARES)
    if signs:
        kinds[rng.random(count) < signs] = 4
    out = np.zeros((count, 28, 28), np.uint8)
    for i, kind in enumerate(kinds):
        if kind == 4:
            ink = printed_letter(rng, SIGNS) if rng.random() < 0.4 else written_sign(rng)
        elif kind == 0 and len(digits) >= 2:
            a, b = rng.choice(len(digits), size=2, replace=False)
            ink = touching_pair(digits[a], digits[b], rng)
        elif kind == 1:
            ink = printed_letter(rng)
        elif kind == 2:
            ink = printed_letter(rng, PRINTED_DIGITS)
        else:
            ink = mark(rng)
        out[i] = np.round(to_mnist_form(ink) * 255.0).astype(np.uint8)
    return out
