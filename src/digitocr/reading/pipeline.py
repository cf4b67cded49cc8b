"""One page image -> one Page of handwritten numbers: clean, find, recognise, assemble.

The work resolution: a first pass at about 150 dpi for an A4 page (a whole-number reduction)
measures the handwriting, and the page is cleaned again at a better reduction only when the
characters came out much smaller or larger than TARGET pixels (enlarged, when they are small in the
image as given: a low-resolution scan, a small crop). Characters stay above the 20-pixel
box of MNIST's form there, so the crops lose nothing, and everything else is four times cheaper.
Boxes are mapped back to the page image as given (through the deskew and the reduction).
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from digitocr.classifier import Classifier
from digitocr.document import Page
from digitocr.reading.assemble import assemble
from digitocr.reading.clean import Cleaned, clean_page, darkest_channel, rgb8, work_factor
from digitocr.reading.find import find_glyphs
from digitocr.reading.load import PageImage
from digitocr.reading.recognise import recognise

TARGET = 40  # work pixels for a typical character
TOO_SMALL, TOO_LARGE = 24, 80  # characters outside this (work pixels) get another pass
MAX_ENLARGE = 4.0  # an image whose writing is small even unreduced is enlarged, this many times at most


def clean(image, max_side: int = 1800) -> Cleaned:
    """Page image -> Cleaned at a work scale where characters are about TARGET pixels tall."""
    factor = work_factor(image.shape, max_side)
    cleaned = clean_page(image, factor)
    h = cleaned.char_height
    if h is not None and ((h < TOO_SMALL and factor > 1) or h > TOO_LARGE):
        better = max(1, round(factor * h / TARGET))
        if better != factor:
            cleaned = clean_page(image, better)
    elif h is not None and h < TOO_SMALL and factor == 1:
        # a low-resolution scan or a small crop: enlarged, a dot or a thin stroke is more than a pixel or two; never
        # past a page's work size, which bounds the time and memory
        enlarge = min(TARGET / h, MAX_ENLARGE, max_side / max(image.shape[:2]))
        if enlarge > 1.2:
            cleaned = clean_enlarged(image, enlarge)
    return cleaned


def clean_enlarged(image, enlarge: float) -> Cleaned:
    """`clean_page` of the image enlarged `enlarge` times, its scale and boxes still the image's own."""
    grey = darkest_channel(image)
    big = cv2.resize(grey, (round(grey.shape[1] * enlarge), round(grey.shape[0] * enlarge)),
                     interpolation=cv2.INTER_CUBIC)
    rgb = cv2.resize(image, big.shape[::-1], interpolation=cv2.INTER_LINEAR) if rgb8(image) else None
    cleaned = clean_page(big, 1, rgb)
    sx, sy = big.shape[1] / grey.shape[1], big.shape[0] / grey.shape[0]
    return replace(cleaned, scale=cleaned.scale * sx, to_page=cleaned.to_page / np.array([[sx], [sy]]))


def read_page(page: PageImage, classifier: Classifier) -> Page:
    """Every handwritten number on one page, boxes in the page image's pixels. A blank page gives no lines."""
    height, width = page.image.shape[:2]
    cleaned = clean(page.image)
    found = find_glyphs(cleaned)
    readings = recognise(cleaned, found, classifier)
    lines = assemble(readings, cleaned.to_page, (width, height))
    return Page(number=page.number, width=width, height=height, dpi=page.dpi, lines=lines)
