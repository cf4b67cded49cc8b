"""Print or handwriting: a line's numbers kept only where they look handwritten.

Dropped: words that read like letters (the model calls them "not a digit" or is unsure of them, or glyphs of
x-height, or letters that read as two digits when cut in two), long numbers printed (heights even to a pixel, the
baseline to the pixel itself), the printed numbers of text lines, and on a row of a form or table the printed label
and its figures beside the handwriting. Kept on a line of print: numbers written unevenly, taller than its capitals,
with another pen or ink than its letters, or off their baseline.
"""

from __future__ import annotations

from statistics import median

import numpy as np

from digitocr.document import union_bbox
from digitocr.reading.find import Box
from digitocr.reading.items import (
    NOT_DIGIT,
    REACH,
    SHORT,
    SIGN,
    SURE_SMALL,
    UNSURE,
    Item,
    height,
    is_sign,
    not_a_digit,
    written_bottom,
    written_boxes,
    written_height,
)
from digitocr.reading.leftovers import signs_apart
from digitocr.reading.separators import DATE_SLANT, is_slash, numbers, split_words

LETTERS = 0.5  # a word with at least this share of letter-like candidates is letters or scribble, not a number ...
PAIR_EVEN = 0.85  # ... but not a pair of one height, one read surely (odd_pair)
TALL_PCT = 80  # the tall glyphs of a word (against which SHORT ones are lowercase): this percentile of its heights
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
# UNEVEN_PX pixels) is handwriting ...
UNEVEN, UNEVEN_PX = 0.08, 3.0
# ... and so is one whose feet stand more than OFF_LINE of its height (and OFF_LINE_PX pixels) above or below the
# print's baseline: print's figures stand on their letters' baseline, to the pixel (Entry 893 in a register, as tall
# as its E and written with a like pen, its feet 3 to 5 pixels over the E's at a crop's size; a faded page's printed
# 21 stood 2 pixels under its letters' feet, its ragged edge)
OFF_LINE, OFF_LINE_PX = 0.06, 2.0
# ... and so is one standing TALLER than the print's capitals on its line, where its letters come in two sizes
# (capitals or ascenders, and x-height: Acct., Balance): print's figures stand as tall as its capitals
TALLER = 1.12
ONE_APART = 1.0  # ... a lone 1 only this many of its heights clear of its line's other glyphs (print's bar is nearer)
# ... the capitals' height is that of what of the print's words stands on their baseline (a glyph whose foot is lower
# than the word's by HANGS of its tallest glyph hangs below it), but a 1 standing over the word's other glyphs by
# ASCENT of their height at most: an ascender (Balance's l, 4% over its B in DejaVu Sans)
HANGS, ASCENT = 0.1, 1.08
# ... and so is one whose pen is PEN_APART times broader or finer than that of the print's letters within REACH of it
# (a register's entry written at the print's size, level with it): print's figures have their letters' stroke, within
# 1.27 of it in every DejaVu and Liberation face (print_lines.py; 1.3 reported three printed numbers there)
PEN_APART = 1.35
# ... or one whose ink's colour stands INK_APART degrees from theirs (a blue pen's beside black print 8 to 15 degrees in
# the seed-2 crops' JPEGs, one black beside another 0 to 2)
INK_APART = 5.0
# (the classifier's "not a digit" output, trained on printed figures, tells most printed numbers)
PRINT_REACH = 1.5  # on a line of print and handwriting, numbers this many character heights from print are print
# A lone digit with a glyph of x-height (this share of its height tall, and wide) right after it (this many of its
# heights away), on its baseline (within this many), is a printed word's capital (seeds 1-2)
LOWER_TALL, LOWER_WIDE, CAPITAL_GAP, CAPITAL_BASE = (0.45, 0.85), 0.35, 0.3, 0.25
CAPITAL_OVER = 0.15  # ... the letter may start this far back under the capital (a serif Y's arm over its e)
# a word of no more glyphs than this, one of them after its first no digit (NOT_DIGIT), is print: 4, as Sum's u comes
# apart in two at a crop's resolution (S, u's stems and m read 511; seed-2 crops with word, ruling and margin +6 on 3)
WORD_GLYPHS = 4
ABBREVIATION = 0.9  # a short word with a point after it, at most this of the number beside it: Rs., Qty.
STROKE_FIGURES = ("1", "7")  # what print's letters cut in two read as (N as 11, u as 17): their upright strokes


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


