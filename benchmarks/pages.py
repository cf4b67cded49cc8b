"""The page benchmark: labelled pages of handwritten numbers made from MNIST test digits, a scorer, speed.

    .venv/bin/python benchmarks/pages.py make --out bench-pages [--count 36] [--seed 0] [--data DIR]
        [--digits test|val [--split-seed S]]
    .venv/bin/python benchmarks/pages.py score --pages bench-pages [--engine both] [--fade K] [--json out.json]
    .venv/bin/python benchmarks/pages.py crops --pages bench-pages [--height 32] [--pad 0.6] [--fade K] [--margin]
    .venv/bin/python benchmarks/pages.py speed [--model PATH] [--json out.json]
    .venv/bin/python benchmarks/pages.py digits [--count 5000] [--data DIR] [--json out.json]
    .venv/bin/python benchmarks/pages.py example [--out src/digitocr/assets/examples]

`make` writes page_NNN.{png|jpg|pdf} with page_NNN.json beside it (the ground truth):
{"file", "kind", "dpi", "width", "height", "numbers": [{"text": "12.50", "bbox": [x0, y0, x1, y1], "line": k}]}.
Boxes are tight around the handwritten ink in pixels of the page image as read (a PDF rendered at
300 dpi), x1 and y1 exclusive. Printed text (labels, headers, printed numbers) is never in the truth:
a reader must not report it. Handwriting is made of MNIST *test* digits only (random test indices),
so no page shows a digit any model was trained on. Separators (. , / -) are hand-drawn strokes.
Pages to tune the reader on are made with `--digits val`: the classifier's 5,000 validation digits
(training digits its run held out), so that no choice is made on the test set. The truth says which.

`score` reads every page with digitocr and/or Tesseract 5 (digits only) and reports number-level
precision, recall, F1 and the character error rate, per kind and overall. No torch anywhere.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digitocr.data.pen import european_habit, glyph, pen_width

A4_300 = (2480, 3508)  # width, height of A4 at 300 dpi
KINDS = ("form", "lines", "table", "dates", "touching", "grid", "ruled", "photo", "scan", "rotated", "pattern",
         "printed")
FORMATS = ("png", "jpg", "pdf")
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation")
SANS = ("LiberationSans-Regular.ttf", "DejaVuSans.ttf")
SANS_BOLD = ("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf")
SERIF = ("LiberationSerif-Regular.ttf", "DejaVuSerif.ttf")
MONO = ("LiberationMono-Regular.ttf", "DejaVuSansMono.ttf")
BLACK_INK = (28, 28, 36)
BLUE_INK = (22, 44, 150)
PRINT = (20, 20, 20)


# ----------------------------------------------------------------------------------------------
# Handwriting: MNIST test digits and hand-drawn separators

@dataclass
class Digits:
    """MNIST images grouped by label; every glyph on every page is drawn from here. The test digits, or for
    tuning pages the classifier's validation split (training digits its run held out)."""

    images: np.ndarray  # uint8 [N, 28, 28], white ink on black
    by_label: list[np.ndarray]  # indices into `images` of each digit
    source: str = "test"  # what the images are, as the truth files name it

    @classmethod
    def load(cls, data_dir: str | None, split_seed: int | None = None) -> Digits:
        """The 10,000 test digits; given `split_seed`, the 5,000 validation digits of that seed's split instead."""
        from digitocr.data.mnist import load_split, split_validation

        if split_seed is None:
            images, labels = load_split("test", data_dir)
            return cls(images, [np.flatnonzero(labels == d) for d in range(10)])
        images, labels = load_split("train", data_dir)
        _, val = split_validation(len(images), 5000, split_seed)
        images, labels = images[val], labels[val]
        return cls(images, [np.flatnonzero(labels == d) for d in range(10)], f"validation, split seed {split_seed}")

    def pick(self, digit: int, rng: np.random.Generator) -> np.ndarray:
        return self.images[rng.choice(self.by_label[digit])]


