"""Assembly's rules on made-up readings: candidates with the boxes, probabilities and pens given here, chained into
lines and words (assemble.py), their separators told and mended (separators.py), print told from handwriting
(printed.py), signs and what an image's edges cut left out (leftovers.py). Pages drawn and read whole, through every
stage, are test_reading_pipeline.py's.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from made_readings import glyph_reading, patch_rule

from digitocr.reading.assemble import assemble
from digitocr.reading.find import Glyph
from digitocr.reading.items import Item, digit_item, not_a_digit
from digitocr.reading.leftovers import cut_at_edge, cut_by_edge, without_cut_off, without_signs
from digitocr.reading.printed import (
    abbreviation,
    clear_of,
    evenly_printed,
    handwritten,
    ink_angle,
    label_before,
    last_letter_of,
    led_by_capital,
    letter_like,
    letters_as_figures,
    line_words,
    looks_printed,
    off_the_print_line,
    ones_among_letters,
    ones_box,
    other_ink,
    other_pen,
    piece_of_a_letter,
    print_near,
    short_word_of_print,
    standing_heights,
    stands_above_print,
    written_unevenly,
)
from digitocr.reading.recognise import Reading
from digitocr.reading.separators import GIVEN_BACK, as_date, is_date, mended, separator, slashes, tidy


def word_of(digits: list[int], heights: list[int]) -> list[Item]:
    """Candidates read surely as `digits`, standing on one baseline, `heights` tall."""
    return [digit_item(glyph_reading((20 * i, 60 - h, 20 * i + 15, 60), d))
            for i, (d, h) in enumerate(zip(digits, heights, strict=True))]


def test_a_printed_word_of_two_neat_sizes_reads_as_letters_however_few_its_capitals():
    # "Date" at a low resolution: D and t 31 and 30 pixels tall, a and e (each cut in two) 24; all read surely
    heights = [31, 24, 24, 30, 24, 24]
    word = word_of([0, 2, 1, 5, 6, 3], heights)
    assert letter_like(word, float(np.percentile(heights, 80))) == [False, True, True, False, True, True]
    # handwriting: one digit taller than the rest, which are not of one height
    heights = [31, 24, 22, 30]
    assert letter_like(word_of([0, 2, 1, 5], heights), float(np.percentile(heights, 80))) == [False] * 4
    # ... or two digits of one height and two of another, by chance: too few to be a word's x-height
    heights = [30, 24, 23, 31]
    assert letter_like(word_of([8, 0, 4, 0], heights), float(np.percentile(heights, 80))) == [False] * 4
    heights = [31, 24, 23, 31]  # as a page of the benchmark has it: its tall ones of one height too, but read surely
    assert letter_like(word_of([8, 0, 4, 0], heights), float(np.percentile(heights, 80))) == [False] * 4


def test_two_short_digits_of_one_height_are_x_height_only_beside_capitals_of_one_height():
    # 7996854 of a cheque's 79,968.54 cut out small: its 7 and 4 stand 20 pixels tall, the rest 23 to 26. Two letters
    # of print's x-height come with capitals or ascenders of one height; handwriting's tall digits vary
    heights = [20, 26, 23, 26, 24, 26, 20]
    tall = float(np.percentile(heights, 80))
    assert letter_like(word_of([7, 9, 9, 6, 8, 5, 4], heights), tall) == [False] * 7
    even = [20, 26, 26, 26, 26, 26, 20]
    word = word_of([7, 9, 9, 6, 8, 5, 4], even)
    assert letter_like(word, tall) == [False] * 7  # the two short ones read surely as digits: digits written small
    word[6].confidence = 0.9  # a letter read as a 4, less surely
    assert letter_like(word, tall) == [True] + [False] * 5 + [True]
    three = [20, 26, 23, 20, 24, 26, 20]  # three of one height: x-height however the rest vary
    assert letter_like(word_of([7, 9, 9, 6, 8, 5, 4], three), tall) == [True, False, False, True, False, False, True]


def test_two_short_digits_of_one_height_written_high_are_no_x_height():
    # 720765 cut from a register and scaled up four times: its 2 and 0 written small and high, 92 pixels tall each
    # to the pixel, the 7, 6 and 5 121 to 126. Print's x-height stands on the capitals' baseline
    heights = [121, 92, 92, 126, 125]
    word = word_of([7, 2, 0, 6, 5], heights)
    for it in word[1:3]:
        it.confidence = 0.9  # read less than surely (sure ones are digits written small, however they stand)
    tall = float(np.percentile(heights, 80))
    assert letter_like(word, tall) == [False, True, True, False, False]  # on one baseline: like print
    for it in word[1:3]:
        it.box = (it.box[0], it.box[1] - 23, it.box[2], it.box[3] - 23)
    assert letter_like(word, tall) == [False] * 5


def test_a_short_lone_glyph_at_the_image_s_edge_is_a_neighbour_cut_off_not_a_number():
    same = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])  # work pixels are the image's
    number = word_of([2, 4, 7, 2, 2], [30, 31, 29, 30, 31])
    for it in number:
        it.box = (it.box[0] + 30, it.box[1], it.box[2] + 30, it.box[3])  # 30 pixels in from the left edge
    sliver = [digit_item(glyph_reading((0, 40, 4, 56), 1))]  # 16 tall, at the left edge: a neighbour's stroke cut off
    assert cut_at_edge([sliver, number], same, (200, 70)) == [number]
    inside = [digit_item(glyph_reading((5, 40, 9, 56), 1))]  # a short 1 clear of the edge stays
    assert cut_at_edge([inside, number], same, (200, 70)) == [inside, number]
    tall = [digit_item(glyph_reading((0, 30, 4, 60), 1))]  # as tall as the digits: a 1 the crop cut tight
    assert cut_at_edge([tall, number], same, (200, 70)) == [tall, number]
    assert cut_at_edge([sliver], same, (200, 70)) == [sliver]  # alone, it is what there is to read


def test_a_line_is_cut_by_the_image_s_edge_where_its_tall_glyphs_are_and_its_x_height_stands_clear_of_it():
    same = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])  # work pixels are the image's
    # "Paid" over a register's entry, cut by the crop's top: its P, i and d reach the edge, its a (0.75) stands below
    paid = word_of([2, 2, 1, 0], [60, 45, 60, 60])
    assert cut_by_edge([paid], same, (200, 120)) == {"top"}
    written = word_of([7, 3, 5], [60, 55, 52])  # a hand's 7 reaching the edge, its 3 and 5 (0.87) a little lower
    assert cut_by_edge([written], same, (200, 120)) == set()
    assert cut_by_edge([word_of([1, 2], [60, 60])], same, (200, 60)) == {"top", "bottom"}  # a crop cut tight


def test_a_thin_1_first_in_a_crop_s_margin_is_a_box_s_side_not_a_digit(monkeypatch):
    same = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])  # work pixels are the image's

    def line(x_one: int, stroke: float) -> list[list]:
        number = word_of([5, 5, 5], [30, 31, 29])
        for it in number:
            it.box = (it.box[0] + 60, it.box[1], it.box[2] + 60, it.box[3])
        one = digit_item(glyph_reading((x_one, 29, x_one + 3, 60), 1))
        one.reading.glyph.stroke = stroke
        return [[one, *number]]

    texts = lambda words: ["".join(it.text for it in w) for w in words]  # noqa: E731
    assert texts(cut_at_edge(line(13, 2.0), same, (200, 70), pen=3.2)) == ["555"]  # 13 pixels in, under 0.7 of the pen
    assert texts(cut_at_edge(line(13, 3.0), same, (200, 70), pen=3.2)) == ["1555"]  # a pen's 1
    assert texts(cut_at_edge(line(40, 2.0), same, (200, 70), pen=3.2)) == ["1555"]  # further in than its height
    patch_rule(monkeypatch, "EDGE_NEAR", 0.0)  # at the very edge only, as before
    assert texts(cut_at_edge(line(13, 2.0), same, (200, 70), pen=3.2)) == ["1555"]


def test_a_straight_1_cut_by_the_crop_s_bottom_below_its_digits_is_a_box_s_side():
    # "$ | 18" cut from a cheque: the box's side between the sign and the amount, its top half lost to the pattern,
    # runs from the digits' middle to the crop's bottom edge, upright and straight: read as a 1, it made 118
    same = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])  # work pixels are the image's

    def line(bottom: int, elongation: float) -> list[Item]:
        number = word_of([1, 8], [31, 31])
        for it in number:
            it.box = (it.box[0] + 76, it.box[1] - 8, it.box[2] + 76, it.box[3] - 8)  # 21 to 52, clear of the edges
        side = digit_item(glyph_reading((57, 29, 59, bottom), 1))
        side.reading.glyph.elongation = elongation
        return [side, *number]

    texts = lambda items: "".join(it.text for it in items)  # noqa: E731
    assert texts(without_cut_off(line(71, 0.02), same, (150, 71))) == "18"
    assert texts(without_cut_off(line(71, 0.2), same, (150, 71))) == "118"  # not straight as a ruler: a hand's 1
    assert texts(without_cut_off(line(60, 0.02), same, (150, 71))) == "118"  # clear of the edge
    assert texts(without_cut_off(line(71, 0.02), same, (150, 80))) == "118"  # the same, in a taller crop
    top_too = line(71, 0.02)
    top_too[2].box = (top_too[2].box[0], top_too[2].box[1], top_too[2].box[2], 71)  # its 8 cut by the edge as well
    assert texts(without_cut_off(top_too, same, (150, 71))) == "118"  # a crop cut tight: the 1 is the hand's


def test_a_short_straight_1_at_the_crop_s_edge_standing_above_its_digits_is_a_box_s_side():
    # 27.54 cut 18 pixels tall from a box: what is left of the box's right side, upright, straight and shorter than
    # the digits, stands half their height above them at the image's right edge (read 27.54 1)
    same = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])  # work pixels are the image's

    def line(top: int) -> list[list]:
        number = word_of([2, 7, 5, 4], [34, 36, 35, 34])  # 24 to 60
        side = digit_item(glyph_reading((171, top, 174, top + 32), 1))
        side.reading.glyph.stroke = 3.0  # the pen's: no thin rule by its stroke
        return [number, [side]]

    texts = lambda words: ["".join(it.text for it in w) for w in words]  # noqa: E731
    assert texts(cut_at_edge(line(5), same, (174, 80), pen=3.2)) == ["2754"]  # 19 above their tops: past 0.3 of them
    assert texts(cut_at_edge(line(20), same, (174, 80), pen=3.2)) == ["2754", "1"]  # 4 above: within their band
    assert texts(cut_at_edge(line(5), same, (180, 80), pen=3.2)) == ["2754", "1"]  # clear of the edge


def test_digits_cut_from_a_run_of_touching_ones_are_not_lowercase_for_being_lower_than_the_rest():
    heights = [44, 32, 44, 31, 44, 44]  # 707887 written touching: its 0 and 8 stand lower, of about one height
    word = word_of([7, 0, 7, 8, 8, 7], heights)
    for it in word[1:4:2]:
        it.confidence = 0.9  # not sure: two short ones read surely are digits written small, however they stand
    assert letter_like(word, 44.0) == [False, True, False, True, False, False]  # read alone: like x-height
    for it in word:  # cut out of one glyph 45 tall
        it.reading.split = 6
        it.reading.glyph = Glyph(labels=[1], box=(0, 15, 200, 60), area=1, kind="char")
    assert letter_like(word, 44.0) == [False] * 6


def test_even_handwriting_is_not_taken_for_print_but_a_printed_account_number_is():
    def number(heights: list[int], bottoms: list[int]) -> list[Item]:
        items = word_of([4] * len(heights), heights)
        for it, h, b in zip(items, heights, bottoms, strict=True):
            it.box = (it.box[0], b - h, it.box[2], b)
        return items
    # a careful hand at a low resolution: heights within a pixel, but not standing on one baseline to the pixel
    assert not evenly_printed(number([28, 26, 28, 29, 28, 27, 29], [609, 608, 606, 607, 608, 607, 607]))
    # print: heights within a pixel (antialiasing), the baseline exact, even on a slope
    assert evenly_printed(number([33, 33, 32, 33, 32, 33, 33], [990, 990, 990, 990, 990, 990, 990]))
    assert evenly_printed(number([33, 32, 33, 33, 32, 33, 33], [990, 991, 992, 993, 994, 995, 996]))
    # the same seven digits cut from three runs of touching digits (2011 04 24 written joined): the pieces of a
    # run share its top and bottom, so they line up as print's would; each run counts once, and three are too few
    runs = number([33] * 7, [990] * 7)
    for start, stop in ((0, 3), (3, 5), (5, 7)):
        box = (runs[start].box[0], 957, runs[stop - 1].box[2], 990)
        run = Glyph(labels=[start + 1], box=box, area=1, kind="char")
        for it in runs[start:stop]:
            it.reading.glyph, it.reading.split = run, stop - start
    assert not evenly_printed(runs)
    # 20/06/2024 in a careful hand: heights and baseline as even as print's, but its 2s and 0s differ in width
    date = number([24, 24, 24, 24, 25, 24, 25, 24], [529] * 8)
    for it, text, width in zip(date, "20062024", [17, 20, 22, 19, 15, 21, 17, 18], strict=True):
        it.text, it.box = text, (it.box[0], it.box[1], it.box[0] + width, it.box[3])
    assert not evenly_printed(date)
    for it, width in zip(date, [17, 20, 20, 19, 17, 21, 17, 18], strict=True):  # each figure one width: print
        it.box = (it.box[0], it.box[1], it.box[0] + width, it.box[3])
    assert evenly_printed(date)


def test_a_printed_label_run_into_its_printed_number_is_print():
    # Tel. 555-0199 in DejaVu Serif Condensed Italic at 40 pixels: T, e and l read as 7, 8 and 1 (the e like a letter)
    # and run into the number; (text, height, foot, width) at work resolution
    glyphs = [("7", 30, 78, 26), ("8", 23, 79, 19), ("1", 31, 78, 9), ("5", 31, 79, 21), ("5", 31, 79, 21),
              ("5", 31, 79, 21), ("0", 31, 79, 19), ("1", 30, 78, 14), ("9", 31, 79, 20), ("9", 31, 79, 20)]
    word = [digit_item(glyph_reading((30 * i, foot - h, 30 * i + w, foot), int(t))) for i, (t, h, foot, w)
            in enumerate(glyphs)]
    assert not evenly_printed(word)  # the label's letters break the figures' evenness
    letters = {id(it): it.text == "8" for it in word}
    assert looks_printed(word, letters)  # but seven glyphs in a row stand as even as print's: 555-0199
    # the same glyphs with no letter among them: a number written by hand, seven of its digits even by chance
    assert not looks_printed(word, dict.fromkeys(letters, False))
    assert not looks_printed(word[:7], letters)  # and no run is looked for in a word of seven


def test_gently_slanted_strokes_are_slashes_only_where_they_make_a_date():
    assert is_date("24", "07", "2026") and is_date("7", "2", "30") and is_date("12", "31", "99")
    assert not is_date("87", "7", "284")  # 87171284 with its 1s leaning: no year of three digits
    assert not is_date("45", "3", "2020") and not is_date("13", "14", "20") and not is_date("0", "5", "20")
    assert not is_date("24", "", "2026") and not is_date("2.5", "3", "20")


def test_a_date_read_with_one_open_zero_as_6_is_still_a_date_and_the_zero_restored():
    day, month, year = word_of([0, 2], [40, 40]), word_of([6, 2], [40, 40]), word_of([2, 0, 2, 1], [40] * 4)
    assert as_date(word_of([2, 4], [40] * 2), word_of([0, 7], [40] * 2), year) == {}  # a date as read
    assert as_date(day, month, year) is None  # 02/62/2021: no month 62, and no second choice worth a look
    six = month[0]
    six.alternatives = [("0", 0.08), ("5", 0.01)]  # the open 0 (a C), read as 6
    fixed = as_date(day, month, year)
    assert list(fixed) == [id(six)] and fixed[id(six)].text == "0" and fixed[id(six)].confidence == 0.08
    assert fixed[id(six)].alternatives[0] == ("6", six.confidence)
    six.alternatives = [("0", 0.002)]  # too unlikely to overrule
    assert as_date(day, month, year) is None
    # 23/10/00 with its 2 read surely as a 7 (a seed-1 tuning page: 0.993, the 2 next at 0.0058) read 73110100
    day = word_of([7, 3], [49, 43])
    day[0].alternatives = [("2", 0.0058)]
    fixed = as_date(day, word_of([1, 0], [44, 46]), word_of([0, 0], [46, 45]))
    assert list(fixed) == [id(day[0])] and fixed[id(day[0])].text == "2"


def test_a_number_keeps_a_trailing_dot_dash_but_no_other_stray_separator():
    def text(*parts: str) -> str:
        word = []
        for part in parts:
            word += word_of([int(d) for d in part], [40] * len(part)) if part.isdigit() else [
                Item(part, (0, 0, 5, 5), 1.0, [], word_of([0], [40])[0].reading)]
        return "".join(it.text for it in tidy(word))
    assert text("85400", ".", "-") == "85400.-" and text("1", ",", "000", ".", "-") == "1,000.-"
    assert text("85400", "-") == "85400" and text("85400", ".") == "85400" and text("-", "12", ",") == "12"
    assert text("12", ",", "50", "-") == "12,50-"  # after a separator inside, a lone one stays (1,000.- less its dot)


def assembled(readings: list[Reading]) -> list[str]:
    lines = assemble(readings, np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), (2000, 400))
    return [w.text for line in lines for w in line.words]


def test_a_long_comma_as_tall_as_a_short_digit_hangs_below_the_line_and_is_no_digit():
    # 97,82 with digits 40 tall (y 20 to 60) and a thick pen's comma 28 tall: from 8 below their middle to 20
    # below their baseline. It overlaps the 7 too little to chain with it, and is too tall to be a mark by size
    def row(comma_top: int) -> list[str]:
        digits = [glyph_reading((100 + 24 * k + 20 * (k >= 2), 20 + k % 2, 118 + 24 * k + 20 * (k >= 2), 60), d)
                  for k, d in enumerate([9, 7, 8, 2])]
        return assembled([*digits, glyph_reading((146, comma_top, 154, 80), 1)])
    assert row(52) == ["97,82"]
    assert row(47) == ["97,82"]  # overlapping the digits enough to chain with them
    assert row(22) == ["97182"]  # a stroke from the top of the line down below it: a 1 that descends


def test_the_dash_of_a_trailing_dot_dash_may_reach_past_a_digits_width():
    digits = [glyph_reading((100 + 22 * k, 20, 116 + 22 * k, 60), d) for k, d in enumerate([9, 5, 7])]
    dot = glyph_reading((170, 54, 175, 60), None)
    assert assembled([*digits, dot, glyph_reading((180, 38, 214, 43), None)]) == ["957.-"]  # 40 px past the 7
    assert assembled([*digits, dot, glyph_reading((200, 38, 240, 43), None)]) == ["957"]  # a stroke further off


def test_an_amounts_dot_dash_whose_point_was_lost_gets_it_back_as_doubtful():
    # 957.- under a cheque's pattern, its pale point thinned away: digits 40 tall (y 20 to 60), the 7 ending at x 160
    digits = [glyph_reading((100 + 22 * k, 20 + k % 2, 116 + 22 * k, 60), d) for k, d in enumerate([9, 5, 7])]

    def read(dash: tuple[int, int, int, int], before: list[Reading] = digits) -> list:
        return assemble([*before, glyph_reading(dash, None)], np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]),
                        (2000, 400))

    lines = read((172, 37, 194, 43))  # a point's room (12 px) after the 7, half a digit wide, at mid-height
    chars = lines[0].words[0].chars
    assert [w.text for w in lines[0].words] == ["957.-"]
    assert chars[3].confidence == GIVEN_BACK and chars[3].bbox == (160, 48, 172, 60)
    speck = glyph_reading((86, 55, 90, 59), None)  # a speck before the number, taken for a point, is none of it
    assert [w.text for line in read((172, 37, 194, 43), [speck, *digits]) for w in line.words] == ["957.-"]
    assert [w.text for line in read((161, 37, 183, 43)) for w in line.words] == ["957"]  # no room for a point
    assert [w.text for line in read((172, 54, 194, 60)) for w in line.words] == ["957"]  # at the foot: a rule's piece
    assert [w.text for line in read((172, 38, 180, 42)) for w in line.words] == ["957"]  # a speck, not a dash
    # a thousands' comma before it is no point: 48,241.- under the pattern read 48,241-
    amount = [glyph_reading((100 + 22 * k + 14 * (k >= 2), 20 + k % 2, 116 + 22 * k + 14 * (k >= 2), 60), d)
              for k, d in enumerate([4, 8, 2, 4, 1])]
    comma = glyph_reading((140, 54, 146, 66), None)
    assert [w.text for line in read((228, 37, 250, 43), [*amount, comma]) for w in line.words] == ["48,241.-"]
    # but where a point was read already, one more is none: 36.7- (a point astray) stays as read
    astray = [glyph_reading((100, 20, 116, 60), 3), glyph_reading((122, 21, 138, 60), 6),
              glyph_reading((141, 54, 146, 60), None), glyph_reading((150, 20, 166, 60), 7)]
    assert [w.text for line in read((178, 37, 200, 43), astray) for w in line.words] == ["36.7-"]


def test_a_lone_thin_upright_1_on_a_line_of_its_own_is_a_rule_s_piece():
    # a register's column rule cut into pieces: one stands as a 1 on a line of its own above 555 (pen 3.0)
    def read(stroke: float, slant: float = 0.0, number: bool = True) -> list[str]:
        digits = [glyph_reading((100 + 22 * k, 120 + k % 2, 116 + 22 * k, 160), 5) for k in range(3)]
        for d in digits:
            d.glyph.stroke = 3.0
        piece = glyph_reading((60, 40, 63, 80), 1)
        piece.glyph.stroke, piece.glyph.slant, piece.glyph.elongation = stroke, slant, 0.05
        return assembled([piece, *digits] if number else [piece])
    assert read(2.0) == ["555"]  # 0.67 of the pen: a line a pixel or two wide
    assert read(2.5, slant=-6.0) == ["555"]  # 0.83, a box drawn askew
    assert read(2.7) == ["1", "555"]  # 0.9 of the pen: a fine pen's own 1
    assert read(2.0, slant=15.0) == ["1", "555"]  # leaning as a hand writes it
    assert read(2.0, number=False) == ["1"]  # alone, it is what there is to read


def test_a_dash_may_stand_further_from_the_digits_beside_it_than_digits_from_each_other():
    def phone(gap: int) -> list[str]:  # 555-3783, digits 40 tall; the gap after the dash in pixels
        left = [glyph_reading((100 + 22 * k, 20 + k % 3, 116 + 22 * k, 60 + k % 2), 5) for k in range(3)]
        dash = glyph_reading((172, 37, 190, 43), None)
        right = [glyph_reading((190 + gap + 22 * k, 21 - k % 2, 206 + gap + 22 * k, 59 + k % 3), d)
                 for k, d in enumerate([3, 7, 8, 3])]  # handwriting wobbles: no print
        return assembled([*left, dash, *right])
    assert phone(30) == ["555-3783"]  # three quarters of the digits' height: two numbers, were it no dash
    assert phone(44) == ["555", "3783"]
    # but the dash that ends 85.- does not reach for the next column's number
    amount = [glyph_reading((100, 20, 116, 60), 8), glyph_reading((122, 21, 138, 59), 5),
              glyph_reading((142, 54, 147, 60), None), glyph_reading((150, 37, 168, 43), None)]
    beside = [glyph_reading((198 + 22 * k, 20 + k, 214 + 22 * k, 60), d) for k, d in enumerate([1, 2])]
    assert assembled(amount + beside) == ["85.-", "12"]


def test_a_row_of_small_print_ending_in_big_handwriting_keeps_the_dot_dash_of_its_amount():
    # "Amount due in full" printed 14 pixels tall (no digit to the model), then 997.- handwritten 60 tall
    label = []
    for k in range(12):
        box = (20 + 12 * k + 8 * (k % 4 == 3), 466, 30 + 12 * k + 8 * (k % 4 == 3), 480)
        label.append(Reading(box=box, probs=np.full(10, 0.01, np.float32),
                             glyph=Glyph(labels=[1], box=box, area=1, kind="char")))
    amount = [glyph_reading((400 + 50 * k, 420 + k % 2, 440 + 50 * k, 481 - k % 3), d) for k, d in enumerate([9, 9, 7])]
    dot, dash = glyph_reading((542, 471, 551, 481), None), glyph_reading((554, 446, 590, 458), None)
    assert assembled(label + amount + [dot, dash]) == ["997.-"]
    assert assembled(amount + [dot, dash]) == ["997.-"]
    # written further apart: the dash 22 pixels from the 7, more than the print's height, less than the 7's
    dot, dash = glyph_reading((546, 471, 555, 481), None), glyph_reading((562, 446, 598, 458), None)
    assert assembled(label + amount + [dot, dash]) == ["997.-"]


def test_a_comma_in_handwriting_after_a_row_of_smaller_print_is_no_digit():
    # a form's row: a printed number 15 pixels tall (its figures read surely), then 31,20 handwritten 25 tall whose
    # comma, 12 tall and reaching below the baseline, reads as a 1 to the classifier: as tall as the print's figures
    printed = [glyph_reading((100 + 14 * k, 899, 112 + 14 * k, 914), d) for k, d in enumerate([4, 7, 1, 1, 5, 0, 7])]
    hand = [glyph_reading(box, d) for box, d in [((692, 896, 717, 918), 3), ((718, 893, 733, 918), 1),
                                                  ((743, 893, 760, 918), 2), ((762, 895, 780, 919), 0)]]
    comma = glyph_reading((735, 913, 742, 925), None)
    comma.as_digit = np.where(np.arange(10) == 1, 0.99, 0.001).astype(np.float32)
    assert assembled(printed + hand + [comma])[-1] == "31,20"


def test_a_lone_digit_written_small_far_from_the_numbers_of_its_line_is_read():
    # a grid page's line of small writing (22 pixels, where the page's is bigger: a lone digit of it is a mark) with a
    # 3 standing alone three of its heights before 9662
    number = [glyph_reading((200 + 16 * k, 100 + k % 2, 212 + 16 * k, 122 - k % 3), d)
              for k, d in enumerate([9, 6, 6, 2])]

    def lone(digit: int, sure: float) -> Reading:
        mark = glyph_reading((120, 101, 132, 121), None)
        mark.as_digit = np.where(np.arange(10) == digit, sure, 0.005).astype(np.float32)
        return mark
    assert assembled([lone(3, 0.99)] + number) == ["3", "9662"]
    assert assembled([lone(3, 0.5)] + number) == ["9662"]  # read unsurely: print's capital, or nothing
    assert assembled([lone(1, 0.99)] + number) == ["9662"]  # a 1: print's l or t as often, or a tick


def test_a_pair_of_one_height_with_one_odd_digit_is_a_number_but_print_s_two_letter_words_are_not():
    def pair(first: tuple[int, float, int], second: tuple[int, float, int]) -> list[Item]:
        out = []
        for k, (d, p, h) in enumerate((first, second)):
            out.append(digit_item(glyph_reading((100 + 30 * k, 80 - h, 120 + 30 * k, 80), d, p)))
        return out

    def words(items: list[Item]) -> list[str]:
        return ["".join(it.text for it in w) for w in line_words(items)]
    assert words(pair((7, 0.99, 40), (9, 0.1, 38))) == ["79"]  # 79 whose 9 the classifier doubts
    assert words(pair((8, 0.1, 40), (0, 0.99, 29))) == []  # No: its o shorter than its N
    assert words(pair((1, 0.99, 40), (0, 0.1, 40))) == []  # ID: its I a sure 1
    assert words(pair((7, 0.1, 40), (9, 0.1, 38))) == []  # both odd


def test_digits_beside_strokes_of_two_lines_run_together_are_no_lowercase_letters():
    # 555-2207 whose 2's tail reached the line above: 2207 two glyphs 68 pixels tall beside the 555's 24 to 27
    heights = [24, 27, 27, 68, 68]
    assert letter_like(word_of([5, 5, 5, 2, 8], heights), float(np.percentile(heights, 80))) == [False] * 5
    # print's x-height is half its capitals' or more: its lowercase letters beside them are letters
    heights = [30, 14, 14, 30, 14]
    assert letter_like(word_of([0, 2, 1, 5, 6], heights), float(np.percentile(heights, 80))) == [
        False, True, True, False, True]

    # a line of them: two touching pairs, each no digit whole (as print's n cut in two may read as 17), are no
    # letters of x-height beside the run-together glyph, which is no capital
    def pair(x: int, digits: tuple[int, int]) -> list[Item]:
        glyph = Glyph(labels=[1], box=(x, 33, x + 30, 60), area=1, kind="char")
        out = []
        for k, d in enumerate(digits):
            r = glyph_reading((x + 15 * k, 33, x + 15 * k + 14, 60), d)
            r.glyph, r.split, r.whole_rest = glyph, 2, 0.9
            out.append(digit_item(r))
        return out
    line = [digit_item(glyph_reading((-40, 13, -25, 60), 6))]  # a 6 that touched the line above too, less far
    line += word_of([9, 3, 5], [27, 28, 27]) + pair(100, (7, 5)) + pair(200, (3, 1))
    # the run-together glyph "not a digit" to the classifier: no number, but no capital of print either
    line += [digit_item(glyph_reading((300, -8, 330, 60), 2, 0.3)), digit_item(glyph_reading((350, 33, 365, 60), 4))]
    assert ["".join(it.text for it in w) for w in line_words(line)] == ["6", "935", "75", "31", "4"]


def test_a_number_with_two_digits_read_unsurely_is_no_line_of_print():
    # a cheque's 306096 whose middle 0 and 6 the pattern blurred: each read as 0 or 6 at 0.45, neither "not a digit";
    # its digits of one height, as print's figures are, though not to the pixel
    boxes = [(20 * i, b - h, 20 * i + w, b) for i, (w, h, b) in
             enumerate([(15, 33, 60), (17, 33, 60), (14, 33, 61), (16, 33, 59), (15, 31, 60), (16, 31, 61)])]

    def number(first: float, second: float) -> list[Item]:
        readings = [glyph_reading(box, d) for box, d in zip(boxes, [3, 0, 6, 0, 9, 6], strict=True)]
        for r, d in zip(readings[2:4], [6, 0], strict=True):
            r.probs = np.full(10, 0.01, np.float32)
            r.probs[d], r.probs[6 - d] = first, second
        return [digit_item(r) for r in readings]
    assert ["".join(it.text for it in w) for w in line_words(number(0.45, 0.44))] == ["306096"]
    # with "not a digit" the likelier instead (0.51), they are letters: a line of type, which gives nothing
    assert line_words(number(0.4, 0.01)) == []


def test_a_speck_high_between_two_digits_keeps_their_number_together():
    # 23518 whose 1 came with one of MNIST's specks to its right: the gap from the 1 to the 8 is wider than a word's
    # without the speck in it
    xs = [(537, 560), (565, 579), (581, 605), (610, 617), (633, 648)]
    number = [glyph_reading((x0, 20, x1, 48), d) for (x0, x1), d in zip(xs, [2, 3, 5, 1, 8], strict=True)]
    speck = glyph_reading((624, 24, 629, 28), None)
    assert assembled(number + [speck]) == ["23518"]
    assert assembled(number) == ["2351", "8"]
    dot = glyph_reading((624, 43, 629, 48), None)  # on the baseline it is a dot
    assert assembled(number + [dot]) == ["2351.8"]


def test_a_table_row_with_a_printed_label_keeps_its_handwriting_though_one_digit_reads_like_a_letter():
    row = []
    for k, d in enumerate([9, 9, 1, 3, 3, 7, 3, 1, 8, 9]):
        x = 200 + 22 * k + 60 * (k >= 2) + 60 * (k >= 5)  # 99  133  7318 9
        # the 7, an odd one: "not a digit" to the classifier
        row.append(digit_item(glyph_reading((x, 30 - k % 3, x + 16, 60 + k % 2), d, 0.14 if k == 5 else 0.99)))
    label = [(10 + 12 * k, 44, 18 + 12 * k, 59) for k in range(4)]  # "Artic": small print, far to the left
    assert [" ".join("".join(it.text for it in w) for w in line_words(row, label))] == ["99 133 73189"]
    # print right beside the first number, its letters as tall as print's figures of that size: the 99 is print
    near = [(b[0] + 150, b[1] - 9, b[2] + 150, b[3]) for b in label]
    assert ["".join(it.text for it in w) for w in line_words(row, near)] == ["133", "73189"]
    # the small print right beside it: the 99 stands twice as tall as its letters, a field filled in after its label
    near = [(b[0] + 150, b[1], b[2] + 150, b[3]) for b in label]
    assert ["".join(it.text for it in w) for w in line_words(row, near)] == ["99", "133", "73189"]


def test_of_two_ways_to_a_date_the_taller_strokes_are_the_slashes():
    # 11/4/10 written with its second 1 leaning as far as the slashes: 1/14/10 is a date too
    word = word_of([1, 1, 1, 4, 1, 1, 0], [40, 40, 50, 40, 52, 40, 40])
    for it, slant in zip(word, [6, 37, 21, -30, 18, 6, 2], strict=True):
        it.reading.glyph = Glyph(labels=[1], box=it.box, area=1, kind="char", slant=slant,
                                 elongation=0.1 if it.text == "1" else 0.7)
    assert "".join(it.text for it in slashes(word, 40.0)) == "11/4/10"
    word[2].box = (word[2].box[0], 20, word[2].box[2], 60)  # the first slash no taller than the 1 before it
    assert "".join(it.text for it in slashes(word, 40.0)) == "1/14/10"


def test_a_slash_touching_the_digit_before_it_is_told_by_its_own_piece():
    # 09/02/2026 with the second slash written into the 2 before it: one glyph, cut into a 2 and a 1
    word = word_of([0, 9, 1, 0, 2, 1, 2, 0, 2, 6], [40, 40, 46, 40, 40, 44, 40, 40, 40, 40])
    for it in word:
        it.reading.glyph = Glyph(labels=[1], box=it.box, area=1, kind="char", slant=-5.0, elongation=0.6)
    word[2].reading.glyph.slant, word[2].reading.glyph.elongation = 24.0, 0.15  # the first slash, a glyph alone
    touching = Glyph(labels=[1], box=(80, 16, 120, 60), area=1, kind="char", slant=72.0, elongation=0.7)
    for it in word[4:6]:
        it.reading.glyph, it.reading.split = touching, 2
    assert "".join(it.text for it in slashes(word, 40.0)) == "0910212026"  # the glyph whole is no stroke
    word[4].reading.piece_shape, word[5].reading.piece_shape = (-8.0, 0.5), (26.0, 0.12)
    assert "".join(it.text for it in slashes(word, 40.0)) == "09/02/2026"


def test_a_dot_a_little_taller_than_wide_is_a_dot_and_a_comma_reaches_below_the_line():
    # digits from y = 20 to 60: a dot of 4 by 7 pixels on the baseline (a pen's dab, after JPEG) against commas
    assert separator((100, 53, 104, 60), 20.0, 60.0) == "."
    assert separator((100, 52, 105, 66), 20.0, 60.0) == ","  # its tail 6 pixels below the baseline
    assert separator((100, 48, 104, 58), 20.0, 60.0) == ","  # a tick of a quarter of the digits' height
    assert separator((100, 38, 104, 58), 20.0, 60.0) == ":"  # a tick from their middle: a colon run together


def test_specks_beside_a_one_neither_part_the_number_nor_make_a_comma():
    # 1:9721, the 1 with two specks beside it that run together into one tick at the work resolution
    digits = [glyph_reading((100 + 24 * k + 10 * (k > 0), 20 + k % 3, 116 + 24 * k + 10 * (k > 0), 60 - k % 2), d)
              for k, d in enumerate([1, 9, 7, 2, 1])]
    assert assembled([*digits, glyph_reading((120, 38, 124, 58), None)]) == ["19721"]
    assert assembled([*digits, glyph_reading((120, 48, 124, 58), None)]) == ["1,9721"]  # a comma's tick
    assert separator((100, 37, 114, 42), 20.0, 60.0) == "-"


def test_a_form_row_keeps_small_handwriting_that_stands_apart_from_its_print():
    def glyphs(digits: list[int], x: int, h: int, sure: float = 0.99) -> list[Item]:
        out = []
        for k, d in enumerate(digits):
            low = 100 + (3 * k) % 5 - 2  # handwriting wobbles on its baseline
            box = (x + k * (h * 3 // 4), low - h - k % 3, x + k * (h * 3 // 4) + h // 2, low)
            out.append(digit_item(glyph_reading(box, d, sure)))
        return out
    label = glyphs([8, 0, 8], 0, 22, sure=0.01)  # print that the model calls no digit ("Ref"), small
    big, small = glyphs([2, 0, 9, 1], 200, 46), glyphs([6, 0, 7, 0, 3, 9], 600, 30)  # two fields, written
    texts = ["".join(it.text for it in w) for w in line_words(label + big + small)]
    assert texts == ["2091", "607039"]
    beside = glyphs([6, 0, 7, 0, 3, 9], 70, 30)  # the small field right after the print: print itself, as before
    assert ["".join(it.text for it in w) for w in line_words(label + beside + big)] == ["2091"]


def test_a_date_beside_a_label_of_small_print_is_kept_where_it_stands_taller_than_print_s_capitals():
    # "Valid until 4.12.1999" on a form: at the work resolution the label's letters are all too small for digits
    # (its tallest, the l and the t, 15 pixels), so no digit of the line reads as a letter; the date is 26 to 31 tall
    date = word_of([4, 1, 2, 1, 9, 9, 9], [26, 27, 29, 31, 29, 28, 30])
    for it in date:
        it.box = (it.box[0] + 100, it.box[1], it.box[2] + 100, it.box[3])
    label = [(70, 45, 73, 60), (80, 47, 84, 60)]
    assert ["".join(it.text for it in w) for w in line_words(date, label)] == ["4121999"]
    # letters as tall as the capitals beside printed figures of the date's size: print, as before
    label = [(70, 38, 73, 60), (80, 39, 84, 60)]
    assert line_words(date, label) == []


def test_a_phone_number_beside_its_printed_label_stays_though_a_bigger_field_further_on_sets_the_line_s_cut():
    # "Phone: 025-408-2382 ... Invoice No 8968": the label's P and h read as no digit (15 and 16 pixels), the rest of it
    # strays; the phone number 24 to 30 pixels tall, the invoice number 41 to 46. The line's two sizes of writing
    # part between the phone number and the invoice number, but print stands no taller than its letters' capitals
    def field(digits: list[int], x: int, heights: list[int], sure: float = 0.99) -> list[Item]:
        out = []
        for k, (d, h) in enumerate(zip(digits, heights, strict=True)):
            out.append(digit_item(glyph_reading((x + 20 * k, 100 - h - k % 3, x + 20 * k + 14, 100 - k % 3), d, sure)))
        return out
    label = field([8, 6], 0, [15, 16], sure=0.01)
    phone = field([0, 2, 5, 4, 0, 8, 2, 3, 8, 2], 100, [27, 26, 30, 28, 27, 28, 24, 28, 24, 27])
    invoice = field([8, 9, 6, 8], 800, [46, 44, 41, 41])
    strays = [(60, 88, 66, 100), (68, 88, 74, 100), (76, 88, 82, 100)]
    assert ["".join(it.text for it in w) for w in line_words(label + phone + invoice, strays)] == ["0254082382", "8968"]


def test_a_number_s_speck_read_as_a_dot_goes_and_a_comma_read_for_a_dot_becomes_one():
    def mark(text: str, x: int, area: int) -> Item:
        box = (x, 55, x + 5, 60)
        return Item(text=text, box=box, confidence=1.0, alternatives=[],
                    reading=Reading(box=box, probs=None, glyph=Glyph(labels=[1], box=box, area=area, kind="mark")))
    d = word_of([2, 0, 0, 2, 0, 4, 1, 1], [40] * 8)
    date = d[:4] + [mark("-", 85, 30)] + d[4:6] + [mark("-", 125, 30)] + d[6:7] + [mark(".", 150, 4)] + d[7:]
    assert "".join(it.text for it in mended(date)) == "2002-04-11"
    d = word_of([1, 7, 1, 2, 2, 0, 1, 8], [40] * 8)
    date = d[:2] + [mark(",", 35, 20)] + d[2:4] + [mark(".", 75, 20)] + d[4:]
    fixed = mended(date)
    assert "".join(it.text for it in fixed) == "17.12.2018" and fixed[2].box == date[2].box
    assert "".join(it.text for it in mended(d[:3] + [mark(".", 55, 20)] + d[3:5])) == "171.22"  # as it was


def test_a_date_s_lost_separator_is_given_back_in_the_gap_and_the_number_flagged_as_doubtful():
    def mark(text: str, x: int) -> Item:
        box = (x, 55, x + 5, 60)
        return Item(text=text, box=box, confidence=1.0, alternatives=[],
                    reading=Reading(box=box, probs=None, glyph=Glyph(labels=[1], box=box, area=30, kind="mark")))
    d = word_of([8, 8, 2, 0, 1, 6], [40] * 6)  # 8.8.2016 whose second dot was too faint to keep
    fixed = mended(d[:1] + [mark(".", 16)] + d[1:])
    assert "".join(it.text for it in fixed) == "8.8.2016"
    given = fixed[3]
    assert given.box == (35, 20, 40, 60) and given.confidence == GIVEN_BACK and given.alternatives == []
    # a speck that bridges the number (read as nothing) is no character to count places by
    speck = mark("", 36)
    fixed = mended(d[:1] + [mark(".", 16)] + d[1:2] + [speck] + d[2:])
    assert [it.text for it in fixed] == ["8", ".", "8", "", ".", "2", "0", "1", "6"]
    # 2015-04-10 whose first dash touched the 0 after it, and went with it
    d = word_of([2, 0, 1, 5, 0, 4, 1, 0], [40] * 8)
    assert "".join(it.text for it in mended(d[:6] + [mark("-", 116)] + d[6:])) == "2015-04-10"
    # an amount, a phone number and a month's date stay as read
    for digits, at, sep in (([1, 2, 5, 0], 2, "."), ([5, 5, 5, 2, 0, 1, 2], 3, "-"), ([1, 2, 2, 0, 1, 9], 2, ".")):
        d = word_of(digits, [40] * len(digits))
        word = d[:at] + [mark(sep, 20 * at - 3)] + d[at:]
        assert mended(word) == word


def test_only_a_1_in_short_pieces_thinner_than_its_number_s_pen_is_a_streak():
    def row(stroke: float, tallest: int) -> list[str]:
        readings = [glyph_reading((100 + 24 * k, 20, 118 + 24 * k, 60), d) for k, d in enumerate([9, 2, 0, 8, 4])]
        for r in readings:
            r.glyph.stroke, r.glyph.tallest_piece = 5.0, 40
        streak = glyph_reading((222, 22, 226, 60), 1)  # 4 wide, 38 tall, just right of the 4
        streak.glyph.labels, streak.glyph.stroke, streak.glyph.tallest_piece = [1, 2], stroke, tallest
        return assembled([*readings, streak])
    assert row(2.5, 18) == ["92084"]
    assert row(5.0, 18) == ["920841"]  # the pen's own stroke
    assert row(2.5, 38) == ["920841"]  # one stroke the whole height: a thin 1 (a sliver joined to it stays too)


def test_specks_beside_a_lone_1_read_as_no_digit_surely_are_a_streak_not_letters():
    # a 1 with MNIST's specks right of it, two dots run together: read as a 6 at 0.29, it made the number letters
    one = glyph_reading((100, 30, 106, 60), 1)
    one.glyph.stroke, one.glyph.tallest_piece = 3.7, 30
    specks = glyph_reading((110, 38, 113, 56), 6)  # 18 tall beside the 1's 30: no separator's size
    specks.probs = np.array([0.12, 0.24, 0.12, 0.04, 0.01, 0.07, 0.29, 0.04, 0.05, 0.01], np.float32)
    specks.glyph.labels, specks.glyph.stroke, specks.glyph.tallest_piece = [1, 2], 2.3, 8
    assert assembled([one, specks]) == ["1"]
    specks.glyph.stroke = 3.7  # the pen's own stroke: no streak, and the unsure glyph makes the word letters
    assert assembled([one, specks]) == []


def test_a_steep_stroke_that_makes_no_date_is_a_slash_only_where_it_stands_taller_than_the_digits():
    # 31867 with its 1 leaning 46 degrees, as tall as the digits and a little more: a 1; a slash reaches past them
    def read_with_stroke(tall: int) -> str:
        word = word_of([3, 1, 8, 6, 7], [40, tall, 40, 40, 40])
        for it in word:
            it.reading.glyph = Glyph(labels=[1], box=it.box, area=1, kind="char", slant=-10.0, elongation=0.6)
        word[1].reading.glyph.slant, word[1].reading.glyph.elongation = 46.0, 0.12
        return "".join(it.text for it in slashes(word, 40.0))
    assert read_with_stroke(44) == "31867"
    assert read_with_stroke(48) == "3/867"


def test_a_digit_written_small_at_a_numbers_start_is_read_but_not_a_short_tick():
    # 43891 with digits 40 tall (y 20 to 60) and its 4 written small: 21 tall, a little above the baseline
    def row(first: int | None, top: int = 36, bottom: int = 57, sure: float = 0.9) -> list[str]:
        digits = [glyph_reading((130 + 24 * k, 20 + k % 3, 146 + 24 * k, 60 - k % 2), d)
                  for k, d in enumerate([3, 8, 9, 1])]
        small = glyph_reading((102, top, 126, bottom), None if first is None else 0)
        if first is not None:
            small.probs = np.full(10, (1.0 - sure) / 9, np.float32)
            small.probs[first] = sure
        return assembled([small, *digits])
    assert row(4) == ["43891"]
    assert row(4, sure=0.6) == ["3891"]  # unsure: a letter, perhaps
    assert row(4, top=26, bottom=46) == ["3891"]  # standing well above the baseline
    assert row(4, top=44, bottom=57) == ["3891"]  # too short: a third of the digits' height
    assert row(1, sure=0.99) == ["3891"]  # a short upright stroke: a tick, not a 1


def test_a_sign_before_an_amount_or_after_it_is_no_digit_of_it():
    def item(text: str, x: int, sure: float = 0.99, said: str | None = None) -> Item:
        reading = glyph_reading((x, 10, x + 30, 50), int(text) if text.isdigit() else None, sure)
        reading.string_text = said
        return Item(text, reading.box, sure, [], reading) if text.isdigit() else Item(text, reading.box, 1.0, [],
                                                                                        reading)
    sign = item("4", 0, 0.01, said="")  # "not a digit" 0.98 to the classifier, nothing to the string reader
    word = [sign, item("4", 40), item("0", 80), item(".", 115), item("9", 130), item("6", 170)]
    assert "".join(it.text for it in without_signs(word)) == "40.96"
    assert "".join(it.text for it in without_signs([*word[1:], item(",", 200), item("8", 220, 0.01, said="")])) \
        == "40.96"  # a sign after it, and the comma it leaves at the end
    odd_two = item("2", 0, 0.01, said="2")  # a digit the classifier calls none, which the string reader reads
    assert without_signs([odd_two, *word[1:]])[0] is odd_two
    no_strings = item("4", 0, 0.01)  # read without a string reader: no say on it
    assert without_signs([no_strings, *word[1:]])[0] is no_strings
    assert without_signs([sign]) == [sign]  # a sign alone is left to the rules for letters


def test_a_table_row_s_printed_label_and_number_stay_print_though_the_label_stands_apart_from_the_number_s_line(
        monkeypatch):
    # "Article 918 | 11 | 8538" on a stock list, at the work resolution (a page of val2): the label's letters are
    # marks too small to be digits, and only its "le" stands within a character's height of the printed 918, whose 9
    # is a mark read as a digit and whose 8 the classifier calls no digit. The letters run on from the 9 to the
    # label's start, and all of them tell the 918 for print
    letters = [glyph_reading(b, None) for b in [(171, 835, 184, 850), (185, 836, 199, 850), (201, 835, 204, 850),
                                                (205, 838, 214, 851), (216, 835, 219, 850), (221, 838, 232, 850)]]
    nine = glyph_reading((239, 835, 249, 850), None)
    nine.as_digit = np.full(10, 0.001, np.float32)
    nine.as_digit[9] = 0.99
    printed = [nine, glyph_reading((252, 835, 261, 851), 1, 1.0), glyph_reading((263, 835, 273, 851), 8, 0.15)]
    written = [glyph_reading((400 + 24 * k + 80 * (k >= 2), 823 + k % 3, 418 + 24 * k + 80 * (k >= 2), 851 - k % 2), d)
               for k, d in enumerate([1, 1, 8, 5, 3, 8])]
    assert assembled(letters + printed + written) == ["11", "8538"]
    # the label further off: its letters do not run on to the figures, but the 8 the classifier calls no digit tells
    # a short word for print (short_word_of_print); without that, nothing did
    apart = [glyph_reading((b[0] - 12, b[1], b[2] - 12, b[3]), None) for b in (r.box for r in letters)]
    assert assembled(apart + printed + written) == ["11", "8538"]
    patch_rule(monkeypatch, "short_word_of_print", lambda digits: False)
    assert assembled(apart + printed + written) == ["918", "11", "8538"]


def test_a_sliver_of_print_at_a_crop_s_edge_leaves_the_date_beside_it_a_date():
    # 13/12/1995 cut out of a cheque over its pattern, with the last letter of the printed "Paid" at the crop's left
    # edge: a stroke 3 pixels wide and 17 tall, a digit's gap from the date, read as a 1 (a seed-2 tuning crop)
    def reading(box: tuple[int, int, int, int], digit: int, slant: float, elongation: float) -> Reading:
        r = glyph_reading(box, digit)
        r.glyph.slant, r.glyph.elongation = slant, elongation
        return r
    date = [reading(b, d, s, e) for b, d, s, e in [
        ((19, 21, 38, 51), 1, 28.2, 0.17), ((41, 20, 74, 50), 3, -33.5, 0.51), ((74, 18, 87, 52), 1, 16.0, 0.14),
        ((88, 22, 97, 51), 1, 9.2, 0.18), ((100, 19, 126, 51), 2, -26.3, 0.77), ((129, 18, 144, 52), 1, 18.4, 0.15),
        ((146, 23, 159, 48), 1, 1.3, 0.38), ((163, 22, 176, 49), 9, -8.2, 0.43), ((181, 22, 196, 49), 9, -3.0, 0.49),
        ((197, 19, 222, 51), 5, -0.3, 0.65)]]
    assert assembled(date) == ["13/12/1995"]
    assert assembled([reading((0, 32, 3, 49), 1, -0.1, 0.13), *date]) == ["13/12/1995"]
    # the same stroke clear of the edge is read with the date, as it may be a digit of it
    assert assembled([reading((4, 32, 7, 49), 1, -0.1, 0.13), *date]) == ["11311211995"]
    # and a short digit at the edge as wide as a digit is one: a low 4 of 45473 cut tight
    digits = [reading((20 + 22 * k, 20 + k % 2, 38 + 22 * k, 50), d, -2.0, 0.6) for k, d in enumerate([5, 4, 7, 3])]
    assert assembled([reading((0, 31, 14, 50), 4, -0.1, 0.6), *digits]) == ["45473"]


def test_a_date_written_after_a_sign_keeps_its_slashes():
    # $14/12/2000 (a seed-2 tuning crop): the sign read whole as no digit (0.98) and as nothing by the string reader,
    # a speck beside it read as a comma; the slashes lean 25 and 37 degrees, as a 1 may, so only the date tells them
    shapes = [(1, 25.4, 0.15), (4, 25.7, 0.43), (1, 25.5, 0.11), (1, 37.6, 0.13), (2, 13.7, 0.53), (1, 16.4, 0.11),
              (2, 32.3, 0.61), (0, 26.2, 0.62), (0, -3.9, 0.98), (0, 73.6, 0.73)]
    word = word_of([d for d, _, _ in shapes], [28] * len(shapes))
    for it, (_, slant, elongation) in zip(word, shapes, strict=True):
        it.reading.glyph.slant, it.reading.glyph.elongation = slant, elongation
    assert "".join(it.text for it in slashes(word, 28.0)) == "14/12/2000"
    sign = digit_item(glyph_reading((-40, 20, -20, 65), 8, 0.01))
    sign.reading.string_text = ""
    comma = Item(",", (-12, 52, -10, 60), 1.0, [], glyph_reading((-12, 52, -10, 60), None))
    assert "".join(it.text for it in slashes([sign, comma, *word], 28.0)) == "8,14/12/2000"  # the sign goes later
    sign.reading.string_text = "8"  # a digit the string reader reads: part of the number, which is then no date
    assert "".join(it.text for it in slashes([sign, comma, *word], 28.0)) == "8,1411212000"


def test_a_bold_sign_run_together_into_an_upright_blot_is_no_1_but_a_1_of_the_number_s_pen_is():
    # $ 467951 (a seed-2 tuning crop): the dollar sign's strokes ran together into a blot 19 wide and 51 tall, of a
    # stroke 7.9 pixels broad, read as a 1 that neither the classifier nor the string reader doubts
    def number(sign_stroke: float, sign_top: int) -> list[str]:
        sign = glyph_reading((10, sign_top, 29, 62), 1)
        sign.glyph.stroke = sign_stroke
        digits = [glyph_reading((60 + 24 * k, 30 + k % 3, 78 + 24 * k, 60 - k % 2), d)
                  for k, d in enumerate([4, 6, 7, 9, 5, 1])]
        for r in digits:
            r.glyph.stroke = 3.2
        return assembled([sign, *digits])
    assert number(7.9, 11) == ["467951"]
    assert number(3.2, 11) == ["1", "467951"]  # a tall 1 of the number's pen
    assert number(7.9, 30) == ["1", "467951"]  # a bold 1 of the number's height


def test_a_sign_standing_taller_than_the_digits_does_not_make_them_print_s_x_height():
    # $ 9326 on squared paper (a seed-2 tuning crop): the sign 46 pixels tall, the 2 stretched to 39 by a grid line it
    # touches, the 9, 3 and 6 28 each. Beside the two tall glyphs, three of one height passed for print's x-height
    sign = glyph_reading((10, 14, 30, 60), 8, 0.0)  # no digit to the classifier, nothing to the string reader
    sign.string_text = ""
    digits = [glyph_reading((40 + 26 * k, 60 - h, 58 + 26 * k, 60), d) for k, (d, h) in enumerate(
        [(9, 28), (3, 28), (2, 39), (6, 28)])]
    assert assembled([sign, *digits]) == ["9326"]
    sign.string_text = "8"  # a glyph the string reader reads as a digit is no sign: the three short ones are letters
    assert assembled([sign, *digits]) == []


def test_a_sign_written_apart_before_a_digit_read_unsurely_does_not_make_the_number_letters():
    # "$ 5" cut from a cheque (a seed-2 tuning crop): the sign no digit to the classifier and nothing to the string
    # reader, the 5 read 0.56 as it touches the rule under it. As a word, the sign and the 5 were half letters
    def line(gap: int, wide: int = 23) -> list:
        sign = glyph_reading((51 - gap - wide, 12, 51 - gap, 58), 7, 0.0)  # 46 pixels tall
        sign.string_text = ""
        return [sign, glyph_reading((51, 19, 101, 66), 5, 0.556)]

    assert assembled(line(18)) == ["5"]  # apart: a sign
    assert assembled(line(3)) == []  # a printed capital's next letter may stand so close
    assert assembled(line(18, 55)) == ["5"]  # a "#" may be as wide as 1.2 of its height
    assert assembled(line(18, 56)) == []  # wider: a printed word run into one glyph (Page)


def test_a_printed_label_run_into_its_figure_is_letters_though_its_i_and_l_read_as_sure_1s():
    # a table's row on a seed-1 tuning page: "Article 565" printed in a cell, handwriting of its size beside it. The
    # label's A and rt read as no digit, its c and e as digits unsurely, its i and l as sure 1s, and its figure stood
    # within a word's gap: four letters of nine, under half, and the word read 1618565
    def item(box: tuple[int, int, int, int], digit: int, sure: float) -> Item:
        return digit_item(glyph_reading(box, digit, sure))
    label = [item((277, 1014, 303, 1043), 4, 0.0), item((305, 1015, 332, 1043), 7, 0.0),
             item((335, 1013, 340, 1043), 1, 0.999), item((344, 1020, 361, 1043), 6, 0.016),
             item((365, 1013, 370, 1043), 1, 0.999), item((375, 1020, 395, 1043), 8, 0.0),
             item((409, 1014, 428, 1042), 5, 0.983), item((432, 1013, 453, 1042), 6, 0.997),
             item((456, 1014, 475, 1042), 5, 0.976)]
    boxes = [(582, 969, 630, 1022), (777, 1000, 800, 1031), (803, 1003, 824, 1033), (836, 1004, 862, 1033),
             (865, 1003, 889, 1033), (893, 1003, 911, 1031), (922, 1000, 950, 1030), (953, 1003, 972, 1032),
             (1039, 984, 1078, 1035), (1085, 984, 1130, 1034), (1297, 984, 1316, 1021), (1317, 988, 1374, 1019),
             (1387, 986, 1420, 1020), (1433, 986, 1465, 1020), (1467, 980, 1492, 1018), (1497, 984, 1520, 1020),
             (1529, 983, 1552, 1019)]
    digits = [3, 2, 4, 7, 3, 1, 5, 8, 2, 8, 1, 2, 8, 1, 9, 9, 9]
    written = [item(b, d, 0.99) for b, d in zip(boxes, digits, strict=True)]
    words = ["".join(it.text for it in w) for w in line_words(label + written)]
    assert words == ["3", "2473158", "28", "1281999"]  # the label and its figure dropped, the handwriting kept
    c, ell, e = label[3:6]
    assert ones_among_letters([c, ell, e], {id(c): True, id(ell): False, id(e): True}) == [ell]
    assert ones_among_letters([c, ell, e], {id(c): True, id(ell): False, id(e): False}) == []  # a letter on one side


def test_a_printed_word_whose_letters_read_as_0s_and_1s_is_print_but_handwritten_0s_and_1s_are_a_number():
    # heights at a crop's work resolution (30 pixels): Lot read 101, its o of x-height; Fol. read 01 after its F, which
    # the classifier calls no digit; a handwritten 10 and 101, and $10 with its sign as tall as print's capital
    def word(*glyphs: tuple[int, int, float]) -> tuple[list[Item], dict[int, bool]]:
        items = [digit_item(glyph_reading((20 * i, 60 - h, 20 * i + 15, 60), d, sure))
                 for i, (d, h, sure) in enumerate(glyphs)]
        return items, {id(it): not_a_digit(it) >= 0.5 or it.confidence < 0.5 for it in items}
    assert letters_as_figures(*word((1, 30, 0.99), (0, 21, 0.99), (1, 26, 0.99)))  # Lot
    assert letters_as_figures(*word((4, 30, 0.0), (0, 21, 0.99), (1, 31, 0.99)))  # Fol
    assert letters_as_figures(*word((4, 30, 0.0), (0, 21, 0.99)))  # No
    assert not letters_as_figures(*word((1, 30, 0.99), (0, 28, 0.99)))  # 10 written by hand
    assert not letters_as_figures(*word((1, 30, 0.99), (0, 27, 0.99), (1, 29, 0.99)))
    assert not letters_as_figures(*word((4, 40, 0.0), (1, 30, 0.99), (0, 29, 0.99)))  # $10: the 0 as tall as the 1
    assert not letters_as_figures(*word((1, 30, 0.99), (0, 21, 0.99), (7, 30, 0.99)))  # a 7 is no letter's figure
    assert not letters_as_figures(*word((1, 30, 0.99), (0, 21, 0.99), (5, 30, 0.3)))  # a letter, and no capital


def test_a_short_word_with_a_glyph_surely_no_digit_after_its_first_is_print():
    # a crop's work resolution: Lot read 1 0 and its t no digit; Nr. with its N cut into 11 and its r no digit
    def word(*glyphs: tuple[int, float], string: str | None = None, split_first: bool = False) -> list[Item]:
        items = [digit_item(replace(glyph_reading((20 * i, 30, 20 * i + 15, 60), d, sure), string_text=string))
                 for i, (d, sure) in enumerate(glyphs)]
        if split_first:  # the first two cut from one glyph: they count once
            items[1].reading.glyph = items[0].reading.glyph
        return items
    assert short_word_of_print(word((1, 0.99), (0, 0.99), (1, 0.05)))  # Lot
    assert short_word_of_print(word((1, 0.99), (0, 0.99), (5, 0.35)))  # Lot read 105, its t no digit at 0.64
    assert short_word_of_print(word((1, 0.99), (1, 0.99), (5, 0.01), split_first=True))  # Nr.
    assert not short_word_of_print(word((9, 0.99), (7, 0.05), (4, 0.99), string="7"))  # both read a 7 there (974)
    assert short_word_of_print(word((1, 0.99), (0, 0.99), (5, 0.05), string="1"))  # Lot: t is 5 or 1
    assert short_word_of_print(word((1, 0.99), (0, 0.99), (1, 0.1), string="1"))  # Lot: t a 1 to both, as strokes are
    assert not short_word_of_print(word((1, 0.05), (0, 0.99), (1, 0.99)))  # a sign before a number: not this rule's
    assert not short_word_of_print(word((1, 0.99), (0, 0.99), (1, 0.6)))  # unsure is no letter
    assert short_word_of_print(word((5, 0.99), (1, 0.99), (1, 0.99), (2, 0.01)))  # Sum: S, u in two, m
    assert not short_word_of_print(word((9, 0.99), (7, 0.05), (4, 0.99), (2, 0.99), (8, 0.99)))  # a longer number


def test_digits_written_touching_beside_print_are_no_letter_cut_in_two():
    # pairs cut from glyphs that are no digit whole, standing unevenly, on a line of print: 07.09.03 written touching
    # is a hand's; print's N and u read as 11 and 17 (their upright strokes) are letters, however they stand
    def pairs(*texts: str) -> list[Item]:
        out = []
        for i, text in enumerate(texts):
            glyph = Glyph(labels=[i], box=(40 * i, 30 - 3 * i, 40 * i + 30, 60), area=1, kind="char")
            for k, d in enumerate(text):
                r = glyph_reading((40 * i + 15 * k, 30 - 3 * i, 40 * i + 15 * k + 14, 60), int(d))
                r.glyph, r.split, r.whole_rest = glyph, 2, 1.0
                out.append(digit_item(r))
        return out

    def uneven(digits: list[Item]) -> bool:
        return written_unevenly(digits, {id(d): False for d in digits})
    assert uneven(pairs("07", "09", "03"))
    assert not uneven(pairs("07", "11", "03")) and not uneven(pairs("09", "03", "17"))


def test_a_piece_of_a_glyph_that_is_no_digit_whole_left_alone_is_a_letter_s():
    glyph = Glyph(labels=[1], box=(0, 30, 30, 60), area=1, kind="char")

    def piece(digit: int, x: int, whole_rest: float = 0.99) -> Item:
        r = glyph_reading((x, 30, x + 15, 60), digit)
        r.glyph, r.split, r.whole_rest = glyph, 2, whole_rest
        return digit_item(r)
    stem, bowl = piece(1, 15), piece(0, 0)
    alone, pair, apart = [[stem]], [[bowl, stem]], [[bowl], [stem]]
    assert piece_of_a_letter(alone[0], alone)  # a d's stem, its bowl gone as a letter
    assert not piece_of_a_letter(pair[0], pair)  # both pieces: a touching pair, read as one
    assert not piece_of_a_letter(apart[1], apart)  # its other piece among the line's numbers
    assert not piece_of_a_letter([piece(1, 15, whole_rest=0.2)], [])  # a digit whole: a 1 cut from it is no letter's
    assert not piece_of_a_letter(word_of([1], [30]), [])  # a glyph read whole


def test_the_box_of_a_word_of_ones_read_whole():
    ones = word_of([1, 1], [30, 28])
    assert ones_box(ones) == (0, 30, 35, 60)
    assert ones_box(word_of([1, 7], [30, 28])) is None  # a 7 among them: no print stroke
    ones[1].reading.split = 2  # cut from a wider glyph: a touching pair, not print's strokes
    assert ones_box(ones) is None


def test_a_capital_is_a_glyph_surely_no_digit_with_a_letter_of_x_height_right_after_it():
    def word(*glyphs: tuple[int, int, int, float]) -> list[Item]:  # (digit, left, height, probability), one baseline
        return [digit_item(glyph_reading((x, 60 - h, x + 15, 60), d, sure)) for d, x, h, sure in glyphs]
    assert led_by_capital(word((8, 0, 30, 0.01), (2, 18, 22, 0.9), (1, 38, 30, 0.99)))  # Paid's P, a, i
    assert not led_by_capital(word((8, 0, 30, 0.5), (2, 18, 22, 0.9), (1, 38, 30, 0.99)))  # an 8 merely doubted
    assert not led_by_capital(word((8, 0, 30, 0.01), (2, 30, 22, 0.9)))  # the next glyph a gap away: a sign
    assert not led_by_capital(word((8, 0, 30, 0.01), (2, 18, 28, 0.9)))  # the next as tall: a sign before digits
    assert not led_by_capital(word((8, 0, 30, 0.01)))  # a lone glyph: `capital_of` with what is beside it


def test_a_number_written_with_another_pen_than_the_print_beside_it_is_handwriting():
    # strokes at a crop's work resolution: a bold Balance (its letters' pen 4.7) beside 905 written with a pen of 3
    def glyphs(x: int, strokes: list[float], text: str = "9", sure: float | list[float] = 0.99) -> list[Item]:
        sures = sure if isinstance(sure, list) else [sure] * len(strokes)
        items = [digit_item(glyph_reading((x + 20 * i, 30, x + 20 * i + 15, 60), int(text[i % len(text)]), p))
                 for i, p in enumerate(sures)]
        for it, stroke in zip(items, strokes, strict=True):
            it.reading.glyph.stroke = stroke
        return items

    def number(*strokes: float, text: str = "905", sure: float | list[float] = 0.99) -> list[Item]:
        return glyphs(200, list(strokes), text, sure)
    balance = glyphs(80, [4.6, 4.8, 4.7, 4.9, 4.5])  # letters ending 25 to 105 pixels before it: within REACH
    assert other_pen(number(3.0, 3.1, 2.9), balance)  # finer
    assert other_pen(number(6.5, 6.6, 6.4), balance)  # broader
    assert not other_pen(number(4.0, 4.1, 3.9), balance)  # print's figures: within PEN_APART of its letters
    assert not other_pen(number(3.0, 3.1, 2.9), balance[:1])  # one letter: its stroke alone says too little
    title = glyphs(-200, [4.6, 4.8, 4.7])  # a bold title further off the line: not the print beside the number
    assert [id(it) for it in print_near(number(3.0, 3.1, 2.9), title + balance)] == [id(it) for it in balance]
    assert not other_pen(number(3.0, text="1"), balance)  # a lone 1: print's slash or bar is finer than its letters
    assert other_pen(number(3.0, text="1"), balance, clear=True)  # ... unless it stands clear of the line's words
    assert other_pen(number(3.0, 3.1, 2.9, sure=[0.99, 0.7, 0.99]), balance)  # one digit doubted: a hand's still
    assert not other_pen(number(3.0, 3.1, 2.9, sure=[0.99, 0.7, 0.6]), balance)  # most doubted


def test_a_number_in_another_ink_than_the_print_beside_it_is_handwriting():
    def glyphs(x: int, colour: tuple[float, float, float], n: int, sure: float = 0.99) -> list[Item]:
        items = [digit_item(glyph_reading((x + 20 * i, 30, x + 20 * i + 15, 60), 8, sure)) for i in range(n)]
        for it in items:
            it.reading.glyph.colour = np.array(colour, np.float32)
        return items
    black = glyphs(0, (80.0, 80.0, 80.0), 3)  # print's letters: as much ink in each channel
    assert other_ink(glyphs(100, (60.0, 55.0, 30.0), 3), black)  # a blue pen's: less in blue (17 degrees)
    assert not other_ink(glyphs(100, (40.0, 40.0, 38.0), 3), black)  # black ink, fainter (1 degree)
    assert other_ink(glyphs(100, (60.0, 55.0, 30.0), 2) + glyphs(140, (60.0, 55.0, 30.0), 1, 0.3), black)
    assert not other_ink(glyphs(100, (60.0, 55.0, 30.0), 1) + glyphs(120, (60.0, 55.0, 30.0), 2, 0.3), black)
    assert not other_ink(glyphs(100, (60.0, 55.0, 30.0), 3), black[:1])  # one letter says too little
    grey = glyphs(100, (60.0, 55.0, 30.0), 3)
    grey[0].reading.glyph.colour = None  # a grey page's
    assert not other_ink(grey, black)
    assert ink_angle(np.array([1.0, 1.0, 1.0]), np.array([2.0, 2.0, 2.0])) == pytest.approx(0.0, abs=1e-3)
    assert ink_angle(np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])) == pytest.approx(90.0)


def test_a_number_standing_off_the_baseline_of_the_print_beside_it_is_handwriting():
    # a crop's work pixels: a register's Entry (E 26 tall on the baseline at 51, n, t, r on it, y's descender to 58,
    # each no digit to the classifier) and 893 written as tall and with a like pen, its feet at 48, 46 and 46
    def entry() -> list[Item]:
        boxes = [(10, 25, 31, 51), (35, 33, 55, 51), (57, 27, 69, 51), (71, 33, 81, 51), (80, 33, 107, 58)]
        return [digit_item(glyph_reading(b, 8, 0.1)) for b in boxes]

    def number(feet: list[int], text: str = "893", sure: float = 0.99) -> list[Item]:
        return [digit_item(glyph_reading((143 + 24 * k, foot - 26, 163 + 24 * k, foot), int(d), sure))
                for k, (d, foot) in enumerate(zip(text, feet, strict=True))]

    def off(digits: list[Item], near: list[Item]) -> bool:
        return off_the_print_line(digits, {id(d): False for d in digits}, near)
    assert off(number([48, 46, 46]), entry())  # 5 pixels above the print's baseline
    assert off(number([54, 53, 54]), entry())  # or 3 below it
    assert not off(number([51, 52, 51]), entry())  # print's figures on its letters' baseline, a round one a pixel under
    assert not off(number([48, 46, 46]), entry()[4:])  # one letter says too little (and y's foot is no baseline)
    assert not off(number([46], "8"), entry())  # a lone glyph's foot is no line: print's bracket or slash stands so
    assert not off(number([48, 46, 46], sure=0.7), entry())  # figures read unsurely: print's letters as often
    # the baseline is the letters' highest foot: in Qty, two of three stand lower (the Q's tail, the y's descender)
    qty = [digit_item(glyph_reading(b, 8, 0.1)) for b in [(40, 25, 61, 55), (64, 27, 76, 51), (79, 33, 104, 58)]]
    assert not off(number([51, 52, 51]), qty)
    # an apostrophe beside the letters, its foot far above their baseline, is no letter's foot
    assert not off(number([51, 52, 51]), entry() + [digit_item(glyph_reading((112, 25, 116, 33), 1, 0.1))])
    # the whole line: what else tells the number from print does not (as tall as the capitals, one pen and ink,
    # heights and feet within 3 pixels of each other), but where it stands does
    assert ["".join(it.text for it in w) for w in line_words(entry() + number([48, 46, 46]))] == ["893"]
    assert line_words(entry() + number([51, 52, 51])) == []


def test_a_short_word_in_another_ink_before_a_number_is_its_printed_label():
    # a register's Paid at a crop's size, its a and d dropped as letters, its i and d's stem read surely as 11 in
    # black print, then 8424 written in blue, taller
    black, blue = (80.0, 80.0, 80.0), (60.0, 55.0, 30.0)

    def word(x: int, text: str, heights: list[int], colour: tuple[float, float, float] | None, stroke: float,
             sure: list[float] | None = None) -> list[Item]:
        items = [digit_item(glyph_reading((x + 20 * i, 60 - h, x + 20 * i + 15, 60), int(d), p))
                 for i, (d, h, p) in enumerate(zip(text, heights, sure or [0.99] * len(text), strict=True))]
        for it in items:
            it.reading.glyph.colour = None if colour is None else np.array(colour, np.float32)
            it.reading.glyph.stroke = stroke
        return items

    def paid(colour=black, stroke: float = 2.6, heights: tuple[int, ...] = (21, 22)) -> list[Item]:
        return word(0, "11", list(heights), colour, stroke)

    def entry(colour=blue, stroke: float = 3.1, sure: list[float] | None = None) -> list[Item]:
        return word(100, "8424", [28, 31, 32, 29], colour, stroke, sure)
    assert label_before(paid(), entry())  # another ink
    assert not label_before(paid(blue), entry())  # one ink: two numbers a hand wrote
    assert not label_before(paid(blue, 1.5), entry())  # ... though one pen's strokes stand at half the other's
    assert not label_before(paid(None), entry(None))  # a grey page: no ink to tell them by
    assert not label_before(paid(heights=(32, 33)), entry())  # taller than the number: handwriting, a unit after it
    assert not label_before(word(0, "51117", [21] * 5, black, 2.6), entry())  # more glyphs than a label has
    assert not label_before(paid(), entry(sure=[0.99, 0.6, 0.6, 0.6]))  # a number mostly doubted tells nothing
    # a box's side after a number, read as a lone 1 in print's ink, makes no label of the number written before it
    # (942 in blue), but print's Qty. read 07, its ty no digit, before a 1 written in blue is a label
    side = word(200, "1", [34], black, 2.0)
    assert not label_before(word(100, "942", [26, 25, 18], blue, 2.4, [0.99, 0.59, 0.99]), side)
    assert label_before(word(0, "07", [24, 25], black, 2.4, [0.99, 0.1]), word(100, "1", [33], blue, 4.2))
    # the whole line: the label goes, the number stays
    assert ["".join(it.text for it in w) for w in line_words(paid() + entry())] == ["8424"]
    assert ["".join(it.text for it in w) for w in line_words(paid(blue) + entry())] == ["11", "8424"]


def test_a_number_standing_taller_than_the_print_s_capitals_beside_it_is_handwriting():
    # heights at a crop's work resolution: Acct. (A 24, its c 18, t 23) beside 695 written 28 to 30 pixels tall
    def number(*heights: int, text: str = "6", sure: float = 0.99) -> tuple[list[Item], dict[int, bool]]:
        items = [digit_item(glyph_reading((20 * i, 60 - h, 20 * i + 15, 60), int(text[i % len(text)]), sure))
                 for i, h in enumerate(heights)]
        return items, {id(it): False for it in items}
    acct = [24, 18, 18, 23]
    assert stands_above_print(*number(28, 29, 30), acct)
    assert stands_above_print(*number(28, text="7"), acct)  # a lone 7
    assert not stands_above_print(*number(25, 26, 25), acct)  # print's figures: as tall as its capitals
    assert not stands_above_print(*number(28, 29, 30), [18, 18, 17])  # no. 695: letters of x-height alone
    assert not stands_above_print(*number(30, text="1"), acct)  # a lone 1: print's slash or bar stands tall too
    assert stands_above_print(*number(30, text="1"), acct, clear=True)  # ... unless it stands clear of the line's words
    assert not stands_above_print(*number(28, 29, 30, sure=0.7), acct)
    # Amount at a crop's size: its x-height 18 pixels beside its A's 23, 0.78 of it by a pixel of antialiasing (DejaVu
    # Sans draws 0.75): two sizes still, and 2602 written 27 to 30 pixels tall stands above them
    amount = [23, 18, 18, 18, 22]
    assert stands_above_print(*number(30, 28, 27, 28, text="2602"), amount)
    assert not stands_above_print(*number(30, 28, 27, 28, text="2602"), [20, 19, 19])  # x-height alone still


def test_a_number_taller_than_the_capitals_of_the_printed_word_beside_it_is_handwriting_however_its_letters_read():
    # a register's Lot at a crop's size: its L and o read surely as 1 and 0, only its t like a letter; then 1295
    # written 30 to 32 pixels tall, a head above the L (22)
    def glyph(box: tuple[int, int, int, int], digit: int, sure: float = 0.99) -> Item:
        return digit_item(glyph_reading(box, digit, sure))

    def entry(*sure: float) -> list[Item]:
        return [glyph((100 + 20 * i, 60 - h, 115 + 20 * i, 60), d, p)
                for i, (d, h, p) in enumerate(zip([1, 2, 9, 5], [30, 31, 32, 30], sure or [0.99] * 4, strict=True))]

    def kept(words: list[list[Item]], letters: set[int]) -> list[str]:
        flags = {id(it): id(it) in letters for w in words for it in w}
        return ["".join(it.text for it in w) for w in handwritten(words, flags, [])]
    lot = [glyph((0, 38, 15, 60), 1), glyph((20, 44, 35, 60), 0), glyph((40, 40, 55, 60), 7, 0.1)]
    t = {id(lot[2])}
    # the print's height is its word's, capitals read as figures too: its t alone (20) is one size, and told nothing
    assert kept([lot, entry()], t) == ["1295"]
    # a number with one digit the classifier doubts still stands above them, not one with two
    assert kept([lot, entry(0.99, 0.6, 0.99, 0.99)], t) == ["1295"]
    assert kept([lot, entry(0.99, 0.6, 0.6, 0.99)], t) == []
    # Page: its g hangs below the baseline, 26 pixels from top to tail; what stands on the baseline is its height (the
    # P's 22), and 1295 written 26 to 28 tall stands above it
    page = [glyph((0, 38, 15, 60), 9, 0.6), glyph((20, 44, 35, 60), 0, 0.1), glyph((40, 44, 55, 70), 9, 0.1),
            glyph((60, 44, 75, 60), 0, 0.1)]
    assert standing_heights(page) == [22, 16, 16]
    low = [glyph((100 + 20 * i, 60 - h, 115 + 20 * i, 60), d)
           for i, (d, h) in enumerate(zip([1, 2, 9], [26, 28, 27], strict=True))]
    assert kept([page, low], {id(it) for it in page[1:]}) == ["129"]
    # Balance: its l, read as a 1, stands a pixel over its B (DejaVu Sans draws ascenders 4% over capitals): a 1 over
    # the word's other glyphs is no capital's height (695 written beside it, 27 to 28 pixels tall, read as nothing);
    # Cr.'s r read as a 1 is a letter of x-height still
    balance = [glyph((20 * i, 60 - h, 20 * i + 15, 60), d, p) for i, (d, h, p) in
               enumerate(zip([8, 0, 1, 0, 0], [24, 18, 25, 18, 18], [0.99, 0.1, 0.99, 0.1, 0.1], strict=True))]
    assert standing_heights(balance) == [24, 18, 18, 18]
    assert standing_heights([glyph((0, 34, 15, 60), 6), glyph((20, 41, 35, 60), 1)]) == [26, 19]
    # ... and so is a 1 standing far over the word's other glyphs: an i's dot over a word of x-height (Liberation Mono's
    # "in": the word beside it read as a number standing over the print)
    assert standing_heights([glyph((0, 45, 10, 60), 1), glyph((12, 49, 22, 60), 7, 0.1)]) == [15, 11]
    entry = [glyph((200 + 20 * i, 60 - h, 215 + 20 * i, 60), d)
             for i, (d, h) in enumerate(zip([6, 9, 5], [27, 28, 27], strict=True))]
    assert kept([balance, entry], {id(it) for it in balance[1::2]}) == ["695"]


def test_a_capital_split_from_its_word_on_a_line_of_print_is_no_number():
    # Quantity at a form's size: its Q read surely as a 0 (18 pixels with its tail), u, a and n as small glyphs beside
    # the line, t and ty read unsurely, the i's stem as a 1: taller than what of the word stands on its baseline
    # (the i, 15), the Q is its capital still
    q = digit_item(glyph_reading((101, 418, 115, 436), 0, 0.97))
    rest = [digit_item(glyph_reading(b, d, p)) for b, d, p in
            [((154, 419, 161, 433), 5, 0.01), ((163, 418, 165, 433), 1, 0.99), ((167, 419, 186, 437), 7, 0.001)]]
    uan = [(117, 422, 127, 433), (129, 421, 139, 433), (142, 421, 152, 433)]
    assert line_words([q, *rest], uan) == []


def test_a_short_word_with_a_point_after_it_before_a_taller_number_is_a_printed_abbreviation():
    # Rs. 1648 at a crop's size: R and s run together, read as 1, 3 and 5 (19 pixels tall), its point, then 1648 (30)
    def line(point: bool, label: int = 19, number: int = 30) -> tuple[list[Item], list[Item], list[list[Item]]]:
        word = word_of([1, 3, 5], [label] * 3)
        point_box = (60, 56, 64, 60)
        items = word + ([Item(".", point_box, 1.0, [], glyph_reading(point_box, None))] if point else [])
        after = word_of([1, 6, 4, 8], [number] * 4)
        for it in after:
            it.box = (it.box[0] + 100, it.box[1], it.box[2] + 100, it.box[3])
        return word, items + after, [word, after]
    assert abbreviation(*line(True))
    assert not abbreviation(*line(False))  # no point: a number of its own (a label without one is told otherwise)
    assert not abbreviation(*line(True, label=28))  # as tall as the number: a hand's numbered entry, 5. 1648
    assert abbreviation(*line(True, label=27))  # 0.9 of it
    word, items, _ = line(True)
    assert not abbreviation(word, items, [word])  # nothing after it on the line


def test_a_lone_1_stands_clear_of_its_line_where_no_glyph_comes_within_its_height():
    one = [digit_item(glyph_reading((100, 30, 108, 60), 1, 0.99))]  # 30 pixels tall
    assert clear_of(one, [(0, 30, 70, 60), (138, 35, 200, 60)])  # Qty. 30 pixels to its left, a word 30 to its right
    assert not clear_of(one, [(0, 30, 71, 60)])  # 29 pixels: a printed bar among its words
    assert not clear_of(one, [(137, 35, 200, 60)])
    assert clear_of(one, [])


def test_a_lone_glyph_right_after_a_letter_of_x_height_level_with_it_is_that_word_s_last_letter():
    e, g = (87, 112, 122, 151), (128, 112, 162, 164)  # Reg. in DejaVu Sans, 0.8 of handwriting 60 pixels tall
    assert last_letter_of(g, [e])  # its g, read as a sure 9, its top level with the e's
    a, ell = (100, 125, 126, 151), (131, 98, 138, 151)
    assert last_letter_of(ell, [a])  # the l of Bal., its foot level with the a's
    assert not last_letter_of(g, [(87, 112, 122, 151 - 20)])  # the letter too short: a mark, a point
    assert not last_letter_of(g, [(60, 112, 95, 151)])  # too far: 33 pixels, over 0.3 of the 9's height
    assert not last_letter_of(g, [(87, 126, 122, 150)])  # neither its top nor its foot level with the 9's
    assert not last_letter_of((128, 100, 162, 152), [(87, 100, 122, 152)])  # as tall as the glyph: a digit beside it


def test_a_speck_beside_a_date_s_slash_does_not_keep_it_from_being_a_date():
    # 10/9./08 (a seed-1 tuning page): the pen left a speck after the 9, read as a point, and the date was read 1019.108
    def word(texts: str, slants: dict[int, float]) -> list[Item]:
        items = []
        for i, t in enumerate(texts):
            if t == ".":
                box = (20 * i, 52, 20 * i + 4, 58)
                items.append(Item(".", box, 1.0, [], glyph_reading(box, None)))
                continue
            it = digit_item(glyph_reading((20 * i, 28, 20 * i + 15, 60), int(t)))
            it.reading.glyph.slant, it.reading.glyph.elongation = slants.get(i, 0.0), 0.1 if i in slants else 0.5
            items.append(it)
        return items
    assert "".join(it.text for it in slashes(word("1019.108", {2: 18.5, 5: 22.5}), 32.0)) == "10/9/08"
    # a point beside a 1 leaning as far, in a number that makes no date with it gone: kept
    assert "".join(it.text for it in slashes(word("4.171", {2: 18.5, 4: 22.5}), 32.0)) == "4.171"


def test_a_printed_word_s_capital_read_as_a_digit_is_no_number():
    # a form's label "Quantity" by a box written in (a seed-1 tuning page, work pixels): the Q read surely as a 0, "u"
    # and "a" too small for candidates (stray), "n", "t", "i", "t", "y" read unsurely; the 2 written in the box
    line = [((101, 1045, 115, 1064), 0, 0.97), ((129, 1049, 140, 1062), 2, 0.01), ((154, 1047, 161, 1062), 1, 0.49),
            ((162, 1046, 165, 1061), 1, 1.0), ((167, 1047, 175, 1062), 0, 0.42), ((174, 1049, 186, 1066), 1, 0.98),
            ((209, 1034, 238, 1059), 2, 1.0)]
    items = [digit_item(glyph_reading(box, d, sure)) for box, d, sure in line]
    stray = [(117, 1050, 127, 1062), (142, 1049, 152, 1061)]
    assert [[it.text for it in w] for w in line_words(items, stray)] == [["2"]]
    # a digit written with a dot after it keeps it: a dot is no letter of x-height
    assert [[it.text for it in w] for w in line_words(items, [(117, 1058, 122, 1063)])] == [["0"], ["2"]]


def test_a_round_dot_sitting_a_little_below_the_baseline_is_a_point_and_a_comma_s_stroke_a_comma():
    # 844.35 (a seed-1 tuning page, work pixels): the digits' tops and bottoms at 1128 and 1156.5, the dot 7 by 7
    # reaching 3.5 below the baseline, which a comma's stroke also does
    assert separator((560, 1153, 567, 1160), 1128.0, 1156.5) == "."
    assert separator((561, 1150, 566, 1160), 1128.0, 1156.5) == ","  # taller than wide: a comma
    assert separator((560, 1156, 567, 1163), 1128.0, 1156.5) == ","  # round, but hanging well below
