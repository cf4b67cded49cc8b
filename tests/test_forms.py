"""A number's separators mended to the forms numbers take (reading/forms.py)."""

import pytest

from digitocr.reading.forms import mend, missing_separator, well_formed


@pytest.mark.parametrize("text", ["4711", "12.50", "12,5", "85.-", "1,000.-", "1,250,000.00", "1.250,00", "3.125",
                                  "24.07.2026", "24/7/26", "2026-07-24", "555-0199", "056-587-4515", "24/07",
                                  "12/2019", "3.2020"])
def test_the_forms_people_write_numbers_in(text):
    assert well_formed(text)


@pytest.mark.parametrize("text", ["2002-04-1.1", "20.3.1.999", "61,0.26", "61.0.26", "1.5520", "45,085,82", "12.",
                                  "1-7.-"])
def test_what_is_none_of_them(text):
    assert not well_formed(text)


def sizes(text: str, big: float = 40.0, small: float = 6.0) -> list[float]:
    """Each character's area: digits and separators `big`, a separator at a `*` before it `small` (the * dropped)."""
    return [small if k and text[k - 1] == "*" else big for k, c in enumerate(text) if c != "*"]


@pytest.mark.parametrize("written, read_as", [
    ("2002-04-1*.1", "2002-04-11"),  # a speck read as a dot in a date of dashes
    ("20.3.1*.999", "20.3.1999"),
    ("1*,0.02.17", "10.02.17"),
    ("61*,0.26", "610.26"),
    ("555-622*.1", "555-6221"),
    ("17,12.2018", "17.12.2018"),  # a dot read as a comma: read as the dot it is
    ("10.5,2013", "10.5.2013"),
    ("142,1*,2", "142,12"),  # either comma taken out makes an amount: the smaller goes
    ("142*,1,2", "1421,2"),
    ("45,085*,82", "45,085.82"),  # either comma read as a dot makes an amount: the smaller is the dot
    ("45*,085,82", "45.085,82"),
    ("1.250*.00", "1,250.00"),  # either dot read as a comma: the bigger is the comma
    ("1*.250.00", "1.250,00"),
])
def test_a_number_s_separators_are_mended_by_one_change(written, read_as):
    texts = [c for c in written if c != "*"]
    change = mend(texts, sizes(written))
    assert change is not None
    k, text = change
    assert "".join(texts[:k] + ([text] if text else []) + texts[k + 1:]) == read_as


@pytest.mark.parametrize("text", [
    "24.07.2026", "1,000.-",  # well formed already
    "62,72668",  # one separator: more likely one missing (62,726.68) than one too many
    "07.09.0", "09.08.9.", "19.9.1", "48,241-",  # a date or an amount with a digit or a dot missing: left as it is
    "4.5.6.7.8",  # no one change mends it
])
def test_a_number_one_change_does_not_mend_is_left_as_it_is(text):
    assert mend(list(text), [40.0] * len(text)) is None


@pytest.mark.parametrize("read, written", [
    ("8.82016", "8.8.2016"), ("21.62016", "21.6.2016"), ("166.1997", "16.6.1997"),  # a dot too faint to keep
    ("201504-10", "2015-04-10"), ("2030-0405", "2030-04-05"),  # a dash that touched a digit and went with it
    ("88,67620", "88,676.20"), ("1,234,56789", "1,234,567.89"), ("1.250.37500", "1.250.375,00"),  # an amount's point
    ("065-3265809", "065-326-5809"), ("036463-8784", "036-463-8784"),  # a phone number's dash
])
def test_a_date_s_lost_separator_is_given_back(read, written):
    k, sep = missing_separator(read)
    assert read[:k] + sep + read[k:] == written


@pytest.mark.parametrize("text", [
    "2611.16", "12.50", "3.1416",  # amounts, or no date however a dot goes in (no 2-digit years: 3.14.16)
    "12.2019", "555-2012", "1212-2012", "24/072026",  # a month's date; codes no ISO date
    "07.09.0",  # a date with a digit missing
    "8.8.2016", "5554450",  # two separators, or none
    "1.25000", "0,12345", "88,6762", "88,676200",  # a decimal number, not an amount in thousands and cents
    "0653265809", "065-326-5809", "06-53265809", "0653-265809",  # no dash at all, both, or not a phone's places
])
def test_no_separator_is_given_back_where_no_single_place_makes_a_date(text):
    assert missing_separator(text) is None
