"""Assemble readings into the result tree: lines in reading order, numbers (words) within them.

Also where what is not handwritten digits is dropped: words that read like letters (the model calls them
"not a digit" or is unsure of them, or glyphs of x-height, or letters that read as two digits when cut in
two), long numbers printed (heights even to a pixel, the baseline to the pixel itself), the printed numbers
of text lines, and on a row of a form or table the printed label and its figures beside the handwriting.
Separators (. , - /) are named by their shape and their place against the digits beside them (a "/" of a
gentle slant only where it makes a date); a 5's bar drawn apart bridges its number and reads as nothing, a
dotted streak thinner than the pen beside a number's digits is no 1, and a sign at a number's end ($, #) no digit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations
from statistics import median

import numpy as np

from digitocr.document import Char, Line, Word, union_bbox
from digitocr.reading.find import Box
from digitocr.reading.forms import mend, missing_separator
from digitocr.reading.recognise import Reading

CHAIN = 0.3  # a glyph continues a line when it overlaps the line's last glyph vertically by this (of the shorter)
REACH = 4.0  # ... and is no further right of it than this many character heights
WORD_GAP = 0.55  # a gap wider than this times the line's character height starts a new number
DASH_GAP = 0.9  # ... or this, beside a dash
SMALL = 0.55  # a glyph shorter than this times its line's characters is a separator or nothing
HANG_TOP = 0.4  # ... and so is a narrow one whose top is this far down the digits beside it and hangs below them
SPECK = 0.2  # a mark no bigger than this many of its digits' heights, higher up, is a speck
TICK_TOP = 0.55  # a comma that does not reach below the baseline starts this far down the digits beside it
# A comma is a stroke at least this much taller than wide, or reaches this far below the baseline (of the digits'
# height); a round mark is a dot unless it reaches DOT_BELOW below it: a dot on the baseline hangs a little below
# (844.35 read 844,35; seeds 1-2)
COMMA_TALL, COMMA_LOW, DOT_BELOW = 1.15, 0.2, 0.18
AS_TALL = 0.7  # a mark at least this times its line's characters tall is a digit candidate after all
LOW_DIGIT = 0.45  # ... and so is one this tall on the baseline beside a digit, read surely (SURE_SMALL) as one
SURE_SMALL = 0.85
NOT_DIGIT = 0.5  # a candidate whose "not a digit" probability is this or more reads like a letter ...
UNSURE = 0.5  # ... and so does one whose best digit has less than this
LETTERS = 0.5  # a word with at least this share of letter-like candidates is letters or scribble, not a number ...
PAIR_EVEN = 0.85  # ... but not a pair of one height, one read surely (odd_pair)
SLASH_SLANT = 45.0  # degrees from vertical past which a straight stroke between digits is a "/" (1s lean less) ...
SLASH_TALL = 1.15  # ... where it stands this many times taller than the line's digits (a 1 may lean as far; seeds 1-3)
DATE_SLANT = 12.0  # ... and past which it is one where it makes a date (d/m/y)
DATE_ALTERNATIVE = 0.005  # ... also with one digit read as its runner-up where that has this much (seeds 1-3; 0.02
# before: 23/10/00 with its 2 read as a 7, the 2 next at 0.006, read 73110100)
GIVEN_BACK = 0.5  # the confidence of a date's separator given back by its form (forms.py), not read from ink
# An amount's ".-" whose point was lost (`with_lost_point`): room for the point, LOST_POINT_GAP of the digits' height,
# then a dash DASH_WIDE of it, no taller than DASH_FLAT, its middle DASH_MIDDLE down the digits, and no number within
# LOST_POINT_CLEAR after it. Seed-2 crops under a pattern at 0.5: such dashes 0.56 to 0.67 wide, their middles 0.39 to
# 0.52 down, 0.27 to 0.37 after the digit; a printed label's last letter read so (the S of Sum, its um read as a dash)
# stood a height from it, a rule's piece or a 1's foot at the digit, or low
LOST_POINT_GAP, DASH_WIDE, DASH_FLAT, DASH_MIDDLE, LOST_POINT_CLEAR = (0.2, 0.6), (0.4, 0.9), 0.3, (0.3, 0.65), 2.0
SHORT = 0.78  # a glyph shorter than this times the tall ones of its line is a lowercase letter, not a digit
TALL_PCT = 80  # ... the tall ones: this percentile of the heights in its word
# ... and not shorter than this times them: print's x-height is half its capitals' or more. A glyph over twice as tall
# as the rest is strokes of two lines run together (a 2 whose tail reached the digits above), no capital
X_LEAST = 0.45
# a digit read this surely is seldom print's letter: two short ones of one height are digits written small (8040), and
# a pair's sure digit makes it a number though the other is doubted (odd_pair)
SURE_LOW = 0.99
TEXT_LINE = 0.2  # a line with at least this share of letter-like glyphs is printed text (or words)
BIMODAL = 1.4  # in a text line, handwriting this much taller than the print beside it is kept (a filled-in form)
CAPITALS = 1.4  # print's capitals and figures are at most this times the height of its letters found
PRINT_EVEN = 0.015  # heights and baselines within this (relative, or a pixel) are print's ...
PRINT_SHARE = 0.85  # ... for this share of a number's glyphs ...
PRINT_LEAST = 6  # ... of at least this many: shorter handwritten numbers line up by chance at the work resolution
PRINT_RUN = 7  # ... or this many in a row in a longer word (PRINT_SHARE of them: all but one)
# On a line of print, a number whose glyphs' heights or bottoms differ by more than UNEVEN of their height (and
# UNEVEN_PX pixels) is handwriting
UNEVEN, UNEVEN_PX = 0.08, 3.0
# ... and so is one standing TALLER than the print's capitals on its line, where its letters come in two sizes
# (capitals or ascenders, and x-height: Acct., Balance): print's figures stand as tall as its capitals
TALLER = 1.12
ONE_APART = 1.0  # ... a lone 1 only this many of its heights clear of its line's other glyphs (print's bar is nearer)
# ... and so is one whose pen is PEN_APART times broader or finer than that of the print's letters within REACH of it
# (a register's entry written at the print's size, level with it): print's figures have their letters' stroke, within
# 1.27 of it in every DejaVu and Liberation face (print_lines.py; 1.3 reported three printed numbers there)
PEN_APART = 1.35
# ... or one whose ink's colour stands INK_APART degrees from theirs (a blue pen's beside black print 8 to 15 degrees in
# the seed-2 crops' JPEGs, one black beside another 0 to 2)
INK_APART = 5.0
# (the classifier's "not a digit" output, trained on printed figures, tells most printed numbers)
PRINT_REACH = 1.5  # on a line of print and handwriting, numbers this many character heights from print are print
# A "1" in short pieces (a dotted streak: none taller than STREAK_PIECE of it), no wider than STREAK_WIDE of its
# height, whose stroke is at most STREAK_THIN of its number's other digits' is a streak of ink beside them (specks of
# MNIST's, a scanner's), not a digit written with their pen (seeds 1-3)
STREAK_WIDE, STREAK_THIN, STREAK_PIECE = 0.3, 0.9, 0.6
EDGE_CUT = 0.75  # a lone glyph at the image's left or right edge this much shorter than its line's digits is cut off
EDGE_THIN = 0.7  # a 1 at the image's left or right edge whose stroke is under this share of the page's pen is a rule
EDGE_SLIVER = 0.25  # ... and so is a sliver that short and this narrow (of its line's height) beside other digits
EDGE_NEAR = 1.0  # ... and so is one, first or last, this many of its heights from it (a box's side in a crop's margin)
# ... and one at the edge itself, upright (within SIDE_LEAN degrees), straight (SIDE_STRAIGHT: its minor axis over its
# major) and as tall as the line's tallest other digit, of any stroke: a box's side the cut ran along (35.- read 1 35.-)
SIDE_LEAN, SIDE_STRAIGHT = 5.0, 0.12
# A line that is a lone 1 upright within RULE_LEAN (a box drawn askew: 5.2 degrees), straight, and under RULE_THIN of
# the page's pen, beside other lines of numbers, is a rule's piece (`without_rule_pieces`): seed-2 crops with a word,
# ruling and margin, such pieces 0.75 to 0.87 of the pen (a stroke a pixel or two wide measures 2.0), a fine pen's
# handwritten 1s 0.9 of it and more
RULE_LEAN, RULE_THIN = 8.0, 0.85
# A 1 as upright and straight, cut by the image's top or bottom edge where its line's other digits are not, reaching
# this many of their height past them towards it, is a rule or a box's side the crop was cut across ($ | 68 read 168);
# and so is one at the left or right edge that reaches as far past them
ACROSS_PAST = 0.3
# A small glyph no further than LETTER_GAP of its height (or the other's) from one taken by a line, in its band, is
# taken too: print's letters run on from a label to the printed figure it labels (Article 918, whose word stood too far
# from the figure's line for its letters to count against it)
LETTER_GAP = 0.7
# A lone digit with a glyph of x-height (this share of its height tall, and wide) right after it (this many of its
# heights away), on its baseline (within this many), is a printed word's capital (seeds 1-2)
LOWER_TALL, LOWER_WIDE, CAPITAL_GAP, CAPITAL_BASE = (0.45, 0.85), 0.35, 0.3, 0.25
CAPITAL_OVER = 0.15  # ... the letter may start this far back under the capital (a serif Y's arm over its e)
BOLD_PEN, BOLD_TALL = 1.8, 1.3  # a 1 at a number's end this much broader of stroke and taller than the line's digits is
# a sign's blot
# a word of no more glyphs than this, one of them after its first no digit (NOT_DIGIT), is print: 4, as Sum's u comes
# apart in two at a crop's resolution (S, u's stems and m read 511; seed-2 crops with word, ruling and margin +6 on 3)
WORD_GLYPHS = 4
ABBREVIATION = 0.9  # a short word with a point after it, at most this of the number beside it: Rs., Qty.
STROKE_FIGURES = ("1", "7")  # what print's letters cut in two read as (N as 11, u as 17): their upright strokes
SIGN = 0.9  # a glyph at a number's start or end read whole as no digit this surely, and as nothing by the string
# reader, is a sign written by the number ($, #)
# ... and one written apart, SIGN_APART of the line's height from its number's first digit (or last), with nothing else
# for SIGN_ALONE, no wider than SIGN_WIDE of its height, is no letter either (seed-2 crops with a sign)
SIGN_APART, SIGN_ALONE, SIGN_WIDE = 0.3, 2.0, 1.2


@dataclass
class Item:
    text: str  # a digit or a separator
    box: Box  # work pixels
    confidence: float
    alternatives: list[tuple[str, float]]
    reading: Reading

    @property
    def is_digit(self) -> bool:
        return self.text.isdigit()


def height(box: Box) -> int:
    return box[3] - box[1]


def v_overlap(a: Box, b: Box) -> float:
    """Vertical overlap of two boxes as a share of the shorter one."""
    return (min(a[3], b[3]) - max(a[1], b[1])) / max(1, min(height(a), height(b)))


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


def hangs(box: Box, top: float, bottom: float) -> bool:
    """A narrow stroke from below the middle of the digits beside it (tops and bottoms at `top` and `bottom`) to
    well below their baseline: a long comma, which may be as tall as a short digit, but no digit stands so low. A
    stroke: taller than wide (COMMA_TALL), or reaching COMMA_LOW below; a round dot sits a little below the baseline
    too."""
    h = max(bottom - top, 1.0)
    w_m, h_m, below = box[2] - box[0], box[3] - box[1], box[3] - bottom
    return (box[1] >= top + HANG_TOP * h and below > 0.12 * h and w_m <= 0.45 * h
            and (h_m >= COMMA_TALL * w_m or below > COMMA_LOW * h))


def separator(box: Box, top: float, bottom: float) -> str | None:
    """A small mark beside digits whose tops and bottoms are at `top` and `bottom` -> "." "," "-", ":" (a colon or
    specks: no separator) or None."""
    h = max(bottom - top, 1.0)
    w_m, h_m = box[2] - box[0], box[3] - box[1]
    rel = ((box[1] + box[3]) / 2 - top) / h
    if hangs(box, top, bottom):
        return ","
    if w_m >= 1.5 * h_m and w_m >= 0.2 * h and 0.25 <= rel <= 0.8:
        return "-"
    if max(w_m, h_m) <= 0.55 * h and rel >= 0.65 and w_m <= 2.5 * max(h_m, 1):
        below = box[3] - bottom
        # a comma reaches below the baseline, or is a tick taller than wide low in the line (too small to tell: a
        # dot). A tick from higher up is a colon (its two dots run together at the work resolution) or specks
        # beside a 1: ":", no separator of a number
        tick = h_m >= 1.4 * w_m and h_m > 0.2 * h
        if below > (0.12 if tick else DOT_BELOW) * h or (tick and box[1] >= top + TICK_TOP * h):
            return ","
        return ":" if tick else "."
    if max(w_m, h_m) <= SPECK * h and rel >= 0.0:  # within the digits' band, above a dot's place
        return ":"  # a speck (MNIST's beside a 1): nothing, but no gap in the number either
    return None


def top_bar(box: Box, top: float, bottom: float) -> bool:
    """A flat stroke along the top of the digits beside it: the bar of a 5 (or 7) drawn apart from its body."""
    h = max(bottom - top, 1.0)
    w_m, h_m = box[2] - box[0], box[3] - box[1]
    return w_m >= 1.5 * h_m and w_m >= 0.2 * h and ((box[1] + box[3]) / 2 - top) / h < 0.25


def digit_item(r: Reading) -> Item:
    order = np.argsort(-r.probs)
    return Item(text=str(order[0]), box=r.box, confidence=float(r.probs[order[0]]),
                alternatives=[(str(k), float(r.probs[k])) for k in order[1:3]], reading=r)


def nearest(box: Box, glyphs: list, k: int = 2) -> list:
    """The `k` glyphs (items or readings) nearest a box along the line, by their centres."""
    cx = (box[0] + box[2]) / 2
    return sorted(glyphs, key=lambda g: abs((g.box[0] + g.box[2]) / 2 - cx))[:k]


def neighbours(box: Box, tall: list) -> tuple[float, float]:
    """Top and bottom of the digits nearest a mark (left and right of it): the local band of the line."""
    near = nearest(box, tall)
    return float(median([it.box[1] for it in near])), float(median([it.box[3] for it in near]))


def local_heights(items: list[Item], near: int = 4) -> list[float]:
    """Each item's neighbourhood's writing height: the median height of the `near` items nearest to it along the
    line (not itself). A table's row holds columns written in different sizes: a comma among big digits is small
    even where the row's median is lowered by print or smaller writing."""
    if len(items) == 1:
        return [float(height(items[0].box))]
    cx = np.array([(it.box[0] + it.box[2]) / 2 for it in items])
    hs = np.array([height(it.box) for it in items], np.float64)
    apart = np.abs(cx[None, :] - cx[:, None])
    np.fill_diagonal(apart, np.inf)  # not itself
    order = np.argsort(apart, axis=1, kind="stable")[:, : min(near, len(items) - 1)]
    return np.median(hs[order], axis=1).tolist()