def separator(char: str, height: int, pen: float, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """A hand-drawn separator as ink coverage, and the row of its patch that sits on the baseline.

    Drawn at 4x and reduced (anti-aliased), with a little wobble, at the digits' pen width.
    """
    s = 4
    h = height
    w = max(2.0, pen)
    j = lambda a: rng.uniform(-a, a) * h  # noqa: E731
    if char == ".":
        size = (int(0.35 * h), int(0.35 * h))
        base = size[1] - int(0.08 * h)
        pts = [(0.16 * h + j(0.02), base - 0.05 * h), (0.18 * h + j(0.02), base - 0.06 * h + j(0.01))]
    elif char == ",":
        size = (int(0.35 * h), int(0.6 * h))
        base = int(0.3 * h)
        pts = [(0.2 * h + j(0.02), base - 0.08 * h), (0.2 * h + j(0.02), base + 0.06 * h),
               (0.09 * h + j(0.03), base + 0.22 * h + j(0.03))]
    elif char == "/":
        size = (int(0.65 * h), int(1.2 * h))
        base = int(1.1 * h)
        lean = rng.uniform(0.3, 0.5) * h
        pts = [(0.08 * h + lean, 0.02 * h + j(0.04)), (0.08 * h, base + j(0.04))]
    elif char == "-":
        size = (int(0.55 * h), int(1.0 * h))
        base = size[1]
        y = base - rng.uniform(0.42, 0.55) * h
        pts = [(0.06 * h, y + j(0.03)), (0.26 * h + j(0.03), y + j(0.015)), (0.46 * h + j(0.03), y + j(0.04))]
    else:
        raise ValueError(f"no hand-drawn separator for {char!r}")
    canvas = np.zeros((size[1] * s, size[0] * s), np.uint8)
    poly = np.array([[x * s, y * s] for x, y in pts], np.int32)
    cv2.polylines(canvas, [poly], False, 255, thickness=max(1, round(w * s)), lineType=cv2.LINE_AA)
    if char == ".":
        cv2.circle(canvas, tuple(poly[0]), max(1, round(w * s * 0.6)), 255, -1, lineType=cv2.LINE_AA)
    small = cv2.resize(canvas, size, interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    ys, xs = np.nonzero(small > 0.05)
    out = small[ys.min():, xs.min():xs.max() + 1] if len(ys) else small
    return out, base - (ys.min() if len(ys) else 0)


def handwrite(text: str, height: int, digits: Digits, rng: np.random.Generator, touching: bool = False,
              pen: float | None = None) -> tuple[np.ndarray, int]:
    """A handwritten number: (ink coverage patch, row of the baseline in it). Digits from MNIST test."""
    parts: list[tuple[np.ndarray, int]] = []  # (patch, its baseline row)
    for ch in text:
        if ch.isdigit():
            g = glyph(digits.pick(int(ch), rng), max(8, round(height * rng.uniform(0.88, 1.08))), rng, pen)
            pen = pen or pen_width(g)  # separators at the pen of the first digit
            parts.append((g, g.shape[0] - 1 + round(rng.normal(0, 0.035 * height))))
    pen = pen or max(2.0, height / 9)
    pieces: list[tuple[np.ndarray, int]] = []
    it = iter(parts)
    for ch in text:
        pieces.append(next(it) if ch.isdigit() else separator(ch, height, pen, rng))
    above = max(b for _, b in pieces)
    below = max(p.shape[0] - b for p, b in pieces)
    out = np.zeros((above + below, sum(p.shape[1] for p, _ in pieces) + 2 * height * len(pieces)), np.float32)
    right = np.full(above + below, -1)  # per row, the rightmost ink so far
    x_end = 0
    for i, (p, b) in enumerate(pieces):
        y = above - b
        if i == 0:
            x = 0
        elif touching and text[i].isdigit() and text[i - 1].isdigit():
            # pushed against the ink before it until the strokes meet, then 0 to 4 px further
            rows = np.flatnonzero(p.max(1) > 0.3)
            left = np.argmax(p[rows] > 0.3, axis=1)
            shared = right[y + rows] >= 0
            meet = int((right[y + rows][shared] - left[shared]).max()) + 1 if shared.any() else x_end
            # but no deeper into the box of the digit before than a third of the narrower one
            floor = x_end - round(min(p.shape[1], pieces[i - 1][0].shape[1]) / 3)
            x = max(0, floor, meet - int(rng.integers(0, 5)))
        elif text[i].isdigit() and text[i - 1].isdigit():
            x = x_end + round(height * rng.uniform(0.06, 0.22))
        else:
            x = x_end + round(height * rng.uniform(0.04, 0.12))
        region = out[y:y + p.shape[0], x:x + p.shape[1]]
        np.maximum(region, p, out=region)
        for r in np.flatnonzero(p.max(1) > 0.3):
            right[y + r] = max(right[y + r], x + int(np.flatnonzero(p[r] > 0.3)[-1]))
        x_end = max(x_end, x + p.shape[1])
    out = out[:, :x_end]
    return out, above


# ----------------------------------------------------------------------------------------------
# A page being made

def font(names: tuple[str, ...], size: int) -> ImageFont.FreeTypeFont:
    for folder in FONT_DIRS:
        for name in names:
            path = Path(folder) / name
            if path.is_file():
                return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)  # Pillow's bundled font; `make fonts` installs the real ones


@dataclass
class Canvas:
    paper: Image.Image  # RGB: background and print
    digits: Digits
    rng: np.random.Generator
    scale: float  # pixels per 300 dpi pixel (dpi / 300)
    ink_colour: tuple[int, int, int] = BLACK_INK
    pen: float | None = None  # stroke width in pixels; None: as MNIST's, scaled
    touching: bool = False
    alpha: np.ndarray = field(init=False)  # float32 H x W: handwriting coverage
    labels: np.ndarray = field(init=False)  # int32 H x W: 1 + index of the number each ink pixel belongs to
    texts: list[tuple[str, int]] = field(default_factory=list)  # (text, line)
    boxes: list[tuple[int, int, int, int]] = field(default_factory=list)  # as written, before any warp

    def __post_init__(self):
        self.alpha = np.zeros((self.paper.height, self.paper.width), np.float32)
        self.labels = np.zeros((self.paper.height, self.paper.width), np.int32)
        self.draw = ImageDraw.Draw(self.paper)

    @property
    def size(self) -> tuple[int, int]:
        return self.paper.size

    def px(self, v: float) -> int:
        return round(v * self.scale)

    def text(self, xy, s: str, size: float, names=SANS, fill=PRINT, anchor="ls") -> tuple[int, int, int, int]:
        f = font(names, self.px(size))
        self.draw.text(xy, s, font=f, fill=fill, anchor=anchor)
        return self.draw.textbbox(xy, s, font=f, anchor=anchor)

    def measure(self, text: str, height: int) -> int:
        """An upper estimate of a handwritten number's width, for layout."""
        return round(len(text) * height * 0.95)

    def write(self, text: str, x: int, baseline: int, height: int, line: int, fit: int | None = None
              ) -> tuple[int, int, int, int] | None:
        """Handwrite `text` `height` pixels tall, its left edge at x, its baseline at `baseline`; returns its ink box.

        With `fit`, the number is made smaller until it is at most that wide; None if it does not fit the page.
        """
        pen = self.pen * self.rng.uniform(0.9, 1.1) if self.pen else None
        patch, base = handwrite(text, height, self.digits, self.rng, self.touching, pen)
        if fit is not None and patch.shape[1] > fit:
            f = fit / patch.shape[1]
            patch = cv2.resize(patch, (fit, max(1, round(patch.shape[0] * f))), interpolation=cv2.INTER_AREA)
            base = round(base * f)
        patch *= self.rng.uniform(0.8, 1.0)  # pen pressure
        y0 = baseline - base
        h, w = patch.shape
        W, H = self.size
        if x < 0 or y0 < 0 or x + w > W or y0 + h > H:
            return None
        region = self.alpha[y0:y0 + h, x:x + w]
        np.maximum(region, patch, out=region)
        idx = len(self.texts) + 1
        self.labels[y0:y0 + h, x:x + w][patch > 0.3] = idx
        self.texts.append((text, line))
        ys, xs = np.nonzero(patch > 0.3)
        box = (x + int(xs.min()), y0 + int(ys.min()), x + int(xs.max()) + 1, y0 + int(ys.max()) + 1)
        self.boxes.append(box)
        return box

    def compose(self) -> np.ndarray:
        """Paper and ink -> uint8 RGB."""
        page = np.asarray(self.paper, np.float32)
        a = self.alpha[..., None]
        page = page * (1 - a) + np.array(self.ink_colour, np.float32) * a
        return np.clip(page, 0, 255).astype(np.uint8)


def truth_boxes(labels: np.ndarray, n: int) -> list[tuple[int, int, int, int] | None]:
    """The box of each number's ink in a (possibly warped) label map."""
    ys, xs = np.nonzero(labels)
    ids = labels[ys, xs] - 1
    x0 = np.full(n, 1 << 30)
    y0 = np.full(n, 1 << 30)
    x1 = np.full(n, -1)
    y1 = np.full(n, -1)
    np.minimum.at(x0, ids, xs)
    np.minimum.at(y0, ids, ys)
    np.maximum.at(x1, ids, xs)
    np.maximum.at(y1, ids, ys)
    return [(int(x0[i]), int(y0[i]), int(x1[i]) + 1, int(y1[i]) + 1) if x1[i] >= 0 else None for i in range(n)]


# ----------------------------------------------------------------------------------------------
# What gets written: numbers of several shapes

def integer(rng: np.random.Generator, lo: int = 1, hi: int = 6) -> str:
    n = int(rng.integers(lo, hi + 1))
    first = str(rng.integers(1, 10))
    return first + "".join(str(d) for d in rng.integers(0, 10, n - 1))


def amount(rng: np.random.Generator) -> str:
    units = int(rng.choice([rng.integers(1, 100), rng.integers(100, 1000), rng.integers(1000, 100000)]))
    whole = f"{units:,}" if units >= 1000 and rng.random() < 0.6 else str(units)
    style = rng.random()
    if style < 0.6:
        return f"{whole}.{rng.integers(0, 100):02d}"
    if style < 0.8:
        return f"{whole}.-"
    return f"{whole},{rng.integers(0, 100):02d}" if units < 1000 else f"{whole}.{rng.integers(0, 10)}0"


def date(rng: np.random.Generator) -> str:
    d, m, y = int(rng.integers(1, 29)), int(rng.integers(1, 13)), int(rng.integers(1990, 2031))
    style = int(rng.integers(0, 5))
    return [f"{d:02d}/{m:02d}/{y}", f"{d}.{m}.{y}", f"{d:02d}.{m:02d}.{y % 100:02d}", f"{y}-{m:02d}-{d:02d}",
            f"{d}/{m}/{y % 100:02d}"][style]


def phone(rng: np.random.Generator) -> str:
    a = "".join(str(d) for d in rng.integers(0, 10, 4))
    return [f"555-{a}", f"0{rng.integers(10, 99)}-{rng.integers(100, 999)}-{a}"][int(rng.integers(0, 2))]


def any_number(rng: np.random.Generator) -> str:
    r = rng.random()
    if r < 0.55:
        return integer(rng)
    if r < 0.75:
        return amount(rng)
    if r < 0.9:
        return date(rng)
    return phone(rng)


def hand_height(rng: np.random.Generator, lo: int = 40, hi: int = 110) -> int:
    return int(rng.integers(lo, hi + 1))


# ----------------------------------------------------------------------------------------------
# Layouts: each draws print and handwriting onto a Canvas

def header(c: Canvas, title: str) -> int:
    """A printed page header; returns the y below it."""
    W, _ = c.size
    m = c.px(200)
    c.text((m, c.px(260)), title, 80, SANS_BOLD)
    ref = f"No. {c.rng.integers(10000, 99999)}"
    c.text((W - m, c.px(260)), ref, 42, SANS, anchor="rs")
    c.draw.line([(m, c.px(300)), (W - m, c.px(300))], fill=PRINT, width=max(1, c.px(4)))
    c.text((m, c.px(360)), f"Page {c.rng.integers(1, 9)} of 9   Printed 2026", 34, SERIF)
    return c.px(440)


def layout_lines(c: Canvas, top: int | None = None, title: str | None = "Notes", most: int = 10**6) -> None:
    """Free lines of numbers, any shapes, spaced as people write them (at most `most` of them)."""
    W, H = c.size
    y = top if top is not None else (header(c, title) if title else c.px(150))
    m = c.px(170)
    line = 0
    prev = 0
    while True:
        h = c.px(hand_height(c.rng, 45, 100))
        y += round(max(h, prev) * c.rng.uniform(1.6, 2.4))
        prev = h
        if y + h > H - c.px(150):
            break
        x = m + c.px(c.rng.integers(0, 120))
        wrote = False
        while True:
            text = any_number(c.rng) if c.rng.random() < 0.5 else integer(c.rng)
            if x + c.measure(text, h) > W - m or len(c.texts) >= most:
                break
            box = c.write(text, x, y + round(c.rng.normal(0, h * 0.06)), h, line)
            if box is None:
                break
            wrote = True
            x = box[2] + round(h * c.rng.uniform(1.3, 3.5))
        line += wrote


def label_field(c: Canvas, x: int, y: int, label: str, width: int, h: int, line: int, text: str, boxed: bool) -> None:
    """A printed label, a box or underline after it, and a handwritten entry in it."""
    lb = c.text((x, y), label, 40)
    fx = lb[2] + c.px(30)
    if boxed:
        c.draw.rectangle([fx, y - round(h * 1.55), fx + width, y + round(h * 0.45)], outline=PRINT,
                         width=max(1, c.px(3)))
    else:
        c.draw.line([(fx, y + c.px(14)), (fx + width, y + c.px(14))], fill=PRINT, width=max(1, c.px(3)))
    inner = width - round(h * 0.6)
    c.write(text, fx + round(h * 0.3), y - round(h * 0.2) if boxed else y - c.px(8), h, line, fit=inner)


def layout_form(c: Canvas, title: str = "ORDER FORM") -> None:
    W, H = c.size
    y = header(c, title)
    m = c.px(200)
    rows = [("Customer no.", integer), ("Date:", date), ("Phone:", phone), ("Quantity", lambda r: integer(r, 1, 3)),
            ("Unit price", amount), ("Total", amount), ("Account", lambda r: integer(r, 5, 8)),
            ("Postcode", lambda r: integer(r, 4, 5)), ("Invoice no.", lambda r: integer(r, 4, 7)),
            ("Amount paid", amount), ("Due date", date), ("Reference", lambda r: integer(r, 3, 6))]
    order = c.rng.permutation(len(rows))
    boxed = c.rng.random() < 0.5
    for line, k in enumerate(order):
        label, make = rows[k]
        h = c.px(hand_height(c.rng, 50, 95))
        y += round(max(h, c.px(60)) * 2.3)
        if y > H - c.px(300):
            break
        two = c.rng.random() < 0.35
        width = (W - 2 * m) // 2 - c.px(420) if two else c.px(int(c.rng.integers(900, 1400)))
        label_field(c, m, y, label, width, h, line, make(c.rng), boxed)
        if two:
            label2, make2 = rows[int(c.rng.integers(0, len(rows)))]
            label_field(c, W // 2 + c.px(40), y, label2, width, h, line, make2(c.rng), boxed)
    y += c.px(200)
    if y < H - c.px(250):
        c.text((m, y), "Signature ____________________      Thank you for your order.", 36, SERIF)
        c.text((m, y + c.px(60)), "Terms: payment within 30 days. VAT 8.1% included. Tel. 0800 123 456", 30, SERIF)


def layout_table(c: Canvas) -> None:
    W, H = c.size
    y = header(c, "STOCK COUNT")
    m = c.px(200)
    cols = ["Item", "Qty", "Price", "Total", "Date"]
    fracs = np.array([1.3, 0.8, 1.1, 1.2, 1.4])
    xs = [m] + list(m + np.cumsum(fracs / fracs.sum() * (W - 2 * m)).astype(int))
    row_h = c.px(int(c.rng.integers(150, 200)))
    n_rows = min(int(c.rng.integers(10, 17)), (H - y - c.px(400)) // row_h)
    top = y + c.px(60)
    bottom = top + row_h * (n_rows + 1)
    lw = max(1, c.px(3))
    for x in xs:
        c.draw.line([(x, top), (x, bottom)], fill=PRINT, width=lw)
    for r in range(n_rows + 2):
        c.draw.line([(m, top + r * row_h), (W - m, top + r * row_h)], fill=PRINT, width=lw + (r == 1) * lw)
    for k, name in enumerate(cols):
        c.text((xs[k] + c.px(25), top + row_h - c.px(50)), name, 42, SANS_BOLD)
    makers = [None, lambda r: integer(r, 1, 3), amount, amount, date]
    for r in range(n_rows):
        base = top + (r + 2) * row_h
        c.text((xs[0] + c.px(25), base - c.px(50)), f"Article {c.rng.integers(100, 999)}", 38)
        h = min(c.px(hand_height(c.rng, 45, 90)), round(row_h * 0.55))
        for k in range(1, len(cols)):
            if c.rng.random() < 0.12:
                continue  # an empty cell
            x = xs[k] + c.px(25) + int(c.rng.integers(0, c.px(30)))
            baseline = base - round((row_h - h) * c.rng.uniform(0.35, 0.55))
            c.write(makers[k](c.rng), x, baseline, h, r, fit=xs[k + 1] - x - c.px(20))


def layout_dates(c: Canvas) -> None:
    """Dates, amounts and phone numbers with their separators, after printed labels."""
    W, H = c.size
    y = header(c, "RECEIPTS")
    m = c.px(200)
    line = 0
    prev = 0
    labels = [("Date:", date), ("Amount:", amount), ("Phone:", phone), ("Paid on", date), ("Sum", amount),
              ("CHF", amount), ("Valid until", date), ("Fax", phone)]
    while True:
        h = c.px(hand_height(c.rng, 50, 100))
        y += round(max(h, prev) * c.rng.uniform(1.9, 2.5))
        prev = h
        if y + h > H - c.px(150):
            break
        x = m
        wrote = False
        for _ in range(int(c.rng.integers(1, 4))):
            label, make = labels[int(c.rng.integers(0, len(labels)))]
            text = make(c.rng)
            if x + c.px(40 * 0.6 * len(label) + 30) + c.measure(text, h) > W - m:
                break
            lb = c.text((x, y), label, 40)
            x = lb[2] + c.px(30)
            box = c.write(text, x, y + round(c.rng.normal(0, h * 0.05)), h, line)
            if box is None:
                break
            wrote = True
            x = box[2] + c.px(int(c.rng.integers(120, 260)))
        line += wrote


def layout_grid(c: Canvas, ruled: bool = False) -> None:
    """Squared (5 mm) or ruled (8 mm, with a margin) exercise paper, numbers written on it."""
    W, H = c.size
    colour = (150, 180, 215) if c.rng.random() < 0.6 else (175, 175, 175)
    step = c.px(59 if not ruled else 94)  # 5 mm / 8 mm at 300 dpi
    lw = max(1, c.px(2))
    for y in range(c.px(150), H, step):
        c.draw.line([(0, y), (W, y)], fill=colour, width=lw)
    if ruled:
        c.draw.line([(c.px(300), 0), (c.px(300), H)], fill=(220, 120, 120), width=lw + 1)
    else:
        for x in range(c.px(40), W, step):
            c.draw.line([(x, 0), (x, H)], fill=colour, width=lw)
    line = 0
    y = c.px(150) + step * 2
    m = c.px(340) if ruled else c.px(120)
    while y < H - 2 * step:
        h = c.px(hand_height(c.rng, 40, 80)) if ruled else c.px(int(c.rng.integers(44, 100)))
        rows = max(1, math.ceil(h * 1.25 / step))
        y += step * rows
        if y > H - step:
            break
        x = m + int(c.rng.integers(0, c.px(150)))
        wrote = False
        while True:
            text = integer(c.rng) if c.rng.random() < 0.6 else any_number(c.rng)
            if x + c.measure(text, h) > W - c.px(120):
                break
            base = y - (c.px(int(c.rng.integers(3, 12))) if ruled else c.px(int(c.rng.integers(4, 14))))
            box = c.write(text, x, base, h, line)
            if box is None:
                break
            wrote = True
            x = box[2] + round(h * c.rng.uniform(1.2, 3.0))
        line += wrote
        y += step


def guilloche(c: Canvas) -> None:
    """A cheque's security pattern: bands of fine interleaved sine curves in a pale colour."""
    W, H = c.size
    colour = [(196, 226, 204), (208, 214, 238), (238, 218, 200)][int(c.rng.integers(0, 3))]
    bg = np.asarray(c.paper, np.uint8).copy()
    bg[:] = np.array(colour) * 0.12 + 255 * 0.88
    xs = np.arange(0, W, 3, dtype=np.float32)
    for k in range(int(H / c.px(14))):
        phase = k * 0.37
        y0 = k * c.px(14)
        ys = y0 + c.px(40) * np.sin(xs / c.px(180) + phase) + c.px(18) * np.sin(xs / c.px(53) - 2 * phase)
        pts = np.stack([xs, ys], 1).astype(np.int32)
        cv2.polylines(bg, [pts], False, colour, thickness=1, lineType=cv2.LINE_AA)
    c.paper.paste(Image.fromarray(bg))
    c.draw = ImageDraw.Draw(c.paper)


def layout_pattern(c: Canvas) -> None:
    """A cheque: patterned background, printed bank text, handwritten date, amount and numbers."""
    guilloche(c)
    W, H = c.size
    m = c.px(90)
    c.text((m, c.px(110)), "BANK OF EXAMPLE", 56, SANS_BOLD)
    c.text((m, c.px(160)), "1 Main Street, Springfield", 30, SERIF)
    c.text((W - m, c.px(110)), f"No. {c.rng.integers(100000, 999999)}", 40, MONO, anchor="rs")
    line = 0
    y = c.px(300)
    h = c.px(hand_height(c.rng, 60, 95))
    label_field(c, W - c.px(1050), y, "DATE", c.px(600), h, line, date(c.rng), False)
    line += 1
    y += c.px(200)
    c.text((m, y), "PAY TO THE ORDER OF ______________________________", 40)
    label_field(c, W - c.px(800), y, "CHF", c.px(560), h, line, amount(c.rng), True)
    line += 1
    y += c.px(200)
    c.text((m, y), "AMOUNT IN WORDS ________________________________________________", 40)
    y += c.px(200)
    label_field(c, m, y, "ACCOUNT", c.px(700), h, line, integer(c.rng, 6, 9), False)
    label_field(c, W // 2 + c.px(100), y, "REF", c.px(500), h, line, integer(c.rng, 3, 6), False)
    line += 1
    c.text((m, H - c.px(60)), f"C{c.rng.integers(10**8, 10**9)}A {c.rng.integers(10**5, 10**6)}C", 44, MONO)


def layout_printed(c: Canvas) -> None:
    """Only print: an invoice with typed numbers and no handwriting. Nothing to report."""
    W, H = c.size
    y = header(c, "INVOICE")
    m = c.px(200)
    for label, value in [("Invoice no.", str(c.rng.integers(10000, 99999))), ("Date", "24/07/2026"),
                         ("Customer", str(c.rng.integers(1000, 9999))), ("Phone", "555-0199")]:
        y += c.px(80)
        c.text((m, y), label, 42)
        c.text((m + c.px(500), y), value, 42, MONO)
    y += c.px(150)
    for r in range(int(c.rng.integers(10, 25))):
        y += c.px(70)
        if y > H - c.px(300):
            break
        q, p = int(c.rng.integers(1, 20)), c.rng.integers(100, 99999) / 100
        c.text((m, y), f"{r + 1:>3}  Article {c.rng.integers(100, 999)}", 38, MONO)
        c.text((W - m - c.px(700), y), f"{q:>4}", 38, MONO)
        c.text((W - m, y), f"{q * p:,.2f}", 38, MONO, anchor="rs")
    c.text((W - m, y + c.px(120)), "Total 1,234.50", 46, SANS_BOLD, anchor="rs")


# ----------------------------------------------------------------------------------------------
# Paper and camera

def photo(img: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A phone photo: the page on a desk in slight perspective, uneven light, a shadow, noise, warm cast."""
    H, W = labels.shape
    d = 0.05
    src = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    dst = np.float32([[rng.uniform(0.01, d) * W, rng.uniform(0.01, d) * H],
                      [W - rng.uniform(0.01, d) * W, rng.uniform(0.01, d) * H],
                      [W - rng.uniform(0.01, d) * W, H - rng.uniform(0.01, d) * H],
                      [rng.uniform(0.01, d) * W, H - rng.uniform(0.01, d) * H]])
    M = cv2.getPerspectiveTransform(src, dst)
    desk = tuple(int(v) for v in rng.integers(40, 110, 3))
    img = cv2.warpPerspective(img, M, (W, H), flags=cv2.INTER_LINEAR, borderValue=desk)
    labels = cv2.warpPerspective(labels, M, (W, H), flags=cv2.INTER_NEAREST, borderValue=0)
    yy, xx = np.mgrid[0:H:8, 0:W:8].astype(np.float32)
    ang = rng.uniform(0, 2 * np.pi)
    grad = ((xx / W - 0.5) * np.cos(ang) + (yy / H - 0.5) * np.sin(ang))
    light = 1.0 - rng.uniform(0.15, 0.35) * (grad + 0.5)
    shadow = np.zeros_like(light)
    cx, cy = rng.uniform(0.2, 0.8) * light.shape[1], rng.uniform(0.2, 0.8) * light.shape[0]
    axes = (int(rng.uniform(0.3, 0.6) * light.shape[1]), int(rng.uniform(0.2, 0.5) * light.shape[0]))
    cv2.ellipse(shadow, (int(cx), int(cy)), axes, rng.uniform(0, 180), 0, 360, 1.0, -1)
    shadow = cv2.GaussianBlur(shadow, (0, 0), light.shape[1] * 0.06)
    light *= 1.0 - rng.uniform(0.15, 0.3) * shadow
    light = cv2.resize(light, (W, H), interpolation=cv2.INTER_LINEAR)
    cast = np.array([1.0, rng.uniform(0.95, 1.0), rng.uniform(0.85, 0.95)], np.float32)
    out = img.astype(np.float32) * light[..., None] * cast
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.5, 1.0))
    out += rng.normal(0, rng.uniform(2, 5), out.shape).astype(np.float32)
    return np.clip(out, 0, 255).astype(np.uint8), labels


def scan(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A cheap scan in grey: grey paper, blur, noise (JPEG artefacts come when it is saved)."""
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).astype(np.float32)
    paper = rng.uniform(195, 225)
    grey = grey * (paper / 255.0) + rng.uniform(0, 10)
    grey = cv2.GaussianBlur(grey, (0, 0), rng.uniform(0.8, 1.6))
    grey += rng.normal(0, 3, grey.shape).astype(np.float32)
    return np.clip(grey, 0, 255).astype(np.uint8)


def rotate(img: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    H, W = labels.shape
    angle = rng.uniform(1, 4) * rng.choice([-1, 1])
    M = cv2.getRotationMatrix2D((W / 2, H / 2), float(angle), 1.0)
    img = cv2.warpAffine(img, M, (W, H), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    labels = cv2.warpAffine(labels, M, (W, H), flags=cv2.INTER_NEAREST, borderValue=0)
    return img, labels


# ----------------------------------------------------------------------------------------------
# Pages

@dataclass
class PagePlan:
    index: int
    kind: str
    fmt: str


def plans(count: int) -> list[PagePlan]:
    """Kinds in turn; formats rotate so each kind appears as PNG, JPEG and PDF (photos are always JPEG)."""
    out = []
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        fmt = FORMATS[(i + i // len(KINDS)) % len(FORMATS)]
        if kind == "photo" or (kind == "scan" and fmt == "png"):
            fmt = "jpg"
        out.append(PagePlan(i + 1, kind, fmt))
    return out


def paper_colour(rng: np.random.Generator) -> tuple[int, int, int]:
    v = int(rng.integers(246, 256))
    return (v, v, max(0, v - int(rng.integers(0, 6))))


def render(kind: str, digits: Digits, rng: np.random.Generator, dpi: int | None = 300
           ) -> tuple[np.ndarray, list[dict], int | None]:
    """One page of a kind -> (image uint8 RGB or grey, truth numbers, dpi)."""
    if kind == "photo":
        size = [(1800, 2400), (2000, 1500), (1536, 2048), (2250, 3000)][int(rng.integers(0, 4))]
    elif kind == "pattern":
        size = (2100, 1050)  # a cheque, 7 x 3.5 in
    else:
        size = A4_300
    scale = 1.0 if dpi is None else dpi / 300
    if kind == "photo":  # a phone photo of part of a page: print and writing larger than at 300 dpi
        scale = max(size) / A4_300[1] * rng.uniform(1.2, 1.5)
    elif dpi is not None and dpi != 300:
        size = (round(size[0] * scale), round(size[1] * scale))
    paper = Image.new("RGB", size, paper_colour(rng))
    ink = BLUE_INK if rng.random() < 0.4 else BLACK_INK
    pen = None if rng.random() < 0.3 else rng.uniform(4.0, 10.0) * scale  # 0.35 to 0.85 mm
    c = Canvas(paper, digits, rng, scale, ink, pen, touching=kind == "touching")
    content = kind
    if kind in ("photo", "scan", "rotated"):
        content = str(rng.choice(["form", "lines", "table", "dates"]))
    if content == "form":
        layout_form(c, str(rng.choice(["ORDER FORM", "DELIVERY NOTE", "EXPENSE CLAIM"])))
    elif content == "lines":
        layout_lines(c)
    elif content == "touching":
        layout_lines(c, title="Meter readings")
    elif content == "table":
        layout_table(c)
    elif content == "dates":
        layout_dates(c)
    elif content == "grid":
        layout_grid(c)
    elif content == "ruled":
        layout_grid(c, ruled=True)
    elif content == "pattern":
        layout_pattern(c)
    elif content == "printed":
        layout_printed(c)
    img = c.compose()
    labels = c.labels
    if kind == "photo":
        img, labels = photo(img, labels, rng)
        dpi = None
    elif kind == "rotated":
        img, labels = rotate(img, labels, rng)
    elif kind == "scan":
        if rng.random() < 0.5:
            img, labels = rotate(img, labels, np.random.default_rng(rng.integers(1 << 30)))
        img = scan(img, rng)
    boxes = truth_boxes(labels, len(c.texts))
    numbers = [{"text": t, "bbox": list(b), "line": k} for (t, k), b in zip(c.texts, boxes, strict=True) if b]
    return img, numbers, dpi


def save(img: np.ndarray, path: Path, fmt: str, dpi: int | None, quality: int) -> None:
    pil = Image.fromarray(img)
    if fmt == "png":
        pil.save(path, "PNG", dpi=(dpi, dpi) if dpi else None, optimize=False, compress_level=6)
    elif fmt == "jpg":
        pil.save(path, "JPEG", quality=quality, dpi=(dpi, dpi) if dpi else (72, 72))
    elif fmt == "pdf":
        pil.save(path, "PDF", resolution=float(dpi or 300), quality=quality)
    else:
        raise ValueError(fmt)


def make_page(plan: PagePlan, digits: Digits, seed: int, out: Path) -> dict:
    rng = np.random.default_rng([seed, plan.index])
    img, numbers, dpi = render(plan.kind, digits, rng)
    quality = int(rng.integers(40, 61)) if plan.kind == "scan" else int(rng.integers(75, 91))
    name = f"page_{plan.index:03d}.{plan.fmt}"
    save(img, out / name, plan.fmt, dpi, quality)
    truth = {"file": name, "kind": plan.kind, "dpi": dpi, "width": int(img.shape[1]), "height": int(img.shape[0]),
             "digits": digits.source, "numbers": numbers}
    (out / f"page_{plan.index:03d}.json").write_text(json.dumps(truth, indent=1) + "\n")
    return truth


def cmd_make(args) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    split_seed = None
    if args.digits == "val":  # the shipped classifier's split, unless told
        from digitocr.classifier import Classifier

        split_seed = Classifier().metadata.get("seed", 0) if args.split_seed is None else args.split_seed
    digits = Digits.load(args.data, split_seed)
    t0 = time.perf_counter()
    n = 0
    for plan in plans(args.count):
        truth = make_page(plan, digits, args.seed, out)
        n += len(truth["numbers"])
        print(f"{truth['file']:14s} {plan.kind:9s} {truth['width']}x{truth['height']}  "
              f"{len(truth['numbers']):3d} numbers", flush=True)
    print(f"{args.count} pages, {n} handwritten numbers (MNIST digits: {digits.source}) in {out} "
          f"({time.perf_counter() - t0:.0f} s)")
    return 0


def cmd_example(args) -> int:
    """The bundled example: an A4 form at 150 dpi, about a dozen numbers incl. a date and an amount."""
    digits = Digits.load(args.data)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20260724)
    W, H = round(A4_300[0] / 2), round(A4_300[1] / 2)
    c = Canvas(Image.new("RGB", (W, H), (252, 252, 250)), digits, rng, 0.5, BLUE_INK, pen=4.0)
    y = header(c, "ORDER FORM")
    m = c.px(200)
    entries = [("Customer no.", integer(rng, 5, 5)), ("Date:", "24/07/2026"), ("Phone:", "555-0199"),
               ("Invoice no.", integer(rng, 4, 4)), ("Quantity", "12"), ("Unit price", "4.25"),
               ("Total", "51.00"), ("Amount paid", "1,000.-"), ("Postcode", "8004"), ("Account", integer(rng, 7, 7)),
               ("Due date", "31.08.26"), ("Reference", integer(rng, 3, 3))]
    width = (W - 2 * m) // 2 - c.px(460)
    for k in range(0, len(entries), 2):
        y += c.px(330)
        for j, x in enumerate((m, W // 2 + c.px(40))):
            label, text = entries[k + j]
            label_field(c, x, y, label, width, c.px(int(rng.integers(60, 90))), k // 2, text, True)
    y += c.px(400)
    c.text((m, y), "Signature ____________________      Thank you for your order.", 36, SERIF)
    c.text((m, H - c.px(200)), "Example Ltd, 1 Main Street, Springfield. Tel. 0800 123 456. VAT no. 123.456.789",
           30, SERIF)
    img = c.compose()
    numbers = [{"text": t, "bbox": list(b), "line": k}
               for (t, k), b in zip(c.texts, truth_boxes(c.labels, len(c.texts)), strict=True) if b]
    Image.fromarray(img).save(out / "page.png", dpi=(150, 150), optimize=True)
    truth = {"file": "page.png", "kind": "form", "dpi": 150, "width": W, "height": H, "numbers": numbers}
    (out / "page.json").write_text(json.dumps(truth, indent=1) + "\n")
    print(f"{out / 'page.png'}: {len(numbers)} numbers, {(out / 'page.png').stat().st_size // 1024} KB")
    return 0


# ----------------------------------------------------------------------------------------------
# Scoring

@dataclass
class Found:
    text: str
    bbox: tuple[int, int, int, int]


@dataclass
class Score:
    tp: int = 0  # matched with exactly the right text
    predicted: int = 0
    truth: int = 0
    edits: int = 0  # character edits: matched pairs' distance + unmatched truth + unmatched predictions
    chars: int = 0  # characters in the truth
    pages: int = 0
    seconds: float = 0.0
    errors: int = 0

    def add(self, other: Score) -> None:
        for name in ("tp", "predicted", "truth", "edits", "chars", "pages", "seconds", "errors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else float(self.truth == 0)

    @property
    def recall(self) -> float:
        return self.tp / self.truth if self.truth else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def cer(self) -> float | None:
        """None where the truth holds no characters (printed-only pages): see `predicted` there."""
        return self.edits / self.chars if self.chars else None

    def to_dict(self) -> dict:
        return {"tp": self.tp, "predicted": self.predicted, "truth": self.truth, "edits": self.edits,
                "chars": self.chars, "pages": self.pages, "seconds": round(self.seconds, 3), "errors": self.errors,
                "precision": self.precision, "recall": self.recall, "f1": self.f1, "cer": self.cer}


def iou(a, b) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def centre_inside(pred, truth) -> bool:
    cx, cy = (pred[0] + pred[2]) / 2, (pred[1] + pred[3]) / 2
    return truth[0] <= cx < truth[2] and truth[1] <= cy < truth[3]


def match(preds: list[Found], truths: list[Found]) -> list[tuple[int, int]]:
    """One-to-one pairs (prediction, truth), greedy by IoU: a pair qualifies with IoU >= 0.3 or the
    prediction's centre inside the truth's box."""
    pairs = []
    for i, p in enumerate(preds):
        for j, t in enumerate(truths):
            v = iou(p.bbox, t.bbox)
            if v >= 0.3 or centre_inside(p.bbox, t.bbox):
                pairs.append((v, i, j))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_p, used_t, out = set(), set(), []
    for _, i, j in pairs:
        if i not in used_p and j not in used_t:
            used_p.add(i)
            used_t.add(j)
            out.append((i, j))
    return out


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def score_page(preds: list[Found], truths: list[Found]) -> Score:
    pairs = match(preds, truths)
    s = Score(predicted=len(preds), truth=len(truths), chars=sum(len(t.text) for t in truths), pages=1)
    for i, j in pairs:
        s.tp += preds[i].text == truths[j].text
        s.edits += edit_distance(preds[i].text, truths[j].text)
    matched_p = {i for i, _ in pairs}
    matched_t = {j for _, j in pairs}
    s.edits += sum(len(t.text) for j, t in enumerate(truths) if j not in matched_t)
    s.edits += sum(len(p.text) for i, p in enumerate(preds) if i not in matched_p)
    return s


# ----------------------------------------------------------------------------------------------
# Engines

def rasterise(path: Path, folder: Path, dpi: int = 300) -> Path:
    """A PDF's first page as a PNG at `dpi` (Tesseract reads images only)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        img = pdf[0].render(scale=dpi / 72).to_pil()
    finally:
        pdf.close()
    out = folder / (path.stem + ".png")
    img.save(out)
    return out


def tesseract_words(path: Path, folder: Path) -> list[Found]:
    """Tesseract 5, sparse text (psm 11), digits and separators only; words with conf > 0."""
    image = rasterise(path, folder) if path.suffix.lower() == ".pdf" else path
    cmd = ["tesseract", str(image), "stdout", "--psm", "11", "-c", "tessedit_char_whitelist=0123456789./,-", "tsv"]
    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    words = []
    for row in res.stdout.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if text and float(cols[10]) > 0:
            x, y, w, h = (int(v) for v in cols[6:10])
            words.append(Found(text, (x, y, x + w, y + h)))
    return words


def digitocr_reader(model: str | None):
    """`path -> [Found]` through digitocr.read(), the model loaded once."""
    import digitocr
    from digitocr.classifier import Classifier

    clf = Classifier(model) if model else Classifier()

    def words(path: Path, folder: Path) -> list[Found]:
        doc = digitocr.read(path, model=clf)
        return [Found(w.text, tuple(w.bbox)) for page in doc.pages[:1] for w in page.words]

    return words


def load_truth(folder: Path) -> list[dict]:
    pages = [json.loads(p.read_text()) for p in sorted(folder.glob("page_*.json"))]
    if not pages:
        raise SystemExit(f"no page_*.json in {folder}: make them with 'pages.py make --out {folder}'")
    return pages


def fmt_row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))


def page_line(engine: str, r: dict) -> str:
    cer = "-" if r["cer"] is None else f"{r['cer']:.3f}"
    return (f"{engine}: F1 {r['f1']:.3f} CER {cer} {r['seconds']:.1f}s"
            + (f" ({r['error']})" if r["error"] else ""))


AGED_PAPER = (0.95, 0.88, 0.70)  # paper gone yellow: what is left of white in red, green and blue


def aged(img: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """uint8 grey or RGB -> float32 RGB: the ink at `strength` of its contrast, on paper gone yellow, with a scanner's
    noise."""
    img = np.asarray(img, np.float32)
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    img = (255.0 - (255.0 - img[..., :3]) * strength) * np.array(AGED_PAPER, np.float32)
    return img + rng.normal(0.0, 3.0, img.shape).astype(np.float32)


def fade(path: Path, strength: float, seed: int, out: Path) -> Path:
    """The page as an old register's (`aged`), saved as JPEG (quality 75) in `out`. The page keeps its size, so its
    truth boxes stay right."""
    from digitocr.reading.load import load_pages

    page = load_pages(path)[0]
    img = aged(page.image, strength, np.random.default_rng(seed))
    faded = out / f"{path.stem}_faded.jpg"
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(
        faded, "JPEG", quality=75, **({"dpi": (page.dpi, page.dpi)} if page.dpi else {}))
    return faded


def cmd_score(args) -> int:
    folder = Path(args.pages)
    truths = load_truth(folder)
    engines: dict[str, object] = {}
    if args.engine in ("digitocr", "both"):
        try:
            engines["digitocr"] = digitocr_reader(args.model)
        except Exception as exc:  # the reader may not be there yet: say so and go on with the other engine
            print(f"digitocr: cannot read pages ({type(exc).__name__}: {exc})", file=sys.stderr)
    if args.engine in ("tesseract", "both"):
        if shutil.which("tesseract"):
            engines["tesseract"] = tesseract_words
        else:
            print("tesseract: not installed; get it with 'apt-get install tesseract-ocr' (Debian/Ubuntu). "
                  "Scoring digitocr alone.", file=sys.stderr)
    if not engines:
        return 2
    kinds = list(dict.fromkeys(t["kind"] for t in truths))
    scores = {e: {k: Score() for k in [*kinds, "all"]} for e in engines}
    per_page = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, truth in enumerate(truths):
            path = folder / truth["file"]
            if args.fade is not None:
                path = fade(path, args.fade, i, Path(tmp))
            gt = [Found(n["text"], tuple(n["bbox"])) for n in truth["numbers"]]
            row = {"file": truth["file"], "kind": truth["kind"]}
            for name, engine in engines.items():
                t0 = time.perf_counter()
                try:
                    found = engine(path, Path(tmp))
                    err = None
                except Exception as exc:
                    found, err = [], f"{type(exc).__name__}: {exc}"
                s = score_page(found, gt)
                s.seconds = time.perf_counter() - t0
                s.errors = err is not None
                scores[name][truth["kind"]].add(s)
                scores[name]["all"].add(s)
                row[name] = {**s.to_dict(), "error": err,
                             "missed_or_wrong": [t.text for t in gt if t.text not in {f.text for f in found}][:20],
                             "spurious": [f.text for f in found if f.text not in {t.text for t in gt}][:20]}
            per_page.append(row)
            if args.verbose:
                print("  ".join([truth["file"], truth["kind"]] + [page_line(n, row[n]) for n in engines]), flush=True)
    names = list(engines)
    widths = [9, 5, 7] + [6, 6, 6, 7, 6] * len(names)
    print()
    if args.fade is not None:
        print(f"pages faded: ink at {args.fade:g} of its contrast, on yellowed paper, noise, JPEG (quality 75)")
    source = ", ".join(sorted({t.get("digits", "test") for t in truths}))  # pages made before it was said: test
    print(f"handwriting of MNIST digits: {source}")
    print(" " * 25 + "".join(f"  {n:-^39}" for n in names))
    print(fmt_row(["kind", "pages", "numbers"] + ["P", "R", "F1", "CER%", "words"] * len(names), widths))
    for k in [*kinds, "all"]:
        first = scores[names[0]][k]
        cells = [k, str(first.pages), str(first.truth)]
        for n in names:
            s = scores[n][k]
            cells += [f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}",
                      "-" if s.cer is None else f"{100 * s.cer:.2f}", str(s.predicted)]
        print(fmt_row(cells, widths))
    print("P, R, F1: numbers read exactly; CER: character edits / truth characters; words: words reported "
          "(on printed-only pages every one is a false positive)")
    print()
    for n in names:
        s = scores[n]["all"]
        print(f"{n}: {s.pages / s.seconds:.2f} pages/s ({s.seconds:.1f} s for {s.pages} pages)"
              + (f", {s.errors} pages failed" if s.errors else ""))
    if "digitocr" in names and source == "test":  # the targets are the benchmark's, on test digits
        s = scores["digitocr"]["all"]
        cer = s.cer if s.cer is not None else 0.0
        print(f"targets: number F1 >= 0.98: {s.f1:.3f} {'met' if s.f1 >= 0.98 else 'NOT met'}; "
              f"CER < 1.5%: {100 * cer:.2f}% {'met' if cer < 0.015 else 'NOT met'}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "machine": machine(), "pages": str(folder), "digits": source, "fade": args.fade,
            "scores": {n: {k: s.to_dict() for k, s in by.items()} for n, by in scores.items()},
            "per_page": per_page}, indent=1) + "\n")
    return 0


def machine() -> dict:
    return {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count()}


# ----------------------------------------------------------------------------------------------
# Crops: one number cut out, as a register's entry or a cheque's amount field comes

CROP_PAD = 0.6  # paper (and whatever of the neighbours lies there) around a number, in its heights
MARGIN_DARK = (15, 60)  # a scanner's margin: its grey level


def cut_number(img: np.ndarray, bbox: tuple[int, int, int, int], height: int, strength: float | None, margin: bool,
               rng: np.random.Generator, pad: float = CROP_PAD, pattern: float | None = None, sign: bool = False,
               label: bool = False, rules: bool = False) -> np.ndarray:
    """uint8 RGB: the number at `bbox` with `pad` of its height around it, scaled to stand `height` pixels tall;
    with `sign`, a sign before it (`with_sign`); with `label`, a printed word before it or over it (`with_label`);
    with `rules`, a register's ruling through the crop (`with_rules`); with a cheque's `security_pattern` over it at
    `pattern` of the ink's contrast, when given; `aged` when `strength` is given; with `margin`, a scanner's dark
    margin along one side (left, right, top or bottom, at random), within the padding only: the number itself is
    never covered, nor a sign, a word or a heading."""
    x0, y0, x1, y1 = bbox
    around = round(pad * (y1 - y0))
    top, left = max(0, y0 - around), max(0, x0 - around)
    crop = np.asarray(img)[top : y1 + around, left : x1 + around]
    scale = height / (y1 - y0)
    crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA).astype(np.float32)
    if crop.ndim == 2:
        crop = np.repeat(crop[..., None], 3, axis=2)
    h0, w0, lead = crop.shape[0], crop.shape[1], None
    if sign:
        crop, lead = with_sign(crop, round((y1 - top) * scale), height, rng)
    if label:
        crop, lead = with_label(crop, round((y1 - top) * scale), height, rng, lead)
    # the number's box in the crop, past the columns (a sign, a word) and rows (a heading) added before it
    shift, drop = crop.shape[1] - w0, crop.shape[0] - h0
    box = (round((x0 - left) * scale) + shift, round((y0 - top) * scale) + drop, round((x1 - left) * scale) + shift,
           round((y1 - top) * scale) + drop)
    if rules:
        with_rules(crop, box[1], box[3], height, rng)
    if pattern is not None:
        crop *= 1.0 - pattern * security_pattern(crop.shape[:2], height, rng)[..., None]
    if strength is not None:
        crop = aged(crop, strength, rng)
    if margin:
        h, w = crop.shape[:2]
        # never over a sign, a word or a heading either
        room = {"left": box[0] if lead is None else lead, "top": 0 if drop else box[1], "right": w - box[2],
                "bottom": h - box[3]}
        side = str(rng.choice(list(room)))
        band = int(room[side] * rng.uniform(0.3, 0.8))
        dark = float(rng.uniform(*MARGIN_DARK))
        if band > 0:
            region = {"left": np.s_[:, :band], "right": np.s_[:, w - band :], "top": np.s_[:band, :],
                      "bottom": np.s_[h - band :, :]}[side]
            crop[region] = dark
    return np.clip(crop, 0, 255).astype(np.uint8)


def paper_of(crop: np.ndarray) -> np.ndarray:
    """The paper's colour of a float32 RGB crop: the median of its edges."""
    return np.median(np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]]), axis=0)


def with_sign(crop: np.ndarray, baseline: int, height: int, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """The float32 RGB `crop` widened on the left for a sign before its number, as a cheque's amount has one: a
    dollar sign printed in the pages' type (DejaVu, Liberation), or one written by hand (`hand_sign`: a dollar sign
    or a "#"), in the ink and on the paper of the crop, its foot on the number's baseline (`baseline`, a row of
    `crop`), with paper before it; and the column where the sign starts. The number's text is unchanged: the sign is
    no part of it."""
    paper = paper_of(crop)
    ink = np.percentile(crop.reshape(-1, 3), 0.5, axis=0)
    if rng.random() < 0.4:
        size = round(height * rng.uniform(1.0, 1.3))
        face = font((SANS, SERIF, SANS_BOLD)[int(rng.integers(3))], size)
        x_min, y_min, x_max, y_max = face.getbbox("$")
        im = Image.new("L", (x_max + 2, y_max + 2), 0)
        ImageDraw.Draw(im).text((0, 0), "$", fill=255, font=face)
        cover = np.asarray(im, np.float32)[y_min:, x_min:] / 255.0
        foot = round(cover.shape[0] - (y_max - face.getbbox("S")[3]))  # the S's foot, where the bar runs below
    else:
        cover, foot = hand_sign(height, rng)
    gap, lead = round(height * rng.uniform(0.15, 0.5)), round(height * rng.uniform(0.2, 0.6))
    return ink_before(crop, cover, baseline - foot, lead, gap, paper, ink), lead


def ink_before(crop: np.ndarray, cover: np.ndarray, top: int, lead: int, gap: int, paper: np.ndarray,
               ink: np.ndarray) -> np.ndarray:
    """The float32 RGB `crop` widened on the left: `lead` columns of paper, `cover` (ink coverage) drawn in `ink` with
    its top at row `top` (within the crop), then `gap` columns of paper before the crop."""
    h, w = crop.shape[:2]
    y = int(np.clip(top, 0, max(0, h - cover.shape[0])))
    cover = cover[: h - y]
    added = lead + cover.shape[1] + gap
    wide = np.empty((h, w + added, 3), np.float32)
    wide[:, :added] = paper
    wide[:, added:] = crop
    region = wide[y : y + cover.shape[0], lead : lead + cover.shape[1]]
    region[:] = region * (1 - cover[..., None]) + ink * cover[..., None]
    return wide


REGISTER_WORDS = ("No.", "Nr.", "Fol.", "Folio", "Total", "Amount", "Page", "Vol.", "Reg.", "Entry", "Sum", "Paid",
                  "Balance", "Bal.", "Cr.", "Dr.", "Rs.", "Item", "Ref.", "Acct.", "Lot", "Qty.", "Net", "Carried")


def with_label(crop: np.ndarray, baseline: int, height: int, rng: np.random.Generator, lead: int | None
               ) -> tuple[np.ndarray, int]:
    """The float32 RGB `crop` with a word printed in the pages' type before its number (on its baseline, the crop
    widened on the left) or over it (a column's heading, the crop made taller), as a register's printed words come
    with its entries: capitals 0.5 to 0.9 of the digits' `height`, in black print. Returns the crop and the column
    where what was added on the left starts (the sign's `lead` when the word went over the number)."""
    paper = paper_of(crop)
    word = str(rng.choice(REGISTER_WORDS))
    face = font((SANS, SERIF, SANS_BOLD)[int(rng.integers(3))], max(6, round(height * rng.uniform(0.5, 0.9) / 0.72)))
    x_min, y_min, x_max, y_max = face.getbbox(word)
    im = Image.new("L", (x_max + 2, y_max + 2), 0)
    ImageDraw.Draw(im).text((0, 0), word, fill=255, font=face)
    cover = np.asarray(im, np.float32)[y_min:, x_min:] / 255.0
    foot = face.getbbox("H")[3] - y_min  # the capitals' baseline in `cover`
    h, w = crop.shape[:2]
    ink = np.array(PRINT, np.float32)
    if rng.random() < 0.6:  # before the number, on its baseline
        gap, before = round(height * rng.uniform(0.3, 0.8)), round(height * rng.uniform(0.1, 0.4))
        return ink_before(crop, cover, baseline - foot, before, gap, paper, ink), before
    gap = round(height * rng.uniform(0.2, 0.5))  # over the number: a heading above the padding
    added = cover.shape[0] + gap
    cover = cover[:, :w]
    tall = np.empty((h + added, w, 3), np.float32)
    tall[:added] = paper
    tall[added:] = crop
    x = int(rng.integers(0, w - cover.shape[1] + 1))
    region = tall[: cover.shape[0], x : x + cover.shape[1]]
    region[:] = region * (1 - cover[..., None]) + ink * cover[..., None]
    return tall, lead


def with_rules(crop: np.ndarray, top: int, baseline: int, height: int, rng: np.random.Generator) -> None:
    """A register's ruling drawn into the float32 RGB `crop` (rows `top` and `baseline`: the number's box): the
    line the number is written on, at its foot or a little below (the digits' feet touching it or not), mostly a line
    above it across the padding, and sometimes a column's rule on either side; each 1 to 3 pixels, as dark as print
    or paler."""
    h, w = crop.shape[:2]
    ink = np.array(PRINT, np.float32)
    paper = paper_of(crop)
    colour = paper + (ink - paper) * rng.uniform(0.35, 1.0)
    width = int(rng.integers(1, 4))
    rows = [int(np.clip(baseline + rng.uniform(-0.08, 0.25) * height, 0, h - 1))]
    if rng.random() < 0.8:
        rows.append(int(np.clip(top - rng.uniform(0.15, 0.5) * height, 0, h - 1)))
    ruled = crop.copy()
    for r in rows:
        cv2.line(ruled, (0, r), (w - 1, r), colour.tolist(), width)
    for side in ("left", "right"):
        if rng.random() < 0.3:
            inset = int(rng.integers(0, max(1, round(0.2 * height))))
            x = inset if side == "left" else w - 1 - inset
            cv2.line(ruled, (x, 0), (x, h - 1), colour.tolist(), width)
    np.minimum(crop, ruled, out=crop)  # where the ink crosses a rule, the darker of the two


def hand_sign(height: int, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """A sign written by hand before a number, as ink coverage, and the row of its foot: a dollar sign (an S through
    nine points and a bar, or two) or a "#". Drawn the benchmark's own way (`separator`'s), not as training draws
    its signs (data/negatives.py's arcs)."""
    s, h = 4, height
    pen = max(1, round(h * rng.uniform(0.08, 0.16) * s))
    j = lambda a: rng.uniform(-a, a) * h  # noqa: E731
    canvas = np.zeros((int(1.6 * h) * s, int(1.0 * h) * s), np.uint8)
    lean = rng.uniform(0.0, 0.25) * h
    at = lambda x, y: [(x + lean * (1.3 * h - y) / h) * s, y * s]  # noqa: E731
    if rng.random() < 0.75:
        w = rng.uniform(0.35, 0.55) * h
        top, bottom = 0.3 * h, 1.3 * h  # the S's top and foot
        ss = [(1.0, 0.12), (0.55, 0.0), (0.05, 0.12), (0.0, 0.3), (0.45, 0.5), (0.95, 0.68), (1.0, 0.88),
              (0.5, 1.0), (0.0, 0.88)]
        pts = [at(0.1 * h + fx * w + j(0.03), top + fy * (bottom - top) + j(0.02)) for fx, fy in ss]
        cv2.polylines(canvas, [np.array(pts, np.int32)], False, 255, pen, cv2.LINE_AA)
        for dx in ([0.0] if rng.random() < 0.8 else [-0.06 * h, 0.06 * h]):
            x = 0.1 * h + 0.5 * w + dx + j(0.03)
            ends = [at(x, top - rng.uniform(0.1, 0.25) * h), at(x + j(0.03), bottom + rng.uniform(0.1, 0.25) * h)]
            cv2.polylines(canvas, [np.array(ends, np.int32)], False, 255, pen, cv2.LINE_AA)
        foot = bottom
    else:
        size = rng.uniform(0.7, 0.9) * h
        y0, y1 = 1.3 * h - size, 1.3 * h
        for fx in (0.35, 0.7):
            cv2.polylines(canvas, [np.array([at(fx * size + 0.1 * h + 0.1 * size, y0 + j(0.03)),
                                             at(fx * size + 0.1 * h - 0.1 * size, y1 + j(0.03))], np.int32)],
                          False, 255, pen, cv2.LINE_AA)
        for fy in (0.35, 0.68):
            y = y0 + fy * size
            cv2.polylines(canvas, [np.array([at(0.1 * h, y + j(0.03)), at(0.1 * h + size, y + j(0.03))], np.int32)],
                          False, 255, pen, cv2.LINE_AA)
        foot = y1
    small = cv2.resize(canvas, (canvas.shape[1] // s, canvas.shape[0] // s), interpolation=cv2.INTER_AREA)
    cover = small.astype(np.float32) / 255.0
    ys, xs = np.nonzero(cover > 0.05)
    return cover[ys.min() :, xs.min() : xs.max() + 1], round(foot) - int(ys.min())


def security_pattern(shape: tuple[int, int], height: int, rng: np.random.Generator) -> np.ndarray:
    """float32 0..1: a cheque's security pattern as ink coverage (how dark it is drawn is the caller's), its lines a
    fifth to a third of the digits' `height` apart: interleaved waves of a random period and amplitude, or a slanted
    hatching, or both, each line a pixel wide and anti-aliased. Denser than the cheque pages' pale guilloche."""
    h, w = shape
    out = np.zeros((h, w), np.float32)
    kind = rng.choice(["waves", "hatching", "both"])
    if kind in ("waves", "both"):
        gap = rng.uniform(0.18, 0.35) * height
        period, amplitude = rng.uniform(1.5, 4.0) * height, rng.uniform(0.2, 0.6) * height
        phase = rng.uniform(0, 2 * np.pi)
        xs = np.arange(w, dtype=np.float32)
        for k in range(-3, int(h / gap) + 4):
            ys = k * gap + amplitude * np.sin(xs / period * 2 * np.pi + phase + 0.3 * k)
            cv2.polylines(out, [np.stack([xs, ys], 1).astype(np.int32)], False, 1.0, 1, cv2.LINE_AA)
    if kind in ("hatching", "both"):
        gap, lean = rng.uniform(0.2, 0.35) * height, rng.choice([-1, 1]) * rng.uniform(0.5, 1.5)
        for k in range(-int(h * abs(lean) / gap) - 2, int(w / gap) + int(h * abs(lean) / gap) + 2):
            x = k * gap
            cv2.line(out, (int(x), 0), (int(x - lean * h), h), 1.0, 1, cv2.LINE_AA)
    return np.clip(out, 0.0, 1.0)


def tesseract_line(path: Path) -> str:
    """Tesseract 5 on an image of one line (psm 7), digits and separators only: its text, spaces between words."""
    cmd = ["tesseract", str(path), "stdout", "--psm", "7", "-c", "tessedit_char_whitelist=0123456789./,-"]
    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    return " ".join(subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout.split())


def cmd_crops(args) -> int:
    """Every --every-th number of the pages cut out on its own (`cut_number`), saved as JPEG (quality 85) and read
    whole: the share read exactly (all the words read, joined by spaces, are the number). --json writes the figures
    and every misreading (its truth and what digitocr read), in the pages' order."""
    from digitocr.reading.load import load_pages

    folder = Path(args.pages)
    engines = [e for e in ("digitocr", "tesseract") if args.engine in (e, "both")]
    if "tesseract" in engines and not shutil.which("tesseract"):
        print("tesseract: not installed; get it with 'apt-get install tesseract-ocr'. Scoring digitocr alone.",
              file=sys.stderr)
        engines.remove("tesseract")
    words = digitocr_reader(args.model) if "digitocr" in engines else None
    rng = np.random.default_rng(args.seed)
    exact = dict.fromkeys(engines, 0)
    count = 0
    misread: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        jpeg = Path(tmp) / "crop.jpg"
        for truth in load_truth(folder):
            numbers = truth["numbers"][:: args.every]
            if not numbers:
                continue
            image = load_pages(folder / truth["file"])[0].image
            for n in numbers:
                crop = cut_number(image, tuple(n["bbox"]), args.height, args.fade, args.margin, rng, args.pad,
                                  args.pattern, args.sign, args.label, args.rules)
                Image.fromarray(crop).save(jpeg, "JPEG", quality=85)
                count += 1
                if words is not None:
                    text = " ".join(f.text for f in words(jpeg, Path(tmp)))
                    exact["digitocr"] += text == n["text"]
                    if text != n["text"]:
                        misread.append((n["text"], text))
                if "tesseract" in engines:
                    exact["tesseract"] += tesseract_line(jpeg) == n["text"]
    look = [f"digits {args.height} px tall", f"{args.pad:g} of that around them"]
    if args.fade is not None:
        look.append(f"ink at {args.fade:g} of its contrast on yellowed paper")
    if args.pattern is not None:
        look.append(f"a cheque's security pattern at {args.pattern:g} of the ink's contrast")
    if args.sign:
        look.append("a sign before each number")
    if args.label:
        look.append("a printed word before or over each number")
    if args.rules:
        look.append("a register's ruling")
    if args.margin:
        look.append("a dark scan margin on one side")
    print(f"{count} numbers cut out of {folder} (every {args.every}), {', '.join(look)}, JPEG:")
    for e in engines:
        print(f"  {e:10s} read exactly: {exact[e]} ({100 * exact[e] / max(count, 1):.1f}%)")
    if misread:
        print("  digitocr's first misreadings: " + ", ".join(f"{t} as {r!r}" for t, r in misread[:8]))
    if args.json:
        Path(args.json).write_text(json.dumps({"pages": str(folder), "numbers": count, "height": args.height,
                                               "pad": args.pad, "fade": args.fade, "margin": args.margin,
                                               "pattern": args.pattern, "sign": args.sign, "label": args.label,
                                               "rules": args.rules, "exact": exact,
                                               "misread": [{"truth": t, "read": r} for t, r in misread]}, indent=1))
    return 0


# ----------------------------------------------------------------------------------------------
# Speed

def speed_page(digits: Digits, folder: Path) -> tuple[Path, int]:
    """An A4 page at 300 dpi with about 60 handwritten numbers, as PNG."""
    rng = np.random.default_rng(7)
    c = Canvas(Image.new("RGB", A4_300, (252, 252, 250)), digits, rng, 1.0, BLACK_INK, pen=6.0)
    layout_lines(c, most=60)
    path = folder / "speed_page.png"
    Image.fromarray(c.compose()).save(path, dpi=(300, 300), compress_level=1)
    return path, len(c.texts)


def speed_crop(digits: Digits) -> np.ndarray:
    """A 300 x 100 crop holding one handwritten number."""
    rng = np.random.default_rng(11)
    patch, base = handwrite("4711", 60, digits, rng)
    crop = np.full((100, 300), 250, np.uint8)
    h, w = patch.shape
    y0, x0 = max(0, 70 - base), (300 - w) // 2
    region = crop[y0:y0 + h, x0:x0 + w]
    region[:] = (region * (1 - patch[:100 - y0, :300 - x0])).astype(np.uint8)
    return crop


def timed(fn, repeats: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


@dataclass
class Child:
    seconds: float
    code: int
    rss_kib: int  # peak resident set size
    out: str
    err: str


def run_child(cmd: list[str], env: dict) -> Child:
    """Run a subprocess to its end; its wall time, and its peak memory from os.wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Child(seconds, proc.returncode, usage.ru_maxrss, out.read().decode(errors="replace"),
                     err.read().decode(errors="replace").strip())


PEAK_SCRIPT = """
import resource, sys, time, tracemalloc
tracemalloc.start()
import digitocr
doc = digitocr.read(sys.argv[1], model=sys.argv[2] or None)
cur, peak = tracemalloc.get_traced_memory()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, peak, len(doc.pages[0].words))
"""


def cmd_speed(args) -> int:
    import digitocr
    from digitocr.classifier import Classifier

    digits = Digits.load(args.data)
    env = {**os.environ}
    if args.model:
        env["DIGITOCR_MODEL"] = str(Path(args.model).resolve())
    results: dict = {"machine": machine(), "model": args.model or os.environ.get("DIGITOCR_MODEL") or "shipped"}
    with tempfile.TemporaryDirectory() as tmp:
        page, n = speed_page(digits, Path(tmp))
        image = np.asarray(Image.open(page).convert("L"))
        t0 = time.perf_counter()
        clf = Classifier(args.model) if args.model else Classifier()
        results["model_load_s"] = time.perf_counter() - t0
        try:
            file_times = timed(lambda: digitocr.read(page, model=clf), args.repeats)
            array_times = timed(lambda: digitocr.read(image, model=clf), args.repeats)
            found = len(digitocr.read(page, model=clf).pages[0].words)
            crop = speed_crop(digits)
            crop_times = timed(lambda: digitocr.read(crop, model=clf), 20, warmup=3)
            crop_text = digitocr.read(crop, model=clf).text
        except Exception as exc:
            print(f"digitocr.read failed on the speed page: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        results["page"] = {"size": list(image.shape[::-1]), "numbers": n, "found": found,
                           "median_s_from_file": statistics.median(file_times),
                           "median_s_from_array": statistics.median(array_times), "target_s": 0.3}
        results["crop"] = {"size": [300, 100], "median_ms": 1000 * statistics.median(crop_times), "target_ms": 20,
                           "written": "4711", "read": crop_text}
        exe = Path(sys.executable).parent / "digitocr"
        cli = [str(exe)] if exe.exists() else [sys.executable, "-m", "digitocr.cli"]
        runs = [run_child([*cli, "read", str(page)], env) for _ in range(5)]
        results["cold_start"] = {"median_s": statistics.median(r.seconds for r in runs),
                                 "exit_codes": [r.code for r in runs],
                                 "peak_rss_mib": max(r.rss_kib for r in runs) / 1024, "target_s": 1.0,
                                 "stderr": runs[0].err[-300:] if runs[0].code else ""}
        child = run_child([sys.executable, "-c", PEAK_SCRIPT, str(page), args.model or ""], env)
        results["memory"] = {"exit_code": child.code, "peak_rss_mib": child.rss_kib / 1024}
        if child.code == 0:
            results["memory"]["tracemalloc_peak_mib"] = int(child.out.split()[1]) / 2**20
    p, c, cold, mem = results["page"], results["crop"], results["cold_start"], results["memory"]
    print(f"machine: {results['machine']['platform']}, {results['machine']['cpus']} CPUs; model: {results['model']}")
    print(f"model load                     {results['model_load_s'] * 1000:8.1f} ms")
    print(f"A4 page at 300 dpi, {p['numbers']} numbers ({p['found']} found)")
    print(f"  read from PNG, median        {p['median_s_from_file']:8.3f} s   target <= {p['target_s']} s"
          f"  {'met' if p['median_s_from_file'] <= p['target_s'] else 'NOT met'}")
    print(f"  read from array, median      {p['median_s_from_array']:8.3f} s")
    print(f"300x100 crop, median           {c['median_ms']:8.1f} ms  target <= {c['target_ms']} ms"
          f"  {'met' if c['median_ms'] <= c['target_ms'] else 'NOT met'}  (4711 read as {c['read']!r})")
    ok = all(rc == 0 for rc in cold["exit_codes"])
    print(f"'digitocr read' cold, median   {cold['median_s']:8.3f} s   target <= {cold['target_s']} s"
          f"  {('met' if cold['median_s'] <= cold['target_s'] else 'NOT met') if ok else 'FAILED: ' + cold['stderr']}")
    print(f"peak memory: 'digitocr read' {cold['peak_rss_mib']:.0f} MiB RSS; read() in Python "
          f"{mem['peak_rss_mib']:.0f} MiB RSS" + (f", tracemalloc peak {mem['tracemalloc_peak_mib']:.0f} MiB"
                                                  if "tracemalloc_peak_mib" in mem else ""))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
    return 0


# ----------------------------------------------------------------------------------------------

def cmd_digits(args) -> int:
    """Validation digits drawn as `make` draws its digits, each alone, read by the page reader: how often a digit
    on a page is misread, beside how often the classifier misreads the same digits as MNIST gives them, and as drawn
    and put straight back into MNIST's form (no page). It tells what the classifier costs the page benchmark, what
    the drawing (crisp edges, another pen width) adds, and what the page (the reduction to the work resolution,
    the cleaning) adds to that. Training digits held out of training, never test digits."""
    from collections import Counter

    import digitocr
    from digitocr.classifier import Classifier
    from digitocr.data.mnist import load_split, split_validation
    from digitocr.preprocess import to_mnist_form

    images, labels = load_split("train", args.data)
    clf = Classifier(args.model)
    # the classifier's validation split (5,000), drawn with the seed its run was trained with (a shipped model's
    # metadata has it; a run's model.onnx does not: give --split-seed)
    split_seed = clf.metadata.get("seed", 0) if args.split_seed is None else args.split_seed
    _, val = split_validation(len(images), 5000, split_seed)
    if args.european:  # the 1s and 7s only, each drawn with a European habit
        val = val[np.isin(labels[val], (1, 7))]
    val = val[: args.count]
    raw = clf.predict(images[val].astype(np.float32) / 255.0).argmax(axis=1)
    rng = np.random.default_rng(args.seed)
    width, height, row = 2480, 3508, 220
    per_page = 2 * ((height - 200) // row)  # two to a line, far apart: each its own number
    wrong = unread = drawn_wrong = 0
    pairs: Counter[str] = Counter()
    for start in range(0, len(val), per_page):
        alpha = np.zeros((height, width), np.float32)
        truth, drawn = [], []
        size = int(rng.integers(40, 111))  # one writer a page: the reader takes a lone much smaller glyph for a mark
        pen = None if rng.random() < 0.3 else rng.uniform(4.0, 10.0)  # as `render`: MNIST's strokes, or a pen
        for j, i in enumerate(val[start : start + per_page]):
            h = max(8, round(size * rng.uniform(0.88, 1.08)))
            g = glyph(images[i], h, rng, pen * rng.uniform(0.9, 1.1) if pen else None)
            if args.european:
                g = european_habit(g, int(labels[i]), rng)
            x, y = 300 + (j % 2) * 1200, 100 + (j // 2) * row
            patch = alpha[y : y + g.shape[0], x : x + g.shape[1]]
            np.maximum(patch, g, out=patch)
            truth.append(((x, y, x + g.shape[1], y + g.shape[0]), int(labels[i])))
            drawn.append(to_mnist_form(g))
        drawn_wrong += int((clf.predict(np.stack(drawn)).argmax(axis=1) != [t[1] for t in truth]).sum())
        page = digitocr.read(np.clip(255 - 225 * alpha, 0, 255).astype(np.uint8), model=clf).pages[0]
        chars = [c for line in page.lines for w in line.words for c in w.chars]
        for (x0, y0, x1, y1), label in truth:
            hits = [c.text for c in chars
                    if x0 <= (c.bbox[0] + c.bbox[2]) / 2 <= x1 and y0 <= (c.bbox[1] + c.bbox[3]) / 2 <= y1]
            if len(hits) != 1:
                unread += 1
            elif hits[0] != str(label):
                wrong += 1
                pairs[f"{label} as {hits[0]}"] += 1
    n, read = len(val), len(val) - unread
    raw_wrong = int((raw != labels[val]).sum())
    what = "1s and 7s, flagged and crossed as much of Europe writes them" if args.european else "digits"
    print(f"{n} validation {what} (seed {args.seed}, split seed {split_seed}), classifier {clf.name}")
    print(f"  as MNIST gives them{' (no flag, no bar)' if args.european else ''}, classified: "
          f"{raw_wrong} wrong ({100 * raw_wrong / n:.2f}%)")
    print(f"  drawn, put into MNIST's form, classified: {drawn_wrong} wrong ({100 * drawn_wrong / n:.2f}%)")
    print(f"  drawn on pages, read by the reader:   {wrong} wrong of {read} read ({100 * wrong / max(read, 1):.2f}%),"
          f" {unread} not read as one digit ({100 * unread / n:.2f}%)")
    print("  commonest misreadings on pages: " + ", ".join(f"{k} {v}" for k, v in pairs.most_common(8)))
    if args.json:
        figures = {"digits": n, "split_seed": split_seed, "raw_wrong": raw_wrong, "drawn_wrong": drawn_wrong,
                   "page_read": read, "page_wrong": wrong, "page_unread": unread, "pairs": dict(pairs)}
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("make", help="write labelled pages")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--count", type=int, default=36)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", metavar="DIR", help="MNIST folder (default: $DIGITOCR_DATA)")
    p.add_argument("--digits", choices=["test", "val"], default="test",
                   help="draw MNIST's test digits (the benchmark), or the classifier's validation digits (pages to "
                        "tune the reader on: never the test set)")
    p.add_argument("--split-seed", type=int, metavar="SEED",
                   help="with --digits val, the split's seed (default: the shipped classifier's, from its metadata)")
    p.set_defaults(func=cmd_make)
    p = sub.add_parser("score", help="read the pages and score them")
    p.add_argument("--pages", required=True, metavar="DIR")
    p.add_argument("--engine", choices=["digitocr", "tesseract", "both"], default="both")
    p.add_argument("--model", metavar="PATH", help="ONNX model for digitocr (default: shipped or $DIGITOCR_MODEL)")
    p.add_argument("--json", metavar="PATH")
    p.add_argument("-v", "--verbose", action="store_true", help="a line per page")
    p.add_argument("--fade", type=float, metavar="K", help="read each page faded first: its ink at K (0 to 1) of its "
                   "contrast, on yellowed paper, as JPEG (an old register's faded ink)")
    p.set_defaults(func=cmd_score)
    p = sub.add_parser("crops", help="numbers cut out of the pages one by one, small, faded, beside a dark margin")
    p.add_argument("--pages", required=True, metavar="DIR")
    p.add_argument("--height", type=int, default=32, help="the numbers' height in the crops, pixels (default 32)")
    p.add_argument("--pad", type=float, default=CROP_PAD,
                   help=f"paper around each number, in its heights (default {CROP_PAD}; 0: cut tight)")
    p.add_argument("--fade", type=float, metavar="K", help="ink at K (0 to 1) of its contrast, on yellowed paper")
    p.add_argument("--margin", action="store_true", help="a scanner's dark margin along one side of each crop")
    p.add_argument("--pattern", type=float, metavar="K",
                   help="a cheque's security pattern (fine waves, hatching) over each crop, at K (0 to 1) of the ink's "
                        "contrast")
    p.add_argument("--sign", action="store_true",
                   help="a sign before each number: a dollar sign printed or written by hand, or a '#'")
    p.add_argument("--label", action="store_true",
                   help="a word printed before each number or over it, as a register's words come with its entries")
    p.add_argument("--rules", action="store_true",
                   help="a register's ruling: the line each number is written on, a line above it, column rules")
    p.add_argument("--every", type=int, default=4, help="every Nth number of each page (default 4)")
    p.add_argument("--engine", choices=["digitocr", "tesseract", "both"], default="digitocr")
    p.add_argument("--model", metavar="PATH")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", metavar="PATH")
    p.set_defaults(func=cmd_crops)

    p = sub.add_parser("speed", help="time the reader on an A4 page, a crop and a cold start")
    p.add_argument("--model", metavar="PATH")
    p.add_argument("--data", metavar="DIR")
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--json", metavar="PATH")
    p.set_defaults(func=cmd_speed)
    p = sub.add_parser("digits", help="how often single validation digits drawn on pages are misread")
    p.add_argument("--data", metavar="DIR")
    p.add_argument("--model", metavar="PATH")
    p.add_argument("--count", type=int, default=5000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--split-seed", type=int, metavar="SEED",
                   help="the seed the classifier's run drew its validation split with (default: a shipped model's, "
                   "from its metadata; else 0)")
    p.add_argument("--european", action="store_true",
                   help="only the 1s and 7s, each 1 given a flag and each 7 a bar, drawn with the page's pen")
    p.add_argument("--json", metavar="PATH")
    p.set_defaults(func=cmd_digits)
    p = sub.add_parser("example", help="write the bundled example page and its truth")
    p.add_argument("--out", default="src/digitocr/assets/examples", metavar="DIR")
    p.add_argument("--data", metavar="DIR")
    p.set_defaults(func=cmd_example)
    args = parser.parse_args(argv)
    from digitocr.errors import DigitocrError

    try:
        return args.func(args)
    except DigitocrError as exc:
        print(f"pages.py: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
