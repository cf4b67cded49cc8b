"""Figures of merit from true labels and predicted probabilities.

The report and the confusion matrix are scikit-learn's, so they read as its users expect. Negative
log-likelihood and expected calibration error say whether the confidences the reader prints can be trusted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DIGITS = list(range(10))
ECE_BINS = 15


@dataclass
class ClassScore:
    digit: int
    precision: float
    recall: float
    f1: float
    support: int  # true images of this digit


@dataclass
class Mistake:
    index: int  # position in the evaluated set
    true: int
    predicted: int
    confidence: float  # probability of the predicted digit


@dataclass
class Metrics:
    accuracy: float
    images: int
    errors: int
    nll: float
    ece: float
    confusion: np.ndarray  # int [10, 10]: rows true digit, columns predicted digit
    report: str  # sklearn's classification_report(y, pred, digits=4)
    per_class: list[ClassScore]
    mistakes: list[Mistake]  # most confident first
    predictions: np.ndarray  # int [N]
    confidences: np.ndarray  # float [N], probability of the predicted digit


def _check(labels: np.ndarray, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(labels).astype(np.int64)
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] != 10 or y.shape != (len(p),):
        raise ValueError(f"expected labels [N] and probabilities [N, 10], got {y.shape} and {p.shape}")
    if y.size and (y.min() < 0 or y.max() > 9):
        raise ValueError(f"labels must be digits 0..9, got values from {y.min()} to {y.max()}")
    return y, p


def negative_log_likelihood(labels: np.ndarray, probs: np.ndarray) -> float:
    """Mean -log p(true digit), natural log; a zero probability counts as 1e-12."""
    y, p = _check(labels, probs)
    if not len(y):
        return float("nan")
    return float(-np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1.0)).mean())


def expected_calibration_error(labels: np.ndarray, probs: np.ndarray, bins: int = ECE_BINS) -> float:
    """ECE (Guo et al., 2017): top-1 confidences in `bins` equal-width bins (lo, hi];
    the gap between accuracy and mean confidence in each bin, weighted by its share of the images."""
    y, p = _check(labels, probs)
    if not len(y):
        return float("nan")
    conf = p.max(axis=1)
    correct = p.argmax(axis=1) == y
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.searchsorted(edges, conf, side="left") - 1, 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            ece += inside.mean() * abs(correct[inside].mean() - conf[inside].mean())
    return float(ece)


def compute_metrics(labels: np.ndarray, probs: np.ndarray) -> Metrics:
    from sklearn.metrics import classification_report, confusion_matrix, precision_recall_fscore_support

    y, p = _check(labels, probs)
    if not len(y):
        raise ValueError("no images to measure")
    pred = p.argmax(axis=1)
    conf = p[np.arange(len(y)), pred]
    cm = confusion_matrix(y, pred, labels=DIGITS)
    correct = int(np.trace(cm))
    # zero_division=0 prints what the default prints, without the warnings for absent digits.
    report = classification_report(y, pred, digits=4, zero_division=0)
    prec, rec, f1, support = precision_recall_fscore_support(y, pred, labels=DIGITS, zero_division=0)
    per_class = [ClassScore(d, float(prec[d]), float(rec[d]), float(f1[d]), int(support[d])) for d in DIGITS]
    wrong = np.flatnonzero(pred != y)
    wrong = wrong[np.argsort(-conf[wrong], kind="stable")]
    mistakes = [Mistake(int(i), int(y[i]), int(pred[i]), float(conf[i])) for i in wrong]
    return Metrics(accuracy=correct / len(y), images=len(y), errors=len(y) - correct,
                   nll=negative_log_likelihood(y, p), ece=expected_calibration_error(y, p), confusion=cm,
                   report=report, per_class=per_class, mistakes=mistakes, predictions=pred, confidences=conf)
