"""Separators: the small marks by a line named by their shape and place against the digits beside them (. , - :), a
"/" of a gentle slant only where it makes a date, a 5's bar drawn apart bridging its number and reading as nothing;
then a line's items split into numbers at wide gaps, their separators tidied and mended to the forms numbers take
(forms.py), and a dotted streak thinner than the pen beside a number's digits no 1.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations
from statistics import median

import numpy as np

from digitocr.reading.find import Box
from digitocr.reading.forms import mend, missing_separator
from digitocr.reading.items import REACH, SURE_SMALL, UNSURE, Item, digit_item, height, is_sign, neighbours
from digitocr.reading.recognise import Reading

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
# A "1" in short pieces (a dotted streak: none taller than STREAK_PIECE of it), no wider than STREAK_WIDE of its
# height, whose stroke is at most STREAK_THIN of its number's other digits' is a streak of ink beside them (specks of
# MNIST's, a scanner's), not a digit written with their pen (seeds 1-3)
STREAK_WIDE, STREAK_THIN, STREAK_PIECE = 0.3, 0.9, 0.6
# A small glyph no further than LETTER_GAP of its height (or the other's) from one taken by a line, in its band, is
# taken too: print's letters run on from a label to the printed figure it labels (Article 918, whose word stood too far
# from the figure's line for its letters to count against it)
LETTER_GAP = 0.7


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


def numbers(items: list[Item], line_height: float) -> list[list[Item]]:
    """A line's items -> its numbers, their separators told and mended."""
    split = split_words(items, line_height)
    starts = [w[0].box[0] for w in split[1:]] + [None]
    words = (mended(tidy(slashes(tidy(with_lost_point(without_streaks(w), start)), line_height)))
             for w, start in zip(split, starts, strict=True))
    return [w for w in words if w]
