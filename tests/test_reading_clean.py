"""The clean stage on its own: clean.py (the paper and the ink) and ruling.py (the lines taken out of it), on
pages, contrasts and masks drawn here. Pages read whole, through every stage, are test_reading_pipeline.py's.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from drawn_pages import blank, glyph, squares, waves

from digitocr.reading import clean as clean_stage
from digitocr.reading import ruling as ruling_stage
from digitocr.reading.clean import clean_page, estimate_skew
from digitocr.reading.printed import ink_angle
from digitocr.reading.ruling import components, remove_lines, runs_along, without_leaning_lines


def test_without_margins_takes_out_the_edges_rows_and_columns_of_ink_and_leaves_a_box_the_margin_touches():
    mask = np.zeros((70, 140), bool)
    mask[5:8, 10:140] = True  # a box's top, reaching the margin
    mask[5:60, 10:13] = True  # its left side
    mask[20:50, 40:44] = True  # a 1 in it
    assert clean_stage.without_margins(mask) is None  # no margin: nothing to take out
    mask[:, 129:] = True  # a scanner's margin, 11 columns of ink
    mask[0, 100:129] = True  # a row along the top with ink in part: no margin
    inside = clean_stage.without_margins(mask)
    assert not inside[:, 127:].any() and inside[:, :127].sum() == mask[:, :127].sum()


def test_the_contrast_is_raised_only_for_a_page_whose_strongest_marks_are_faint_but_more_than_grain():
    rng = np.random.default_rng(11)
    grain = rng.uniform(0.0, 0.04, (300, 300)).astype(np.float32)
    for strength, gain in [(0.9, 1.0), (0.75, 1.0), (0.3, 2.5), (0.2, 3.75), (0.1, 1.0)]:
        contrast = grain.copy()
        contrast[100:130, 100:130] = strength  # 1% of the page
        assert clean_stage.ink_gain(contrast) == pytest.approx(gain, rel=0.02), strength
    assert clean_stage.ink_gain(grain) == 1.0
    fine = grain / 4  # a clean photo's grain, up to 0.01: marks at 0.1 stand clear of it, and are raised
    contrast = fine.copy()
    contrast[100:130, 100:130] = 0.1
    assert clean_stage.ink_gain(contrast) == pytest.approx(5.0)
    assert clean_stage.ink_gain(fine) == 1.0
    contrast = grain.copy()
    contrast[100:130, 100:130] = 0.3
    contrast[:, :20] = 0.9  # a dark margin along the left edge: not the page's ink
    assert clean_stage.ink_gain(contrast) == pytest.approx(2.5, rel=0.02)
    contrast[:, :20] = grain[:, :20]
    contrast[150:152, :] = 0.9  # a dark rule from edge to edge is a mark: it touches the edges only at its ends
    assert clean_stage.ink_gain(contrast) == 1.0


def test_tinted_paper_is_made_grey_before_the_darkest_channel_is_taken():
    page = np.zeros((200, 200, 3), np.uint8)
    page[:] = (240, 224, 168)  # yellowed
    page[90:110, 20:180] = (150, 150, 180)  # a faded blue stroke: darker than the paper in red and green only
    grey = clean_stage.darkest_channel(page)
    assert grey[0, 0] == 240 and grey[100, 100] == 150
    white = np.full((50, 50, 3), (250, 250, 246), np.uint8)  # the benchmark's paper: left as it is
    white[20:30] = (30, 30, 240)
    assert clean_stage.darkest_channel(white)[0, 0] == 246 and clean_stage.darkest_channel(white)[25, 0] == 30


def test_each_component_s_ink_colour_is_summed_against_the_paper_s_and_taken_from_where_the_turn_took_it():
    page = np.zeros((200, 300, 3), np.uint8)
    page[:] = (240, 224, 168)  # yellowed paper: black ink on it is no yellower than black
    page[80:120, 40:60] = (20, 20, 20)
    page[80:120, 200:220] = (22, 44, 150)  # a blue pen's
    cleaned = clean_stage.clean_page(page)
    black, blue = (cleaned.colours[cleaned.labels[100, x]] for x in (50, 210))
    grey = np.ones(3, np.float32)
    assert ink_angle(black, grey) < 1.0 and ink_angle(blue, grey) > 10.0
    assert black.sum() == pytest.approx(40 * 20 * (3 - 20 / 240 - 20 / 224 - 20 / 168), rel=0.02)  # its 800 pixels
    assert clean_stage.clean_page(page[..., 0]).colours is None  # a grey page has none
    # a page turned: its components' pixels are sampled where the turn took them from (here, 2 pixels to the left)
    rgb = np.full((10, 10, 3), 250, np.uint8)
    rgb[:, :5] = (22, 44, 150)
    labels = np.zeros((10, 10), np.int32)
    labels[:, 3:5], labels[:, 7:9] = 1, 2  # sampled from columns 1-2 (blue) and 5-6 (paper)
    shift = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0]])
    colours = clean_stage.ink_colours(rgb, labels > 0, labels, 3, shift)
    assert ink_angle(colours[1], grey) > 10.0 and not colours[2].any()


def test_skew_is_measured_and_lines_removed_without_cutting_strokes():
    mask = np.zeros((400, 800), bool)
    for y in range(50, 400, 60):
        mask[y : y + 2, :] = True
    mask[100:180, 300:306] = True  # a stroke crossing the rule at y = 110 and 170
    kept = remove_lines(mask, 100, None)
    assert not kept[50:52].any()  # the rule is gone
    n, _ = cv2.connectedComponents(kept.astype(np.uint8))
    assert n - 1 == 1 and kept[100:180, 300:306].all()  # the stroke is whole
    tilted = cv2.warpAffine(mask.astype(np.uint8), cv2.getRotationMatrix2D((400, 200), -2.0, 1.0), (800, 400))
    assert abs(estimate_skew(tilted > 0) - 2.0) < 0.3


def test_runs_along_rows_or_columns_are_an_opening_with_a_line_however_few_rows_can_hold_one():
    m = np.zeros((60, 200), np.uint8)
    m[10, 20:50] = 1  # a run of 30
    m[20, 20:49] = m[20, 60:90] = 1  # 29 and 30, in one row
    m[30, ::2] = 1  # 100 pixels, no run
    assert runs_along(m, 30, across=True).nonzero()[0].tolist() == [10] * 30 + [20] * 30
    assert not runs_along(m, 31, across=True).any()
    assert np.array_equal(runs_along(m.T.copy(), 30, across=False), runs_along(m, 30, across=True).T)
    rng = np.random.default_rng(0)
    for share in (0.05, 0.9):  # few rows and columns with enough ink (opened alone), or most (the whole image)
        page = (rng.random((120, 150)) < share).astype(np.uint8)
        page[40, 10:140] = page[5:115, 70] = 1
        for length, across in ((8, True), (8, False), (100, True), (100, False)):
            kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if across else (1, length))
            assert np.array_equal(runs_along(page, length, across), cv2.morphologyEx(page, cv2.MORPH_OPEN, kernel))


def test_a_stroke_along_a_pale_line_stays_but_a_dark_line_goes_whole():
    mask = np.zeros((200, 800), bool)
    mask[100:102, :] = True  # a rule
    mask[60:101, 300:304] = True  # a 4's stem down to the rule ...
    mask[99:103, 280:340] = True  # ... and its bar drawn along it, a little thicker than the rule
    pale = np.where(mask, 0.4, 0.0).astype(np.float32)
    pale[60:101, 300:304] = pale[99:103, 280:340] = 0.9  # the pen is darker than a grid's pale line
    kept = remove_lines(mask, 100, None, contrast=pale)
    assert kept[100:102, 280:340].all() and not kept[100:102, :250].any() and not kept[100:102, 360:].any()
    assert not remove_lines(mask, 100, None)[100:102, 282:298].any()  # without the contrast the bar is cut
    dark = np.where(mask, 0.9, 0.0).astype(np.float32)  # a black table border: no darker than the pen
    assert not remove_lines(mask, 100, None, contrast=dark)[100:102, 282:298].any()


def test_a_point_written_wholly_on_a_grey_rule_stays_where_the_pen_is_darker_than_the_rule_by_a_little(monkeypatch):
    mask = np.zeros((200, 800), bool)
    mask[100:103, :] = True  # a grey rule
    mask[99:104, 400:405] = True  # a black pen's point on it, no wider than the rule and its fringe
    contrast = np.where(mask, 0.55, 0.0).astype(np.float32)
    contrast[99:104, 400:405] = 0.8
    contrast[100:103, 200:206] = 0.62  # a stretch of the rule a little darker (a scan's JPEG)
    kept = remove_lines(mask, 100, None, contrast=contrast)
    assert kept[99:104, 400:405].all() and kept.sum() == 25
    monkeypatch.setattr(ruling_stage, "OVER_LINE", 0.25)  # the reader before: ink a quarter darker than its line
    assert not remove_lines(mask, 100, None, contrast=contrast).any()


def every_line_at_its_90th_percentile(across: np.ndarray, down: np.ndarray, contrast: np.ndarray,
                                      own: object = None, clear: object = None) -> np.ndarray:
    """The lines' level before: one for all of them, the 90th percentile of their pixels (the writing on a rule and a
    dark margin raise it)."""
    lines = (across | down) > 0
    return np.where(lines, np.float32(np.percentile(contrast[lines], 90)), np.float32(0))


def test_each_line_s_level_is_its_own_row_s_or_column_s_of_its_pixels_bare_of_the_writing():
    contrast = np.zeros((5, 30), np.float32)
    contrast[1] = 0.3  # a rule ...
    contrast[1, 2:5] = 0.9  # ... a stroke standing on it ...
    contrast[1, 13:17] = [0.55, 0.8, 0.8, 0.55]  # ... and a point written on it
    contrast[:, 29] = [0.2, 0.3, 0.2, 0.2, 0.2]  # an upright line crossing it
    across = np.zeros((5, 30), np.uint8)
    across[1] = 1
    down = np.zeros((5, 30), np.uint8)
    down[:, 29] = 1

    def levels(own: tuple[np.ndarray, np.ndarray] | None = None, clear: float | None = None) -> list[list[float]]:
        found = ruling_stage.line_levels(across, down, contrast, own, clear)
        return np.round(found.astype(float), 2).tolist()
    upright = [0] * 29 + [0.3]
    assert levels() == [upright, [0.9] * 30, upright, upright, upright]  # of 30, the third darkest; of 5, the darkest
    bare = across.copy()
    bare[1, 1:6] = 0  # the stroke and a pixel each side of it: the writing's
    assert levels((bare, down))[1] == [0.55] * 30  # the point's edge
    assert levels((bare, down), clear=0.15)[1] == [0.3] * 30  # the rule's own, the point's middle set aside
    assert levels((np.zeros_like(across), down), clear=0.15)[1] == [0.9] * 30  # none bare: every pixel


def test_a_point_on_a_grey_rule_stays_though_the_writing_on_the_rule_and_a_dark_margin_are_darker(monkeypatch):
    mask = np.zeros((200, 800), bool)
    mask[100:103, :] = True  # a register's grey rule
    mask[180:200, :] = True  # a scan's dark margin below it
    strokes = np.zeros(800, bool)
    strokes[20::20] = strokes[21::20] = strokes[22::20] = strokes[23::20] = True  # a fifth of the rule's length
    mask[60:103, strokes] = True  # strokes standing on the rule
    mask[99:104, 410:415] = True  # a black pen's point on it
    contrast = np.where(mask, 0.5, 0.0).astype(np.float32)
    contrast[180:200, :] = 0.85
    contrast[60:103, strokes] = 0.85
    contrast[99:104, 410:415] = 0.8
    kept = remove_lines(mask, 100, None, contrast=contrast)
    assert kept[99:104, 410:415].all() and not kept[100:103, 305:319].any()
    monkeypatch.setattr(ruling_stage, "line_levels", every_line_at_its_90th_percentile)  # the reader before
    assert not remove_lines(mask, 100, None, contrast=contrast)[99:104, 410:415].any()


def test_a_point_on_a_faint_rule_stays_though_a_dark_margin_runs_along_the_page(monkeypatch):
    page = np.full((160, 420), 250, np.uint8)
    page[140:160, :] = 60  # a scan's dark margin
    page[100:102, :] = 175  # a faint rule, no clear ink
    for x in (60, 110, 250, 300):  # 1s standing on it
        cv2.line(page, (x + 8, 60), (x, 100), 20, 4)
    page[98:103, 178:183] = 90  # a point on it, as dark as a pale pen
    mask = clean_page(page).mask
    assert mask[98:103, 178:183].sum() >= 15 and not mask[95:110, 130:170].any()
    monkeypatch.setattr(ruling_stage, "line_levels", every_line_at_its_90th_percentile)  # the reader before
    assert not clean_page(page).mask[95:110, 170:190].any()


def test_a_2_s_foot_written_along_the_rule_it_stands_on_stays_where_the_rule_holds_more_ink(monkeypatch):
    mask = np.zeros((200, 800), bool)
    mask[100:103, :] = True  # a grey rule
    contrast = np.where(mask, 0.65, 0.0).astype(np.float32)
    cv2.line(contrast, (330, 60), (301, 98), 0.75, 3)  # a 2's stroke down to the rule ...
    contrast[100:104, 300:332] = 0.75  # ... and its foot along it, a pixel below it: as dark as the rule, near enough
    cv2.line(contrast, (500, 60), (500, 99), 0.75, 3)  # a 1 standing on the rule
    mask = contrast > 0
    kept = remove_lines(mask, 100, None, contrast=contrast, height=40)
    assert kept[100:104, 302:332].all()  # the foot: 32 columns, 0.8 of the height, the stroke touching one end
    assert not kept[99:104, :295].any() and not kept[99:104, 340:495].any() and not kept[99:104, 505:].any()
    assert not remove_lines(mask, 100, None, contrast=contrast)[101:104, 305:332].any()  # no height given: cut
    monkeypatch.setattr(ruling_stage, "FOOT_INK", 1.5)  # more than the foot adds to its columns (1.05)
    assert not remove_lines(mask, 100, None, contrast=contrast, height=40)[101:104, 305:332].any()


def test_a_pen_s_stroke_along_a_grid_s_line_stays_where_it_fills_the_line_s_columns():
    mask = np.zeros((400, 800), bool)
    mask[:, 400] = True  # a squared page's pale lines
    mask[20::40, :] = True
    mask[40:161, 398:403] = True  # a 1 written along an upright line, wider than it: its columns hold nothing else
    contrast = np.where(mask, 0.4, 0.0).astype(np.float32)
    contrast[40:161, 398:403] = 0.87
    kept = remove_lines(mask, 100, 100, contrast=contrast)
    assert kept[40:161, 398:403].sum() >= 0.9 * 121 * 5 and not kept[200:400, 400].any()


def test_a_line_binarised_in_dashes_goes_but_a_stroke_along_a_faint_line_stays(monkeypatch):
    contrast = np.zeros((200, 800), np.float32)
    contrast[100:102, :] = 0.3  # a grid line, fainter than clear ink ...
    for x in range(0, 800, 20):
        contrast[100:102, x : x + 12] = 0.6  # ... its darker stretches clear ink: dashes 12 pixels long
    contrast[60:141, 300:304] = 0.95  # a 1 written across it
    contrast[150:152, :] = 0.3  # a fainter line, clear ink nowhere ...
    contrast[150:153, 500:560] = 0.5  # ... but where a light pen's stroke runs along it (a 4's bar)
    contrast[120:150, 500:504] = 0.5
    mask = clean_stage.binarise(contrast)
    assert mask[100, 0:12].all() and not mask[100, 13:19].any() and not mask[150, :490].any()
    kept = remove_lines(mask, 100, 100, contrast=contrast)
    assert kept[60:141, 300:304].all()  # the 1 whole, where it crosses the line too
    assert not kept[99:103, :296].any() and not kept[99:103, 308:].any()  # no dash left beside it
    assert kept[150:153, 500:560].sum() >= 150 and kept[120:150, 500:504].all()  # the bar along the faint line stays
    monkeypatch.setattr(ruling_stage, "DASHED", 1.01)  # a dashed line no line: its dashes stay, one joined to the 1
    assert remove_lines(mask, 100, 100, contrast=contrast)[100:102, 304:312].all()


def test_an_upright_line_leaning_a_little_goes_whole(monkeypatch):
    mask = np.zeros((400, 300), bool)
    for y in range(20, 380):  # a table's side in a photo, leaning 1.2 degrees: 7 pixels over its 360
        x = 150 + round((y - 20) * np.tan(np.radians(1.2)))
        mask[y, x : x + 2] = True
    mask[180:220, 120:150] = True  # a stroke that ends at it
    kept = remove_lines(mask, 100, 100)
    assert not kept[:, 150:160].any() and kept[180:220, 120:148].all()
    monkeypatch.setattr(ruling_stage, "UPRIGHT_SLACK", np.ones((1, 1), np.uint8))  # no slack: pieces of it stay
    assert remove_lines(mask, 100, 100)[:, 150:160].sum() > 100


def test_cleaning_a_shadowed_page_leaves_only_the_ink():
    page = np.full((300, 600), 230, np.uint8)
    page = (page * np.linspace(0.4, 1.0, 600, dtype=np.float32)[None, :]).astype(np.uint8)
    cv2.line(page, (50, 100), (50, 200), 30, 5)
    cleaned = clean_page(page)
    assert cleaned.mask[100:200, 48:53].mean() > 0.9
    assert cleaned.mask.sum() < 1000  # the shadow is not ink


def test_line_removal_leaves_no_debris_but_keeps_a_comma_and_a_point_on_the_line():
    mask = np.zeros((300, 600), bool)
    mask[150:152, :] = True  # a rule
    mask[147:155, 100:120] = True  # a ragged stretch of it, sticking out a pixel or two
    mask[146:166, 300:304] = True  # a comma's tail crossing it
    mask[147:151, 400:405] = True  # a point written on it, as far out as the ragged stretch
    kept = remove_lines(mask, 100, None)
    assert not kept[140:160, 95:125].any()
    assert kept[146:150, 300:304].all() and kept[153:166, 300:304].all()
    # what stands clear of the rule, given back the rule's pixels under it until it is round again
    assert kept[140:160, 395:410].sum() == 25 and kept[147:152, 400:405].all()
    mask[100:200, 408:410] = True  # a grid's upright line beside it: a crossing's blob, not a point
    assert not remove_lines(mask, 100, 100)[140:160, 395:407].any()


def test_a_flat_point_left_on_a_rule_is_given_back_what_the_rule_took_but_a_stroke_s_cut_end_is_not():
    mask = np.zeros((300, 600), bool)
    mask[150:153, :] = True  # a rule
    mask[147:151, 200:206] = True  # a point written on it, six pixels wide: two rows stand clear of the rule's fringe
    mask[147:151, 400:406] = True  # the same, where a stroke cut off by the rule ends a pixel beside it
    mask[100:151, 407:410] = True
    kept = remove_lines(mask, 100, None)
    assert kept[140:160, 195:212].sum() == 6 * 6 and kept[147:153, 200:206].all()  # round again, six rows tall
    assert kept[140:160, 395:406].sum() == 2 * 6 and not kept[149:153, 400:406].any()  # left flat: a speck


def test_a_point_on_a_dark_rule_stays_where_a_darker_speck_of_a_faint_line_goes():
    page = np.full((140, 420), 250, np.uint8)
    page[80:82, :] = 20  # a rule as dark as the pen
    page[120:122, :] = 190  # a faint one
    for x in (60, 110, 250, 300):  # 1s standing on each
        cv2.line(page, (x + 8, 40), (x, 80), 20, 4)
        cv2.line(page, (x + 8, 80), (x, 120), 20, 4)
    page[78:80, 178:184] = 20  # a point on the dark rule: two rows of it stand clear
    page[118:122, 178:184] = 140  # a darker stretch of the faint line, as tall, less than OVER_FAINT over it (at 120,
    # as dark over it as a pale pen's point: kept, by the faint line's own level, not the dark rule's)
    mask = clean_page(page).mask
    assert mask[60:80, 170:190].sum() == 12 and mask[78:80, 178:184].all()
    assert not mask[110:130, 170:190].any()


def test_a_line_leaning_too_much_for_a_run_along_one_row_is_taken_out_along_a_component_s_foot():
    mask = np.zeros((90, 320), np.uint8)
    cv2.line(mask, (10, 70), (300, 84), 1, 2)  # an underline leaning 3 degrees: no row holds 75 pixels of it
    mask[25:75, 100:104] = 1  # a 1 standing on it
    cv2.circle(mask, (200, 64), 14, 1, 3)  # a 0 touching it
    mask = mask.astype(bool)
    assert not runs_along(mask.astype(np.uint8), 75, across=True).any()
    labels, stats = components(mask)
    assert len(stats) == 2  # the line, the 1 and the 0: one component
    kept = without_leaning_lines(mask, labels, stats, 45.0, 75, 66)
    assert not kept[60:90, :90].any() and not kept[60:90, 230:].any()  # the line is gone ...
    assert kept[25:72, 100:104].all()  # ... the 1 stands whole, but for the pixel or two of the line it met
    assert len(components(kept)[1]) == 3  # the 1 and the 0, apart
    assert (kept[45:76, 180:220] == mask[45:76, 180:220]).all()  # the 0 whole above the line


def test_a_leaning_box_goes_with_its_sides_too_short_to_be_lines():
    mask = np.zeros((90, 320), np.uint8)
    cv2.line(mask, (10, 10), (300, 14), 1, 2)  # top and bottom, leaning
    cv2.line(mask, (10, 60), (300, 64), 1, 2)
    cv2.line(mask, (10, 10), (10, 60), 1, 2)  # sides, 50 pixels: shorter than a line is long (66)
    cv2.line(mask, (300, 14), (300, 64), 1, 2)
    mask[25:50, 140:143] = 1  # a 1 in the box, apart from it
    mask = mask.astype(bool)
    labels, stats = components(mask)
    kept = without_leaning_lines(mask, labels, stats, 30.0, 75, 66)
    assert kept.sum() == 25 * 3 and kept[25:50, 140:143].all()
    untouched = np.zeros_like(mask)
    untouched[25:50, 140:143] = True
    assert without_leaning_lines(untouched, *components(untouched), 30.0, 75, 66) is None


def test_a_short_rule_leaves_no_debris_and_strokes_reaching_past_its_box_stay_whole():
    """Debris is looked for within the rules' box only: what runs on past that box is judged as on the whole page."""
    mask = np.zeros((300, 600), bool)
    mask[150:152, 200:400] = True  # a rule across a third of the page
    mask[147:155, 250:270] = True  # a ragged stretch of it
    mask[100:200, 300:303] = True  # a 1 written across it, far past its box
    mask[140:180, 196:199] = True  # a stroke beside its end, into its box's margin and out of it
    mask[20:60, 20:23] = True  # a stroke far from it
    kept = remove_lines(mask, 100, None)
    assert not kept[140:160, 245:275].any()
    assert kept[100:200, 300:303].all() and kept[140:180, 196:199].all() and kept[20:60, 20:23].all()
    assert kept.sum() == 100 * 3 + 40 * 3 + 40 * 3


