"""Kaggle Digit Recognizer CSV: train.csv (label, pixel0..pixel783), test.csv (pixels), submission.csv.

Kaggle's pixels are MNIST's (28x28, row by row, ink high, 0..255), so they need no preprocessing.
Reading is fast for good files (one numpy parse of the whole body) and precise for bad ones: any
trouble sends the file through a line-by-line check that names the first bad line (1-based, the
header is line 1).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from digitocr.errors import DataError

SIDE = 28
PIXELS = [f"pixel{i}" for i in range(SIDE * SIDE)]
LABELLED_HEADER = ["label", *PIXELS]
CHUNK_ROWS = 5000
_INTEGER = re.compile(rb"\s*[+-]?\d+\s*")


def read_labelled_csv(path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
    """Kaggle's train.csv -> (images uint8 [N, 28, 28], labels uint8 [N])."""
    rows = _read_rows(Path(path), labelled=True)
    return rows[:, 1:].reshape(-1, SIDE, SIDE).copy(), rows[:, 0].copy()


def read_unlabelled_csv(path: str | os.PathLike) -> np.ndarray:
    """Kaggle's test.csv -> images uint8 [N, 28, 28]."""
    return _read_rows(Path(path), labelled=False).reshape(-1, SIDE, SIDE)


def _read_rows(path: Path, labelled: bool) -> np.ndarray:
    """The file's data rows as uint8 [N, 785 or 784], every value checked."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, "no such file") from None
    except IsADirectoryError:
        raise DataError(path, "is a directory, not a CSV file") from None
    except OSError as exc:
        raise DataError(path, f"cannot read it ({exc.strerror or exc})") from None
    columns = LABELLED_HEADER if labelled else PIXELS
    raw = raw.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    if not raw.strip():
        raise DataError(path, f"empty file (expected Kaggle's header line '{_show(columns)}')")
    header, _, body = raw.partition(b"\n")
    _check_header(path, header, labelled)
    lines = body.rstrip().split(b"\n")  # trailing blank lines are harmless
    if lines == [b""]:
        raise DataError(path, "line 2: no rows after the header")
    width = len(columns)
    for number, line in enumerate(lines, start=2):
        fields = line.count(b",") + 1
        if fields != width:
            what = "an empty line" if not line.strip() else f"{fields} fields"
            raise DataError(path, f"line {number}: {what}, expected {width} ({_show(columns)})")
    limits = np.full(width, 255)
    if labelled:
        limits[0] = 9
    out = np.empty((len(lines), width), np.uint8)
    for start in range(0, len(lines), CHUNK_ROWS):  # in chunks: int64 for a whole train.csv is 260 MB
        chunk = lines[start : start + CHUNK_ROWS]
        try:
            values = np.fromstring(b",".join(chunk), dtype=np.int64, sep=",")
        except ValueError:
            values = None  # some value is not an integer: find it
        if values is None or values.size != len(chunk) * width:
            _find_bad_value(path, chunk, columns, first_line=start + 2)
            raise DataError(path, "could not read the values as integers")  # not reached: _find_bad_value raises
        values = values.reshape(len(chunk), width)
        bad = np.argwhere((values < 0) | (values > limits))
        if len(bad):
            row, col = (int(i) for i in bad[0])
            token = chunk[row].split(b",")[col].strip().decode("ascii", "replace")
            raise DataError(path, f"line {start + row + 2}: {_out_of_range(columns[col], token)}")
        out[start : start + len(chunk)] = values
    return out


def _check_header(path: Path, header: bytes, labelled: bool) -> None:
    names = [name.strip().strip('"') for name in header.decode("utf-8", "replace").split(",")]
    expected = LABELLED_HEADER if labelled else PIXELS
    if names == expected:
        return
    if labelled and names == PIXELS:
        raise DataError(path, "line 1: no 'label' column: this is a test.csv (pixels only); "
                        "training and evaluation need a labelled train.csv")
    if not labelled and names == LABELLED_HEADER:
        raise DataError(path, "line 1: has a 'label' column: this is a train.csv; predictions are for a "
                        "test.csv (pixel0..pixel783 only)")
    found = ",".join(names[:3]) + (",..." if len(names) > 3 else "")
    raise DataError(path, f"line 1: header '{found}' ({len(names)} columns) is not Kaggle's "
                    f"'{_show(expected)}' ({len(expected)} columns)")


def _find_bad_value(path: Path, lines: list[bytes], columns: list[str], first_line: int) -> None:
    """Raise the DataError for the first value that is not an integer in range (the slow, precise path)."""
    for number, line in enumerate(lines, start=first_line):
        for name, field in zip(columns, line.split(b","), strict=True):
            token = field.strip().decode("ascii", "replace")
            if not _INTEGER.fullmatch(field):
                raise DataError(path, f"line {number}: {name} is {token!r}, not an integer")
            value = int(field)
            if value < 0 or value > (9 if name == "label" else 255):
                raise DataError(path, f"line {number}: {_out_of_range(name, token)}")


def _out_of_range(name: str, token: str) -> str:
    if name == "label":
        return f"label {token} is not a digit 0..9"
    return f"{name} is {token}, outside 0..255"


def _show(columns: list[str]) -> str:
    return ",".join(columns[:2]) + ",...," + columns[-1]


def _digit_table() -> np.ndarray:
    """[256, 4] uint8: the text 'ddd,' of each value, right-aligned, unused leading bytes NUL."""
    table = np.zeros((256, 4), np.uint8)
    for value in range(256):
        text = f"{value},".encode()
        table[value, 4 - len(text) :] = np.frombuffer(text, np.uint8)
    return table


_DIGITS = _digit_table()


def format_rows(values: np.ndarray) -> bytes:
    """Integers 0..255 [N, K] -> CSV text, one line per row, fast (no Python loop per value).

    Each value becomes a 4-byte slot 'ddd,' with NUL padding, which is then dropped; the last
    comma of each row becomes a newline.
    """
    v = np.asarray(values)
    if v.ndim != 2:
        raise ValueError(f"expected a 2-D array, got shape {v.shape}")
    if v.size and (v.min() < 0 or v.max() > 255):
        raise ValueError("values must be in 0..255")
    slots = _DIGITS[v.astype(np.uint8)]
    slots[:, -1, 3] = ord("\n")
    flat = slots.reshape(-1)
    return flat[flat != 0].tobytes()


def write_csv(path: str | os.PathLike, images: np.ndarray, labels: np.ndarray | None = None) -> Path:
    """Images uint8 [N, 28, 28] (ink high) and optional labels -> a Kaggle CSV (train.csv form when labelled)."""
    out = Path(path)
    pixels = np.asarray(images).reshape(len(images), -1)
    if pixels.shape[1] != SIDE * SIDE:
        raise ValueError(f"expected images of 28x28 pixels, got shape {np.shape(images)}")
    if labels is not None:
        labels = np.asarray(labels).reshape(-1, 1)
        if len(labels) != len(pixels):
            raise ValueError(f"{len(pixels)} images but {len(labels)} labels")
    header = LABELLED_HEADER if labels is not None else PIXELS
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "wb") as f:
            f.write((",".join(header) + "\n").encode())
            for start in range(0, len(pixels), CHUNK_ROWS):
                rows = pixels[start : start + CHUNK_ROWS]
                if labels is not None:
                    rows = np.hstack([labels[start : start + CHUNK_ROWS], rows])
                f.write(format_rows(rows))
    except OSError as exc:
        raise DataError(out, f"cannot write it ({exc.strerror or exc})") from None
    return out


def write_submission(path: str | os.PathLike, predictions: np.ndarray) -> Path:
    """Digits [N] -> Kaggle's submission.csv: 'ImageId,Label', ImageId counting from 1."""
    out = Path(path)
    ids = np.arange(1, len(predictions) + 1)
    text = "ImageId,Label\n" + "".join(f"{i},{int(d)}\n" for i, d in zip(ids, predictions, strict=True))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
    except OSError as exc:
        raise DataError(out, f"cannot write it ({exc.strerror or exc})") from None
    return out


