"""Training the string reader (models/strings.py) on touching strings of MNIST training digits, with CTC.

Each epoch makes its strings afresh (data/strings.py, seeded by (seed, epoch)) from the training digits; the
validation strings are made once from the validation split's digits (the same split `digitocr train` holds
out), and the best epoch by their exact-string accuracy is kept. The run folder holds config.json,
history.csv, learning_curves.png, best.pt, model.onnx and model.json (the ONNX model's metadata), and
metrics.json, as a classifier's run does.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from digitocr.data.sources import Dataset
from digitocr.data.strings import make_strings
from digitocr.models.strings import BLANK, StringCNN
from digitocr.preprocess import STRIP_FRAME, STRIP_STEP
from digitocr.strings import best_path, pad_strips
from digitocr.training.curves import plot_learning_curves
from digitocr.training.export import sha256_of
from digitocr.training.fit import _write_history, start_run, trained_on, training_device

VAL_STRINGS = 3000
CHUNKS = 16  # with workers, each epoch's strings are made in this many seeded chunks, however many workers


@dataclass
class StringsConfig:
    arch: str = "strings"
    epochs: int = 12
    strings_per_epoch: int = 24000
    batch_size: int = 64
    lr: float = 2e-3  # the peak of the one-cycle schedule
    weight_decay: float = 1e-4
    seed: int = 0
    val_size: int = 5000  # validation digits held out of the training set, as `digitocr train` holds them
    limit: int | None = None  # the first N training images only (quick runs and tests)
    european_p: float = 0.0  # share of the strings' 1s given a flag and of their 7s a bar (data/pen.py)
    signs_p: float = 0.0  # share of the strings with a sign joined in front, and of the letters a sign alone
    # Processes that make each epoch's strings (in CHUNKS seeded chunks, the next epoch's while this one trains);
    # 0: made in one stream between epochs, as the shipped string reader's were (other strings than with workers).
    workers: int = 0
    model_params: dict | None = None


_SHARED: dict[str, np.ndarray] = {}  # the training digits, inherited by the worker processes (fork)


def _chunk(job: tuple) -> tuple[list[np.ndarray], list[str]]:
    seed, epoch, chunk, count, european_p, signs_p = job
    return make_strings(_SHARED["images"], _SHARED["labels"], count, np.random.default_rng([seed, epoch, chunk]),
                        european_p, signs_p)


def epoch_strings(config: StringsConfig, images: np.ndarray, labels: np.ndarray
                  ) -> Iterator[tuple[list[np.ndarray], list[str], np.random.Generator]]:
    """Each epoch's strings, texts and the generator that orders its batches, seeded by (seed, epoch)."""
    habits = (config.european_p, config.signs_p)
    if not config.workers:
        for epoch in range(1, config.epochs + 1):
            rng = np.random.default_rng([config.seed, epoch])
            strips, texts = make_strings(images, labels, config.strings_per_epoch, rng, *habits)
            yield strips, texts, rng
        return
    sizes = [len(part) for part in np.array_split(np.arange(config.strings_per_epoch), CHUNKS)]
    _SHARED.update(images=images, labels=labels)
    try:
        with multiprocessing.get_context("fork").Pool(config.workers) as pool:
            def submit(epoch: int):
                return pool.map_async(_chunk, [(config.seed, epoch, i, n, *habits) for i, n in enumerate(sizes)])
            pending = submit(1)
            for epoch in range(1, config.epochs + 1):
                chunks = pending.get()
                if epoch < config.epochs:
                    pending = submit(epoch + 1)
                yield ([s for strips, _ in chunks for s in strips], [t for _, texts in chunks for t in texts],
                       np.random.default_rng([config.seed, epoch, CHUNKS]))
    finally:
        _SHARED.clear()


