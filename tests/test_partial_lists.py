"""Partial country lists: every number an export allows is exact, an interval or unknown, and says which.

Exports shaped as real ones are: a Page Insights CSV with 85 country columns of which at most 45 are
filled a day, a total that runs ahead of the country breakdown, countries entering the list when the
list exhausts the total and when it does not; a Graph API response with page_fans_country and no
page_fans. Every expected value is worked out by hand in the comments.
"""

from __future__ import annotations

import math

import pandas as pd
import pycountry
import pytest

from fixtures_exports import graph_without_total

from likecheck import evidence, lists
from likecheck.importers import import_exports
from likecheck.importers.report import import_report

# ---------------------------------------------------------------- one day's list, by hand


def test_an_unlisted_country_is_zero_when_the_list_exhausts_the_total():
    day = lists.DayList(pd.Timestamp("2016-03-01"), {"TH": 100, "US": 50}, total=150.0)
    assert day.exhausts
    assert (day.country("KH").low, day.country("KH").high, day.country("KH").kind) == (0, 0, "exact")


def test_an_unlisted_country_lies_between_zero_and_the_smallest_listed_or_what_the_total_leaves():
    # listed 150 of 160: an unlisted country has at most min(50, 160 - 150) = 10
    day = lists.DayList(pd.Timestamp("2016-03-01"), {"TH": 100, "US": 50}, total=160.0)
    assert (day.country("KH").low, day.country("KH").high, day.country("KH").kind) == (0, 10, "interval")
    # no total: at most the smallest listed, 50
    day = lists.DayList(pd.Timestamp("2016-03-01"), {"TH": 100, "US": 50})
    assert (day.country("KH").low, day.country("KH").high) == (0, 50)
    assert day.page_total().kind == "unknown" and day.rest(["TH"]).kind == "unknown"


def test_a_day_with_a_total_and_no_countries_has_unknown_countries():
    day = lists.DayList(pd.Timestamp("2016-03-01"), {}, total=1000.0)
    assert day.country("TH").kind == "unknown"
    assert day.page_total().value == 1000
    assert day.rest(["TH"]).kind == "unknown"


def test_a_change_subtracts_intervals_end_to_end():
    # from [0, 50] to exactly 70: gained between 70 - 50 = 20 and 70 - 0 = 70
    change = lists.exactly(70) - lists.Bounds(0.0, 50.0)
    assert (change.low, change.high, change.kind) == (20, 70, "interval")
    assert math.isnan((lists.Bounds() - lists.exactly(3)).low)


def test_the_countries_that_changed_most_rank_gains_and_losses_alike():
    before = lists.DayList(pd.Timestamp("2016-03-01"), {"KH": 1000, "IN": 500, "PH": 100, "US": 80})
    after = lists.DayList(pd.Timestamp("2016-03-02"), {"KH": 1010, "IN": 300, "PH": 250, "US": 81})
    # IN -200, PH +150, US +1: home KH left out
    assert lists.movers(before, after, exclude=["KH"], top=2) == ["IN", "PH"]
    assert lists.movers(before, after, exclude=["KH"], top=0) == []


# ---------------------------------------------------------------- a Page Insights CSV of 85 country columns

CODES = sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 not in {"KH", "PH"})[:83] + ["KH", "PH"]
#: The 44 countries listed every day: 1,000, 1,010, ..., 1,430 fans (sum 44 x 1,215 = 53,460).
STEADY = {code: 1000 + 10 * i for i, code in enumerate(CODES[:44])}
STEADY_SUM = 53_460