def test_a_dot_on_one_faint_grid_line_stays_where_the_grids_darker_crossings_go():
    page = blank(800, 400)
    squares(page, 20, 40, 175)  # lines at 20, 60, ... both ways: too faint to be ink
    for x in (110, 150, 190, 510, 550):
        cv2.line(page, (x, 200), (x, 265), 30, 5)  # handwriting's strokes, to measure its height by
    page[219:223, 379:383] = 120  # a crossing, inked twice: dark enough to be ink
    page[242:247, 378:383] = 40  # a pen's dot on the upright line x = 380, between two crossings
    mask = clean_page(page).mask
    assert mask[243:246, 379:382].all()
    assert not mask[212:230, 372:390].any()


def test_a_light_pens_hairline_grows_from_its_stroke_on_quiet_paper_but_joins_no_dash_to_a_digit(monkeypatch):
    page = blank(800, 400)
    for x in (110, 150, 190, 510):
        cv2.line(page, (x, 200), (x, 265), 30, 5)  # handwriting's strokes, to measure its height by
    cv2.line(page, (600, 200), (600, 265), 30, 5)  # a 7's stem ...
    page[201, 586:598] = 210  # ... and its bar, a hairline too light to be ink by itself (contrast 0.14)
    cv2.line(page, (304, 236), (318, 236), 30, 3)  # a dash ...
    page[236, 320:328] = 210  # ... and a hairline from it to a stroke's side
    cv2.line(page, (330, 200), (330, 265), 30, 5)
    cleaned = clean_page(page)
    assert cleaned.mask[201, 587:597].all()
    assert not cleaned.mask[236, 320:327].any() and cleaned.labels[236, 310] != cleaned.labels[230, 330]
    monkeypatch.setattr(ruling_stage, "QUIET", 0.0)  # paper never quiet enough: no hairlines
    assert not clean_page(page).mask[201, 587:597].any()


