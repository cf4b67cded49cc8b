"""Ship a string-reader run as `digit_strings`: the ONNX file, its metadata and its model card.

`ship_strings(run_dir, dest)` copies RUN_DIR/model.onnx to DEST/digit_strings.onnx, measures it once with the
reading path's StringReader (ONNX Runtime) on touching strings made from MNIST *test* digits (TEST_STRINGS of
them, seeded), and writes digit_strings.json and digit_strings.md beside it. Training chose its epoch by strings
of validation digits; the test strings are read here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shlex
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from digitocr.data.mnist import checksums, load_split, resolve_data_dir
from digitocr.data.pen import PEN_SHARE
from digitocr.data.strings import PEN_P, PRINT_SHARE, make_strings
from digitocr.strings import StringReader
from digitocr.training.card import _package_version, _read_history, _trained_on, data_option, read_run
from digitocr.training.export import sha256_of

NAME = "digit_strings"
TEST_STRINGS, TEST_SEED = 10000, 2026


def strings_command(config: dict, run_dir: str | os.PathLike) -> str:
    """The `digitocr train --arch strings` command that reproduces a run, from its config.json."""
    args = ["digitocr", "train", "--arch", "strings", "--epochs", str(config["epochs"]), "--seed", str(config["seed"]),
            *data_option(str(config.get("data", ""))), "--out", str(run_dir), "--strings",
            str(config["strings_per_epoch"]), "--val-size", str(config["val_size"])]
    if config.get("limit"):
        args += ["--limit", str(config["limit"])]
    if config.get("workers"):
        args += ["--workers", str(config["workers"])]
    params = {**(config.get("model_params") or {}),
              **{key: config[key] for key in ("european_p", "signs_p") if config.get(key)}}
    if params:
        args += ["--params", json.dumps(params)]
    return shlex.join(args)


def measure_strings(model_path: Path, images: np.ndarray, labels: np.ndarray, count: int, seed: int,
                    european_p: float = 0.0) -> dict:
    """Exact-string and per-length accuracy of a string model on `count` touching strings of `images`, with
    `european_p` of their 1s and 7s written as in Europe."""
    strips, texts = make_strings(images, labels, count, np.random.default_rng(seed), european_p)
    return {"seed": seed, "european_p": european_p, **score_strings(model_path, strips, texts)}


def score_strings(model_path: Path, strips: list[np.ndarray], texts: list[str]) -> dict:
    """How a string model reads `strips` whose texts are `texts`: exactly, by length, with a 1 or a 7, and how fast."""
    count = len(strips)
    reader = StringReader(model_path)
    t0 = time.perf_counter()
    read = [r.text for i in range(0, count, 256) for r in reader.read(strips[i : i + 256])]
    seconds = time.perf_counter() - t0
    right = np.array([a == b for a, b in zip(read, texts, strict=True)])
    lengths = np.array([len(t) for t in texts])
    by_length = {str(n): {"strings": int((lengths == n).sum()), "accuracy": round(float(right[lengths == n].mean()), 5)}
                 for n in sorted(set(lengths.tolist()))}
    counted = float(np.mean([len(a) == len(b) for a, b in zip(read, texts, strict=True)]))
    ones_sevens = np.array([("1" in t) or ("7" in t) for t in texts])
    return {"strings": count, "accuracy": round(float(right.mean()), 5),
            "length_right": round(counted, 5), "by_length": by_length,
            "with_1_or_7": {"strings": int(ones_sevens.sum()),
                            "accuracy": round(float(right[ones_sevens].mean()), 5) if ones_sevens.any() else None},
            "ms_per_string": round(1000 * seconds / count, 3)}


def render_strings_card(meta: dict, history: list[dict[str, str]]) -> str:
    test, train = meta["test"], meta["training"]
    rows = "\n".join(f"| {n} | {v['strings']} | {100 * v['accuracy']:.2f}% |" for n, v in test["by_length"].items())
    epochs = "\n".join(f"| {r['epoch']} | {float(r['train_loss']):.4f} | {float(r['val_loss']):.4f} | "
                       f"{100 * float(r['val_acc']):.2f}% | {r['seconds']} |" for r in history)
    sums = "\n".join(f"- `{name}`: `{digest}`" for name, digest in meta["data"]["checksums"].items())
    share = meta["config"].get("european_p") or 0.0
    european_line = (f"\n- {100 * share:.0f}% of the strings' 1s given a flag and of their 7s a bar across, as much of "
                     "Europe writes them\n  (data/pen.py's `european_habit`)." if share else "")
    signs = meta["config"].get("signs_p") or 0.0
    european_line += (f"\n- {100 * signs:.0f}% of the strings with a sign joined in front (a dollar sign or a \"#\", "
                      "printed or by hand: data/strings.py's `sign_ink`), and as many of the printed letters a sign "
                      "alone,\n  neither read." if signs else "")
    plain = " (no 1 flagged, no 7 crossed)" if share else ""
    european_limit = ("\nIts flags and bars are drawn by a program, each one straight stroke at the digit's pen: a "
                      "flag that curves, or a bar that is a wave, it has not seen." if share else "")
    some, eu = test.get("with_1_or_7") or {}, meta.get("test_european")
    with_1_or_7 = (f"Of them, the {some['strings']:,} strings with a 1 or a 7: {100 * some['accuracy']:.2f}% exact."
                   if some.get("strings") else "")
    european_test = (f"As many test strings made alike, but with every 1 flagged and every 7 crossed: "
                     f"{100 * eu['accuracy']:.2f}% exact; {100 * eu['with_1_or_7']['accuracy']:.2f}% of the "
                     f"{eu['with_1_or_7']['strings']:,} with a 1 or a 7." if eu and eu["with_1_or_7"]["strings"]
                     else "")
    return f"""# Model card: digit_strings (the string reader)

