"""digitocr: read handwritten digits from photos, scans and PDFs.

    >>> import digitocr
    >>> doc = digitocr.read("scan.pdf")          # or bytes, a PIL image, a numpy array
    >>> print(doc.text)                           # one line per line of handwriting
    >>> doc.to_dict()                             # every page, line, number and digit with its box and confidence
    >>> digitocr.classify("seven.png")            # one digit: {"digit": 7, "confidence": 0.99, ...}

Importing digitocr is light: numpy, OpenCV and ONNX Runtime load on first use, and torch never does.
"""

from __future__ import annotations

from functools import lru_cache

from digitocr.document import Document

__all__ = ["Document", "__version__", "classify", "read"]


def __getattr__(name: str):
    if name == "__version__":  # looked up on first use: importlib.metadata alone costs more than digitocr
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("digitocr")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0+unknown"
    raise AttributeError(f"module 'digitocr' has no attribute {name!r}")


def read(source, *, model=None, dpi: int = 300, pages: str | None = None, max_pages: int = 200,
         max_pixels: int = 80_000_000) -> Document:
    """A path, bytes, a PIL image or a numpy array (H x W grey or H x W x 3 RGB) -> the Document read from it.

    `model`: an ONNX model path or a Classifier (default: $DIGITOCR_MODEL, else the shipped model, loaded
    once and kept). `dpi`: PDF rendering resolution. `pages`: "1,3-5" picks PDF/TIFF pages (1-based).
    A file more than `max_pages` long or a page over `max_pixels` is refused before decoding.
    Raises digitocr.errors.DataError (with the file and a one-line reason) for anything unreadable.
    """
    from digitocr.reading import read as read_source

    return read_source(source, dpi=dpi, pages=pages, classifier=_classifier(model), max_pages=max_pages,
                       max_pixels=max_pixels)


def classify(image, *, model=None) -> dict:
    """One image of one digit (a path, bytes, a PIL image or a numpy array; dark ink on light paper, any
    size) -> {"digit": int, "confidence": float, "probabilities": [ten floats, for 0 to 9], "not_a_digit": float}.

    "digit" is the likeliest digit and "confidence" its probability. "not_a_digit" is the probability that the
    image is no digit at all (touching digits, a letter, a mark): what the ten leave, 1 - their sum, with a
    model that has that output; 0.0 with a model of ten outputs. An image with not_a_digit > confidence is
    more likely not a digit than its best digit.
    """
    import numpy as np

    from digitocr.classifier import load_image

    array = image if isinstance(image, np.ndarray) else load_image(image)
    classifier = _classifier(model)
    probs = classifier.classify_image(array)
    digit = int(probs.argmax())
    return {"digit": digit, "confidence": float(probs[digit]), "probabilities": [float(p) for p in probs],
            "not_a_digit": classifier.not_a_digit(probs)}


def _classifier(model):
    from digitocr.classifier import Classifier, shipped_model_path

    if isinstance(model, Classifier):
        return model
    return _cached_classifier(str(model or shipped_model_path()))


@lru_cache(maxsize=4)
def _cached_classifier(path: str):
    from digitocr.classifier import Classifier

    return Classifier(path)
