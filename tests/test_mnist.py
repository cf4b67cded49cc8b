"""The MNIST IDX loader: good files load; each kind of broken copy is a DataError naming the file."""

from __future__ import annotations

import dataclasses
import gzip
import struct
from pathlib import Path

import numpy as np
import pytest

from digitocr.cli import main
from digitocr.data import mnist
from digitocr.errors import DataError

TEST_LABELS = "t10k-labels-idx1-ubyte"
TEST_IMAGES = "t10k-images-idx3-ubyte"


@pytest.fixture
def mnist_copy(tmp_path, mnist_dir) -> Path:
    """A folder of symlinks to the shared files; tests replace one with a broken copy via `put`."""
    folder = tmp_path / "mnist"
    folder.mkdir()
    for spec in mnist.FILES.values():
        (folder / f"{spec.name}.gz").symlink_to(mnist_dir / f"{spec.name}.gz")
    return folder


def put(path: Path, data: bytes) -> Path:
    """Write a real file where a symlink to the shared (read-only) data may be."""
    path.unlink(missing_ok=True)
    path.write_bytes(data)
    return path


def labels_content(mnist_dir: Path) -> bytes:
    return gzip.decompress((mnist_dir / f"{TEST_LABELS}.gz").read_bytes())


def test_good_files_load_with_shapes_and_first_labels(mnist_dir):
    images, labels = mnist.load_split("train", mnist_dir)
    assert images.shape == (60_000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (60_000,) and labels.dtype == np.uint8
    assert labels[:5].tolist() == [5, 0, 4, 1, 9]
    images, labels = mnist.load_split("test", mnist_dir)
    assert images.shape == (10_000, 28, 28)
    assert labels[:5].tolist() == [7, 2, 1, 0, 4]
    assert images.max() == 255 and images[0, 0, 0] == 0  # ink high, paper 0


def test_uncompressed_files_load_too(tmp_path, mnist_dir):
    for name in (TEST_IMAGES, TEST_LABELS):
        (tmp_path / name).write_bytes(gzip.decompress((mnist_dir / f"{name}.gz").read_bytes()))
    images, labels = mnist.load_split("test", tmp_path)
    ref_images, ref_labels = mnist.load_split("test", mnist_dir)
    assert np.array_equal(images, ref_images) and np.array_equal(labels, ref_labels)


def test_checksum_mismatch_names_the_file(mnist_copy, mnist_dir):
    content = bytearray(labels_content(mnist_dir))
    content[8] = (content[8] + 1) % 10  # still a valid label: only the checksum can tell
    path = put(mnist_copy / f"{TEST_LABELS}.gz", gzip.compress(bytes(content)))
    with pytest.raises(DataError) as err:
        mnist.load_split("test", mnist_copy)
    assert str(err.value).startswith(f"{path}: checksum mismatch: MD5 of its decompressed bytes is ")
    assert str(err.value).endswith(f"expected {mnist.FILES['test-labels'].md5}")
    images, labels = mnist.load_split("test", mnist_copy, verify=False)  # the damage itself is small
    assert labels[0] != 7 and labels[1:5].tolist() == [2, 1, 0, 4]


def test_truncated_gzip_names_the_file(mnist_copy, mnist_dir):
    raw = (mnist_dir / f"{TEST_IMAGES}.gz").read_bytes()
    path = put(mnist_copy / f"{TEST_IMAGES}.gz", raw[: len(raw) // 2])
    with pytest.raises(DataError) as err:
        mnist.load_split("test", mnist_copy)
    assert str(err.value) == f"{path}: truncated gzip (the download was cut short?)"


def test_corrupt_gzip_names_the_file(mnist_copy, mnist_dir):
    raw = bytearray((mnist_dir / f"{TEST_LABELS}.gz").read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    raw[-8] ^= 0xFF  # the CRC too, so the damage cannot pass
    path = put(mnist_copy / f"{TEST_LABELS}.gz", bytes(raw))
    with pytest.raises(DataError) as err:
        mnist.load_split("test", mnist_copy)
    assert str(err.value).startswith(f"{path}: corrupt gzip (")


def test_wrong_magic_number_names_the_file(mnist_copy, mnist_dir):
    content = struct.pack(">I", 2051) + labels_content(mnist_dir)[4:]
    path = put(mnist_copy / f"{TEST_LABELS}.gz", gzip.compress(content))
    with pytest.raises(DataError) as err:
        mnist.load_split("test", mnist_copy, verify=False)
    assert str(err.value) == f"{path}: wrong magic number 2051 (expected 2049)"


def test_data_shorter_than_the_header_declares(mnist_copy, mnist_dir):
    path = put(mnist_copy / TEST_LABELS, labels_content(mnist_dir)[:-1])  # the plain file is found first
    with pytest.raises(DataError) as err:
        mnist.load_split("test", mnist_copy, verify=False)
    assert str(err.value) == f"{path}: holds 9999 data bytes, its header declares 10000 (10000)"


def test_fewer_labels_than_expected(mnist_copy, mnist_dir):
    content = labels_content(mnist_dir)
    short = struct.pack(">II", 2049, 9999) + content[8:-1]
    path = put(mnist_copy / f"{TEST_LABELS}.gz", gzip.compress(short))
    with pytest.raises(DataError) as err:
        mnist.load_split("test", mnist_copy, verify=False)
    assert str(err.value) == f"{path}: holds 9999 items, expected 10000"


def test_image_and_label_counts_must_agree(mnist_copy, mnist_dir, monkeypatch):
    # A labels file that is self-consistent but one short; the spec is relaxed so only the pairing can catch it.
    content = labels_content(mnist_dir)
    put(mnist_copy / f"{TEST_LABELS}.gz", gzip.compress(struct.pack(">II", 2049, 9999) + content[8:-1]))
    monkeypatch.setitem(mnist.FILES, "test-labels", dataclasses.replace(mnist.FILES["test-labels"], count=9999))
    with pytest.raises(DataError) as err:
        mnist.load_split("test", mnist_copy, verify=False)
    assert str(err.value) == f"{mnist_copy}: 10000 test images but 9999 labels"


def test_label_that_is_not_a_digit(mnist_copy, mnist_dir):
    content = bytearray(labels_content(mnist_dir))
    content[8 + 3] = 10
    path = put(mnist_copy / f"{TEST_LABELS}.gz", gzip.compress(bytes(content)))
    with pytest.raises(DataError) as err:
        mnist.load_split("test", mnist_copy, verify=False)
    assert str(err.value) == f"{path}: label 10 is not a digit"


def test_missing_file_names_it(mnist_copy):
    (mnist_copy / f"{TEST_LABELS}.gz").unlink()
    with pytest.raises(DataError) as err:
        mnist.load_split("test", mnist_copy)
    assert str(err.value) == f"{mnist_copy / TEST_LABELS}.gz: missing (neither it nor the uncompressed file is there)"


def test_no_folder_given(monkeypatch):
    monkeypatch.delenv(mnist.DATA_ENV, raising=False)
    with pytest.raises(DataError, match=r"^--data: no MNIST folder given"):
        mnist.load_split("test")


def test_cli_verify_good_folder(mnist_dir, capsys):
    assert main(["data", "verify", "--data", str(mnist_dir)]) == 0
    out = capsys.readouterr().out
    assert "train: 60000 images" in out and "test: 10000 images" in out
    assert f"{TEST_LABELS}  md5 {mnist.FILES['test-labels'].md5}  ok" in out


def test_cli_verify_broken_folder_exits_2_with_one_line(mnist_copy, mnist_dir, capsys):
    raw = (mnist_dir / f"{TEST_LABELS}.gz").read_bytes()
    path = put(mnist_copy / f"{TEST_LABELS}.gz", raw[:100])
    assert main(["data", "verify", "--data", str(mnist_copy)]) == 2
    err = capsys.readouterr().err
    assert err == f"digitocr: error: {path}: truncated gzip (the download was cut short?)\n"
