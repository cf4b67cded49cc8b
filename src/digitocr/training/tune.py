"""Hyperparameter search with Optuna, on the validation split only (the test set is never touched).

A study folder holds:
  study.db           the Optuna study (SQLite); running `tune` again on the same folder resumes it
  trial_N/           each trial's run folder (history.csv, model.onnx, ...; a pruned trial stops early)
  best_params.json   the best trial's parameters, in the form `digitocr train --params` takes

Each trial trains with `train()` for a few epochs and reports its per-epoch validation accuracy, so
that the median pruner can stop trials that fall behind the others at the same epoch.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import optuna

from digitocr.data.sources import load_dataset
from digitocr.errors import DigitocrError
from digitocr.training.fit import TrainConfig, train

# Keys of best_params.json that `digitocr train --params` puts into TrainConfig; the rest are model parameters.
TRAIN_KEYS = ("lr", "weight_decay", "label_smoothing")
ARCHES = ("cnn", "mlp", "baseline")  # the architectures with a search space


def suggest(trial: optuna.Trial, arch: str) -> dict:
    """The search space of one architecture: a flat dict of training and model parameters."""
    if arch == "cnn":
        return {
            "lr": trial.suggest_float("lr", 5e-4, 5e-3, log=True),
            "weight_decay": trial.suggest_float("weight_decay", 1e-5, 1e-3, log=True),
            "width": trial.suggest_categorical("width", [24, 32, 48]),
            "dropout": trial.suggest_float("dropout", 0.2, 0.5),
            "label_smoothing": trial.suggest_float("label_smoothing", 0.0, 0.1),
        }
    if arch == "mlp":
        return {
            "lr": trial.suggest_float("lr", 3e-4, 5e-3, log=True),
            "hidden": trial.suggest_categorical("hidden", [256, 512, 1024]),
            "layers": trial.suggest_int("layers", 1, 3),
            "dropout": trial.suggest_float("dropout", 0.0, 0.5),
        }
    if arch == "baseline":
        return {
            "lr": trial.suggest_float("lr", 3e-4, 5e-3, log=True),
            "dropout": trial.suggest_float("dropout", 0.1, 0.5),
        }
    raise DigitocrError(f"no search space for architecture {arch!r}: choose one of {', '.join(ARCHES)}")


def trial_config(arch: str, params: dict, epochs: int, limit: int | None, seed: int) -> TrainConfig:
    """The TrainConfig of one trial, built from `params` the way `digitocr train --params` builds it."""
    config = TrainConfig(arch=arch, epochs=epochs, seed=seed, limit=limit)
    for key in TRAIN_KEYS:
        if key in params:
            setattr(config, key, params[key])
    config.model_params = {k: v for k, v in params.items() if k not in TRAIN_KEYS}
    return config


def _storage_url(out: Path) -> str:
    return f"sqlite:///{(out / 'study.db').resolve()}"


def _trials_so_far(study_name: str, storage: str) -> int:
    try:
        return len(optuna.load_study(study_name=study_name, storage=storage).trials)
    except KeyError:  # no such study yet
        return 0


def tune(arch: str, trials: int, epochs: int, out_dir: str | os.PathLike, data_dir: str | os.PathLike | None = None,
         limit: int | None = None, seed: int = 0, timeout: float | None = None) -> dict:
    """Run `trials` more trials of the study in `out_dir` (created or resumed); returns the best parameters.

    Every trial trains with the same seed, so the validation split is the same for all of them and
    only the parameters differ. The objective is the best validation accuracy of the trial.
    """
    if trials < 1:
        raise DigitocrError("--trials must be at least 1")
    if epochs < 1:
        raise DigitocrError("--epochs must be at least 1")
    if arch not in ARCHES:
        raise DigitocrError(f"no search space for architecture {arch!r}: choose one of {', '.join(ARCHES)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    dataset = load_dataset(data=None if data_dir is None else str(data_dir))
    study_name = f"digitocr-{arch}"
    storage = _storage_url(out)
    before = _trials_so_far(study_name, storage)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    # A resumed study gets a sampler seeded past the trials already run, so it does not repeat their draws.
    study = optuna.create_study(
        study_name=study_name, storage=storage, direction="maximize", load_if_exists=True,
        sampler=optuna.samplers.TPESampler(seed=seed + before, n_startup_trials=5),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=2),
    )
    if before:
        print(f"resuming study {study_name} in {out}: {before} trials so far")
    print(f"tuning {arch} on {dataset.source}: {trials} trials of {epochs} epochs -> {out}", flush=True)

    def objective(trial: optuna.Trial) -> float:
        params = suggest(trial, arch)
        run_dir = out / f"trial_{trial.number}"
        trial.set_user_attr("run_dir", str(run_dir))

        def report(epoch: int, row: dict) -> None:
            trial.report(float(row["val_acc"]), epoch)
            if trial.should_prune():
                raise optuna.TrialPruned(f"validation accuracy {row['val_acc']:.4f} below the median at epoch {epoch}")

        metrics = train(trial_config(arch, params, epochs, limit, seed), dataset, run_dir, progress=False,
                        on_epoch=report)
        trial.set_user_attr("best_epoch", metrics["best_epoch"])
        trial.set_user_attr("train_seconds", metrics["train_seconds"])
        return float(metrics["val_accuracy"])

    def announce(study: optuna.Study, frozen: optuna.trial.FrozenTrial) -> None:
        shown = ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in frozen.params.items())
        if frozen.state == optuna.trial.TrialState.COMPLETE:
            outcome = f"val_acc {frozen.value:.4f}"
        elif frozen.state == optuna.trial.TrialState.PRUNED:
            outcome = f"pruned after epoch {frozen.last_step}"
        else:
            outcome = frozen.state.name.lower()
        print(f"trial {frozen.number}: {outcome}  ({shown})", flush=True)

    started = time.time()
    study.optimize(objective, n_trials=trials, timeout=timeout, callbacks=[announce], gc_after_trial=True)
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    if not complete:
        raise DigitocrError(f"{out}: no trial of study {study_name} has completed yet (all pruned or failed)")
    best = study.best_trial
    best_params = dict(best.params)
    (out / "best_params.json").write_text(json.dumps(best_params, indent=2) + "\n")
    print(f"{len(study.trials) - before} trials in {time.time() - started:.0f}s; study has {len(study.trials)} "
          f"({len(complete)} complete). Best: trial {best.number}, val_acc {best.value:.4f} "
          f"({best.user_attrs.get('run_dir', '')}); parameters in {out / 'best_params.json'}")
    return best_params