def export_mnist_csv(data_dir: str | os.PathLike | None, out_dir: str | os.PathLike) -> list[Path]:
    """MNIST -> train.csv (label + pixels), test.csv (pixels) and test_labels.csv (ImageId,Label) in Kaggle's form.

    test_labels.csv has the form of a submission, so a submission can be scored against it.
    """
    from digitocr.data.mnist import load_split

    out = Path(out_dir)
    train_x, train_y = load_split("train", data_dir)
    test_x, test_y = load_split("test", data_dir)
    return [write_csv(out / "train.csv", train_x, train_y), write_csv(out / "test.csv", test_x),
            write_submission(out / "test_labels.csv", test_y)]


def predict_submission(csv_path: str | os.PathLike, out_path: str | os.PathLike,
                       model: str | os.PathLike | None = None, batch_size: int = 2000) -> int:
    """Classify Kaggle's test.csv and write submission.csv (ImageId,Label); returns how many rows."""
    from digitocr.classifier import Classifier

    classifier = Classifier(model)  # a bad model fails before a long parse
    images = read_unlabelled_csv(csv_path)
    digits = np.concatenate([  # never empty: a test.csv without rows is a DataError
        classifier.predict(images[i : i + batch_size].astype(np.float32) / 255.0).argmax(axis=1)
        for i in range(0, len(images), batch_size)
    ])
    write_submission(out_path, digits)
    return len(digits)
