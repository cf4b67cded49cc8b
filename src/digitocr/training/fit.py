"""The training loop: validation split, augmentation, early stopping, best checkpoint, resume.

A run folder holds everything one training run makes:
  config.json          what was asked (architecture, seed, hyperparameters, data)
  last.pt              the state after the latest epoch, for --resume after an interruption
  best.pt              the weights with the best validation accuracy so far
  history.csv          per-epoch loss and accuracy, training and validation
  learning_curves.png  the same as a picture
  model.onnx/.json     the best weights exported under the model contract (DESIGN.md)
  metrics.json         validation figures of the exported model
"""

from __future__ import annotations

import csv
import json
import os
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch.optim.swa_utils import AveragedModel
from tqdm import tqdm

from digitocr.data.augment import AugmentConfig, augment
from digitocr.data.mnist import split_validation
from digitocr.data.negatives import CLASS_NAMES, NOT_A_DIGIT, make_negatives, with_neighbours
from digitocr.data.pen import redrawn
from digitocr.data.sources import Dataset
from digitocr.errors import DigitocrError
from digitocr.models import build_model
from digitocr.training.curves import plot_learning_curves
from digitocr.training.export import export_onnx, fit_temperature

HISTORY_FIELDS = ["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr", "seconds"]


@dataclass
class TrainConfig:
    arch: str = "cnn"
    epochs: int = 30
    batch_size: int = 128
    lr: float = 3e-3  # the peak of the one-cycle schedule
    weight_decay: float = 1e-4
    label_smoothing: float = 0.05
    ema_decay: float = 0.999
    seed: int = 0
    val_size: int = 5000
    patience: int = 8  # epochs without a better validation accuracy before stopping (see stopping_armed)
    limit: int | None = None  # train on the first N images only (quick runs and tests)
    augment: bool = True
    # "Not a digit" examples (data/negatives.py) per training digit, made afresh each epoch; above 0 the
    # model gets an eleventh output for them.
    not_a_digit: float = 0.0
    # The share of those that are signs written beside a number: a currency sign, a "#" (data/negatives.py).
    signs: float = 0.0
    # Digits with the edge of a touching neighbour beside them (data/negatives.py), per training digit, made
    # afresh each epoch; they keep their label.
    neighbours: float = 0.0
    # Digits redrawn with a pen of their own width at a written height and read back into MNIST's form
    # (data/pen.py), per training digit, made afresh each epoch; they keep their label.
    redrawn: float = 0.0
    model_params: dict = field(default_factory=dict)
    augment_params: dict = field(default_factory=dict)


def usable_cores() -> int:
    """The cores this process may run on: all of them, unless it was pinned to some (`taskset -c 0 digitocr train
    ...` leaves the other core to other work; torch's threads on a shared core wait on each other)."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def training_device(name: str = "auto") -> torch.device:
    """Where the network trains: "cpu", "cuda", or "auto" (the GPU where torch sees one). Augmentation and the made
    examples stay on the CPU, drawn from the same seeded generators, so a run makes the same data on either."""
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name not in ("cpu", "cuda"):
        raise DigitocrError(f"--device {name}: give cpu, cuda or auto")
    if name == "cuda" and not torch.cuda.is_available():
        raise DigitocrError("--device cuda: torch sees no GPU on this machine")
    return torch.device(name)


def trained_on(device: torch.device) -> dict:
    """The machine a run trained on, for its model card (which is written where the model is shipped)."""
    return {"device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
            "cpu_cores": usable_cores(), "platform": platform.platform(), "torch": torch.__version__}


def start_run(config, data: Dataset, out_dir: str | os.PathLike
              ) -> tuple[Path, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A run's folder (made), torch on every core it may use, and its data: (folder, images, labels, train indices,
    validation indices), the first `config.limit` images only where set, split by `config.val_size` and
    `config.seed`."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(usable_cores())
    images, labels = data.images, data.labels.astype(np.int64)
    if config.limit:
        images, labels = images[: config.limit], labels[: config.limit]
    return (out, images, labels, *split_validation(len(images), config.val_size, config.seed))


def to_tensor(images: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(images)).float().div_(255.0).unsqueeze(1)


@torch.no_grad()
def predict_logits(model: torch.nn.Module, images: np.ndarray, batch_size: int = 1000) -> torch.Tensor:
    """Logits on the CPU, computed where the model is."""
    model.eval()
    device = next(model.parameters()).device
    out = [model(to_tensor(images[i : i + batch_size]).to(device)).cpu() for i in range(0, len(images), batch_size)]
    return torch.cat(out) if out else torch.zeros(0, 10)


def evaluate_split(model: torch.nn.Module, images: np.ndarray, labels: np.ndarray) -> tuple[float, float, torch.Tensor]:
    logits = predict_logits(model, images)
    target = torch.from_numpy(labels.astype(np.int64))
    loss = float(F.cross_entropy(logits, target))
    acc = float((logits.argmax(1) == target).float().mean())
    return loss, acc, logits


def classes_of(config: TrainConfig) -> int:
    return 11 if config.not_a_digit > 0 else 10


def extras_for_epoch(config: TrainConfig, digits: np.ndarray, labels: np.ndarray, epoch: int
                     ) -> tuple[torch.Tensor, torch.Tensor]:
    """This epoch's made examples: "not a digit" ones, digits with a neighbour's edge and digits redrawn with a pen
    (from the training digits), seeded by (seed, epoch) so a resumed run makes the same."""
    rng = np.random.default_rng([config.seed, epoch])
    images, targets = [np.zeros((0, 28, 28), np.uint8)], [np.zeros(0, np.int64)]
    count = round(config.not_a_digit * len(digits))
    if count:
        images.append(make_negatives(digits, count, rng, config.signs))
        targets.append(np.full(count, NOT_A_DIGIT, np.int64))
    count = round(config.neighbours * len(digits))
    if count:
        cluttered, which = with_neighbours(digits, count, rng)
        images.append(cluttered)
        targets.append(labels[which].astype(np.int64))
    count = round(config.redrawn * len(digits))
    if count:
        drawn, which = redrawn(digits, count, rng)
        images.append(drawn)
        targets.append(labels[which].astype(np.int64))
    return to_tensor(np.concatenate(images)), torch.from_numpy(np.concatenate(targets))


def rejected_share(model: torch.nn.Module, images: np.ndarray) -> float:
    """Share of `images` the model calls "not a digit" (0 for a ten-class model)."""
    logits = predict_logits(model, images)
    return float((logits.argmax(1) == NOT_A_DIGIT).float().mean()) if len(images) else 0.0


def ema_with_warmup(decay: float):
    """EMA whose decay grows as (1 + n) / (10 + n) up to `decay`, so short runs average recent weights."""

    def update(ema_params, params, num_averaged):
        n = int(num_averaged)
        weight = 1.0 - min(decay, (1 + n) / (10 + n))
        if ema_params[0].is_floating_point():  # AveragedModel passes one dtype per call
            torch._foreach_lerp_(ema_params, params, weight)
        else:  # counters such as BatchNorm's num_batches_tracked
            torch._foreach_copy_(ema_params, params)

    return update


def _seed_epoch(seed: int, epoch: int) -> torch.Generator:
    """Each epoch's randomness comes from (seed, epoch), so a resumed run matches an unbroken one."""
    torch.manual_seed(seed * 100_003 + epoch)
    return torch.Generator().manual_seed(seed * 100_003 + epoch)


