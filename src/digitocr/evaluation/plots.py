"""Pictures of an evaluation: the confusion matrix, the mistakes, a sample of predictions.

Drawn with matplotlib's object API on the Agg canvas (no pyplot), so no global backend is set
and nothing needs a display.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from digitocr.evaluation.metrics import Mistake

WRONG = "#d62728"


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def plot_confusion_matrix(cm: np.ndarray, path: str | Path, title: str = "Confusion matrix") -> Path:
    """Counts in every cell, true digits down the side, predicted digits along the bottom."""
    cm = np.asarray(cm)
    fig = _figure(7.5, 6.5)
    ax = fig.add_subplot()
    im = ax.imshow(cm, cmap="Blues", interpolation="nearest")
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label="images")
    threshold = cm.max() / 2 if cm.size else 0
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            ax.text(j, i, str(int(cm[i, j])), ha="center", va="center", fontsize=9,
                    color="white" if cm[i, j] > threshold else ("black" if cm[i, j] else "#b0b0b0"))
    ticks = range(cm.shape[0])
    ax.set(xticks=ticks, yticks=ticks, xlabel="predicted digit", ylabel="true digit", title=title)
    fig.tight_layout()
    fig.savefig(path)
    return Path(path)


def plot_digit_grid(images: np.ndarray, titles: Sequence[str], path: str | Path, colors: Sequence[str] | None = None,
                    cols: int = 8, title: str | None = None) -> Path:
    """Digits (ink high, [N, 28, 28]) drawn dark on light in a grid, each with its own caption.

    One mosaic image with text on it, not one axes per digit: the same picture, several times faster.
    """
    images = np.asarray(images, dtype=np.float32)
    if images.size and images.max() > 1.0:
        images = images / 255.0
    colors = colors or ["black"] * len(images)
    rows = max(1, -(-len(images) // cols))
    size, gap, caption = 28, 8, 9  # in pixels of the digits
    cell_w, cell_h = size + gap, size + caption
    mosaic = np.zeros((rows * cell_h, cols * cell_w), np.float32)
    for k, image in enumerate(images):
        top, left = (k // cols) * cell_h + caption, (k % cols) * cell_w + gap // 2
        mosaic[top : top + size, left : left + size] = image
    width = cols * 1.75
    grid_h = width * mosaic.shape[0] / mosaic.shape[1]
    head = 0.45 if title else 0.05
    fig = _figure(width, grid_h + head)
    ax = fig.add_axes((0, 0, 1, grid_h / (grid_h + head)))
    ax.set_axis_off()
    ax.imshow(mosaic, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest", aspect="equal")
    for k, text in enumerate(titles[: len(images)]):
        x = (k % cols) * cell_w + cell_w / 2 - 0.5
        y = (k // cols) * cell_h + caption - 1.5
        ax.text(x, y, text, ha="center", va="bottom", fontsize=8.5, color=colors[k])
    if title:
        fig.text(0.5, 1 - 0.5 * head / (grid_h + head), title, ha="center", va="center", fontsize=12)
    fig.savefig(path)
    return Path(path)


def plot_misclassified(images: np.ndarray, mistakes: Sequence[Mistake], path: str | Path, most: int = 64,
                       total: int | None = None) -> Path:
    """The `most` most confident mistakes, each captioned "true 4 / pred 9 (0.87)"; says so when there are none."""
    if not mistakes:
        fig = _figure(6, 1.5)
        what = f"all {total} images" if total is not None else "every image"
        fig.text(0.5, 0.5, f"No mistakes: {what} classified correctly.", ha="center", va="center", fontsize=13)
        fig.savefig(path)
        return Path(path)
    shown = list(mistakes[:most])
    titles = [f"true {m.true} / pred {m.predicted} ({m.confidence:.2f})" for m in shown]
    heading = f"Misclassified: {len(shown)} of {len(mistakes)} mistakes, most confident first"
    return plot_digit_grid(images[[m.index for m in shown]], titles, path, colors=[WRONG] * len(shown),
                           title=heading)


def plot_samples(images: np.ndarray, labels: np.ndarray, predictions: np.ndarray, path: str | Path,
                 count: int = 40) -> Path:
    """The first `count` images with what the model said and the truth; wrong ones in red."""
    n = min(count, len(images))
    titles = [f"pred {predictions[i]} / true {labels[i]}" for i in range(n)]
    colors = ["black" if predictions[i] == labels[i] else WRONG for i in range(n)]
    wrong = sum(c == WRONG for c in colors)
    return plot_digit_grid(images[:n], titles, path, colors=colors,
                           title=f"The first {n} images: {n - wrong} right, {wrong} wrong (red)")