def place_marks(items: list[Item], marks: list[Reading]) -> tuple[list[Item], list[Reading], list[Box]]:
    """Name the small glyphs of a line (and marks that sit by it) as separators.

    Returns (the line's items, the marks not by this line, the boxes of the small glyphs by it that are
    no separator: lowercase letters of print come out as such at the work resolution)."""
    med = float(median([height(it.box) for it in items]))
    local = [max(med, h) for h in local_heights(items)]
    small = [height(it.box) < SMALL * h for it, h in zip(items, local, strict=True)]
    tall = [it for it, s in zip(items, small, strict=True) if not s]
    # a long comma is as tall as SMALL, but hangs below the digits beside it
    small = [s or (len(tall) > 2 and hangs(it.box, *neighbours(it.box, [o for o in tall if o is not it])))
             for it, s in zip(items, small, strict=True)]
    tall = [it for it, s in zip(items, small, strict=True) if not s]
    if not tall:
        return [], marks, []
    out = list(tall)
    candidates = [it.reading for it, s in zip(items, small, strict=True) if s]
    left = []
    # marks within a digit's height of the line's ends, as tall as the digits there (a row of small print may end
    # in big handwriting); the dash of 85.- may reach half a digit further
    x0 = min(it.box[0] - max(med, height(it.box)) for it in tall)
    x1 = max(it.box[2] + 1.5 * max(med, height(it.box)) for it in tall)
    for m in marks:
        top, bottom = neighbours(m.box, tall)
        cy = (m.box[1] + m.box[3]) / 2
        above = 0.35 if top_bar(m.box, top, bottom) else 0.1  # a 5's bar stands above the top of its body
        along = REACH * med if digit_sized(m, med) else 0.0
        if x0 - along <= m.box[0] and m.box[2] <= x1 + along and top - above * med <= cy <= bottom + 0.45 * med:
            candidates.append(m)
        else:
            left.append(m)
    chained = run_on([r.box for r in candidates], left) >= 0
    candidates += [m for m, c in zip(left, chained, strict=True) if c]
    left = [m for m, c in zip(left, chained, strict=True) if not c]
    stray: list[Box] = []
    for r in candidates:
        top, bottom = neighbours(r.box, tall)
        if r.probs is None and r.as_digit is not None and height(r.box) >= AS_TALL * max(med, bottom - top):
            # a mark as tall as the line's digits, and the digits beside it: the page's writing is bigger elsewhere
            # (find.py's mark height). Not a comma in handwriting that ends a row of smaller print
            out.append(digit_item(as_candidate(r)))
            continue
        kind = separator(r.box, top, bottom)
        if kind == ":":
            out.append(Item("", r.box, 1.0, [], r))  # no separator, but no letter either: reads as nothing
        elif kind:
            out.append(Item(kind, r.box, 1.0, [], r))
        elif top_bar(r.box, top, bottom):
            out.append(Item("", r.box, 1.0, [], r))  # part of a digit: keeps its number together, reads as nothing
        elif small_digit(r, tall, med, top, bottom):
            out.append(digit_item(as_candidate(r)))
        elif height(r.box) >= 0.35 * med:  # letter-sized, not a speck
            stray.append(r.box)
    return out, left, stray


def as_candidate(r: Reading) -> Reading:
    """A small glyph taken for a digit: itself if it was read as a candidate, else a mark with its `as_digit`."""
    return r if r.probs is not None else Reading(box=r.box, probs=r.as_digit, glyph=r.glyph)


