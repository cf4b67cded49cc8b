"""Folders of labelled digit images: DIR/0/*.png ... DIR/9/*.png, any size, dark ink on light paper.

Each image goes through the same MNIST-form preprocessing as crops at read time, so a user's own
handwriting is judged the way the classifier sees it.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from digitocr.errors import DataError

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp")
DIGITS = [str(d) for d in range(10)]
LAYOUT = "expected DIR/0/*.png ... DIR/9/*.png"


def image_files(root: str | os.PathLike) -> list[tuple[Path, int]]:
    """(image path, digit) for every image directly in root/0 ... root/9, sorted by digit then name.

    Other files (and hidden ones, such as macOS's ._ copies) are ignored.
    """
    folder = Path(root)
    if not folder.exists():
        raise DataError(folder, "no such folder")
    if not folder.is_dir():
        raise DataError(folder, f"not a folder ({LAYOUT})")
    digit_dirs = [folder / d for d in DIGITS if (folder / d).is_dir()]
    if not digit_dirs:
        raise DataError(folder, f"no digit subfolders 0..9 ({LAYOUT})")
    found = []
    for sub in digit_dirs:
        try:
            names = sorted(p.name for p in sub.iterdir()
                           if p.suffix.lower() in IMAGE_SUFFIXES and not p.name.startswith(".") and p.is_file())
        except OSError as exc:
            raise DataError(sub, f"cannot list it ({exc.strerror or exc})") from None
        found += [(sub / name, int(sub.name)) for name in names]
    if not found:
        raise DataError(folder, f"no images in its digit subfolders ({', '.join(IMAGE_SUFFIXES)})")
    return found


def load_image_folder(root: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
    """DIR/0/*.png ... DIR/9/*.png -> (images uint8 [N, 28, 28] in MNIST's form, ink high; labels uint8 [N])."""
    from digitocr.classifier import load_image
    from digitocr.preprocess import image_to_mnist_form

    files = image_files(root)
    images = np.empty((len(files), 28, 28), np.uint8)
    for i, (path, _) in enumerate(files):
        try:
            form = image_to_mnist_form(load_image(path))
        except ValueError as exc:  # an image shape preprocessing cannot take
            raise DataError(path, f"cannot use this image ({exc})") from None
        images[i] = np.rint(form * 255.0).astype(np.uint8)
    return images, np.array([digit for _, digit in files], np.uint8)


def write_image_folder(root: str | os.PathLike, images: np.ndarray, labels: np.ndarray) -> list[Path]:
    """Images uint8 [N, 28, 28] (ink high, as MNIST) -> root/<digit>/<index>.png, dark ink on light paper.

    File names are zero-padded indices, so loading the folder back keeps the order within each digit.
    """
    from PIL import Image

    images = np.asarray(images)
    labels = np.asarray(labels)
    if images.dtype != np.uint8:
        raise ValueError(f"images must be uint8 0..255, not {images.dtype}")
    if images.ndim != 3 or len(images) != len(labels):
        raise ValueError(f"expected images [N, H, W] and N labels, got {images.shape} and {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() > 9):
        raise ValueError("labels must be digits 0..9")
    folder = Path(root)
    width = max(5, len(str(len(images) - 1)))
    paths = []
    try:
        for i, (image, label) in enumerate(zip(images, labels, strict=True)):
            sub = folder / str(int(label))
            sub.mkdir(parents=True, exist_ok=True)
            path = sub / f"{i:0{width}d}.png"
            Image.fromarray(255 - image).save(path)
            paths.append(path)
    except OSError as exc:
        raise DataError(exc.filename or folder, f"cannot write it ({exc.strerror or exc})") from None
    return paths
