"""CrowdTangle downloads from dashboards in many languages, and re-saved by Excel (issue #24).

Every file here is SYNTHETIC, written out in this module exactly as the real
ones are shaped: a UTF-8 byte-order mark and CRLF line ends, the dashboard's
40-column header, its language's thousands and decimal marks, its time zone
after every time and in the file name; and for Excel, a workbook written
with openpyxl the way Excel saves one (sheet name cut to 31 characters,
dates and times as Excel dates, ids as numbers rounded to 15 digits).

Expected values are worked out by hand in the comments (UTC = local time
minus the zone's offset; the Phnom Penh day = UTC + 7 h), never by the
importers' code.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time

import pandas as pd
import pytest

from helpers import one_line_error
from likecheck.errors import DataError, ParameterError
from likecheck.importers import import_exports
from likecheck.importers.report import import_report


@pytest.fixture(autouse=True)
def cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LIKECHECK_CACHE", str(tmp_path / "import-cache"))


HEADER = [
    "Page Name", "User Name", "Facebook Id", "Page Category", "Page Admin Top Country",
    "Page Description", "Page Created", "Likes at Posting", "Followers at Posting",
    "Post Created", "Post Created Date", "Post Created Time", "Type", "Total Interactions",
    "Likes", "Comments", "Shares", "Love", "Wow", "Haha", "Sad", "Angry", "Care",
    "Video Share Status", "Is Video Owner?", "Post Views", "Total Views",
    "Total Views For All Crossposts", "Video Length", "URL", "Message", "Link", "Final Link",
    "Image Text", "Link Text", "Description", "Sponsor Id", "Sponsor Name", "Sponsor Category",
    "Overperforming Score"]
PAGE, USER, PAGE_ID = "SYNTHETIC Samdech Page", "syntheticsamdech", "100044000000123"  # SYNTHETIC


def row(created: str, total: str, parts: list[str], fans: str, score: str, n: int, **extra) -> list[str]:
    """One post as a dashboard writes it; `parts` are Likes .. Care as written."""
    day, clock = created.split(" ")[:2]
    cells = dict(zip(HEADER, [""] * len(HEADER)))
    cells.update({"Page Name": PAGE, "User Name": USER, "Facebook Id": PAGE_ID, "Page Category": "POLITICIAN",
                  "Page Admin Top Country": "KH", "Page Created": "2010-05-01 08:00:00",
                  "Likes at Posting": fans, "Post Created": created, "Post Created Date": day,
                  "Post Created Time": clock, "Type": "Photo", "Total Interactions": total,
                  "URL": f"https://www.facebook.com/{USER}/posts/{n}", "Message": f"SYNTHETIC post {n}\nsecond line",
                  "Overperforming Score": score})
    cells.update(dict(zip(HEADER[14:23], parts)))
    cells.update(extra)
    return [cells[c] for c in HEADER]


def write_csv(path, rows, header=HEADER):
    """UTF-8 with BOM and CRLF, every cell quoted where needed, as CrowdTangle wrote."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return path


def phnom_penh_days(posts) -> list[date]:
    return sorted(posts["posted_at"].dt.tz_convert("Asia/Phnom_Penh").dt.date)


# --- A Brazilian dashboard: dot for thousands, decimal comma, BRT -------------------------------

def brazilian(folder):
    # 300.000 + 50.000 + 40.000 + 10.000 + 3.000 + 2.000 + 1.137 + 1.000 + 0 = 407.137
    first = row("2016-03-08 10:15:00 BRT", "407.137",
                ["300.000", "50.000", "40.000", "10.000", "3.000", "2.000", "1.137", "1.000", "0"],
                "3.251.000", "1,4", 1)
    # 1.200 + 30 + 12 + 5 + 0 + 0 + 0 + 1 + 2 = 1.250
    second = row("2016-03-08 22:30:00 BRT", "1.250", ["1.200", "30", "12", "5", "0", "0", "0", "1", "2"],
                 "3.252.500", "-2,35", 2)
    # 14:00 BRT is 17:00 UTC, midnight in Phnom Penh: the next day there
    third = row("2016-03-08 14:00:00 BRT", "12", ["10", "1", "1", "", "", "", "", "", ""], "", "0,8", 3)
    name = "2016-03-20-22-49-20-BRT-Historical-Report-SYNTHETIC-2016-03-01--2016-03-20.csv"
    return write_csv(folder / name, [first, second, third])


