"""benchmarks/robustness.py: the European 1s and 7s, and choosing on the validation split."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from digitocr.classifier import Classifier
from digitocr.data.mnist import load_split, split_validation

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def robustness():
    spec = importlib.util.spec_from_file_location("bench_robustness", ROOT / "benchmarks" / "robustness.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_robustness"] = module
    spec.loader.exec_module(module)
    return module


def test_european_varies_only_the_ones_and_sevens_by_adding_ink(robustness):
    images = np.zeros((4, 28, 28), np.uint8)
    images[:, 4:24, 13:16] = 255  # an upright stroke
    images[1, 4:7, 6:16] = 255  # a 7's bar
    labels = np.array([1, 7, 4, 1])
    varied, kept = robustness.european(images, labels)
    assert kept.tolist() == [1, 7, 1] and varied.shape == (3, 28, 28)
    added = (varied.astype(int) - images[[0, 1, 3]]) > 128
    assert (varied >= images[[0, 1, 3]]).all()  # ink added, none taken away
    for one in (added[0], added[2]):
        rows, cols = np.nonzero(one)
        assert cols.min() <= 10 and cols.mean() < 13 and rows.max() < 4 + 12  # the flag: to the left, up top
    rows, cols = np.nonzero(added[1])
    assert rows.min() >= 11 and rows.max() <= 17 and cols.min() < 13 and cols.max() > 15  # a bar across mid-stem


def test_the_validation_split_is_measured_when_asked(robustness, mnist_dir, tmp_path, capsys):
    out = tmp_path / "r.json"
    assert robustness.main(["--data", str(mnist_dir), "--split", "val", "--limit", "300",
                            "--only", "clean,european 1s and 7s", "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert figures["split"] == "val" and figures["images"] == 300
    assert figures["accuracy"]["clean"]["digit_classifier"] > 0.97
    assert "300 MNIST validation (held out of training) images" in capsys.readouterr().out


def test_the_validation_split_is_drawn_with_the_seed_asked_for(robustness, mnist_dir, tmp_path):
    out = tmp_path / "r.json"
    assert robustness.main(["--data", str(mnist_dir), "--split", "val", "--split-seed", "4", "--limit", "400",
                            "--only", "european 1s and 7s", "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    images, labels = load_split("train", mnist_dir)
    val = split_validation(len(images), 5000, 4)[1][:400]
    varied, kept = robustness.european(images[val], labels[val])
    read = Classifier().predict(varied.astype(np.float32) / 255.0).argmax(axis=1)
    assert figures["split_seed"] == 4
    assert figures["accuracy"]["european 1s and 7s"]["digit_classifier"] == pytest.approx(np.mean(read == kept))