Reads a run of touching handwritten digits whole: the reader hands it each glyph wider than one digit, as a
strip (`preprocess.to_strip`), and it gives the digits by CTC's best path. A convolutional network
({meta['parameters']:,} parameters; `models/strings.py`) makes one column of eleven probabilities (ten digits
and CTC's blank) per 2 pixels of the strip's width.

## How it was made
- Command: `{meta['command']}`
- Seed {meta['seed']}; {train['epochs_run']} epochs of {meta['config']['strings_per_epoch']:,} strings made afresh
  from the {train['train_images']:,} training digits (MNIST training set less the validation split); best epoch
  {train['best_epoch']}, by exact strings on {train['val_strings']:,} strings of the {train['val_images']:,}
  validation digits.
- Training time {meta['train_seconds']:.0f} s ({_trained_on(train.get('trained_on'), meta['machine'])}).
- Strings (data/strings.py): 1 to 8 digits, each pushed against the one before until the strokes meet and a
  little further (some deeper, some a hair apart), heights, baselines, widths and slant varied;
  {100 * PEN_P:.0f}% written with a pen of their own width (data/pen.py: {100 * PEN_SHARE[0]:.0f}% to
  {100 * PEN_SHARE[1]:.0f}% of the height, a fine pen's hairlines to a bold one's filled loops), the rest in MNIST's
  strokes a little thicker or thinner; most of the single digits stretched wide; and {100 * PRINT_SHARE:.0f}%
  printed letters (Hershey fonts), to be read as no digits (0 below).{european_line}

## Measured once, at export
{test['strings']:,} strings made the same way{plain} from MNIST **test** digits (seed {test['seed']}), read by ONNX
Runtime: **{100 * test['accuracy']:.2f}% exact**; the number of digits right in {100 * test['length_right']:.2f}%;
{test['ms_per_string']} ms a string (batches of 256).

| digits | strings | exact |
| ---: | ---: | ---: |
{rows}

{with_1_or_7}
{european_test}

Validation (strings of validation digits, made as training makes them): {100 * meta['val_accuracy']:.2f}% exact.

## Training history

| epoch | train loss | val loss | val exact | seconds |
| ---: | ---: | ---: | ---: | ---: |
{epochs}

## Data
MNIST ({meta['data']['train_source']}); checksums (SHA-256):
{sums}

## Limits
Trained on MNIST's writers only, in strings composed by a program: real runs join in ways it has not seen (a
ligature drawn through two digits, a long tail under the next digit). The reader uses it only for glyphs wider
than one digit, and keeps the classifier's reading of single digits.{european_limit}

Shipped {meta['shipped']} from `{meta['run_dir']}`; SHA-256 `{meta['sha256']}`.
"""


def ship_strings(run_dir: str | os.PathLike, dest: str | os.PathLike, data_dir: str | os.PathLike | None = None,
                 command: str | None = None, test_strings: int = TEST_STRINGS) -> Path:
    """Ship RUN_DIR's string model into DEST as digit_strings.{onnx,json,md}; returns the .onnx path."""
    run, model_meta, metrics, config = read_run(run_dir)
    folder = resolve_data_dir(data_dir)
    images, labels = load_split("test", folder)
    out = Path(dest)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{NAME}-", dir=out))
    try:
        onnx_path = staging / f"{NAME}.onnx"
        shutil.copyfile(run / "model.onnx", onnx_path)
        test = measure_strings(onnx_path, images, labels, test_strings, TEST_SEED)
        european = measure_strings(onnx_path, images, labels, test_strings, TEST_SEED, european_p=1.0)
        meta = {**model_meta, "name": NAME, "sha256": sha256_of(onnx_path), "test": test, "test_european": european,
                "val_accuracy": metrics["val_accuracy"], "seed": metrics["seed"],
                "train_seconds": metrics["train_seconds"], "parameters": metrics["parameters"],
                "command": command or strings_command(config, run), "command_given": command is not None,
                "training": {k: metrics.get(k) for k in ("epochs_run", "best_epoch", "train_images", "val_images",
                                                         "val_strings", "seconds_per_epoch", "trained_on")},
                "config": config,
                "data": {"test_set": "MNIST t10k", "checksums": checksums(folder), "train_source": config.get("data")},
                "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(),
                            "python": platform.python_version(), "torch": _package_version("torch"),
                            "onnxruntime": _package_version("onnxruntime")},
                "run_dir": str(run), "shipped": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
        (staging / f"{NAME}.json").write_text(json.dumps(meta, indent=2) + "\n")
        (staging / f"{NAME}.md").write_text(render_strings_card(meta, _read_history(run / "history.csv")))
        for path in (onnx_path, staging / f"{NAME}.json", staging / f"{NAME}.md"):
            os.replace(path, out / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out / f"{NAME}.onnx"
