"""The screen: finds bought likes at known days, countries and sizes; stays quiet on clean pages.

Test beds are the seeded simulation (likecheck.simulate: the truth of every
purchase is known) and small hand-made tables whose scores are computed here
by hand. `make screen` is run end to end on exports shaped like real ones
(CrowdTangle CSV with a BOM, CRLF line ends, ICT times and "1,234" counts;
Graph API responses with countries dropping out of the top list).
"""

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import one_line_error, run_cli
from likecheck import screening, simulate
from likecheck.errors import ParameterError
from likecheck.outputs import write_csv
from likecheck.paths import FIGURES, ROOT
from likecheck.tools.manifest import read_manifest

#: A page with genuine fans in several countries: KH 4,500 a day, IN 150, US 100, ZZ 250.
PAGE = dict(start="2016-01-04", days=168, initial_fans=2_000_000, organic_daily_new_fans=5_000,
            organic_foreign_share=0.1, organic_foreign_mix={"IN": 0.3, "US": 0.2, "ZZ": 0.5},
            posts_per_day=3, purchased_likes=0, purchase_start="2016-02-01", purchase_days=1)
NORMAL_DAILY = {"IN": 5_000 * 0.1 * 0.3, "US": 5_000 * 0.1 * 0.2, "ZZ": 5_000 * 0.1 * 0.5}

#: (seed, country, first day, days, times the country's normal daily growth)
PURCHASES = [
    (1, "IN", "2016-03-01", 4, 7),      # the smallest the issue asks for: 7x over a few days
    (2, "US", "2016-04-11", 3, 7),
    (3, "ZZ", "2016-03-21", 5, 20),
    (4, "IN", "2016-02-22", 10, 100),   # the 2016 scale: a country's growth many times over
]


def bought_page(seed, country, first, days, times, **more):
    likes = int(round(NORMAL_DAILY[country] * times * days))
    return simulate.simulate(seed=seed, **{**PAGE, "purchase_start": first, "purchase_days": days,
                                           "purchased_likes": likes, "origin_mix": {country: 1.0}, **more})


def purchase_days(first, days):
    start = pd.Timestamp(first)
    return start, start + pd.Timedelta(days=days - 1)


def overlaps(rows, start, end):
    return (rows["start"] <= end) & (rows["end"] >= start)


@pytest.mark.parametrize("seed,country,first,days,times", PURCHASES)
def test_country_surge_finds_each_purchase_in_its_country_and_days(seed, country, first, days, times):
    sim = bought_page(seed, country, first, days, times)
    start, end = purchase_days(first, days)
    found = screening.screen(sim.fan_counts, None)
    surges = found[found["flagged"] & (found["signal"] == "country_surge")]
    assert set(surges["country"]) == {country}, surges
    assert overlaps(surges, start, end).all()
    # what the screen calls excess against what was bought (the truth of the simulation)
    bought = NORMAL_DAILY[country] * times * days
    assert 0.7 * bought <= surges["excess"].sum() <= 1.1 * bought


@pytest.mark.parametrize("seed,country,first,days,times", PURCHASES)
def test_fan_jump_finds_each_purchase_from_the_posts_alone(seed, country, first, days, times):
    sim = simulate.posts_only(bought_page(seed, country, first, days, times))
    assert sim.fan_counts is None
    start, end = purchase_days(first, days)
    found = screening.screen(None, sim.posts)
    jumps = found[found["flagged"] & (found["signal"] == "fan_jump")]
    assert len(jumps) >= 1 and overlaps(jumps, start, end).all(), found
    assert set(found.loc[found["signal"] == "country_surge", "note"].str[:12]) == {"Not screened"}


CLEAN = [dict(seed=seed) for seed in (11, 12, 13)] + [
    dict(seed=seed, surge_start="2016-04-04", surge_days=days, surge_factor=factor)
    for seed, days, factor in ((14, 3, 8.0), (15, 7, 4.0), (16, 1, 20.0))]


