"""Kaggle Digit Recognizer CSV: exact round trips, one precise error per kind of bad file, the CLI commands."""

from __future__ import annotations

import csv
import time

import numpy as np
import pytest

from digitocr.classifier import Classifier
from digitocr.cli import main
from digitocr.data import kaggle, mnist
from digitocr.errors import DataError

HEADER = "label," + ",".join(f"pixel{i}" for i in range(784))
TEST_HEADER = ",".join(f"pixel{i}" for i in range(784))


def row(label: int | str | None = 3, pixels: list | None = None) -> str:
    pixels = [0] * 784 if pixels is None else pixels
    return ",".join(str(v) for v in ([] if label is None else [label]) + pixels)


@pytest.fixture
def sample():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (37, 28, 28), dtype=np.uint8)
    images[0, 0, 0], images[0, 0, 1] = 0, 255
    labels = rng.integers(0, 10, 37).astype(np.uint8)
    return images, labels


def test_labelled_round_trip_is_exact(tmp_path, sample):
    images, labels = sample
    path = kaggle.write_csv(tmp_path / "train.csv", images, labels)
    x, y = kaggle.read_labelled_csv(path)
    assert x.dtype == np.uint8 and y.dtype == np.uint8 and x.shape == (37, 28, 28)
    assert np.array_equal(x, images) and np.array_equal(y, labels)


def test_unlabelled_round_trip_is_exact(tmp_path, sample):
    images, _ = sample
    path = kaggle.write_csv(tmp_path / "test.csv", images)
    assert np.array_equal(kaggle.read_unlabelled_csv(path), images)


def test_written_text_is_kaggles_format(tmp_path, sample):
    images, labels = sample
    path = kaggle.write_csv(tmp_path / "train.csv", images[:3], labels[:3])
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == HEADER.split(",")
    for r, image, label in zip(rows[1:], images[:3], labels[:3], strict=True):
        assert r == [str(label)] + [str(v) for v in image.ravel()]  # row-major, plain decimals
    assert path.read_bytes().endswith(b"\n") and b"\r" not in path.read_bytes()


def test_reads_crlf_bom_and_trailing_blank_lines(tmp_path):
    text = "\ufeff" + HEADER + "\r\n" + row(7, [255] + [0] * 783) + "\r\n\r\n"
    (tmp_path / "train.csv").write_bytes(text.encode("utf-8"))
    x, y = kaggle.read_labelled_csv(tmp_path / "train.csv")
    assert y.tolist() == [7] and x[0, 0, 0] == 255 and x.sum() == 255


LONG = ",".join(["x"] * 785)
BAD_FILES = [
    ("", "empty file (expected Kaggle's header line 'label,pixel0,...,pixel783')"),
    ("\n\n", "empty file (expected Kaggle's header line 'label,pixel0,...,pixel783')"),
    (HEADER + "\n", "line 2: no rows after the header"),
    ("label,pixel1,pixel2\n1,2,3\n",
     "line 1: header 'label,pixel1,pixel2' (3 columns) is not Kaggle's 'label,pixel0,...,pixel783' (785 columns)"),
    (TEST_HEADER + "\n" + row(None) + "\n",
     "line 1: no 'label' column: this is a test.csv (pixels only); training and evaluation need a labelled train.csv"),
    (HEADER + "\n" + row() + "\n" + row(pixels=[0] * 783) + "\n",
     "line 3: 784 fields, expected 785 (label,pixel0,...,pixel783)"),
    (HEADER + "\n" + row() + "\n\n" + row() + "\n", "line 3: an empty line, expected 785 (label,pixel0,...,pixel783)"),
    (HEADER + "\n" + row() + "\n" + row() + "\n" + row(pixels=[0] * 10 + ["3.5"] + [0] * 773) + "\n",
     "line 4: pixel10 is '3.5', not an integer"),
    (HEADER + "\n" + row(pixels=["abc"] + [0] * 783) + "\n", "line 2: pixel0 is 'abc', not an integer"),
    (HEADER + "\n" + row(pixels=[0] * 783 + [""]) + "\n", "line 2: pixel783 is '', not an integer"),
    (HEADER + "\n" + row() + "\n" + row(pixels=[0] * 5 + [256] + [0] * 778) + "\n",
     "line 3: pixel5 is 256, outside 0..255"),
    (HEADER + "\n" + row(pixels=[-1] + [0] * 783) + "\n", "line 2: pixel0 is -1, outside 0..255"),
    (HEADER + "\n" + row(pixels=[99999999999999999999999] + [0] * 783) + "\n",
     "line 2: pixel0 is 99999999999999999999999, outside 0..255"),
    (HEADER + "\n" + row() + "\n" + row(10) + "\n", "line 3: label 10 is not a digit 0..9"),
    (HEADER + "\n" + row("seven") + "\n", "line 2: label is 'seven', not an integer"),
]


@pytest.mark.parametrize(("text", "reason"), BAD_FILES)
def test_bad_labelled_file_gives_one_precise_error(tmp_path, text, reason):
    path = tmp_path / "train.csv"
    path.write_text(text)
    with pytest.raises(DataError) as err:
        kaggle.read_labelled_csv(path)
    assert str(err.value) == f"{path}: {reason}"


