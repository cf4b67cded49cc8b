"""Ship a training run's model as `digit_classifier`: the ONNX file, its metadata and its model card.

`ship(run_dir, dest)` copies RUN_DIR/model.onnx to DEST/digit_classifier.onnx, measures it once on
the MNIST test set with the reading path's Classifier (ONNX Runtime, exactly what users run), and
writes beside it:
  digit_classifier.json                 the run's model.json plus the test figures, data checksums,
                                        seed, training time and the training command
  digit_classifier.md                   the model card
  digit_classifier_learning_curves.png  the run's learning curves

The test set is used here and nowhere else: training, early stopping, calibration and tuning all
use the validation split taken from the training set. The files are made in a temporary folder
inside DEST and moved into place at the end, so a failure never leaves a half-shipped model.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from digitocr.classifier import Classifier
from digitocr.data.mnist import checksums, load_split, resolve_data_dir
from digitocr.data.pen import HEIGHTS
from digitocr.errors import DataError
from digitocr.training.export import sha256_of

NAME = "digit_classifier"
RUN_FILES = ("model.onnx", "model.json", "metrics.json", "config.json", "history.csv")
# TrainConfig fields that `digitocr train` takes from --params rather than from an option of its own.
PARAMS_TRAIN_KEYS = ("weight_decay", "label_smoothing", "ema_decay")


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text())


def _read_history(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def data_option(source: str) -> list[str]:
    """config.json's "data" (e.g. "MNIST train (data/mnist)") -> the `digitocr train` option that reads it."""
    patterns = ((r"MNIST \w+ \((.*)\)", "--data"), (r"Kaggle CSV (.*)", "--csv"), (r"image folder (.*)", "--images"))
    for pattern, option in patterns:
        match = re.fullmatch(pattern, source)
        if match:
            return [option, match.group(1)]
    return []


def train_command(config: dict, run_dir: str | os.PathLike) -> str:
    """The `digitocr train` command that reproduces a run, rebuilt from its config.json."""
    args = ["digitocr", "train", "--arch", str(config["arch"]), "--epochs", str(config["epochs"]),
            "--seed", str(config["seed"]), *data_option(str(config.get("data", ""))), "--out", str(run_dir),
            "--batch-size", str(config["batch_size"]), "--lr", repr(config["lr"]),
            "--patience", str(config["patience"]), "--val-size", str(config["val_size"])]
    if config.get("limit"):
        args += ["--limit", str(config["limit"])]
    if not config.get("augment", True):
        args.append("--no-augment")
    args += ["--not-a-digit", repr(float(config.get("not_a_digit", 0.0))),
             "--neighbours", repr(float(config.get("neighbours", 0.0)))]
    if config.get("redrawn"):
        args += ["--redrawn", repr(float(config["redrawn"]))]
    params = {**config.get("model_params", {}), **{k: config[k] for k in PARAMS_TRAIN_KEYS if k in config}}
    if config.get("signs"):
        params["signs"] = config["signs"]
    if config.get("augment_params"):
        params["augment"] = config["augment_params"]
    args += ["--params", json.dumps(params, separators=(",", ":"))]
    return shlex.join(args)


def measure(model_path: Path, images: np.ndarray, labels: np.ndarray) -> dict:
    """Accuracy, errors, per-class scores, confusions and calibration of one model, as `digitocr evaluate`
    computes them (digitocr.evaluation.metrics)."""
    from digitocr.evaluation.metrics import compute_metrics

    clf = Classifier(model_path)
    probs = np.concatenate([clf.predict(images[i : i + 1000].astype(np.float32) / 255.0)
                            for i in range(0, len(images), 1000)])
    m = compute_metrics(labels, probs)
    per_class = {str(c.digit): {"images": c.support, "errors": int(c.support - m.confusion[c.digit, c.digit]),
                                "accuracy": round(c.recall, 5), "precision": round(c.precision, 5),
                                "f1": round(c.f1, 5)} for c in m.per_class}
    off = [(int(m.confusion[t, p]), t, p) for t in range(10) for p in range(10) if t != p and m.confusion[t, p]]
    confusions = [{"true": t, "predicted": p, "count": n} for n, t, p in sorted(off, key=lambda x: (-x[0], x[1:]))[:5]]
    return {"images": m.images, "accuracy": round(m.accuracy, 5), "errors": m.errors, "per_class": per_class,
            "top_confusions": confusions, "confusion_matrix": m.confusion.tolist(),
            "mean_confidence": round(float(m.confidences.mean()), 5), "nll": round(m.nll, 5), "ece": round(m.ece, 5)}