@pytest.mark.parametrize("clean", CLEAN, ids=lambda c: f"seed{c['seed']}" + ("-viral" if "surge_start" in c else ""))
def test_clean_pages_raise_no_country_surge_or_fan_jump(clean):
    sim = simulate.simulate(**{**PAGE, **clean})
    found = screening.screen(sim.fan_counts, sim.posts)
    assert not found["flagged"].any(), found[found["flagged"]]
    assert set(found["signal"]) == set(screening.SIGNALS)
    if "surge_start" in clean:  # the surge was seen, and read as a viral post
        jumps = found[found["signal"] == "fan_jump"]
        assert jumps["note"].str.contains("looks like a viral post").any()


def test_the_viral_surge_lifts_every_country_alike():
    """The clean test bed is what it claims: during the surge each country's new fans are ~8 times usual."""
    sim = simulate.simulate(**{**PAGE, "seed": 14, "surge_start": "2016-04-04", "surge_days": 3, "surge_factor": 8.0})
    wide = sim.fan_counts.pivot(index="date", columns="country", values="fans").astype(float).diff()
    surge = wide.loc["2016-04-04":"2016-04-06"].mean()
    usual = wide.loc["2016-03-01":"2016-03-31"].mean()
    ratio = (surge / usual).dropna()  # PH: listed, never gains without a purchase
    assert len(ratio) == 4 and ((ratio > 6.5) & (ratio < 9.5)).all(), ratio


def test_several_purchases_are_each_found():
    extra = [{"start": "2016-04-18", "days": 3, "likes": 6_000, "origin_mix": {"US": 1.0}},
             {"start": "2016-05-16", "days": 4, "likes": 40_000, "origin_mix": {"PH": 0.5, "IN": 0.5}}]
    sim = bought_page(21, "IN", "2016-02-29", 5, 10, extra_purchases=extra)
    total = sim.fan_counts[sim.fan_counts["date"] == sim.fan_counts["date"].max()]["fans"].sum()
    clean = simulate.simulate(seed=21, **PAGE)
    clean_total = clean.fan_counts[clean.fan_counts["date"] == clean.fan_counts["date"].max()]["fans"].sum()
    assert total - clean_total == int(round(150 * 10 * 5)) + 6_000 + 40_000  # every bought like is there
    surges = screening.country_surge(sim.fan_counts)
    for country, first, days in (("IN", "2016-02-29", 5), ("US", "2016-04-18", 3),
                                 ("PH", "2016-05-16", 4), ("IN", "2016-05-16", 4)):
        start, end = purchase_days(first, days)
        rows = surges[surges["country"] == country]
        assert overlaps(rows, start, end).any(), (country, first, surges)
    assert len(surges) == 4


# --- by hand ------------------------------------------------------------------------

def steady_table(days=60, jump_day=45, jump=1_000, page="hand page"):
    """IN gains 100 fans a day and KH 900, except IN gains `jump` more on `jump_day`."""
    rows, a, b = [], 10_000, 90_000
    for d in range(days):
        day = pd.Timestamp("2016-01-01") + pd.Timedelta(days=d)
        a += 100 + (jump if d == jump_day else 0)
        b += 900
        rows += [(page, day, "IN", a), (page, day, "KH", b)]
    return pd.DataFrame(rows, columns=["page", "date", "country", "fans"]).astype({"fans": "Int64"})


def test_country_surge_score_and_excess_by_hand():
    table = steady_table()
    rows = screening.country_surge(table)
    assert len(rows) == 1
    row = rows.iloc[0]
    # IN's median share of the page's new fans is 100/1000; the page gained 2,000 on the day,
    # so 200 were expected and 1,100 came: 900 more. The noise of 200 expected is sqrt(200);
    # the residuals before were all 0, so the robust scale is its floor, 1. Against its own
    # median (100 a day): (1,100 - 100) / sqrt(100) = 100, higher, so the score is 900 / sqrt(200).
    assert row["country"] == "IN" and row["start"] == row["end"] == pd.Timestamp("2016-02-15")
    assert row["excess"] == pytest.approx(900)
    assert row["score"] == pytest.approx(900 / math.sqrt(200))


