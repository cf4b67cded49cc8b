"""How fast each architecture trains, and how soon it gets good: seconds per epoch, validation accuracy.

Two modes:
    .venv/bin/python benchmarks/training_speed.py --runs runs/cnn-ship runs/baseline
        reads finished (or running) run folders: seconds per epoch, epochs and time to reach each
        validation accuracy threshold, time to the best epoch. Nothing is trained.
    .venv/bin/python benchmarks/training_speed.py --archs cnn,baseline,mlp --epochs 3 --limit 10000
        trains each architecture the same way (same train() settings, same seed, same data), prints
        seconds and validation accuracy per epoch, then the same summary. Needs the [train] extra.

Thresholds are on the validation split (never the test set); `--json PATH` writes the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

from digitocr.training.curves import read_history

THRESHOLDS = (99.0, 99.5, 99.6)


def summarise(run: Path, thresholds: tuple[float, ...] = THRESHOLDS) -> dict:
    """The speed figures of one run folder, from its history.csv (and config.json when there)."""
    rows = read_history(run / "history.csv")
    if not rows:
        raise ValueError(f"{run}/history.csv has no epochs yet")
    config_path = run / "config.json"
    config = json.loads(config_path.read_text()) if config_path.is_file() else {}
    seconds = [r["seconds"] for r in rows]
    elapsed = [sum(seconds[: i + 1]) for i in range(len(rows))]
    best_i = max(range(len(rows)), key=lambda i: (rows[i]["val_acc"], -rows[i]["val_loss"]))
    reached = {}
    for t in thresholds:
        first = next((i for i, r in enumerate(rows) if 100 * r["val_acc"] >= t), None)
        reached[f"{t:g}"] = None if first is None else {"epoch": int(rows[first]["epoch"]), "seconds": elapsed[first]}
    return {
        "run": str(run), "arch": config.get("arch", "?"), "epochs_run": len(rows),
        "epochs_planned": config.get("epochs"), "train_images": config.get("limit"),
        "seconds_per_epoch": sum(seconds) / len(seconds), "seconds_per_epoch_min": min(seconds),
        "total_seconds": elapsed[-1], "best_epoch": int(rows[best_i]["epoch"]),
        "best_val_acc": 100 * rows[best_i]["val_acc"], "seconds_to_best": elapsed[best_i],
        "reached": reached,
        "history": [{"epoch": int(r["epoch"]), "seconds": r["seconds"], "val_acc": 100 * r["val_acc"]} for r in rows],
    }


def train_archs(archs: list[str], epochs: int, limit: int | None, seed: int, data_dir: str | None,
                out: Path) -> list[Path]:
    """Train each architecture with the same TrainConfig apart from `arch`; returns the run folders."""
    from digitocr.data.sources import load_dataset
    from digitocr.training.fit import TrainConfig, train

    dataset = load_dataset(data=data_dir)
    runs = []
    for arch in archs:
        run = out / arch
        print(f"--- {arch}: {epochs} epochs on {limit or len(dataset.labels)} images -> {run}", flush=True)
        train(TrainConfig(arch=arch, epochs=epochs, limit=limit, seed=seed, patience=epochs + 1), dataset, run,
              progress=False)
        runs.append(run)
    return runs


def _fmt_reached(r: dict | None) -> str:
    return "-" if r is None else f"{r['epoch']} ({r['seconds']:.0f}s)"


def print_tables(summaries: list[dict], thresholds: tuple[float, ...]) -> None:
    heads = ["run", "arch", "epochs", "s/epoch", "best val %", "best ep", "s to best"]
    heads += [f">={t:g}% ep (s)" for t in thresholds]
    table = []
    for s in summaries:
        table.append([s["run"], s["arch"], str(s["epochs_run"]), f"{s['seconds_per_epoch']:.1f}",
                      f"{s['best_val_acc']:.2f}", str(s["best_epoch"]), f"{s['seconds_to_best']:.0f}",
                      *[_fmt_reached(s["reached"][f"{t:g}"]) for t in thresholds]])
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(heads)]
    print("  ".join(h.ljust(w) if i < 2 else h.rjust(w) for i, (h, w) in enumerate(zip(heads, widths, strict=True))))
    for row in table:
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))


def print_per_epoch(summaries: list[dict]) -> None:
    epochs = max(len(s["history"]) for s in summaries)
    print("\nper epoch: seconds / validation accuracy %")
    archs = [s["arch"] for s in summaries]
    labels = [a if archs.count(a) == 1 else Path(s["run"]).name for a, s in zip(archs, summaries, strict=True)]
    print("epoch  " + "  ".join(f"{label[:16]:>16}" for label in labels))
    for e in range(epochs):
        cells = []
        for s in summaries:
            h = s["history"][e] if e < len(s["history"]) else None
            cells.append(f"{'':>16}" if h is None else f"{h['seconds']:>6.1f}s {h['val_acc']:>7.2f}%")
        print(f"{e + 1:>5}  " + "  ".join(f"{c:>16}" for c in cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", nargs="+", type=Path, metavar="RUN_DIR",
                        help="report from these run folders' history.csv instead of training")
    parser.add_argument("--archs", default="cnn,baseline,mlp", help="to train, comma-separated (default: %(default)s)")
    parser.add_argument("--epochs", type=int, default=3, help="epochs per architecture (default: %(default)s)")
    parser.add_argument("--limit", type=int, metavar="N", help="train on the first N images only (default: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", metavar="DIR", help="MNIST folder (default: $DIGITOCR_DATA)")
    parser.add_argument("--out", type=Path, metavar="DIR", help="keep the trained run folders here "
                        "(default: a temporary folder, removed afterwards)")
    parser.add_argument("--thresholds", default=",".join(f"{t:g}" for t in THRESHOLDS),
                        help="validation accuracy thresholds in %% (default: %(default)s)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    thresholds = tuple(float(t) for t in args.thresholds.split(","))

    if args.runs:
        missing = [r for r in args.runs if not (r / "history.csv").is_file()]
        if missing:
            print(f"{missing[0]}: no history.csv (not a run folder?)", file=sys.stderr)
            return 2
        summaries = [summarise(r, thresholds) for r in args.runs]
    else:
        archs = [a.strip() for a in args.archs.split(",") if a.strip()]
        with tempfile.TemporaryDirectory(prefix="training_speed-") as tmp:
            out = args.out or Path(tmp)
            runs = train_archs(archs, args.epochs, args.limit, args.seed, args.data, out)
            summaries = [summarise(r, thresholds) for r in runs]
            if not args.out:  # the temporary folders are gone once the table is printed
                for s in summaries:
                    s["run"] = f"{s['arch']} (trained now)"

    print(f"\n{os.cpu_count()} CPU cores, {platform.platform()}")
    print_tables(summaries, thresholds)
    print_per_epoch(summaries)
    if args.json:
        payload = {"mode": "runs" if args.runs else "train", "thresholds": thresholds,
                   "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform()}, "runs": summaries}
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
