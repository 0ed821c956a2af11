"""The screen, truthfully: a purchase of any length flagged for its whole length, a band that does not
balloon after it, `flagged` blank where a signal was not screened, and every "too little data" naming
the minimum it missed; the country mix of a flagged period, of the page where the total is known and of the
countries listed (said so) where it is not."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pandas as pd
import pycountry
import pytest

from fixtures_exports import graph_without_total
from helpers import run_cli

from likecheck import plots, screening, simulate
from likecheck.importers import import_exports

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


# ---------------------------------------------------------------- the country mix without the page's total

def test_the_country_mix_without_a_total_is_of_the_countries_listed(tmp_path):
    imported = import_exports(graph_without_total(tmp_path / "insights.json"))
    mix = screening.country_mix(imported.fan_counts, "A Thai page", "2016-03-02", "2016-03-02").set_index("country")
    # No page_fans: no rest of the world, and every share is of the countries listed at both ends
    assert "ZZ" not in mix.index and "countries listed at both ends" in mix.attrs["share_of"]
    # Listed at both ends: TH +100, US +20, 42 others +1 each: 162 new fans among them
    assert mix.loc["TH", "new_fans"] == 100 and mix.loc["TH", "kind"] == "exact"
    assert mix.loc["TH", "new_fans_share_pct"] == pytest.approx(100 * 100 / 162)  # 61.73%
    assert mix.loc["US", "new_fans_share_pct"] == pytest.approx(100 * 20 / 162)  # 12.35%
    assert mix.loc["AD", "new_fans_share_pct"] == pytest.approx(100 * 1 / 162)  # 0.62%
    # ... and 5,000 + 300 + 42 x 100 = 9,500 fans among them the day before
    assert mix.loc["TH", "fans_share_pct"] == pytest.approx(100 * 5000 / 9500)  # 52.63%
    assert mix.loc["US", "fans_share_pct"] == pytest.approx(100 * 300 / 9500)  # 3.16%
    both = mix[mix["kind"] == "exact"]
    assert len(both) == 44 and both["new_fans_share_pct"].sum() == pytest.approx(100)
    assert (both["share_of"] == mix.attrs["share_of"]).all()
    # Listed at one end only: an interval, in no denominator (share blank)
    # KH: 50, then unlisted (at most the smallest listed, 60): [-50, 10]
    assert (mix.loc["KH", "low"], mix.loc["KH", "high"], mix.loc["KH", "kind"]) == (-50, 10, "interval")
    assert mix.loc["KH", "fans_before"] == 50
    # PH: unlisted (at most the smallest listed, 50), then 60: [10, 60]; before [0, 50]
    assert (mix.loc["PH", "low"], mix.loc["PH", "high"], mix.loc["PH", "kind"]) == (10, 60, "interval")
    assert (mix.loc["PH", "fans_before_low"], mix.loc["PH", "fans_before_high"]) == (0, 50)
    for code in ("KH", "PH"):
        assert pd.isna(mix.loc[code, "new_fans"]) and pd.isna(mix.loc[code, "new_fans_share_pct"])
        assert pd.isna(mix.loc[code, "fans_share_pct"]) and mix.loc[code, "share_of"] == ""
    # The figure says so too: its legend names the listed countries, an interval gets words, not "0.0%"
    fig = plots.mix_comparison(mix.reset_index())
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert all("of the listed countries" in text for text in legend)
    labels = [t.get_text() for t in ax.texts]
    assert "0.0%" not in labels and labels.count("no share: listed at one end only") == 4
    assert "61.7%" in labels and "52.6%" in labels


def test_the_country_mix_with_a_total_is_of_the_page():
    # Where the export gives the total (ZZ at both ends), the shares are of the page's new fans, unchanged
    sim = simulate.simulate(seed=5, start="2016-01-01", days=40, organic_daily_new_fans=1000,
                            organic_foreign_share=0.5, organic_foreign_mix={"IN": 0.5, "ZZ": 0.5},
                            purchase_start="2016-01-20", purchase_days=2, purchased_likes=0)
    page = str(sim.fan_counts["page"].iloc[0])
    mix = screening.country_mix(sim.fan_counts, page, "2016-01-10", "2016-01-19")
    assert "ZZ" in set(mix["country"]) and "share_of" not in mix.columns and "low" not in mix.columns
    assert mix["new_fans_share_pct"].sum() == pytest.approx(100)


def graph_surge_without_total(path: Path) -> Path:
    """68 days (1 Jan to 8 Mar 2016) of page_fans_country and no page_fans. TH 101,000 on 1 Jan, +1,000 a
    day; PH 2,020, +20 a day, +3,000 a day on 1-5 Mar; 43 other countries 505 + i (i = 0..42), +5 a day;
    KH 300 until 2 Mar, then unlisted."""
    others = [c.alpha_2 for c in pycountry.countries if c.alpha_2 not in {"TH", "PH", "KH"}][:43]
    values = []
    for d in range(68):
        day = datetime.date(2016, 1, 1) + datetime.timedelta(days=d)
        counts = {"TH": 101_000 + 1000 * d, "PH": 2000 + 20 * (d + 1) + 2980 * max(0, min(d, 64) - 59),
                  **{c: 505 + 5 * d + i for i, c in enumerate(others)}}
        if day < datetime.date(2016, 3, 3):
            counts["KH"] = 300
        values.append({"value": counts, "end_time": f"{day + datetime.timedelta(days=1)}T08:00:00+0000"})
    document = {"name": "A Thai page", "id": "77",
                "data": [{"name": "page_fans_country", "period": "lifetime", "values": values}]}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.slow
def test_the_screen_draws_the_mix_of_the_listed_countries_without_a_total(tmp_path):
    out = tmp_path / "screen"
    result = run_cli("screen", "--data", str(graph_surge_without_total(tmp_path / "insights.json")),
                     "--out", str(out))
    assert result.returncode == 0, result.stderr
    mix = pd.read_csv(out / "figures" / "screening_country_mix_1.csv", keep_default_na=False).set_index("country")
    assert "ZZ" not in mix.index
    # 1-5 Mar, listed at both ends (29 Feb and 5 Mar): PH 5 x 3,000 = 15,000; TH 5 x 1,000 = 5,000;
    # 43 others 5 x 5 = 25 each: 21,075 among them. PH: 15,000 / 21,075 = 71.174%
    assert float(mix.loc["PH", "new_fans"]) == 15_000
    assert float(mix.loc["PH", "new_fans_share_pct"]) == pytest.approx(100 * 15_000 / 21_075)
    # 29 Feb: PH 2,000 + 60 x 20 = 3,200; TH 160,000; others 43 x 800 + (0 + ... + 42) = 35,303: 198,503
    assert float(mix.loc["PH", "fans_share_pct"]) == pytest.approx(100 * 3200 / 198_503)
    assert mix.loc["PH", "share_of"].startswith("the countries listed at both ends")
    # KH: 300 on 29 Feb, unlisted on 5 Mar (at most the smallest listed, 505 + 5 x 64 = 825): [-300, 525]
    assert (float(mix.loc["KH", "low"]), float(mix.loc["KH", "high"])) == (-300, 525)
    assert mix.loc["KH", "new_fans"] == "" and mix.loc["KH", "new_fans_share_pct"] == ""
    page = (out / "html" / "05_screening.html").read_text(encoding="utf-8")
    title = "The Philippines gave 71% of the new fans of the countries listed but had 2% of their fans"
    assert title in page
    figure = page[page.index(title):].split("<h2")[0]  # the figure's title, caption and alt text
    assert "no page total, so these are shares of the countries listed" in figure
    assert "rest of world" not in figure.lower() and "abroad" not in figure