def test_a_country_growing_with_the_page_is_not_a_surge_by_hand():
    """Both countries 10x for a day (a viral post): IN's share is as usual, so no surge."""
    table = steady_table(jump=0)
    day = table["date"] >= pd.Timestamp("2016-02-15")
    extra = np.where(table["country"] == "IN", 900, 8_100)
    table.loc[day, "fans"] = table.loc[day, "fans"] + pd.array(extra[day.to_numpy()], dtype="Int64")
    assert screening.country_surge(table).empty


def test_rest_of_world_is_not_read_on_a_day_the_top_list_changes():
    """Graph API lists the top countries only: when US drops out, its fans move into ZZ that day."""
    rows = []
    for d in range(70):
        day = pd.Timestamp("2016-01-01") + pd.Timedelta(days=d)
        kh, us, zz = 1_000_000 + 900 * d, 50_000 + 50 * d, 200_000 + 50 * d
        rows += [("p", day, "KH", kh), ("p", day, "ZZ", zz + (us if d >= 40 else 0))]
        if d < 40:
            rows.append(("p", day, "US", us))
    table = pd.DataFrame(rows, columns=["page", "date", "country", "fans"]).astype({"fans": "Int64"})
    assert screening.country_surge(table).empty
    new = screening.FanGrid(table).new_fans()
    zz = screening.FanGrid(table).countries.index("ZZ")
    assert np.isnan(new[0, zz, 40]) and new[0, zz, 41] == 100  # its growth is unread that day only,
    # but its share of the page's growth changed (US's now inside): not compared for a window


def test_gaps_in_the_days_are_not_growth():
    sim = simulate.simulate(seed=31, **PAGE)
    kept = sim.fan_counts[~sim.fan_counts["date"].isin(pd.date_range("2016-03-10", "2016-03-14"))]
    assert not screening.screen(kept.reset_index(drop=True), None)["flagged"].any()


def test_origin_shift_matches_the_2016_pattern_by_hand():
    """KH holds 57% of all fans; for 30 days 80% of new fans come from abroad: +23 points and more."""
    rows = []
    kh, zz = 570_000, 430_000
    for d in range(90):
        day = pd.Timestamp("2016-01-01") + pd.Timedelta(days=d)
        abroad = d >= 50 and d < 80
        kh += 200 if abroad else 570
        zz += 800 if abroad else 430
        rows += [("p", day, "KH", kh), ("p", day, "ZZ", zz)]
    table = pd.DataFrame(rows, columns=["page", "date", "country", "fans"]).astype({"fans": "Int64"})
    found = screening.origin_shift(table)
    assert len(found) == 1
    row = found.iloc[0]
    assert row["start"] == pd.Timestamp("2016-02-20") and row["end"] == pd.Timestamp("2016-03-20")
    # the highest: a window wholly inside the shift (80% abroad) that starts where it starts, so
    # measured against all fans at the end of the day before the shift (43% abroad): +37 points
    base = 100 * (430_000 + 430 * 50) / (1_000_000 + 1_000 * 50)
    assert row["score"] == pytest.approx(80 - base)
    assert row["excess"] == pytest.approx(800 * 30 - base / 100 * 1_000 * 30)


