"""Training: one epoch on a small subset writes every file; ONNX agrees with PyTorch; resume; seeds."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
import torch

from digitocr.classifier import Classifier
from digitocr.cli import main
from digitocr.data.mnist import load_split, split_validation
from digitocr.data.sources import load_dataset
from digitocr.errors import DigitocrError
from digitocr.models import ARCHITECTURES, build_model
from digitocr.training import fit
from digitocr.training.fit import HISTORY_FIELDS, TrainConfig, train, training_device

RUN_FILES = ["config.json", "last.pt", "best.pt", "history.csv", "learning_curves.png", "model.onnx", "model.json",
             "metrics.json"]


def small_config(**overrides) -> TrainConfig:
    base = {"arch": "baseline", "epochs": 1, "limit": 1200, "val_size": 200, "seed": 3, "batch_size": 64}
    return TrainConfig(**{**base, **overrides})


def history_without_times(run) -> list[dict]:
    with open(run / "history.csv", newline="") as f:
        return [{k: v for k, v in row.items() if k != "seconds"} for row in csv.DictReader(f)]


def test_one_epoch_writes_every_file(tiny_run):
    for name in RUN_FILES:
        assert (tiny_run / name).stat().st_size > 0, name
    assert (tiny_run / "learning_curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with open(tiny_run / "history.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == HISTORY_FIELDS and len(rows) == 1
    metrics = json.loads((tiny_run / "metrics.json").read_text())
    assert metrics["train_images"] == 2700 and metrics["val_images"] == 300  # 3,000 images: split capped at 10%
    assert 0.5 < metrics["val_accuracy"] <= 1.0  # one epoch of the baseline on 2,700 digits learns something
    meta = json.loads((tiny_run / "model.json").read_text())
    assert meta["output"]["kind"] == "probabilities" and meta["input"]["shape"] == ["batch", 1, 28, 28]


def test_onnx_export_agrees_with_pytorch(tiny_run, mnist_dir):
    images, _ = load_split("test", mnist_dir)
    x = images[:200]
    model = build_model("baseline")
    model.load_state_dict(torch.load(tiny_run / "best.pt", weights_only=True))
    model.eval()
    temperature = json.loads((tiny_run / "metrics.json").read_text())["temperature"]
    with torch.no_grad():
        expected = torch.softmax(model(fit.to_tensor(x)) / temperature, 1).numpy()
    got = Classifier(tiny_run / "model.onnx").predict(x.astype(np.float32) / 255)
    np.testing.assert_allclose(got, expected, atol=1e-5)
    assert (got.argmax(1) == expected.argmax(1)).all()


def test_same_seed_same_run_and_other_seed_differs(tmp_path, mnist_dir):
    data = load_dataset(data=str(mnist_dir))
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        train(small_config(seed=seed), data, tmp_path / name, progress=False)
    assert history_without_times(tmp_path / "a") == history_without_times(tmp_path / "b")
    assert history_without_times(tmp_path / "a") != history_without_times(tmp_path / "c")


def test_resume_after_interruption_matches_unbroken_run(tmp_path, mnist_dir, monkeypatch):
    data = load_dataset(data=str(mnist_dir))
    config = small_config(epochs=2)
    train(config, data, tmp_path / "unbroken", progress=False)

    real_evaluate, calls = fit.evaluate_split, []

    def interrupted(*args, **kwargs):  # the machine "stops" while validating epoch 2
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_evaluate(*args, **kwargs)

    monkeypatch.setattr(fit, "evaluate_split", interrupted)
    with pytest.raises(KeyboardInterrupt):
        train(config, data, tmp_path / "broken", progress=False)
    assert len(history_without_times(tmp_path / "broken")) == 1
    monkeypatch.setattr(fit, "evaluate_split", real_evaluate)
    train(config, data, tmp_path / "broken", resume=True, progress=False)
    assert history_without_times(tmp_path / "broken") == history_without_times(tmp_path / "unbroken")


def test_resume_with_other_settings_is_refused(tmp_path, mnist_dir):
    data = load_dataset(data=str(mnist_dir))
    train(small_config(), data, tmp_path, progress=False)
    with pytest.raises(DigitocrError, match="other settings"):
        train(small_config(lr=0.01), data, tmp_path, resume=True, progress=False)


def test_validation_split_is_disjoint_seeded_and_capped():
    train_idx, val_idx = split_validation(1000, 5000, seed=1)
    assert len(val_idx) == 100 and len(train_idx) == 900
    assert not set(train_idx) & set(val_idx)
    assert (split_validation(1000, 5000, seed=1)[1] == val_idx).all()
    assert not (split_validation(1000, 5000, seed=2)[1] == val_idx).all()


@pytest.mark.parametrize("arch", sorted(ARCHITECTURES))
def test_every_architecture_maps_digits_to_ten_scores(arch):
    model = build_model(arch).eval()
    assert model(torch.zeros(5, 1, 28, 28)).shape == (5, 10)


def test_unknown_architecture_is_named():
    with pytest.raises(ValueError, match="unknown architecture 'resnet'.*cnn"):
        build_model("resnet")


def test_cli_train_with_params_and_mlp(tmp_path, mnist_dir, capsys):
    code = main(["train", "--arch", "mlp", "--epochs", "1", "--limit", "1000", "--data", str(mnist_dir),
                 "--out", str(tmp_path / "run"), "--params", '{"hidden": 64, "lr": 0.002}', "--quiet"])
    assert code == 0
    config = json.loads((tmp_path / "run" / "config.json").read_text())
    assert config["model_params"] == {"hidden": 64} and config["lr"] == 0.002
    assert "best validation accuracy" in capsys.readouterr().out


def test_cli_train_without_data_says_how_to_give_it(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("DIGITOCR_DATA", raising=False)
    assert main(["train", "--out", str(tmp_path), "--epochs", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("digitocr: error: --data: no MNIST folder given") and "\n" not in err


def test_early_stopping_waits_for_the_learning_rate_to_anneal():
    from digitocr.training.fit import stopping_armed

    assert not stopping_armed(20, 40)  # mid-schedule plateau: keep going
    assert not stopping_armed(30, 40)
    assert stopping_armed(31, 40)
    assert stopping_armed(2, 1)  # a one-epoch run has no schedule to wait for


def test_patience_ends_a_run_only_in_the_last_quarter(tmp_path, mnist_dir):
    data = load_dataset(data=str(mnist_dir))
    metrics = train(small_config(epochs=4, patience=0, limit=600), data, tmp_path, progress=False)
    # patience 0 is "stale" from the start, yet epochs 1-3 run; epoch 4 (> 3/4 of 4) may stop.
    assert metrics["epochs_run"] == 3


def test_device_auto_is_the_cpu_without_a_gpu_and_cuda_is_refused_there(monkeypatch, tmp_path, mnist_dir, capsys):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert training_device("auto") == torch.device("cpu")
    with pytest.raises(DigitocrError, match="--device tpu: give cpu, cuda or auto"):
        training_device("tpu")
    code = main(["train", "--arch", "mlp", "--epochs", "1", "--limit", "1000", "--data", str(mnist_dir),
                 "--out", str(tmp_path / "run"), "--device", "cuda", "--quiet"])
    assert code == 2
    assert capsys.readouterr().err.strip() == "digitocr: error: --device cuda: torch sees no GPU on this machine"
    assert not (tmp_path / "run").exists()


def test_a_run_records_where_it_trained(tiny_run):
    where = json.loads((tiny_run / "metrics.json").read_text())["trained_on"]
    assert where["device"] == "cpu" and where["cpu_cores"] >= 1 and where["torch"] == torch.__version__
