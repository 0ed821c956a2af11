"""The words figures and guides print: names not codes, digits as printed, approximations said."""

import pandas as pd
import pytest

from likecheck import exercises, style
from likecheck.load import load_sources


@pytest.mark.parametrize("code, label, in_sentence", [
    ("IN", "India", "India"), ("PH", "Philippines", "the Philippines"), ("VN", "Vietnam", "Vietnam"),
    ("US", "United States", "the United States"), ("ZZ", "Rest of world", "the rest of the world"),
    ("XQ", "XQ", "XQ"),  # not a country ISO knows: shown as it is, never hidden
])
def test_countries_by_name(code, label, in_sentence):
    assert style.country_name(code) == label and style.country_name(code, in_sentence=True) == in_sentence


def test_publications_by_name_without_the_parent_outlet():
    sources = load_sources()
    assert style.publication_name(sources, "bbc2016") == "BBC Trending"
    assert style.publication_name(sources, "ppp2016") == "The Phnom Penh Post"
    assert style.publication_name(sources, "nope") == "nope"


@pytest.mark.parametrize("value, text", [(57.0, "57"), (57.6, "57.6"), (3_200_000.0, "3,200,000"),
                                         (1.0, "1"), (0.25, "0.25")])
def test_numbers_with_the_digits_they_were_printed_with(value, text):
    assert style.number_text(value) == text


def test_shares_to_one_decimal_at_most():
    assert [style.share_text(v) for v in (57.0, 56.4, 22.56225166)] == ["57", "56.4", "22.6"]


@pytest.mark.parametrize("value, text", [(115.7186388, "about 120"), (31.27530777, "about 31"),
                                         (1.992597823, "about 2.0"), (1.607433412, "about 1.6"),
                                         (227200.1, "about 230,000"), (0.0432, "about 0.043")])
def test_derived_values_to_two_figures_said_to_be_approximate(value, text):
    assert style.approximate_text(value) == text


def test_counts_on_an_approximate_total_are_rounded_to_thousands():
    # 'approximately 151,000' - 34,069 - 22,932 = 93,999: no digit below the thousands is known
    assert style.count_text(93_999, "approximately") == "about 94,000"
    assert style.count_text(34_069, "exact") == "34,069"


def test_plurals_and_small_numbers_in_words():
    assert [style.plural(n, "flagged period") for n in (0, 1, 2, 12)] == [
        "no flagged periods", "one flagged period", "two flagged periods", "12 flagged periods"]


@pytest.mark.parametrize("value, text", [(3_137_313.04, "3,137,313"), (58.11428, "58.11"), (0.5, "0.5"),
                                         (360_790.5, "360,790.5"), (151_000.0, "151,000"),
                                         (float("inf"), "no limit")])
def test_the_guides_print_numbers_as_people_read_them(value, text):
    assert exercises.readable(value) == text


def test_a_table_as_read_keeps_its_strings_and_words_its_intervals():
    table = pd.DataFrame({"as_printed": ["3 million"], "value": [3_000_000.0],
                          "bounds": [(3_000_000.0, float("inf"))]})
    assert exercises.as_read(table).iloc[0].tolist() == ["3 million", "3,000,000", "more than 3,000,000"]


@pytest.mark.parametrize("value, text", [(0, "0"), (500_000, "500,000"), (2_000_000, "2 million"),
                                         (2_500_000, "2.5 million"), (10_000_000, "10 million")])
def test_axis_ticks_in_millions_are_words_not_2M(value, text):
    assert style.millions_text(value) == text