def test_engagement_dilution_by_hand():
    """Interactions per post level at 1,000; fans jump from 100,000 to 150,000: per 1,000 fans -33%."""
    posts, n = [], 0
    for d in range(28 * 5):
        day = pd.Timestamp("2016-01-04 03:00", tz="UTC") + pd.Timedelta(days=d)
        fans = 100_000 if d < 28 * 4 else 150_000
        n += 1
        posts.append(("p", f"id{n}", day, 1_000, fans))
    table = pd.DataFrame(posts, columns=["page", "post_id", "posted_at", "interactions", "fans_at_posting"])
    table = table.astype({"interactions": "Int64", "fans_at_posting": "Int64"})
    rows = screening.engagement_dilution(table)
    assert len(rows) == 1
    assert rows.iloc[0]["score"] == pytest.approx(100 * (1 - 100_000 / 150_000))
    assert rows.iloc[0]["start"] == pd.Timestamp("2016-04-25")
    assert rows.iloc[0]["excess"] == pytest.approx(50_000)


def test_screen_is_deterministic_and_in_the_documented_columns():
    sim = bought_page(1, "IN", "2016-03-01", 4, 7)
    first, again = screening.screen(sim.fan_counts, sim.posts), screening.screen(sim.fan_counts, sim.posts)
    pd.testing.assert_frame_equal(first, again)
    assert list(first.columns) == screening.COLUMNS
    written = screening.csv_ready(first)
    assert set(written["flagged"]) <= {"true", "false"}
    assert written["note"].str.len().min() > 20
    assert written.loc[written["flagged"] == "true", "note"].str.contains("not proof of purchase").all()


@pytest.mark.parametrize("settings,named", [
    ({"country_surge_window": 1}, "country_surge_window"),
    ({"fan_jump_threshold": "high"}, "fan_jump_threshold"),
    ({"origin_shift_min_new_fans": 2.5}, "origin_shift_min_new_fans"),
    ({"threshold": 5}, "'threshold'"),
    ({"country_surge_speed": 5}, "speed"),
    ({"engagement_dilution_threshold": float("nan")}, "engagement_dilution_threshold"),
])
def test_bad_settings_are_one_line_naming_the_setting(settings, named):
    sim = simulate.simulate(seed=1, **PAGE)
    with pytest.raises(ParameterError) as caught:
        screening.screen(sim.fan_counts, sim.posts, **settings)
    one_line_error(caught, named)


def test_simulation_defaults_are_unchanged_by_the_new_options():
    """The guide's figures depend on these: the new options at their defaults change nothing."""
    plain = simulate.simulate(seed=5, days=60, purchase_start="2015-11-01", purchase_days=10)
    explicit = simulate.simulate(seed=5, days=60, purchase_start="2015-11-01", purchase_days=10,
                                 organic_foreign_mix={"ZZ": 1.0}, surge_start="", extra_purchases=[])
    pd.testing.assert_frame_equal(plain.fan_counts, explicit.fan_counts)
    pd.testing.assert_frame_equal(plain.posts, explicit.posts)
    assert set(plain.fan_counts["country"]) == {"KH", "IN", "PH", "ZZ"}


@pytest.mark.parametrize("name,value", [
    ("surge_start", "2030-01-01"), ("surge_factor", 0.5), ("page_name", "My real page"),
    ("extra_purchases", [{"start": "2016-01-10", "days": 3}]), ("organic_foreign_mix", {"KH": 1.0}),
])
def test_bad_simulation_options_are_one_line(name, value):
    with pytest.raises(ParameterError) as caught:
        simulate.simulate(seed=1, **{**PAGE, name: value})
    assert str(caught.value).startswith(name) and "\n" not in str(caught.value)


# --- make screen, end to end ----------------------------------------------------------

def run_screen(*args, cwd=ROOT):
    return run_cli("screen", *args, cwd=cwd)


def figures_hash():
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(FIGURES.rglob("*")) if p.is_file())).hexdigest()