def test_specks_ink_is_twice_the_pattern_s_lines_as_ink_and_no_more_than_a_pale_point():
    # lines at 0.18, 0.8 of that taken as paper, the writing's ink at 0.9: two lines run together are at 0.36
    assert clean_stage.specks_ink(0.18, 0.144, 0.9) == pytest.approx((0.36 - 0.144) / 0.856 / 0.9)
    assert clean_stage.specks_ink(0.45, 0.36, 0.84) == clean_stage.POINT_INK  # as dark as a pale pen's point: capped
    strokes = blank(300, 100)
    for x in range(40, 260, 40):
        strokes[40:80, x : x + 5] = 20  # (strokes of a pen)
    assert clean_stage.clean_page(strokes).pattern_specks == 0.0  # plain paper: none
    patterned = (strokes * (1 - 0.2 * waves(strokes.shape, 9))).astype(np.uint8)
    assert 0.0 < clean_stage.clean_page(patterned).pattern_specks < clean_stage.POINT_INK  # faint lines: under a point


def test_a_pale_rule_under_an_amount_on_a_cheque_s_pattern_goes_whole():
    crop = blank(300, 100).astype(np.float32)
    crop[82:84, 5:295] *= 0.65  # the rule the amount is written on, as pale as ...
    for x in range(40, 260, 40):
        crop[40:80, x : x + 5] = 20  # (strokes of a pen)
    hatching = np.zeros(crop.shape, np.float32)
    for x in range(0, 400, 4):
        cv2.line(hatching, (x, 0), (x - 100, 100), 1.0, 1, cv2.LINE_AA)
    crop = (crop * (1 - 0.5 * hatching)).astype(np.uint8)  # ... the hatching over it, darker where they cross
    cleaned = clean_stage.clean_page(crop)
    assert clean_stage.paper_pattern(clean_stage.ink_contrast(crop)) > 0.3
    assert cleaned.mask[40:80, 40:45].all()  # the strokes stay
    assert not cleaned.mask[81:86, 50:75].any()  # the rule goes, no dash of it left


