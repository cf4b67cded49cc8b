"""Pages drawn for the reader's tests: blank and squared paper, a cheque's security pattern, an MNIST digit scaled
to handwriting's size."""

from __future__ import annotations

import cv2
import numpy as np

PAPER = 245


def glyph(img28: np.ndarray, height: int) -> np.ndarray:
    """An MNIST digit cropped to its ink and scaled to `height` pixels tall: ink coverage 0..1."""
    ys, xs = np.nonzero(img28 > 20)
    crop = img28[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].astype(np.float32) / 255.0
    width = max(2, round(crop.shape[1] * height / crop.shape[0]))
    return np.clip(cv2.resize(crop, (width, height), interpolation=cv2.INTER_LINEAR), 0.0, 1.0)


def squares(page: np.ndarray, start: int, step: int, level: int) -> None:
    """Squared paper: 2-pixel lines of grey `level` every `step` pixels from `start`, both ways."""
    for y in range(start, page.shape[0], step):
        page[y : y + 2, :] = level
    for x in range(start, page.shape[1], step):
        page[:, x : x + 2] = level


def blank(w: int, h: int) -> np.ndarray:
    return np.full((h, w), PAPER, np.uint8)


def waves(shape: tuple[int, int], gap: int, period: int = 90, amplitude: int = 10) -> np.ndarray:
    """A cheque's security pattern as ink coverage 0..1: sine waves a pixel wide, anti-aliased, `gap` pixels apart."""
    out = np.zeros(shape, np.float32)
    xs = np.arange(shape[1], dtype=np.float32)
    for k in range(-3, shape[0] // gap + 4):
        ys = k * gap + amplitude * np.sin(xs / period * 2 * np.pi + 0.3 * k)
        cv2.polylines(out, [np.stack([xs, ys], 1).astype(np.int32)], False, 1.0, 1, cv2.LINE_AA)
    return np.clip(out, 0.0, 1.0)