def write_crowdtangle(posts: pd.DataFrame, path: Path) -> Path:
    """The simulated posts as a CrowdTangle export: BOM, CRLF, ICT times, '1,234' interactions."""
    header = ["Page Name", "User Name", "Facebook Id", "Page Category", "Likes at Posting", "Post Created",
              "Post Created Date", "Post Created Time", "Type", "Total Interactions", "Likes", "Comments",
              "Shares", "URL", "Message"]
    lines = [",".join(header)]
    local = posts["posted_at"].dt.tz_convert("Asia/Phnom_Penh")
    for row, when in zip(posts.itertuples(), local):
        total = int(row.interactions)
        likes, comments = total * 8 // 10, total // 10
        lines.append(",".join([
            '"SIMULATED page (synthetic)"', "simulated_page", "900000000000099", "POLITICIAN",
            str(int(row.fans_at_posting)), f"{when:%Y-%m-%d %H:%M:%S} ICT", f"{when:%Y-%m-%d}",
            f"{when:%H:%M:%S}", "Photo", f'"{total:,}"', str(likes), str(comments),
            str(total - likes - comments), f"https://www.facebook.com/simulated_page/posts/{row.post_id}",
            f'"{row.message}"']))
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("screen_exports")
    sim = bought_page(4, "IN", "2016-02-22", 10, 100)
    return {"tidy": write_csv(sim.fan_counts, folder / "fan_counts.csv"),
            "crowdtangle": write_crowdtangle(sim.posts, folder / "crowdtangle.csv")}


@pytest.mark.slow
@pytest.mark.parametrize("kind,signal", [("tidy", "country_surge"), ("crowdtangle", "fan_jump")])
def test_make_screen_writes_the_csv_figures_and_import(exports, tmp_path, kind, signal):
    out = tmp_path / "screen"
    before = figures_hash()
    result = run_screen("--data", str(exports[kind]), "--out", str(out))
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out / "screening.csv", keep_default_na=False, dtype={"flagged": str})
    assert list(table.columns) == screening.COLUMNS
    flagged = table[table["flagged"] == "true"]
    rows = flagged[flagged["signal"] == signal]
    assert len(rows) >= 1
    assert (rows["start"] <= "2016-03-02").all() and (rows["end"] >= "2016-02-22").all()
    if signal == "country_surge":
        assert set(rows["country"]) == {"IN"}
        assert (out / "figures" / "screening_country_surge_1.svg").is_file()
        assert (out / "figures" / "screening_country_mix_1.svg").is_file()
        assert (out / "data" / "fan_counts.csv").is_file()
    else:
        assert (out / "figures" / "screening_fan_jump_1.svg").is_file()
        assert (out / "data" / "posts.csv").is_file()
    assert (out / "html" / "05_screening.html").is_file()
    assert json.loads((out / ".likecheck-run.json").read_text())["tool"] == "likecheck screen"
    assert figures_hash() == before


@pytest.mark.slow
@pytest.mark.parametrize("case", ["missing-file", "empty", "truncated-json", "bad-date", "out-in-figures",
                                  "page-not-there", "out-is-a-file", "out-not-ours", "page-without-data"])
