"""One page image -> one Page of handwritten numbers: clean, find, recognise, assemble.

The work resolution is chosen so a typical character is about TARGET pixels tall: a first pass at
about 150 dpi for an A4 page measures the characters, and the page is cleaned again at a better
scale only when they came out much smaller or larger than that.
"""

from __future__ import annotations

from digitocr.classifier import Classifier
from digitocr.document import Page
from digitocr.reading.assemble import assemble
from digitocr.reading.clean import Cleaned, clean_page, work_factor
from digitocr.reading.find import find_glyphs
from digitocr.reading.load import PageImage
from digitocr.reading.recognise import recognise

TARGET = 40  # work pixels for a typical character
TOO_SMALL, TOO_LARGE = 24, 80


def clean(image, max_side: int = 1800) -> Cleaned:
    """Page image -> Cleaned at a work scale where characters are about TARGET pixels tall."""
    factor = work_factor(image.shape, max_side)
    cleaned = clean_page(image, factor)
    h = cleaned.char_height
    if h is not None and ((h < TOO_SMALL and factor > 1) or h > TOO_LARGE):
        better = max(1, round(factor * h / TARGET))
        if better != factor:
            cleaned = clean_page(image, better)
    return cleaned


def read_page(page: PageImage, classifier: Classifier) -> Page:
    """Every handwritten number on one page, boxes in the page image's pixels. A blank page gives no lines."""
    height, width = page.image.shape[:2]
    cleaned = clean(page.image)
    found = find_glyphs(cleaned)
    readings = recognise(cleaned, found, classifier)
    lines = assemble(readings, cleaned.to_page, (width, height))
    return Page(number=page.number, width=width, height=height, dpi=page.dpi, lines=lines)
