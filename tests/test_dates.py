"""dates.py: every date rule and every date in words, with the expected words written by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from likecheck.dates import day_in_words, parse_day, parse_window, span_label
from likecheck.errors import ParameterError
from likecheck.pages import matching_pages


@pytest.mark.parametrize("start,end,words", [
    ("2016-03-14", "2016-03-14", "14 Mar 2016"),
    ("2016-03-14", "2016-03-17", "14-17 Mar 2016"),
    ("2016-02-28", "2016-03-06", "28 Feb-6 Mar 2016"),
    ("2015-12-28", "2016-01-03", "28 Dec 2015-3 Jan 2016"),  # a span over years names both
])
def test_span_label(start, end, words):
    assert span_label(pd.Timestamp(start), pd.Timestamp(end)) == words


def test_day_in_words_spells_months_in_english():
    assert day_in_words(date(2016, 9, 5)) == "5 September 2016"
    assert day_in_words(pd.Timestamp("2016-09-05"), short=True) == "5 Sep 2016"
    assert day_in_words(date(2016, 9, 5), short=True, year=False) == "5 Sep"


def test_parse_day_and_window():
    assert parse_day("2016-03-01", "START") == pd.Timestamp("2016-03-01")
    assert parse_window(" 2016-03-01 ", date(2016, 3, 2)) == (pd.Timestamp("2016-03-01"), pd.Timestamp("2016-03-02"))
    for text in ("01/03/2016", "2016", "2016-02-30"):
        with pytest.raises(ParameterError, match="START"):
            parse_day(text, "START")
    with pytest.raises(ParameterError, match="after end"):
        parse_window("2016-03-02", "2016-03-01")


def test_one_page_matcher_takes_a_label_or_an_alias_ignoring_case():
    labels, aliases = ["Samdech Hun Sen", "Other"], {"123": "Samdech Hun Sen", "hunsencambodia": "Samdech Hun Sen"}
    assert matching_pages(" samdech hun sen ", labels) == ["Samdech Hun Sen"]
    assert matching_pages("HunSenCambodia", labels, aliases) == ["Samdech Hun Sen"]
    assert matching_pages("123", labels, aliases) == ["Samdech Hun Sen"]
    assert matching_pages("123", labels) == [] and matching_pages("nobody", labels, aliases) == []
