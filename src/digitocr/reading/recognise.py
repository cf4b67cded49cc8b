"""Recognise the glyphs: every crop in MNIST's form, a page's crops in two classifier calls.

A glyph wider than a digit may be several touching digits. For those, candidate cuts are taken at
the thinnest columns of the glyph's own ink (each cut then follows the path of least ink near its
column, so overlapping digits part along the gap between them), every piece between two cuts that
could be one digit is classified (all of a page's pieces in the second call), a dynamic programme
finds for each number of pieces the cut whose pieces' probabilities have the greatest product, and
of those the one the classifier is most sure of, weighed by how plausible that many digits are for
the glyph's width (against the page's own digits' width where enough are read surely), wins; reading
it whole is one of the candidates.

With the string reader (strings.py, shipped beside the classifier), a wide glyph is read whole as a strip instead:
it was trained on touching strings and reads a neighbour's intruding stroke as part of the neighbour, where a
piece's classifier cannot. The cuts above still box its characters and give the classifier's doubt about each.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np

from digitocr.classifier import Classifier
from digitocr.document import union_bbox
from digitocr.preprocess import STRIP_FRAME, STRIP_MARGIN, strip_box, to_mnist_form, to_strip
from digitocr.reading.clean import Cleaned
from digitocr.reading.find import MIN_CHAR, Box, Found, Glyph, shape_features
from digitocr.reading.rejoin import char_entry, detach_dashes, rejoin
from digitocr.strings import StringReading

# A glyph this many times wider than tall may hold two (three) touching digits; each further digit
# adds SPLIT3 - SPLIT2.
SPLIT2, SPLIT3 = 0.8, 1.4
MAX_PIECES = 6
MAYBE_DIGIT = 0.3  # a mark at least this many character heights tall is classified too (assemble.py decides)
SURE_WHOLE = 0.995  # a glyph read this surely whole is not tried in pieces unless it is very wide
# Candidate cuts per wide glyph, at most, and the heights between two at least: dense, since a run of
# overlapping digits has few clear gaps (set on the seed-1 pages: touching F1 0.49 with 8 and 0.18, 0.54 now).
MAX_CUTS = 20
CUT_GAP = 0.09
# How much the width says about the number of pieces (`plausible`): n digits are fully plausible from
# start(n) on and stay so until DELAY past start(n + 1); outside, their weight falls to FLOOR. Within
# that, the classifier decides: one crop of two digits can look like one digit to it (00 as 8), and
# the halves of one digit can look like two 1s. Set on MNIST pairs and the page benchmark.
FLOOR = 0.85
DELAY = 0.5  # n digits stay fully plausible this far into the widths where n + 1 become plausible
# The page's own digits: the median width over height of those read surely (TYPICAL_SURE, at least
# TYPICAL_MIN of them) says how many digits a wide glyph holds. A glyph at least TWO * 2 such digits wide
# is tried in pieces however sure its whole reading is, and the prior on the number of pieces falls off
# SPREAD digits from the expected one. Set on the seed-1 pages (touching F1 0.365 -> 0.402).
TYPICAL_SURE, TYPICAL_MIN = 0.95, 8
TWO = 0.9
SPREAD = 0.7
WIDTH_FLOOR = 0.9  # the count prior by the page's digit width: weaker than `plausible`'s
SURE_KEEP = 0.99  # a glyph read this surely whole keeps the width-blind prior `plausible`
REST_ONE = 0.05  # a glyph with less than this for "not a digit" is not tried in pieces unless very wide (seeds 1-3)
SECOND_OPINION = 0.99  # a glyph read less surely than this as one digit is read by the string reader too (seeds 1-3)
SECOND_SURE = 0.8  # ... whose reading counts where its best digit has this share of its digits' probability
NARROW_REST = 0.5  # a glyph narrower than split_at with this much "not a digit" goes to the string reader (seeds 1-3)
ONE_DIGIT_REST = 0.01  # ... and with less than this for "not a digit", no width prior at all (set on seed-1 pages)
REACH = 0.3  # a cut may wander this many heights from its column (set on the seed-1 pages)
DRIFT = 0.3  # ink a cut would rather cross than wander its full reach from its column
# A piece read as a 1 that leans this many degrees or more (1s lean less; 38 took real ones), is this straight
# (elongation) and shorter than this many character heights, and ends this share of the digit's height above the
# baseline of the digit before it, is that digit's tail (seeds 1-2)
TAIL_LEAN, TAIL_ELONGATION, TAIL_TALL, TAIL_UP = 45.0, 0.45, 0.8, 0.2


@dataclass
class Reading:
    box: Box  # work pixels
    probs: np.ndarray | None  # ten probabilities for a digit candidate; None for a mark
    glyph: Glyph  # what it was cut from (its shape: slant, elongation)
    split: int = 1  # how many pieces its glyph was cut into
    whole_rest: float = 0.0  # the "not a digit" share of its glyph read whole
    # What the string reader read in a glyph it left whole (None where it was not asked): "" for nothing at all, as
    # it reads print's letters and a currency sign (leftovers.without_signs)
    string_text: str | None = None
    # A mark's ten probabilities as a digit, when it is nearly as tall as one: find.py's mark height is set by the
    # page's typical writing, so the shorter digits of a line written smaller can come out as marks.
    as_digit: np.ndarray | None = None
    # A piece's own (slant, elongation), as find.shape_features: a date's slash touching a digit is cut from it
    piece_shape: tuple[float, float] | None = None

    @property
    def shape(self) -> tuple[float, float]:
        """(slant, elongation) of what was read: the piece's where it was cut from a glyph, else the glyph's."""
        return self.piece_shape or (self.glyph.slant, self.glyph.elongation)


Tried = list[tuple[list[int], dict[tuple[int, int], int]]]  # per glyph: its cut nodes, and piece -> crop index
Piece = tuple[tuple[int, int], np.ndarray, int | None]  # a piece's columns, its ink, its crop's index if classified


def cut_candidates(ink: np.ndarray, height: int) -> list[int]:
    """Columns where a wide glyph may be cut: the thinnest columns (local minima of the ink count), at
    most MAX_CUTS of them, no two closer than a narrow digit."""
    w = ink.shape[1]
    profile = np.convolve((ink > 0).sum(axis=0).astype(np.float32), np.ones(3) / 3, mode="same")
    lo, hi = max(1, int(0.15 * height)), min(w - 1, w - int(0.15 * height))
    minima = [c for c in range(lo, hi) if profile[c] <= profile[c - 1] and profile[c] <= profile[c + 1]]
    cuts: list[int] = []
    for c in sorted(minima, key=lambda c: (profile[c], c)):
        if all(abs(c - other) >= CUT_GAP * height for other in cuts):
            cuts.append(c)
        if len(cuts) == MAX_CUTS:
            break
    return sorted(cuts)


def ink_paths(ink: np.ndarray, cuts: list[int], reach: int) -> dict[int, np.ndarray]:
    """For each cut column c: the column, row by row, of the cut from top to bottom through the least ink
    within `reach` of c (a step of at most one column a row), so overlapping digits are parted along the gap
    between them. One dynamic programme for all of a glyph's cuts at once."""
    h, w = ink.shape
    if not cuts:
        return {}
    k = len(cuts)
    offsets = np.arange(-reach, reach + 1)
    cols = np.asarray(cuts)[:, None] + offsets[None, :]  # [k, window]
    inside = (cols >= 0) & (cols < w)
    cost = ink[:, np.clip(cols, 0, w - 1)].transpose(1, 0, 2).astype(np.float64)  # [k, h, window]
    cost += DRIFT * np.abs(offsets)[None, None, :] / max(1, reach)
    cost[~np.broadcast_to(inside[:, None, :], cost.shape)] = np.inf
    padded = np.full((k, len(offsets) + 2), np.inf)  # the running totals, between two columns of no way through
    total = padded[:, 1:-1]
    total[:] = cost[:, 0]
    step = np.zeros(cost.shape, np.int8)
    for y in range(1, h):
        # from the left, straight down or the right (on a tie the first of those)
        left, right = padded[:, :-2], padded[:, 2:]
        came = np.where(right < np.minimum(left, total), 1, np.where(total < left, 0, -1)).astype(np.int8)
        best = np.minimum(np.minimum(left, total), right)
        total[:] = cost[:, y] + best
        step[:, y] = came
    x = np.argmin(total, axis=1)
    paths = np.empty((k, h), np.int64)
    for y in range(h - 1, -1, -1):
        paths[:, y] = cols[np.arange(k), x]
        x = x + step[np.arange(k), y, x]
    return {c: paths[i] for i, c in enumerate(cuts)}