def small_digit(r: Reading, tall: list[Item], med: float, top: float, bottom: float) -> bool:
    """Whether a small glyph by a line (no separator) is a digit written small, or one whose faint part was lost (an
    MNIST 6 reduced to its loop), rather than a letter: LOW_DIGIT of the line's height at least, its bottom within
    a quarter of the digits' height of theirs, a word's gap from one of them at most, and read surely as a digit
    other than 1. Found on the tuning pages: 43891 read as 3891."""
    probs = as_candidate(r).probs
    if probs is None or height(r.box) < LOW_DIGIT * med or probs.max() < SURE_SMALL or probs.argmax() == 1:
        return False  # a short upright stroke is a tick, a box's side or a letter's stem far more often than a 1
    if abs(r.box[3] - bottom) > 0.25 * max(bottom - top, 1.0):
        return False
    return any(it.is_digit and max(it.box[0] - r.box[2], r.box[0] - it.box[2]) <= WORD_GAP * med for it in tall)


def digit_sized(mark: Reading, line_height: float | np.ndarray) -> bool | np.ndarray:
    """Whether a mark is as tall as its line's digits (AS_TALL of `line_height`, a number or an array of them) and
    was read surely (SURE_SMALL) as a digit other than 1 too: a digit written where the page's writing is bigger
    elsewhere (find.py's mark height). Print's capitals read as no digit surely, its l, i and t as 1s."""
    sure = mark.as_digit is not None and float(mark.as_digit.max()) >= SURE_SMALL and mark.as_digit.argmax() != 1
    return sure & (height(mark.box) >= AS_TALL * np.asarray(line_height))


def run_on(taken: list[Box], rest: list[Reading]) -> np.ndarray:
    """For each of `rest`: the index of the `taken` box it runs on from, as letters of a word do, or -1. Each runs on
    from one taken (or run on from it before) within LETTER_GAP of the taller one's height, overlapping it vertically
    by half."""
    source = np.full(len(rest), -1)
    if not taken or not rest:
        return source
    boxes = np.array([m.box for m in rest], np.float64)
    front, front_source = np.array(taken, np.float64), np.arange(len(taken))
    while len(front):
        a, b = boxes[:, None, :], front[None, :, :]
        gap = np.maximum(a[..., 0] - b[..., 2], b[..., 0] - a[..., 2])
        tall = np.maximum(a[..., 3] - a[..., 1], b[..., 3] - b[..., 1])
        shorter = np.maximum(np.minimum(a[..., 3] - a[..., 1], b[..., 3] - b[..., 1]), 1.0)
        overlap = (np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1])) / shorter
        near = (gap <= LETTER_GAP * tall) & (overlap >= 0.5)
        new = (source < 0) & near.any(axis=1)
        source[new] = front_source[near[new].argmax(axis=1)]
        front, front_source = boxes[new], source[new]
    return source


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


def is_slash(r: Reading, line_height: float, slant: float, tall: float = 0.6) -> bool:
    """A straight stroke leaning right at least `slant` degrees, at least `tall` of the line high: whole, or a
    piece cut from a glyph (a slash touching a digit)."""
    lean, elongation = r.shape
    return lean >= slant and elongation < 0.25 and height(r.box) >= tall * line_height


def split_words(items: list[Item], line_height: float) -> list[list[Item]]:
    """A line's items -> its numbers, apart where the gap is wide. Items that read as nothing (a 5's bar drawn apart)
    bridge the gap they stand in, and are left out."""
    items = sorted(items, key=lambda it: (it.box[0] + it.box[2]) / 2)
    words: list[list[Item]] = []
    right = None
    for it in items:
        # a dash between digits stands further from them than they from each other (555 - 3783); not the dash
        # that ends 85.-
        last = words[-1] if words else []
        dash = it.text == "-" or (len(last) >= 2 and last[-1].text == "-" and last[-2].text != ".")
        if right is None or it.box[0] - right > (DASH_GAP if dash else WORD_GAP) * line_height:
            words.append([it])
            right = it.box[2]
        else:
            words[-1].append(it)
            right = max(right, it.box[2])
    return [kept for kept in ([it for it in w if it.text] for w in words) if kept]


def is_date(*parts: str) -> bool:
    """Whether three runs of digits make a date: d/m/y or m/d/y (day, month at most 31 and 12), the year of
    2 or 4 digits."""
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return False
    first, second, year = parts
    if not (1 <= len(first) <= 2 and 1 <= len(second) <= 2 and len(year) in (2, 4)):
        return False
    a, b = int(first), int(second)
    return 1 <= a <= 31 and 1 <= b <= 31 and min(a, b) <= 12


def runner_up(it: Item) -> Item:
    """A digit read as its second choice (the first becomes its alternative)."""
    text, confidence = it.alternatives[0]
    return Item(text, it.box, confidence, [(it.text, it.confidence), *it.alternatives[1:]], it.reading)


def as_date(*parts: list[Item]) -> dict[int, Item] | None:
    """Whether three runs of items make a date as read ({}), or with one digit read as its runner-up (that digit,
    by id, read so): an open 0 read as 6 should not make 02/C2/2021 a run of digits. None if neither."""
    texts = ["".join(it.text for it in part) for part in parts]
    if is_date(*texts):
        return {}
    for p, part in enumerate(parts):
        for i, it in enumerate(part):
            if it.is_digit and it.alternatives and it.alternatives[0][1] >= DATE_ALTERNATIVE:
                other = runner_up(it)
                if is_date(*(t[:i] + other.text + t[i + 1 :] if q == p else t for q, t in enumerate(texts))):
                    return {id(it): other}
    return None


def slashes(word: list[Item], line_height: float, specks_dropped: bool = False) -> list[Item]:
    """Straight slanted strokes between digits as "/": any steep one, gentler ones where they make a date. Of two
    ways to a date (11/4/10 and 1/14/10), the one with no digit changed, then the one whose slashes stand taller (a
    slash reaches past the digits' tops or baseline; a 1 may lean as far), then lean further."""
    out = list(word)
    # the date is told without a sign the number was written with, nor the specks by it ($14/12/2000: its 1st part
    # would be $14)
    first, end = 0, len(out)
    while first < end and (is_sign(out[first]) or first and not out[first].is_digit):
        first += 1
    while end > first and (is_sign(out[end - 1]) or end < len(out) and not out[end - 1].is_digit):
        end -= 1
    inner = [i for i in range(first + 1, end - 1) if out[i].reading.probs is not None]
    steep = {i for i in inner if is_slash(out[i].reading, line_height, SLASH_SLANT, tall=SLASH_TALL)}
    gentle = [i for i in inner if is_slash(out[i].reading, line_height, DATE_SLANT)]

    def slash_like(i: int) -> float:
        return height(out[i].box) / line_height + 0.25 * out[i].reading.shape[0] / SLASH_SLANT
    dates = [(len(fixed), -slash_like(a) - slash_like(b), a, b, fixed) for a, b in combinations(gentle, 2)
             if (fixed := as_date(out[first:a], out[a + 1 : b], out[b + 1 : end])) is not None]
    if not dates and not specks_dropped:
        # a point beside a gentle stroke (the pen's speck by the 9 of 10/9./08) does not keep it from making a date
        specks = {i + d for i in gentle for d in (-1, 1) if out[i + d].text == "."}
        trial = slashes([it for i, it in enumerate(out) if i not in specks], line_height, True) if specks else []
        if [it.text for it in trial].count("/") == 2 and all(it.is_digit or it.text == "/" for it in trial):
            return trial
    if dates:
        _, _, a, b, fixed = min(dates, key=lambda d: d[:4])
        steep |= {a, b}
        out = [fixed.get(id(it), it) for it in out]
    for i in sorted(steep):
        if out[i - 1].is_digit and out[i + 1].is_digit:
            out[i] = Item("/", out[i].box, 1.0, [], out[i].reading)
    return out


def tidy(word: list[Item]) -> list[Item]:
    """Separators only inside a number; at its end a ".-" (85.-, 1,000.-), or a "-" or "." after one that has a
    separator."""
    out = list(word)
    while out and not out[0].is_digit:
        out.pop(0)
    while out and not out[-1].is_digit:
        inner_sep = any(not it.is_digit for it in out[:-1])
        dot_dash = len(out) >= 3 and out[-2].text + out[-1].text == ".-" and out[-3].is_digit
        if (out[-1].text in "-." and inner_sep) or dot_dash:
            break
        out.pop()
    # no two separators in a row except ".-"; a comma's head drawn apart from its tail is one comma
    kept: list[Item] = []
    for it in out:
        prev = kept[-1] if kept else None
        if prev is None or it.is_digit or prev.is_digit or prev.text + it.text == ".-":
            kept.append(it)
        elif {prev.text, it.text} == {".", ","}:
            kept[-1] = prev if prev.text == "," else it
    return kept


