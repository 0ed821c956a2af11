"""Issue 9: exports as fact-checkers really hold them (tests/fixtures_real_exports.py, all SYNTHETIC).

Fast checks import in-process; each fixture of the issue also runs end to
end through `likecheck rerun` (the command line run in-process), asserting numbers the
test computes from the fixture's truth by hand, the figure titles' wording
and the import report.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import re
from datetime import date, timedelta

import pandas as pd
import pytest

import fixtures_real_exports as fx
from helpers import one_line_error, run_cli
from likecheck import evidence
from likecheck.errors import DataError, ParameterError
from likecheck.importers import import_exports


@pytest.fixture(autouse=True)
def cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LIKECHECK_CACHE", str(tmp_path / "import-cache"))


def folder_with(tmp_path, name, *writers):
    folder = tmp_path / name
    folder.mkdir()
    for write in writers:
        write(folder)
    return folder


def change(truth, first: date, last: date, drawn=("KH", "IN")) -> dict[str, int]:
    """Net change by the countries drawn and the rest (every other country, listed or not), by hand."""
    before = first - timedelta(days=1)
    delta = {c: truth[(last, c)] - truth[(before, c)] for c in fx.COUNTRIES}
    return {**{c: delta[c] for c in drawn}, "ZZ": sum(v for c, v in delta.items() if c not in drawn)}


def with_total(expected: dict) -> dict:
    """The origins' changes and the page's total (its own row of the CSV)."""
    return {**expected, "total": sum(expected.values())}


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- in-process: the importers

def test_a_response_with_many_metrics_reads_only_the_fan_counts(tmp_path):
    path = fx.write_purge(tmp_path)
    fans = import_exports(path).fan_counts
    truth = fx.purge_truth()
    day = fx.PURGE_DAYS[3]
    top = fx.listed(truth, day)
    got = {str(r.country): int(r.fans) for r in fans[fans["date"] == pd.Timestamp(day)].itertuples()}
    assert len(top) == 45 and len(got) == 46  # the top 45, and the rest of the world
    assert got == {**top, "ZZ": fx.total_on(truth, day) - sum(top.values())}
    assert set(fans["page"].astype(str)) == {fx.PAGE}


def test_follower_era_responses_are_joined_by_day_across_daylight_saving(tmp_path):
    paths = fx.write_follows(tmp_path)
    imported = import_exports(paths)
    assert set(imported.eras["audience"]) == {"followers"}
    fans, truth = imported.fan_counts, fx.follow_truth()
    for day in (date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)):  # 08:00 UTC, then 07:00 UTC
        row = fans[(fans["date"] == pd.Timestamp(day)) & (fans["country"] == "KH")]
        assert int(row["fans"].iloc[0]) == truth[(day, "KH")]
    assert fans["date"].nunique() == len(fx.FOLLOW_DAYS)
    assert imported.repeats_dropped["fan_counts"] == 2 * 46  # 9 and 10 March in both responses


def test_the_same_day_with_other_counts_names_both_files_and_the_day(tmp_path):
    first, second = fx.write_follows(tmp_path)
    document = json.loads(second.read_text())
    document["data"][1]["values"][0]["value"]["KH"] += 7  # 9 March, also in the first response
    second.write_text(json.dumps(document))
    with pytest.raises(DataError) as err:
        import_exports([first, second])
    one_line_error(err, "follows_1.json", "follows_2.json", "2026-03-09", "KH")


def test_a_missing_day_is_named_in_the_report(tmp_path):
    first, second = fx.write_follows(tmp_path)
    for path in (first, second):
        document = json.loads(path.read_text())
        for metric in document["data"]:
            metric["values"] = [v for v in metric["values"] if not v["end_time"].startswith("2026-03-05")]
        path.write_text(json.dumps(document))
    report = evidence.import_report(evidence.Evidence(None, import_exports(tmp_path), str(tmp_path)))
    assert "days missing: 2026-03-04" in report  # the day that 2026-03-05T08:00 closes


def test_a_window_across_the_end_of_page_fans_is_refused_with_the_switch(tmp_path):
    folder = folder_with(tmp_path, "eras", fx.write_fans_era_end, fx.write_follows_era_start)
    imported = import_exports(folder)
    assert set(imported.eras["audience"]) == {"fans", "followers"}
    ev = evidence.Evidence(None, imported, str(folder))
    with pytest.raises(ParameterError) as err:
        evidence.new_fans_by_origin(ev, "2025-11-10", "2025-11-20", fx.PAGE_ID)
    one_line_error(err, str(folder), "fans to 2025-11-14, followers from 2025-11-15")
    within = evidence.new_fans_by_origin(ev, "2025-11-20", "2025-11-30", fx.PAGE_ID)
    assert set(within["audience"]) == {"followers"}
    total = within.set_index("origin").loc["total", "new_fans"]
    assert total == 60 * 11 + 44 * 11  # KH +60 a day, the other 44 listed +1


def test_one_page_from_graph_api_and_crowdtangle_by_its_id(tmp_path):
    fx.write_graph_of_the_crowdtangle_page(tmp_path)
    fx.write_crowdtangle(tmp_path / "ct.csv", fx.post_truth())
    imported = import_exports(tmp_path)
    assert set(imported.fan_counts["page"].astype(str)) == {fx.PAGE}
    assert set(imported.posts["page"].astype(str)) == {fx.PAGE}
    for chosen in (fx.PAGE_ID, fx.USER_NAME, fx.PAGE.lower()):
        assert set(import_exports(tmp_path, page=chosen).posts["page"].astype(str)) == {fx.PAGE}


def test_page_contradicting_the_export_is_refused_and_lists_the_pages(tmp_path):
    path = fx.write_purge(tmp_path)
    with pytest.raises(ParameterError) as err:
        import_exports(path, page="Some Other Page")
    one_line_error(err, "'Some Other Page'", fx.PAGE, fx.PAGE_ID)


def test_blank_and_zero_likes_at_posting_are_kept_and_reported(tmp_path):
    path = fx.write_crowdtangle(tmp_path / "ct.csv", fx.post_truth())
    imported = import_exports(path)
    posts = imported.posts
    assert len(posts) == len(fx.post_truth())
    assert posts["fans_at_posting"].isna().sum() == len(fx.BLANK_FANS) + 1
    assert [row for _, row in imported.posts_without_fans] == sorted([*fx.BLANK_FANS, fx.ZERO_FANS])


def test_a_file_where_no_post_has_a_fan_count_is_an_error(tmp_path):
    posts = [{**p, "fans": None} for p in fx.post_truth()]
    path = fx.write_crowdtangle(tmp_path / "ct.csv", posts)
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "ct.csv", "Likes at Posting", "no post has a fan count")


def test_without_a_time_in_the_name_the_newer_file_wins_by_modification_time(tmp_path):
    early, late = fx.write_overlapping_downloads(tmp_path)
    old, new = early.rename(tmp_path / "b_first.csv"), late.rename(tmp_path / "a_second.csv")
    os.utime(old, (1_000_000_000, 1_000_000_000))
    os.utime(new, (1_100_000_000, 1_100_000_000))
    imported = import_exports(tmp_path)
    grown = {p["url"]: p["interactions"] for p in fx.post_truth(1.1)}
    assert {r.post_id: int(r.interactions) for r in imported.posts.itertuples()} == grown
    assert imported.posts_updated == len(fx.post_truth(1.0, date(2016, 3, 20)))
    assert {how for _, _, how in imported.download_times} == {"its modification time"}


def test_a_true_conflict_names_the_two_files_the_post_and_the_values(tmp_path):
    post = fx.post_truth()[0]
    fx.write_crowdtangle(tmp_path / "ct.csv", [post])
    tidy = tmp_path / "posts.csv"
    tidy.write_text("page,post_id,posted_at,interactions,fans_at_posting,message\n"
                    f"{fx.PAGE},{post['url']},{post['utc']:%Y-%m-%dT%H:%M:%SZ},5,{post['fans']},x\n")
    with pytest.raises(DataError) as err:
        import_exports(tmp_path)
    one_line_error(err, "ct.csv", "posts.csv", post["url"], f"interactions {post['interactions']}",
                   "interactions 5")


def test_junk_in_a_folder_is_skipped_but_a_malformed_export_is_not(tmp_path):
    folder = folder_with(tmp_path, "junk", fx.write_junk, fx.write_purge)
    imported = import_exports(folder)
    assert sorted(p.name for p, _ in imported.skipped) == sorted(
        [".DS_Store", "desktop.ini", "README.txt", "downloads.zip", "expected_results.json"])
    (folder / "cut.json").write_text(fx.write_purge(tmp_path).read_text(encoding="utf-8-sig")[:500])
    with pytest.raises(DataError) as err:
        import_exports(folder)
    one_line_error(err, "cut.json", "truncated")
    with pytest.raises(DataError) as err:  # a non-export named on its own is still an error
        import_exports(folder / "README.txt")
    one_line_error(err, "README.txt", "not a recognised export")


@pytest.mark.parametrize("values,expected", [
    ({"KH": 560, "IN": -30100, "ZZ": -7812}, "The page lost 37,352 fans in P; in India it lost 30,100"),
    ({"KH": 21000, "IN": -1400, "ZZ": 574}, "The page gained 20,174 fans in P; in India it lost 1,400"),
    ({"KH": 0, "IN": 0, "ZZ": 0}, "The page's fans did not change in P; in Cambodia it had no net change"),
    ({"KH": -5, "IN": 5, "ZZ": 0}, "The page's fans did not change in P; in Cambodia it lost 5"),
])
def test_headlines_are_true_for_any_sign(values, expected):
    table = pd.DataFrame({"origin": list(values), "new_fans": list(values.values()),
                          "audience": "fans", "period": "P"})
    assert evidence.change_headline(table) == expected


# ---------------------------------------------------------------- end to end: make rerun

def rerun(data, start, end, out, *extra):
    return run_cli("rerun", "--start", start, "--end", end, "--data", data, "--out", out, *extra)


def svg_text(path) -> str:
    return html.unescape(" ".join(re.findall(r">([^<>]+)<", path.read_text(encoding="utf-8"))))


def origin_table(out, name="like_origin_new_fans"):
    return pd.read_csv(out / "figures" / f"{name}.csv", keep_default_na=False, na_values=[""])


@pytest.mark.slow
def test_purge_window_in_a_folder_with_junk_end_to_end(tmp_path):
    folder = folder_with(tmp_path, "pull", fx.write_junk, fx.write_purge)
    out = tmp_path / "out"
    result = rerun(folder, "2019-04-01", "2019-04-14", out, "--top", "1")  # home, India, the rest, the total
    assert result.returncode == 0, result.stderr
    for name in ("README.txt", "downloads.zip", "desktop.ini", ".DS_Store", "expected_results.json"):
        assert f"skipped {name}:" in result.stdout + result.stderr
    expected = change(fx.purge_truth(), date(2019, 4, 1), date(2019, 4, 14))
    table = origin_table(out).set_index("origin")
    total = sum(expected.values())
    assert table["new_fans"].to_dict() == with_total(expected)
    assert table["share_pct"].isna().all() and table["shares_note"].str.contains("lost fans").all()
    assert total < 0 and expected["IN"] < 0
    home = origin_table(out, "like_origin_home_vs_abroad").set_index("origin")
    assert home.loc["KH", "basis"] == "computed from the export"  # not 'published'
    assert home.loc["abroad", "new_fans"] == expected["IN"] + expected["ZZ"]
    title = f"The page lost {-total:,} fans in 1-14 Apr 2019; in India it lost {-expected['IN']:,}"
    assert title in svg_text(out / "figures" / "like_origin_new_fans.svg")
    truth = fx.purge_truth()
    shares = origin_table(out, "like_origin_fan_shares")
    for day in (date(2019, 3, 31), date(2019, 4, 14)):
        kh = shares[(shares["country"] == "KH") & (shares["date_end"] == f"{day}")]["share_pct"].iloc[0]
        assert kh == pytest.approx(100 * truth[(day, "KH")] / fx.total_on(truth, day))
    report = (out / "import_report.md").read_text()
    assert f"| insights_2019-04.json | graph-api | fans | `{sha256(folder / 'insights_2019-04.json')}` |" in report
    assert "2019-03-31 to 2019-04-14 (15 days); no day missing" in report
    assert "page_fans given on 15 of the 15 days with countries listed" in report
    assert "- README.txt: not a recognised export" in report


@pytest.mark.slow
@pytest.mark.parametrize("writer,start,end,title", [
    (fx.write_still, "2016-03-21", "2016-03-23", "The page's fans did not change in 21-23 Mar 2016"),
    (fx.write_mixed, "2016-03-02", "2016-03-08", "The page gained {total:,} fans in 2-8 Mar 2016; "
                                                 "in India it lost {lost:,}"),
])
def test_zero_growth_and_a_country_losing_end_to_end(tmp_path, writer, start, end, title):
    path = writer(tmp_path)
    out = tmp_path / "out"
    still = writer is fx.write_still
    # the still page: every country unchanged, so home alone (TOP=0); the mixed page: India loses most
    result = rerun(path, start, end, out, "--top", "0" if still else "1")
    assert result.returncode == 0, result.stderr
    truth = fx.still_truth() if still else fx.mixed_truth()
    expected = change(truth, date.fromisoformat(start), date.fromisoformat(end), ("KH",) if still else ("KH", "IN"))
    table = origin_table(out).set_index("origin")
    assert table["new_fans"].to_dict() == with_total(expected)
    assert table["share_pct"].isna().all()
    words = title.format(total=sum(expected.values()), lost=-expected.get("IN", 0))
    assert words in svg_text(out / "figures" / "like_origin_new_fans.svg")
    assert (out / "figures" / "like_origin_fan_shares.svg").is_file()  # shares of all fans, always
    assert "%" not in svg_text(out / "figures" / "like_origin_new_fans.svg").split("Source")[0]


@pytest.mark.slow
def test_follower_era_pull_end_to_end(tmp_path):
    folder = folder_with(tmp_path, "pull", fx.write_follows)
    out = tmp_path / "out"
    result = rerun(folder, "2026-03-01", "2026-03-15", out, "--page", fx.PAGE_ID, "--top", "0")
    assert result.returncode == 0, result.stderr
    expected = change(fx.follow_truth(), date(2026, 3, 1), date(2026, 3, 15), ("KH",))
    assert expected == {"KH": 120 * 15, "ZZ": (35 - 10 + 42) * 15}
    table = origin_table(out).set_index("origin")
    assert table["new_fans"].to_dict() == with_total(expected)
    share = 100 * expected["KH"] / sum(expected.values())
    assert table.loc["KH", "share_pct"] == pytest.approx(share)
    assert f"{share:.0f}% of the page's new followers in 1-15 Mar 2026 were in Cambodia" in \
        svg_text(out / "figures" / "like_origin_new_fans.svg")
    for svg in (out / "figures").glob("*.svg"):
        words = svg_text(svg).lower()
        assert " fans" not in words and "likes" not in words, svg.name
    report = (out / "import_report.md").read_text()
    assert "followers, 2026-02-20 to 2026-03-20 (29 days); no day missing" in report
    assert "identical, kept once: 92" in report


@pytest.mark.slow
def test_a_window_straddling_the_eras_is_one_line(tmp_path):
    folder = folder_with(tmp_path, "eras", fx.write_fans_era_end, fx.write_follows_era_start)
    out = tmp_path / "out"
    result = rerun(folder, "2025-11-10", "2025-11-20", out)
    assert result.returncode == 2
    message = result.stderr.strip()
    assert "\n" not in message and "fans to 2025-11-14, followers from 2025-11-15" in message
    assert not out.exists()


def expected_weeks(posts, first_monday: date, last_sunday: date) -> dict:
    """Per Monday (Phnom Penh time, UTC+7): posts, posts with a fan count, sum per 1,000 fans."""
    weeks = {}
    for p in posts:
        day = (p["utc"] + timedelta(hours=7)).date()
        monday = day - timedelta(days=day.weekday())
        if first_monday <= monday <= last_sunday:
            week = weeks.setdefault(monday, [0, 0, 0.0])
            week[0] += 1
            if p["fans"]:
                week[1] += 1
                week[2] += p["interactions"] / p["fans"] * 1000
    return weeks


def assert_weeks(out, weeks):
    weekly = pd.read_csv(out / "figures" / "engagement_weekly.csv", parse_dates=["week_start"])
    assert [d.date() for d in weekly["week_start"]] == sorted(weeks)
    for row in weekly.itertuples():
        posts, with_fans, total = weeks[row.week_start.date()]
        assert (row.posts, row.posts_with_fans) == (posts, with_fans)
        assert row.interactions_per_1000_fans == pytest.approx(total, rel=1e-8)  # the CSV keeps 10 digits


@pytest.mark.slow
def test_blank_likes_at_posting_end_to_end(tmp_path):
    path = fx.write_crowdtangle(tmp_path / "ct.csv", fx.post_truth())
    out = tmp_path / "out"
    result = rerun(path, "2016-02-29", "2016-03-27", out)
    assert result.returncode == 0, result.stderr
    weeks = expected_weeks(fx.post_truth(), date(2016, 2, 29), date(2016, 3, 21))
    assert sum(w[0] - w[1] for w in weeks.values()) == 4
    assert_weeks(out, weeks)
    report = (out / "import_report.md").read_text()
    assert "left out of the per-1,000-fans sums): 4" in report and "ct.csv, rows 3, 17, 22, 30" in report
    assert "4 posts without a count at posting" in (out / "notebooks" / "02_engagement.ipynb").read_text()


@pytest.mark.slow
def test_overlapping_downloads_newest_wins_end_to_end(tmp_path):
    folder = folder_with(tmp_path, "downloads", fx.write_overlapping_downloads)
    out = tmp_path / "out"
    result = rerun(folder, "2016-02-29", "2016-03-27", out)
    assert result.returncode == 0, result.stderr
    assert_weeks(out, expected_weeks(fx.post_truth(1.1), date(2016, 2, 29), date(2016, 3, 21)))
    report = (out / "import_report.md").read_text()
    updated = len(fx.post_truth(1.0, date(2016, 3, 20)))
    assert f"newer download updated (the newest download wins): {updated}" in report
    assert f"{fx.LATE_DOWNLOAD} downloaded 2016-03-28 14:00:00 UTC (from the time in its file name)" in report


def rerun_one_page_from_two_sources(tmp_path, start, end):
    """Graph API counts (the page's id only) and CrowdTangle posts of the same page, without PAGE."""
    folder = folder_with(tmp_path, "exports", fx.write_graph_of_the_crowdtangle_page,
                         lambda f: fx.write_crowdtangle(f / "ct.csv", fx.post_truth()))
    out = tmp_path / "out"
    result = rerun(folder, start, end, out, "--top", "0")  # home and the rest
    assert result.returncode == 0, result.stderr
    return out, result.stdout + result.stderr


@pytest.mark.slow
def test_graph_api_and_crowdtangle_of_one_page_without_page_end_to_end(tmp_path):
    out, _ = rerun_one_page_from_two_sources(tmp_path, "2016-03-07", "2016-03-20")
    expected = change(fx.both_truth(), date(2016, 3, 7), date(2016, 3, 20), ("KH",))
    assert origin_table(out).set_index("origin")["new_fans"].to_dict() == with_total(expected)
    assert_weeks(out, expected_weeks(fx.post_truth(), date(2016, 3, 7), date(2016, 3, 14)))
    assert set(origin_table(out, "like_origin_home_shares")["page"]) == {fx.PAGE}
    assert f"- {fx.PAGE} (also known as {fx.PAGE_ID}, {fx.USER_NAME})" in (out / "import_report.md").read_text()


@pytest.mark.slow
def test_a_window_without_a_full_week_still_draws_the_like_origin(tmp_path):
    out, log = rerun_one_page_from_two_sources(tmp_path, "2016-03-09", "2016-03-12")
    assert "engagement not drawn" in log and "no full Monday-to-Sunday week" in log
    assert (out / "figures" / "like_origin_new_fans.csv").is_file()
    assert not (out / "figures" / "engagement_weekly.csv").exists()


def test_followers_at_posting_make_engagement_per_1000_followers(tmp_path):
    source = fx.write_crowdtangle(tmp_path / "likes.csv", fx.post_truth()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(source, newline="")))
    likes, followers = rows[0].index("Likes at Posting"), rows[0].index("Followers at Posting")
    for row in rows[1:]:  # an export that gives followers, not likes, at posting
        row[followers], row[likes] = row[likes], ""
    rows[0][likes] = "Page Category 2"
    path = tmp_path / "followers.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    ev = evidence.Evidence(None, import_exports(path), str(path))
    assert ev.imported.posts_audience == "followers" and evidence.posts_audience(ev) == "followers"
    assert "the count at posting counts: followers" in evidence.import_report(ev)
    weekly = evidence.weekly_engagement_table(ev, "2016-03-07", "2016-03-13", fx.PAGE)
    week = expected_weeks(fx.post_truth(), date(2016, 3, 7), date(2016, 3, 7))[date(2016, 3, 7)]
    assert weekly["interactions_per_1000_fans"].iloc[0] == pytest.approx(week[2], rel=1e-12)


def test_gross_gains_and_losses_where_the_pull_gives_them(tmp_path):
    ev = evidence.Evidence(None, import_exports(fx.write_purge(tmp_path)), str(tmp_path))
    gross = evidence.gross_change(ev, "2019-04-01", "2019-04-14", fx.PAGE)
    net = sum(change(fx.purge_truth(), date(2019, 4, 1), date(2019, 4, 14)).values())
    assert gross[["gained", "lost", "net"]].iloc[0].tolist() == [100 * 14, 100 * 14 - net, net]
    assert "daily gross changes" in evidence.import_report(ev) and "given for 15 days" in evidence.import_report(ev)
    assert evidence.gross_change(ev, "2019-03-30", "2019-04-14", fx.PAGE).empty  # 30 March is not given
    follows = evidence.Evidence(None, import_exports(fx.write_follows(tmp_path)), str(tmp_path))
    gross = evidence.gross_change(follows, "2026-03-01", "2026-03-15", fx.PAGE_ID)
    assert gross["audience"].iloc[0] == "followers"
    assert gross["net"].iloc[0] == sum(change(fx.follow_truth(), date(2026, 3, 1), date(2026, 3, 15)).values())
