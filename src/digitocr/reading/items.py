"""What assembly works on: a candidate read (`Item`: a digit, a separator, or nothing) and its box's measures.

The shared measures of what the classifier's reading says of a candidate (NOT_DIGIT, UNSURE, SURE_SMALL, SIGN) and of
its size beside its line's (REACH, SHORT) live here, as every step of assembly asks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

import numpy as np

from digitocr.reading.find import Box
from digitocr.reading.recognise import Reading

REACH = 4.0  # a glyph continues a line no further right of its last glyph than this many character heights
SURE_SMALL = 0.85  # a digit read this surely is no letter's piece (a small glyph taken as a digit, a number's glyphs)
NOT_DIGIT = 0.5  # a candidate whose "not a digit" probability is this or more reads like a letter ...
UNSURE = 0.5  # ... and so does one whose best digit has less than this
SHORT = 0.78  # a glyph shorter than this times the tall ones of its line is a lowercase letter, not a digit
SIGN = 0.9  # a glyph at a number's start or end read whole as no digit this surely, and as nothing by the string
# reader, is a sign written by the number ($, #)


@dataclass
class Item:
    text: str  # a digit or a separator
    box: Box  # work pixels
    confidence: float
    alternatives: list[tuple[str, float]]
    reading: Reading

    @property
    def is_digit(self) -> bool:
        return self.text.isdigit()


def height(box: Box) -> int:
    return box[3] - box[1]


def v_overlap(a: Box, b: Box) -> float:
    """Vertical overlap of two boxes as a share of the shorter one."""
    return (min(a[3], b[3]) - max(a[1], b[1])) / max(1, min(height(a), height(b)))


def digit_item(r: Reading) -> Item:
    order = np.argsort(-r.probs)
    return Item(text=str(order[0]), box=r.box, confidence=float(r.probs[order[0]]),
                alternatives=[(str(k), float(r.probs[k])) for k in order[1:3]], reading=r)


def nearest(box: Box, glyphs: list, k: int = 2) -> list:
    """The `k` glyphs (items or readings) nearest a box along the line, by their centres."""
    cx = (box[0] + box[2]) / 2
    return sorted(glyphs, key=lambda g: abs((g.box[0] + g.box[2]) / 2 - cx))[:k]


def neighbours(box: Box, tall: list) -> tuple[float, float]:
    """Top and bottom of the digits nearest a mark (left and right of it): the local band of the line."""
    near = nearest(box, tall)
    return float(median([it.box[1] for it in near])), float(median([it.box[3] for it in near]))


def written_boxes(digits: list[Item]) -> list[Box]:
    """The boxes of a number's glyphs as written: the digits cut from one run of touching digits count once, by the
    run's box (they share its top and bottom)."""
    return list({id(d.reading.glyph): d.reading.glyph.box if d.reading.split > 1 else d.box for d in digits}.values())


def not_a_digit(it: Item) -> float:
    """The classifier's "not a digit" probability for a candidate: what its ten digit probabilities leave
    (0 for a model without that output)."""
    return max(0.0, 1.0 - float(it.reading.probs.sum()))


def written_height(it: Item) -> int:
    """A candidate's height, or for a piece cut from a run of touching digits the run's: a 0 or 8 cut out of it
    may stand lower than its neighbours without being a lowercase letter."""
    return it.reading.glyph.height if it.reading.split > 1 else height(it.box)


def written_bottom(it: Item) -> int:
    """A candidate's foot, or for a piece cut from a run of touching digits the run's (as `written_height`)."""
    return it.reading.glyph.box[3] if it.reading.split > 1 else it.box[3]


def to_page(box: Box, m: np.ndarray, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """A work box -> the page box holding it (through the inverse rotation and scaling), clipped to the page."""
    x0, y0, x1, y1 = box
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], np.float64) @ m.T
    w, h = size
    return (int(np.clip(np.floor(pts[:, 0].min()), 0, w)), int(np.clip(np.floor(pts[:, 1].min()), 0, h)),
            int(np.clip(np.ceil(pts[:, 0].max()), 0, w)), int(np.clip(np.ceil(pts[:, 1].max()), 0, h)))


def is_sign(it: Item) -> bool:
    """Whether a candidate may be a sign written by a number (a currency sign, a "#"): one glyph read whole that the
    classifier calls no digit surely (SIGN) and the string reader reads as nothing at all."""
    return it.is_digit and it.reading.split == 1 and it.reading.string_text == "" and not_a_digit(it) >= SIGN
