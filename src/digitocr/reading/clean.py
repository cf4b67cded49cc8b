"""Clean a page: the ink alone, on a flat background, without ruling or form lines, upright.

Works at a reduced "work" resolution (the caller picks the reduction; see pipeline.py): characters
stay above the 20-pixel box of MNIST's form there, so nothing is lost for the classifier, and
everything after this stage is cheap. `Cleaned.to_page` maps work coordinates back to the page.

    darkest channel (tinted paper made grey first) -> reduce -> background divided out -> faded ink
    raised to a pen's contrast -> a patterned paper's lines taken as paper -> ink (edge-only hysteresis) -> skew
    (rotated back when clear) -> character height -> lines removed (a thin one binarised in dashes and an
    upright one leaning a pixel or two too; strokes across them kept, what they leave dropped) -> faint
    continuations of the strokes taken in (on quiet paper, hairlines too), a faint grid's crossings out -> lines
    that lean a little, along the edges of wide components, out
"""

from __future__ import annotations

from dataclasses import dataclass

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
# Faded ink, pencil: a page whose strongest marks (its INK_PCT-th percentile of contrast) are fainter than INK_LEVEL
# has its contrast raised to bring them there, by MAX_GAIN at most, unless they are fainter than MIN_INK (a blank
# page's grain); the thresholds below are for ink as a pen leaves it. Marks fainter than MIN_INK but at least
# FAINT_INK count too where they stand GRAIN times clearer than the page's grain (its GRAIN_PCT-th percentile): a
# photo of faded writing, its contrast lowered again by the camera.
INK_PCT, INK_LEVEL, MIN_INK, MAX_GAIN = 99.9, 0.75, 0.15, 5.0
FAINT_INK, GRAIN_PCT, GRAIN = 0.08, 90, 6.0
# A patterned paper (a cheque's security pattern, a tint screen): fine lines as dark as a third to half a pen's
# contrast, over the whole image, that bind the writing into one component. Its level: in each of PATTERN_TILES x
# PATTERN_TILES tiles, the PATTERN_PCT-th percentile of the contrast away from the ink (PATTERN_INK of the strongest
# marks' contrast, HIGH at least, and 2 pixels around) and from straight lines (ruling, a grid: runs above
# PATTERN_RUN_LOW along 1/PATTERN_RUN of the image's shorter side); the image's is the lower quartile of its tiles'
# (PATTERN_TILE_PCT): a pattern covers every tile, writing or a faint grid only some. At PATTERN_MIN to PATTERN_MAX, and
# under PATTERN_INK of the strongest marks, PATTERN_SHARE of it is subtracted (all of it thins a fine pen's strokes to
# pieces). Set on the seed-2 pages' crops (`pages.py crops --pattern`): at 0.35 and 0.5 of the ink's contrast, 38% and
# 2% read exactly without it, 91.7% and 85.4% with it (81.4% at 0.5 with all of it subtracted, 79.9% with
# PATTERN_MAX 0.5: where waves and hatching cross, the pattern is darker). PATTERN_INK 0.65, not 0.6: a pattern at
# half a pale pen's contrast, darker where JPEG and its crossings left it, was above 0.6 of it, taken for ink all over,
# and measured as none (seed-2 crops at 0.5: 88.0 -> 88.4%; 0.7 read as well).
PATTERN_TILES, PATTERN_PCT, PATTERN_TILE_PCT = 6, 98.0, 25
PATTERN_INK, PATTERN_RUN, PATTERN_RUN_LOW = 0.65, 40, 0.1
PATTERN_MIN, PATTERN_MAX, PATTERN_SHARE = 0.1, 0.65, 0.8
# A fine slanted hatching, a pixel wide, may fall between the pixels measured in some tiles and show in fewer than a
# pattern needs (seed-2 crops at 0.5: 919 bound into one tangle read 1888, a 1 under waves read 16): where it shows
# in PATTERN_SEEN of the tiles, it is measured again a pixel across and a pixel down, each tile at its highest
# (1,256 -> 1,260 read exactly, none lost; the other variants and the tuning pages as before). Only where the tiles
# that show it show one level, as printed lines do: their lower quartile PATTERN_EVEN of their upper one at least (0.95
# and 0.97 for those hatchings). Seed-1 crops: a small crop's JPEG ringing by the ink (18 pixels tall) and a faded
# crop's grain raised with its ink show in half the tiles too, at 0.31 to 0.59, and a pattern that is not there took
# their strokes thin (212890 read 21 2876, 14951.40 read 1495,140); and clear of the grain, PATTERN_CLEAR at least in
# that lower quartile: a crop scaled up to be read again shows a smooth grain just under PATTERN_MIN in every tile,
# which the highest of three measures lifts over it (seed-2 crops 18 pixels tall: 50,385.- read 50,38.5.-).
PATTERN_SEEN, PATTERN_EVEN, PATTERN_CLEAR = 0.5, 0.8, 0.2
# Taken out, a pattern's lines still leave specks where they run together, as dark as a pale pen's point (seed-2 crops
# at 0.5: 8502 read 850,2, 190 read 19,0). A mark no bigger than a point (`find.pattern_specks`) is the pattern's where
# its darkest pixel is no darker than PATTERN_SPECK of the lines (two run together) and under POINT_INK of the
# writing's ink: at 0.5, the pattern's specks stood at 0.44 to 0.67 of the ink, a pen's points at 0.66 or more but one;
# at 0.2, a pale pen's strokes in pieces under POINT_INK, but clear of twice the lines (seed-1 crops: 106 read 10).
PATTERN_SPECK, POINT_INK = 2.0, 0.6
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
# A scanner's margin: contrast above MARGIN_LEVEL along at least MARGIN_SIDE of an edge of the page.
MARGIN_LEVEL, MARGIN_SIDE = 0.5, 0.25
FULL_EDGE = 0.9  # ... and in the mask, the rows or columns along an edge this much ink (`without_margins`)
# A colour channel's paper level is its PAPER_PCT-th percentile; one below TINT of the brightest channel's is tinted.
PAPER_PCT, TINT = 90, 0.97
OFF_PAGE = 0.45  # background darker than this share of the paper's is not the page
STRIP = 600  # an image at most this many pixels tall is a strip (a line cut out), never a page
HEIGHT_PCT = 85  # percentile of component heights taken as the handwriting height
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
MAX_SKEW = 8.0  # degrees searched either way
MIN_SKEW = 0.5  # below this the page is not rotated
SKEW_GAIN = 1.06  # how much sharper the rows must project at the angle found than upright