def test_a_hatching_whose_lines_fall_between_the_pixels_measured_is_still_a_pattern(monkeypatch):
    # lines at 45 degrees every 4th pixel, at half the ink's contrast: in the left third of the crop they run on the
    # diagonals the measure (every 2nd pixel) never lands on, as a crop's scaling may leave a fine hatching
    contrast = np.zeros((72, 108), np.float32)
    on, between = np.zeros_like(contrast), np.zeros_like(contrast)
    for x in range(0, 220, 4):
        cv2.line(on, (x, 0), (x - 100, 100), 1.0, 1, cv2.LINE_8)
        cv2.line(between, (x + 1, 0), (x + 1 - 100, 100), 1.0, 1, cv2.LINE_8)
    contrast[:, :36], contrast[:, 36:] = 0.5 * between[:, :36], 0.5 * on[:, 36:]
    for x in range(20, 90, 14):
        contrast[20:50, x : x + 3] = 0.95  # strokes of a pen
    assert clean_stage.paper_pattern(contrast) == pytest.approx(0.5, abs=0.01)
    uneven = contrast.copy()
    uneven[:, 72:] *= 0.4  # where it shows, at two levels: not a printed pattern (a small crop's JPEG ringing)
    assert clean_stage.paper_pattern(uneven) == 0.0
    grain = np.where(contrast > 0.9, contrast, 0.3 * contrast)  # at 0.15: a grain the three measures' highest lifts
    assert clean_stage.paper_pattern(grain) == 0.0
    monkeypatch.setattr(clean_stage, "PATTERN_SEEN", 1.01)  # measured once: seen in two thirds of the tiles, too few
    assert clean_stage.paper_pattern(contrast) == 0.0


