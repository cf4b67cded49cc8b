"""Readings made up for the reader's tests: a candidate read as a digit or a mark, as the recognise stage hands it
on, and `patch_rule`, which takes one of assembly's rules out wherever its modules hold it."""

from __future__ import annotations

import numpy as np
import pytest

from digitocr.reading import assemble as assemble_stage
from digitocr.reading import items as items_stage
from digitocr.reading import leftovers as leftovers_stage
from digitocr.reading import printed as printed_stage
from digitocr.reading import separators as separators_stage
from digitocr.reading.find import Glyph
from digitocr.reading.recognise import Reading

ASSEMBLY = (assemble_stage, items_stage, separators_stage, leftovers_stage, printed_stage)


def patch_rule(patch: pytest.MonkeyPatch, name: str, value) -> None:
    """Set one of assembly's rules or measures to `value` in every module of it that holds the name (one imported
    from another module is bound in each), as a test takes a rule out."""
    holders = [m for m in ASSEMBLY if hasattr(m, name)]
    assert holders, name
    for module in holders:
        patch.setattr(module, name, value)


def glyph_reading(box: tuple[int, int, int, int], digit: int | None, sure: float = 0.99) -> Reading:
    """A candidate read as `digit` with probability `sure` (at 0.1, "not a digit" to the classifier), or a mark
    (None)."""
    probs = None
    if digit is not None:
        probs = np.full(10, 0.001, np.float32)
        probs[digit] = sure
    kind = "mark" if digit is None else "char"
    return Reading(box=box, probs=probs, glyph=Glyph(labels=[1], box=box, area=1, kind=kind))