def with_lost_point(word: list[Item], next_start: int | None) -> list[Item]:
    """A number ending in an amount's ".-" whose point was lost (a pale pen's point, thinned away with a cheque's
    pattern) given it back, at GIVEN_BACK: its last digit, then room for a point (LOST_POINT_GAP of the digits'
    height), then a dash as a ".-" has it, flat and half a digit wide (DASH_WIDE), at mid-height (DASH_MIDDLE), with
    no number after it within LOST_POINT_CLEAR of that height (`next_start`, the next word's left edge): a phone
    number's dash written apart from its last digits is no ".-". Its other separators, if any, a thousands' commas:
    48,241- has lost its point, but 36.7- a point went astray."""
    first = next((i for i, it in enumerate(word) if it.is_digit), len(word))  # a speck before it is none of it
    if len(word) < 2 or word[-1].text != "-" or not word[-2].is_digit or any(
            it.text not in "," for it in word[first:-1] if not it.is_digit):
        return word
    size = float(median([height(it.box) for it in word if it.is_digit]))
    last, dash = word[-2].box, word[-1].box
    middle = ((dash[1] + dash[3]) / 2 - min(it.box[1] for it in word if it.is_digit)) / size
    if not (LOST_POINT_GAP[0] <= (dash[0] - last[2]) / size <= LOST_POINT_GAP[1]
            and DASH_WIDE[0] <= (dash[2] - dash[0]) / size <= DASH_WIDE[1] and height(dash) <= DASH_FLAT * size
            and DASH_MIDDLE[0] <= middle <= DASH_MIDDLE[1]
            and (next_start is None or next_start - dash[2] > LOST_POINT_CLEAR * size)):
        return word
    room = dash[0] - last[2]  # no ink of its own: a point's square at the digit's foot
    point = (last[2], max(last[1], last[3] - room), dash[0], last[3])
    return word[:-1] + [Item(".", point, GIVEN_BACK, [], word[-2].reading), word[-1]]


def mended(word: list[Item]) -> list[Item]:
    """A number with its separators mended to a form numbers take (forms.py): a speck read as a dot taken out, a
    comma read as the dot it is, a date's lost separator or an amount's decimal point given back."""
    shown = [i for i, it in enumerate(word) if it.text]  # not a speck that bridges the number and reads as nothing
    chars = [word[i].text for i in shown]
    change = mend(chars, [float(word[i].reading.glyph.area) for i in shown])
    if change is not None:
        k, text = change
        i = shown[k]
        return word[:i] + ([replace(word[i], text=text)] if text else []) + word[i + 1:]
    lost = missing_separator("".join(chars))
    if lost is None:
        return word
    k, sep = lost
    i = shown[k]
    before, after = word[shown[k - 1]], word[i]
    # no ink of its own: it stands in the gap between its digits, and the number is flagged as doubtful
    gap = (min(before.box[2], after.box[0]), max(before.box[1], after.box[1]),
           max(before.box[2], after.box[0]), min(before.box[3], after.box[3]))
    return word[:i] + [Item(sep, gap, GIVEN_BACK, [], before.reading)] + word[i:]


def written_boxes(digits: list[Item]) -> list[Box]:
    """The boxes of a number's glyphs as written: the digits cut from one run of touching digits count once, by the
    run's box (they share its top and bottom)."""
    return list({id(d.reading.glyph): d.reading.glyph.box if d.reading.split > 1 else d.box for d in digits}.values())


def looks_printed(digits: list[Item], letters: dict[int, bool]) -> bool:
    """Printed figures (`evenly_printed`): the word's, or, in a longer word holding a letter (`letters`), any
    PRINT_RUN of its glyphs in a row: a printed label run into its printed number (Tel. 555-0199, its T, e and l read
    as 7, 8 and 1), whose letters break the figures' evenness. Not in a word of digits alone, nor beside a label apart
    from it: seven glyphs of a handwritten phone number stood as even (010-240-3769 after a register's word)."""
    return evenly_printed(digits) or (len(digits) > PRINT_RUN and any(letters[id(d)] for d in digits) and any(
        evenly_printed(digits[i : i + PRINT_RUN]) for i in range(len(digits) - PRINT_RUN + 1)))


def evenly_printed(digits: list[Item]) -> bool:
    """Printed figures: (nearly) all of one height, standing on one baseline (straight, if tilted), to the
    pixel, and the same figure as wide wherever it stands. Handwriting wobbles. The digits cut from one run of
    touching digits count once, by the run's box: they share its top and bottom, and print's figures do not touch."""
    boxes = written_boxes(digits)
    if len(boxes) < PRINT_LEAST:  # a few handwritten glyphs can line up by chance
        return False
    heights = np.array([height(b) for b in boxes], np.float64)
    bottoms = np.array([b[3] for b in boxes], np.float64)
    xs = np.array([(b[0] + b[2]) / 2 for b in boxes], np.float64)
    # heights to a pixel (a figure's antialiased edge may fall either way); the baseline to the pixel itself:
    # handwriting of even height (a careful hand, at a low resolution) still wobbles on it
    even = PRINT_EVEN * float(np.median(heights))
    slope, offset = np.polyfit(xs, bottoms, 1)
    residual = bottoms - (slope * xs + offset)
    most = PRINT_SHARE * len(boxes)
    if not ((np.abs(heights - np.median(heights)) <= max(1.0, even)).sum() >= most
            and (np.abs(residual - np.median(residual)) <= max(0.5, even)).sum() >= most):
        return False
    # and a figure printed twice is as wide both times (a careful hand's 20/06/2024 stood as even as print)
    widths: dict[str, list[int]] = {}
    for d in digits:
        if d.reading.split == 1:
            widths.setdefault(d.text, []).append(d.box[2] - d.box[0])
    return all(max(ws) - min(ws) <= max(1.0, even) for ws in widths.values())


def not_a_digit(it: Item) -> float:
    """The classifier's "not a digit" probability for a candidate: what its ten digit probabilities leave
    (0 for a model without that output)."""
    return max(0.0, 1.0 - float(it.reading.probs.sum()))


def written_height(it: Item) -> int:
    """A candidate's height, or for a piece cut from a run of touching digits the run's: a 0 or 8 cut out of it
    may stand lower than its neighbours without being a lowercase letter."""
    return it.reading.glyph.height if it.reading.split > 1 else height(it.box)


def written_bottom(it: Item) -> int:
    """A candidate's foot, or for a piece cut from a run of touching digits the run's (as `written_height`)."""
    return it.reading.glyph.box[3] if it.reading.split > 1 else it.box[3]


def written_unevenly(digits: list[Item], letters: dict[int, bool]) -> bool:
    """Whether a number on a line of print is handwriting: two glyphs or more, each read surely (SURE_SMALL), none
    like a letter nor cut from a glyph that is no digit whole into STROKE_FIGURES alone (print's N read as 11, its u as
    17; a touching pair of handwritten digits is no digit whole either: 07.09.03 written touching), whose heights or
    bottoms differ by more than UNEVEN of their height (and UNEVEN_PX): print's figures stand even, but for a round
    figure's overshoot and faded print's ragged edge. The digits cut from one run count once."""
    cut_letters = {id(d.reading.glyph) for d in digits if d.reading.split > 1 and d.reading.whole_rest >= NOT_DIGIT}
    cut_letters -= {id(d.reading.glyph) for d in digits if d.text not in STROKE_FIGURES}
    if any(letters[id(d)] or d.confidence < SURE_SMALL or id(d.reading.glyph) in cut_letters for d in digits):
        return False
    boxes = written_boxes(digits)
    if len(boxes) < 2:
        return False
    heights = [height(b) for b in boxes]
    bottoms = [b[3] for b in boxes]
    spread = max(max(heights) - min(heights), max(bottoms) - min(bottoms))
    return spread > max(UNEVEN_PX, UNEVEN * float(median(heights)))


def letter_like(items: list[Item], tall: float, unsure: float = UNSURE) -> list[bool]:
    """Which digit candidates of a word look like letters: the classifier calls them no digit or is unsure of
    them, or they are lowercase: shorter than the word's tall glyphs and, like print's x-height, all of one
    height: three or more, or two beside tall glyphs of one height too (print's capitals) that stand on their baseline.
    (Handwritten digits vary in height too, but not in two neat sizes; two short ones of one height are a chance of a
    small crop's pixels, and a chance more likely where the crop was scaled up: 720765 with its 2 and 0 written small
    and high.) `unsure`: a candidate whose best digit has less is letter-like (0: none is, for being unsure alone)."""
    heights = [written_height(it) for it in items]
    bottoms = [written_bottom(it) for it in items]
    even = max(1.0, PRINT_EVEN * 3 * max(heights, default=0))

    def neat(sizes: list[int]) -> bool:
        return len(sizes) >= 2 and max(sizes) - min(sizes) <= even
    short = [h < SHORT * tall for h in heights]
    lows = [h for h, s in zip(heights, short, strict=True) if s]
    highs = [h for h, s in zip(heights, short, strict=True) if not s]
    low_feet = [b for b, s in zip(bottoms, short, strict=True) if s]
    high_feet = [b for b, s in zip(bottoms, short, strict=True) if not s]
    sure_lows = all(it.confidence >= SURE_LOW for it, s in zip(items, short, strict=True) if s)
    x_height = neat(lows) and max(lows) >= X_LEAST * tall and (
        len(lows) >= 3 or neat(highs) and neat(low_feet + [median(high_feet)]) and not sure_lows)
    if not x_height and heights:
        # a lowercase word with a few capitals or ascenders (Invoice): its tall glyphs are too few for `tall`, but
        # it is two neat sizes all the same, with at least three letters of x-height (two short and two tall digits
        # of one height each are a chance of handwriting: 8040)
        top = max(heights)
        low = [h < SHORT * top for h in heights]
        lows = [h for h, s in zip(heights, low, strict=True) if s]
        highs = [h for h, s in zip(heights, low, strict=True) if not s]
        if len(lows) >= 3 and neat(lows) and max(lows) >= X_LEAST * top and neat(highs):
            short, x_height = low, True
    return [not_a_digit(it) >= NOT_DIGIT or it.confidence < unsure or (s and x_height)
            for it, s in zip(items, short, strict=True)]