@dataclass
class Cleaned:
    ink: np.ndarray  # float32 H x W at work resolution, upright: 0 paper .. 1 ink; lines and noise removed
    mask: np.ndarray  # bool H x W: the pixels that count as ink (ink > 0 exactly there)
    scale: float  # work pixels per page pixel
    angle: float  # degrees the page was tilted by (and rotated back)
    to_page: np.ndarray  # 2 x 3 affine: work (x, y) -> page (x, y)
    char_height: float | None  # typical character height in work pixels; None when the page has no ink
    labels: np.ndarray  # int32 connected components of `mask` (8-connected), 0 the background
    stats: np.ndarray  # their rows [x, y, w, h, area], row i for label i
    # row i: the ink of label i summed per colour channel (each pixel's 1 - its colour over the paper's, red, green
    # and blue), from which its ink's hue (`assemble.ink_angle`); None for a grey image
    colours: np.ndarray | None = None
    # on patterned paper, the ink (as `ink`) under which a mark the size of a point is what the pattern's lines left
    # (`specks_ink`); 0 on plain paper
    pattern_specks: float = 0.0


def rgb8(image: np.ndarray) -> bool:
    """Whether an image is uint8 RGB: what OpenCV reduces in colour, and what the ink's colours are read from."""
    return image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3


def paper_colour(rgb: np.ndarray, alpha: np.ndarray | None = None) -> np.ndarray:
    """An RGB image's paper: each channel's PAPER_PCT-th percentile (of every seventh pixel, of the opaque ones where
    an `alpha` channel is given: a transparent pixel's colour is none); white where none is."""
    sample = rgb[::7, ::7].reshape(-1, 3)
    if alpha is not None:
        sample = sample[alpha[::7, ::7].ravel() > 0]
    return np.percentile(sample, PAPER_PCT, axis=0) if len(sample) else np.full(3, 255.0)