def piece_of(ink: np.ndarray, paths: dict[int, np.ndarray], a: int, b: int) -> np.ndarray:
    """The ink between the cuts at columns a and b (0 and the width: the glyph's edges), full width."""
    cols = np.arange(ink.shape[1])[None, :]
    left = paths[a][:, None] if a in paths else np.full((ink.shape[0], 1), a)
    right = paths[b][:, None] if b in paths else np.full((ink.shape[0], 1), b)
    return np.where((cols >= left) & (cols < right), ink, 0.0).astype(np.float32)


def piece_nodes(ink: np.ndarray, typical: float | None = None
                ) -> tuple[list[int], dict[tuple[int, int], np.ndarray]]:
    """A wide glyph's candidate cuts and the pieces between them that may be one digit each.

    Returns (the nodes: 0, the cuts' columns and the width; the pieces by their column range (a, b) between two
    nodes, each a digit's height (`piece_ok`) and no wider than a wide digit: the glyph's ink between the two
    cuts' paths, `piece_of`). No nodes when the glyph is too narrow to be tried in pieces. `typical`: the page's
    single-digit width over height, when known (narrow handwriting: two digits may be narrower than SPLIT2).
    """
    h, w = ink.shape
    rows = np.flatnonzero(ink.any(axis=1))
    height = rows[-1] - rows[0] + 1 if rows.size else h
    if w < split_at(typical) * height:
        return [], {}
    cuts = cut_candidates(ink, height)
    paths = ink_paths(ink, cuts, int(REACH * height))
    nodes = [0, *cuts, w]
    pieces = {}
    for a, b in combinations(nodes, 2):
        if b - a <= 1.3 * height:
            part = piece_of(ink, paths, a, b)
            if piece_ok(part):
                pieces[(a, b)] = part
    return nodes, pieces


