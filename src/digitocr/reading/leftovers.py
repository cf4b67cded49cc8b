"""Leftovers: what stands by a number and is no digit of it, though read as one. A sign written before or after it
($, #, a bold sign's blot read as a 1); what a crop's cut took in at the image's edges (a neighbour's sliver, a rule
or a box's side, a line above or below cut across); a piece of a column rule that line removal left, read as a
lone 1.
"""

from __future__ import annotations

from statistics import median

import numpy as np

from digitocr.reading.find import Box
from digitocr.reading.items import NOT_DIGIT, SHORT, UNSURE, Item, height, is_sign, not_a_digit, to_page, written_boxes
from digitocr.reading.separators import tidy

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
BOLD_PEN, BOLD_TALL = 1.8, 1.3  # a 1 at a number's end this much broader of stroke and taller than the line's digits is
# a sign's blot
# A sign (SIGN) written apart, SIGN_APART of the line's height from its number's first digit (or last), with nothing
# else for SIGN_ALONE, no wider than SIGN_WIDE of its height, is no letter either (seed-2 crops with a sign)
SIGN_APART, SIGN_ALONE, SIGN_WIDE = 0.3, 2.0, 1.2


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
