"""Each signal's threshold, at its edge: a score just under, at and just over it.

Every table here is made so that one period's score is a round number worked
out by hand in the comments (no other period comes near), and the signal is
run with the threshold just above that score, at it, and just below it. A
period is flagged when its score reaches the threshold (>=), so a changed
comparison (>, a factor on the threshold, a score scaled differently) fails.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from likecheck import screening

EPSILON = 1e-9
PAGE = "SYNTHETIC page"


def fan_counts(days: list[dict[str, int]]) -> pd.DataFrame:
    """Lifetime fans by country, one dict per day from 2016-03-01."""
    first = pd.Timestamp("2016-03-01")
    return pd.DataFrame([{"page": PAGE, "date": first + pd.Timedelta(days=i), "country": country, "fans": fans}
                         for i, day in enumerate(days) for country, fans in day.items()])


def posts(rows: list[tuple[int, int, int]]) -> pd.DataFrame:
    """(day from 2016-03-01, fans at posting, interactions): one post at 05:00 UTC (noon in Phnom Penh)."""
    first = pd.Timestamp("2016-03-01 05:00", tz="UTC")
    return pd.DataFrame({"page": PAGE, "post_id": [str(i) for i in range(len(rows))],
                         "posted_at": [first + pd.Timedelta(days=d) for d, _, _ in rows],
                         "interactions": [i for _, _, i in rows], "fans_at_posting": [f for _, f, _ in rows]})


def at_edge(signal, table, score: float, **settings) -> list[pd.DataFrame]:
    """The signal's rows with the threshold just above the score, at it, and just below it."""
    return [signal(table, threshold=score + delta, **settings) for delta in (EPSILON, 0.0, -EPSILON)]


def test_country_surge_flags_a_score_that_reaches_its_threshold():
    # KH and IN gain 50 fans a day each for eleven days; on the twelfth IN gains 150.
    # IN's median share of the page's new fans over the 4 days before: 50 / 100 = 0.5;
    # expected that day: 0.5 x 200 = 100; residual 150 - 100 = 50; counting noise sqrt(100) = 10;
    # the trailing residuals are all 0, so the robust scale is its floor, 1: score 50 / 10 / 1 = 5.
    # (IN's own level: (150 - 50) / sqrt(50) = 14.1, higher, so the score is the model's 5.)
    days = [{"KH": 1000 + 50 * i, "IN": 1000 + 50 * i} for i in range(12)]
    days[-1]["IN"] += 100
    above, at, below = at_edge(screening.country_surge, fan_counts(days), 5.0, window=4)
    assert above.empty
    for rows in (at, below):
        assert len(rows) == 1
        row = rows.iloc[0]
        assert (row["country"], row["start"], row["end"]) == ("IN", pd.Timestamp("2016-03-12"), pd.Timestamp("2016-03-12"))
        assert row["score"] == 5.0 and row["excess"] == 50.0 and row["flagged"]


def test_origin_shift_flags_a_score_that_reaches_its_threshold():
    # Day 0: KH 300, IN 100 fans, so 25% of all fans are abroad (home: KH, the largest).
    # Days 1 and 2: KH +10, IN +30 each, so the 2-day window's new fans are 60 / 80 = 75% abroad.
    # Score: 75 - 25 = 50 points. Excess: 60 abroad - 25% x 80 expected = 40.
    # ZZ 0: the export gives the page's total, and KH and IN are all of it (no total, no "abroad").
    days = [{"KH": 300, "IN": 100, "ZZ": 0}, {"KH": 310, "IN": 130, "ZZ": 0}, {"KH": 320, "IN": 160, "ZZ": 0}]
    above, at, below = at_edge(screening.origin_shift, fan_counts(days), 50.0, window=2, min_new_fans=0)
    assert above.empty
    for rows in (at, below):
        assert len(rows) == 1
        row = rows.iloc[0]
        assert (row["start"], row["end"]) == (pd.Timestamp("2016-03-02"), pd.Timestamp("2016-03-03"))
        assert row["score"] == 50.0 and row["excess"] == 40.0 and row["flagged"]


def test_fan_jump_flags_a_score_that_reaches_its_threshold():
    # One post a day, 24 hours apart; the fans at posting grow by 100 a day for ten days, then by 160.
    # Expected growth: the median of the 4 intervals before, 100; residual 60 over sqrt(1 day);
    # the earlier residuals are all 0, so the noise is sqrt(100) = 10: score 60 / 10 = 6.
    # Interactions per post stay at 10 (ratio 1, not viral).
    rows = [(d, 10_000 + 100 * d, 10) for d in range(11)] + [(11, 10_000 + 100 * 10 + 160, 10)]
    above, at, below = at_edge(screening.fan_jump, posts(rows), 6.0, window=4)
    assert above.empty
    for found in (at, below):
        assert len(found) == 1
        row = found.iloc[0]
        assert (row["start"], row["end"]) == (pd.Timestamp("2016-03-11"), pd.Timestamp("2016-03-12"))
        assert row["score"] == 6.0 and row["excess"] == 60.0 and row["flagged"]


def test_engagement_dilution_flags_a_score_that_reaches_its_threshold():
    # Blocks of 2 days. Block 0: one post, 100 interactions at 1,000 fans (100 per 1,000 fans).
    # Block 1: one post, 100 interactions at 2,000 fans (50 per 1,000): a fall of 50% against the
    # median of the blocks before (block 0 alone), while interactions per post stay at 100 (0% change).
    # Excess: 2,000 fans at posting - 1,000 x 100 / 100 = 1,000.
    table = posts([(0, 1000, 100), (2, 2000, 100)])
    above, at, below = at_edge(screening.engagement_dilution, table, 50.0, window=2, min_posts=1)
    assert above.empty
    for rows in (at, below):
        assert len(rows) == 1
        row = rows.iloc[0]
        assert (row["start"], row["end"]) == (pd.Timestamp("2016-03-03"), pd.Timestamp("2016-03-03"))
        assert row["score"] == 50.0 and row["excess"] == 1000.0 and row["flagged"]


@pytest.mark.parametrize("signal", screening.SIGNALS)
def test_every_signal_has_its_edge_test(signal):
    """A fifth signal needs its own test above: this fails until it has one."""
    assert f"test_{signal}_flags_a_score_that_reaches_its_threshold" in globals()


def test_the_scores_above_are_exact_in_binary():
    """The edge tests compare scores with ==: the hand-made numbers are exact floats, not rounded."""
    assert 100 * (1 - 20 / 80) - 100 * (1 - 300 / 400) == 50.0
    assert 100 * (1 - (100 / 2000 * 1000) / (100 / 1000 * 1000)) == 50.0
    assert 50 / np.sqrt(100) == 5.0 and 60 / np.sqrt(100) == 6.0