def insights_csv(path):
    """Five days; KH and PH start unlisted.

    03-01: the 44 steady countries, total 53,460: the list exhausts the total (KH exactly 0).
    03-02: KH enters with 5 (45 listed), total 53,465: exhausted again, so KH gained exactly 5.
    03-03: the same 45, total 53,965: 500 fans outside the list (PH somewhere in [0, min(5, 500)]).
    03-04: PH enters with 700 and KH leaves (45 listed), total 54,665 (ZZ = 54,665 - 53,460 - 700 = 505).
    03-05: total 54,700, every country cell empty (the breakdown lags the total).
    """
    assert sum(STEADY.values()) == STEADY_SUM
    header = ["Date", "Lifetime Total Likes"] + [f"Lifetime Likes by Country - {c}" for c in CODES]
    days = [("2016-03-01", 53_460, {}), ("2016-03-02", 53_465, {"KH": 5}), ("2016-03-03", 53_965, {"KH": 5}),
            ("2016-03-04", 54_665, {"PH": 700}), ("2016-03-05", 54_700, None)]
    lines = [",".join(header)]
    for day, total, extra in days:
        counts = {} if extra is None else {**STEADY, **extra}
        assert len(counts) <= 45
        lines.append(",".join([day, str(total)] + [str(counts.get(c, "")) for c in CODES]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def insights(tmp_path):
    imported = import_exports(insights_csv(tmp_path / "page.csv"), page="a page")
    return imported, evidence.Evidence(None, imported, "page.csv")


def rows(table):
    return table.set_index("origin")


def test_a_day_with_a_total_and_empty_countries_is_not_rest_of_world(insights):
    imported, _ = insights
    on_last = imported.fan_counts[imported.fan_counts["date"] == "2016-03-05"]
    assert on_last.empty  # no ZZ of 54,700: those fans are of unknown countries
    assert imported.bare_totals[["date", "total"]].values.tolist() == [[pd.Timestamp("2016-03-05"), 54_700]]
    zz = imported.fan_counts[imported.fan_counts["country"] == "ZZ"].set_index("date")["fans"]
    assert zz.to_dict() == {pd.Timestamp("2016-03-01"): 0, pd.Timestamp("2016-03-02"): 0,
                            pd.Timestamp("2016-03-03"): 500, pd.Timestamp("2016-03-04"): 505}


def test_the_import_report_lists_the_days_without_countries_and_the_list_changes(insights):
    imported, _ = insights
    report = import_report(imported)
    assert ("'Lifetime Total Likes' given on 4 of the 4 days with countries listed; 1 day gives the total "
            "with no country listed") in report
    assert "days without a country breakdown (total only, countries unknown): 2016-03-05" in report
    assert "countries that entered the list: KH 2016-03-02, PH 2016-03-04" in report
    assert "countries that left the list: KH 2016-03-04" in report
    assert "at most 45 countries listed a day; days whose listed countries sum to the total: 2" in report


def test_a_country_entering_an_exhausted_list_gained_exactly_its_count(insights):
    _, ev = insights
    table = rows(evidence.new_fans_by_origin(ev, "2016-03-02", "2016-03-02", "a page", home="KH"))
    assert (table.loc["KH", "new_fans"], table.loc["KH", "kind"]) == (5, "exact")  # 0 exactly, then 5
    assert table.loc["total", "new_fans"] == 5  # 53,465 - 53,460


def test_a_country_entering_a_list_that_does_not_exhaust_the_total_gained_an_interval(insights):
    _, ev = insights
    table = rows(evidence.new_fans_by_origin(ev, "2016-03-04", "2016-03-04", "a page", home="KH"))
    # PH: in [0, 5] on 03-03 (smallest listed 5, total leaves 500), exactly 700 on 03-04: [695, 700]
    assert (table.loc["PH", "low"], table.loc["PH", "high"], table.loc["PH", "kind"]) == (695, 700, "interval")
    assert math.isnan(table.loc["PH", "new_fans"])
    # KH: 5 on 03-03; on 03-04 unlisted, at most min(700 (smallest listed), 505 (ZZ)): [-5, 500]
    assert (table.loc["KH", "low"], table.loc["KH", "high"]) == (-5, 500)
    assert table.loc["total", "new_fans"] == 700  # 54,665 - 53,965
    assert table["share_pct"].isna().all() and "intervals" in table["shares_note"].iloc[0]
    headline = evidence.change_headline(table.reset_index())
    assert headline.startswith("The page gained 700 fans in 4 Mar 2016")


def test_a_window_ending_on_a_day_without_countries_knows_the_total_only(insights):
    _, ev = insights
    table = rows(evidence.new_fans_by_origin(ev, "2016-03-05", "2016-03-05", "a page", home="KH"))
    assert table.loc["total", "new_fans"] == 35  # 54,700 - 54,665
    assert table.loc["KH", "kind"] == "unknown" and table.loc["ZZ", "kind"] == "unknown"
    assert "no country is listed for 2016-03-05" in table.loc["KH", "why"]
    assert "abroad" not in evidence.change_headline(table.reset_index())


# ---------------------------------------------------------------- a Graph API response without page_fans

def test_listed_countries_without_page_fans_are_never_the_whole_page(tmp_path):
    imported = import_exports(graph_without_total(tmp_path / "insights.json"))
    assert "ZZ" not in set(imported.fan_counts["country"].astype(str))
    report = import_report(imported)
    assert "no page_fans: the page's total is unknown" in report
    assert "minus the countries" not in report.split("rest of world (ZZ) is stored only")[0]
    ev = evidence.Evidence(None, imported, "insights.json")
    table = rows(evidence.new_fans_by_origin(ev, "2016-03-02", "2016-03-02", "A Thai page"))
    assert table.loc["TH", "new_fans"] == 100 and table.loc["TH", "role"] == "home"
    # PH: unlisted on 03-01 (at most the smallest listed, 50), 60 on 03-02: [10, 60]
    assert (table.loc["PH", "low"], table.loc["PH", "high"]) == (10, 60)
    # KH: 50, then unlisted (at most 60): [-50, 10]
    assert (table.loc["KH", "low"], table.loc["KH", "high"]) == (-50, 10)
    assert "ZZ" not in table.index and table.loc["total", "kind"] == "unknown"
    assert table["share_pct"].isna().all()
    headline = evidence.change_headline(table.reset_index())
    assert "is unknown" in headline and "abroad" not in headline and "%" not in headline
    home = rows(evidence.home_and_abroad(ev, table.reset_index(), "2016-03-02", "2016-03-02", "A Thai page"))
    assert "abroad" not in home.index  # abroad exists only where the total does


def test_the_screen_does_not_read_abroad_without_a_total(tmp_path):
    from likecheck import screening
    imported = import_exports(graph_without_total(tmp_path / "insights.json"))
    table = screening.csv_ready(screening.screen(imported.fan_counts, None))
    row = table[table["signal"] == "origin_shift"].iloc[0]
    assert row["note"].startswith("Not screened: origin_shift needs the page's total") and row["flagged"] == ""
