"""Assemble readings into the result tree: lines in reading order, numbers (words) within them.

    readings -> lines, by chaining glyphs left to right (here) -> the small marks by each line named as separators
    (separators.py) -> what a crop's cut or a rule left at a line's ends taken out (leftovers.py) -> the line's
    numbers, only those that look handwritten (printed.py; split at wide gaps, separators tidied and mended to the
    forms numbers take: separators.py, forms.py) -> signs, rules' pieces and what the image's edges cut taken out
    (leftovers.py) -> lines in reading order, in page pixels

Each step is a function of plain data (the `Item`s of items.py), so it can be tested alone.
"""

from __future__ import annotations

from statistics import median

import numpy as np

from digitocr.document import Char, Line, Word
from digitocr.reading.find import Box
from digitocr.reading.items import REACH, Item, digit_item, height, nearest, neighbours, to_page, v_overlap
from digitocr.reading.leftovers import (
    cut_at_edge,
    cut_by_edge,
    pen_width,
    without_bold_ones,
    without_cut_off,
    without_rule_pieces,
    without_signs,
)
from digitocr.reading.printed import line_words
from digitocr.reading.recognise import Reading
from digitocr.reading.separators import SMALL, digit_sized, hangs, place_marks, run_on

CHAIN = 0.3  # a glyph continues a line when it overlaps the line's last glyph vertically by this (of the shorter),
# and is no further right of it than REACH character heights


def group_lines(readings: list[Reading]) -> list[list[Reading]]:
    """Digit candidates -> text lines, by chaining left to right: each glyph joins the line whose last glyph (or
    the one before it, past a low comma) it overlaps most vertically, so a line may drift (tilt, a curved photo)
    and still hold together. Lines that continue one another across a wide gap (columns of a table) are joined
    afterwards."""
    lines: list[list[Reading]] = []
    open_lines: list[int] = []  # lines that a glyph further right may still continue
    for r in sorted(readings, key=lambda r: r.box[0]):
        best, score = None, CHAIN
        still = []
        box = r.box
        for i in open_lines:
            last = lines[i][-1].box
            behind = box[0] - last[2]
            tallest = max(height(last), height(box))
            if behind > REACH * max(tallest, 1) * 2:
                continue  # too far behind for this glyph and (as glyphs come left to right) all later ones
            still.append(i)
            if behind > REACH * tallest:
                continue
            o = v_overlap(box, last)
            if len(lines[i]) > 1:
                o = max(o, v_overlap(box, lines[i][-2].box))  # or the one before: a low comma between
            if o >= score:
                best, score = i, o
        open_lines = still
        if best is None:
            lines.append([r])
            open_lines.append(len(lines) - 1)
        else:
            lines[best].append(r)
    merged = True
    while merged:
        merged = False
        lines.sort(key=lambda line: line[0].box[0])
        for i, a in enumerate(lines):
            for j in range(i + 1, len(lines)):
                b = lines[j]
                if b[0].box[0] >= a[-1].box[2] - 2 and max(v_overlap(g.box, b[0].box) for g in a[-2:]) >= 0.5:
                    lines[i] = a + b
                    del lines[j]
                    merged = True
                    break
            if merged:
                break
    return lines


def small_lines(lines: list[list[Reading]]) -> tuple[list[list[Reading]], list[Reading]]:
    """Lines of one or two small glyphs in the band of a line of bigger ones are its marks (a comma hanging
    below the baseline overlaps the digits too little to chain with them): (the other lines, their glyphs).
    Small and the band as told by the glyphs nearest them: a table's row holds writing of several sizes."""
    spans = np.array([(min(r.box[0] for r in ln), min(r.box[1] for r in ln), max(r.box[2] for r in ln),
                       max(r.box[3] for r in ln), max(height(r.box) for r in ln)) for ln in lines], np.float64)
    kept, loose = [], []
    for k, ln in enumerate(lines):
        x0, y0, x1, y1, _ = spans[k]
        cy = (y0 + y1) / 2
        beside = False
        if len(ln) <= 2:
            # the lines it may be a mark of: within reach of their tallest glyph's height
            near_lines = np.flatnonzero((spans[:, 0] - spans[:, 4] <= x0) & (x1 <= spans[:, 2] + spans[:, 4])
                                        & (spans[:, 1] - spans[:, 4] <= cy) & (cy <= spans[:, 3] + spans[:, 4]))
            beside = any(mark_of((x0, y0, x1, y1), lines[j]) for j in near_lines if j != k)
        (loose.extend if beside else kept.append)(ln)
    return kept, loose