def written_unevenly(digits: list[Item], letters: dict[int, bool]) -> bool:
    """Whether a number on a line of print is handwriting: two glyphs or more, each read surely and none like a
    letter (`sure_figures`; a touching pair of handwritten digits is no digit whole either: 07.09.03 written touching,
    its pieces not STROKE_FIGURES alone, stays), whose heights or bottoms differ by more than UNEVEN of their height
    (and UNEVEN_PX): print's figures stand even, but for a round figure's overshoot and faded print's ragged edge. The
    digits cut from one run count once."""
    if not sure_figures(digits, letters):
        return False
    boxes = written_boxes(digits)
    if len(boxes) < 2:
        return False
    heights = [height(b) for b in boxes]
    bottoms = [b[3] for b in boxes]
    spread = max(max(heights) - min(heights), max(bottoms) - min(bottoms))
    return spread > max(UNEVEN_PX, UNEVEN * float(median(heights)))


def sure_figures(digits: list[Item], letters: dict[int, bool]) -> bool:
    """Whether each of a number's glyphs is read surely (SURE_SMALL), none like a letter nor cut from a glyph that is
    no digit whole into STROKE_FIGURES alone (print's N read as 11, its u as 17)."""
    cut_letters = {id(d.reading.glyph) for d in digits if d.reading.split > 1 and d.reading.whole_rest >= NOT_DIGIT}
    cut_letters -= {id(d.reading.glyph) for d in digits if d.text not in STROKE_FIGURES}
    return not any(letters[id(d)] or d.confidence < SURE_SMALL or id(d.reading.glyph) in cut_letters for d in digits)


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
            # print's capitals among the big: print
            return without_print_pieces(handwritten(numbers(items, line_height), letters, stray), given, stray)
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
            return without_print_pieces(handwritten(words, letters, stray), given, stray)  # a line of print
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
    return without_print_pieces(kept, given, stray)


def without_print_pieces(kept: list[list[Item]], given: list[Item], stray: list[Box]) -> list[list[Item]]:
    """The numbers `kept` on a line (of its items `given`), without the pieces of print among them: a printed word's
    capital read as a digit (the Q of "Quantity" as 0, a B cut in two as 13), or its last letter (the g of Reg. as 9),
    or its upright strokes (the l and i of Folio as 11), its other letters read as marks or dropped as letters; a piece
    of a letter (`piece_of_a_letter`); a printed label before a number (`label_before`)."""
    taken = {id(it) for w in kept for it in w}
    beside = stray + [it.box for it in given if id(it) not in taken]
    kept = [w for w in kept if not ((box := one_glyph(w) or ones_box(w))
                                     and (capital_of(box, beside) or last_letter_of(box, beside)))]
    kept = [w for w in kept if not piece_of_a_letter(w, kept)]
    return [w for i, w in enumerate(kept) if i + 1 == len(kept) or not label_before(w, kept[i + 1])]