def darkest_channel(image: np.ndarray) -> np.ndarray:
    """Grey, grey + alpha, RGB or RGBA (uint8, uint16, bool or float 0..255) -> uint8 grey where every
    pixel is its darkest colour channel, so coloured pens count; transparent pixels are paper.

    On tinted paper the channels are first scaled to make the paper grey: on yellowed paper the blue channel is the
    darkest everywhere, and a blue pen, dark in red only, would all but vanish in it."""
    img = np.asarray(image)
    if img.dtype == bool:
        img = img.astype(np.uint8) * 255
    elif img.dtype != np.uint8:
        img = np.clip(img.astype(np.float32) / (257.0 if img.dtype == np.uint16 else 1.0), 0, 255).astype(np.uint8)
    if img.ndim == 2:
        return img
    if img.ndim != 3 or img.shape[2] not in (1, 2, 3, 4):
        raise ValueError(f"expected a grey or colour image, got shape {img.shape}")
    colour = img[:, :, : 3 if img.shape[2] >= 3 else 1]
    channels = [colour[:, :, c] for c in range(colour.shape[2])]
    if len(channels) == 3:  # tinted paper (yellowed, a coloured form): each channel's paper brought to the brightest's
        paper = paper_colour(colour, img[:, :, 3] if img.shape[2] == 4 else None)
        channels = [ch if p >= TINT * paper.max() else cv2.convertScaleAbs(ch, alpha=paper.max() / max(float(p), 1.0))
                    for ch, p in zip(channels, paper, strict=True)]
    grey = channels[0].copy()
    for ch in channels[1:]:
        grey = cv2.min(grey, ch)
    if img.shape[2] in (2, 4):
        grey = cv2.max(grey, 255 - img[:, :, -1])
    return np.ascontiguousarray(grey)


def ink_colours(rgb: np.ndarray, mask: np.ndarray, labels: np.ndarray, n: int, to_work: np.ndarray) -> np.ndarray:
    """[n, 3]: each label's ink (`labels` of `mask`) summed per channel, each pixel's 1 - its colour over the
    paper's (`paper_colour`): black ink as much in each, a blue pen more in red and green. Its pixels are sampled
    where `to_work` (2 x 3, `rgb` -> the labels' frame) took them from: a tilted page's colours need no turning."""
    ys, xs = np.divmod(np.flatnonzero(mask), mask.shape[1])
    if not len(ys):
        return np.zeros((n, 3), np.float32)
    back = np.linalg.inv(np.vstack([to_work, [0.0, 0.0, 1.0]]))[:2]
    src_x = np.clip(np.rint(back[0, 0] * xs + back[0, 1] * ys + back[0, 2]), 0, rgb.shape[1] - 1).astype(np.intp)
    src_y = np.clip(np.rint(back[1, 0] * xs + back[1, 1] * ys + back[1, 2]), 0, rgb.shape[0] - 1).astype(np.intp)
    paper = np.maximum(paper_colour(rgb), 1.0).astype(np.float32)
    ink = np.clip(1.0 - rgb[src_y, src_x].astype(np.float32) / paper, 0.0, 1.0)
    ids = labels[ys, xs]
    return np.stack([np.bincount(ids, weights=ink[:, c], minlength=n) for c in range(3)], axis=1).astype(np.float32)


def ink_contrast(grey: np.ndarray) -> np.ndarray:
    """Grey page -> float32 ink contrast: the background (shadows, tinted paper) estimated and divided out.

    The background is a grey-level closing (which erases dark strokes) on a copy downscaled 8 times,
    smoothed and scaled back up: uneven light and shadows vary slowly, handwriting does not.
    """
    h, w = grey.shape
    f = 8
    small = cv2.resize(grey, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7))
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel, borderType=cv2.BORDER_REPLICATE)
    bg = cv2.medianBlur(bg, 5)
    # Not paper: the desk around a photographed page, a scanner's dark margin. Its edge would read as
    # strokes, so it and a margin along it count as no ink at all.
    off = off_page(bg)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    bg = cv2.max(bg, grey.astype(np.float32))  # never darker than the page itself: paper = 0
    ratio = grey.astype(np.float32) / np.maximum(bg, 1.0)
    contrast = np.clip(1.0 - ratio, 0.0, 1.0)
    if off.any():
        off = cv2.dilate(off, np.ones((5, 5), np.uint8))
        contrast[cv2.resize(off, (w, h), interpolation=cv2.INTER_NEAREST) > 0] = 0.0
    return contrast


