"""How well each model holds up when MNIST's test digits are drawn differently: stroke width, binarisation,
digits stretched to fill their box, blur, noise, rotation, European 1s and 7s.

    .venv/bin/python benchmarks/robustness.py --data data/mnist [--model A.onnx B.onnx] [--split val]
        [--split-seed S] [--json out.json]

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


def _stroke_width(img: np.ndarray, strokes: float) -> int:
    """About how wide a digit's strokes are: its ink over its height, per stroke."""
    rows = np.flatnonzero((img > 76).any(axis=1))
    return max(1, round(float(img.sum()) / 255.0 / max(1, rows[-1] - rows[0] + 1) / strokes))


def flagged_one(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A 1 as much of Europe writes it: a flag from its top down to the left, 30 to 60 degrees from upright and
    0.3 to 0.45 of its height long, drawn with OpenCV (training's `european` is another drawing, in torch)."""
    ink = img > 100
    ys, xs = np.nonzero(ink)
    top, height = int(ys.min()), int(ys.max() - ys.min() + 1)
    tip = int(round(xs[ys == top].mean()))
    length, angle = height * rng.uniform(0.3, 0.45), np.radians(rng.uniform(30, 60))
    end = (int(round(tip - length * np.sin(angle))), int(round(top + length * np.cos(angle))))
    out = img.copy()
    cv2.line(out, (tip, top), end, 255, _stroke_width(img, 1.0), cv2.LINE_AA)
    return out


def crossed_seven(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A 7 as much of Europe writes it: a short bar through its stem at 45% to 60% of its height."""
    ink = img > 100
    ys, xs = np.nonzero(ink)
    top, bottom = int(ys.min()), int(ys.max())
    row = int(round(top + (bottom - top) * rng.uniform(0.45, 0.6)))
    on = np.flatnonzero(ink[row])
    if on.size == 0:
        return img
    half = (xs.max() - xs.min()) * rng.uniform(0.35, 0.55) / 2
    out = img.copy()
    cv2.line(out, (int(round(on.mean() - half)), row), (int(round(on.mean() + half)), row), 255,
             _stroke_width(img, 1.8), cv2.LINE_AA)
    return out


def european(images: np.ndarray, labels: np.ndarray, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Only the 1s and 7s, every 1 flagged and every 7 crossed (`flagged_one`, `crossed_seven`)."""
    rng = np.random.default_rng(seed)
    keep = np.flatnonzero((labels == 1) | (labels == 7))
    out = np.stack([flagged_one(images[i], rng) if labels[i] == 1 else crossed_seven(images[i], rng) for i in keep])
    return out, labels[keep]


# Variations of some digits only, by their labels: (images, labels) -> (the varied images, their labels).
LABELLED: dict[str, Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]] = {
    "european 1s and 7s": european,
}

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
    parser.add_argument("--split", choices=["test", "val"], default="test",
                        help="MNIST's test set (to report), or the classifier's validation split (to choose by)")
    parser.add_argument("--split-seed", type=int, default=0, metavar="SEED",
                        help="--split val: the seed the models' runs drew their validation split with (default: "
                        "%(default)s); models trained on other splits have seen some of its digits")
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
    known = [*VARIATIONS, *LABELLED]
    names = known if not args.only else [n.strip() for n in args.only.split(",")]
    unknown = [n for n in names if n not in known]
    if unknown:
        print(f"unknown variation {unknown[0]!r}: choose from {', '.join(known)}", file=sys.stderr)
        return 2

    if args.split == "val":  # the classifier's own validation split: for choosing between models
        from digitocr.data.mnist import split_validation

        images, labels = load_split("train", args.data)
        _, val = split_validation(len(images), 5000, args.split_seed)
        images, labels = images[val], labels[val]
    else:
        images, labels = load_split("test", args.data)
    if args.limit:
        images, labels = images[: args.limit], labels[: args.limit]
    varied = {}
    for name in names:
        if name in LABELLED:
            varied[name] = LABELLED[name](images, labels)
        else:
            varied[name] = VARIATIONS[name](images), labels
            assert varied[name][0].shape == images.shape and varied[name][0].dtype == np.uint8, name
    classifiers = [Classifier(m) for m in args.model]
    labels_shown = model_labels(args.model)
    table = {name: {label: accuracy(clf, x, y) for label, clf in zip(labels_shown, classifiers, strict=True)}
             for name, (x, y) in varied.items()}

    width = max(len(n) for n in names)
    cols = [max(len(label), 8) for label in labels_shown]
    split = "validation (held out of training)" if args.split == "val" else "test"
    print(f"\naccuracy % on {len(labels):,} MNIST {split} images (a labelled variation: on the digits it varies)")
    print(f"{'variation':<{width}}  " + "  ".join(f"{label:>{w}}" for label, w in zip(labels_shown, cols, strict=True)))
    for name in names:
        cells = [f"{100 * table[name][label]:>{w}.2f}" for label, w in zip(labels_shown, cols, strict=True)]
        print(f"{name:<{width}}  " + "  ".join(cells) + (f"  ({len(varied[name][1]):,} images)"
                                                         if name in LABELLED else ""))
    if args.samples:
        save_samples({name: x for name, (x, _) in varied.items()}, args.samples)
        print(f"wrote {args.samples}")
    if args.json:
        payload = {"images": len(labels), "models": {label: str(m) for label, m in zip(labels_shown, args.model,
                                                                                       strict=True)},
                   "split": args.split, "split_seed": args.split_seed if args.split == "val" else None,
                   "accuracy": table,
                   "variations": {n: ({**VARIATIONS, **LABELLED}[n].__doc__ or "").split("\n")[0] for n in names}}
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