def to_page(box: Box, m: np.ndarray, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """A work box -> the page box holding it (through the inverse rotation and scaling), clipped to the page."""
    x0, y0, x1, y1 = box
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], np.float64) @ m.T
    w, h = size
    return (int(np.clip(np.floor(pts[:, 0].min()), 0, w)), int(np.clip(np.floor(pts[:, 1].min()), 0, h)),
            int(np.clip(np.ceil(pts[:, 0].max()), 0, w)), int(np.clip(np.ceil(pts[:, 1].max()), 0, h)))


def bimodal_cut(heights: list[int]) -> float | None:
    """The height between two clearly different sizes of writing on a line (print and handwriting), if any."""
    logs = np.sort(np.log(np.maximum(np.asarray(heights, np.float64), 1.0)))
    n = len(logs)
    if n < 2:
        return None
    k = np.arange(1, n)  # each split: the k smallest below it, the rest above
    below = np.cumsum(logs)[:-1]
    between = k * (n - k) * ((below[-1] + logs[-1] - below) / (n - k) - below / k) ** 2  # Otsu's between-class term
    if between.max() <= 0.0:
        return None
    best = int(k[np.argmax(between)])  # (the first of equals)
    low, high = logs[:best].mean(), logs[best:].mean()
    if high - low < np.log(BIMODAL):
        return None
    return float(np.exp((low + high) / 2))


def beside_print(words: list[list[Item]], evidence: list[Box], reach: float) -> list[bool]:
    """Which words stand within `reach` of print: of a letter (`evidence`), or of a word that does, in turn
    (the numbers of "Page 3 of 12"). Words further away on the line are handwriting written beside it."""
    spans = [(min(it.box[0] for it in w), max(it.box[2] for it in w)) for w in words]
    marked = [False] * len(words)
    boxes = list(evidence)
    changed = True
    while changed:
        changed = False
        for i, (x0, x1) in enumerate(spans):
            if not marked[i] and any(b[0] - x1 <= reach and x0 - b[2] <= reach for b in boxes):
                marked[i] = changed = True
                boxes.append((x0, 0, x1, 0))
    return marked


def without_streaks(word: list[Item]) -> list[Item]:
    """A number without the dotted streaks beside its digits (STREAK_WIDE, STREAK_THIN, STREAK_PIECE), read as a 1 or
    as no digit with its best under UNSURE (specks of MNIST's beside a 1, read as a 6 at 0.29, made its number
    letters). The pen is that of the number's sure digits other than 1s, or of its sure 1s where it has no other."""
    sure = [it for it in word if it.is_digit and it.confidence >= UNSURE and it.reading.glyph.stroke > 0]
    pens = [it.reading.glyph.stroke for it in sure if it.text != "1"] or [it.reading.glyph.stroke for it in sure]
    if not pens:
        return word
    pen = float(median(pens))

    def streak(it: Item) -> bool:
        g = it.reading.glyph
        return ((it.text == "1" or it.confidence < UNSURE) and it.reading.split == 1
                and 0 < g.tallest_piece <= STREAK_PIECE * g.height
                and 0 < g.stroke <= STREAK_THIN * pen and g.width <= STREAK_WIDE * g.height)
    return [it for it in word if not streak(it)]


def line_words(items: list[Item], stray: list[Box] | None = None) -> list[list[Item]]:
    """One line's items -> the numbers on it that look handwritten (possibly none).

    `stray`: the boxes of the small glyphs by the line that are no separator (letters, at work resolution).
    """
    stray = stray or []
    given = items  # all of them: a label's lowercase letters, taken out of `items` as print below, tell its capital
    apart = signs_apart(items, stray)  # no letters, though `is_sign` would pass print's capitals too
    items = [it for it in items if id(it) not in apart]
    cands = [it for it in items if it.reading.probs is not None and it.is_digit]
    if not cands:
        return []
    line_height = float(median([height(it.box) for it in cands]))
    letters: dict[int, bool] = {}
    # letter-like by their size or as "not a digit", not only read unsurely: what says a line is print. An unsure digit
    # is no letter's evidence (a cheque's amount with two digits the pattern blurred: 306.96 dropped as a line of type)
    shaped: dict[int, bool] = {}
    for word in split_words(items, line_height):  # x-height is told within a word: numbers differ in size
        ds = [it for it in word if it.reading.probs is not None and it.is_digit]
        if ds:
            # told without the slashes of a date: taller than its digits, which would pass for x-height beside them
            upright = [it for it in ds if not is_slash(it.reading, line_height, DATE_SLANT)]
            # and its tall glyphs told without its signs: a dollar sign stands taller than the digits, which then
            # passed for print's x-height beside it ($ 9326 with its 2 stretched by a grid line read as nothing)
            tall_ones = [it for it in upright if not is_sign(it)]
            tall = (float(np.percentile([written_height(it) for it in tall_ones], TALL_PCT)) if len(tall_ones) > 1
                    else 0.0)
            shape = dict(zip(map(id, upright), letter_like(upright, tall, unsure=0.0), strict=True))
            for it in ds:  # letters: these, and the upright ones read unsurely, as `letter_like` has it by default
                shaped[id(it)] = shape.get(id(it), False)
                letters[id(it)] = shaped[id(it)] or (id(it) in shape and it.confidence < UNSURE)
    cut = bimodal_cut([height(it.box) for it in cands])
    # Print's lowercase letters at a low resolution may each read surely as two digits when cut in two (n as 17):
    # a glyph of x-height (against the line's tall glyphs) that is no digit whole and was cut in two is a letter.
    # Not a glyph of the line's full height: a touching pair of handwritten digits is no digit whole either.
    # The line's tall glyphs are not its signs: a dollar sign stands taller than the digits, and made a touching
    # pair beside it look like a letter cut in two ($ 48 was dropped as print).
    # Nor are glyphs over twice the line's height (X_LEAST): strokes of two lines run together.
    tops = [height(it.box) for it in cands if not is_sign(it) and height(it.box) * X_LEAST <= line_height]
    top = float(np.percentile(tops or [height(it.box) for it in cands], 90))
    halves = {id(it.reading.glyph) for it in cands if it.reading.split == 2 and it.reading.whole_rest >= NOT_DIGIT
              and it.reading.glyph.height < SHORT * top}
    halves -= {id(it.reading.glyph) for it in cands if letters[id(it)]}  # counted already
    evidence = sum(shaped.values()) + len(stray) + len(halves)  # one speck or loose loop is no line of print
    text = evidence >= 2 and evidence >= TEXT_LINE * (len(cands) + len(stray))
    if not text and cut is not None:
        # a row of a table or form: print (a label, its printed number) beside bigger handwriting. The small
        # writing is print when letters are among it (strays are small by definition).
        small = [it for it in cands if height(it.box) < cut]
        evidence = sum(shaped[id(it)] for it in small) + len(stray)
        text = evidence >= 2 and evidence >= TEXT_LINE * (len(small) + len(stray))
    if text and cut is not None:
        # the print is no taller than its letters' capitals: smaller handwriting in another column stays (a phone
        # number beside its label, a bigger amount further on)
        found = [height(it.box) for it in cands if letters[id(it)] and height(it.box) < cut]
        found += [height(b) for b in stray]
        if found:
            cut = min(cut, CAPITALS * max(found))
        # printed text with handwriting beside it: only writing clearly bigger than the print is kept,
        # and only if it does not read like letters itself (a bold title above small print)
        big = [it for it in cands if height(it.box) >= cut]
        if sum(letters[id(it)] for it in big) >= TEXT_LINE * len(big):
            return handwritten(numbers(items, line_height), letters, stray)  # print's capitals among the big: print
        # and smaller numbers with no letter among them, apart from the print: a field filled in small
        small = [it for it in items if id(it) in letters and height(it.box) < cut]
        small_height = float(median([height(it.box) for it in small])) if small else line_height
        plain = [w for w in split_words(small, small_height) if not any(letters[id(it)] for it in w)]
        near = beside_print(plain, [it.box for it in small if letters[id(it)]] + stray, PRINT_REACH * small_height)
        apart = {id(it) for w, by in zip(plain, near, strict=True) if not by for it in w}
        items = [it for it in items if id(it) not in letters or height(it.box) >= cut or id(it) in apart]
        line_height = float(median([height(it.box) for it in items if id(it) in letters] or [line_height]))
    words = numbers(items, line_height)
    printed = [False] * len(words)
    if text and cut is None:
        if sum(shaped[id(it)] for it in cands) >= TEXT_LINE * len(cands):
            return handwritten(words, letters, stray)  # a line of print
        # Only small letters by the line, none read as a digit: a label whose capitals and figures went to another
        # line (they stand lower or higher than the handwriting). The words by the letters are print; the rest is not.
        printed = beside_print(words, stray, PRINT_REACH * line_height)
        if stray:  # but not writing taller than print's capitals beside those letters can be: a field filled in
            capitals = CAPITALS * max(height(b) for b in stray)
            printed = [by and median([height(it.box) for it in w if id(it) in letters] or [0]) <= capitals
                       for w, by in zip(words, printed, strict=True)]
    kept = []
    for word, by_print in zip(words, printed, strict=True):
        ds = [it for it in word if id(it) in letters]
        odd = [it for it in ds if letters[id(it)]] + ones_among_letters(ds, letters)
        pair = not text and len(ds) == 2 and len(odd) == 1 and odd_pair(ds[0] if ds[1] is odd[0] else ds[1], odd[0])
        if pair:
            odd = []
        if (by_print or not ds or len(odd) >= LETTERS * len(ds) or looks_printed(ds, letters)
                or letters_as_figures(ds, letters) or not pair and short_word_of_print(ds) or led_by_capital(ds)
                or abbreviation(word, items, words)):
            continue
        kept.append(word)
    # a printed word's capital read as a digit (the Q of "Quantity" as 0, a B cut in two as 13), or its last letter (the
    # g of Reg. as 9), or its upright strokes (the l and i of Folio as 11), its other letters read as marks or dropped
    # as letters: not a number
    taken = {id(it) for w in kept for it in w}
    beside = stray + [it.box for it in given if id(it) not in taken]
    kept = [w for w in kept if not ((box := one_glyph(w) or ones_box(w))
                                     and (capital_of(box, beside) or last_letter_of(box, beside)))]
    return [w for w in kept if not piece_of_a_letter(w, kept)]


