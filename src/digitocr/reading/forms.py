"""The forms numbers take as people write them, and a number's separators mended to one of them.

Amounts (1,250.00 1.250,00 12.50 85.- 1,000.-), dates (24.07.2026 24/7/26 2026-07-24), phone numbers and codes
(555-0199), a month and its year (12/2019). A reading with two separators or more that is none of these, and
becomes one with a single separator taken out (a speck read as a dot: 2002-04-1.1, 20.3.1.999) or a comma read as
the dot it is, or the other way round (17,12.2018), is mended so. A reading that may be one of them with a digit
missing (07.09.0) is left as it is: taking a separator out of it would only move it further from what was written.

A date with one of its two separators lost (8.82016, 201504-10: a dot too faint to keep, a dash that touched a
digit) is given it back where exactly one place makes it a date with a year of this or the last century. So is an
amount grouped in thousands its decimal point (88,67620: a dot that touched the digit beside it and went with it):
a last group of five digits is a thousand's three and the cents. And a phone number of three, three and four digits
one of its dashes (024-2234646).
"""

from __future__ import annotations

import re

DAY = r"(?:0?[1-9]|[12]\d|3[01])"  # a day or a month (which comes first differs)
NUMBER_FORMS = tuple(re.compile(p) for p in (
    r"\d+",
    r"\d+[.,]\d{1,3}", r"\d+[.,]-",  # 12.5, 3.125, 85.-
    r"\d{1,3}(,\d{3})+(\.(\d{1,2}|-))?", r"\d{1,3}(\.\d{3})+(,(\d{1,2}|-))?",  # 1,250.00 1.250,00 1,000.-
    rf"{DAY}([./-]){DAY}\1(\d{{2}}|\d{{4}})", rf"\d{{4}}([-/.]){DAY}\1{DAY}",  # 24.07.2026 7/24/26 2026-07-24
    r"\d+(-\d+){1,3}", r"\d+(/\d+){1,2}",  # 555-0199, 24/7
    r"(0?[1-9]|1[0-2])[./](19|20)\d\d",  # a month and its year: 12.2019
))
# what may be one of those with a digit or a separator missing: a date's year cut short, an amount's ".-" its dot
NEAR_FORMS = tuple(re.compile(p) for p in (
    rf"{DAY}([./-]){DAY}\1\d{{0,4}}",
    r"[\d.,]*\d[.,]?-",
))


# a date a lost separator is given back to: its year written out, day and month at most 31 (ISO's month at most 12)
WHOLE_DATES = (re.compile(rf"{DAY}([./-]){DAY}\1(19|20)\d\d"),
               re.compile(r"(19|20)\d\d([-/.])(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])"))


# an amount grouped in thousands whose last group is five digits: its cents' separator lost (a dot-grouped one only
# with two groups or more: 1.25000 may be a decimal number)
LOST_DECIMAL = ((re.compile(r"[1-9]\d{0,2}(,\d{3})*,\d{5}"), "."), (re.compile(r"[1-9]\d{0,2}(\.\d{3})+\.\d{5}"), ","))

# a phone number of three, three and four digits (024-223-4646) with one of its dashes lost: where it goes back
LOST_DASH = ((re.compile(r"\d{3}-\d{7}"), 7), (re.compile(r"\d{6}-\d{4}"), 3))


def well_formed(text: str) -> bool:
    """Whether a number's text is one of the NUMBER_FORMS."""
    return any(p.fullmatch(text) for p in NUMBER_FORMS)


def mend(texts: list[str], sizes: list[float]) -> tuple[int, str] | None:
    """A number's characters (each a digit or a separator) -> the one change that makes it one of the NUMBER_FORMS:
    (the index of a separator, what it reads as instead: the other of a comma and a dot, or "" for nothing). A comma
    or a dot read as the other comes first, then the smallest (`sizes`) separator taken out. None: no change."""
    text = "".join(texts)
    seps = [k for k, t in enumerate(texts) if not t.isdigit()]
    if len(seps) < 2 or well_formed(text) or any(p.fullmatch(text) for p in NEAR_FORMS):
        return None
    # of two that could be read as the other (45,085,82), a dot is the smaller and a comma the bigger
    swaps = [(k, other) for k in seps if (other := {",": ".", ".": ","}.get(texts[k]))
             and well_formed(text[:k] + other + text[k + 1:])]
    if swaps:
        return min(swaps, key=lambda s: sizes[s[0]] if s[1] == "." else -sizes[s[0]])
    removable = [k for k in seps if well_formed(text[:k] + text[k + 1:])]
    return (min(removable, key=lambda k: sizes[k]), "") if removable else None


def missing_separator(text: str) -> tuple[int, str] | None:
    """A date with one of its two separators lost, an amount its decimal point (LOST_DECIMAL), or a phone number one
    of its dashes (LOST_DASH) -> (where it goes back, which): the index in `text` it is inserted at, where exactly one
    place makes a WHOLE_DATES date. A reading that is a number of another form already is given one back only to make
    an ISO date (201504-10 is a code of dashes, but 20150410 is no phone number's digits by chance); one that may be a
    number with a digit missing (07.09.0) is left as it is."""
    for amount, decimal in LOST_DECIMAL:
        if amount.fullmatch(text):
            return len(text) - 2, decimal
    for phone, at in LOST_DASH:
        if phone.fullmatch(text):
            return at, "-"
    seps = [c for c in text if not c.isdigit()]
    if len(seps) != 1 or seps[0] not in "./-" or any(p.fullmatch(text) for p in NEAR_FORMS):
        return None
    sep = seps[0]
    dates = WHOLE_DATES[1:] if well_formed(text) else WHOLE_DATES
    places = [k for k in range(1, len(text)) if text[k - 1].isdigit() and text[k].isdigit()
              and any(p.fullmatch(text[:k] + sep + text[k:]) for p in dates)]
    return (places[0], sep) if len(places) == 1 else None