def test_bad_input_one_line_exit_2_nothing_written(exports, tmp_path, case):
    out, args, expect = tmp_path / "out", [], []
    tidy = Path(exports["tidy"]).read_text()
    if case == "missing-file":
        args, expect = ["--data", str(tmp_path / "nope.csv")], ["nope.csv", "no such file"]
    elif case == "empty":
        (tmp_path / "empty.csv").write_text("")
        args, expect = ["--data", str(tmp_path / "empty.csv")], ["empty.csv", "empty"]
    elif case == "truncated-json":
        (tmp_path / "cut.json").write_text('{"data": [{"name": "page_fans_country", "values": [')
        args, expect = ["--data", str(tmp_path / "cut.json")], ["cut.json"]
    elif case == "bad-date":
        lines = tidy.splitlines()
        cells = lines[1].split(",")
        cells[1] = "2016-02-31"
        (tmp_path / "baddate.csv").write_text("\n".join([lines[0], ",".join(cells)] + lines[2:]) + "\n")
        args, expect = ["--data", str(tmp_path / "baddate.csv")], ["baddate.csv", "line 2", "date"]
    elif case == "out-in-figures":
        out = FIGURES / "screen"
        args, expect = ["--data", str(exports["tidy"])], ["figures"]
    elif case == "page-not-there":
        args, expect = ["--data", str(exports["tidy"]), "--page", "Nobody"], ["Nobody"]
    elif case == "out-is-a-file":
        out.write_text("my notes")
        args, expect = ["--data", str(exports["tidy"])], ["file"]
    elif case == "out-not-ours":  # a folder of the user's own: never replaced
        out.mkdir()
        (out / "notes.txt").write_text("my notes")
        args, expect = ["--data", str(exports["tidy"])], ["not written by"]
    else:
        args, expect = ["--page", "x"], ["DATA"]
    before = figures_hash()
    result = run_screen(*args, "--out", str(out))
    assert result.returncode == 2, (result.returncode, result.stderr)
    message = result.stderr.strip()
    assert "\n" not in message and message.startswith("error: "), message
    for part in expect:
        assert part in message, (part, message)
    if case == "out-is-a-file":
        assert out.read_text() == "my notes"
    elif case == "out-not-ours":
        assert [p.name for p in out.iterdir()] == ["notes.txt"] and (out / "notes.txt").read_text() == "my notes"
    else:
        assert not out.exists()
    assert not out.with_name(out.name + ".partial").exists()
    assert figures_hash() == before


@pytest.mark.slow
def test_the_notebook_default_finds_the_simulated_purchase_and_nothing_without(fresh_build):
    # notebooks/05_screening.ipynb as the suite's one build ran it, with its default parameters
    table = pd.read_csv(fresh_build.figures / "screening.csv", keep_default_na=False, dtype={"flagged": str},
                        parse_dates=["start", "end"])
    flagged = table[table["flagged"] == "true"]
    assert set(flagged["page"]) == {simulate.PAGE_NAME}
    surges = flagged[flagged["signal"] == "country_surge"]
    assert set(surges["country"]) == {"IN", "PH"}
    assert overlaps(surges, *purchase_days("2016-03-07", 10)).all()
    figures = [f for f in read_manifest(fresh_build.figures)["figures"] if f["notebook"] == "05_screening.ipynb"]
    assert figures
    for figure in figures:
        assert figure["title"].startswith("SIMULATED") and "Simulated data" in figure["caption"]


@pytest.mark.slow
def test_make_screen_reads_every_import_format_at_once(tmp_path):
    """A folder of every format (Graph API pages, Insights xlsx and CSV, CrowdTangle old and new, tidy):
    each page gets its four rows; ten days of counts are too few to score, and say so."""
    import fixtures_exports as fx
    fx.write_all(tmp_path / "exports")
    result = run_screen("--data", str(tmp_path / "exports"), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(tmp_path / "out" / "screening.csv", keep_default_na=False, dtype={"flagged": str})
    assert table.groupby("page")["signal"].apply(lambda s: sorted(s) == sorted(screening.SIGNALS)).all()
    assert (table["flagged"] == "").all()  # none was screened: blank, not false
    assert table["note"].str.startswith(("Too little data", "Not screened")).all()
    assert {fx.PAGE, fx.OTHER_PAGE, "hun_sen"} <= set(table["page"])


def test_a_country_surge_note_names_the_country_in_words():
    """The note is read by people: 'The Philippines gained', 'aimed at the Philippines'; the code is
    the row's country column, not the note's."""
    from likecheck.screening.rows import country_surge_note
    note = country_surge_note("PH", 160561.2)
    assert note.startswith("The Philippines gained 160,561 fans or followers more than")
    assert "aimed at the Philippines, or" in note and "PH" not in note
    assert country_surge_note("IN", 5).startswith("India gained 5 fans")
    assert "aimed at the rest of the world," in country_surge_note("ZZ", 5)