def abbreviation(word: list[Item], items: list[Item], words: list[list[Item]]) -> bool:
    """Whether a word is a printed abbreviation before a number (Rs., Qty., Reg.): WORD_GLYPHS glyphs or fewer, a point
    right after it (within half its height) at its foot (within a quarter), and the next number on the line standing
    taller, the word's tallest glyph at most ABBREVIATION of that number's median height: a register's printed words
    stand smaller than its entries. A hand's numbered entry (5. 1648) stands as tall as its number; a point within a
    number (116.96) is in its word."""
    digits = [it for it in word if it.is_digit]
    boxes = written_boxes(digits)
    if not boxes or len(boxes) > WORD_GLYPHS:
        return False
    x1, foot = max(b[2] for b in boxes), max(b[3] for b in boxes)
    tallest = max(height(b) for b in boxes)
    own = {id(it) for it in word}
    if not any(it.text == "." and not it.is_digit and id(it) not in own and abs(it.box[3] - foot) <= 0.25 * tallest
               and -0.1 * tallest <= it.box[0] - x1 <= 0.5 * tallest for it in items):
        return False
    after = [(min(it.box[0] for it in w), i) for i, w in enumerate(words) if w is not word]
    after = [t for t in after if t[0] > x1]
    if not after:
        return False
    beside = words[min(after)[1]]
    size = float(median([height(b) for b in written_boxes([it for it in beside if it.is_digit])] or [0]))
    return ABBREVIATION * size >= tallest


def piece_of_a_letter(word: list[Item], words: list[list[Item]]) -> bool:
    """Whether a word is what is left of a glyph that is no digit whole (NOT_DIGIT), cut in pieces, once the others
    went as print: the stem of Paid's d read as a 1, its bowl of x-height gone as a letter and its i as a stroke
    beside that. Not where another of its pieces stands among the line's numbers (`words`): a pair of handwritten
    digits written touching keeps its pieces."""
    glyph = word[0].reading.glyph
    if not all(it.reading.glyph is glyph for it in word) or word[0].reading.split < 2:
        return False
    if len(word) >= word[0].reading.split or word[0].reading.whole_rest < NOT_DIGIT:
        return False
    return not any(it.reading.glyph is glyph for w in words if w is not word for it in w)


def ones_box(word: list[Item]) -> Box | None:
    """The box of a word of 1s alone, each read whole, where it is one: print's upright strokes, a letter of x-height
    beside them dropped as print (the l and i of Folio read 11, its F and o's dropped)."""
    if not all(it.text == "1" and it.reading.split == 1 for it in word):
        return None
    return union_bbox([it.box for it in word])


def led_by_capital(digits: list[Item]) -> bool:
    """Whether a word starts with a printed word's capital: a glyph read whole that the classifier calls no digit
    surely (SIGN), with a letter of x-height right after it on its baseline (`capital_of`). Its other letters may read
    surely as figures: Paid read 2101 (its P then dropped as a sign), Bal. read 821 (its B, an 8 to the string reader,
    kept). A sign written before a number is no such capital: it stands further from the digits, or they stand
    nearly its height (crops with a dollar sign or "#" before each number, `pages.py crops --sign`: none read
    otherwise)."""
    first = digits[0]
    return (len(digits) > 1 and first.reading.split == 1 and first.reading.probs is not None
            and not_a_digit(first) >= SIGN and capital_of(first.box, [digits[1].box]))


def signs_apart(items: list[Item], stray: list[Box]) -> set[int]:
    """The signs written apart before (or after) a number (a cheque's "$ 12.95"), by id: a glyph that `is_sign`, no
    wider than SIGN_WIDE of its height, whose nearest glyph on one side is a digit read as one (UNSURE) at least
    SIGN_APART of the line's height away, with nothing on its other side for SIGN_ALONE of it. Told apart from the
    line's digits, they are no letters' evidence: a tall sign made the line print, and its number was dropped. A
    printed capital stands closer to its word's next letter, which may read as a digit (the o of No.), and a word of
    print run into one glyph is wider (Page)."""
    cands = [it for it in items if it.reading.probs is not None and it.is_digit]
    if len(cands) < 2:
        return set()
    line_height = float(median([height(it.box) for it in cands if not is_sign(it)] or [height(cands[0].box)]))
    # the glyphs by the line: its digit candidates and the small glyphs that are none (letters), not specks
    glyphs = [(it.box, it) for it in cands] + [(b, None) for b in stray if height(b) >= 0.5 * line_height]
    apart = set()
    for sign in cands:
        if not is_sign(sign) or sign.box[2] - sign.box[0] > SIGN_WIDE * height(sign.box):
            continue
        right = [(b[0] - sign.box[2], it) for b, it in glyphs if it is not sign and b[0] >= sign.box[2] - 1]
        left = [(sign.box[0] - b[2], it) for b, it in glyphs if it is not sign and b[2] <= sign.box[0] + 1]
        for near, far in ((right, left), (left, right)):
            if not near:
                continue
            gap, beside = min(near, key=lambda g: g[0])
            alone = min((g for g, _ in far), default=np.inf) > SIGN_ALONE * line_height
            if (alone and gap >= SIGN_APART * line_height and beside is not None and beside.confidence >= UNSURE
                    and not_a_digit(beside) < NOT_DIGIT):
                apart.add(id(sign))
    return apart


def letters_as_figures(digits: list[Item], letters: dict[int, bool]) -> bool:
    """Whether a word is print whose letters read as 0s and 1s: o as 0; l, i, t, a serif N's strokes as 1s (Fol.
    read 01, Folio 0110, Lot 101, a serif No. 1110): its 0s all shorter (SHORT) than its 1s, or than the capital that
    leads it and that the classifier calls no digit, as print's x-height is beside its capitals and ascenders. Beside
    that capital its other letters may read as no digit too; with no such capital, none may. Handwritten 0s stand as
    tall as 1s, and a sign before a number ($10) does not make its 0 short beside the 1."""
    lead = digits[0]
    capital = letters[id(lead)] and not_a_digit(lead) >= NOT_DIGIT
    figures = [it for it in (digits[1:] if capital else digits) if not letters[id(it)]]
    if (len(figures) < len(digits) and not capital) or any(it.text not in "01" for it in figures):
        return False
    zeros = [written_height(it) for it in figures if it.text == "0"]
    ones = [written_height(it) for it in figures if it.text == "1"]
    tall = max(ones) if ones else (written_height(lead) if capital else 0)
    return bool(zeros) and max(zeros) < SHORT * tall


def ones_among_letters(digits: list[Item], letters: dict[int, bool]) -> list[Item]:
    """The 1s of a word that stand between two letter-like glyphs: print's i and l, read surely as 1s (a table's label
    run into its printed figure, Article 565, read 1618565 with the A and rt dropped as signs)."""
    return [it for before, it, after in zip(digits, digits[1:], digits[2:], strict=False)
            if it.text == "1" and not letters[id(it)] and letters[id(before)] and letters[id(after)]]


def one_glyph(word: list[Item]) -> Box | None:
    """The box of the glyph a word is, where it is one: a lone digit, or digits cut from one glyph (print's B read as
    13, or as 1 where its other half was dropped)."""
    glyph = word[0].reading.glyph
    if len(word) > 1 and not all(it.is_digit and it.reading.glyph is glyph for it in word):
        return None
    return glyph.box if word[0].reading.split > 1 else word[0].box


def lowercase_beside(b: Box, h: int) -> bool:
    """Whether a glyph's box is a lowercase letter of x-height beside a glyph `h` tall: LOWER_TALL and LOWER_WIDE of
    it."""
    return LOWER_TALL[0] * h <= height(b) < LOWER_TALL[1] * h and b[2] - b[0] >= LOWER_WIDE * h


def capital_of(box: Box, beside: list[Box]) -> bool:
    """Whether a glyph is a printed word's capital: a letter of its x-height (`lowercase_beside`) stands right
    after it (CAPITAL_GAP; or under its arm, CAPITAL_OVER), on its baseline (CAPITAL_BASE: a Q's tail hangs below
    it)."""
    h = height(box)
    return any(-1 - CAPITAL_OVER * h <= b[0] - box[2] <= CAPITAL_GAP * h and abs(b[3] - box[3]) <= CAPITAL_BASE * h
               and lowercase_beside(b, h) for b in beside)


