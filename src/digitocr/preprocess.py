"""MNIST's form: the one function that turns any digit image into what the classifier expects.

Train-time (image folders, Kaggle CSV) and read-time (crops found on a page) preprocessing both
go through `to_mnist_form`, so the classifier always sees digits made the way MNIST's were:
the ink's bounding box scaled to fit 20x20 with its aspect ratio kept, anti-aliased, and placed
in a 28x28 field with its centre of mass at the centre. Values are float32 in [0, 1], ink = 1.
"""

from __future__ import annotations

import cv2
import numpy as np

SIZE = 28
BOX = 20
# Ink fainter than this (on the 0..1 ink scale) does not count towards the bounding box.
INK_THRESHOLD = 0.1
FIELD_ROWS, FIELD_COLS = np.indices((SIZE, SIZE))  # each pixel's row and column, for the centre of mass


def ink_from_image(image: np.ndarray) -> np.ndarray:
    """Dark ink on light paper (grey or colour, any dtype) -> float32 ink map, paper 0, darkest ink 1.

    The paper level is estimated from the image's bright end, so a grey or tinted background
    becomes 0 rather than faint ink everywhere.
    """
    img = np.asarray(image)
    if img.ndim == 3:
        if img.shape[2] == 4:  # transparent pixels count as paper
            alpha = img[:, :, 3:4].astype(np.float32) / (65535.0 if img.dtype == np.uint16 else 255.0)
            rgb = img[:, :, :3].astype(np.float32)
            white = 65535.0 if img.dtype == np.uint16 else 255.0
            img = (rgb * alpha + white * (1 - alpha)).astype(img.dtype)
        else:
            img = img[:, :, :3]
        grey = img.astype(np.float32).min(axis=2)  # coloured pens (blue, red) count as ink
    elif img.ndim == 2:
        grey = img.astype(np.float32)
    else:
        raise ValueError(f"expected a 2-D or 3-D image, got shape {img.shape}")
    if img.dtype == np.uint8:
        grey /= 255.0
    elif img.dtype == np.uint16:
        grey /= 65535.0
    elif img.dtype == bool:
        pass
    elif grey.size and grey.max() > 1.0:
        grey /= 255.0
    ink = 1.0 - grey
    paper = float(np.percentile(ink, 10)) if ink.size else 0.0
    darkest = float(ink.max()) if ink.size else 0.0
    if darkest - paper < 1e-6:
        return np.zeros_like(ink, dtype=np.float32)
    return np.clip((ink - paper) / (darkest - paper), 0.0, 1.0).astype(np.float32)


def to_mnist_form(ink: np.ndarray) -> np.ndarray:
    """An ink map (ink high, any size, values 0..1 or 0..255) -> 28x28 float32 in MNIST's form.

    An image with no ink gives an all-zero field.
    """
    ink = np.asarray(ink, dtype=np.float32)
    if ink.ndim != 2:
        raise ValueError(f"expected a 2-D ink map, got shape {ink.shape}")
    if ink.size and ink.max() > 1.0:
        ink = ink / 255.0
    inked = ink > INK_THRESHOLD
    rows = np.flatnonzero(inked.any(axis=1))
    if rows.size == 0:
        return np.zeros((SIZE, SIZE), np.float32)
    cols = np.flatnonzero(inked.any(axis=0))
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    h, w = crop.shape
    scale = BOX / max(h, w)
    new_w, new_h = max(1, round(w * scale)), max(1, round(h * scale))
    # INTER_AREA anti-aliases when shrinking; INTER_LINEAR keeps small crops smooth when growing.
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    box = cv2.resize(crop, (new_w, new_h), interpolation=interp)
    field = np.zeros((SIZE, SIZE), np.float32)
    top, left = (SIZE - new_h) // 2, (SIZE - new_w) // 2
    field[top : top + new_h, left : left + new_w] = box
    total = field.sum()
    if total <= 0:
        return field
    cy, cx = (FIELD_ROWS * field).sum() / total, (FIELD_COLS * field).sum() / total
    shift = np.float32([[1, 0, (SIZE - 1) / 2 - cx], [0, 1, (SIZE - 1) / 2 - cy]])
    field = cv2.warpAffine(field, shift, (SIZE, SIZE), flags=cv2.INTER_LINEAR, borderValue=0.0)
    return np.clip(field, 0.0, 1.0)


def image_to_mnist_form(image: np.ndarray) -> np.ndarray:
    """A picture of one digit, dark ink on light paper -> 28x28 float32 in MNIST's form."""
    return to_mnist_form(ink_from_image(image))


# A strip of touching digits (the string reader's input): the run's ink box scaled to BOX pixels tall (its aspect
# kept), STRIP_MARGIN pixels of paper left and right, the width a multiple of STRIP_STEP, at most STRIP_MAX (wider
# runs are squeezed). The string reader gives one frame of probabilities per STRIP_FRAME columns.
STRIP_MARGIN = 4
STRIP_STEP = 4
STRIP_MAX = 256
STRIP_FRAME = 2


def strip_box(ink: np.ndarray) -> tuple[int, int, int, int, int] | None:
    """Where `to_strip` takes a run's ink from: (top, bottom, left, right) of its ink box, and the box's width in
    the strip; None for no ink."""
    rows = np.flatnonzero((ink > INK_THRESHOLD).any(axis=1))
    cols = np.flatnonzero((ink > INK_THRESHOLD).any(axis=0))
    if rows.size == 0:
        return None
    h, w = rows[-1] + 1 - rows[0], cols[-1] + 1 - cols[0]
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1, \
        min(max(1, round(w * BOX / h)), STRIP_MAX - 2 * STRIP_MARGIN)


def to_strip(ink: np.ndarray) -> np.ndarray:
    """An ink map of one run of digits (ink high, any size) -> float32 [28, W] in the string reader's form.

    The same scale and vertical place as MNIST's form (the ink box's height to 20 pixels, 4 above and below), so
    one digit in a strip looks as it does to the classifier, without the centring: the strip keeps the run whole.
    """
    ink = np.asarray(ink, dtype=np.float32)
    if ink.ndim != 2:
        raise ValueError(f"expected a 2-D ink map, got shape {ink.shape}")
    if ink.size and ink.max() > 1.0:
        ink = ink / 255.0
    box = strip_box(ink)
    if box is None:
        return np.zeros((SIZE, 2 * STRIP_MARGIN), np.float32)
    top, bottom, left, right, new_w = box
    crop = ink[top:bottom, left:right]
    interp = cv2.INTER_AREA if bottom - top > BOX else cv2.INTER_LINEAR
    scaled = cv2.resize(crop, (new_w, BOX), interpolation=interp)
    width = -(-(new_w + 2 * STRIP_MARGIN) // STRIP_STEP) * STRIP_STEP
    strip = np.zeros((SIZE, width), np.float32)
    offset = (SIZE - BOX) // 2
    strip[offset : offset + BOX, STRIP_MARGIN : STRIP_MARGIN + new_w] = scaled
    return np.clip(strip, 0.0, 1.0)
