"""How well each model holds up when MNIST's test digits are drawn differently: stroke width, binarisation,
digits stretched to fill their box, blur, noise, rotation.

    .venv/bin/python benchmarks/robustness.py --data data/mnist [--model A.onnx B.onnx] [--json out.json]

Each variation is a plain function on uint8 [N, 28, 28] (ink high, as MNIST stores it) that returns the
same. Accuracy is measured with `digitocr.classifier.Classifier` (ONNX Runtime); numpy and OpenCV
only, no torch. The test set is used for measurement only, never to choose anything that is shipped.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from digitocr.classifier import Classifier, shipped_model_path
from digitocr.data.mnist import load_split
from digitocr.preprocess import INK_THRESHOLD, image_to_mnist_form, to_mnist_form

Variation = Callable[[np.ndarray], np.ndarray]
DISC = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))


def _each(images: np.ndarray, fn: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    out = np.empty_like(images)
    for i, img in enumerate(images):
        out[i] = fn(img)
    return out


def _to_uint8(x: np.ndarray, scale: float = 1.0) -> np.ndarray:
    return np.clip(np.rint(x * scale), 0, 255).astype(np.uint8)


def clean(images: np.ndarray) -> np.ndarray:
    return images.copy()


def _morph_at_2x(img: np.ndarray, op: int) -> np.ndarray:
    """Erode or dilate by one pixel at twice the resolution: half a pixel each side at 28x28."""
    big = cv2.resize(img, (56, 56), interpolation=cv2.INTER_LINEAR)
    return cv2.resize(cv2.morphologyEx(big, op, DISC), (28, 28), interpolation=cv2.INTER_AREA)


def thin(images: np.ndarray) -> np.ndarray:
    """Thinner strokes: grey erosion, one pixel of stroke width less (a fine pen)."""
    return _each(images, lambda img: _morph_at_2x(img, cv2.MORPH_ERODE))


def thick(images: np.ndarray) -> np.ndarray:
    """Thicker strokes: grey dilation, one pixel of stroke width more (a marker)."""
    return _each(images, lambda img: _morph_at_2x(img, cv2.MORPH_DILATE))


def binarised(images: np.ndarray) -> np.ndarray:
    """Pure black and white at half intensity, as a thresholded scan gives."""
    return np.where(images >= 128, 255, 0).astype(np.uint8)


def thin_binary(images: np.ndarray) -> np.ndarray:
    """Thin binary strokes: erosion, then threshold (a fine pen on a thresholded scan)."""
    return binarised(thin(images))


def _ink_box(img: np.ndarray) -> np.ndarray:
    ink = img > INK_THRESHOLD * 255
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return img
    return img[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def fill_box(images: np.ndarray) -> np.ndarray:
    """The ink's bounding box stretched to the whole 28x28, aspect ratio ignored (datasets whose digits fill
    their box), given to the model as is."""
    return _each(images, lambda img: cv2.resize(_ink_box(img), (28, 28), interpolation=cv2.INTER_LINEAR))


def fill_box_renormalised(images: np.ndarray) -> np.ndarray:
    """fill_box, then put back into MNIST's form with digitocr.preprocess.to_mnist_form, as our reader does
    (the aspect ratio stays distorted: a 1 comes back wide)."""
    return _each(fill_box(images), lambda img: _to_uint8(to_mnist_form(img), 255))


def blur(images: np.ndarray) -> np.ndarray:
    """Gaussian blur, sigma 1 pixel (an out-of-focus photo)."""
    return _each(images, lambda img: cv2.GaussianBlur(img, (5, 5), 1.0))


def noise(images: np.ndarray, std: float = 0.15, seed: int = 0) -> np.ndarray:
    """Gaussian noise of std 0.15 (on the 0..1 scale) on every pixel, clipped."""
    rng = np.random.default_rng(seed)
    return _to_uint8(images.astype(np.float32) + rng.normal(0, 255 * std, images.shape))


def rotated(images: np.ndarray, degrees: float = 15.0) -> np.ndarray:
    """Rotated by +15 degrees (even images) or -15 degrees (odd images) about the centre."""
    out = np.empty_like(images)
    for i, img in enumerate(images):
        m = cv2.getRotationMatrix2D((13.5, 13.5), degrees if i % 2 == 0 else -degrees, 1.0)
        out[i] = cv2.warpAffine(img, m, (28, 28), flags=cv2.INTER_LINEAR, borderValue=0)
    return out


def as_picture(images: np.ndarray) -> np.ndarray:
    """Inverted to dark ink on white paper and read back through image_to_mnist_form, as `digitocr classify`
    reads a picture file (the ink scale is re-estimated and the digit re-centred)."""
    return _each(images, lambda img: _to_uint8(image_to_mnist_form(255 - img), 255))


VARIATIONS: dict[str, Variation] = {
    "clean": clean,
    "thin": thin,
    "thick": thick,
    "binarised": binarised,
    "thin binary": thin_binary,
    "fill box": fill_box,
    "fill box, renormalised": fill_box_renormalised,
    "blur": blur,
    "noise": noise,
    "rotated 15": rotated,
    "as a picture": as_picture,
}


def accuracy(clf: Classifier, images: np.ndarray, labels: np.ndarray, batch: int = 1000) -> float:
    predicted = np.concatenate([clf.predict(images[i : i + batch] / np.float32(255)).argmax(1)
                                for i in range(0, len(images), batch)])
    return float((predicted == labels).mean())


def model_labels(paths: list[Path]) -> list[str]:
    """Short, distinct names for the table: the file stem, or parent/stem when stems repeat."""
    stems = [p.stem for p in paths]
    return [p.stem if stems.count(p.stem) == 1 else f"{p.parent.name}/{p.stem}" for p in paths]


def save_samples(varied: dict[str, np.ndarray], path: Path, count: int = 10) -> None:
    """A picture: one row per variation, the first `count` test digits, dark ink on white."""
    rows = [np.hstack(list(v[:count])) for v in varied.values()]
    grid = 255 - np.vstack(rows)
    cv2.imwrite(str(path), cv2.resize(grid, None, fx=3, fy=3, interpolation=cv2.INTER_NEAREST))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", nargs="+", type=Path, default=[shipped_model_path()], metavar="PATH",
                        help="ONNX models to compare (default: the shipped one)")
    parser.add_argument("--data", metavar="DIR", default=os.environ.get("DIGITOCR_DATA"),
                        help="MNIST folder (default: $DIGITOCR_DATA)")
    parser.add_argument("--limit", type=int, metavar="N", help="the first N test images only (default: all 10,000)")
    parser.add_argument("--only", help="comma-separated variation names (default: all)")
    parser.add_argument("--samples", type=Path, metavar="PNG", help="also save a picture of each variation")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if not args.data:
        print("no MNIST folder: pass --data DIR or set DIGITOCR_DATA", file=sys.stderr)
        return 2
    for m in args.model:
        if not m.is_file():
            print(f"{m}: no such model", file=sys.stderr)
            return 2
    names = list(VARIATIONS) if not args.only else [n.strip() for n in args.only.split(",")]
    unknown = [n for n in names if n not in VARIATIONS]
    if unknown:
        print(f"unknown variation {unknown[0]!r}: choose from {', '.join(VARIATIONS)}", file=sys.stderr)
        return 2

    images, labels = load_split("test", args.data)
    if args.limit:
        images, labels = images[: args.limit], labels[: args.limit]
    varied = {}
    for name in names:
        varied[name] = VARIATIONS[name](images)
        assert varied[name].shape == images.shape and varied[name].dtype == np.uint8, name
    classifiers = [Classifier(m) for m in args.model]
    labels_shown = model_labels(args.model)
    table = {name: {label: accuracy(clf, x, labels) for label, clf in zip(labels_shown, classifiers, strict=True)}
             for name, x in varied.items()}

    width = max(len(n) for n in names)
    cols = [max(len(label), 8) for label in labels_shown]
    print(f"\naccuracy % on {len(labels):,} MNIST test images")
    print(f"{'variation':<{width}}  " + "  ".join(f"{label:>{w}}" for label, w in zip(labels_shown, cols, strict=True)))
    for name in names:
        cells = [f"{100 * table[name][label]:>{w}.2f}" for label, w in zip(labels_shown, cols, strict=True)]
        print(f"{name:<{width}}  " + "  ".join(cells))
    if args.samples:
        save_samples(varied, args.samples)
        print(f"wrote {args.samples}")
    if args.json:
        payload = {"images": len(labels), "models": {label: str(m) for label, m in zip(labels_shown, args.model,
                                                                                       strict=True)},
                   "accuracy": table, "variations": {n: (VARIATIONS[n].__doc__ or "").split("\n")[0] for n in names}}
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
