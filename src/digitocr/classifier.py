"""The digit classifier at read time: ONNX Runtime, no torch.

`Classifier` loads an ONNX model that follows the model contract (DESIGN.md) and its metadata
(the .json beside it), and turns 28x28 crops in MNIST's form into ten probabilities.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np
import onnxruntime as ort

from digitocr.errors import DataError
from digitocr.preprocess import image_to_mnist_form

SHIPPED_MODEL = "digit_classifier.onnx"
MODEL_ENV = "DIGITOCR_MODEL"
DIGITS = [str(d) for d in range(10)]
NOT_A_DIGIT = "not a digit"  # the eleventh output class of a model trained with negatives


def shipped_model_path() -> Path:
    """The default model: $DIGITOCR_MODEL if set, else the one shipped in the package."""
    if os.environ.get(MODEL_ENV):
        return Path(os.environ[MODEL_ENV])
    return Path(str(resources.files("digitocr") / "assets" / SHIPPED_MODEL))


def load_image(source) -> np.ndarray:
    """An image of one digit (a path, bytes or PIL image) -> uint8 grey or RGB, read exactly as `digitocr read`
    reads a page: by content, upright by EXIF, transparency on white, size limits; a DataError for a bad file."""
    from digitocr.reading.load import load_pages

    return load_pages(source, pages="1")[0].image


def open_onnx(path: Path, missing: str, threads: int | None = None) -> tuple[ort.InferenceSession, dict]:
    """An ONNX Runtime session (CPU) on the model at `path` and the metadata beside it (its .json, {} if none).
    A DataError naming the file if it is missing (`missing` says why) or no readable model."""
    if not path.is_file():
        raise DataError(path, missing)
    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    try:
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own exception types for a bad file
        raise DataError(path, f"not a readable ONNX model ({str(exc).splitlines()[0]})") from None
    meta_path = path.with_suffix(".json")
    return session, json.loads(meta_path.read_text()) if meta_path.is_file() else {}


class Classifier:
    """ONNX digit classifier. `predict` takes [N, 28, 28] (or [N, 1, 28, 28]) float32 in [0, 1], ink = 1."""

    def __init__(self, model_path: str | Path | None = None, threads: int | None = None):
        self.path = Path(model_path) if model_path else shipped_model_path()
        self.threads = threads  # ONNX Runtime threads a run, its own and its string reader's (None: the default)
        hint = " (train one with 'digitocr train', ship it with 'digitocr export')" if model_path is None else ""
        self.session, self.metadata = open_onnx(self.path, f"no such model file{hint}", threads)
        self.input_name = self.session.get_inputs()[0].name
        kind = self.metadata.get("output", {}).get("kind", "probabilities")
        self.outputs_logits = kind == "logits"

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    @cached_property
    def strings(self):
        """The string reader that reads runs of touching digits whole (strings.py), or None: $DIGITOCR_STRINGS if set
        (a DataError if it is no model; "none" reads without one: touching digits are then cut and classified), else
        the shipped one where it is installed."""
        from digitocr.strings import STRINGS_ENV, StringReader, shipped_strings_path

        chosen = os.environ.get(STRINGS_ENV, "")
        if chosen.lower() == "none":
            return None
        path = shipped_strings_path()
        return StringReader(path, threads=self.threads) if chosen or path.is_file() else None

    @property
    def name(self) -> str:
        return self.metadata.get("name", self.path.stem)

    @property
    def classes(self) -> list[str]:
        """The model's output classes, from its metadata: the ten digits, then "not a digit" where it has that."""
        return list(self.metadata.get("output", {}).get("classes") or DIGITS)

    @property
    def has_not_a_digit(self) -> bool:
        """Whether the model has the "not a digit" output (then `predict`'s ten probabilities leave its share)."""
        return NOT_A_DIGIT in self.classes

    def not_a_digit(self, probs) -> float:
        """One crop's "not a digit" probability from its ten digit probabilities: what they leave, 1 - sum,
        never below 0. Always 0.0 for a model without that output (its ten sum to 1 up to rounding)."""
        if not self.has_not_a_digit:
            return 0.0
        return max(0.0, 1.0 - float(np.sum(probs, dtype=np.float64)))

    def predict(self, crops: np.ndarray) -> np.ndarray:
        """[N, 28, 28] or [N, 1, 28, 28] -> [N, 10] probabilities of the digits (float32).

        With a model that also has a "not a digit" output they sum to less than 1: the rest is its share.
        """
        x = np.asarray(crops, dtype=np.float32)
        if x.ndim == 3:
            x = x[:, None]
        if x.ndim != 4 or x.shape[1:] != (1, 28, 28):
            raise ValueError(f"expected crops of shape [N, 28, 28], got {x.shape}")
        if len(x) == 0:
            return np.zeros((0, 10), np.float32)
        scores = self.session.run(None, {self.input_name: np.ascontiguousarray(x)})[0]
        if self.outputs_logits:
            scores = np.exp(scores - scores.max(axis=1, keepdims=True))
            scores /= scores.sum(axis=1, keepdims=True)
        return scores[:, :10].astype(np.float32)

    def classify_image(self, image: np.ndarray) -> np.ndarray:
        """One picture of one digit (dark ink on light paper, any size) -> its ten probabilities."""
        return self.predict(image_to_mnist_form(image)[None])[0]
