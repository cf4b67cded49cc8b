"""Lines of type: handwriting written beside a printed word of its size, and print alone.

    .venv/bin/python benchmarks/print_lines.py --data ../shared/data/mnist

Beside print: a printed word (a register's or a form's: Born, No., Total, Kr, Quantity, Year) in DejaVu Sans and
Serif, its capitals 0.6, 0.8 and 1.0 of the handwriting's height, then four digits written by hand (MNIST test
digits, scaled to 60 pixels, on one baseline as a hand wobbles); the share of lines read as exactly that number
and nothing else. Print alone: seven lines of type with numbers in them (an invoice, a phone, a page, an amount,
an account, dates, an order) in every DejaVu and Liberation face at five sizes; every word reported is a false one.
The fonts are Debian's (`make bench-deps`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digitocr.classifier import Classifier
from digitocr.data.mnist import load_split
from digitocr.reading.load import PageImage
from digitocr.reading.pipeline import read_page

FONTS = Path("/usr/share/fonts/truetype")
PAPER, INK = 245, 20
WORDS = ("Born", "No.", "Total", "Kr", "Quantity", "Year")
CAPITALS = (0.6, 0.8, 1.0)  # the print's capital height, of the handwriting's
HEIGHT = 60  # the handwriting's, in pixels
LINES = ("Invoice No. 32072 of 14.03.2024", "Tel. 555-0199  Fax 555-0198", "Page 3 of 12", "Total due 1,250.00 EUR",
         "Account 4711 0815 2233", "Born 1881 in Uppsala, died 1947", "Order 77 / Item 42 / Qty 3")
SIZES = (14, 20, 28, 40, 60)


def written(page: np.ndarray, text: str, x: int, baseline: int, pool: dict[int, list[np.ndarray]],
            rng: np.random.Generator) -> None:
    """Digits in MNIST's strokes, each cropped to its ink and scaled to about HEIGHT, their bottoms near `baseline`."""
    for ch in text:
        img = pool[int(ch)][int(rng.integers(len(pool[int(ch)])))]
        ys, xs = np.nonzero(img > 20)
        crop = img[ys.min(): ys.max() + 1, xs.min(): xs.max() + 1].astype(np.float32) / 255.0
        h = round(HEIGHT * rng.uniform(0.88, 1.08))
        ink = np.clip(cv2.resize(crop, (max(2, round(crop.shape[1] * h / crop.shape[0])), h),
                              interpolation=cv2.INTER_LINEAR), 0.0, 1.0)
        y = baseline - h + round(rng.normal(0, 0.035 * HEIGHT))
        region = page[y: y + h, x: x + ink.shape[1]].astype(np.float32)
        page[y: y + h, x: x + ink.shape[1]] = np.minimum(region, region * (1 - ink) + INK * ink).astype(np.uint8)
        x += ink.shape[1] + round(0.15 * HEIGHT)


def read_text(page: np.ndarray, classifier: Classifier) -> str:
    return read_page(PageImage(number=1, image=page, dpi=300), classifier).text


def beside_print(pool: dict[int, list[np.ndarray]], classifier: Classifier) -> tuple[int, int, list[str]]:
    """(lines read exactly, lines, the first misreadings)."""
    right = total = 0
    wrong: list[str] = []
    for word in WORDS:
        for face in ("DejaVuSans", "DejaVuSerif"):
            for capitals in CAPITALS:
                font = ImageFont.truetype(str(FONTS / "dejavu" / f"{face}.ttf"), int(HEIGHT * capitals / 0.72))
                for seed in range(3):
                    rng = np.random.default_rng(seed)
                    image = Image.fromarray(np.full((200, 900), PAPER, np.uint8))
                    pen = ImageDraw.Draw(image)
                    pen.text((40, 150), word, fill=INK, font=font, anchor="ls")
                    end = int(pen.textbbox((40, 150), word, font=font, anchor="ls")[2])
                    page = np.array(image)
                    number = "".join(str(d) for d in rng.integers(0, 10, 4))
                    written(page, number, end + int(0.8 * HEIGHT), 150, pool, rng)
                    got = read_text(page, classifier)
                    total += 1
                    right += got == number
                    if got != number:
                        wrong.append(f"{word} ({face}, {capitals:g}) {number} as {got!r}")
    return right, total, wrong


def print_alone(classifier: Classifier) -> tuple[int, int, list[str]]:
    """(words reported, pages, where)."""
    reported = pages = 0
    where: list[str] = []
    for path in sorted([*FONTS.glob("dejavu/*.ttf"), *FONTS.glob("liberation/*.ttf")]):
        for size in SIZES:
            image = Image.fromarray(np.full((110 * len(LINES) + 50, 1800), PAPER, np.uint8))
            pen = ImageDraw.Draw(image)
            font = ImageFont.truetype(str(path), size)
            for k, line in enumerate(LINES):
                pen.text((40, 40 + 110 * k), line, fill=INK, font=font)
            words = read_text(np.array(image), classifier).split()
            pages += 1
            reported += len(words)
            if words:
                where.append(f"{path.stem} {size}: {' '.join(words)}")
    return reported, pages, where


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="MNIST folder (default: $DIGITOCR_DATA or data/mnist)")
    args = parser.parse_args(argv)
    if not (FONTS / "dejavu" / "DejaVuSerif.ttf").exists() or not (FONTS / "liberation").is_dir():
        print("the DejaVu and Liberation fonts are not installed: make bench-deps", file=sys.stderr)
        return 2
    images, labels = load_split("test", args.data)
    pool = {d: [images[i] for i in np.flatnonzero(labels == d)[:200]] for d in range(10)}
    classifier = Classifier()
    right, total, wrong = beside_print(pool, classifier)
    print(f"written beside a printed word of its size: {right} of {total} lines read exactly "
          f"({100 * right / total:.1f}%)")
    for line in wrong[:8]:
        print(f"  {line}")
    reported, pages, where = print_alone(classifier)
    print(f"print alone: {reported} words reported on {pages} pages of type (every one false), "
          f"on {len(where)} of them")
    for line in where[:8]:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