def strongest_marks(level: np.ndarray) -> float:
    """The contrast of the strongest marks (the top 0.1%) of uint8 `level`. A scanner's dark margin along an edge is
    no mark: in a small crop it is too narrow for `off_page` to see, and it would hide how faint the writing beside
    it is (a margin's grey may be just under a pen's contrast)."""
    strongest = top_level(level)
    if strongest > MARGIN_LEVEL:
        bands = edge_bands(level > round(255 * MARGIN_LEVEL))
        if bands is not None:
            strongest = top_level(level, cv2.bitwise_not(bands))
    return strongest


def ink_gain(contrast: np.ndarray) -> float:
    """How much to raise a page's contrast so that its strongest marks are as clear as a pen's: 1 for most pages.
    Sampled every 3rd pixel, in 256 levels."""
    level = cv2.convertScaleAbs(contrast[::3, ::3], alpha=255.0)
    strongest = strongest_marks(level)
    faint = strongest >= FAINT_INK and strongest >= GRAIN * top_level(level, pct=GRAIN_PCT)
    if strongest >= INK_LEVEL or (strongest < MIN_INK and not faint):
        return 1.0
    return min(INK_LEVEL / strongest, MAX_GAIN)


def pattern_tiles(contrast: np.ndarray, dy: int, dx: int) -> tuple[list[float | None], float]:
    """Each tile's level of a patterned paper's lines (see PATTERN_*; None where too little paper shows) and the
    strongest marks' contrast, measured on every 2nd pixel from row `dy` and column `dx`."""
    level = cv2.convertScaleAbs(contrast[dy::2, dx::2], alpha=255.0)
    strongest = strongest_marks(level)
    ink = cv2.compare(level, round(255 * max(HIGH, PATTERN_INK * strongest)), cv2.CMP_GT) & 1
    some = cv2.compare(level, round(255 * PATTERN_RUN_LOW), cv2.CMP_GT) & 1
    run = max(8, min(level.shape) // PATTERN_RUN)
    lines = runs_along(some, run, across=True) | runs_along(some, run, across=False)
    away = cv2.dilate(ink | lines, np.ones((3, 3), np.uint8))  # 2 pixels around, at the contrast's resolution
    paper = cv2.compare(away, 0, cv2.CMP_EQ)
    h, w, n = *level.shape, PATTERN_TILES
    spans = [(slice(i * h // n, (i + 1) * h // n), slice(j * w // n, (j + 1) * w // n))
             for i in range(n) for j in range(n)]
    return [top_level(level[tile], paper[tile], pct=PATTERN_PCT) if cv2.countNonZero(paper[tile]) >= 10 else None
            for tile in spans], strongest


def tiles_pattern(levels: list[float]) -> float:
    """The pattern's level from the tiles' (those where enough paper shows): their PATTERN_TILE_PCT percentile."""
    return float(np.percentile(levels, PATTERN_TILE_PCT)) if levels else 0.0


def paper_pattern(contrast: np.ndarray) -> float:
    """The contrast of a patterned paper's lines (see PATTERN_*), 0 for plain paper. Measured every 2nd pixel; where
    the lines show in PATTERN_SEEN of the tiles, at one level (PATTERN_EVEN) clear of the paper's grain
    (PATTERN_CLEAR), but too few for a pattern, measured again a pixel across and a pixel down, each tile at its
    highest: a fine hatching's lines may fall between the pixels measured."""
    if min(contrast.shape[:2]) < 4:  # an image a few pixels across (OpenCV takes a 1 by 1 array for a scalar)
        return 0.0
    tiles, strongest = pattern_tiles(contrast, 0, 0)
    seen = [t for t in tiles if t is not None]
    pattern = tiles_pattern(seen)
    shown = [t for t in seen if t >= PATTERN_MIN]
    if (pattern < PATTERN_MIN and shown and len(shown) >= PATTERN_SEEN * len(seen)
            and np.percentile(shown, 25) >= max(PATTERN_CLEAR, PATTERN_EVEN * np.percentile(shown, 75))):
        for dy, dx in ((0, 1), (1, 0)):
            more, strong = pattern_tiles(contrast, dy, dx)
            tiles = [None if a is None or b is None else max(a, b) for a, b in zip(tiles, more, strict=True)]
            strongest = max(strongest, strong)
        pattern = tiles_pattern([t for t in tiles if t is not None])
    if pattern < PATTERN_MIN or pattern > PATTERN_MAX or pattern >= PATTERN_INK * strongest:
        return 0.0
    return pattern


def top_level(level: np.ndarray, where: np.ndarray | None = None, pct: float = INK_PCT) -> float:
    """The `pct`-th percentile of uint8 `level` (of the pixels `where` is set), as contrast 0..1."""
    counts = np.cumsum(cv2.calcHist([level], [0], where, [256], [0, 256]).ravel())
    return int(np.searchsorted(counts, counts[-1] * pct / 100.0)) / 255.0 if counts[-1] else 0.0


def edge_bands(strong: np.ndarray) -> np.ndarray | None:
    """uint8 mask (255) of the components of `strong` that run along an edge for MARGIN_SIDE of its length, and a
    little around them (their soft edge), or None: a scanner's margin, not a stroke that reaches the edge."""
    if not (strong[0].any() or strong[-1].any() or strong[:, 0].any() or strong[:, -1].any()):
        return None  # nothing strong reaches an edge: most pages
    n, labels = cv2.connectedComponents(strong.astype(np.uint8), connectivity=8)
    along = along_an_edge(labels, n)
    if not along.any():
        return None
    return cv2.dilate(along[labels].astype(np.uint8) * 255, np.ones((5, 5), np.uint8))


def along_an_edge(labels: np.ndarray, n: int) -> np.ndarray:
    """Per label of `n` (0 the background, never): whether it runs along an edge of the image for MARGIN_SIDE of its
    length, as a scanner's margin does, where a stroke that reaches the edge touches it at a point or two."""
    h, w = labels.shape
    along = np.zeros(n, bool)
    for side, length in ((labels[0], w), (labels[-1], w), (labels[:, 0], h), (labels[:, -1], h)):
        along |= np.bincount(side, minlength=n) >= MARGIN_SIDE * length
    along[0] = False
    return along


def without_margins(mask: np.ndarray) -> np.ndarray | None:
    """`mask` without the rows and columns along its edges that are (nearly) all ink, and two more: a scanner's dark
    margin, as straight as the scan. None if there are none. (A box or rule that the margin touches stays.)"""
    cols, rows = mask.mean(axis=0), mask.mean(axis=1)
    runs = [int(np.argmin(np.append(share >= FULL_EDGE, False))) for share in (cols, cols[::-1], rows, rows[::-1])]
    if not any(runs):
        return None
    left, right, top, bottom = (r + 2 if r else 0 for r in runs)
    inner = np.s_[top : mask.shape[0] - bottom, left : mask.shape[1] - right]
    out = np.zeros_like(mask)
    out[inner] = mask[inner]
    return out


def off_page(bg: np.ndarray) -> np.ndarray:
    """uint8 mask of the dark background regions that reach the image's edge (a desk, a scanner lid)."""
    dark = (bg < OFF_PAGE * float(np.percentile(bg, 90))).astype(np.uint8)
    if not dark.any():
        return dark
    n, labels = cv2.connectedComponents(dark, connectivity=4)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    keep = np.zeros(n, np.uint8)
    keep[edge[edge > 0]] = 1
    return keep[labels]


def binarise(contrast: np.ndarray, low: float = LOW, high: float = HIGH) -> np.ndarray:
    """Clear ink (above `high`) and the fainter edge around it (above `low`, next to clear ink).

    Only the edge right beside clear ink: faint paper patterns and light ruling have no clear ink, and
    a light grid line that touches a digit must not be taken in with it.
    """
    strong = (contrast > high).astype(np.uint8)
    near = cv2.dilate(strong, np.ones((3, 3), np.uint8))
    return (strong | (near & (contrast > low))).astype(bool)


def estimate_skew(mask: np.ndarray, max_angle: float = MAX_SKEW) -> float:
    """Tilt in degrees (y grows with x for a positive angle): the angle at which rows of ink project sharpest.

    0 unless the evidence is clear (rules, several lines of writing): a few handwritten digits
    project about as sharply at any angle, and turning them on a whim would only blur the boxes.
    Line grouping (assemble.py) copes with what is left of the tilt.
    """
    ys, xs = np.nonzero(mask[::2, ::2])
    if len(ys) < 200:
        return 0.0
    step = max(1, len(ys) // 40000)
    ys = ys[::step].astype(np.float32)
    xs = xs[::step].astype(np.float32)
    xs -= xs.mean()

    def sharpness(angle: float) -> float:
        t = np.deg2rad(angle)
        y = ys * np.cos(t) - xs * np.sin(t)
        hist = np.bincount((y - y.min()).astype(np.int64))
        return float((hist.astype(np.float64) ** 2).sum())

    coarse = np.arange(-max_angle, max_angle + 1e-6, 0.5)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.5, best + 0.5 + 1e-6, 0.1)
    best = float(max(fine, key=sharpness))
    return best if sharpness(best) >= SKEW_GAIN * sharpness(0.0) else 0.0


def rotation(shape: tuple[int, int], angle: float) -> tuple[np.ndarray, tuple[int, int]]:
    """The 2 x 3 affine that rotates an image by -angle (undoing a tilt of `angle`) onto a canvas that holds it all."""
    h, w = shape
    t = np.deg2rad(angle)
    c, s = np.cos(t), np.sin(t)
    new_w = int(np.ceil(w * c + h * abs(s)))
    new_h = int(np.ceil(h * c + w * abs(s)))
    m = np.array([[c, s, 0.0], [-s, c, 0.0]])
    centre = np.array([(w - 1) / 2, (h - 1) / 2])
    m[:, 2] = np.array([(new_w - 1) / 2, (new_h - 1) / 2]) - m[:, :2] @ centre
    return m, (new_w, new_h)


def components(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """mask -> (labels, stats rows [x, y, w, h, area] with row i for label i; row 0 is the background)."""
    return components_with_stats(mask.astype(np.uint8))[1:3]


def components_with_stats(mask: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """uint8 mask -> (count, labels, stats), 8-connected, by Grana's (block-based) algorithm: on one core OpenCV's
    default took 20 ms for a page's mask where this takes 4, for the same labels (on two, both about 8)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(mask, 8, cv2.CV_32S, cv2.CCL_GRANA)
    return n, labels, stats


def char_height(mask: np.ndarray, stats: np.ndarray | None = None, labels: np.ndarray | None = None
                ) -> float | None:
    """Typical height of the handwriting: the upper quartile of character-sized components' heights.

    Not the median: on a form, printed labels (and their lowercase letters) may outnumber the
    handwritten digits, which are usually the larger writing. `stats` and `labels`: the mask's components', if known.
    """
    if stats is None:
        labels, stats = components(mask)
    if len(stats) <= 1:
        return None
    w, h, area = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_AREA]
    big = (h >= 6) & (area >= 12)
    sized = big & (h < 0.9 * mask.shape[0]) & (w <= 3 * h)
    ok = sized & (area <= 0.6 * w * h)  # not blots, bars, filled boxes
    if mask.shape[0] <= STRIP:
        ok = strip_characters(mask, stats, ok, big, labels)
    if not ok.any():
        ok = sized  # a lone thick digit
    if not ok.any():
        ok = big & (area <= 0.6 * w * h)  # a crop cut tight around its number, or one run of touching digits
    if not ok.any() and mask.shape[0] <= STRIP:
        ok = big & (w <= 3 * h) & (area <= 0.75 * w * h)  # a thick digit in a crop cut tight, not a margin's band
    if not ok.any():
        return None
    return float(np.percentile(h[ok], HEIGHT_PCT))


def strip_characters(mask: np.ndarray, stats: np.ndarray, ok: np.ndarray, big: np.ndarray,
                     labels: np.ndarray | None = None) -> np.ndarray:
    """`char_height`'s characters (`ok`, per component but the background) in a strip, a crop: it has few components,
    and what a page leaves out or lets in can set its height alone. `labels`: the mask's components, if known."""
    w, h, area = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_AREA]
    # cut tight, its digits (or runs of touching ones) are as tall as it is, where on a page only a rule or a margin
    # is, and only a separator or a stray piece is shorter; a box's corner is as tall, but its ink is sparser
    tall = big & (h >= 0.9 * mask.shape[0]) & (w >= 0.3 * h) & (area >= 0.12 * w * h) & (area <= 0.6 * w * h)
    if tall.sum() >= max(1, ok.sum()):
        if labels is None:
            labels = components(mask)[0]
        ok = ok | (tall & ~along_an_edge(labels, len(stats))[1:])
    # a box's side or a rule the cut took in: thin and much taller than the rest (a 1 is as tall as the digits)
    thin = ok & (w < 0.25 * h)
    if (ok & ~thin).any():
        ok = ok & ~(thin & (h > 1.3 * np.median(h[ok & ~thin])))
    return ok


def strip_lines(shape: tuple[int, int], height: float, long_h: int, long_v: int) -> tuple[int, int]:
    """`remove_lines`' run lengths `long_h`, `long_v` in an image of `shape` whose writing is `height` tall: in a strip
    with room around its writing (STRIP_ROOM), no longer than most of its width and height (STRIP_LINE_*)."""
    if not STRIP_ROOM * height <= shape[0] <= STRIP:
        return long_h, long_v
    (share_h, least_h), (share_v, least_v) = STRIP_LINE_H, STRIP_LINE_V
    return (min(long_h, max(15, round(least_h * height), int(share_h * shape[1]))),
            min(long_v, max(15, round(least_v * height), int(share_v * shape[0]))))


def measure_height(mask: np.ndarray) -> float | None:
    """`char_height` with the lines across much of the page taken out first (ruling, squares: handwriting
    touches them). Only for choosing the finer line removal's kernels; measured again after it."""
    h, w = mask.shape
    return char_height(remove_lines(mask, max(20, w // 4), h // 3 if h >= 300 else None, debris=False))


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
                 faint: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Ruling, squares, boxes and form borders out, handwriting that crosses them kept.

    Lines are runs of ink longer than `long_h` (`long_v` for vertical ones; None: none looked for),
    found by morphological opening with a long kernel: far longer than any stroke of a character. So are
    an upright line that leans a pixel or two over that length (UPRIGHT_SLACK) and, given the contrast, a
    thin line that binarised in dashes (`dashed_lines`). Where a line is removed, the gap is bridged
    again wherever ink lies on both sides of it (above and below a horizontal line), so a digit written
    across a line stays in one piece. Given the ink's `contrast`, a line's pixels clearly darker than
    the line itself are handwriting over it and stay too: a 4's bar or a 9's loop drawn along a pale
    grid line. `debris`: also drop the bits left wholly beside a removed line. `faint`: `faint_runs` of the
    contrast, where the caller has them already.
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


def clean_page(image: np.ndarray, factor: int = 1, rgb: np.ndarray | None = None) -> Cleaned:
    """Page image (grey or RGB) -> Cleaned at 1/`factor` of its size; its ink's colours from `rgb` (uint8 RGB at that
    size) where given, else from the image when it is uint8 RGB.

    A whole-number factor: OpenCV's area reduction is many times faster by a whole number.
    """
    h, w = image.shape[:2]
    factor = max(1, int(factor))
    img = image
    if factor > 1:
        if not rgb8(image):  # RGB: reduced first
            img = darkest_channel(image)
        img = cv2.resize(img, (max(1, w // factor), max(1, h // factor)), interpolation=cv2.INTER_AREA)
    if rgb is None and rgb8(img):
        rgb = img
    img = darkest_channel(img)
    scale = img.shape[1] / w if factor > 1 else 1.0
    contrast = ink_contrast(img)
    gain = ink_gain(contrast)
    if gain > 1.0:
        contrast = np.minimum(contrast * np.float32(gain), np.float32(1.0))
    pattern = PATTERN_SHARE * paper_pattern(contrast)
    unpatterned = contrast
    if pattern:  # taken as paper, the rest stretched back to 0..1
        contrast = np.clip((contrast - np.float32(pattern)) / np.float32(1.0 - pattern), 0.0, 1.0)
    mask = binarise(contrast)
    # a scanner's dark margin along an edge (in a crop too narrow for `off_page`) says nothing of the writing's tilt,
    # and as the biggest thing in a crop it may set a spurious one: turned, it no longer touched the edge it lies
    # along. But a crop's few digits alone may too: of the tilts with it and without it, the smaller
    angle = estimate_skew(mask)
    inside = without_margins(mask) if angle else None
    if inside is not None:
        angle = min(angle, estimate_skew(inside), key=abs)
    to_work = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    if abs(angle) >= MIN_SKEW:
        to_work, size = rotation(mask.shape, angle)
        contrast = cv2.warpAffine(contrast, to_work, size, flags=cv2.INTER_LINEAR, borderValue=0.0)
        unpatterned = contrast if not pattern else cv2.warpAffine(unpatterned, to_work, size, flags=cv2.INTER_LINEAR,
                                                                  borderValue=0.0)
        mask = binarise(contrast)
    else:
        angle = 0.0
    # Measure the characters with only lines across much of the page gone (ruling, squares, which
    # handwriting touches), then remove every line longer than a few characters.
    height = measure_height(mask)
    if height is not None:
        long_h, long_v = max(15, round(LONG_H * height)), max(15, round(LONG_V * height))
        long_h, long_v = strip_lines(mask.shape, height, long_h, long_v)
        # a thin line over a cheque's pattern, as pale as the pattern's lines, is gone from the contrast but for the
        # dashes where the pattern crosses it: its runs are found in the contrast before the pattern was taken out
        faint = faint_runs(unpatterned, long_h, long_v)
        mask = remove_lines(mask, long_h, long_v, contrast=contrast, faint=faint)
        mask = faint_strokes(mask, contrast, height, long_h, long_v, faint)
    labels, stats = components(mask)
    if height is not None:
        straightened = without_leaning_lines(mask, labels, stats, height, long_h, long_v)
        if straightened is not None:
            mask = straightened
            labels, stats = components(mask)
        height = char_height(mask, stats, labels) or height  # measured again, now that no line cuts through the writing
    ink = np.zeros(contrast.shape, np.float32)
    specks = 0.0
    if mask.any():
        level = max(float(np.percentile(contrast[mask], 90)), HIGH)
        np.divide(contrast, level, out=ink, where=mask)
        np.clip(ink, 0.0, 1.0, out=ink)
        if pattern:
            specks = specks_ink(pattern / PATTERN_SHARE, pattern, level)
    # work -> page: undo the rotation, then the scaling
    full = np.vstack([to_work, [0.0, 0.0, 1.0]])
    to_page = (np.linalg.inv(full) / scale)[:2]
    colours = None if rgb is None else ink_colours(rgb, mask, labels, len(stats), to_work)
    return Cleaned(ink=ink, mask=mask, scale=scale, angle=angle, to_page=to_page, char_height=height,
                   labels=labels, stats=stats, colours=colours, pattern_specks=specks)


def specks_ink(lines: float, taken: float, level: float) -> float:
    """The ink (as `Cleaned.ink`: contrast over the writing's `level`) under which a mark the size of a point is what a
    pattern's lines of contrast `lines`, `taken` of it subtracted as paper, left where two run together (see
    PATTERN_SPECK): no darker than PATTERN_SPECK times a line, and fainter than a pen's point (POINT_INK)."""
    darkest = (min(1.0, PATTERN_SPECK * lines) - taken) / (1.0 - taken)
    return min(POINT_INK, max(0.0, darkest) / level)


def work_factor(shape: tuple[int, ...], max_side: int = 1800) -> int:
    """First guess at the reduction: a page no longer than about `max_side` (an A4 page at 150 dpi)."""
    return max(1, round(max(shape[0], shape[1], 1) / max_side))
