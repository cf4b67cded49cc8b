"""The string reader at read time: ONNX Runtime, no torch.

`StringReader` loads the string model (models/strings.py, shipped as assets/digit_strings.onnx with its .json and
model card .md) and reads strips of touching digits (`preprocess.to_strip`) whole: per strip, the text of its best
CTC path, and for each character the frames it spans and its ten probabilities.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np

from digitocr.classifier import open_onnx
from digitocr.preprocess import STRIP_FRAME

SHIPPED_STRINGS = "digit_strings.onnx"
STRINGS_ENV = "DIGITOCR_STRINGS"
BLANK = 10  # CTC's blank: the model's last output


@dataclass
class StringReading:
    text: str
    spans: list[tuple[int, int]]  # per character: its first and last frame (a frame is STRIP_FRAME strip columns)
    probs: np.ndarray  # [len(text), 10]: each character's ten probabilities, at its surest frame
    confidence: float  # the best path's probability: the product over frames of the surest class


def shipped_strings_path() -> Path:
    """The default string model: $DIGITOCR_STRINGS if set, else the one shipped in the package."""
    if os.environ.get(STRINGS_ENV) and os.environ[STRINGS_ENV].lower() != "none":
        return Path(os.environ[STRINGS_ENV])
    return Path(str(resources.files("digitocr") / "assets" / SHIPPED_STRINGS))


def best_path(frames: np.ndarray) -> StringReading:
    """CTC's best path through [T, 11] frame probabilities: the surest class per frame, repeats merged, blanks
    dropped (Graves et al., 2006)."""
    top = frames.argmax(axis=1)
    text, spans, probs = [], [], []
    t = 0
    while t < len(top):
        if top[t] == BLANK:
            t += 1
            continue
        end = t
        while end + 1 < len(top) and top[end + 1] == top[t]:
            end += 1
        peak = t + int(frames[t : end + 1, top[t]].argmax())
        text.append(str(int(top[t])))
        spans.append((t, end))
        probs.append(frames[peak, :BLANK])
        t = end + 1
    confidence = float(np.exp(np.log(np.maximum(frames.max(axis=1), 1e-12)).sum())) if len(frames) else 0.0
    return StringReading("".join(text), spans, np.array(probs, np.float32).reshape(-1, BLANK), confidence)


def pad_strips(strips: list[np.ndarray]) -> np.ndarray:
    """Strips of one height as one batch [N, 1, 28, W], each padded with paper to the widest."""
    batch = np.zeros((len(strips), 1, strips[0].shape[0], max(s.shape[1] for s in strips)), np.float32)
    for i, s in enumerate(strips):
        batch[i, 0, :, : s.shape[1]] = s
    return batch


class StringReader:
    """ONNX string reader. `read` takes strips ([28, W] float32 in [0, 1], ink = 1, W a multiple of 4)."""

    def __init__(self, model_path: str | Path | None = None, threads: int | None = None):
        self.path = Path(model_path) if model_path else shipped_strings_path()
        self.session, self.metadata = open_onnx(
            self.path, "no such string model file (train one with 'digitocr train --arch strings')", threads)
        self.input_name = self.session.get_inputs()[0].name

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    @property
    def name(self) -> str:
        return self.metadata.get("name", self.path.stem)

    def frames(self, strips: list[np.ndarray]) -> list[np.ndarray]:
        """Each strip's frame probabilities [W / STRIP_FRAME, 11]. Strips of like widths run as one batch, each
        padded with paper to the widest of its batch (a single digit padded to a long run's width costs 10x)."""
        out: list[np.ndarray] = [np.zeros((0, BLANK + 1), np.float32)] * len(strips)
        order = sorted(range(len(strips)), key=lambda i: strips[i].shape[1])
        while order:
            first = strips[order[0]].shape[1]
            batch = [i for i in order if strips[i].shape[1] <= 2 * first]
            order = order[len(batch) :]
            x = pad_strips([strips[i] for i in batch])
            probs = self.session.run(None, {self.input_name: x})[0]  # [B, T, 11]
            for j, i in enumerate(batch):
                out[i] = probs[j, : strips[i].shape[1] // STRIP_FRAME]
        return out

    def read(self, strips: list[np.ndarray]) -> list[StringReading]:
        return [best_path(f) for f in self.frames(strips)]

