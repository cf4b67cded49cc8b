"""The result tree: Document > Page > Line > Word > Char, each with its box and confidence.

`bbox` is [x0, y0, x1, y1] in pixels of the page image as read (x1, y1 exclusive), origin top
left. Confidences are in [0, 1]. `to_dict()` gives the JSON of DESIGN.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[int, int, int, int]


def union_bbox(boxes: list[BBox]) -> BBox:
    if not boxes:
        raise ValueError("no boxes to join")
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _conf(value: float) -> float:
    return round(float(value), 4)


@dataclass
class Char:
    text: str  # a digit, or a separator such as "." "," "/" "-"
    bbox: BBox
    confidence: float
    alternatives: list[tuple[str, float]] = field(default_factory=list)  # the runners-up, most likely first

    def to_dict(self) -> dict:
        return {"text": self.text, "bbox": list(self.bbox), "confidence": _conf(self.confidence),
                "alternatives": [[t, _conf(p)] for t, p in self.alternatives]}


@dataclass
class Word:
    """A number as written: its digits and any separators inside it (12.50, 24/07/2026)."""

    chars: list[Char]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def bbox(self) -> BBox:
        return union_bbox([c.bbox for c in self.chars])

    @property
    def confidence(self) -> float:
        return min(c.confidence for c in self.chars)

    def to_dict(self) -> dict:
        return {"text": self.text, "bbox": list(self.bbox), "confidence": _conf(self.confidence),
                "chars": [c.to_dict() for c in self.chars]}


@dataclass
class Line:
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bbox(self) -> BBox:
        return union_bbox([w.bbox for w in self.words])

    @property
    def confidence(self) -> float:
        return min(w.confidence for w in self.words)

    def to_dict(self) -> dict:
        return {"text": self.text, "bbox": list(self.bbox), "confidence": _conf(self.confidence),
                "words": [w.to_dict() for w in self.words]}


@dataclass
class Page:
    number: int  # 1-based, as the file counts its pages
    width: int
    height: int
    dpi: int | None
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]

    def to_dict(self) -> dict:
        return {"number": self.number, "width": self.width, "height": self.height, "dpi": self.dpi,
                "text": self.text, "lines": [line.to_dict() for line in self.lines]}


@dataclass
class Document:
    file: str
    model: dict  # {"name": ..., "sha256": ...}
    pages: list[Page] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Pages' text separated by a form feed, as Tesseract prints it."""
        return "\f".join(page.text for page in self.pages)

    def to_dict(self) -> dict:
        return {"file": self.file, "model": self.model, "pages": [page.to_dict() for page in self.pages]}

    def to_hocr(self) -> str:
        from digitocr.reading.export import to_hocr

        return to_hocr(self)
