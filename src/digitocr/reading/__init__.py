"""Reading: any page in, handwritten numbers out.

    file -> load.py (page images) -> clean.py -> find.py (characters) -> recognise.py (ONNX Runtime)
         -> assemble.py (words, lines, reading order) -> export.py (text, JSON, hOCR, annotated image)

Never imports torch.
"""

from __future__ import annotations

from pathlib import Path

from digitocr.classifier import Classifier
from digitocr.document import Document


def source_name(source) -> str:
    if isinstance(source, str | Path):
        return str(source)
    return f"<{type(source).__name__}>"


def read(source, *, dpi: int = 300, pages: str | None = None, classifier: Classifier | None = None,
         **limits) -> Document:
    """A path, bytes, a PIL image or a numpy array -> the Document of every handwritten number on it.

    `pages` picks PDF/TIFF pages ("1,3-5"); `limits` are load_pages' max_pages / max_pixels.
    """
    from digitocr.reading.load import load_pages
    from digitocr.reading.pipeline import read_page

    clf = classifier or Classifier()
    images = load_pages(source, dpi=dpi, pages=pages, **limits)
    return Document(file=source_name(source), model={"name": clf.name, "sha256": clf.sha256},
                    pages=[read_page(page, clf) for page in images])