def batches(strips: list[np.ndarray], texts: list[str], size: int, rng: np.random.Generator):
    """Batches of strips of similar width (little padding), in random order: (images [B, 1, 28, W], targets,
    frame counts, text lengths)."""
    order = np.argsort([s.shape[1] + rng.uniform(0, STRIP_STEP) for s in strips], kind="stable")
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    for g in rng.permutation(len(groups)):
        idx = groups[g]
        x = pad_strips([strips[i] for i in idx])
        targets = torch.tensor([int(c) for i in idx for c in texts[i]], dtype=torch.long)
        frames = torch.tensor([strips[i].shape[1] // STRIP_FRAME for i in idx], dtype=torch.long)
        lengths = torch.tensor([len(texts[i]) for i in idx], dtype=torch.long)
        yield torch.from_numpy(x), targets, frames, lengths


def ctc_loss(model: torch.nn.Module, x, targets, frames, lengths) -> torch.Tensor:
    """CTC loss of a batch, computed where the model is."""
    device = next(model.parameters()).device
    x, targets, frames, lengths = (t.to(device) for t in (x, targets, frames, lengths))
    log_probs = F.log_softmax(model(x), dim=1).permute(2, 0, 1)  # [T, B, 11]
    return F.ctc_loss(log_probs, targets, frames, lengths, blank=BLANK, zero_infinity=True)


@torch.no_grad()
def read_strips(model: torch.nn.Module, strips: list[np.ndarray], batch_size: int = 256) -> list[str]:
    """The best-path text of each strip, by the torch model (validation)."""
    model.eval()
    texts = [""] * len(strips)
    order = np.argsort([s.shape[1] for s in strips], kind="stable")
    for i in range(0, len(order), batch_size):
        idx = order[i : i + batch_size]
        x = pad_strips([strips[k] for k in idx])
        x = torch.from_numpy(x).to(next(model.parameters()).device)
        probs = torch.softmax(model(x), dim=1).permute(0, 2, 1).cpu().numpy()
        for j, k in enumerate(idx):
            texts[k] = best_path(probs[j, : strips[k].shape[1] // STRIP_FRAME]).text
    return texts


class Probabilities(torch.nn.Module):
    """What the ONNX file computes: [N, 1, 28, W] -> frame probabilities [N, W / 2, 11]."""

    def __init__(self, model: torch.nn.Module):
        super().__init__()
        self.model = model

    def forward(self, x):
        return torch.softmax(self.model(x), dim=1).permute(0, 2, 1)


def export_strings_onnx(model: torch.nn.Module, path: Path, metadata: dict) -> dict:
    """Write `path` (.onnx) and its metadata beside it (.json); returns the metadata."""
    path = Path(path)
    torch.onnx.export(Probabilities(model).eval(), (torch.zeros(2, 1, 28, 64),), str(path), input_names=["strip"],
                      output_names=["frames"], dynamic_axes={"strip": {0: "batch", 3: "width"},
                                                             "frames": {0: "batch", 1: "frames"}},
                      opset_version=17, dynamo=False)
    meta = {"name": path.stem,
            "input": {"name": "strip", "shape": ["batch", 1, 28, "width"], "dtype": "float32", "range": [0, 1],
                      "ink": 1, "form": "a run of digits' ink box scaled to 20 pixels tall, 4 pixels of paper "
                                        "around it, the width a multiple of 4 (preprocess.to_strip)"},
            "output": {"name": "frames", "kind": "probabilities", "shape": ["batch", "width / 2", 11],
                       "classes": [*(str(d) for d in range(10)), "blank"]},
            "sha256": sha256_of(path), **metadata}
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def train_strings(config: StringsConfig, data: Dataset, out_dir: str | os.PathLike, progress: bool = True,
                  device: str = "auto") -> dict:
    """Train, keep the best epoch by validation string accuracy, export it to ONNX; returns the run's metrics.
    `device`: see `fit.training_device` (the strings are made on the CPU either way)."""
    where = training_device(device)
    out, images, labels, train_idx, val_idx = start_run(config, data, out_dir)
    val_strips, val_texts = make_strings(images[val_idx], labels[val_idx], VAL_STRINGS,
                                         np.random.default_rng([config.seed, 0]), config.european_p, config.signs_p)
    (out / "config.json").write_text(json.dumps({**asdict(config), "data": data.source}, indent=2) + "\n")

    torch.manual_seed(config.seed)
    model = StringCNN(**(config.model_params or {})).to(where)
    steps = config.epochs * -(-config.strings_per_epoch // config.batch_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=config.lr, total_steps=steps, pct_start=0.2)
    history: list[dict] = []
    best_acc = -1.0
    started = time.time()
    t0 = time.time()
    made = epoch_strings(config, images[train_idx], labels[train_idx])
    for epoch, (strips, texts, rng) in enumerate(made, start=1):
        model.train()
        seen, loss_sum = 0, 0.0
        bar = tqdm(list(batches(strips, texts, config.batch_size, rng)), desc=f"epoch {epoch}/{config.epochs}",
                   disable=not progress, leave=False, unit="batch")
        for x, targets, frames, lengths in bar:
            loss = ctc_loss(model, x, targets, frames, lengths)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
            seen += len(lengths)
            loss_sum += loss.item() * len(lengths)
        model.eval()
        with torch.no_grad():
            val_loss = float(np.mean([ctc_loss(model, *b).item()
                                      for b in batches(val_strips, val_texts, 256, np.random.default_rng(0))]))
        read = read_strips(model, val_strips)
        val_acc = float(np.mean([a == b for a, b in zip(read, val_texts, strict=True)]))
        train_read = read_strips(model, strips[:1000])
        train_acc = float(np.mean([a == b for a, b in zip(train_read, texts[:1000], strict=True)]))
        row = {"epoch": epoch, "train_loss": round(loss_sum / seen, 5), "train_acc": round(train_acc, 5),
               "val_loss": round(val_loss, 5), "val_acc": round(val_acc, 5),
               "lr": f"{scheduler.get_last_lr()[0]:.6g}", "seconds": round(time.time() - t0, 1)}
        history.append(row)
        improved = val_acc > best_acc
        if improved:
            best_acc = val_acc
            torch.save({k: v.cpu() for k, v in model.state_dict().items()}, out / "best.pt")
        print(f"epoch {epoch:>3}  loss {row['train_loss']:.4f}  strings {train_acc:.4f}  val_loss {val_loss:.4f}  "
              f"val_strings {val_acc:.4f}  {row['seconds']:.0f}s" + ("  *" if improved else ""), flush=True)
        _write_history(out / "history.csv", history)
        t0 = time.time()
    elapsed = time.time() - started
    plot_learning_curves(out / "history.csv", out / "learning_curves.png")

    best = StringCNN(**(config.model_params or {}))
    best.load_state_dict(torch.load(out / "best.pt", weights_only=True))
    best.eval()
    best_epoch = int(max(history, key=lambda r: (r["val_acc"], -r["val_loss"]))["epoch"])
    metrics = {"arch": config.arch, "seed": config.seed, "epochs_run": len(history), "best_epoch": best_epoch,
               "train_images": len(train_idx), "val_images": len(val_idx), "val_strings": VAL_STRINGS,
               "val_accuracy": best_acc, "train_seconds": round(elapsed, 1),
               "seconds_per_epoch": round(float(np.mean([r["seconds"] for r in history])), 1),
               "parameters": sum(p.numel() for p in best.parameters()), "trained_on": trained_on(where)}
    export_strings_onnx(best, out / "model.onnx", {"arch": config.arch, "val_accuracy": best_acc})
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics
