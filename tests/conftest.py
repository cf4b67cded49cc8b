"""Shared fixtures: the MNIST folder beside the repo, one tiny trained model for the whole session, and for the
reader's tests (test_reading_*.py) the shipped classifier and the MNIST test digits it reads surely."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The shared MNIST copy (read-only): $DIGITOCR_DATA, else ../shared/data/mnist."""
    path = Path(os.environ.get("DIGITOCR_DATA") or ROOT.parent / "shared" / "data" / "mnist")
    if not (path / "t10k-labels-idx1-ubyte.gz").exists() and not (path / "t10k-labels-idx1-ubyte").exists():
        pytest.fail(f"MNIST not found at {path}: set DIGITOCR_DATA")
    return path


@pytest.fixture(scope="session")
def train_digits(mnist_dir):
    """The first 500 MNIST training digits and their labels, to make examples from."""
    from digitocr.data.mnist import load_split

    images, labels = load_split("train", mnist_dir)
    return images[:500], labels[:500]


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory, mnist_dir) -> Path:
    """A run folder from one epoch of the baseline on 3,000 images: model.onnx, history.csv, ..."""
    from digitocr.data.sources import load_dataset
    from digitocr.training.fit import TrainConfig, train

    out = tmp_path_factory.mktemp("tiny_run")
    data = load_dataset(data=str(mnist_dir))
    train(TrainConfig(arch="baseline", epochs=1, limit=3000, val_size=500, seed=0), data, out, progress=False)
    return out


@pytest.fixture(scope="session")
def tiny_model(tiny_run) -> Path:
    return tiny_run / "model.onnx"


@pytest.fixture(scope="session")
def not_a_digit_model(tmp_path_factory, mnist_dir) -> Path:
    """A model with the eleventh output, "not a digit": one epoch of the baseline on 1,200 images and negatives
    (about 20 s, trained once for every test file that asks). model.onnx, with model.json beside it."""
    from digitocr.data.sources import load_dataset
    from digitocr.training.fit import TrainConfig, train

    out = tmp_path_factory.mktemp("not_a_digit_run")
    config = TrainConfig(arch="baseline", epochs=1, limit=1200, val_size=200, seed=3, batch_size=64, not_a_digit=0.3)
    train(config, load_dataset(data=str(mnist_dir)), out, progress=False)
    return out / "model.onnx"


@pytest.fixture(scope="module")
def clf():
    """The shipped classifier (ONNX Runtime), for the reader's tests."""
    from digitocr.classifier import Classifier
    from digitocr.errors import DataError

    try:
        return Classifier()
    except DataError as exc:
        pytest.skip(f"no model to read with: {exc}")


@pytest.fixture(scope="module")
def digits(mnist_dir, clf) -> dict:
    """Per label, MNIST test digits the classifier reads right and surely when alone."""
    import numpy as np

    from digitocr.data.mnist import load_split
    from digitocr.preprocess import to_mnist_form

    images, labels = load_split("test", mnist_dir)
    images, labels = images[:1500], labels[:1500]
    probs = clf.predict(np.stack([to_mnist_form(im) for im in images]))
    sure = (probs.argmax(axis=1) == labels) & (probs.max(axis=1) > 0.9)
    pool = {d: [images[i] for i in np.flatnonzero(sure & (labels == d))] for d in range(10)}
    assert all(len(v) >= 5 for v in pool.values())
    return pool