def _history_table(rows: list[dict[str, str]], best_epoch: int | None) -> str:
    lines = ["| epoch | train loss | train acc | val loss | val acc | lr | seconds |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        mark = " (best)" if best_epoch is not None and int(float(r["epoch"])) == best_epoch else ""
        lines.append(f"| {r['epoch']}{mark} | {float(r['train_loss']):.4f} | {100 * float(r['train_acc']):.2f}% | "
                     f"{float(r['val_loss']):.4f} | {100 * float(r['val_acc']):.2f}% | {r['lr']} | {r['seconds']} |")
    return "\n".join(lines)


def _trained_on(info: dict | None, machine: dict) -> str:
    """Where the run trained, as its metrics recorded it; runs from before they did trained where they were shipped."""
    if not info:
        return f"{machine['cpu_count']} CPU cores, {machine['platform']}; torch {machine['torch']}"
    gpu = "" if info["device"] == "cpu" else f"an {info['device']} GPU and "
    return f"{gpu}{info['cpu_cores']} CPU cores, {info['platform']}; torch {info['torch']}"


def _precision_line(q: dict) -> str:
    if "val_accuracy_int8" not in q:
        return "float32"
    return (f"{q['precision']}: static INT8 quantization (ONNX Runtime, per-channel, calibrated on "
            f"{q['calibration_images']} training images) gave {100 * q['val_accuracy_int8']:.2f}% on the validation "
            f"split against {100 * q['val_accuracy_float32']:.2f}% for float32; rule: {q['rule']}")


def render_card(meta: dict, history: list[dict[str, str]]) -> str:
    """The model card (Markdown) from the shipped metadata and the run's history."""
    test, train_info, machine = meta["test"], meta["training"], meta["machine"]
    config, output = meta["config"], meta.get("output", {})
    val_images = train_info.get("val_images", "?")
    params = meta.get("model_params") or {}
    arch_desc = {
        "cnn": "a convolutional network: two stacks of 3x3 convolutions with batch norm and a strided 5x5 "
               "convolution in place of pooling, then a dense layer of 128 (after Chris Deotte's Kaggle design)",
        "baseline": "the Keras tutorials' baseline: one 5x5 convolution of 32, max pooling, dropout, dense 128",
        "mlp": "a multi-layer perceptron on the 784 pixels",
    }.get(meta["arch"], meta["arch"])
    per_class = "\n".join(f"| {d} | {c['images']} | {c['errors']} | {100 * c['accuracy']:.2f}% | "
                          f"{100 * c['precision']:.2f}% | {c['f1']:.4f} |" for d, c in test["per_class"].items())
    confusions = ", ".join(f"{c['true']} read as {c['predicted']} ({c['count']})" for c in test["top_confusions"])
    sums = "\n".join(f"| {name} | `{md5}` |" for name, md5 in meta["data"]["checksums"].items())
    best = train_info.get("best_epoch")
    recut = (config.get("augment_params") or {}).get("recut_p", 0.0)
    european = (config.get("augment_params") or {}).get("european_p", 0.0)
    aug = ("on (" + (f"a flag on {100 * european:.0f}% of the 1s and a bar across as many 7s, as much of Europe "
                     "writes them; " if european else "")
           + "rotation, shift, scale, shear, elastic distortion, "
           + (f"a crisp pen's redrawing for {100 * recut:.0f}% of the digits, " if recut else "")
           + "stroke width, blur, binarisation, noise)") if config.get("augment", True) else "off"
    if config.get("redrawn"):
        aug += (f"; besides, {config['redrawn']:g} digits per training digit, drawn afresh each epoch, redrawn as a "
                "pen writes them on a page (`data/pen.py`: crisp edges, a fine or bold stroke at a written height of "
                f"{HEIGHTS[0]} to {HEIGHTS[1] - 1} pixels) and put back into MNIST's form")
    classes = output.get("classes", [str(d) for d in range(10)])
    rejects = len(classes) > 10
    outputs = (f"[N, {len(classes)}] {output.get('kind', 'probabilities')} (softmax of logits / temperature), "
               "digits 0 to 9 in order" + (", then \"not a digit\"" if rejects else ""))
    reject_clause = ', and that of "not a digit"' if rejects else ""
    if rejects:
        reject_limit = (
            "- The \"not a digit\" output was trained on touching pairs of MNIST training digits, printed letters, "
            "signs and figures in OpenCV's Hershey fonts, and marks (blots, dashes, crosses, box corners)"
            + (f", {100 * config['signs']:.0f}% of them signs written beside a number (a dollar sign printed or by "
               "hand, a \"#\" by hand)" if config.get("signs") else "") + ": "
            f"{config.get('not_a_digit', 0):g} such examples per training digit. On the validation split it catches "
            f"{100 * (train_info.get('val_not_a_digit_caught') or 0):.1f}% of such examples and takes "
            f"{100 * (train_info.get('val_digits_rejected') or 0):.2f}% of the digits. Printed 0, 1 and 7 are not "
            "among the figures (their printed shapes are how people write them), so those still read as digits; "
            "a printed figure in a font unlike Hershey's may too.")
    else:
        reject_limit = ("- Digits only: there is no \"not a digit\" class, so letters, marks and noise are still given "
                        "a digit, often with high confidence; calibration does not change that.")
    if european and config.get("augment", True):
        habits = "a closed-top 4, a 9 with a straight stem"
        drawn_in = ("\n  A 1 with a flag and a crossed 7 were drawn into training (see Training), so read well as "
                    "drawn so; a 7 with a\n  short, steep bar may be read as a 1.")
    else:
        habits, drawn_in = "a 1 with a long flag, a crossed 7, a closed-top 4", ""
    return f"""# Model card: {NAME}

{NAME}.onnx reads one handwritten digit (0 to 9) from a 28x28 image in MNIST's form and gives its
ten probabilities{reject_clause}. It is the classifier behind `digitocr read` and `digitocr classify`.

| | |
| --- | --- |
| file | `{NAME}.onnx`, SHA-256 `{meta['sha256']}` |
| architecture | `{meta['arch']}`: {arch_desc} |
| model parameters | {json.dumps(params) if params else 'defaults'} |
| trainable parameters | {meta['parameters']:,} |
| input | `image`: float32 [N, 1, 28, 28], values in [0, 1], ink = 1, paper = 0 (MNIST's pixels / 255) |
| output | `{output.get('name', 'probabilities')}`: {outputs} |
| numeric precision | {_precision_line(meta.get('quantization', {}))} |
| calibration temperature | {meta['temperature']:.4f} (fitted on the validation split, by NLL) |
| MNIST test accuracy | **{100 * test['accuracy']:.2f}%** ({test['errors']} errors in {test['images']:,} images) |
| validation accuracy | {100 * meta['val_accuracy']:.2f}% ({val_images} images held out of the training set) |
| shipped | {meta['shipped']} |

## Intended use

Recognising single handwritten digits that have been cut out of a page and put into MNIST's form:
the ink's bounding box scaled to fit 20x20 with its aspect ratio kept, and centred by its centre of
mass in 28x28 (`digitocr.preprocess.to_mnist_form`, which the reader and `digitocr classify` apply).
Feeding it anything else (a whole page, a crop not in that form, dark paper) gives meaningless output.

## Limits

{reject_limit}
- MNIST was written by American Census Bureau employees and high-school students around 1990. Other
  writing habits ({habits}) are rarer in it and read less well.{drawn_in}
- The test figure below is for MNIST's own test set. Real scans and photos differ (stroke width, blur,
  digits that touch, crops that are cut badly): expect lower accuracy there, and measure it on your own
  writing with `digitocr evaluate --images DIR`.
- Confidences are calibrated on MNIST's validation split; on unfamiliar input they are overconfident.

## Training

The exact command:

```
{meta['command']}
```

- Seed {meta['seed']}; the validation split ({val_images} images) is a seeded random
  draw from the training data, the rest ({train_info.get('train_images', '?')} images) is trained on.
- Data: {config.get('data', 'MNIST')}.
- Optimiser AdamW, one-cycle learning rate peaking at {config.get('lr')}, batch size {config.get('batch_size')},
  weight decay {config.get('weight_decay')}, label smoothing {config.get('label_smoothing')}, EMA of the weights
  (decay {config.get('ema_decay')}) evaluated each epoch; early stopping after {config.get('patience')} epochs
  without a better validation accuracy; the best epoch's weights are kept. Augmentation: {aug}.
- Epochs run {train_info.get('epochs_run')} of at most {config.get('epochs')}, best epoch {best}.
- Training time: {train_info.get('train_seconds', 0):.0f} s in all,
  {train_info.get('seconds_per_epoch', 0):.1f} s per epoch ({_trained_on(train_info.get('trained_on'), machine)}).

### Data

MNIST (LeCun, Cortes, Burges; CC BY-SA 3.0): 60,000 training and 10,000 test images. The files, by the
MD5 of their decompressed bytes:

| file | MD5 |
| --- | --- |
{sums}

## Evaluation

Measured once, when the model was shipped, on the 10,000 MNIST test images, with ONNX Runtime
(`digitocr.classifier.Classifier`, onnxruntime {machine['onnxruntime']}). The test set played no part in
training, early stopping, calibration or the choice of hyperparameters.

- Accuracy **{100 * test['accuracy']:.2f}%**, {test['errors']} errors.
- Mean confidence {100 * test['mean_confidence']:.2f}%, expected calibration error {100 * test['ece']:.2f}%
  (15 bins), negative log-likelihood {test['nll']:.4f}.
- Commonest confusions: {confusions or 'none'}.

| digit | images | errors | accuracy (recall) | precision | F1 |
| ---: | ---: | ---: | ---: | ---: | ---: |
{per_class}

## Learning curves

![learning curves]({NAME}_learning_curves.png)

{_history_table(history, best)}

## Reproduce

Get MNIST and check it against the checksums above (`digitocr data fetch --dest data/mnist` does both),
train with the command above (its `--data` pointing at that folder), then ship the run:

```
digitocr data fetch --dest data/mnist
{meta['command']}
digitocr export {shlex.quote(meta['run_dir'])} --data data/mnist --command {shlex.quote(meta['command'])}
```

The seed fixes the validation split, the order of the batches and the augmentation, so a rerun on the
same machine with the same torch version follows the same path; on other hardware or library versions
the figures can differ slightly.
"""


# The most validation accuracy INT8 may lose against float32 and still be shipped.
INT8_TOLERANCE = 0.0005


def choose_precision(run_model: Path, staging: Path, folder: Path, config: dict) -> tuple[Path, dict]:
    """Quantize to INT8 (calibrated on training images) and keep it if the validation split says it is as
    accurate as float32 within INT8_TOLERANCE; else keep float32. Never looks at the test set."""
    from digitocr.data.mnist import split_validation
    from digitocr.training.export import quantize_int8

    images, labels = load_split("train", folder)
    if config.get("limit"):
        images, labels = images[: config["limit"]], labels[: config["limit"]]
    train_idx, val_idx = split_validation(len(images), config["val_size"], config["seed"])
    calibration = images[train_idx[:2000]].astype(np.float32)[:, None] / 255.0
    int8_path = quantize_int8(run_model, staging / "int8.onnx", calibration)
    val_fp32 = measure(run_model, images[val_idx], labels[val_idx])["accuracy"]
    val_int8 = measure(int8_path, images[val_idx], labels[val_idx])["accuracy"]
    use_int8 = val_int8 >= val_fp32 - INT8_TOLERANCE
    report = {"precision": "int8" if use_int8 else "float32", "val_accuracy_float32": val_fp32,
              "val_accuracy_int8": val_int8, "calibration_images": len(calibration),
              "rule": f"int8 if its validation accuracy is within {100 * INT8_TOLERANCE:.2f} points of float32"}
    return (int8_path if use_int8 else run_model), report


def read_run(run_dir: str | os.PathLike) -> tuple[Path, dict, dict, dict]:
    """A finished training run: (its folder, model.json, metrics.json, config.json); a DataError naming the first
    file missing."""
    run = Path(run_dir)
    for name in RUN_FILES:
        if not (run / name).is_file():
            raise DataError(run / name, "missing: not a finished training run (train with 'digitocr train')")
    return (run, *(_read_json(run / n) for n in ("model.json", "metrics.json", "config.json")))


def ship(run_dir: str | os.PathLike, dest: str | os.PathLike, data_dir: str | os.PathLike | None = None,
         command: str | None = None, quantize: bool = True) -> Path:
    """Ship RUN_DIR's model into DEST as digit_classifier.{onnx,json,md}; returns the .onnx path.

    With `quantize`, the INT8 version is shipped when the validation split shows no loss (choose_precision).
    """
    run, model_meta, metrics, config = read_run(run_dir)
    folder = resolve_data_dir(data_dir)
    history = _read_history(run / "history.csv")
    images, labels = load_split("test", folder)
    sums = checksums(folder)

    out = Path(dest)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{NAME}-", dir=out))
    try:
        onnx_path = staging / f"{NAME}.onnx"
        chosen, precision = run / "model.onnx", {"precision": "float32"}
        if quantize:
            chosen, precision = choose_precision(run / "model.onnx", staging, folder, config)
        shutil.copyfile(chosen, onnx_path)
        # The run's metadata first, so the Classifier reads the output kind the model was exported with.
        (staging / f"{NAME}.json").write_text(json.dumps(model_meta, indent=2) + "\n")
        test = measure(onnx_path, images, labels)
        meta = {
            **model_meta,
            "name": NAME,
            "sha256": sha256_of(onnx_path),
            "test_accuracy": test["accuracy"],
            "val_accuracy": metrics["val_accuracy"],
            "seed": metrics.get("seed", config.get("seed")),
            "train_seconds": metrics.get("train_seconds"),
            "epochs": metrics.get("epochs_run"),
            "parameters": metrics.get("parameters"),
            "command": command or train_command(config, run),
            "command_given": command is not None,
            "test": test,
            "quantization": precision,
            "data": {"test_set": "MNIST t10k", "checksums": sums, "train_source": config.get("data")},
            "training": {k: metrics.get(k) for k in ("epochs_run", "best_epoch", "train_seconds",
                                                     "seconds_per_epoch", "train_images", "val_images",
                                                     "val_loss", "val_not_a_digit_caught",
                                                     "val_digits_rejected", "trained_on")},
            "config": {k: v for k, v in config.items() if k != "augmentation"},
            "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(),
                        "python": platform.python_version(), "torch": _package_version("torch"),
                        "onnxruntime": _package_version("onnxruntime")},
            "run_dir": str(run),
            "shipped": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }
        (staging / f"{NAME}.json").write_text(json.dumps(meta, indent=2) + "\n")
        (staging / f"{NAME}.md").write_text(render_card(meta, history))
        produced = [onnx_path, staging / f"{NAME}.json", staging / f"{NAME}.md"]
        curves = run / "learning_curves.png"
        if curves.is_file():
            shutil.copyfile(curves, staging / f"{NAME}_learning_curves.png")
            produced.append(staging / f"{NAME}_learning_curves.png")
        for path in produced:
            os.replace(path, out / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out / f"{NAME}.onnx"
