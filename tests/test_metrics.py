"""Fans on a day, new fans, shares and weekly engagement, against answers worked out by hand.

Expected values are computed here from the fixtures' truth with plain loops
(or written out), never with the functions under test.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

import fixtures_exports as fx
from helpers import one_line_error
from likecheck import metrics
from likecheck.errors import ParameterError
from likecheck.importers import import_exports


@pytest.fixture(scope="module", autouse=True)
def cache_folder(tmp_path_factory):
    """An import cache for this module (autouse: set before the module's tables are imported)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LIKECHECK_CACHE", str(tmp_path_factory.mktemp("import-cache")))
        yield


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    return fx.write_all(tmp_path_factory.mktemp("exports"))


@pytest.fixture(scope="module")
def fan_counts(exports):
    return import_exports(exports["graph-api"]).fan_counts


@pytest.fixture(scope="module")
def posts(exports):
    return import_exports(exports["crowdtangle"]).posts


def fans_table(rows):
    """A fan-count table from (day, country, fans) tuples, one page."""
    return pd.DataFrame({"page": "p", "date": [pd.Timestamp(d) for d, _, _ in rows],
                         "country": [c for _, c, _ in rows], "fans": [f for _, _, f in rows]})


def posts_table(rows, page="p"):
    """A posts table from (UTC datetime, interactions, fans at posting) tuples."""
    return pd.DataFrame({"page": page, "post_id": [f"id{i}" for i in range(len(rows))],
                         "posted_at": pd.to_datetime([t for t, _, _ in rows], utc=True),
                         "interactions": [i for _, i, _ in rows], "fans_at_posting": [f for _, _, f in rows],
                         "message": None})


# ---------------------------------------------------------------- fans on a day, new fans

def test_fans_on_a_day(fan_counts):
    counts = metrics.fans_on(fan_counts, "2016-03-13")
    truth = {c: v for (d, c), v in fx.fan_truth().items() if d == date(2016, 3, 13)}
    assert counts.to_dict() == truth
    assert list(counts) == sorted(truth.values(), reverse=True)  # largest first


def test_fans_on_a_day_outside_or_inside_a_gap(fan_counts):
    with pytest.raises(ParameterError) as err:
        metrics.fans_on(fan_counts, "2016-04-01")
    one_line_error(err, "2016-04-01", "the data hold 2016-03-08 to 2016-03-17")
    gappy = fan_counts[fan_counts["date"] != "2016-03-10"]
    with pytest.raises(ParameterError) as err:
        metrics.fans_on(gappy, "2016-03-10")
    one_line_error(err, "the data hold 2016-03-08 to 2016-03-17 (1 days missing in between)")


def test_several_pages_need_a_page_and_an_unknown_page_is_named(fan_counts):
    two = pd.concat([fan_counts.assign(page="a"), fan_counts.assign(page="b")])
    with pytest.raises(ParameterError) as err:
        metrics.fans_on(two, "2016-03-13")
    one_line_error(err, "several pages (a, b)")
    assert metrics.fans_on(two, "2016-03-13", page="B").sum() == metrics.fans_on(fan_counts, "2016-03-13").sum()
    with pytest.raises(ParameterError) as err:
        metrics.fans_on(two, "2016-03-13", page="c")
    one_line_error(err, "page 'c'", "a, b")
    with pytest.raises(ParameterError) as err:
        metrics.fans_on(fan_counts.iloc[0:0], "2016-03-13")
    one_line_error(err, "empty")


def test_new_fans_count_from_the_end_of_the_day_before_start(fan_counts):
    truth = fx.fan_truth()
    gained = metrics.new_fans(fan_counts, "2016-03-10", "2016-03-15")
    expected = {c: truth[(date(2016, 3, 15), c)] - truth[(date(2016, 3, 9), c)]
                for c in ("KH", "IN", "US", "VN", "TH", "ZZ")}
    assert gained.to_dict() == expected
    assert gained.attrs["baseline_day"] == pd.Timestamp("2016-03-09")
    # a single day: its own gain, not zero
    one_day = metrics.new_fans(fan_counts, "2016-03-13", "2016-03-13")
    assert one_day["KH"] == truth[(date(2016, 3, 13), "KH")] - truth[(date(2016, 3, 12), "KH")]


def test_new_fans_without_the_day_before_start(fan_counts):
    with pytest.raises(ParameterError) as err:
        metrics.new_fans(fan_counts, "2016-03-08", "2016-03-12")  # the data start on 8 March
    one_line_error(err, "2016-03-07", "the data hold 2016-03-08 to 2016-03-17")
    with pytest.raises(ParameterError) as err:
        metrics.new_fans(fan_counts, "2016-03-12", "2016-03-10")
    one_line_error(err, "start 2016-03-12 is after end 2016-03-10")
    with pytest.raises(ParameterError) as err:
        metrics.new_fans(fan_counts, "2016-03-10", "2016-03-31")
    one_line_error(err, "2016-03-31", "the data hold 2016-03-08 to 2016-03-17")
    with pytest.raises(ParameterError) as err:
        metrics.new_fans(fan_counts, "2016-02-30", "2016-03-12")
    one_line_error(err, "'2016-02-30' is not a date")


def test_countries_listed_at_one_end_only_go_into_the_rest():
    # PH enters the top list by the end; MY drops out of it; the totals are 1000 and 1300
    table = fans_table([(date(2016, 3, 1), "KH", 600), (date(2016, 3, 1), "MY", 50), (date(2016, 3, 1), "ZZ", 350),
                        (date(2016, 3, 5), "KH", 700), (date(2016, 3, 5), "PH", 80), (date(2016, 3, 5), "ZZ", 520)])
    gained = metrics.new_fans(table, "2016-03-02", "2016-03-05")
    assert gained.to_dict() == {"KH": 100, "ZZ": (80 + 520) - (50 + 350)}
    assert gained.sum() == 1300 - 1000
    assert gained.attrs["merged_into_rest"] == ["MY", "PH"]
    # without a total (no ZZ) their change is unknown: left out, and said so
    gained = metrics.new_fans(table[table["country"] != "ZZ"], "2016-03-02", "2016-03-05")
    assert gained.to_dict() == {"KH": 100}
    assert gained.attrs["left_out"] == ["MY", "PH"]


def test_country_shares_and_grouping():
    counts = pd.Series({"KH": 500, "IN": 300, "US": 100, "ZZ": 100}, name="new_fans")
    shares = metrics.country_shares(counts)
    assert shares["country"].tolist() == ["KH", "IN", "US", "ZZ", "total"]
    assert shares["share_pct"].tolist() == [50.0, 30.0, 10.0, 10.0, 100.0]
    assert shares["new_fans"].tolist() == [500, 300, 100, 100, 1000]
    grouped = metrics.group_countries(counts)
    assert grouped.to_dict() == {"KH": 500, "IN": 300, "ZZ": 200}
    assert metrics.country_shares(grouped)["share_pct"].tolist() == [50.0, 30.0, 20.0, 100.0]
    missing = metrics.group_countries(pd.Series({"KH": 5, "ZZ": 5}), keep=("KH", "IN"))
    assert missing["KH"] == 5 and pd.isna(missing["IN"]) and missing["ZZ"] == 5
    with pytest.raises(ParameterError):
        metrics.country_shares(pd.Series({"KH": 0}))


# ---------------------------------------------------------------- weekly engagement

def expected_weeks(posts_truth, page, mondays):
    """Sum of interactions per 1000 fans per Monday-to-Sunday week of Phnom Penh time (UTC+7)."""
    sums = {m: 0.0 for m in mondays}
    counts = {m: 0 for m in mondays}
    for post in posts_truth:
        if post["page"] != page:
            continue
        local_day = (post["utc"] + fx.ICT).date()
        monday = local_day - timedelta(days=local_day.weekday())
        if monday in sums:
            sums[monday] += fx.interactions_of(post) / post["fans"] * 1000
            counts[monday] += 1
    return sums, counts


def test_weekly_engagement_full_weeks_only(posts):
    # Wednesday 2 March to Thursday 24 March: the weeks of 29 Feb and 21 Mar are cut, so dropped
    weeks = metrics.weekly_engagement_from_posts(posts, "2016-03-02", "2016-03-24", page=fx.PAGE)
    mondays = [date(2016, 3, 7), date(2016, 3, 14)]
    sums, counts = expected_weeks(fx.post_truth(), fx.PAGE, mondays)
    assert [d.date() for d in weeks["week_start"]] == mondays
    assert [d.date() for d in weeks["week_end"]] == [date(2016, 3, 13), date(2016, 3, 20)]
    assert weeks["posts"].tolist() == [counts[m] for m in mondays]
    np.testing.assert_allclose(weeks["interactions_per_1000_fans"], [sums[m] for m in mondays])
    np.testing.assert_allclose(weeks["mean_per_post"], [sums[m] / counts[m] for m in mondays])
    change = 100 * (sums[mondays[1]] / sums[mondays[0]] - 1)
    assert np.isnan(weeks["week_on_week_change_pct"].iloc[0])
    assert weeks["week_on_week_change_pct"].iloc[1] == pytest.approx(change)
    assert weeks.attrs["dropped_weeks"] == [(pd.Timestamp("2016-02-29"), pd.Timestamp("2016-03-06")),
                                            (pd.Timestamp("2016-03-21"), pd.Timestamp("2016-03-27"))]


def test_weekly_engagement_of_every_page(posts):
    weeks = metrics.weekly_engagement_from_posts(posts, "2016-02-29", "2016-03-27")
    assert weeks.attrs["dropped_weeks"] == []
    assert sorted(set(weeks["page"])) == sorted([fx.PAGE, fx.OTHER_PAGE])
    mondays = [date(2016, 2, 29) + timedelta(weeks=k) for k in range(4)]
    for page in (fx.PAGE, fx.OTHER_PAGE):
        sums, _ = expected_weeks(fx.post_truth(), page, mondays)
        np.testing.assert_allclose(weeks.loc[weeks["page"] == page, "interactions_per_1000_fans"],
                                   [sums[m] for m in mondays])


def test_weeks_are_counted_in_the_pages_time_zone():
    # Sunday 6 March 2016, 18:30 UTC is Monday 7 March, 01:30 in Phnom Penh
    table = posts_table([(datetime(2016, 3, 6, 18, 30, tzinfo=timezone.utc), 50, 1000),
                         (datetime(2016, 3, 2, 12, 0, tzinfo=timezone.utc), 10, 1000)])
    local = metrics.weekly_engagement_from_posts(table, "2016-02-29", "2016-03-13")
    assert local["interactions_per_1000_fans"].tolist() == [10.0, 50.0]
    utc = metrics.weekly_engagement_from_posts(table, "2016-02-29", "2016-03-13", tz="UTC")
    assert utc["interactions_per_1000_fans"].tolist() == [60.0, 0.0]
    assert utc["posts"].tolist() == [2, 0]
    assert np.isnan(utc["mean_per_post"].iloc[1])
    assert utc["week_on_week_change_pct"].iloc[1] == pytest.approx(-100.0)


def test_a_week_after_an_empty_week_has_no_change():
    table = posts_table([(datetime(2016, 3, 1, 5, tzinfo=timezone.utc), 10, 1000),
                         (datetime(2016, 3, 15, 5, tzinfo=timezone.utc), 30, 1000)])
    weeks = metrics.weekly_engagement_from_posts(table, "2016-02-29", "2016-03-20")
    assert weeks["posts"].tolist() == [1, 0, 1]
    assert weeks["interactions_per_1000_fans"].tolist() == [10.0, 0.0, 30.0]
    assert np.isnan(weeks["week_on_week_change_pct"].iloc[2])  # not +inf


def test_weekly_engagement_bad_windows(posts):
    with pytest.raises(ParameterError) as err:
        metrics.weekly_engagement_from_posts(posts, "2016-03-02", "2016-03-05")  # Wednesday to Saturday
    one_line_error(err, "holds no full Monday-to-Sunday week")
    with pytest.raises(ParameterError) as err:
        metrics.weekly_engagement_from_posts(posts, "2016-06-06", "2016-06-26")
    one_line_error(err, "no data between 2016-06-06 and 2016-06-26", "the data hold 2016-02-29 to 2016-03-27")
    with pytest.raises(ParameterError) as err:
        metrics.weekly_engagement_from_posts(posts, "2016-02-29", "2016-03-27", tz="Mars/Olympus")
    one_line_error(err, "unknown time zone 'Mars/Olympus'")


def test_window_check():
    days = pd.Series(pd.date_range("2016-02-01", "2016-03-31"))
    assert metrics.window_check(days, "2016-03-01", "2016-04-30") == (pd.Timestamp("2016-03-01"),
                                                                       pd.Timestamp("2016-04-30"))
    with pytest.raises(ParameterError) as err:
        metrics.window_check(days, "2016-03-10", "2016-03-01")
    one_line_error(err, "start 2016-03-10 is after end 2016-03-01")
    with pytest.raises(ParameterError) as err:
        metrics.window_check(days, "2016-05-01", "2016-05-31")
    one_line_error(err, "no data between 2016-05-01 and 2016-05-31; the data hold 2016-02-01 to 2016-03-31")
    with pytest.raises(ParameterError):
        metrics.window_check(pd.Series([], dtype="datetime64[ns]"), "2016-05-01", "2016-05-31")


def test_shares_of_a_negative_total_are_refused():
    """Shares of a page that lost fans would read backwards (KH 200%, IN -40%)."""
    with pytest.raises(ParameterError, match="add up to -5"):
        metrics.country_shares(pd.Series({"KH": -10, "IN": 2, "ZZ": 3}))
