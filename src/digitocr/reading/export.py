"""The Document out: plain text, JSON, hOCR, and the page drawn over with what was read.

Text and hOCR follow Tesseract's conventions, so tools built for Tesseract's output take ours:
one output line per line of handwriting, a form feed between pages; hOCR with ocr_page, ocr_line
and ocrx_word elements whose title carries `bbox x0 y0 x1 y1` and `x_wconf` (0-100).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from pathlib import Path

import numpy as np

from digitocr.document import Document, Page
from digitocr.errors import DataError

# Confidence colours for annotate (RGB): at least 0.9 green, at least 0.6 orange, below that red.
CONFIDENT, UNSURE, DOUBTFUL = (0, 160, 60), (245, 130, 0), (220, 20, 30)


def to_text(doc: Document) -> str:
    """Each line of handwriting as one line ending in a newline, words separated by one space, a form feed
    between pages. A page with nothing on it gives nothing, so a blank file prints nothing."""
    return "\f".join("".join(line.text + "\n" for line in page.lines) for page in doc.pages)


def to_json(doc: Document) -> str:
    """The JSON tree of DESIGN.md on one line (so several documents make JSON Lines)."""
    return json.dumps(doc.to_dict(), ensure_ascii=False, separators=(",", ":"))


HOCR_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head>
  <title>{title}</title>
  <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>
  <meta name="ocr-system" content="digitocr {version}"/>
  <meta name="ocr-capabilities" content="ocr_page ocr_line ocrx_word ocrp_wconf"/>
 </head>
 <body>
"""
HOCR_TAIL = """ </body>
</html>
"""


def to_hocr(docs: Document | Sequence[Document]) -> str:
    """One XHTML document in the hOCR convention for one Document, or for several (their pages in order).

    ppageno is the page's place in its own file (0-based, as Tesseract counts); `image` names the file.
    """
    docs = [docs] if isinstance(docs, Document) else list(docs)
    title = docs[0].file if len(docs) == 1 else ""
    out = [HOCR_HEAD.format(title=escape(title), version=escape(_version()))]
    n = 0
    for doc in docs:
        for page in doc.pages:
            n += 1
            out.append(_hocr_page(doc.file, page, n))
    out.append(HOCR_TAIL)
    return "".join(out)


def _hocr_page(file: str, page: Page, n: int) -> str:
    image = file.replace("\\", "\\\\").replace('"', '\\"')
    props = f'image "{image}"; bbox 0 0 {page.width} {page.height}; ppageno {page.number - 1}'
    if page.dpi:
        props += f"; scan_res {page.dpi} {page.dpi}"
    out = [f'  <div class="ocr_page" id="page_{n}" title="{escape(props)}">\n']
    w = 0
    for i, line in enumerate(page.lines, 1):
        out.append(f'   <span class="ocr_line" id="line_{n}_{i}" title="{_bbox(line.bbox)}">')
        words = []
        for word in line.words:
            w += 1
            words.append(f'<span class="ocrx_word" id="word_{n}_{w}" title="{_bbox(word.bbox)}; '
                         f'x_wconf {round(100 * word.confidence)}">{escape(word.text)}</span>')
        out.append(" ".join(words) + "</span>\n")
    out.append("  </div>\n")
    return "".join(out)


def _bbox(box) -> str:
    return "bbox " + " ".join(str(int(v)) for v in box)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("digitocr")
    except PackageNotFoundError:
        return "unknown"


# --- the annotated page ----------------------------------------------------------------------------------------------

def confidence_colour(confidence: float) -> tuple[int, int, int]:
    return CONFIDENT if confidence >= 0.9 else UNSURE if confidence >= 0.6 else DOUBTFUL


def annotate(image: np.ndarray, page: Page) -> np.ndarray:
    """The page (grey or RGB uint8) as RGB, with a box around every word and its digits written above it,
    both coloured by the word's confidence. Lines and letters scale with the page, so they read at any size."""
    import cv2

    canvas = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB) if image.ndim == 2 else np.array(image[:, :, :3])
    canvas = np.ascontiguousarray(canvas, dtype=np.uint8)
    height, width = canvas.shape[:2]
    side = min(height, width)
    thickness = max(1, round(side / 500))
    font, font_scale = cv2.FONT_HERSHEY_SIMPLEX, max(0.4, side / 1100)  # digits about 1/50 of the page's width high
    text_thickness = max(1, round(font_scale * 1.6))
    for word in page.words:
        x0, y0, x1, y1 = (int(v) for v in word.bbox)
        colour = confidence_colour(word.confidence)
        cv2.rectangle(canvas, (x0, y0), (max(x0, x1 - 1), max(y0, y1 - 1)), colour, thickness)
        label = word.text.encode("ascii", "replace").decode()  # OpenCV's fonts are ASCII only
        (tw, th), base = cv2.getTextSize(label, font, font_scale, text_thickness)
        gap = 2 * thickness
        top = y0 - gap - th - base
        if top < 0:  # no room above the box: write under it
            top = min(y1 + gap, height - th - base)
        left = min(max(0, x0), max(0, width - tw))
        # A white band behind the digits keeps them legible on a busy page.
        cv2.rectangle(canvas, (left, top), (left + tw, top + th + base), (255, 255, 255), -1)
        cv2.putText(canvas, label, (left, top + th), font, font_scale, colour, text_thickness, cv2.LINE_AA)
    return canvas


def write_annotated(path: str | Path, image: np.ndarray, page: Page) -> Path:
    """annotate(), saved as an image file (the format follows the name: .png, .jpg, ...)."""
    from PIL import Image

    path = Path(path)
    try:
        Image.fromarray(annotate(image, page)).save(path)
    except ValueError as exc:  # Pillow: no format for this file name
        raise DataError(path, f"cannot write an image here ({exc})") from None
    except OSError as exc:
        raise DataError(path, f"cannot write ({exc.strerror or exc})") from None
    return path