def test_error_line_number_counts_past_the_first_chunk(tmp_path):
    lines = [HEADER] + [row()] * (kaggle.CHUNK_ROWS + 10)
    lines[kaggle.CHUNK_ROWS + 5] = row(pixels=[0] * 783 + ["x"])
    path = tmp_path / "train.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=f": line {kaggle.CHUNK_ROWS + 6}: pixel783 is 'x', not an integer$"):
        kaggle.read_labelled_csv(path)


@pytest.mark.parametrize(("text", "reason"), [
    ("", "empty file (expected Kaggle's header line 'pixel0,pixel1,...,pixel783')"),
    (HEADER + "\n" + row() + "\n",
     "line 1: has a 'label' column: this is a train.csv; predictions are for a test.csv (pixel0..pixel783 only)"),
    (TEST_HEADER + "\n" + row(None) + "\n" + row() + "\n",
     "line 3: 785 fields, expected 784 (pixel0,pixel1,...,pixel783)"),
    (TEST_HEADER + "\n" + row(None, [0] * 783 + [300]) + "\n", "line 2: pixel783 is 300, outside 0..255"),
])
def test_bad_unlabelled_file(tmp_path, text, reason):
    path = tmp_path / "test.csv"
    path.write_text(text)
    with pytest.raises(DataError) as err:
        kaggle.read_unlabelled_csv(path)
    assert str(err.value) == f"{path}: {reason}"


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"train\.csv: no such file$"):
        kaggle.read_labelled_csv(tmp_path / "train.csv")


def test_parsing_42000_rows_is_fast(tmp_path):
    rng = np.random.default_rng(1)
    images = np.where(rng.random((42_000, 28, 28)) < 0.8, 0, rng.integers(1, 256, (42_000, 28, 28))).astype(np.uint8)
    labels = rng.integers(0, 10, 42_000).astype(np.uint8)
    path = kaggle.write_csv(tmp_path / "train.csv", images, labels)
    start = time.perf_counter()
    x, y = kaggle.read_labelled_csv(path)
    seconds = time.perf_counter() - start
    assert np.array_equal(x, images) and np.array_equal(y, labels)
    assert seconds < 10, f"parsing Kaggle's train.csv size took {seconds:.1f}s"


def test_cli_kaggle_predict_writes_a_submission(tmp_path, mnist_dir, tiny_model, capsys):
    images, labels = mnist.load_split("test", mnist_dir)
    kaggle.write_csv(tmp_path / "test.csv", images[:300])
    out = tmp_path / "sub" / "submission.csv"
    assert main(["kaggle", "predict", "--csv", str(tmp_path / "test.csv"), "--out", str(out),
                 "--model", str(tiny_model)]) == 0
    assert f"({300} predictions)" in capsys.readouterr().out
    with open(out, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["ImageId", "Label"] and len(rows) == 301
    assert [int(r[0]) for r in rows[1:]] == list(range(1, 301))
    predicted = np.array([int(r[1]) for r in rows[1:]])
    expected = Classifier(tiny_model).predict(images[:300] / 255.0).argmax(axis=1)  # Kaggle pixels are MNIST's
    assert np.array_equal(predicted, expected)
    assert (predicted == labels[:300]).mean() > 0.6


def test_cli_kaggle_predict_bad_csv_exits_2(tmp_path, tiny_model, capsys):
    path = tmp_path / "test.csv"
    path.write_text(TEST_HEADER + "\n" + row(None, [0] * 100 + [-3] + [0] * 683) + "\n")
    assert main(["kaggle", "predict", "--csv", str(path), "--out", str(tmp_path / "s.csv"),
                 "--model", str(tiny_model)]) == 2
    assert capsys.readouterr().err == f"digitocr: error: {path}: line 2: pixel100 is -3, outside 0..255\n"
    assert not (tmp_path / "s.csv").exists()


def test_cli_export_csv_matches_mnist(tmp_path, mnist_dir, capsys):
    out = tmp_path / "kaggle"
    assert main(["data", "export-csv", "--data", str(mnist_dir), "--out", str(out)]) == 0
    assert capsys.readouterr().out.splitlines() == [f"wrote {out / name}"
                                                    for name in ("train.csv", "test.csv", "test_labels.csv")]
    train_x, train_y = mnist.load_split("train", mnist_dir)
    test_x, test_y = mnist.load_split("test", mnist_dir)
    x, y = kaggle.read_labelled_csv(out / "train.csv")
    assert np.array_equal(x, train_x) and np.array_equal(y, train_y)
    assert np.array_equal(kaggle.read_unlabelled_csv(out / "test.csv"), test_x)
    lines = (out / "test_labels.csv").read_text().splitlines()
    assert lines[0] == "ImageId,Label" and len(lines) == 10_001
    assert lines[1:6] == ["1,7", "2,2", "3,1", "4,0", "5,4"]
    assert [int(line.split(",")[1]) for line in lines[1:]] == test_y.tolist()
