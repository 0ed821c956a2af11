"""The screen, truthfully: a purchase of any length flagged for its whole length, a band that does not
balloon after it, `flagged` blank where a signal was not screened, and every "too little data" naming
the minimum it missed."""

from __future__ import annotations

import pandas as pd
import pytest

from likecheck import screening, simulate

#: A page of 5,000 genuine new fans a day, a tenth abroad (IN 150, US 100, ZZ 250 a day).
PAGE = dict(seed=11, start="2016-01-01", days=182, organic_foreign_share=0.1,
            organic_foreign_mix={"IN": 0.3, "US": 0.2, "ZZ": 0.5})


@pytest.fixture(scope="module")
def long_purchase():
    """1,500 likes a day from the Philippines (a country with no genuine fans) for 60 days, 1 Mar to 29 Apr."""
    return simulate.simulate(**PAGE, purchase_start="2016-03-01", purchase_days=60, purchased_likes=60 * 1500,
                             origin_mix={"PH": 1.0})


def test_a_sixty_day_purchase_is_flagged_for_its_whole_length(long_purchase):
    found = screening.country_surge(long_purchase.fan_counts)
    ph = found[found["country"] == "PH"]
    assert len(ph) == 1  # one period, not its first two weeks only
    assert ph["start"].iloc[0] == pd.Timestamp("2016-03-01") and ph["end"].iloc[0] == pd.Timestamp("2016-04-29")
    assert ph["excess"].iloc[0] == pytest.approx(90_000, rel=0.01)  # 60 x 1,500 bought, none expected


def test_the_band_after_a_purchase_is_the_band_before_it(long_purchase):
    page = str(long_purchase.fan_counts["page"].iloc[0])
    daily = screening.daily_baseline(long_purchase.fan_counts, page, "PH").set_index("date")
    # no genuine fans in PH: expected 0, band 6 x sqrt(min_expected 10) x scale 1 = 18.97 before and after
    before = daily.loc["2016-02-20", "band_high"]
    after = daily.loc["2016-05-15", "band_high"]
    assert before == pytest.approx(6 * 10 ** 0.5) and after == pytest.approx(before)


def test_a_signal_not_screened_leaves_flagged_blank():
    sim = simulate.simulate(**PAGE, purchase_start="2016-03-01", purchase_days=10, purchased_likes=0)
    table = screening.csv_ready(screening.screen(sim.fan_counts, None))
    posts_signals = table[table["signal"].isin(["fan_jump", "engagement_dilution"])]
    assert (posts_signals["flagged"] == "").all()
    assert posts_signals["note"].str.startswith("Not screened").all()
    assert set(table.loc[table["signal"] == "country_surge", "flagged"]) == {"false"}


def test_too_little_data_says_which_minimum_was_missed():
    # 500 new fans a day, 28 days: 14,000 a window, short of min_new_fans 20,000
    quiet = simulate.simulate(seed=3, start="2016-01-01", days=90, organic_daily_new_fans=500,
                              purchase_start="2016-02-01", purchase_days=5, purchased_likes=0)
    table = screening.screen(quiet.fan_counts, None, origin_shift_min_new_fans=20_000)
    note = table.loc[table["signal"] == "origin_shift", "note"].iloc[0]
    assert "at least 20,000 new fans or followers (min_new_fans)" in note

    short = simulate.simulate(seed=3, start="2016-01-01", days=20, purchase_start="2016-01-05", purchase_days=2,
                              purchased_likes=0)
    table = screening.screen(short.fan_counts, None)
    note = table.loc[table["signal"] == "origin_shift", "note"].iloc[0]
    assert "a window needs 28 days of new fans" in note and "the data hold 20 days" in note
    assert screening.csv_ready(table).loc[table["signal"] == "origin_shift", "flagged"].iloc[0] == ""