def last_letter_of(box: Box, beside: list[Box]) -> bool:
    """Whether a lone glyph is a printed word's last letter: a letter of x-height (`lowercase_beside`) stands right
    before it (CAPITAL_GAP), its foot or its top level with the glyph's (CAPITAL_BASE): an ascender read as a 1 (the l
    of Bal., the d of Carried), a g read as a 9, its bowl level with the e before it (Reg. read 9). `capital_of` in the
    mirror: a lone glyph with such a letter right after it."""
    h = height(box)
    return any(-1 <= box[0] - b[2] <= CAPITAL_GAP * h
               and (abs(b[3] - box[3]) <= CAPITAL_BASE * h or abs(b[1] - box[1]) <= CAPITAL_BASE * h)
               and lowercase_beside(b, h) for b in beside)


def numbers(items: list[Item], line_height: float) -> list[list[Item]]:
    """A line's items -> its numbers, their separators told and mended."""
    split = split_words(items, line_height)
    starts = [w[0].box[0] for w in split[1:]] + [None]
    words = (mended(tidy(slashes(tidy(with_lost_point(without_streaks(w), start)), line_height)))
             for w, start in zip(split, starts, strict=True))
    return [w for w in words if w]


def without_signs(word: list[Item]) -> list[Item]:
    """A number without the signs at its ends: a currency sign before an amount, a "#" that guards it (a cheque's
    amount). Each is one glyph read whole that the classifier calls no digit surely (SIGN) and the string reader
    reads as nothing at all; kept among the number's digits, it was read as its likeliest digit (#2878 as 42878). (A
    digit the classifier calls no digit as surely, an odd 3 or a 2 a neighbour's stroke runs into, the string reader
    reads as a digit; one it merely doubts, the string reader reads as nothing often enough: 26,19 as 6,19.)"""
    out = list(word)
    while out and is_sign(out[0]):
        out.pop(0)
    while out and is_sign(out[-1]):
        out.pop()
    if len(out) == len(word) or not any(it.is_digit for it in out):
        return word
    return tidy(out)


def without_bold_ones(words: list[list[Item]]) -> list[list[Item]]:
    """A line's numbers without the 1 at a number's start or end drawn with a pen BOLD_PEN times as broad as the
    line's other digits and BOLD_TALL times as tall: a sign whose strokes ran together into one upright blot (a bold
    dollar sign before an amount, read as a 1 the string reader does not doubt)."""
    digits = [it for w in words for it in w if it.is_digit and it.reading.glyph.stroke > 0]
    ends = {id(w[k]) for w in words if w for k in (0, -1)}

    def bold(it: Item) -> bool:
        if it.text != "1" or id(it) not in ends or it.reading.split != 1 or it.reading.glyph.stroke <= 0:
            return False
        others = [o for o in digits if o is not it]
        return len(others) >= 1 and (
            it.reading.glyph.stroke >= BOLD_PEN * median([o.reading.glyph.stroke for o in others])
            and height(it.box) >= BOLD_TALL * median([height(o.box) for o in others]))
    kept = [[it for it in w if not bold(it)] for w in words]
    return [tidy(w) for w in kept if any(it.is_digit for it in w)]


def is_sign(it: Item) -> bool:
    """Whether a candidate may be a sign written by a number (a currency sign, a "#"): one glyph read whole that the
    classifier calls no digit surely (SIGN) and the string reader reads as nothing at all."""
    return it.is_digit and it.reading.split == 1 and it.reading.string_text == "" and not_a_digit(it) >= SIGN


def short_word_of_print(digits: list[Item]) -> bool:
    """Whether a word of WORD_GLYPHS glyphs or fewer holds one after its first that the classifier calls no digit
    (NOT_DIGIT) and the string reader does not read as the digit the classifier ranks first, or both read as a 1 (a 7
    both take for a 7 in 974; Lot's t, a 5 to the one and a 1 to the other, or a 1 to both: print's upright strokes
    read as 1s): a short printed word whose other letters read as figures (Lot 105 with its t no digit, Nr. 115 with
    its N cut in two, a bold Bal. 1321). Not its first: a sign before a
    number goes its own way (`without_signs`). A longer number keeps its odd glyph, more likely a digit ill written,
    and so does a pair of one height with one sure digit (`odd_pair`)."""
    if len(written_boxes(digits)) > WORD_GLYPHS:
        return False
    return any(it.reading.split == 1 and it.reading.probs is not None and not_a_digit(it) >= NOT_DIGIT
               and (it.reading.string_text != it.text or it.text == "1") for it in digits[1:])


def handwritten(words: list[list[Item]], letters: dict[int, bool], stray: list[Box]) -> list[list[Item]]:
    """The numbers of a line of print: printed too, however far from its words, but for those written by hand
    beside them at their size (a form's field, a register's entry): uneven, where print's figures are even,
    taller than the print's capitals (`stands_above_print`), or written with another pen (`other_pen`) or ink
    (`other_ink`) than the print beside them."""
    kept = []
    for word in words:
        digits = [it for it in word if id(it) in letters]
        printed = [it for w in words if w is not word for it in w if letters.get(id(it))]
        others = [height(it.box) for it in printed] + [height(b) for b in stray]
        near = print_near(digits, printed)
        clear = clear_of(word, [it.box for w in words if w is not word for it in w] + stray)
        if (written_unevenly(digits, letters) or stands_above_print(digits, letters, others, clear)
                or other_pen(digits, near, clear) or other_ink(digits, near)):
            kept.append(word)
    return kept


def print_near(digits: list[Item], printed: list[Item]) -> list[Item]:
    """The print's letters (`printed`) within REACH of a number's height: further away they are another part of the
    line (a page's bold title, level with a form's printed number on the right)."""
    if not digits:
        return []
    size = float(median([height(b) for b in written_boxes(digits)]))
    x0, x1 = min(d.box[0] for d in digits), max(d.box[2] for d in digits)
    return [it for it in printed if max(it.box[0] - x1, x0 - it.box[2]) <= REACH * size]


def half_sure(digits: list[Item]) -> bool:
    """Whether half a number's glyphs or more are read surely (SURE_SMALL): what `other_pen` and `other_ink` ask of
    it. A hand's digit the classifier doubts (Ref. 409.95, its 4 read at 0.71) makes no letter of a number that its
    pen or ink tells from the print."""
    return bool(digits) and sum(d.confidence >= SURE_SMALL for d in digits) >= 0.5 * len(digits)


def other_pen(digits: list[Item], near: list[Item], clear: bool = False) -> bool:
    """Whether a number on a line of print is written with another pen than the print's letters `near` it (two at
    least): its stroke PEN_APART times broader or finer than theirs (each char's stroke, their medians), half its
    glyphs read surely (`half_sure`), not 1s alone (print's slash or bar is finer than its letters) but where they
    stand `clear` of the line's words (`clear_of`)."""
    if not half_sure(digits) or all(d.text == "1" for d in digits) and not clear:
        return False
    own = [d.reading.glyph.stroke for d in digits if d.reading.glyph.stroke > 0]
    pens = [it.reading.glyph.stroke for it in near if it.reading.glyph.stroke > 0]
    if not own or len(pens) < 2:
        return False
    ratio = float(median(own)) / float(median(pens))
    return max(ratio, 1.0 / ratio) >= PEN_APART


def other_ink(digits: list[Item], near: list[Item]) -> bool:
    """Whether a number on a line of print is written in another ink than the print's letters `near` it (two at
    least): their colours INK_APART degrees apart (`ink_angle`), half its glyphs read surely (`half_sure`). A blue
    pen's 1 is no printed bar. Not on a grey page."""
    if len(near) < 2 or not half_sure(digits):
        return False
    own = [g.colour for g in {id(d.reading.glyph): d.reading.glyph for d in digits}.values()]
    print_ink = [g.colour for g in {id(it.reading.glyph): it.reading.glyph for it in near}.values()]
    if any(c is None for c in own + print_ink):
        return False
    return ink_angle(np.sum(own, axis=0), np.sum(print_ink, axis=0)) >= INK_APART


def ink_angle(a: np.ndarray, b: np.ndarray) -> float:
    """The angle in degrees between two inks' colours (`Glyph.colour`, summed per channel): 0 for one hue, however
    dark or faint (a stroke's soft edge is its ink mixed with paper, in the same proportions)."""
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if na == 0.0 or nb == 0.0:
        return 0.0
    return float(np.degrees(np.arccos(np.clip(float(a @ b) / (na * nb), -1.0, 1.0))))


def clear_of(word: list[Item], beside: list[Box]) -> bool:
    """Whether a word stands ONE_APART of its height clear of every glyph `beside` it on its line, left and right."""
    x0, x1 = min(it.box[0] for it in word), max(it.box[2] for it in word)
    size = max(height(it.box) for it in word)
    return all(max(b[0] - x1, x0 - b[2]) >= ONE_APART * size for b in beside)


def stands_above_print(digits: list[Item], letters: dict[int, bool], print_heights: list[int],
                       clear: bool = False) -> bool:
    """Whether a number on a line of print stands TALLER than the print's capitals: its glyphs read surely
    (SURE_SMALL), none like a letter, and the print's letters (`print_heights`) in two sizes, so that the tallest are
    capitals or ascenders and not a word of x-height alone (no. 12, whose figures stand taller than its letters). Two
    sizes: the smaller at most SHORT of the tallest and a pixel, which antialiasing adds to a small x-height (Amount at
    a crop's size, 18 pixels to its A's 23: 0.78, where DejaVu Sans draws 0.75). A lone 1 only where it stands `clear`
    of the line's other glyphs (`clear_of`): print's slash, bar or bracket stands taller than its capitals too, but
    among its words (a quantity of 1 in a register's column, beside Qty., was read as nothing)."""
    if not digits or not print_heights or any(letters[id(d)] or d.confidence < SURE_SMALL for d in digits):
        return False
    if [d.text for d in digits] == ["1"] and not clear:
        return False
    tallest = max(print_heights)
    if min(h for h in print_heights if h >= X_LEAST * tallest) > SHORT * tallest + 1:
        return False
    return float(median([height(b) for b in written_boxes(digits)])) >= TALLER * tallest


