"""Shipping a run as digit_classifier: the files, their metadata, and the test figure measured once."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from digitocr.classifier import Classifier
from digitocr.cli import main
from digitocr.data.mnist import FILES, load_split
from digitocr.training.card import INT8_TOLERANCE, render_card, ship, train_command

COMMAND = "digitocr train --arch baseline --epochs 1 --limit 3000 --val-size 500 --out RUN"


@pytest.fixture(scope="module")
def shipped(tiny_run, mnist_dir, tmp_path_factory):
    dest = tmp_path_factory.mktemp("assets")
    path = ship(tiny_run, dest, data_dir=mnist_dir, command=COMMAND)
    return dest, path


def test_ship_writes_model_metadata_card_and_curves(shipped):
    dest, path = shipped
    assert path == dest / "digit_classifier.onnx"
    names = sorted(p.name for p in dest.iterdir())
    assert names == ["digit_classifier.json", "digit_classifier.md", "digit_classifier.onnx",
                     "digit_classifier_learning_curves.png"]  # and no staging folder left behind


def test_metadata_sha256_matches_the_shipped_file(shipped, tiny_run):
    dest, path = shipped
    meta = json.loads((dest / "digit_classifier.json").read_text())
    assert meta["name"] == "digit_classifier"
    assert meta["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert Classifier(path).sha256 == meta["sha256"]


def test_int8_is_shipped_only_when_validation_says_it_is_as_accurate(shipped, tiny_run):
    dest, path = shipped
    q = json.loads((dest / "digit_classifier.json").read_text())["quantization"]
    as_good = q["val_accuracy_int8"] >= q["val_accuracy_float32"] - INT8_TOLERANCE
    assert q["precision"] == ("int8" if as_good else "float32")
    run_bytes = (tiny_run / "model.onnx").read_bytes()
    assert (path.read_bytes() == run_bytes) == (q["precision"] == "float32")
    assert q["precision"] in (dest / "digit_classifier.md").read_text().split("numeric precision | ")[1]


def test_float32_ships_the_run_model_as_it_is(tiny_run, mnist_dir, tmp_path):
    path = ship(tiny_run, tmp_path, data_dir=mnist_dir, command=COMMAND, quantize=False)
    assert path.read_bytes() == (tiny_run / "model.onnx").read_bytes()
    assert json.loads((tmp_path / "digit_classifier.json").read_text())["quantization"] == {"precision": "float32"}


def test_metadata_carries_run_facts(shipped, tiny_run):
    dest, _ = shipped
    meta = json.loads((dest / "digit_classifier.json").read_text())
    metrics = json.loads((tiny_run / "metrics.json").read_text())
    assert meta["arch"] == "baseline"
    assert meta["val_accuracy"] == metrics["val_accuracy"]
    assert meta["seed"] == 0 and meta["epochs"] == 1
    assert meta["parameters"] == metrics["parameters"]
    assert meta["command"] == COMMAND
    assert meta["data"]["checksums"] == {spec.name: spec.md5 for spec in FILES.values()}
    assert sum(c["images"] for c in meta["test"]["per_class"].values()) == 10_000


def test_card_names_the_command_and_the_checksums(shipped):
    dest, _ = shipped
    card = (dest / "digit_classifier.md").read_text()
    meta = json.loads((dest / "digit_classifier.json").read_text())
    assert COMMAND in card
    for spec in FILES.values():
        assert spec.md5 in card and spec.name in card
    assert f"{100 * meta['test_accuracy']:.2f}%" in card
    assert meta["sha256"] in card


def test_test_accuracy_is_what_the_classifier_gives(shipped, mnist_dir):
    dest, path = shipped
    meta = json.loads((dest / "digit_classifier.json").read_text())
    images, labels = load_split("test", mnist_dir)
    predicted = np.concatenate([Classifier(path).predict(images[i : i + 2500] / 255.0).argmax(1)
                                for i in range(0, len(images), 2500)])
    assert meta["test_accuracy"] == pytest.approx(float((predicted == labels).mean()), abs=1e-5)
    assert meta["test"]["errors"] == int((predicted != labels).sum())
    for digit in range(10):
        mask = labels == digit
        assert meta["test"]["per_class"][str(digit)]["errors"] == int((predicted[mask] != digit).sum())


def test_reconstructed_command_reproduces_the_run_config(tiny_run, mnist_dir):
    from digitocr.cli import build_parser

    config = json.loads((tiny_run / "config.json").read_text())
    command = train_command(config, tiny_run)
    args = build_parser().parse_args(__import__("shlex").split(command)[1:])
    assert args.arch == "baseline" and args.epochs == 1 and args.limit == 3000 and args.val_size == 500
    assert args.data == str(mnist_dir)
    assert json.loads(args.params)["weight_decay"] == config["weight_decay"]
    assert "signs" not in json.loads(args.params)  # a run without signs among its negatives asks for none
    signed = train_command({**config, "signs": 0.15}, tiny_run)
    assert json.loads(build_parser().parse_args(__import__("shlex").split(signed)[1:]).params)["signs"] == 0.15


def test_cli_export(tiny_run, mnist_dir, tmp_path, capsys):
    assert main(["export", str(tiny_run), "--dest", str(tmp_path), "--data", str(mnist_dir)]) == 0
    assert "digit_classifier.onnx" in capsys.readouterr().out
    meta = json.loads((tmp_path / "digit_classifier.json").read_text())
    assert meta["command"].startswith("digitocr train --arch baseline") and not meta["command_given"]


def test_export_refuses_an_unfinished_run(tmp_path, mnist_dir, capsys):
    (tmp_path / "run").mkdir()
    assert main(["export", str(tmp_path / "run"), "--dest", str(tmp_path / "dest"), "--data", str(mnist_dir)]) == 2
    assert "model.onnx" in capsys.readouterr().err
    assert not (tmp_path / "dest" / "digit_classifier.onnx").exists()


def test_the_card_names_the_augmentations_asked_for():

    meta = json.loads((Path(__file__).resolve().parents[1] / "src/digitocr/assets/digit_classifier.json").read_text())
    card = render_card(meta, [])  # the shipped run's
    assert "a crisp pen's redrawing for 25% of the digits" in card
    assert "a flag on 15% of the 1s and a bar across as many 7s" in card
    assert "A 1 with a flag and a crossed 7 were drawn into training" in card  # and its limits say so
    meta["config"]["augment_params"] = {"recut_p": 0.25, "european_p": 0.3}
    assert "a flag on 30% of the 1s and a bar across as many 7s" in render_card(meta, [])
    meta["config"]["augment_params"] = {"recut_p": 0.25}
    assert "Europe" not in render_card(meta, [])
    assert "habits (a 1 with a long flag, a crossed 7, a closed-top 4) are rarer" in render_card(meta, [])


def test_the_card_says_where_the_run_trained():
    meta = json.loads((Path(__file__).resolve().parents[1] / "src/digitocr/assets/digit_classifier.json").read_text())
    meta["training"].pop("trained_on", None)  # a run from before runs recorded it: where it was shipped
    machine = meta["machine"]
    assert f"({machine['cpu_count']} CPU cores, {machine['platform']}; torch {machine['torch']})" in render_card(
        meta, [])
    meta["training"]["trained_on"] = {"device": "NVIDIA H100 80GB HBM3", "cpu_cores": 4, "platform": "Linux-x",
                                      "torch": "2.11.0+cu130"}
    assert "(an NVIDIA H100 80GB HBM3 GPU and 4 CPU cores, Linux-x; torch 2.11.0+cu130)" in render_card(meta, [])
    meta["training"]["trained_on"]["device"] = "cpu"
    assert "(4 CPU cores, Linux-x; torch 2.11.0+cu130)" in render_card(meta, [])