def test_paper_pattern_is_measured_on_a_pattern_and_on_nothing_else(digits, monkeypatch):
    plain = np.zeros((100, 300), np.float32)
    assert clean_stage.paper_pattern(plain) == 0.0
    pattern = 0.4 * waves(plain.shape, 9)
    assert clean_stage.paper_pattern(pattern) == 0.0  # with nothing stronger on it, it is all there is to read
    with_ink = pattern.copy()
    for x in range(40, 260, 12):
        with_ink[30:70, x : x + 4] = 0.9  # strokes of a pen
    assert 0.3 <= clean_stage.paper_pattern(with_ink) <= 0.4
    # a pattern at more than 0.6 of a pale pen's contrast (0.47 of 0.75): still the paper's, not ink
    pale = 0.47 * waves(plain.shape, 9)
    for x in range(40, 260, 12):
        pale[30:70, x : x + 4] = 0.75
    assert clean_stage.paper_pattern(pale) == pytest.approx(0.47, abs=0.01)
    monkeypatch.setattr(clean_stage, "PATTERN_INK", 0.6)  # taken for ink where it stands out of the paper: none found
    assert clean_stage.paper_pattern(pale) == 0.0
    monkeypatch.undo()
    # faint writing filling most of a crop, tall and close (a faded register's number; a pen's mark beside it)
    faint = plain.copy()
    for k, d in enumerate((2, 3, 8, 6, 0, 3)):
        g = glyph(digits[d][0], 86)[:, :70]
        region = faint[7 : 7 + g.shape[0], 10 + 45 * k : 10 + 45 * k + g.shape[1]]
        np.maximum(region, 0.35 * g[:, : region.shape[1]], out=region)
    faint[92:96, 30:40] = 0.75
    assert clean_stage.paper_pattern(faint) == 0.0
    monkeypatch.setattr(clean_stage, "PATTERN_TILE_PCT", 100)  # the tile where it is densest: taken for a pattern
    assert clean_stage.paper_pattern(faint) > 0.2
    monkeypatch.undo()
    # squared paper: straight lines, which remove_lines takes out where handwriting crosses them
    grid = plain.copy()
    grid[::10, :] = 0.4
    grid[:, ::10] = 0.4
    for x in range(45, 260, 12):
        grid[30:70, x : x + 4] = 0.9
    assert clean_stage.paper_pattern(grid) == 0.0
    monkeypatch.setattr(clean_stage, "runs_along", lambda m, length, across: np.zeros_like(m))
    assert clean_stage.paper_pattern(grid) == pytest.approx(0.4, abs=0.01)  # its lines, if they were not told