def odd_pair(sure: Item, odd: Item) -> bool:
    """Whether two digit candidates, one read surely (SURE_LOW) as a digit other than 1 and the other not (no digit,
    or unsurely), but of one height (PAIR_EVEN), are a handwritten pair with one odd digit (79 whose 9 the
    classifier doubts), not a word of print on a line with no other print: print's two-letter words hold a lowercase
    letter shorter than the other (No, Nr), or an I or l read as a sure 1 (ID)."""
    return (sure.confidence >= SURE_LOW and sure.text != "1"
            and min(height(sure.box), height(odd.box)) >= PAIR_EVEN * max(height(sure.box), height(odd.box)))


def at_edge(box: Box, to_page_m: np.ndarray, size: tuple[int, int], within: float = 0.0) -> bool:
    """Whether a work box stands at the image's left or right edge, or no further from it than `within` of its own
    height (on the page)."""
    x0, y0, x1, y1 = to_page(box, to_page_m, size)
    reach = within * (y1 - y0)
    return x0 <= 1 + reach or x1 >= size[0] - 1 - reach


def cut_at_edge(words: list[list[Item]], to_page_m: np.ndarray, size: tuple[int, int],
                pen: float | None = None) -> list[list[Item]]:
    """A line's numbers without what a crop's cut took in at the image's left or right edge: a lone glyph shorter than
    EDGE_CUT of the line's other digits, the stroke of a neighbour (a register's entry cut out with a sliver of the
    entry beside it read 1 24/7/22); and a 1 whose stroke is under EDGE_THIN of the page's `pen` (`pen_width`), at the
    edge or within EDGE_NEAR of it, a piece of a rule or a box's side (a crop of a table's cell read 1465.-); and a 1
    at the edge, upright and straight as a ruler draws it (SIDE_*), as tall as the line's tallest other digit or
    reaching ACROSS_PAST of their height past their band (27.54 read 27.54 1)."""
    if pen is not None and words:
        ends = {id(words[0][0]), id(words[-1][-1])}
        inner = [it for w in words for it in w if it.is_digit and id(it) not in ends]
        tallest = max((height(it.box) for it in inner), default=0)

        def side(it: Item) -> bool:
            if not (at_edge(it.box, to_page_m, size) and ruler_drawn(it) and tallest > 0):
                return False
            # as tall as the tallest, or reaching past the digits' band: a short piece of a box's side stands higher
            past = max(past_band(it.box, inner))
            return height(it.box) >= tallest or past >= ACROSS_PAST * float(median([height(o.box) for o in inner]))

        def rule(it: Item) -> bool:
            return 0 < it.reading.glyph.stroke <= EDGE_THIN * pen and at_edge(it.box, to_page_m, size, EDGE_NEAR)
        words = [[it for it in w if not (id(it) in ends and it.text == "1" and (rule(it) or side(it)))] for w in words]
        words = [w for w in words if w]
    if len(words) < 2:
        return words
    kept = []
    for word in words:
        others = [height(it.box) for w in words if w is not word for it in w if it.is_digit]
        if (len(word) == 1 and others and height(word[0].box) < EDGE_CUT * median(others)
                and at_edge(word[0].box, to_page_m, size)):
            continue
        kept.append(word)
    return kept


def without_cut_off(items: list[Item], to_page_m: np.ndarray, size: tuple[int, int]) -> list[Item]:
    """A line's items without the digit candidates at the image's left or right edge shorter than EDGE_CUT of the
    line's other digits and no wider than EDGE_SLIVER of them: what a crop's cut took in of a neighbour (a printed
    word's last letter before a date: its stroke read as a 1 made 13/12/1995 no date, 11311211995). Taken out
    before the numbers are told, as it may stand a digit's gap from them. (A short digit of the number cut tight, a 1
    with its flag or a low 4, is wider.) And without a 1 that is a rule cut by the image's top or bottom edge
    (`ruled_across`)."""
    cands = [it for it in items if it.reading.probs is not None and it.is_digit]
    if len(cands) < 3:
        return items

    def cut_off(it: Item) -> bool:
        if not at_edge(it.box, to_page_m, size):
            return False
        line = median([height(o.box) for o in cands if o is not it])
        return height(it.box) < EDGE_CUT * line and it.box[2] - it.box[0] <= EDGE_SLIVER * line
    ends = [min(cands, key=lambda it: it.box[0]), max(cands, key=lambda it: it.box[2])]  # only these reach an edge
    cut = {id(it) for it in ends if cut_off(it)}
    digits = [it for it in cands if not is_sign(it)]  # a sign stands taller than the digits: no measure of them
    cut |= {id(it) for it in digits if ruled_across(it, [o for o in digits if o is not it], to_page_m, size)}
    return [it for it in items if id(it) not in cut]


def ruled_across(it: Item, others: list[Item], to_page_m: np.ndarray, size: tuple[int, int]) -> bool:
    """Whether a 1 is a piece of a rule or a box's side that the image's top or bottom edge cuts (ACROSS_PAST): upright
    and straight as a ruler draws it (SIDE_LEAN, SIDE_STRAIGHT), at the edge where none of `others`, its line's other
    digits, is, and reaching past their band towards it."""
    if it.text != "1" or not ruler_drawn(it) or not others:
        return False
    edges = cut_by_edge([[it]], to_page_m, size)
    if not edges:
        return False
    tall = float(median([height(o.box) for o in others]))
    theirs = set().union(*(cut_by_edge([[o]], to_page_m, size) for o in others))
    past = dict(zip(("top", "bottom"), past_band(it.box, others), strict=True))
    return any(edge not in theirs and past[edge] >= ACROSS_PAST * tall for edge in edges)


def ruler_drawn(it: Item, most_lean: float = SIDE_LEAN) -> bool:
    """Whether what was read stands upright (within `most_lean` degrees) and straight (SIDE_STRAIGHT) as a ruler
    draws it."""
    lean, elongation = it.reading.shape
    return abs(lean) <= most_lean and elongation <= SIDE_STRAIGHT


def past_band(box: Box, others: list[Item]) -> tuple[int, int]:
    """How far a box reaches above the highest top of `others` and below their lowest foot, in pixels (0 or less
    where it stays within their band)."""
    return min(o.box[1] for o in others) - box[1], box[3] - max(o.box[3] for o in others)


def cut_by_edge(words: list[list[Item]], to_page_m: np.ndarray, size: tuple[int, int]) -> set[str]:
    """The edges of the image ("top", "bottom") that cut every tall digit of a line: those SHORT of its tallest or
    taller, as written (`written_boxes`). A printed word's x-height stands clear of the edge that cuts its capitals."""
    written = written_boxes([it for w in words for it in w if it.is_digit])
    tallest = max((height(b) for b in written), default=0)
    boxes = np.array([b for b in written if height(b) >= SHORT * tallest], np.float64).reshape(-1, 4)
    if not len(boxes):
        return set()
    # each box's top and bottom on the page: `to_page`'s, for all of the line's boxes at once
    (a, b, c) = to_page_m[1]
    xs, ys = a * boxes[:, [0, 2]], b * boxes[:, [1, 3]]
    tops, bottoms = c + xs.min(axis=1) + ys.min(axis=1), c + xs.max(axis=1) + ys.max(axis=1)
    cut = set()
    if np.all(np.floor(tops) <= 1):
        cut.add("top")
    if np.all(np.ceil(bottoms) >= size[1] - 1):
        cut.add("bottom")
    return cut


def without_rule_pieces(by_line: list[list[list[Item]]], pen: float | None) -> list[list[list[Item]]]:
    """The lines' numbers without a line that is a lone 1 drawn as a ruler draws a rule (upright within RULE_LEAN, a
    box drawn askew, and straight: SIDE_STRAIGHT) with a stroke under RULE_THIN of the page's `pen`, beside other
    lines of numbers: what line removal left of a register's column rule or a box's side where the writing or the
    crop's edge cut it into pieces (1 42.- in a register's column). A 1 written with the page's pen is as broad as
    it."""
    if pen is None or sum(bool(words) for words in by_line) < 2:
        return by_line

    def rule_piece(words: list[list[Item]]) -> bool:
        if len(words) != 1 or len(words[0]) != 1 or words[0][0].text != "1":
            return False
        return ruler_drawn(words[0][0], RULE_LEAN) and 0 < words[0][0].reading.glyph.stroke <= RULE_THIN * pen
    return [[] if rule_piece(words) else words for words in by_line]


def pen_width(items: list[Item]) -> float | None:
    """The median stroke of the numbers' glyphs (`items`) read surely as digits other than 1 (a 1 may be a rule's
    piece), if any: the hand's pen. Not print's: a bold label's letters read as digits made a hand's 1 beside it
    thinner than the page's pen (Fol. 1 read nothing)."""
    strokes = [it.reading.glyph.stroke for it in items if it.reading.probs is not None and it.reading.glyph.stroke > 0
               and it.reading.probs.max() >= UNSURE and int(it.reading.probs.argmax()) != 1]
    return float(median(strokes)) if strokes else None


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
