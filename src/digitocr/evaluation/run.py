"""`digitocr evaluate`: run an ONNX model over labelled digits and write what a reader needs to judge it.

Files written into the output folder:
  metrics.json               accuracy, counts, NLL, ECE, per-digit precision/recall/F1, model and data
  classification_report.txt  scikit-learn's classification report
  confusion_matrix.csv/.png  rows true digit, columns predicted digit
  misclassified.csv/.png     the mistakes, most confident first
  samples.png                the first 40 images with prediction and truth
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from digitocr.classifier import Classifier
from digitocr.errors import DigitocrError
from digitocr.evaluation.metrics import DIGITS, ECE_BINS, compute_metrics


def predict_in_batches(clf: Classifier, images: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """uint8 (0..255) or float (0..1) images [N, 28, 28], ink high -> [N, 10] probabilities."""
    scale = 255.0 if images.dtype == np.uint8 else 1.0
    out = [clf.predict(images[i : i + batch_size].astype(np.float32) / scale)
           for i in range(0, len(images), batch_size)]
    return np.concatenate(out) if out else np.zeros((0, 10), np.float32)


def write_confusion_csv(cm: np.ndarray, path: Path) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["true\\predicted", *DIGITS])
        for d in DIGITS:
            writer.writerow([d, *(int(v) for v in cm[d])])


def write_report(images: np.ndarray, labels: np.ndarray, probs: np.ndarray, out_dir: str | Path,
                 about: dict | None = None) -> dict:
    """Measure `probs` against `labels` and write every file into `out_dir`; returns the metrics.json dict.

    `about` (model, data, ...) is merged into metrics.json as it is.
    """
    from digitocr.evaluation.plots import plot_confusion_matrix, plot_misclassified, plot_samples

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    m = compute_metrics(labels, probs)
    metrics = {
        "accuracy": m.accuracy, "images": m.images, "errors": m.errors,
        "nll": m.nll, "ece": m.ece, "ece_bins": ECE_BINS,
        **(about or {}),
        "per_class": {str(c.digit): {"precision": c.precision, "recall": c.recall, "f1": c.f1, "support": c.support}
                      for c in m.per_class},
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    (out / "classification_report.txt").write_text(m.report)
    write_confusion_csv(m.confusion, out / "confusion_matrix.csv")
    with open(out / "misclassified.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["index", "true", "predicted", "confidence"])
        writer.writerows([k.index, k.true, k.predicted, f"{k.confidence:.4f}"] for k in m.mistakes)
    plot_confusion_matrix(m.confusion, out / "confusion_matrix.png",
                          title=f"Confusion matrix: {100 * m.accuracy:.2f}% of {m.images} images right")
    plot_misclassified(images, m.mistakes, out / "misclassified.png", total=m.images)
    plot_samples(images, labels, m.predictions, out / "samples.png")
    return metrics


def evaluate(model: str | Path | None = None, data: str | None = None, csv: str | None = None,
             images: str | None = None, out_dir: str | Path = "runs/eval", limit: int | None = None) -> dict:
    """Evaluate an ONNX model (default: the shipped one) on the MNIST test split, a labelled Kaggle CSV,
    or a folder of labelled images (the latter two whole); `limit` keeps the first N images."""
    from digitocr.data.sources import load_dataset

    if limit is not None and limit < 1:
        raise DigitocrError(f"--limit must be a positive number of images, not {limit}")
    clf = Classifier(model)  # before the data: a wrong model path should fail at once
    dataset = load_dataset(data=data, csv=csv, images=images, split="test")
    x, y = dataset.images[:limit], dataset.labels[:limit]
    if not len(y):
        raise DigitocrError(f"{dataset.source}: no images to evaluate")
    probs = predict_in_batches(clf, x)
    about = {"model": {"path": str(clf.path.resolve()), "name": clf.name, "sha256": clf.sha256},
             "data": dataset.source, "limit": limit}
    return write_report(x, y, probs, out_dir, about)