def most_pieces(ratio: float, typical: float | None) -> int:
    """The most digits a glyph `ratio` times wider than tall may hold (by `start`, or the page's digit width)."""
    n = 1
    while n < MAX_PIECES and (ratio >= start(n + 1) or (typical is not None and ratio >= TWO * n * typical)):
        n += 1
    return n


def best_paths(nodes: list[int], sure: dict[tuple[int, int], float], most: int) -> dict[int, list[tuple[int, int]]]:
    """For each count n of 2..most pieces: the cut of the glyph into n pieces (column ranges from 0 to the
    width, through `nodes`) whose pieces' probabilities `sure` have the greatest product. A dynamic programme."""
    end = nodes[-1]
    best: dict[tuple[int, int], tuple[float, list[tuple[int, int]]]] = {(0, 0): (0.0, [])}  # (node, n) -> path
    for b in nodes[1:]:
        for n in range(1, most + 1):
            options = [(best[(a, n - 1)][0] + np.log(max(sure[(a, b)], 1e-9)), best[(a, n - 1)][1] + [(a, b)])
                       for a in nodes if (a, b) in sure and (a, n - 1) in best]
            if options:
                best[(b, n)] = max(options, key=lambda o: o[0])
    return {n: best[(end, n)][1] for n in range(2, most + 1) if (end, n) in best}


def piece_box(box: Box, part: np.ndarray, cols: tuple[int, int]) -> Box:
    """The box of a piece's ink (a glyph's box's shape, cut out between columns about [a, b)), in work pixels."""
    rows, cs = np.flatnonzero((part > 0).any(axis=1)), np.flatnonzero((part > 0).any(axis=0))
    if rows.size == 0:
        return (box[0] + cols[0], box[1], box[0] + cols[1], box[3])
    return (box[0] + int(cs[0]), box[1] + int(rows[0]), box[0] + int(cs[-1]) + 1, box[1] + int(rows[-1]) + 1)


def piece_ok(part: np.ndarray) -> bool:
    """A piece of a split glyph must be a digit's height: the tail of a 2 cut off is no 1."""
    rows = np.flatnonzero((part > 0).any(axis=1))
    return rows.size > 0 and rows[-1] - rows[0] + 1 >= 0.6 * part.shape[0]


def segmentation_score(confidences: np.ndarray) -> float:
    """How sure the classifier is of a segmentation's pieces: between its weakest piece and their geometric mean."""
    return float(np.sqrt(confidences.min() * np.exp(np.log(np.maximum(confidences, 1e-9)).mean())))


def start(pieces: int) -> float:
    """Width over height from which a glyph may hold `pieces` digits (1 always)."""
    return 0.0 if pieces == 1 else SPLIT2 + (SPLIT3 - SPLIT2) * (pieces - 2)


def split_at(typical: float | None) -> float:
    """Width over height from which a glyph is tried in pieces."""
    return SPLIT2 if typical is None else min(SPLIT2, TWO * 2 * typical)


def typical_width(ratios: np.ndarray, probs: np.ndarray) -> float | None:
    """The page's single-digit width over height: the median of glyphs read surely as one digit (not a 1)."""
    top = probs.argmax(axis=1)
    ok = (probs.max(axis=1) >= TYPICAL_SURE) & (top != 1) & (ratios < SPLIT2)
    return float(np.median(ratios[ok])) if ok.sum() >= TYPICAL_MIN else None


def by_width(pieces: int, ratio: float, typical: float) -> float:
    """Prior weight (WIDTH_FLOOR..1) of `pieces` digits for a glyph `ratio` wide, the page's digits `typical` wide."""
    expected = ratio / typical
    return float(WIDTH_FLOOR + (1.0 - WIDTH_FLOOR) * np.exp(-(((pieces - expected) / SPREAD) ** 2)))


def plausible(pieces: int, ratio: float) -> float:
    """Prior weight (FLOOR..1) of reading a glyph `ratio` times wider than tall as `pieces` digits."""
    rise = 1.0 if pieces == 1 else np.clip((ratio - start(pieces)) / 0.4, 0.0, 1.0)
    fall = 1.0 - np.clip((ratio - start(pieces + 1) - DELAY) / 0.6, 0.0, 1.0) if pieces < MAX_PIECES else 1.0
    return float(FLOOR + (1.0 - FLOOR) * min(rise, fall))


def recognise(cleaned: Cleaned, found: Found, classifier: Classifier) -> list[Reading]:
    """Glyphs -> readings: digit candidates with their ten probabilities (touching digits split), and marks.

    Two classifier calls (three when a broken digit may be joined, rejoin.py): every glyph whole, then the
    pieces of the wide glyphs that may be touching digits (not those read surely whole and not much wider
    than a digit: that spares most crops).
    """
    marks = [g for g in found.glyphs if g.kind != "char"]
    chars = [char_entry(cleaned, found.labels, g) for g in found.glyphs if g.kind == "char"]
    if not chars:
        return [Reading(box=m.box, probs=None, glyph=m) for m in marks]
    probs = classifier.predict(np.stack([to_mnist_form(ink) for _, ink, _ in chars]))
    chars, probs, marks = rejoin(cleaned, found, chars, probs, marks, classifier)
    found, chars, probs, marks = detach_dashes(cleaned, found, chars, probs, marks, classifier)
    readings = [Reading(box=m.box, probs=None, glyph=m) for m in marks]
    crops: list[np.ndarray] = []  # the second call's: marks that may be digits, and pieces of wide glyphs
    maybe = [k for k, m in enumerate(marks) if m.height >= max(MIN_CHAR, MAYBE_DIGIT * found.char_height)]
    for k in maybe:
        crops.append(to_mnist_form(char_entry(cleaned, found.labels, marks[k])[1]))
    typical = typical_width(np.array([ratio for _, _, ratio in chars]), probs)

    def prior(pieces: int, ratio: float) -> float:
        return plausible(pieces, ratio) if typical is None else by_width(pieces, ratio, typical)
    tried: Tried = []
    narrow: set[int] = set()  # glyphs no wider than a digit that the model calls no digit
    parts: dict[tuple[int, int, int], np.ndarray] = {}  # (glyph, a, b) -> the piece's ink
    for k, (_, ink, ratio) in enumerate(chars):
        tried.append(([], {}))
        wide = typical is not None and ratio >= TWO * 2 * typical
        # the model, trained on touching pairs as "not a digit", calls it one digit (whichever): not cut unless wide
        one_whole = classifier.has_not_a_digit and 1.0 - probs[k].sum() < REST_ONE and not wide
        if ratio < split_at(typical) and classifier.has_not_a_digit and 1.0 - probs[k].sum() >= NARROW_REST:
            narrow.add(k)  # two narrow digits touching (19) may be no wider than one: the string reader reads it
            continue
        if ratio < split_at(typical) or one_whole or (
                probs[k].max() >= SURE_WHOLE and ratio < start(2) + DELAY and not wide):
            continue
        nodes, pieces = piece_nodes(ink, typical)
        for (a, b), part in pieces.items():
            tried[k][1][(a, b)] = len(crops)
            parts[(k, a, b)] = part
            crops.append(to_mnist_form(part))
        tried[k][0].extend(nodes)
    split_probs = classifier.predict(np.stack(crops)) if crops else np.zeros((0, 10), np.float32)
    decided = read_strings(classifier, chars, probs, tried, parts, split_probs, narrow)
    for i, k in enumerate(maybe):
        readings[k].as_digit = split_probs[i]
    one_digit = classifier.has_not_a_digit
    best = split_probs.max(axis=1)
    for k, (glyph, _, ratio) in enumerate(chars):
        if k in decided:
            readings.extend(decided[k])
            continue
        pr = plausible if probs[k].max() >= SURE_KEEP else prior
        # Whole, the glyph is weighed by how surely it is one digit at all, whichever: a wide 4 that the model
        # half takes for an 8 is still one digit. (A ten-output model: its best digit's probability.)
        whole = float(probs[k].sum() if one_digit else probs[k].max())
        # A model trained on touching pairs as "not a digit" that reads the glyph surely as one digit, with
        # next to nothing left for "not a digit", overrules its width: a wide flat 0 is one 0.
        one = one_digit and surely_one(probs[k])
        choice, score = None, whole * (1.0 if one else pr(1, ratio))
        nodes, index = tried[k]
        if nodes:
            sure = {piece: float(best[i]) for piece, i in index.items()}
            for n, seg in best_paths(nodes, sure, most_pieces(ratio, typical)).items():
                idx = [index[piece] for piece in seg]
                value = segmentation_score(best[idx]) * pr(n, ratio)
                if value > score:
                    choice, score = (seg, idx), value
        if choice is None:
            readings.append(Reading(box=glyph.box, probs=probs[k], glyph=glyph))
            continue
        seg, idx = choice
        for (a, b), i in zip(seg, idx, strict=True):
            box = piece_box(glyph.box, parts[(k, a, b)], (a, b))
            readings.append(Reading(box=box, probs=split_probs[i], glyph=glyph, split=len(seg),
                                    whole_rest=1.0 - float(probs[k].sum()) if one_digit else 0.0,
                                    piece_shape=shape_features(parts[(k, a, b)] > 0)))
    return merge_tails(readings, found.char_height)


def tail(r: Reading, before: Reading, char_height: float) -> bool:
    """Whether a piece cut from a glyph is the tail of the digit before it, not a 1: read as a 1, but a straight
    stroke leaning further than a 1 does (TAIL_LEAN), short (TAIL_TALL), and ending above the baseline that digit
    stands on (TAIL_UP), where a 1 stands on it too: the upswing of a 2 written like a tick."""
    lean, elongation = r.shape
    return (r.split > 1 and r.probs is not None and int(r.probs.argmax()) == 1 and lean >= TAIL_LEAN
            and elongation < TAIL_ELONGATION and r.box[3] - r.box[1] < TAIL_TALL * char_height
            and r.box[3] <= before.box[3] - TAIL_UP * (before.box[3] - before.box[1]))


def merge_tails(readings: list[Reading], char_height: float | None) -> list[Reading]:
    """Readings with each piece that is the `tail` of the digit cut before it from the same glyph given back to
    that digit: its box takes the tail in, its reading stays (the digit was read without it)."""
    if char_height is None:
        return readings
    out: list[Reading] = []
    for r in readings:
        prev = out[-1] if out else None
        if prev is not None and prev.glyph is r.glyph and prev.probs is not None and tail(r, prev, char_height):
            out[-1] = replace(prev, box=union_bbox([prev.box, r.box]), split=prev.split - 1)
            continue
        out.append(r)
    return out


def surely_one(probs: np.ndarray) -> bool:
    """Whether an eleven-output model reads a glyph surely as one digit (SURE_KEEP), with next to nothing for "not a
    digit" (ONE_DIGIT_REST)."""
    return probs.max() >= SURE_KEEP and 1.0 - probs.sum() < ONE_DIGIT_REST


def string_cuts(reading: StringReading, ink: np.ndarray) -> list[int]:
    """The glyph columns between a string reading's characters: halfway between their frames' centres."""
    box = strip_box(ink)
    if box is None or len(reading.spans) < 2:
        return []
    _, _, left, right, new_w = box
    scale = new_w / (right - left)
    centres = [STRIP_FRAME * (a + b + 1) / 2 for a, b in reading.spans]
    pairs = zip(centres[:-1], centres[1:], strict=True)
    return [int(round(left + ((c + d) / 2 - STRIP_MARGIN) / scale)) for c, d in pairs]


def read_strings(classifier: Classifier, chars: list, probs: np.ndarray, tried: Tried,
                 parts: dict[tuple[int, int, int], np.ndarray], split_probs: np.ndarray,
                 narrow: set[int]) -> dict[int, list[Reading]]:
    """The wide glyphs tried in pieces, the `narrow` ones the model calls no digit, and the ones it is unsure of, read
    by the string reader (when there is one): glyph index -> readings.

    A wide or narrow one the string reader reads as one digit (or none) stays whole, with the classifier's reading
    (it knows single digits best, and print). One it reads as several is cut where its characters part
    (`string_pieces`), each piece with the string reader's digits and the classifier's share for "not a digit", no
    more than the string reader doubts it (`run_char`). For one the classifier is unsure of, the string reader's
    reading is a `second_opinion`; where it reads several digits, each surer than the classifier's one, a run cut so.
    """
    strings = classifier.strings
    if strings is None:
        return {}
    runs = [k for k, (nodes, _) in enumerate(tried) if nodes or k in narrow]
    unsure = [k for k in range(len(chars)) if not tried[k][0] and k not in narrow and probs[k].max() < SECOND_OPINION]
    if not runs and not unsure:
        return {}
    one_digit = classifier.has_not_a_digit
    read = dict(zip(runs + unsure, strings.read([to_strip(chars[k][1]) for k in runs + unsure]), strict=True))
    second = {k: read.pop(k) for k in unsure}  # read as one digit: a second opinion
    # read as several digits, each surer than the classifier is of its one: a run after all (a 1 merged into the 0 of
    # 10, which the classifier reads as a 0, unsurely); read otherwise: no say
    for k in [k for k, r in second.items() if len(r.text) > 1 and r.probs.max(axis=1).min() > probs[k].max()]:
        read[k] = second.pop(k)
    agreed = {k: [Reading(box=chars[k][0].box, glyph=chars[k][0], probs=second_opinion(probs[k], r.probs[0]))]
              for k, r in second.items() if len(r.text) == 1}
    best = split_probs.max(axis=1)
    by_glyph: dict[int, dict[tuple[int, int], np.ndarray]] = {}
    for (j, a, b), part in parts.items():
        by_glyph.setdefault(j, {})[(a, b)] = part
    # a wide glyph the classifier reads surely as one digit, next to nothing left for "not a digit" (a touching pair
    # is one to it), is that digit, stretched (a wide 0 is no 10), as it is against its width in `recognise`
    whole = {k for k in read if one_digit and surely_one(probs[k])}
    cuts = {k: string_pieces(r, chars[k][1], tried[k][0], tried[k][1], by_glyph.get(k, {}), best)
            for k, r in read.items() if len(r.text) > 1 and k not in whole}
    late = [part for cut in cuts.values() for _, part, i in cut if i is None]  # pieces not classified yet
    late_probs = iter(classifier.predict(np.stack([to_mnist_form(p) for p in late])) if late else [])
    nothing = {k: [Reading(box=chars[k][0].box, probs=probs[k], glyph=chars[k][0], string_text="")]
               for k, r in second.items() if not r.text}
    decided = {k: [Reading(box=chars[k][0].box, probs=probs[k], glyph=chars[k][0], string_text=read[k].text)]
               for k in read} | agreed | nothing
    for k, cut in cuts.items():
        glyph, reading = chars[k][0], read[k]
        rest = 1.0 - float(probs[k].sum()) if one_digit else 0.0
        decided[k] = [Reading(box=piece_box(glyph.box, part, (a, b)), glyph=glyph, split=len(cut), whole_rest=rest,
                              probs=run_char(reading.probs[c], split_probs[i] if i is not None else next(late_probs)),
                              piece_shape=shape_features(part > 0))
                      for c, ((a, b), part, i) in enumerate(cut)]
    return decided


def string_pieces(reading: StringReading, ink: np.ndarray, nodes: list[int], index: dict[tuple[int, int], int],
                  parts: dict[tuple[int, int], np.ndarray], best: np.ndarray) -> list[Piece]:
    """A wide glyph cut as the string reader read it, one piece a character: the best cut into that many pieces
    where there is one (each piece with its crop's index among the classified ones), else straight cuts between
    the characters (to be classified). (column range, ink, crop index or None) per piece."""
    n = len(reading.text)
    sure = {piece: float(best[i]) for piece, i in index.items()}
    seg = best_paths(nodes, sure, n).get(n) if nodes else None
    if seg is not None:
        return [((a, b), parts[(a, b)], index[(a, b)]) for a, b in seg]
    edges = [0, *string_cuts(reading, ink), ink.shape[1]]
    out = []
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        part = np.zeros_like(ink)
        part[:, a:b] = ink[:, a:b]
        out.append(((a, b), part, None))
    return out


def second_opinion(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The classifier's ten probabilities for a digit it is unsure of, given the string reader's for the same glyph:
    the two models' mean where the string reader is sure (SECOND_SURE) and the mean picks another digit, else the
    classifier's own (the mean would only make a digit both read alike look less sure, and one read less sure
    is dropped as a letter)."""
    if second.max() < SECOND_SURE * second.sum():
        return first
    mean = (first + with_rest(second, first)) / 2
    return mean if mean.argmax() != first.argmax() else first


def run_char(string_probs: np.ndarray, piece_probs: np.ndarray) -> np.ndarray:
    """A character of a run of touching digits the string reader read: `with_rest`, but "not a digit" no more than
    the string reader's own doubt about it. A neighbour's stroke intruding on the piece makes the classifier call
    it no digit (the 4 of 74 written joined, read 0.11 a 4), and the number was dropped as letters."""
    sure = float(string_probs.max())
    probs = with_rest(string_probs, piece_probs)
    if 1.0 - float(probs.sum()) <= 1.0 - sure:
        return probs
    return string_probs / max(float(string_probs.sum()), 1e-9) * sure


def with_rest(string_probs: np.ndarray, piece_probs: np.ndarray) -> np.ndarray:
    """A character's ten probabilities: the string reader's choice among the digits, and the classifier's share
    for "not a digit" left over (its piece of print is no digit, however surely the string reader reads one)."""
    return string_probs / max(float(string_probs.sum()), 1e-9) * float(piece_probs.sum())
