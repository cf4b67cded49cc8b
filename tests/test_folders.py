"""Folders of labelled digit images: write, load back through MNIST-form preprocessing, errors, train on one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitocr.cli import main
from digitocr.data import folders, mnist
from digitocr.errors import DataError


@pytest.fixture(scope="module")
def digits(mnist_dir) -> tuple[np.ndarray, np.ndarray]:
    """100 MNIST test digits, 10 of each, in their original order."""
    images, labels = mnist.load_split("test", mnist_dir)
    keep = np.sort(np.concatenate([np.flatnonzero(labels == d)[:10] for d in range(10)]))
    return images[keep], labels[keep]


def test_write_then_load_gives_the_digits_back(tmp_path, digits):
    images, labels = digits
    paths = folders.write_image_folder(tmp_path, images, labels)
    assert len(paths) == 100 and all(p.parent.name == str(label) for p, label in zip(paths, labels, strict=True))
    with Image.open(paths[0]) as im:  # dark ink on light paper
        assert im.size == (28, 28) and np.asarray(im)[0, 0] == 255 and np.asarray(im).min() == 255 - images[0].max()
    x, y = folders.load_image_folder(tmp_path)
    order = np.argsort(labels, kind="stable")  # by digit folder, then by file name (= original order)
    assert x.dtype == np.uint8 and x.shape == (100, 28, 28)
    assert np.array_equal(y, labels[order])
    # The same digits again, ink high (re-preprocessing moves them a little): nearly every image is
    # closest to its own original, and correlates well with it.
    a = x.reshape(100, -1).astype(np.float32)
    b = images[order].reshape(100, -1).astype(np.float32)
    distances = ((a[:, None] - b[None]) ** 2).sum(axis=2)
    assert (distances.argmin(axis=1) == np.arange(100)).mean() >= 0.75  # 0.85 seen; 1s look alike
    assert np.mean([np.corrcoef(u, v)[0, 1] for u, v in zip(a, b, strict=True)]) > 0.75  # 0.83 seen, 0.26 unpaired


def test_any_size_and_format_dark_on_light(tmp_path, digits):
    images, labels = digits
    big = np.kron(255 - images[0], np.ones((6, 4), np.uint8))  # 168x112, stretched
    (tmp_path / str(labels[0])).mkdir()
    Image.fromarray(big).convert("RGB").save(tmp_path / str(labels[0]) / "scan.JPG", quality=95)
    (tmp_path / "3").mkdir()
    Image.fromarray(255 - images[1]).save(tmp_path / "3" / "b.bmp")
    (tmp_path / "3" / "notes.txt").write_text("not an image, ignored")
    (tmp_path / "3" / ".hidden.png").write_bytes(b"macOS resource fork, ignored")
    (tmp_path / "cats").mkdir()  # not a digit: ignored
    x, y = folders.load_image_folder(tmp_path)
    assert sorted(y.tolist()) == sorted([int(labels[0]), 3])
    for image in x:  # MNIST's form: ink high, paper 0, centre of mass at the centre
        assert image.max() > 200 and image[0].max() == 0 and (image > 0).mean() < 0.5
        ys, xs = np.indices(image.shape)
        weight = image.astype(np.float64) / image.sum()
        assert abs((ys * weight).sum() - 13.5) < 1 and abs((xs * weight).sum() - 13.5) < 1


def test_unreadable_image_is_named(tmp_path, digits):
    folders.write_image_folder(tmp_path, *digits)
    bad = tmp_path / "4" / "zz_broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n this is not really a PNG")
    with pytest.raises(DataError) as err:
        folders.load_image_folder(tmp_path)
    assert str(err.value).startswith(f"{bad}: ")


def test_missing_root(tmp_path):
    with pytest.raises(DataError) as err:
        folders.load_image_folder(tmp_path / "nope")
    assert str(err.value) == f"{tmp_path / 'nope'}: no such folder"


def test_no_digit_subfolders(tmp_path):
    (tmp_path / "seven").mkdir()
    Image.new("L", (28, 28), 255).save(tmp_path / "seven" / "a.png")
    with pytest.raises(DataError) as err:
        folders.load_image_folder(tmp_path)
    assert str(err.value) == f"{tmp_path}: no digit subfolders 0..9 (expected DIR/0/*.png ... DIR/9/*.png)"


def test_no_images(tmp_path):
    (tmp_path / "1").mkdir()
    (tmp_path / "1" / "readme.txt").write_text("hi")
    with pytest.raises(DataError, match=r": no images in its digit subfolders \(\.png, \.jpg"):
        folders.load_image_folder(tmp_path)


def test_a_file_instead_of_a_folder(tmp_path):
    path = tmp_path / "digits.zip"
    path.write_bytes(b"PK")
    with pytest.raises(DataError, match=r"digits\.zip: not a folder \(expected DIR/0/\*\.png"):
        folders.load_image_folder(path)


def test_cli_train_on_an_image_folder(tmp_path, digits, capsys):
    folders.write_image_folder(tmp_path / "mine", *digits)
    run = tmp_path / "run"
    assert main(["train", "--images", str(tmp_path / "mine"), "--epochs", "1", "--arch", "baseline",
                 "--out", str(run), "--quiet"]) == 0
    assert f"image folder {tmp_path / 'mine'}: 100 images" in capsys.readouterr().out
    assert (run / "model.onnx").stat().st_size > 0


def test_cli_train_on_a_broken_folder_exits_2(tmp_path, capsys):
    assert main(["train", "--images", str(tmp_path / "none"), "--epochs", "1", "--out", str(tmp_path / "r")]) == 2
    assert capsys.readouterr().err == f"digitocr: error: {tmp_path / 'none'}: no such folder\n"


def test_write_rejects_bad_input(tmp_path):
    with pytest.raises(ValueError, match="labels must be digits"):
        folders.write_image_folder(tmp_path, np.zeros((1, 28, 28), np.uint8), np.array([10]))
    with pytest.raises(ValueError, match="uint8"):
        folders.write_image_folder(tmp_path, np.zeros((1, 28, 28), np.float32), np.array([1]))
    assert not any(Path(tmp_path).iterdir())
