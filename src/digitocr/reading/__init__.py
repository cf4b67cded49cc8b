"""Reading: any page in, handwritten numbers out.

    file -> load.py (page images) -> clean.py (ruling.py: ruling, grid and form lines out) -> find.py (characters)
         -> recognise.py (ONNX Runtime)
         -> assemble.py (lines, reading order; separators.py: marks named, numbers split and their separators
            mended to the forms numbers take, forms.py; printed.py: print told from handwriting; leftovers.py:
            signs, rules' pieces and what an image's edges cut; items.py: what they all work on)
         -> export.py (text, JSON, hOCR, annotated image)

Never imports torch.
"""

from __future__ import annotations

from digitocr.classifier import Classifier
from digitocr.document import Document


def read(source, *, dpi: int = 300, pages: str | None = None, classifier: Classifier | None = None,
         on_page=None, **limits) -> Document:
    """A path, bytes, a PIL image or a numpy array -> the Document of every handwritten number on it.

    `pages` picks PDF/TIFF pages ("1,3-5"); `limits` are load_pages' max_pages / max_pixels.
    Pages are decoded one at a time; `on_page(page_image, page)`, when given, sees each page image with
    what was read on it (the CLI draws --annotate pictures with it) before the image is let go.
    """
    from digitocr.reading.load import iter_pages, source_name
    from digitocr.reading.pipeline import read_page

    clf = classifier or Classifier()
    model = {"name": clf.name, "sha256": clf.sha256}
    if clf.strings is not None:  # the string reader read the touching digits
        model["strings"] = {"name": clf.strings.name, "sha256": clf.strings.sha256}
    doc = Document(file=source_name(source), model=model)
    for image in iter_pages(source, dpi=dpi, pages=pages, **limits):
        page = read_page(image, clf)
        doc.pages.append(page)
        if on_page is not None:
            on_page(image, page)
    return doc
