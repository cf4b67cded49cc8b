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
    rows = np.flatnonzero((ink > INK_THRESHOLD).any(axis=1))
    cols = np.flatnonzero((ink > INK_THRESHOLD).any(axis=0))
    if rows.size == 0:
        return np.zeros((SIZE, SIZE), np.float32)
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
    ys, xs = np.indices(field.shape)
    cy, cx = (ys * field).sum() / total, (xs * field).sum() / total
    shift = np.float32([[1, 0, (SIZE - 1) / 2 - cx], [0, 1, (SIZE - 1) / 2 - cy]])
    field = cv2.warpAffine(field, shift, (SIZE, SIZE), flags=cv2.INTER_LINEAR, borderValue=0.0)
    return np.clip(field, 0.0, 1.0)


def image_to_mnist_form(image: np.ndarray) -> np.ndarray:
    """A picture of one digit, dark ink on light paper -> 28x28 float32 in MNIST's form."""
    return to_mnist_form(ink_from_image(image))
