"""The shipped classifier: its files agree with each other and it keeps the model contract."""

from __future__ import annotations

import hashlib
import json

import numpy as np

from digitocr.classifier import Classifier, shipped_model_path
from digitocr.data.mnist import load_split


def test_metadata_describes_the_shipped_file(monkeypatch):
    monkeypatch.delenv("DIGITOCR_MODEL", raising=False)
    path = shipped_model_path()
    meta = json.loads(path.with_suffix(".json").read_text())
    assert meta["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta["test_accuracy"] >= 0.9965  # the floor, as measured when shipped
    assert meta["output"]["classes"] == [str(d) for d in range(10)]
    assert path.with_suffix(".md").read_text().count(meta["sha256"]) == 1


def test_confidences_are_continuous_and_sum_to_one(monkeypatch, mnist_dir):
    monkeypatch.delenv("DIGITOCR_MODEL", raising=False)
    images, labels = load_split("test", mnist_dir)
    probs = Classifier().predict(images[:300].astype(np.float32) / 255)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert (probs.argmax(axis=1) == labels[:300]).mean() > 0.99
    # A quantized softmax would give at most 256 distinct values, top confidences capped at 0.996.
    assert len(np.unique(probs)) > 1000 and probs.max() > 0.997
