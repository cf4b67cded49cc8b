"""Find the characters on a cleaned page: connected components, noise dropped, broken strokes joined.

Each `Glyph` is one or more components that belong to one character (or to several touching
ones; recognise.py splits those). Small flat or dot-like marks are kept apart as "mark" glyphs:
they may be separators (. , -) that separators.py names by their place in the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from digitocr.reading.clean import Cleaned

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive), work pixels
REMNANT = 1.4  # a thin component taller than this many character heights is a line's remnant, not a 1, unless writing
# of its height stands beside it (`written_beside`); so are thin pieces one above the other that together are
# (`stacked_pieces`)
REMNANT_STROKE = 0.15  # ... and a stroke no wider on average than this many heights: a bold pen's 1 is wider
MIN_CHAR = 8  # pixels: a glyph shorter than this is a mark
MARK = 0.45  # ... and so is one shorter than this many character heights
SPECK_AREA, SPECK_SIDE = 0.004, 0.2  # a component of less area than this many heights squared and narrow is a speck
POINT_AREA = 0.005  # ... but a point where it has this many of its own digits' heights squared (set on seeds 1-2)
ALONG_EDGE = 0.7  # a component with this share of its side on the page's edge lies along it (a margin's sliver)
BLOT_WIDE = 0.35  # a dense component bigger than a character is a blot, not a stroke, when this many heights wide
# Two pieces of like height (the shorter at least STACKED_LIKE of the taller, and STACKED_TALL character heights) one
# above the other, further apart than STACKED_GAP of the shorter, are characters of two lines, not one character's
# pieces: small writing in lines close together, where the page's typical writing is bigger (a 5's floating bar is
# flat, the dots of a colon small; a 3 or an 8 broken at its waist is not that far apart). At half the shorter, rows
# written a third of their height apart were joined into one glyph and lost (seed 1 +12, seed 2 as before; the same
# from 0.05 to 0.25, 0.35 +10); an 8's loops a fifth of their height apart still join.
STACKED_LIKE = 0.5
STACKED_TALL = 0.5
STACKED_GAP = 0.25
# Thin upright pieces (narrower than STACK_THIN of their height) at most STACK_GAP character heights one above the
# other are one line's pieces (`stacked_pieces`)
STACK_THIN, STACK_GAP = 0.25, 0.35
POINT_SIDE = 0.2  # a point's width and height at most, of the page's character height (`point_above`)


@dataclass
class Glyph:
    labels: list[int]  # component labels in Found.labels
    box: Box
    area: int
    kind: str  # "char" (digit-sized) or "mark" (small: maybe . , -)
    slant: float = 0.0  # angle of the main axis from vertical, degrees, positive leaning right (like /)
    elongation: float = 0.0  # minor / major axis ratio: near 0 for a straight stroke
    stroke: float = 0.0  # a char's stroke width in pixels, about; 0 for a mark
    tallest_piece: int = 0  # the height of its tallest component (its own height when it is one)
    colour: np.ndarray | None = None  # its ink summed per colour channel (`Cleaned.colours`); None on a grey page

    @property
    def width(self) -> int:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


@dataclass
class Found:
    labels: np.ndarray  # int32 component labels at work resolution
    glyphs: list[Glyph] = field(default_factory=list)
    char_height: float = 0.0


def speck(w, h, area, height: float):
    """Tiny next to characters `height` tall (numbers, or arrays of them)."""
    return (area < max(3.0, SPECK_AREA * height * height)) & (np.maximum(w, h) < SPECK_SIDE * height)


def keep_component(x: int, y: int, w: int, h: int, area: int, height: float, shape: tuple[int, int],
                   along_edge: float = 0.0) -> bool:
    """Drop specks (tiny next to the characters), and stamps, blots and dark scan margins (too big or dense, or lying
    along the page's edge: `along_edge` is the share of its side it has on an edge of the page)."""
    if speck(w, h, area, height):
        return False
    if h > 4.0 * height or w > 12.0 * height:
        return False
    touches = x == 0 or y == 0 or x + w >= shape[1] or y + h >= shape[0]
    # at an edge, what is big and dense or lies along it as a band is a scanner's margin; a crop cut tight around its
    # number cuts its digits (or a run of them) too, but they touch its edge at a point or two, or with the side of a
    # digit as wide as it is tall (a 4's stem, a 7's bar)
    # (a bold capital cut by the crop's edge is as dense, but meets the edge with its stems, not all along its side)
    margin = area > 0.75 * w * h or (along_edge >= ALONG_EDGE and min(w, h) < 0.5 * max(w, h))
    if touches and (h > 1.5 * height or (margin and (w > 3 * height
                                                     or (area > 0.3 * height * height and along_edge >= ALONG_EDGE)))):
        return False
    # a margin's band beside a crop no taller than a digit: solid, along the edge for a digit's height or more, and
    # wider than a pen's stroke (0.1 to 0.15 of the height: a 1 the cut ran along); a dot or a dash at the edge is short
    if along_edge >= 0.9 and area > 0.9 * w * h and min(w, h) >= 0.18 * height and max(w, h) >= 0.8 * height:
        return False
    # a blot is dense and big both ways; a thick pen's 1 is dense too, but a stroke wide
    return not (area > 0.75 * w * h and max(w, h) > 1.2 * height and min(w, h) > BLOT_WIDE * height)


def local_points(stats: np.ndarray, ids: list[int], height: float, shape: tuple[int, int],
                 along: np.ndarray) -> list[int]:
    """The specks by the page's height that are points by the height of the digits they stand by: a line written
    smaller than the page's typical writing lost its points (85.07 read 8507). A speck's digits: at least two kept
    components of a character's size (MARK of the page's height or taller) within a page height of it along the line,
    whose rows reach down to it (or a little below); by their median height it has POINT_AREA, a little more than a
    speck by the page's (a pen's specks beside a number of big digits stay specks: 143900 read 143.900)."""
    kept = stats[ids]
    chars = kept[kept[:, 3] >= max(MIN_CHAR, MARK * height)].astype(np.float64)
    w, h, area = (stats[1:, k].astype(np.float64) for k in (2, 3, 4))
    tried = np.flatnonzero((area >= 3) & speck(w, h, area, height)) + 1
    if len(chars) < 2 or not len(tried):
        return []
    found = []
    for block in np.array_split(tried, -(-len(tried) // 256)):  # each block of specks against all characters
        bx, by, bw, bh = (stats[block, k][:, None].astype(np.float64) for k in range(4))
        cy = by + bh / 2
        gap = np.maximum(chars[None, :, 0] - (bx + bw), bx - (chars[None, :, 0] + chars[None, :, 2]))
        near = (gap <= height) & (chars[None, :, 1] <= cy) & (cy <= chars[None, :, 1] + 1.3 * chars[None, :, 3])
        for r in np.flatnonzero(near.sum(axis=1) >= 2):
            i = int(block[r])
            local = float(np.median(chars[near[r], 3]))
            if local < height and stats[i, 4] >= POINT_AREA * local * local and keep_component(
                    *map(int, stats[i]), local, shape, float(along[i])):
                found.append(i)
    return found


def pattern_specks(cleaned: Cleaned, ids: list[int], height: float) -> set[int]:
    """Of the components `ids`, those no bigger than a point (POINT_SIDE of the page's character `height`) whose darkest
    pixel is under `cleaned.pattern_specks`: what a patterned paper's lines left where they run together."""
    out = set()
    for i in ids:
        x, y, w, h = (int(v) for v in cleaned.stats[i, :4])
        if max(w, h) <= POINT_SIDE * height:
            own = cleaned.labels[y : y + h, x : x + w] == i
            if float(cleaned.ink[y : y + h, x : x + w][own].max()) < cleaned.pattern_specks:
                out.add(i)
    return out


def remnant(w: int, h: int, height: float, area: int | None = None) -> bool:
    """What may be left of a tilted box's side: taller and thinner than a 1 of the page's typical height, and, given
    its `area`, a stroke no wider than REMNANT_STROKE of that height (a line's width; a bold pen's 1 is wider)."""
    return h > REMNANT * height and w < 0.2 * h and (area is None or area < REMNANT_STROKE * height * h)


def written_beside(i: int | tuple[int, int, int, int], stats: np.ndarray, kept: list[int]) -> bool:
    """Whether a thin component (`remnant`; or pieces of one, given as their box x, y, w, h) stands beside a kept one
    of its height that is no stroke as thin: a tall 1 in handwriting bigger than the page's print (a form filled in),
    not the side of a box."""
    x, y, w, h = (int(v) for v in (stats[i, :4] if isinstance(i, int | np.integer) else i))
    xj, yj, wj, hj = (stats[kept, k] for k in range(4))
    overlap = np.minimum(y + h, yj + hj) - np.maximum(y, yj)
    gap = np.maximum(xj - (x + w), x - (xj + wj))
    return bool(np.any((0.7 * h <= hj) & (hj <= 1.3 * h) & (wj >= 0.2 * hj) & (overlap >= 0.6 * np.minimum(h, hj))
                       & (gap <= 0.6 * h)))


def stacked_pieces(stats: np.ndarray, ids: list[int], height: float) -> list[tuple[list[int], tuple[int, ...]]]:
    """Thin upright pieces of `ids` one above the other (overlapping across by half the narrower, at most STACK_GAP
    character heights apart), two or more, that together are a line's remnant (`remnant`): a box's side that a
    pattern or its paleness broke in dashes, each piece the height of a 1. Each group: (its ids, its box x, y, w, h)."""
    own = np.asarray(ids, np.int64)
    w, h = stats[own, 2], stats[own, 3]
    thin = sorted(own[(h >= MIN_CHAR) & (w < STACK_THIN * h)].tolist(), key=lambda i: int(stats[i, 1]))
    groups: list[list[int]] = []
    for i in thin:
        x, y, w, _ = (int(v) for v in stats[i, :4])
        for g in groups:
            j = g[-1]
            xj, yj, wj, hj = (int(v) for v in stats[j, :4])
            if min(x + w, xj + wj) - max(x, xj) >= 0.5 * min(w, wj) and y - (yj + hj) <= STACK_GAP * height:
                g.append(i)
                break
        else:
            groups.append([i])
    out = []
    for g in groups:
        x0, y0 = int(stats[g, 0].min()), int(stats[g, 1].min())
        x1, y1 = int((stats[g, 0] + stats[g, 2]).max()), int((stats[g, 1] + stats[g, 3]).max())
        if len(g) >= 2 and remnant(x1 - x0, y1 - y0, height):
            out.append((g, (x0, y0, x1 - x0, y1 - y0)))
    return out


def along_edges(labels: np.ndarray, stats: np.ndarray) -> np.ndarray:
    """Per component label: the largest share of its side (its height for the left and right edges, its width for the
    top and bottom ones) that lies on an edge of the page."""
    n = len(stats)
    w, h = np.maximum(stats[:, cv2.CC_STAT_WIDTH], 1), np.maximum(stats[:, cv2.CC_STAT_HEIGHT], 1)
    rows = np.maximum(np.bincount(labels[0], minlength=n), np.bincount(labels[-1], minlength=n)) / w
    cols = np.maximum(np.bincount(labels[:, 0], minlength=n), np.bincount(labels[:, -1], minlength=n)) / h
    return np.maximum(rows, cols)


def join_broken(boxes: np.ndarray, height: float) -> list[list[int]]:
    """Groups of indices into `boxes` ([N, 4] x0 y0 x1 y1) that are pieces of one character.

    Two pieces join when their horizontal extents overlap by at least half of the narrower one and
    the vertical gap between them is small: a 5 whose top bar floats free, a 4 in two strokes.
    The joined box may not grow much taller than a character, and two pieces of like height well apart do
    not join (STACKED_*), so stacked lines stay apart; nor does a point on its line's baseline join the next line's
    character under it (`point_above`).
    """
    n = len(boxes)
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    top, bottom = boxes[:, 1].copy(), boxes[:, 3].copy()  # each group's extent, kept at its root
    order = np.argsort(boxes[:, 0], kind="stable")
    sb = boxes[order]
    for k in range(n):
        x0, y0, x1, y1 = sb[k]
        stop = int(np.searchsorted(sb[:, 0], x1, side="left"))
        if stop <= k + 1:
            continue
        other = sb[k + 1 : stop]
        overlap = np.minimum(x1, other[:, 2]) - np.maximum(x0, other[:, 0])
        narrower = np.minimum(x1 - x0, other[:, 2] - other[:, 0])
        gap = np.maximum(other[:, 1] - y1, y0 - other[:, 3])
        shorter = np.minimum(y1 - y0, other[:, 3] - other[:, 1])
        taller = np.maximum(y1 - y0, other[:, 3] - other[:, 1])
        stacked = ((shorter >= STACKED_LIKE * taller) & (shorter >= STACKED_TALL * height)
                   & (gap > STACKED_GAP * shorter))
        for j in np.flatnonzero((overlap >= 0.5 * narrower) & (gap <= 0.35 * height) & ~stacked):
            ri, rj = root(int(order[k])), root(int(order[k + 1 + j]))
            if ri == rj:
                continue
            if point_above(sb[k], other[j], boxes, height):
                continue
            # the joined group must still look like one character
            t, b = min(top[ri], top[rj]), max(bottom[ri], bottom[rj])
            if b - t > 1.5 * height:
                continue
            parent[rj] = ri
            top[ri], bottom[ri] = t, b
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def point_above(a: np.ndarray, b: np.ndarray, boxes: np.ndarray, height: float) -> bool:
    """Whether of two pieces `a` and `b` (x0 y0 x1 y1) one is a point (POINT_SIDE of the page's character `height`
    at most) above the other, a character's piece (half a height or more), further from it than its own size, and on
    the baseline of characters (half a height or more) left and right of it within a height: a decimal point, and the
    piece below it the next line's (13.97 read 1397, its point joined to a digit written close under it). A broken
    digit's piece stands above its body too, but not on the baseline of the digits beside it."""
    small, big = (a, b) if max(a[2] - a[0], a[3] - a[1]) <= max(b[2] - b[0], b[3] - b[1]) else (b, a)
    side = max(small[2] - small[0], small[3] - small[1])
    if (side > POINT_SIDE * height or big[3] - big[1] < 0.5 * height or small[3] > big[1]
            or big[1] - small[3] <= side):
        return False
    tall = boxes[:, 3] - boxes[:, 1] >= 0.5 * height
    level = np.abs(boxes[:, 3] - small[3]) <= 0.15 * height
    left = (boxes[:, 2] <= small[0]) & (small[0] - boxes[:, 2] <= height)
    right = (boxes[:, 0] >= small[2]) & (boxes[:, 0] - small[2] <= height)
    return bool((tall & level & left).any() and (tall & level & right).any())


def shape_features(mask: np.ndarray) -> tuple[float, float]:
    """A glyph's own pixels -> (slant of its main axis from vertical in degrees, positive leaning right
    like /; elongation: minor over major axis, near 0 for a straight stroke)."""
    mo = cv2.moments(mask.astype(np.uint8), binaryImage=True)
    if mo["m00"] == 0:
        return 0.0, 1.0
    mu20, mu02, mu11 = mo["mu20"] / mo["m00"], mo["mu02"] / mo["m00"], mo["mu11"] / mo["m00"]
    common = np.sqrt(max(0.0, ((mu20 - mu02) / 2) ** 2 + mu11**2))
    major, minor = (mu20 + mu02) / 2 + common, (mu20 + mu02) / 2 - common
    elongation = float(np.sqrt(max(minor, 0.0) / max(major, 1e-9)))
    theta = 0.5 * np.degrees(np.arctan2(2 * mu11, mu20 - mu02))  # main axis from the x axis, y pointing down
    slant = float(theta - 90.0 if theta > 0 else 90.0 + theta)
    return slant, elongation


def edge_pixels(labels: np.ndarray, mask: np.ndarray, count: int) -> np.ndarray:
    """Per component label (0..count-1): how many of its pixels touch the paper (one of their 8 neighbours)."""
    inner = cv2.erode(mask.astype(np.uint8), np.ones((3, 3), np.uint8), borderType=cv2.BORDER_CONSTANT, borderValue=0)
    return np.bincount(labels[mask & (inner == 0)], minlength=count)


def own_mask(labels: np.ndarray, glyph: Glyph) -> np.ndarray:
    """The glyph's own pixels within its box (not neighbours' strokes reaching into it)."""
    x0, y0, x1, y1 = glyph.box
    lab = labels[y0:y1, x0:x1]
    if len(glyph.labels) == 1:
        return lab == glyph.labels[0]
    return np.isin(lab, glyph.labels)


def find_glyphs(cleaned: Cleaned) -> Found:
    """Cleaned page -> its glyphs (characters and small marks), noise left out."""
    labels, stats = cleaned.labels, cleaned.stats
    height = cleaned.char_height
    if height is None or len(stats) <= 1:
        return Found(labels=labels)
    shape = cleaned.mask.shape
    along = along_edges(labels, stats)
    ids = [i for i in range(1, len(stats)) if keep_component(*map(int, stats[i]), height, shape, float(along[i]))]
    ids = sorted(ids + local_points(stats, ids, height, shape, along))
    if cleaned.pattern_specks:
        specks = pattern_specks(cleaned, ids, height)
        ids = [i for i in ids if i not in specks]
    thin = [i for i in ids if remnant(int(stats[i, 2]), int(stats[i, 3]), height, int(stats[i, 4]))]
    if thin:
        others = sorted(set(ids) - set(thin))
        dropped = {i for i in thin if not written_beside(i, stats, others)}
        ids = [i for i in ids if i not in dropped]
    for group, box in stacked_pieces(stats, ids, height):  # a box's side in dashes, each the height of a 1
        if not written_beside(box, stats, sorted(set(ids) - set(group))):
            ids = [i for i in ids if i not in group]
    if not ids:
        return Found(labels=labels, char_height=height)
    st = stats[ids]
    boxes = np.stack([st[:, 0], st[:, 1], st[:, 0] + st[:, 2], st[:, 1] + st[:, 3]], axis=1).astype(np.int64)
    edge = edge_pixels(labels, cleaned.mask, len(stats))
    glyphs = []
    for group in join_broken(boxes, height):
        box = boxes[group]
        x0, y0, x1, y1 = (int(box[:, 0].min()), int(box[:, 1].min()), int(box[:, 2].max()), int(box[:, 3].max()))
        area = int(st[group, 4].sum())
        # small or flat: a dot, comma or dash (those nearly as tall as a digit are classified too: the page's
        # height is its typical writing's, and assemble.py takes them as digits beside digits of their size)
        kind = "mark" if y1 - y0 < max(MIN_CHAR, MARK * height) else "char"
        members = [ids[g] for g in group]  # its components' labels
        glyph = Glyph(labels=members, box=(x0, y0, x1, y1), area=area, kind=kind,
                      tallest_piece=int(st[group, 3].max()))
        if cleaned.colours is not None:
            glyph.colour = cleaned.colours[members].sum(axis=0)
        if kind == "char":
            glyph.slant, glyph.elongation = shape_features(own_mask(labels, glyph))
            # twice its area over its outline's length, as data/pen.py's pen_width measures one glyph's contours,
            # here counted for all of the page's components at once (edge_pixels): a bar w pixels wide is about w
            glyph.stroke = 2.0 * area / max(1, int(edge[members].sum()))
        glyphs.append(glyph)
    return Found(labels=labels, glyphs=glyphs, char_height=height)
