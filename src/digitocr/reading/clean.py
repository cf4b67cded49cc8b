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

Here, `clean_page` (the whole sequence) and the paper and the ink: colour, contrast, faded ink, a patterned paper,
a scanner's margin, binarising, skew, the characters' height. The lines, from their removal on, are ruling.py's.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from digitocr.reading.ruling import (
    HIGH,
    LONG_H,
    LONG_V,
    LOW,
    STRIP,
    components,
    faint_runs,
    faint_strokes,
    remove_lines,
    runs_along,
    strip_lines,
    without_leaning_lines,
)

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
# A scanner's margin: contrast above MARGIN_LEVEL along at least MARGIN_SIDE of an edge of the page.
MARGIN_LEVEL, MARGIN_SIDE = 0.5, 0.25
FULL_EDGE = 0.9  # ... and in the mask, the rows or columns along an edge this much ink (`without_margins`)
# A colour channel's paper level is its PAPER_PCT-th percentile; one below TINT of the brightest channel's is tinted.
PAPER_PCT, TINT = 90, 0.97
OFF_PAGE = 0.45  # background darker than this share of the paper's is not the page
HEIGHT_PCT = 85  # percentile of component heights taken as the handwriting height
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
    # and blue), from which its ink's hue (`printed.ink_angle`); None for a grey image
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


def measure_height(mask: np.ndarray) -> float | None:
    """`char_height` with the lines across much of the page taken out first (ruling, squares: handwriting
    touches them). Only for choosing the finer line removal's kernels; measured again after it."""
    h, w = mask.shape
    return char_height(remove_lines(mask, max(20, w // 4), h // 3 if h >= 300 else None, debris=False))


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
        mask = remove_lines(mask, long_h, long_v, contrast=contrast, faint=faint, height=height)
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
