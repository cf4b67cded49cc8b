"""One way in for training and evaluation data: an MNIST folder, a labelled Kaggle CSV, or image folders."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Dataset:
    images: np.ndarray  # uint8 [N, 28, 28], ink high, in MNIST's form
    labels: np.ndarray  # integer [N], 0..9
    source: str  # what it was read from, for logs and model cards


def load_dataset(data: str | None = None, csv: str | None = None, images: str | None = None,
                 split: str = "train") -> Dataset:
    """The chosen source as uint8 images in MNIST's form (ink high) and their labels.

    `split` applies to MNIST only ("train" or "test"); a CSV or an image folder is used whole.
    """
    if csv:
        from digitocr.data.kaggle import read_labelled_csv

        x, y = read_labelled_csv(csv)
        return Dataset(x, y, f"Kaggle CSV {csv}")
    if images:
        from digitocr.data.folders import load_image_folder

        x, y = load_image_folder(images)
        return Dataset(x, y, f"image folder {images}")
    from digitocr.data.mnist import load_split, resolve_data_dir

    folder = resolve_data_dir(data)
    x, y = load_split(split, folder)
    return Dataset(x, y, f"MNIST {split} ({folder})")