def mark_of(box: Box, line: list[Reading]) -> bool:
    """Whether a glyph's box is a mark of `line`, as told by the line's two glyphs nearest it: small and within
    their band, or hanging below them, and within a glyph's height of them along the line."""
    near = nearest(box, line)
    top, bottom = neighbours(box, near)
    h = bottom - top  # the two glyphs' mean height
    a, b = min(r.box[0] for r in near), max(r.box[2] for r in near)
    cy = (box[1] + box[3]) / 2
    small = box[3] - box[1] < SMALL * h and top - 0.1 * h <= cy <= bottom + 0.45 * h
    return a - h <= box[0] and box[2] <= b + h and (small or hangs(box, top, bottom))


def marks_by_line(marks: list[Reading], lines: list[list[Item]]) -> list[list[Reading]]:
    """Each mark to the one line it sits by: the line with a glyph nearest to it (horizontally) whose
    height band it is in. Rows that chaining cut in two (print then handwriting) must not share a dot."""
    out: list[list[Reading]] = [[] for _ in lines]
    if not marks or not lines:
        return out
    span = np.array([[min(it.box[0] for it in ln), min(it.box[1] for it in ln), max(it.box[2] for it in ln),
                      max(it.box[3] for it in ln), median([height(it.box) for it in ln]),
                      max(height(it.box) for it in ln)] for ln in lines], float)
    for m in marks:
        cx, cy = (m.box[0] + m.box[2]) / 2, (m.box[1] + m.box[3]) / 2
        # along the line, within reach of its tallest glyph: a row of small print may end in big handwriting; a mark
        # as tall as the line's digits (the page's writing is bigger elsewhere) as far as a line chains its glyphs
        far = digit_sized(m, span[:, 4])
        reach, gaps = np.where(far, REACH * span[:, 4], span[:, 5]), np.where(far, REACH, 1.0) * span[:, 4]
        near = np.flatnonzero((span[:, 0] - reach <= cx) & (cx <= span[:, 2] + reach)
                              & (span[:, 1] - 0.2 * span[:, 4] <= cy) & (cy <= span[:, 3] + 0.5 * span[:, 4]))
        best, best_gap = None, None
        for i in near:
            for it in lines[i]:
                h = height(it.box)
                if h < SMALL * span[i, 4] or not it.box[1] - 0.1 * h <= cy <= it.box[3] + 0.45 * h:
                    continue
                gap = max(it.box[0] - m.box[2], m.box[0] - it.box[2], 0)
                # within the line's character height, or the glyph's own where it is taller (handwriting ending a
                # row of small print: the dash of its 10.-)
                if gap <= max(gaps[i], h) and (best_gap is None or gap < best_gap):
                    best, best_gap = i, gap
        if best is not None:
            out[best].append(m)
    # and the marks running on from a line's own, as letters of a word do
    placed = [(i, m) for i, ms in enumerate(out) for m in ms]
    taken = {id(m) for _, m in placed}
    rest = [m for m in marks if id(m) not in taken]
    for m, source in zip(rest, run_on([m.box for _, m in placed], rest).tolist(), strict=True):
        if source >= 0:
            out[placed[source][0]].append(m)
    return out


def assemble(readings: list[Reading], to_page_m: np.ndarray, size: tuple[int, int]) -> list[Line]:
    """Readings (work pixels) -> Lines (page pixels) in reading order, only what looks like handwritten numbers.

    `size` is the page's (width, height); `to_page_m` maps work pixels to page pixels.
    """
    groups, loose = small_lines(group_lines([r for r in readings if r.probs is not None]))
    lines = [[digit_item(r) for r in group] for group in groups]
    all_marks = [r for r in readings if r.probs is None] + loose
    found: list[tuple[float, list[list[Item]]]] = []
    by_line = []
    for line, marks in zip(lines, marks_by_line(all_marks, lines), strict=True):
        items, _, stray = place_marks(line, marks)
        items = without_cut_off(items, to_page_m, size)
        by_line.append(without_bold_ones([without_signs(w) for w in line_words(items, stray)]))
    pen = pen_width([it for words in by_line for w in words for it in w])
    by_line = without_rule_pieces(by_line, pen)
    for words in by_line:
        words = cut_at_edge(words, to_page_m, size, pen)
        if words:
            found.append((float(median([(it.box[1] + it.box[3]) / 2 for w in words for it in w])), words))
    found.sort(key=lambda t: t[0])
    # the line above or below a number cut out of a page, cut by the image's top or bottom edge, is not the number
    cut = [cut_by_edge(words, to_page_m, size) for _, words in found]
    if any(not c for c in cut):
        found = [f for f, c in zip(found, cut, strict=True) if len(c) != 1]
    return [Line(words=[Word(chars=[Char(text=it.text, bbox=to_page(it.box, to_page_m, size),
                                         confidence=it.confidence, alternatives=it.alternatives) for it in w])
                        for w in words]) for _, words in found]
