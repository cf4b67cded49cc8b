"""Hyperparameter search: a resumable Optuna study on the validation split, best_params.json for train."""

from __future__ import annotations

import json

import optuna
import pytest

import digitocr.data.mnist as mnist
from digitocr.cli import main
from digitocr.training.tune import tune


@pytest.fixture(scope="module")
def study_dir(tmp_path_factory, mnist_dir):
    """Two trials of the baseline, then the study resumed for one more: (folder, first best, second best)."""
    out = tmp_path_factory.mktemp("tune")
    real = mnist.load_split

    def train_split_only(split, *args, **kwargs):
        assert split == "train", "tuning must never read the test set"
        return real(split, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(mnist, "load_split", train_split_only)
        first = tune("baseline", trials=2, epochs=1, out_dir=out, data_dir=mnist_dir, limit=1500, seed=0)
        written_first = json.loads((out / "best_params.json").read_text())
        second = tune("baseline", trials=1, epochs=1, out_dir=out, data_dir=mnist_dir, limit=1500, seed=0)
    return out, first, written_first, second


def test_tune_writes_study_and_best_params(study_dir):
    out, first, written_first, _ = study_dir
    assert (out / "study.db").is_file()
    assert written_first == first
    assert set(first) == {"lr", "dropout"}
    assert 3e-4 <= first["lr"] <= 5e-3 and 0.1 <= first["dropout"] <= 0.5
    for n in range(3):
        assert (out / f"trial_{n}" / "history.csv").is_file()


def test_tune_resumes_the_same_study(study_dir):
    out, _, _, second = study_dir
    study = optuna.load_study(study_name="digitocr-baseline", storage=f"sqlite:///{out / 'study.db'}")
    trials = study.trials
    assert [t.number for t in trials] == [0, 1, 2]
    assert all(t.state == optuna.trial.TrialState.COMPLETE for t in trials)
    assert trials[2].params != trials[0].params  # the resumed sampler does not replay the first draws
    assert json.loads((out / "best_params.json").read_text()) == second == study.best_params
    best = max(trials, key=lambda t: t.value)
    assert best.value == study.best_value
    metrics = json.loads((out / f"trial_{best.number}" / "metrics.json").read_text())
    assert metrics["val_accuracy"] == pytest.approx(best.value)


def test_best_params_are_accepted_by_train(study_dir, mnist_dir, tmp_path):
    out, _, _, second = study_dir
    run = tmp_path / "run"
    assert main(["train", "--arch", "baseline", "--epochs", "1", "--limit", "1500", "--data", str(mnist_dir),
                 "--params", str(out / "best_params.json"), "--out", str(run), "--quiet"]) == 0
    config = json.loads((run / "config.json").read_text())
    assert config["lr"] == second["lr"]
    assert config["model_params"] == {"dropout": second["dropout"]}


def test_tune_rejects_an_unknown_architecture(tmp_path, mnist_dir, capsys):
    assert main(["tune", "--arch", "resnet", "--trials", "1", "--epochs", "1", "--limit", "500",
                 "--data", str(mnist_dir), "--out", str(tmp_path)]) == 2
    assert "resnet" in capsys.readouterr().err


def test_trials_behind_the_median_are_pruned(tmp_path, monkeypatch):
    """With a stand-in for train() whose accuracy grows with lr, slow learners are stopped at epoch 2 or later."""
    import numpy as np

    import digitocr.training.tune as tune_module
    from digitocr.data.sources import Dataset

    epochs_run = {}

    def fake_train(config, data, out_dir, resume=False, progress=True, on_epoch=None):
        assert config.arch == "baseline" and config.limit == 100 and config.seed == 3
        for epoch in range(1, config.epochs + 1):
            epochs_run[str(out_dir)] = epoch
            on_epoch(epoch, {"epoch": epoch, "val_acc": round(config.lr * 50 * epoch, 5)})
        return {"val_accuracy": config.lr * 50 * config.epochs, "best_epoch": config.epochs, "train_seconds": 0.0}

    monkeypatch.setattr(tune_module, "train", fake_train)
    monkeypatch.setattr(tune_module, "load_dataset", lambda data: Dataset(np.zeros((100, 28, 28), np.uint8),
                                                                         np.zeros(100, np.int64), "fake"))
    best = tune("baseline", trials=6, epochs=4, out_dir=tmp_path, limit=100, seed=3)
    study = optuna.load_study(study_name="digitocr-baseline", storage=f"sqlite:///{tmp_path / 'study.db'}")
    pruned = [t for t in study.trials if t.state == optuna.trial.TrialState.PRUNED]
    assert pruned, "no trial was pruned"
    assert all(t.last_step >= 2 for t in pruned)  # never on the first, noisy epoch
    assert all(epochs_run[str(tmp_path / f"trial_{t.number}")] == t.last_step < 4 for t in pruned)
    completed = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    assert best == max(completed, key=lambda t: t.value).params