def test_a_brazilian_dashboard_is_read_with_its_own_separators_and_zone(tmp_path):
    imported = import_exports(brazilian(tmp_path))
    posts = imported.posts.sort_values("posted_at").reset_index(drop=True)
    # BRT is UTC-3: 10:15 -> 13:15 UTC, 14:00 -> 17:00 UTC, 22:30 -> 01:30 UTC the next day
    assert list(posts["posted_at"]) == [pd.Timestamp("2016-03-08 13:15", tz="UTC"),
                                        pd.Timestamp("2016-03-08 17:00", tz="UTC"),
                                        pd.Timestamp("2016-03-09 01:30", tz="UTC")]
    # Phnom Penh (UTC+7): 20:15 on the 8th, 00:00 on the 9th, 08:30 on the 9th
    assert phnom_penh_days(posts) == [date(2016, 3, 8), date(2016, 3, 9), date(2016, 3, 9)]
    assert list(posts["interactions"]) == [407137, 12, 1250]
    assert posts["fans_at_posting"].tolist()[0] == 3251000
    assert pd.isna(posts["fans_at_posting"].tolist()[1])  # blank Likes at Posting: unknown
    assert posts["fans_at_posting"].tolist()[2] == 3252500
    # the download time from the file name: 22:49:20 BRT = 01:49:20 UTC the next day
    assert imported.download_times[0][1:] == ("2016-03-21 01:49:20 UTC", "the time in its file name")
    report = import_report(imported)
    assert "thousands separator dot ('.'), decimal comma" in report
    assert "'1,4'" in report
    # 407.137 and 1.250 equal their parts' sums; 12 = 10 + 1 + 1
    assert "Total Interactions equals the sum of its parts on 3 of 3 posts" in report


@pytest.mark.parametrize("zone, hours, mark, decimal", [
    ("WIB", 7, ".", ","),            # Indonesia
    ("PHT", 8, ",", "."),            # the Philippines
    ("JST", 9, ",", "."),            # Japan
    ("AEDT", 11, ",", "."),          # Sydney in summer
    ("AEST", 10, ",", "."),          # Sydney in winter
    ("CET", 1, "\u202f", ","),       # France: narrow no-break space, decimal comma
    ("CEST", 2, "\u00a0", ","),      # France in summer, no-break space
    ("EET", 2, " ", ","),            # a plain space
    ("EEST", 3, ".", ","),
    ("ART", -3, ".", ","),           # Argentina
    ("EST", -5, ",", "."),
    ("EDT", -4, ",", "."),
    ("PST", -8, ",", "."),
    ("PDT", -7, ",", "."),
    ("ICT", 7, ",", "."),
    ("GMT", 0, "'", "."),            # Swiss German style apostrophe
    ("UTC", 0, ",", "."),
])
def test_every_dashboard_zone_and_number_style(tmp_path, zone, hours, mark, decimal):
    # 12<mark>345 interactions, 1<mark>234<mark>567 fans, posted at 09:30 local time
    grouped = lambda *groups: mark.join(groups)  # noqa: E731
    post = row(f"2016-03-08 09:30:00 {zone}", grouped("12", "345"),
               [grouped("12", "000"), "300", "45", "", "", "", "", "", ""], grouped("1", "234", "567"),
               f"1{decimal}5", 1)
    path = write_csv(tmp_path / f"2016-03-10-08-00-00-{zone}-Historical-Report-SYNTHETIC.csv", [post])
    imported = import_exports(path)
    posts = imported.posts
    expected = pd.Timestamp("2016-03-08 09:30", tz="UTC") - pd.Timedelta(hours=hours)
    assert posts["posted_at"].tolist() == [expected]
    assert posts["interactions"].tolist() == [12345]
    assert posts["fans_at_posting"].tolist() == [1234567]
    when = pd.Timestamp("2016-03-10 08:00", tz="UTC") - pd.Timedelta(hours=hours)
    assert imported.download_times[0][1] == f"{when:%Y-%m-%d %H:%M:%S} UTC"


def test_an_ambiguous_zone_is_refused_with_the_choices_and_settled_by_zone(tmp_path):
    post = row("2016-03-08 09:30:00 IST", "5", ["5", "", "", "", "", "", "", "", ""], "1,000", "1.0", 1)
    path = write_csv(tmp_path / "2016-03-10-08-00-00-IST-Historical-Report-SYNTHETIC.csv", [post])
    with pytest.raises(DataError) as excinfo:
        import_exports(path)
    one_line_error(excinfo, "row 1", "'IST' is ambiguous", "ZONE=+0530 (India and Sri Lanka)",
                   "ZONE=+0100 (Irish Summer Time)", "ZONE=+0200 (Israel)")
    imported = import_exports(path, zone="+0530")
    # 09:30 IST (+05:30) is 04:00 UTC
    assert imported.posts["posted_at"].tolist() == [pd.Timestamp("2016-03-08 04:00", tz="UTC")]
    # the file name's 08:00:00 IST is 02:30 UTC
    assert imported.download_times[0][1:] == ("2016-03-10 02:30:00 UTC", "the time in its file name")
    assert "ZONE=+05:30 given" in import_report(imported)


def test_zone_is_checked_and_an_ambiguous_zone_is_no_answer(tmp_path):
    path = brazilian(tmp_path)
    for bad, part in (("IST", "ambiguous itself"), ("Mars/Olympus", "not a time zone"), ("+2500", "not a time zone")):
        with pytest.raises(ParameterError) as excinfo:
            import_exports(path, zone=bad)
        one_line_error(excinfo, f"ZONE={bad}", part)


def test_an_ambiguous_zone_in_the_file_name_alone_falls_back_to_the_modification_time(tmp_path):
    post = row("2016-03-08 09:30:00 ICT", "5", ["5", "", "", "", "", "", "", "", ""], "1,000", "1.0", 1)
    path = write_csv(tmp_path / "2016-03-10-08-00-00-IST-Historical-Report-SYNTHETIC.csv", [post])
    imported = import_exports(path)
    assert imported.download_times[0][2].startswith("its modification time (the zone 'IST'")


def test_counts_grouped_two_ways_in_one_file_are_refused_with_the_row(tmp_path):
    rows = [row("2016-03-08 09:30:00 ICT", "1,234", ["1,234", "", "", "", "", "", "", "", ""], "5,000", "1.0", 1),
            row("2016-03-08 10:30:00 ICT", "2.345", ["2.345", "", "", "", "", "", "", "", ""], "5,000", "1.0", 2)]
    with pytest.raises(DataError) as excinfo:
        import_exports(write_csv(tmp_path / "ct.csv", rows))
    one_line_error(excinfo, "row 2 (spreadsheet row 3)", "'2.345'", "groups thousands otherwise")


# --- Excel's damage --------------------------------------------------------------------------------

UNIVERSITIES = [f"SYNTHETIC University {n}" for n in range(1, 9)]
#: What Excel left of eight 15-digit ids (100065xxxxxxxxx) shown as 1.00065E+14 and saved: one id.
SHARED_ID = 100065000000000


def excel_workbook(path, *, with_post_created=True, ids=None):
    """A CrowdTangle download as Excel saves it, written with openpyxl."""
    from openpyxl import Workbook
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Notes"  # another sheet first: the CrowdTangle one is found by its header
    cover.append(["SYNTHETIC notes a fact-checker kept"])
    sheet = workbook.create_sheet("2021-03-01-14-22-01-EST-Historical-Report-SYNTHETIC.csv"[:31])
    header = [h for h in HEADER if with_post_created or h != "Post Created"]
    sheet.append(header)
    ids = ids or [SHARED_ID] * len(UNIVERSITIES)
    for n, (name, fb_id) in enumerate(zip(UNIVERSITIES, ids), start=1):
        cells = dict.fromkeys(header)
        cells.update({"Page Name": name, "User Name": f"syntheticuni{n}", "Facebook Id": fb_id,
                      "Page Created": datetime(2012, 1, n, 9, 0), "Likes at Posting": 10_000 * n,
                      "Post Created": f"2021-02-2{n % 8} 21:0{n}:00 EST",
                      "Post Created Date": datetime(2021, 2, 20 + n % 8), "Post Created Time": time(21, n),
                      "Total Interactions": 100 + n, "Likes": 100, "Comments": n,
                      "URL": f"https://www.facebook.com/syntheticuni{n}/posts/{n}", "Message": f"SYNTHETIC {n}",
                      "Overperforming Score": 1.5})
        sheet.append([cells[h] for h in header])
    workbook.save(path)
    return path


def test_an_excel_resave_is_read_from_any_sheet_with_the_crowdtangle_header(tmp_path):
    imported = import_exports(excel_workbook(tmp_path / "download.xlsx"))
    assert imported.formats == ("crowdtangle-xlsx",)
    posts = imported.posts.set_index("page")
    # University 1: "2021-02-21 21:01:00 EST" = 02:01 UTC on the 22nd = 09:01 in Phnom Penh on the 22nd
    assert posts.loc["SYNTHETIC University 1", "posted_at"] == pd.Timestamp("2021-02-22 02:01", tz="UTC")
    # University 8: 8 % 8 = 0 -> "2021-02-20 21:08:00 EST" = 02:08 UTC on the 21st
    assert posts.loc["SYNTHETIC University 8", "posted_at"] == pd.Timestamp("2021-02-21 02:08", tz="UTC")
    assert posts.loc["SYNTHETIC University 3", "interactions"] == 103
    assert posts.loc["SYNTHETIC University 3", "fans_at_posting"] == 30000
    # the sheet's name, cut to 31 characters, still holds the download time: 14:22:01 EST = 19:22:01 UTC
    assert imported.download_times[0][1:] == ("2021-03-01 19:22:01 UTC", "the time in its sheet's name")


def test_an_id_excel_shared_between_pages_never_selects_one(tmp_path):
    path = excel_workbook(tmp_path / "download.xlsx")
    imported = import_exports(path)
    assert str(SHARED_ID) not in imported.aliases
    assert imported.damaged_ids == {str(SHARED_ID): tuple(sorted(UNIVERSITIES))}
    assert imported.aliases["syntheticuni3"] == "SYNTHETIC University 3"  # the user name still selects
    assert len(import_exports(path, page="syntheticuni3").posts) == 1
    with pytest.raises(ParameterError) as excinfo:
        import_exports(path, page=str(SHARED_ID))
    one_line_error(excinfo, f"PAGE={SHARED_ID}", "damaged by Excel", "8 pages", *UNIVERSITIES)
    report = import_report(imported)
    assert f"Facebook id {SHARED_ID} is damaged" in report and "SYNTHETIC University 8" in report


def test_a_17_digit_id_rounded_by_excel_is_set_apart_even_on_one_page(tmp_path):
    # 10006512345678901 held in 15 significant digits: 10006512345678900 (a float in the sheet)
    ids = [float(10006512345678901)] + [100000000000000 + n for n in range(2, 9)]
    path = excel_workbook(tmp_path / "download.xlsx", ids=ids)
    imported = import_exports(path)
    assert "10006512345678900" in imported.damaged_ids
    assert imported.aliases["100000000000002"] == "SYNTHETIC University 2"  # an intact 15-digit id


def test_excel_dates_and_times_without_post_created_need_zone(tmp_path):
    path = excel_workbook(tmp_path / "download.xlsx", with_post_created=False)
    with pytest.raises(DataError) as excinfo:
        import_exports(path)
    one_line_error(excinfo, "row 2", "gives no time zone", "ZONE=")
    imported = import_exports(path, zone="EST")
    posts = imported.posts.set_index("page")
    # Post Created Date 2021-02-21 (an Excel date) + Time 21:01 (an Excel time), EST: 02:01 UTC on the 22nd
    assert posts.loc["SYNTHETIC University 1", "posted_at"] == pd.Timestamp("2021-02-22 02:01", tz="UTC")


def test_a_csv_made_from_the_damaged_sheet_is_guarded_too(tmp_path):
    rows = [row("2021-02-21 21:00:00 EST", "10", ["10", "", "", "", "", "", "", "", ""], "1,000", "1.0", n,
                **{"Page Name": name, "User Name": f"syntheticuni{n}", "Facebook Id": "1.00065E+14",
                   "URL": f"https://www.facebook.com/syntheticuni{n}/posts/{n}"})
            for n, name in enumerate(UNIVERSITIES[:3], start=1)]
    path = write_csv(tmp_path / "from-excel.csv", rows)
    imported = import_exports(path)
    assert imported.damaged_ids == {"1.00065E+14": tuple(UNIVERSITIES[:3])}
    with pytest.raises(ParameterError) as excinfo:
        import_exports(path, page="1.00065E+14")
    one_line_error(excinfo, "damaged by Excel", *UNIVERSITIES[:3])
    # and the same with the digits Excel kept, given for three pages
    for r in rows:
        r[HEADER.index("Facebook Id")] = str(SHARED_ID)
    path = write_csv(tmp_path / "from-excel-digits.csv", rows)
    with pytest.raises(ParameterError) as excinfo:
        import_exports(path, page=str(SHARED_ID))
    one_line_error(excinfo, f"PAGE={SHARED_ID}", "3 pages")


@pytest.mark.slow
def test_rerun_hands_zone_to_the_notebooks(tmp_path):
    """`make rerun ... ZONE=+0530` on an IST download: the engagement notebook imports with the same ZONE."""
    from likecheck.tools import rerun
    # two weeks of one post a day at 09:30 IST (04:00 UTC), 1,000 interactions, 100,000 fans
    posts = [row(f"2016-03-{d:02d} 09:30:00 IST", "1,000", ["1,000", "", "", "", "", "", "", "", ""], "100,000",
                 "1.0", d) for d in range(1, 15)]
    data = write_csv(tmp_path / "ist.csv", posts)
    out = rerun.rerun("2016-03-01", "2016-03-13", data=str(data), zone="+0530", out=str(tmp_path / "out"),
                      log=lambda *_: None)
    report = (out / "import_report.md").read_text(encoding="utf-8")
    assert "ZONE=+05:30 given" in report
    assert any(out.glob("figures/*")), "the engagement notebook ran and drew its figures"
    with pytest.raises(ParameterError) as excinfo:
        rerun.rerun("2016-03-01", "2016-03-13", zone="+0530", out=str(tmp_path / "out2"))
    one_line_error(excinfo, "ZONE", "give DATA too")


def test_pages_sharing_a_name_and_a_damaged_id_are_told_apart_by_user_name(tmp_path):
    rows = [row("2021-02-21 21:00:00 EST", str(10 * n), [str(10 * n), "", "", "", "", "", "", "", ""], "1,000",
                "1.0", n, **{"Page Name": "SYNTHETIC News", "User Name": user, "Facebook Id": str(SHARED_ID)})
            for n, user in ((1, "syntheticnewsa"), (2, "syntheticnewsb"), (3, "syntheticnewsa"))]
    imported = import_exports(write_csv(tmp_path / "from-excel.csv", rows))
    by_page = imported.posts.groupby("page", observed=True)["interactions"].sum().to_dict()
    # newsa: posts 1 and 3 (10 + 30); newsb: post 2 (20)
    assert by_page == {"SYNTHETIC News (syntheticnewsa)": 40, "SYNTHETIC News (syntheticnewsb)": 20}
    assert imported.aliases["syntheticnewsb"] == "SYNTHETIC News (syntheticnewsb)"
    assert imported.damaged_ids == {str(SHARED_ID): ("SYNTHETIC News (syntheticnewsa)",
                                                     "SYNTHETIC News (syntheticnewsb)")}
    assert f"Facebook id {SHARED_ID} is damaged" in import_report(imported)


def test_a_cached_reload_says_the_same_and_reads_no_csv(tmp_path, monkeypatch):
    path = brazilian(tmp_path)
    first = import_exports(path)
    from likecheck.importers import crowdtangle
    monkeypatch.setattr(crowdtangle, "csv_number_style", lambda *a: pytest.fail("the CSV was sampled again"))
    again = import_exports(path)
    assert again.notes == first.notes
    pd.testing.assert_frame_equal(again.posts, first.posts)


# --- The house: the saved import keeps what the import learnt; names escaped in the report ---------

def test_notes_and_damaged_ids_survive_the_saved_import(tmp_path):
    """`make rerun` saves the import into OUT/data/ and the notebooks read it back: the report's
    "How the files were read" and the damaged ids must come back the same, and PAGE= a damaged id
    is refused on the saved import as on the export."""
    from likecheck.importers import write_saved
    rows = [row("2021-02-21 21:00:00 EST", str(10 * n), [str(10 * n), "", "", "", "", "", "", "", ""], "1,000",
                "1.0", n, **{"Page Name": f"SYNTHETIC Page {n}", "User Name": f"synthetic{n}",
                             "Facebook Id": str(SHARED_ID)})
            for n in (1, 2)]
    imported = import_exports(write_csv(tmp_path / "from-excel.csv", rows))
    assert imported.damaged_ids == {str(SHARED_ID): ("SYNTHETIC Page 1", "SYNTHETIC Page 2")}
    back = import_exports(write_saved(imported, tmp_path / "saved", source="from-excel.csv"))
    assert [(path.name, note) for path, note in back.notes] == [(path.name, note) for path, note in imported.notes]
    assert back.damaged_ids == imported.damaged_ids
    assert "## How the files were read" in import_report(back)
    assert import_report(back) == import_report(imported)
    with pytest.raises(ParameterError) as excinfo:
        import_exports(tmp_path / "saved", page=str(SHARED_ID))
    one_line_error(excinfo, f"PAGE={SHARED_ID}", "2 pages", "SYNTHETIC Page 1", "SYNTHETIC Page 2")


def test_page_and_file_names_in_the_new_report_sections_are_escaped(tmp_path):
    """A page's owner chooses its name: in "How the files were read" (a damaged id's pages) and in
    "What each file can feed" (the file's name) it shows as typed, never as markup or a new line."""
    hostile = "<img src=x onerror=alert(1)>\n| fake | row |"
    rows = [row("2021-02-21 21:00:00 EST", "10", ["10", "", "", "", "", "", "", "", ""], "1,000", "1.0", n,
                **{"Page Name": name, "User Name": f"synthetic{n}", "Facebook Id": str(SHARED_ID)})
            for n, name in ((1, hostile), (2, "SYNTHETIC Page 2"))]
    report = import_report(import_exports(write_csv(tmp_path / "a_*b*_[x](y).csv", rows)))
    assert "<img" not in report and "\n| fake" not in report
    feeds = next(line for line in report.splitlines() if line.startswith("- a"))
    assert "\\*b\\*" in feeds and "\\[x\\]" in feeds