def label_before(word: list[Item], number: list[Item]) -> bool:
    """Whether a word is a printed label before the `number` that follows it on its line, its letters read as figures
    (Sum read 5717, Paid 11, Bal. 1321): WORD_GLYPHS glyphs or fewer, no taller than the number (its median height),
    and in another ink than the number (`inks_apart`), half of whose glyphs are read surely. A hand writes a line's
    numbers in one ink; a register's label is printed beside the entry written in it. Not by the pen's breadth: one
    hand's numbers on a page differ in it by half and more (the benchmark's pages, written with MNIST's writers)."""
    label = [it for it in word if it.is_digit and it.reading.probs is not None]
    digits = [it for it in number if it.is_digit and it.reading.probs is not None]
    boxes, own = written_boxes(label), written_boxes(digits)
    if not boxes or len(boxes) > WORD_GLYPHS or not half_sure(digits):
        return False
    if median([height(b) for b in boxes]) > median([height(b) for b in own]):
        return False
    # a box's side or a rule read as a 1 stands after the number written beside it, in print's ink: it takes a letter
    # the classifier doubts or calls no digit to make the word before a lone 1 its label (Qty. read 07 before a 1)
    if all(d.text == "1" for d in digits) and not any(
            it.confidence < UNSURE or not_a_digit(it) >= NOT_DIGIT for it in label):
        return False
    return inks_apart(label, digits)


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
    taller than the print's capitals (`stands_above_print`), written with another pen (`other_pen`) or ink
    (`other_ink`) than the print beside them, or standing off its baseline (`off_the_print_line`).

    The print's height is its words' (those holding a letter), their capitals read surely as figures too, and what of
    them stands on their baseline (`standing_heights`): a register's Lot, its L and o read as a sure 1 and 0, was its t
    alone, of one size, and 12.95 written a head taller beside it was read as nothing."""
    # each word's print height, once: nothing for a word that holds no letter
    tall = [standing_heights([it for it in w if id(it) in letters]) if any(letters.get(id(it)) for it in w) else []
            for w in words]
    kept = []
    for word in words:
        digits = [it for it in word if id(it) in letters]
        printed = [it for w in words if w is not word for it in w if letters.get(id(it))]
        others = [h for w, hs in zip(words, tall, strict=True) if w is not word for h in hs]
        others += [height(b) for b in stray]
        near = print_near(digits, printed)
        clear = clear_of(word, [it.box for w in words if w is not word for it in w] + stray)
        if (written_unevenly(digits, letters) or stands_above_print(digits, letters, others, clear)
                or other_pen(digits, near, clear) or other_ink(digits, near)
                or off_the_print_line(digits, letters, near)):
            kept.append(word)
    return kept


def standing_heights(word: list[Item]) -> list[int]:
    """The heights of a printed word's glyphs that stand on its baseline (their median foot): not a descender's, which
    reaches lower than a capital is tall (Page's g: HANGS), nor a 1's standing over the word's other glyphs by ASCENT
    of their height at most: an ascender (Balance's l, 4% over its B in DejaVu Sans: counted, it made 695 written
    beside it read as nothing). A 1 further over them stays: an i's dot over a word of x-height (Liberation Mono's
    "in", beside which its "died" stood taller than the rest)."""
    if not word:
        return []
    foot = float(median([it.box[3] for it in word]))
    slack = HANGS * max(height(it.box) for it in word)
    standing = [it for it in word if it.box[3] <= foot + slack]
    capital = max((height(it.box) for it in standing if it.text != "1"), default=0)
    return [height(it.box) for it in standing
            if it.text != "1" or not capital < height(it.box) <= ASCENT * capital]


def off_the_print_line(digits: list[Item], letters: dict[int, bool], near: list[Item]) -> bool:
    """Whether a number on a line of print, two glyphs or more read surely (`sure_figures`; a lone glyph's foot is no
    line: a box's side, print's bracket), stands more than OFF_LINE of its height (and OFF_LINE_PX) above or below the
    baseline of the print `near` it (two letters at least): their highest foot (a descender or a Q's tail stands
    lower; a mark less than X_LEAST of the tallest, an apostrophe, is no letter). The number's foot is its glyphs'
    median one."""
    boxes = written_boxes(digits)
    if len(boxes) < 2 or not sure_figures(digits, letters):
        return False
    tallest = max((height(it.box) for it in near), default=0)
    feet = [it.box[3] for it in near if height(it.box) >= X_LEAST * tallest]
    if len(feet) < 2:
        return False
    size = float(median([height(b) for b in boxes]))
    return abs(float(median([b[3] for b in boxes])) - min(feet)) > max(OFF_LINE_PX, OFF_LINE * size)


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
    return len(near) >= 2 and half_sure(digits) and inks_apart(digits, near)


def inks_apart(own: list[Item], other: list[Item]) -> bool:
    """Whether two sets of glyphs are written in two inks: their colours (each glyph's once, summed) INK_APART degrees
    apart or more (`ink_angle`). Not on a grey page."""
    colours = [[g.colour for g in {id(it.reading.glyph): it.reading.glyph for it in items}.values()]
               for items in (own, other)]
    if any(c is None for c in colours[0] + colours[1]):
        return False
    return ink_angle(np.sum(colours[0], axis=0), np.sum(colours[1], axis=0)) >= INK_APART


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
    (SURE_SMALL) and none like a letter, but one of three or more (a hand's digit the classifier doubts: Ref. 7972 and
    Lot 12.95 were read as nothing), and the print's letters (`print_heights`) in two sizes, so that the tallest are
    capitals or ascenders and not a word of x-height alone (no. 12, whose figures stand taller than its letters). Two
    sizes: the smaller at most SHORT of the tallest and a pixel, which antialiasing adds to a small x-height (Amount at
    a crop's size, 18 pixels to its A's 23: 0.78, where DejaVu Sans draws 0.75). A lone 1 only where it stands `clear`
    of the line's other glyphs (`clear_of`): print's slash, bar or bracket stands taller than its capitals too, but
    among its words (a quantity of 1 in a register's column, beside Qty., was read as nothing)."""
    odd = [d for d in digits if letters[id(d)] or d.confidence < SURE_SMALL]
    if not digits or not print_heights or len(odd) > (1 if len(digits) >= 3 else 0):
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