def stopping_armed(epoch: int, epochs: int) -> bool:
    """Early stopping may end a run only in the last quarter of the one-cycle schedule: before that the
    learning rate is still high and validation accuracy plateaus, then climbs as the rate anneals."""
    return epoch > (3 * epochs) // 4


def _write_history(path: Path, rows: list[dict]) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=HISTORY_FIELDS)
        writer.writeheader()
        writer.writerows(rows)


def train(config: TrainConfig, data: Dataset, out_dir: str | os.PathLike, resume: bool = False,
          progress: bool = True, on_epoch: Callable[[int, dict], None] | None = None, device: str = "auto") -> dict:
    """Train, keep the best checkpoint, export it to ONNX; returns the run's metrics. `device`: see
    `training_device`.

    `on_epoch(epoch, row)` is called after each epoch with its history row (e.g. to report to Optuna
    and raise optuna.TrialPruned); an exception it raises stops training there.
    """
    where = training_device(device)
    out, images, labels, train_idx, val_idx = start_run(config, data, out_dir)
    x_train, y_train = to_tensor(images[train_idx]), torch.from_numpy(labels[train_idx])
    x_val, y_val = images[val_idx], labels[val_idx]

    torch.manual_seed(config.seed)
    classes = classes_of(config)
    model = build_model(config.arch, classes=classes, **config.model_params).to(where,
                                                                                   memory_format=torch.channels_last)
    ema = AveragedModel(model, multi_avg_fn=ema_with_warmup(config.ema_decay), use_buffers=True)
    train_digits, train_labels = images[train_idx], labels[train_idx]
    per_epoch = len(train_idx) + sum(round(share * len(train_idx))
                                     for share in (config.not_a_digit, config.neighbours, config.redrawn))
    steps = (per_epoch + config.batch_size - 1) // config.batch_size
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=config.lr, total_steps=config.epochs * steps,
                                                    pct_start=0.2)
    aug = AugmentConfig(**config.augment_params)
    history: list[dict] = []
    best_acc, best_loss, stale, start_epoch, seconds_before = -1.0, float("inf"), 0, 1, 0.0

    last = out / "last.pt"
    if resume and last.exists():
        state = torch.load(last, weights_only=False, map_location=where)
        if state["config"] != asdict(config):
            raise DigitocrError(f"{last}: the run was started with other settings; resume with the same options "
                             "or train into a new folder")
        model.load_state_dict(state["model"])
        ema.load_state_dict(state["ema"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        history, best_acc, best_loss, stale = state["history"], state["best_acc"], state["best_loss"], state["stale"]
        start_epoch, seconds_before = state["epoch"] + 1, state["seconds"]
        print(f"resuming {out} after epoch {state['epoch']}")
    (out / "config.json").write_text(json.dumps({**asdict(config), "data": data.source,
                                                 "augmentation": aug.to_dict()}, indent=2) + "\n")

    started = time.time() - seconds_before
    for epoch in range(start_epoch, config.epochs + 1):
        if stale >= config.patience and stopping_armed(epoch, config.epochs):
            break
        t0 = time.time()
        gen = _seed_epoch(config.seed, epoch)
        neg_x, neg_y = extras_for_epoch(config, train_digits, train_labels, epoch)
        x_epoch, y_epoch = torch.cat([x_train, neg_x]), torch.cat([y_train, neg_y])
        order = torch.randperm(len(x_epoch), generator=gen)
        model.train()
        seen, loss_sum, correct = 0, 0.0, 0
        bar = tqdm(range(steps), desc=f"epoch {epoch}/{config.epochs}", disable=not progress, leave=False,
                   unit="batch")
        for step in bar:
            idx = order[step * config.batch_size : (step + 1) * config.batch_size]
            xb, yb = x_epoch[idx], y_epoch[idx]
            if config.augment:
                xb = augment(xb, aug, gen, yb)
            xb, yb = xb.to(where, non_blocking=True), yb.to(where, non_blocking=True)
            logits = model(xb.contiguous(memory_format=torch.channels_last))
            loss = F.cross_entropy(logits, yb, label_smoothing=config.label_smoothing)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
            ema.update_parameters(model)
            seen += len(yb)
            loss_sum += loss.item() * len(yb)
            correct += int((logits.argmax(1) == yb).sum())
            if step % 20 == 0:
                bar.set_postfix(loss=f"{loss_sum / seen:.4f}", acc=f"{correct / seen:.4f}")
        val_loss, val_acc, _ = evaluate_split(ema.module, x_val, y_val)
        row = {"epoch": epoch, "train_loss": round(loss_sum / seen, 5), "train_acc": round(correct / seen, 5),
               "val_loss": round(val_loss, 5), "val_acc": round(val_acc, 5),
               "lr": f"{scheduler.get_last_lr()[0]:.6g}", "seconds": round(time.time() - t0, 1)}
        history.append(row)
        improved = val_acc > best_acc or (val_acc == best_acc and val_loss < best_loss)
        if improved:
            best_acc, best_loss, stale = val_acc, val_loss, 0
            torch.save({k: v.cpu() for k, v in ema.module.state_dict().items()}, out / "best.pt")
        else:
            stale += 1
        print(f"epoch {epoch:>3}  loss {row['train_loss']:.4f}  acc {row['train_acc']:.4f}  "
              f"val_loss {val_loss:.4f}  val_acc {val_acc:.4f}  {row['seconds']:.0f}s" + ("  *" if improved else ""),
              flush=True)
        _write_history(out / "history.csv", history)
        torch.save({"config": asdict(config), "epoch": epoch, "model": model.state_dict(), "ema": ema.state_dict(),
                    "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(), "history": history,
                    "best_acc": best_acc, "best_loss": best_loss, "stale": stale,
                    "seconds": time.time() - started}, last)
        if on_epoch is not None:
            on_epoch(epoch, row)
    elapsed = time.time() - started
    if len(history) < config.epochs and stale >= config.patience:
        print(f"stopped early: no better validation accuracy for {config.patience} epochs")
    plot_learning_curves(out / "history.csv", out / "learning_curves.png")

    best = build_model(config.arch, classes=classes, **config.model_params)
    best.load_state_dict(torch.load(out / "best.pt", weights_only=True))
    best.eval()
    val_loss, val_acc, val_logits = evaluate_split(best, x_val, y_val)
    temperature = fit_temperature(val_logits, torch.from_numpy(y_val))
    metrics = {"arch": config.arch, "seed": config.seed, "epochs_run": len(history),
               "best_epoch": int(max(history, key=lambda r: (r["val_acc"], -r["val_loss"]))["epoch"]),
               "train_images": len(train_idx), "val_images": len(val_idx), "val_accuracy": val_acc,
               "val_loss": val_loss, "temperature": temperature, "train_seconds": round(elapsed, 1),
               "seconds_per_epoch": round(float(np.mean([r["seconds"] for r in history])), 1),
               "parameters": sum(p.numel() for p in best.parameters()), "classes": CLASS_NAMES[:classes],
               "trained_on": trained_on(where)}
    if classes > 10:  # how the eleventh output does on validation: negatives caught, digits lost to it
        val_negatives = make_negatives(x_val, len(x_val), np.random.default_rng([config.seed, 0]), config.signs)
        metrics["val_not_a_digit_caught"] = rejected_share(best, val_negatives)
        metrics["val_digits_rejected"] = rejected_share(best, x_val)
    export_onnx(best, out / "model.onnx", temperature,
                {"arch": config.arch, "model_params": config.model_params, "val_accuracy": val_acc}, classes=classes)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics
