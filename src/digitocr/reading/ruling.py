"""Ruling, grid, box and form lines found in a page's ink and taken out, and what they leave; handwriting that
crosses them, stands on them or runs along them kept.

The clean stage's (clean.py) second half, on the ink at work resolution once the page is upright and the
characters' height is known (lines are runs of ink a few characters long):

    lines removed (a thin one binarised in dashes and an upright one leaning a pixel or two too; strokes across
    them, ink darker than them and a stroke written along a rule kept, what they leave dropped but a pen's point
    written on a rule) -> faint continuations of the strokes taken in (on quiet paper, hairlines too), a faint
    grid's crossings out -> lines that lean a little, along the edges of wide components, out

The ink's contrast levels (LOW, HIGH), what a strip is (STRIP) and the ink's components (`components`) are here
too: clean.py, which calls this module, uses them as well.
"""

from __future__ import annotations

import cv2
import numpy as np

# Ink contrast (0 paper .. 1 black): clearly ink above HIGH, and its fainter edge down to LOW.
LOW, HIGH = 0.18, 0.38
REACH_STEPS = 4  # faint ink (above LOW) joined to the strokes this many pixels along at most (seed-1 pages)
SEED = 0.3  # ... from components at least this many character heights tall
# On quiet paper (QUIET: the 99th percentile of ink contrast away from the ink), strokes are grown on along hairlines:
# a pen's light stroke (a 7's bar, a 5's flag, a 9's closing loop) reduced to a line a pixel wide at work resolution,
# above HAIR_LOW and HAIR_MARGIN clearer than its neighbours on both sides, HAIR_STEPS pixels further at most.
QUIET = 0.05
HAIR_LOW, HAIR_MARGIN, HAIR_STEPS = 0.08, 0.02, 10
# A pen's point written on a rule (596.94 in a register) merges with it, and what is left of it once the rule is gone
# lies wholly beside the rule, as its ragged edge does; but it is a blob, not a sliver along the rule: DOT_AREA pixels
# at least, no wider than DOT_WIDE times its height and DOT_SLACK pixels, and away from upright lines (DOT_CLEAR pixels:
# a grid's crossings leave blobs too). Seed-2 crops with a ruling: 1,278 -> 1,286 read exactly, none lost.
DOT_AREA, DOT_WIDE, DOT_SLACK, DOT_CLEAR = 4, 2, 3, 4
# What of such a point lay on the rule went with it, and what is left is flat, a speck's shape (747.66 in a register,
# its point on the line, read 74766): it is given back the rule's pixels under it until it is round, where it stands
# DOT_APART pixels clear of other ink (a stroke's end cut off by the rule stands by its stroke: 8539 read 85.39).
# Seed-2 crops with a ruling: 1,289 -> 1,292; with word, ruling and margin 1,226 -> 1,229.
DOT_APART = 2
# ... and it is no speck of a faint line either (`faint_strokes`) where the line is a rule as dark as a pen: a row of
# faint ink that is clear ink (above HIGH) for DARK_RULE of its length at least. Seed-2 crops with a ruling: 1,289.
DARK_RULE = 0.5
STRIP = 600  # an image at most this many pixels tall is a strip (a line cut out), never a page
LONG_H, LONG_V = 2.5, 2.2  # ink runs longer than this many character heights are lines
# ... and in a strip, runs across this share of its width (height), if they are this many character heights long: a
# crop of one or two digits is narrower than LONG_H, and the rule or box around it stayed, joined to the digits. Not
# shorter upright ones: a dollar sign's bar stands out above and below the digits (seed-2 crops).
STRIP_LINE_H, STRIP_LINE_V = (0.6, 1.0), (0.75, 1.4)
STRIP_ROOM = 2.0  # ... with this many character heights of room, no less: in a crop cut tight, a digit's bar may be one
# A line that leans a little (a crop scanned askew, under MIN_SKEW on a page) holds no run that long in any one row:
# a component's foot or top (left or right side) that keeps within LEAN_FIT pixels of one straight line, leaning
# LEAN_MAX degrees at most, for a line's length, LEAN_THIN character heights thick at most, is a line too.
LEAN_MAX, LEAN_FIT, LEAN_THIN = 4.0, 1.0, 0.2
# Ink this much darker than the line it lies on is handwriting over the line (`ink_over_lines`): a black pen's point
# on a register's grey rule (the rule at 0.52 of contrast, the point at 0.77) stands no more than 0.25 over the rule's
# level (its 90th percentile, which the pen's pixels on it raise), and at 0.25 went with the rule (44471.- read 44471;
# strokes along the rule lost: 6591 read 6.591, 46.58 read 41.58). Seed-2 crops with a ruling: 1,292 -> 1,301. A
# speck of a faint line (`faint_strokes`) is kept as ink only where OVER_FAINT darker than the lines: on a cheque's
# pattern, the pattern's lines crossing a rule darken it in spots as much, and at 0.15 the pattern's crossings passed
# for ink (seed-2 crops at 0.5: 1,271 -> 1,267).
OVER_LINE, OVER_FAINT = 0.15, 0.25
# The writing that stands on a line is looked for this far beside the lines (`ink_over_lines`): a rule's thickness and
# two pixels reach the ink standing on it.
LINE_AROUND = 16
# An upright line in a photo may lean a little once the page is turned level by its rows (the perspective): looked for
# in the ink widened a pixel each side, it is one run still. Two pixels each side take the strokes beside a grid's
# lines with them (squared pages of the tuning pages lost up to half of their numbers).
UPRIGHT_SLACK = np.ones((1, 3), np.uint8)
DASHED = 0.5  # a row (column) of faint ink run along a line, this much of it ink, is a line binarised in dashes
# A pen's stroke written along a rule (a 2's foot on the line it stands on, a 5's or 7's bar under the line above)
# lies within the rule's thickness and its fringe, and went with it: the 2 read as a 7 (275 read 775, 3214 read 3714).
# Where it lay, the rule holds more ink than along the rest of it: its columns' contrast, summed across the rule and
# its fringe, FOOT_INK over the rule's median, for FOOT_LONG character heights (a stroke crossing the rule is a pen
# wide), beside the writing (within FOOT_GAP // 2 columns: the foot's own columns may touch none of it), and with
# FOOT_FREE of a height touching no writing, as a foot's stretch beyond the stroke it ends does (a bowl's bottom, a
# printed word's letters touch the rule along it): that much of the rule is the stroke's and stays. Seed-2 and
# seed-1 crops with word, ruling and margin 1,276 -> 1,279 and 1,363 -> 1,371, with a ruling 1,307 -> 1,309 and
# 1,408 -> 1,410; at FOOT_FREE 0.25, 1,275 and 1,309: more of the feet that stood on the rule lost than print kept.
FOOT_INK = 0.3
FOOT_LONG = (0.3, 1.5)
FOOT_FREE = 0.15
FOOT_GAP = 9


def components(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """mask -> (labels, stats rows [x, y, w, h, area] with row i for label i; row 0 is the background)."""
    return components_with_stats(mask.astype(np.uint8))[1:3]


def components_with_stats(mask: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """uint8 mask -> (count, labels, stats), 8-connected, by Grana's (block-based) algorithm: on one core OpenCV's
    default took 20 ms for a page's mask where this takes 4, for the same labels (on two, both about 8)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(mask, 8, cv2.CV_32S, cv2.CCL_GRANA)
    return n, labels, stats


def strip_lines(shape: tuple[int, int], height: float, long_h: int, long_v: int) -> tuple[int, int]:
    """`remove_lines`' run lengths `long_h`, `long_v` in an image of `shape` whose writing is `height` tall: in a strip
    with room around its writing (STRIP_ROOM), no longer than most of its width and height (STRIP_LINE_*)."""
    if not STRIP_ROOM * height <= shape[0] <= STRIP:
        return long_h, long_v
    (share_h, least_h), (share_v, least_v) = STRIP_LINE_H, STRIP_LINE_V
    return (min(long_h, max(15, round(least_h * height), int(share_h * shape[1]))),
            min(long_v, max(15, round(least_v * height), int(share_v * shape[0]))))


def run_thickness(lines: np.ndarray, axis: int) -> float:
    """Mean thickness of line pixels across `axis` (0: horizontal lines' height): pixels / run starts, the pixels
    whose neighbour before them across the lines is not set."""
    pixels = cv2.countNonZero(lines)
    if lines.shape[axis] < 2:
        return float(pixels > 0)
    within = cv2.bitwise_and(lines[1:], lines[:-1]) if axis == 0 else cv2.bitwise_and(lines[:, 1:], lines[:, :-1])
    return float(pixels) / max(pixels - cv2.countNonZero(within), 1)


def runs_along(m: np.ndarray, length: int, across: bool) -> np.ndarray:
    """uint8 0/1 `m` -> its pixels in runs of at least `length` along the rows (`across`) or the columns: an
    opening with a line `length` long. Only a row (column) with that much ink can hold such a run, and each is
    opened on its own, so where few can, only those are opened (a page's long kernels cost 20 ms in full)."""
    sums = cv2.reduce(m, 1 if across else 0, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel()
    some = np.flatnonzero(sums >= length)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if across else (1, length))
    if some.size > (0.5 if across else 0.1) * sums.size:  # columns cost more to gather
        return cv2.morphologyEx(m, cv2.MORPH_OPEN, kernel)
    out = np.zeros_like(m)
    if some.size and across:
        out[some] = cv2.morphologyEx(m[some], cv2.MORPH_OPEN, kernel)
    elif some.size:
        out[:, some] = cv2.morphologyEx(m[:, some], cv2.MORPH_OPEN, kernel)
    return out


def remove_lines(mask: np.ndarray, long_h: int, long_v: int | None, debris: bool = True,
                 contrast: np.ndarray | None = None,
                 faint: tuple[np.ndarray, np.ndarray] | None = None, height: float | None = None) -> np.ndarray:
    """Ruling, squares, boxes and form borders out, handwriting that crosses them kept.

    Lines are runs of ink longer than `long_h` (`long_v` for vertical ones; None: none looked for),
    found by morphological opening with a long kernel: far longer than any stroke of a character. So are
    an upright line that leans a pixel or two over that length (UPRIGHT_SLACK) and, given the contrast, a
    thin line that binarised in dashes (`dashed_lines`). Where a line is removed, the gap is bridged
    again wherever ink lies on both sides of it (above and below a horizontal line), so a digit written
    across a line stays in one piece. Given the ink's `contrast`, a line's pixels clearly darker than
    the line itself are handwriting over it and stay too: a 4's bar or a 9's loop drawn along a pale
    grid line. Given the characters' `height` too, a stroke written along a line (`strokes_along_lines`) stays.
    `debris`: also drop the bits left wholly beside a removed line. `faint`: `faint_runs` of the contrast, where the
    caller has them already.
    """
    m = mask.astype(np.uint8)
    horizontal = runs_along(m, long_h, across=True)
    vertical = np.zeros_like(m)
    if long_v is not None:
        vertical = runs_along(cv2.dilate(m, UPRIGHT_SLACK), long_v, across=False) & m
    if contrast is not None:
        across, down = faint if faint is not None else faint_runs(contrast, long_h, long_v)
        horizontal |= dashed_lines(across, m, across=True)
        vertical |= dashed_lines(down, m, across=False)
    if not (horizontal & m).any() and not (vertical & m).any():
        return mask
    over = None if contrast is None else ink_over_lines(horizontal, vertical, contrast, m)
    # a line's anti-aliased fringe is not handwriting either
    fringe = np.ones((3, 3), np.uint8)
    horizontal = cv2.dilate(horizontal, fringe) & m
    vertical = cv2.dilate(vertical, fringe) & m
    if over is not None:
        horizontal &= ~over
        vertical &= ~over
    if contrast is not None and height is not None:
        horizontal &= ~strokes_along_lines(horizontal, m & ~(horizontal | vertical) & 1, contrast, height)
    rest = m & ~(horizontal | vertical) & 1
    restored = np.zeros_like(m)
    for lines, axis in ((horizontal, 0), (vertical, 1)):
        if not lines.any():
            continue
        span = int(np.ceil(run_thickness(lines, axis))) + 3
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, span) if axis == 0 else (span, 1))
        restored |= lines & cv2.morphologyEx(rest, cv2.MORPH_CLOSE, kernel)
    kept = rest | restored
    return (without_debris(kept, horizontal, vertical) if debris else kept).astype(bool)


def strokes_along_lines(lines: np.ndarray, writing: np.ndarray, contrast: np.ndarray, height: float) -> np.ndarray:
    """uint8: the pixels of the horizontal `lines` (uint8: a line's and its fringe's ink) where a stroke of the
    `writing` (uint8, the ink off the lines) runs along the line (FOOT_*): the stroke's, not the line's."""
    whole = np.zeros_like(lines)
    box = around(lines, 2)  # on most pages a rule or two, not the page
    if box is None:
        return whole
    out, lines, writing, contrast = whole[box], lines[box], writing[box], contrast[box]
    n, labels, stats = components_with_stats(np.ascontiguousarray(lines))
    shortest, longest, free = FOOT_LONG[0] * height, FOOT_LONG[1] * height, FOOT_FREE * height
    gap = np.ones(FOOT_GAP, np.uint8)
    for k in range(1, n):
        x, y, w, h = (int(v) for v in stats[k, :4])
        if w < shortest:
            continue
        line = slice(y, y + h), slice(x, x + w)
        own = (labels[line] == k).view(np.uint8)
        ink = (contrast[line] * own).sum(axis=0)
        more = ink > np.median(ink) + FOOT_INK
        if not more.any():
            continue
        touching = writing[max(0, y - 2) : y + h + 2, x : x + w].any(axis=0)
        near = cv2.dilate(touching.view(np.uint8)[None], gap[None]).ravel()
        for start, stop in runs_of(more):
            if not shortest <= stop - start <= longest or not near[start:stop].any():
                continue
            if max((b - a for a, b in runs_of(~touching[start:stop])), default=0) >= free:
                out[line][:, start:stop] |= own[:, start:stop]
    return whole


def runs_of(flags: np.ndarray) -> list[tuple[int, int]]:
    """The (start, stop) of each run of True in the 1-D bool `flags`."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], flags.view(np.int8), [0]])))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def faint_runs(contrast: np.ndarray, long_h: int, long_v: int | None) -> tuple[np.ndarray, np.ndarray]:
    """uint8 0/1: the faint ink (above LOW) in runs at least `long_h` long along the rows, and `long_v` along the
    columns (None: none): lines, and a faint grid's or ruling's too. Line removal and `faint_strokes` both use them."""
    weak = (contrast > LOW).view(np.uint8)
    down = np.zeros_like(weak) if long_v is None else runs_along(weak, long_v, across=False)
    return runs_along(weak, long_h, across=True), down


def dashed_lines(runs: np.ndarray, m: np.ndarray, across: bool) -> np.ndarray:
    """The rows (`across`) or columns of `runs` (uint8: long runs of faint ink, `faint_runs`) that the ink (`m`)
    covers for DASHED of their length at least: a thin line binarised in dashes, too short each to be taken for a
    line, but its own. A faint grid is in the ink only where a pen crosses it, and stays out."""
    axis = 1 if across else 0
    length = cv2.reduce(runs, axis, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel()
    covered = cv2.reduce(runs & m, axis, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel()
    keep = ((covered >= DASHED * length) & (length > 0)).astype(np.uint8)
    return runs * (keep[:, None] if across else keep[None, :])


def leaning_edge(own: np.ndarray, length: int, height: float, foot: bool) -> np.ndarray | None:
    """The pixels of a straight line along the foot (`foot`) or the top of a component (`own`, bool, its box), at
    least `length` columns long, or None. Per column, the ink's outermost pixel on that side; where those keep to one
    straight line (fitted, outliers dropped), the run of ink inward from it, as thick as the line's median at most
    (a stroke that meets the line keeps the rest of itself)."""
    has = own.any(axis=0)
    xs = np.flatnonzero(has)
    if xs.size < length:
        return None
    edge = (own.shape[0] - 1 - np.argmax(own[::-1], axis=0)) if foot else np.argmax(own, axis=0)
    ys = edge[xs].astype(np.float64)
    keep = np.ones(xs.size, bool)
    for limit in (4.0, 2.0, LEAN_FIT):  # trimmed least squares: the digits on the line drop out
        if keep.sum() < length:
            return None
        slope, offset = np.polyfit(xs[keep], ys[keep], 1)
        keep = np.abs(ys - (slope * xs + offset)) <= limit
    if abs(slope) > np.tan(np.radians(LEAN_MAX)):
        return None
    cols = xs[keep]
    if cols.size < length:
        return None
    # the longest stretch of such columns, gaps of 2 pixels bridged
    breaks = np.flatnonzero(np.diff(cols) > 3)
    starts, stops = np.r_[0, breaks + 1], np.r_[breaks, cols.size - 1]
    best = int(np.argmax(cols[stops] - cols[starts]))
    cols = cols[starts[best] : stops[best] + 1]
    if cols[-1] - cols[0] + 1 < length:
        return None
    inward = own[::-1] if foot else own
    start = (own.shape[0] - 1 - edge[cols]) if foot else edge[cols]
    runs = np.array([np.argmin(np.r_[inward[s:, c], False]) for s, c in zip(start, cols, strict=True)])
    thick = float(np.median(runs))
    if thick > max(2.0, LEAN_THIN * height):
        return None
    out = np.zeros_like(own)
    depth = np.minimum(runs, int(np.ceil(thick)) + 1)
    for c, s, d in zip(cols, start, depth, strict=True):
        out[s : s + d, c] = True
    return out[::-1] if foot else out


def without_leaning_lines(mask: np.ndarray, labels: np.ndarray, stats: np.ndarray, height: float, long_h: int,
                          long_v: int) -> np.ndarray | None:
    """The mask without the lines that lean a little (LEAN_*) along the edges of components as wide as a line is
    long (as tall, for upright lines), and without what they leave (`without_debris`): an underline a comma
    joined to its amount, a box around a number. None: no such line."""
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    lines = np.zeros((2, *mask.shape), np.uint8)  # horizontal, upright
    for k in np.flatnonzero((w >= long_h) | (h >= long_v)):
        if k == 0:
            continue
        x, y = int(stats[k, 0]), int(stats[k, 1])
        own = labels[y : y + h[k], x : x + w[k]] == k
        for upright, long in ((0, long_h), (1, long_v)):
            if (h[k] if upright else w[k]) < long:
                continue
            for foot in (True, False):
                line = leaning_edge(own.T if upright else own, long, height, foot)
                if line is not None:
                    lines[upright, y : y + h[k], x : x + w[k]] |= line.T if upright else line
    if not lines.any():
        return None
    kept = (mask & ~(lines[0] | lines[1]).astype(bool)).astype(np.uint8)
    kept = without_debris(kept, lines[0], lines[1])
    return without_box_sides(kept, lines[0]).astype(bool)


def without_box_sides(kept: np.ndarray, horizontal: np.ndarray) -> np.ndarray:
    """`kept` (uint8) without a box's sides too short to be lines themselves, left standing at the ends of its top
    or bottom (`horizontal`, uint8): thin straight uprights that meet such a line within a few pixels of its end. A 1
    that touches an underline stands along it, not at its end."""
    ends = np.zeros_like(kept)
    n, labels, stats = components_with_stats(horizontal)
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        for x0 in (x, max(x, x + w - 4)):
            ends[y : y + h, x0 : x0 + 4] |= (labels[y : y + h, x0 : x0 + 4] == i).astype(np.uint8)
    if not ends.any():
        return kept
    _, labels, stats = components_with_stats(kept)
    for k, top, bottom in upright_ends(labels, stats, cv2.dilate(ends, np.ones((5, 5), np.uint8))):
        if top or bottom:
            kept[labels == k] = 0
    return kept


def upright_ends(labels: np.ndarray, stats: np.ndarray, near: np.ndarray):
    """For each thin, solid, straight upright component (a box's side, a 1): its label, and whether its top and its
    bottom (two rows each) touch `near` (uint8)."""
    x, y, w, h = (stats[:, i] for i in range(4))
    for k in np.flatnonzero((w <= np.maximum(3, 0.2 * h)) & (h >= 10)):
        if k == 0:
            continue
        own = labels[y[k] : y[k] + h[k], x[k] : x[k] + w[k]] == k
        if own.sum() < 0.8 * h[k] * min(w[k], 2):
            continue
        at = near[y[k] : y[k] + h[k], x[k] : x[k] + w[k]]
        yield int(k), bool(at[:2][own[:2]].any()), bool(at[-2:][own[-2:]].any())


def ink_over_lines(horizontal: np.ndarray, vertical: np.ndarray, contrast: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """uint8 mask of the pixels on or beside the lines (`horizontal`, `vertical`, uint8) that are clearly darker than
    their line, so a pale grid gives way to the pen over it and a black table border (as dark as the ink) to nothing.
    A line's level is the lower of two 90th percentiles of contrast: its connected run's (a thin line reduced to work
    resolution is half-toned across its width; a pen's stroke lying along a grid's line, gathered into its column, is
    a small share of the grid) and its row's or column's (`line_levels`) of the pixels no ink off the lines (`mask`,
    uint8) stands on (the writing and print standing on a register's rule, a fifth of it and more, and a dark margin
    the rule runs into raise the run's). Worked out within the lines' box and LINE_AROUND pixels (its fringe, and the
    writing standing on its edges): on most pages a rule or two, not the page."""
    out = np.zeros(horizontal.shape, np.uint8)
    box = around(horizontal | vertical, LINE_AROUND)
    if box is None:
        return out
    horizontal, vertical, contrast, mask = horizontal[box], vertical[box], contrast[box], mask[box]
    lines = horizontal | vertical
    n, labels = cv2.connectedComponents(lines, connectivity=8)
    on = labels > 0
    values, owners = contrast[on], labels[on]
    order = np.lexsort((values, owners))
    counts = np.bincount(owners, minlength=n)
    starts = np.cumsum(counts) - counts
    level = np.zeros(n, np.float32)  # the background's: 0, off every line
    level[1:] = values[order][starts[1:] + (counts[1:] * 9) // 10]
    own = line_levels(horizontal, vertical, contrast, bare_of_ink(horizontal, vertical, mask), clear=OVER_LINE)
    near = cv2.dilate(np.minimum(np.take(level, labels), own), np.ones((3, 3), np.uint8))  # the fringe: its line's
    out[box] = (near > 0) & (contrast > near + OVER_LINE) & (contrast > HIGH)
    return out


def bare_of_ink(horizontal: np.ndarray, vertical: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """uint8: of the lines along the rows (`horizontal`) and the columns (`vertical`), the pixels that no ink off the
    lines (`mask`, uint8) stands on, crosses or runs beside: within the line's thickness and two pixels, across it, of
    such ink, and two pixels along it."""
    # (OpenCV's bitwise operations on 0/1 images: a page's are a few times faster than NumPy's)
    off = cv2.bitwise_and(mask, cv2.bitwise_not(cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3),
                                                                                                        np.uint8))))
    bare = []
    for lines, axis in ((horizontal, 0), (vertical, 1)):
        if not cv2.countNonZero(lines):
            bare.append(lines)
            continue
        span = 2 * (int(np.ceil(run_thickness(lines, axis))) + 2) + 1
        reach = cv2.getStructuringElement(cv2.MORPH_RECT, (5, span) if axis == 0 else (span, 5))
        bare.append(cv2.bitwise_and(lines, cv2.bitwise_not(cv2.dilate(off, reach))))
    return bare[0], bare[1]


def around(mask: np.ndarray, margin: int) -> tuple[slice, slice] | None:
    """The rows and columns of the box of `mask`'s set pixels (uint8), `margin` pixels wider each way within the
    image; None if none is set."""
    x, y, w, h = cv2.boundingRect(mask)
    if w == 0:
        return None
    return (slice(max(0, y - margin), min(mask.shape[0], y + h + margin)),
            slice(max(0, x - margin), min(mask.shape[1], x + w + margin)))


def points_on_rules(labels: np.ndarray, stats: np.ndarray, vertical: np.ndarray, among: np.ndarray) -> np.ndarray:
    """[N] bool: which of the components `among` (`labels`, `stats`; what a line left, or specks on faint lines) are
    blobs a point leaves on a rule (DOT_*), not by an upright line (`vertical`, uint8). The uprights are looked at
    only where there is such a blob: most pages have none."""
    w, h, area = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_AREA]
    point = among & (area >= DOT_AREA) & (w <= DOT_WIDE * h + DOT_SLACK)
    point[0] = False
    if point.any():
        reach = 2 * DOT_CLEAR + 1
        point[labels[(labels > 0) & (cv2.dilate(vertical, np.ones((reach, reach), np.uint8)) > 0)]] = False
    return point


def without_debris(kept: np.ndarray, horizontal: np.ndarray, vertical: np.ndarray) -> np.ndarray:
    """What line removal kept (uint8), without what the lines left: bits wholly within a couple of pixels of a
    removed line (a grid's crossings, a line's ragged edge), which would pass for dots and commas (but not the points
    written on a rule, `points_on_rules`), and the sides of a box too short to be lines themselves: straight thin
    uprights whose both ends meet a removed horizontal line (a 1 written in a box seldom touches both its top and its
    bottom).

    Worked out within the lines' box and 4 pixels around it (on most pages a rule or two, not the page): debris lies
    within 2 pixels of a line, and what reaches that box's edge runs on past it."""
    lines = horizontal | vertical
    box = around(lines, 4)
    if box is None:
        return kept
    whole = kept
    kept, horizontal, vertical, lines = kept[box], horizontal[box], vertical[box], lines[box]
    n, labels, stats = components_with_stats(np.ascontiguousarray(kept))
    if n <= 1:
        return whole
    near = cv2.dilate(lines, np.ones((5, 5), np.uint8))
    drop = np.ones(n, bool)
    drop[0] = False
    drop[labels[(kept > near)]] = False  # a pixel away from the lines: no debris
    points = points_on_rules(labels, stats, vertical, drop)
    drop &= ~points
    by_rule = cv2.dilate(horizontal, np.ones((5, 5), np.uint8))
    for k, top, bottom in upright_ends(labels, stats, by_rule):
        if top and bottom:
            drop[k] = True
    x, y, w, h = (stats[:, i] for i in range(4))
    # what reaches the box's edge (not the page's) runs on past it: never debris, no short upright
    rows, cols = box
    drop &= ~(((x == 0) & (cols.start > 0)) | ((y == 0) & (rows.start > 0))
              | ((x + w == kept.shape[1]) & (cols.stop < whole.shape[1]))
              | ((y + h == kept.shape[0]) & (rows.stop < whole.shape[0])))
    given = points_given_back(labels, stats, points, horizontal) if points.any() else None
    if drop.any() or given is not None:
        whole = whole.copy()
        whole[box][drop[labels]] = 0
        if given is not None:
            whole[box] |= given
    return whole


def points_given_back(labels: np.ndarray, stats: np.ndarray, points: np.ndarray, horizontal: np.ndarray) -> np.ndarray:
    """uint8: the pixels of the rules (`horizontal`) that took what of the `points` (bool per label) lay on them,
    given back: under (or over) each point left flat, in its columns, until it is as tall as it is wide (see
    DOT_APART). A flat point is read as a speck, not as a decimal point."""
    out = np.zeros_like(horizontal)
    rows = horizontal.shape[0]
    for k in np.flatnonzero(points):
        x, y, w, h = (int(v) for v in stats[k, :4])
        if h >= w:
            continue
        near = labels[max(0, y - DOT_APART) : y + h + DOT_APART, max(0, x - DOT_APART) : x + w + DOT_APART]
        if ((near != k) & (near != 0)).any():
            continue
        own = labels[y : y + h, x : x + w] == k
        for step, edge, cols in ((1, y + h, own[-1]), (-1, y - 1, own[0])):
            r, added = edge, 0
            while 0 <= r < rows and added < w - h and horizontal[r, x : x + w][cols].any():
                out[r, x : x + w] |= horizontal[r, x : x + w] * cols.astype(np.uint8)
                r, added = r + step, added + 1
            if added:
                break
    return out


def dark_rules(across: np.ndarray, contrast: np.ndarray) -> np.ndarray:
    """uint8 0/1: the rows of `across` (runs of faint ink along the rows, `faint_runs`) that are clear ink for
    DARK_RULE of their length at least: rules drawn as dark as a pen, not a faint grid whose crossings reach the ink."""
    length = cv2.reduce(across, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel()
    dark = cv2.reduce(across & (contrast > HIGH), 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel()
    return across * ((dark >= DARK_RULE * length) & (length > 0)).astype(np.uint8)[:, None]


def faint_strokes(mask: np.ndarray, contrast: np.ndarray, height: float, long_h: int, long_v: int,
                  faint: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """The ink grown along its fainter continuation (above LOW), REACH_STEPS pixels at most: a thin stroke that
    fades in the middle (a 9's stem) stays joined. On quiet paper, on along hairlines (HAIR_*). Not along faint
    lines (longer than `long_h` or `long_v`; `faint`: their `faint_runs`, where the caller has them): light ruling or
    a grid touching a digit stays out, and so do the specks wholly on faint lines (their darker stretches and
    crossings), but not a point written on a dark rule (`points_on_rules`)."""
    weak = (contrast > LOW).astype(np.uint8)
    across, down = faint if faint is not None else faint_runs(contrast, long_h, long_v)
    lines = across | down
    off_lines = 1 - cv2.dilate(lines, np.ones((3, 3), np.uint8))
    weak &= off_lines
    labels, stats = components(mask)
    # The darker crossings and stretches of a faint grid, too faint itself to be ink, are specks wholly on its lines:
    # not ink. But a pen's dot on one line, away from the crossings, is clearly darker than the lines.
    zone = cv2.dilate(lines, np.ones((5, 5), np.uint8))
    on_lines = np.ones(len(stats), bool)
    on_lines[0] = False
    on_lines[labels[mask & (zone == 0)]] = False
    points = points_on_rules(labels, stats, down, on_lines) if across.any() else None
    if points is not None and points.any():  # a point written on a dark rule is no speck of a faint one
        by_rule = np.zeros(len(stats), bool)
        by_rule[labels[mask & (cv2.dilate(dark_rules(across, contrast), np.ones((5, 5), np.uint8)) > 0)]] = True
        on_lines &= ~(by_rule & points)
    if lines.any() and on_lines.any():  # the levels only tell which specks on the lines are ink
        crossings = cv2.dilate(across, np.ones((5, 5), np.uint8)) & cv2.dilate(down, np.ones((5, 5), np.uint8))
        bare = bare_of_ink(across, down, mask.astype(np.uint8))
        level = cv2.dilate(line_levels(across, down, contrast, bare, clear=OVER_FAINT), np.ones((5, 5), np.uint8))
        on_lines[labels[mask & (crossings == 0) & (contrast > level + OVER_FAINT)]] = False
    big = np.zeros(len(stats), np.uint8)
    big[1:] = stats[1:, cv2.CC_STAT_HEIGHT] >= SEED * height  # specks do not grow
    big[on_lines] = 0
    ink = big[labels]
    for _ in range(REACH_STEPS):
        ink = cv2.dilate(ink, np.ones((3, 3), np.uint8)) & weak
    if quiet_paper(contrast, mask):
        ink = along_hairlines(mask, labels, ink, (hairlines(contrast) & off_lines) | weak)
    grown = mask | ink.astype(bool)
    if on_lines.any():
        grown &= ~on_lines[labels]
    return grown


def line_levels(across: np.ndarray, down: np.ndarray, contrast: np.ndarray,
                own: tuple[np.ndarray, np.ndarray] | None = None, clear: float | None = None) -> np.ndarray:
    """float32: on the pixels of lines along the rows (`across`, uint8) and the columns (`down`), the 90th percentile
    of contrast of their row's (column's) line pixels, the greater where they cross; 0 elsewhere. Each line by its own
    level: a grey rule's point stands out of the rule, not out of a dark margin's or a black rule's level elsewhere on
    the page. `own`: of each's pixels, those the level is taken from where a row (column) has any (not those under
    the writing that stands on a rule or runs along it, `bare_of_ink`); `clear`: taken again without the pixels
    standing that much over it (the points written on the rule)."""
    out = np.zeros(contrast.shape, np.float32)
    for k, (lines, axis) in enumerate(((across, 1), (down, 0))):
        some = np.flatnonzero(lines.any(axis=axis))
        if not some.size:
            continue
        lines, values = lines.take(some, axis=1 - axis) > 0, contrast.take(some, axis=1 - axis)
        sample = lines if own is None else either(own[k].take(some, axis=1 - axis) & lines, lines, axis)
        level = percentile_along(sample, values, axis)
        if clear is not None:
            level = percentile_along(either(sample & (values <= level + clear), sample, axis), values, axis)
        if axis == 1:
            out[some] = np.maximum(out[some], level * lines)
        else:
            out[:, some] = np.maximum(out[:, some], level * lines)
    return out


def either(chosen: np.ndarray, rest: np.ndarray, axis: int) -> np.ndarray:
    """bool: `chosen`'s pixels in the rows (axis 1) or columns (axis 0) that hold any, `rest`'s in the others."""
    return np.where(chosen.any(axis=axis, keepdims=True), chosen, rest)


def percentile_along(sample: np.ndarray, values: np.ndarray, axis: int) -> np.ndarray:
    """float32, kept dims: each row's (axis 1) or column's (axis 0) 90th percentile of `values` where `sample`."""
    counts = sample.sum(axis=axis, dtype=np.intp, keepdims=True)
    ranked = np.sort(np.where(sample, values, -1.0), axis=axis)
    return np.take_along_axis(ranked, ranked.shape[axis] - counts + (counts * 9) // 10, axis=axis).astype(np.float32)


def quiet_paper(contrast: np.ndarray, mask: np.ndarray) -> bool:
    """Whether the paper away from the ink is clear (no pattern, grid, ruling or heavy noise): more than a few pixels
    from any ink, sampled every 4th pixel on a page; every pixel in a strip, where a faint grid's few lines a pixel
    thick could all fall between the samples (and the hairlines grew the digits along them)."""
    step = 1 if contrast.shape[0] <= STRIP else 4
    away = cv2.dilate(mask.astype(np.uint8), np.ones((9, 9), np.uint8))[::step, ::step] == 0
    paper = contrast[::step, ::step][away]
    return paper.size == 0 or float(np.percentile(paper, 99)) < QUIET


# the two neighbours across a line: left and right, above and below, and the two diagonals' (the centre is not one)
ACROSS = tuple(np.array(k, np.uint8) for k in ([[1, 0, 1]], [[1], [0], [1]], [[1, 0, 0], [0, 0, 0], [0, 0, 1]],
                                               [[0, 0, 1], [0, 0, 0], [1, 0, 0]]))


def hairlines(contrast: np.ndarray) -> np.ndarray:
    """uint8 0/1: the pixels above HAIR_LOW and HAIR_MARGIN clearer than both their neighbours across, in one of
    four directions: the middle of a line about a pixel wide (a blurred stroke's edge falls away on one side only)."""
    level = cv2.convertScaleAbs(contrast, alpha=255.0)  # uint8: four times faster to dilate
    across = [cv2.dilate(level, k, borderType=cv2.BORDER_CONSTANT, borderValue=0) for k in ACROSS]
    lowest = cv2.min(cv2.min(across[0], across[1]), cv2.min(across[2], across[3]))  # the direction most across
    ridge = cv2.compare(level, cv2.add(lowest, round(255 * HAIR_MARGIN)), cv2.CMP_GE)  # (add saturates at 255)
    clear = cv2.compare(level, round(255 * HAIR_LOW), cv2.CMP_GT)
    return cv2.bitwise_and(ridge, clear) & 1


def along_hairlines(mask: np.ndarray, labels: np.ndarray, ink: np.ndarray, path: np.ndarray) -> np.ndarray:
    """`ink` (uint8, the strokes grown so far) grown HAIR_STEPS pixels further along `path`, but not where that
    joins components of `mask` (`labels`) that were apart (a dash or a dot to the digit beside it): there it stays
    as it was."""
    grown = ink
    for _ in range(HAIR_STEPS):
        grown = cv2.dilate(grown, np.ones((3, 3), np.uint8)) & path
    count, after = cv2.connectedComponents(cv2.bitwise_or(mask.astype(np.uint8), grown), connectivity=8)
    home = np.zeros(int(labels.max()) + 1, np.int32)
    home[labels[mask]] = after[mask]  # each component of the mask lies in one grown component
    joins = np.bincount(home[1:], minlength=count) >= 2
    joins[0] = False
    if not joins.any():
        return grown
    added = cv2.findNonZero(cv2.subtract(grown, ink))  # what the hairlines added, as (x, y); None if nothing
    if added is None:
        return grown
    xs, ys = added.reshape(-1, 2).T
    undo = joins[after[ys, xs]]
    grown[ys[undo], xs[undo]] = 0
    return grown
