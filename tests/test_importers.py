"""The importers: each format end to end against the fixtures' truth, each bad input as one line, the cache.

Expected values come from `fixtures_exports` (the seeded truth the fixture
files were written from) or are written out by hand here, never from the
importers' own code.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from datetime import date, datetime, timezone

import pandas as pd
import pytest

import fixtures_exports as fx
from helpers import one_line_error
from likecheck import outputs
from likecheck.errors import DataError, ParameterError
from likecheck.importers import FORMATS, import_exports
from likecheck.importers import crowdtangle as ct_module
from benchmarks.imports import make_synthetic_crowdtangle


@pytest.fixture(scope="module", autouse=True)
def module_cache_folder(tmp_path_factory):
    """Module-scoped fixtures import too: they get a cache of their own, never build/cache/imports."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LIKECHECK_CACHE", str(tmp_path_factory.mktemp("import-cache")))
        yield


@pytest.fixture(autouse=True)
def cache_folder(tmp_path, monkeypatch):
    """Every test gets its own import cache (never build/cache/imports)."""
    folder = tmp_path / "import-cache"
    monkeypatch.setenv("LIKECHECK_CACHE", str(folder))
    return folder


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    return fx.write_all(folder)


@pytest.fixture
def work(tmp_path):
    """A folder for files a test breaks on purpose."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def fan_records(frame):
    return sorted((str(r.page), r.date.date(), str(r.country), int(r.fans)) for r in frame.itertuples())


def truth_records(page, *, with_rest=True):
    return sorted((page, day, country, fans) for (day, country), fans in fx.fan_truth().items()
                  if with_rest or country != "ZZ")


def post_records(frame):
    return sorted((str(r.page), r.post_id, r.posted_at.to_pydatetime(), int(r.interactions),
                   int(r.fans_at_posting), None if pd.isna(r.message) else r.message)
                  for r in frame.itertuples())


def truth_posts(page_label=None, only=None):
    return sorted((page_label or p["page"], p["url"], p["utc"], fx.interactions_of(p), p["fans"], p["message"])
                  for p in fx.post_truth() if only is None or p["page"] == only)


# ---------------------------------------------------------------- every format, end to end

def test_graph_api_paged_files_across_daylight_saving(exports):
    imported = import_exports(exports["graph-api"])
    assert imported.formats == ("graph-api", "graph-api")
    assert imported.posts is None
    # the page id comes from the metrics' ids; 12 March (in both pages) is kept once
    assert fan_records(imported.fan_counts) == truth_records(fx.PAGE_ID)


def test_imported_tables_have_the_same_dtypes_whatever_the_format(exports):
    fans = [import_exports(exports[k]).fan_counts for k in ("graph-api", "insights-csv", "insights-xlsx")]
    fans.append(import_exports(exports["tidy"][0]).fan_counts)
    posts = [import_exports(exports[k]).posts for k in ("crowdtangle", "crowdtangle-old")]
    posts.append(import_exports(exports["tidy"][1]).posts)
    for group in (fans, posts):
        dtypes = [{c: str(t) for c, t in frame.dtypes.items()} for frame in group]
        assert all(d == dtypes[0] for d in dtypes[1:]), dtypes
    assert isinstance(fans[0]["page"].dtype, pd.CategoricalDtype)
    assert str(posts[0]["posted_at"].dtype) == "datetime64[ns, UTC]"
    assert str(posts[0]["fans_at_posting"].dtype) == "Int64"


@pytest.mark.parametrize("end_time,day", [
    ("2016-03-13T08:00:00+0000", date(2016, 3, 12)),  # midnight PST (UTC-8) closes 12 March
    ("2016-03-14T07:00:00+0000", date(2016, 3, 13)),  # midnight PDT (UTC-7) closes 13 March, the switch day
    ("2016-11-06T07:00:00+0000", date(2016, 11, 5)),  # still PDT at midnight on 6 November
    ("2016-11-07T08:00:00+0000", date(2016, 11, 6)),  # PST again
])
def test_end_time_closes_the_day_before_in_pacific_time(work, end_time, day):
    path = work / "one.json"
    path.write_text(json.dumps({"data": [{"name": "page_fans_country", "period": "lifetime",
                                          "values": [{"value": {"KH": 10}, "end_time": end_time}]}]}))
    frame = import_exports(path, page="p").fan_counts
    assert fan_records(frame) == [("p", day, "KH", 10)]


def test_graph_api_page_label_falls_back_to_the_file_name(work):
    path = work / "hun_sen_insights.json"
    path.write_text(json.dumps({"data": [{"name": "page_fans_country",
                                          "values": [{"value": {"KH": 10}, "end_time": "2016-03-14T07:00:00+0000"}]}]}))
    assert str(import_exports(path).fan_counts["page"].iloc[0]) == "hun_sen_insights"


def test_insights_workbook_countries_only(exports):
    imported = import_exports(exports["insights-xlsx"])
    assert imported.formats == ("insights-xlsx",)
    # the workbook has no total column: no ZZ; the description row and the US-text date are handled
    assert fan_records(imported.fan_counts) == truth_records("page_insights", with_rest=False)


def test_insights_csv_with_total_gives_rest_of_world(exports):
    imported = import_exports(exports["insights-csv"], page="hun_sen")
    assert fan_records(imported.fan_counts) == truth_records("hun_sen")


@pytest.mark.parametrize("variant", ["crowdtangle", "crowdtangle-old"])
def test_crowdtangle_new_and_old_headers(exports, variant):
    imported = import_exports(exports[variant])
    assert imported.formats == ("crowdtangle",)
    assert imported.fan_counts is None
    assert post_records(imported.posts) == truth_posts()


@pytest.mark.parametrize("chosen", ["SyntheticHunSen", fx.PAGE_ID, fx.PAGE.upper()])
def test_crowdtangle_page_chosen_by_user_name_or_id_keeps_its_name(exports, chosen):
    posts = import_exports(exports["crowdtangle"], page=chosen).posts
    assert post_records(posts) == truth_posts(fx.PAGE, only=fx.PAGE)


def test_page_not_in_the_export_names_the_pages_found(exports):
    with pytest.raises(ParameterError) as err:
        import_exports(exports["crowdtangle"], page="donald_trump")
    one_line_error(err, "'donald_trump'", fx.PAGE, fx.OTHER_PAGE)


def test_tidy_csvs(exports):
    fans, posts = exports["tidy"]
    assert fan_records(import_exports(fans).fan_counts) == truth_records("hun_sen")
    assert post_records(import_exports(posts, page="HUN_SEN").posts) == truth_posts("hun_sen", only=fx.PAGE)


def test_format_is_told_from_content_not_the_extension(exports, work):
    disguised_json = work / "export.csv"
    shutil.copy(exports["graph-api"][0], disguised_json)
    disguised_ct = work / "posts.txt"
    shutil.copy(exports["crowdtangle"], disguised_ct)
    assert import_exports([disguised_json, disguised_ct]).formats == ("graph-api", "crowdtangle")


def test_folder_imports_every_file_in_name_order(exports, work):
    for path in [*exports["graph-api"], exports["insights-csv"], exports["tidy"][1]]:
        shutil.copy(path, work / path.name)
    (work / ".DS_Store").write_bytes(b"\x00\x01junk")  # hidden files are skipped
    imported = import_exports(work, page="hun_sen")
    assert [p.name for p in imported.files] == ["insights_page1.json", "insights_page2.json",
                                                "page_insights.csv", "tidy_posts.csv"]
    assert imported.formats == ("graph-api", "graph-api", "insights-csv", "tidy-posts")
    # the Graph API and the Insights CSV agree on every day and country: merged, not doubled
    assert fan_records(imported.fan_counts) == truth_records("hun_sen")
    assert post_records(imported.posts) == truth_posts("hun_sen", only=fx.PAGE)


def test_disagreeing_files_of_different_formats_are_an_error(exports, work):
    fans = work / "tidy_fans.csv"
    text = exports["tidy"][0].read_text().replace("hun_sen,2016-03-10,KH,", "hun_sen,2016-03-10,KH,1")
    fans.write_text(text)
    with pytest.raises(DataError) as err:
        import_exports([exports["insights-csv"], fans], page="hun_sen")
    one_line_error(err, "conflicting values", "2016-03-10, KH", "page_insights.csv")


def test_forced_format(exports):
    with pytest.raises(DataError) as err:
        import_exports(exports["insights-csv"], format="tidy-fans")
    one_line_error(err, "page_insights.csv", "line 1", "column 'page'", "missing column", "found columns")
    with pytest.raises(ParameterError) as err:
        import_exports(exports["insights-csv"], format="excel")
    one_line_error(err, "unknown format 'excel'", "insights-csv")


# ---------------------------------------------------------------- bad input: one line, file + place + problem

def graph_json(values, name="page_fans_country", **extra):
    return json.dumps({"data": [{"name": name, "period": "lifetime", "values": values}], **extra})


def kh(value, end_time="2016-03-14T07:00:00+0000"):
    return [{"value": value, "end_time": end_time}]


@pytest.mark.parametrize("content,parts", [
    (graph_json(kh({"KH": "many"})), ["key 'data[0].values[0].value.KH'", "'many' is not a whole number"]),
    (graph_json(kh({"KH": -5})), ["key 'data[0].values[0].value.KH'", "negative"]),
    (graph_json(kh({"XX": 5})), ["key 'data[0].values[0].value.XX'", "not an ISO 3166-1 alpha-2"]),
    (graph_json(kh({"KH": 5}, "14/03/2016")), ["key 'data[0].values[0].end_time'", "not a Graph API end_time"]),
    (graph_json(kh({"KH": 5}, "2016-03-14T08:00:00+0000")),
     ["key 'data[0].values[0].end_time'", "01:00 in Los Angeles, not midnight"]),
    (graph_json(kh([5])), ["key 'data[0].values[0].value'", "expected an object of country code"]),
    (json.dumps({"paging": {"next": "x"}}), ["key 'data'", "missing", "'paging'"]),
    (json.dumps({"error": {"message": "Invalid OAuth access token.", "code": 190}}),
     ["key 'error'", "Graph API error", "Invalid OAuth access token."]),
    (graph_json(kh(5), name="page_impressions"), ["key 'data'", "no page_fans_country or page_fans", "page_impressions"]),
])
def test_bad_graph_api_values(work, content, parts):
    path = work / "response.json"
    path.write_text(content)
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "response.json", *parts)


def test_truncated_json_gives_the_line(exports, work):
    text = exports["graph-api"][0].read_text()
    cut = text.index('"end_time"', len(text) // 2) + 5  # inside a key, half-way through the file
    path = work / "truncated.json"
    path.write_text(text[:cut])
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "truncated.json", f"line {text[:cut].count(chr(10)) + 1}", "truncated")


def test_malformed_json_gives_the_line(exports, work):
    lines = exports["graph-api"][0].read_text().splitlines()
    broken = next(i for i, line in enumerate(lines) if '"KH":' in line)
    lines[broken] = lines[broken].replace('"KH":', '"KH";')
    path = work / "malformed.json"
    path.write_text("\n".join(lines))
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "malformed.json", f"line {broken + 1}", "malformed JSON")


def test_conflicting_paged_responses(exports, work):
    first, second = exports["graph-api"]
    changed = json.loads(second.read_text())
    changed["data"][0]["values"][0]["value"]["KH"] += 1  # 12 March is in both pages
    path = work / "page2_changed.json"
    path.write_text(json.dumps(changed))
    with pytest.raises(DataError) as err:
        import_exports([first, path])
    one_line_error(err, "page2_changed.json", "key 'data[0].values[0].value.KH'", "conflicting values",
                   "2016-03-12, KH", "insights_page1.json")


def test_total_below_the_listed_countries(work):
    path = work / "response.json"
    path.write_text(json.dumps({"data": [
        {"name": "page_fans_country", "values": kh({"KH": 10, "IN": 5})},
        {"name": "page_fans", "values": [{"value": 12, "end_time": "2016-03-14T07:00:00+0000"}]}]}))
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "key 'data[1].values[0].value'", "page_fans 12", "smaller than the sum", "(15)")


def xlsx(path, rows, sheet="Lifetime Likes by Country"):
    from openpyxl import Workbook
    book = Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("rows,parts", [
    ([["Date", "KH"], ["2016-13-45", 5]], ["line 2", "column 'Date'", "'2016-13-45' is not a date"]),
    ([["Date", "KH"], [datetime(2016, 3, 1), "lots"]], ["line 2", "column 'KH'", "'lots' is not a whole number"]),
    ([["Date", "KH"], [datetime(2016, 3, 1), "99999999999999999999"]],
     ["line 2", "column 'KH'", "is too large to be a count"]),
    ([["Date", "KH"], ["1500-01-01", 5]], ["line 2", "column 'Date'", "'1500-01-01' is not a date"]),
    ([["Date", "KH", "QQ"], [datetime(2016, 3, 1), 5, 6]], ["line 1", "column 'QQ'", "not an ISO 3166-1"]),
    ([["Date", "KH", "Cambodia"], [datetime(2016, 3, 1), 5, 6]], ["line 1", "column 'Cambodia'", "not a country code"]),
])
def test_bad_workbook_cells(work, rows, parts):
    path = xlsx(work / "insights.xlsx", rows)
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "insights.xlsx", "sheet 'Lifetime Likes by Country'", *parts)


def test_workbook_without_the_country_sheet(work):
    path = xlsx(work / "insights.xlsx", [["Date", "Lifetime Total Likes"]], sheet="Key Metrics")
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "insights.xlsx", "no sheet 'Lifetime Likes by Country'", "'Key Metrics'")


@pytest.mark.parametrize("old,new,parts", [
    ("Date,", "Day,", ["line 1", "column 'Date'", "missing column", "found columns: 'Day'"]),
    ("2016-03-10,", "2016-03-10x,", ["line 5", "column 'Date'", "is not a date"]),
    (",100,", ",100,-", ["line 3", "column 'Lifetime Likes by Country - KH'", "negative"]),
])
def test_bad_insights_csv(exports, work, old, new, parts):
    path = work / "insights.csv"
    path.write_text(exports["insights-csv"].read_text().replace(old, new, 1))
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "insights.csv", *parts)


def rewrite_crowdtangle(source, target, change_row=None, **cells):
    """Copy a CrowdTangle CSV, renaming header cells (header=...) or changing cells of one data row."""
    rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    for old, new in cells.pop("rename", {}).items():
        header[header.index(old)] = new
    for column, value in cells.items():
        rows[change_row][header.index(column.replace("_", " "))] = value
    with open(target, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return target


@pytest.mark.parametrize("variant,row,cells,column,problem", [
    ("crowdtangle", 9, {"Total_Interactions": "lots"}, "Total Interactions", "'lots' is not a whole number"),
    ("crowdtangle", 2, {"Total_Interactions": "-3"}, "Total Interactions", "negative"),
    ("crowdtangle-old", 4, {"Likes": "-1"}, "Likes", "negative"),
    ("crowdtangle", 11, {"Post_Created": "yesterday"}, "Post Created", "'yesterday' is not a date and time"),
    ("crowdtangle", 12, {"Post_Created": "2016-03-08 10:15:00 XYZ"}, "Post Created", "unknown time zone 'XYZ'"),
    ("crowdtangle", 3, {"Post_Created": "2016-03-08 10:15:00"}, "Post Created", "gives no time zone"),
    # strptime alone would roll 30 February into 1 March, and year 1600 overflows the table's timestamps
    ("crowdtangle", 5, {"Post_Created": "2016-02-30 10:15:00 ICT"}, "Post Created",
     "'2016-02-30 10:15:00 ICT' is not a date and time"),
    ("crowdtangle", 6, {"Post_Created": "1600-04-01 10:00:00 ICT"}, "Post Created",
     "'1600-04-01 10:00:00 ICT' is not a date and time"),
])
def test_bad_crowdtangle_cells_name_the_row(exports, work, variant, row, cells, column, problem):
    path = rewrite_crowdtangle(exports[variant], work / "ct.csv", change_row=row, **cells)
    with pytest.raises(DataError) as err:
        import_exports(path)
    # row N counts posts below the header, even where messages span several lines
    one_line_error(err, "ct.csv", f"row {row} (spreadsheet row {row + 1})", f"column '{column}'", problem)


def test_crowdtangle_other_time_formats_are_read(exports, work):
    path = rewrite_crowdtangle(exports["crowdtangle"], work / "ct.csv", change_row=1,
                               Post_Created="2016-02-29T14:57 UTC+07:00")
    posts = import_exports(path).posts
    first = posts[posts["post_id"] == fx.post_truth()[0]["url"]]
    assert first["posted_at"].iloc[0] == pd.Timestamp("2016-02-29 07:57:00", tz="UTC")


def test_crowdtangle_post_id_without_url(exports, work):
    rows = list(csv.reader(io.StringIO(exports["crowdtangle"].read_text(encoding="utf-8"), newline="")))
    url = rows[0].index("URL")
    rows[3][url] = ""  # data row 3 has no URL
    with open(work / "ct.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    with open(work / "no_url.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([row[:url] + row[url + 1:] for row in rows])
    # without a URL a post is named by page + time + text, the same in every download of it
    def expected_id(post):
        digest = hashlib.sha256((post["message"] or "").encode()).hexdigest()[:12]
        return f"{fx.PAGE_ID}:{post['local']:%Y-%m-%d %H:%M:%S} ICT:{digest}"
    ids = import_exports(work / "ct.csv").posts["post_id"].tolist()
    assert ids[2] == expected_id(fx.post_truth()[2]) and ids[3] == fx.post_truth()[3]["url"]
    ids = import_exports(work / "no_url.csv").posts["post_id"].tolist()
    assert ids[:2] == [expected_id(p) for p in fx.post_truth()[:2]]


def test_crowdtangle_date_and_time_columns(exports, work):
    rows = list(csv.reader(io.StringIO(exports["crowdtangle"].read_text(encoding="utf-8"), newline="")))
    created, clock = rows[0].index("Post Created"), rows[0].index("Post Created Time")
    without = [row[:created] + row[created + 1:] for row in rows]
    with open(work / "no_zone.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(without)
    with pytest.raises(DataError) as err:  # date and time alone give no zone
        import_exports(work / "no_zone.csv")
    one_line_error(err, "row 1", "column 'Post Created Date + Post Created Time'", "gives no time zone")
    for row in rows[1:]:
        row[clock] += " ICT"
    with open(work / "zoned.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([row[:created] + row[created + 1:] for row in rows])
    assert post_records(import_exports(work / "zoned.csv").posts) == truth_posts()


def test_crowdtangle_header_without_posts(work):
    path = work / "ct.csv"
    path.write_text("Page Name,Likes at Posting,Post Created,Total Interactions,URL\n")
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "ct.csv", "header but no posts")


def test_progress_bar_on_stderr_for_big_files(exports, work, capsys, monkeypatch):
    from likecheck.importers import cache
    monkeypatch.setattr(cache, "PROGRESS_BYTES", 0)  # as if the file were big
    import_exports(shutil.copy(exports["crowdtangle"], work / "ct.csv"))
    captured = capsys.readouterr()
    assert "reading ct.csv" in captured.err and captured.out == ""
    monkeypatch.setattr(cache, "PROGRESS_BYTES", 200 * 2**20)
    import_exports(shutil.copy(exports["crowdtangle"], work / "small.csv"))
    assert capsys.readouterr().err == ""


def test_crowdtangle_missing_column_names_it_and_the_columns_found(exports, work):
    path = rewrite_crowdtangle(exports["crowdtangle"], work / "ct.csv",
                               rename={"Likes at Posting": "Likes at posting time"})
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "ct.csv", "line 1", "column 'Likes at Posting'", "missing column",
                   "'Page Likes at Posting'", "found columns:", "'Likes at posting time'")


def test_crowdtangle_without_total_or_reactions(exports, work):
    path = rewrite_crowdtangle(exports["crowdtangle-old"], work / "ct.csv", rename={"Comments": "Remarks"})
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "column 'Total Interactions'", "missing column", "'Comments'", "'Remarks'")


def test_crowdtangle_record_with_extra_fields_gives_its_line(exports, work):
    lines = exports["crowdtangle"].read_text(encoding="utf-8").split("\n")
    target = next(i for i, line in enumerate(lines) if line.endswith(",") and i > 10)
    lines[target] += ",extra"
    path = work / "ct.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "ct.csv", f"line {target + 1}", "not a well-formed CSV")


def test_crowdtangle_in_latin1_beyond_the_first_block(exports, work):
    """A bad byte far into a big file is found by the reader, then located by a scan."""
    text = exports["crowdtangle"].read_text(encoding="utf-8")
    header, body = text.split("\n", 1)
    body = body.replace("សួស្តី កម្ពុជា", "bonjour")
    copies = body * 40  # > 64 KiB, so the head sniffed is clean
    lines = (header + "\n" + copies).split("\n")
    bad = max(i for i, line in enumerate(lines) if "plain text" in line)
    assert len("\n".join(lines[:bad]).encode()) > 2**16  # beyond the head that format detection reads
    lines[bad] = lines[bad].replace("plain text", "caf\udce9")
    assert "\udce9" in lines[bad]
    path = work / "ct.csv"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogateescape"))
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "ct.csv", f"line {bad + 1}", "not UTF-8 text", "0xe9")


@pytest.mark.parametrize("content,parts", [
    (b"", ["the file is empty"]),
    (b"  \n\n", ["the file is empty"]),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["not a recognised export", "binary", "graph-api", "crowdtangle"]),
    (b"PK\x03\x04junk", ["not a recognised export", "ZIP"]),
    (b"name,colour\nx,red\n", ["not a recognised export", "found columns: 'name', 'colour'", "tidy-posts"]),
    ("page,date,country,fans\nhun_sen,2016-03-01,KH,caf\xe9\n".encode("latin-1"), ["line 2", "not UTF-8 text"]),
    ("Date,Lifetime Total Likes\n".encode("utf-16"), ["not UTF-8 text", "UTF-16"]),
])
def test_unreadable_files(work, content, parts):
    path = work / "export.dat"
    path.write_bytes(content)
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "export.dat", *parts)


def test_missing_paths_and_empty_folders(work):
    with pytest.raises(DataError) as err:
        import_exports(work / "nowhere.csv")
    one_line_error(err, "nowhere.csv", "no such file or folder")
    with pytest.raises(DataError) as err:
        import_exports(work)
    one_line_error(err, "work", "holds no files")


def test_formats_list_is_in_the_unrecognised_message(work):
    path = work / "x.csv"
    path.write_text("just one column\n1\n")
    with pytest.raises(DataError) as err:
        import_exports(path)
    text = one_line_error(err, "x.csv", "line 1")
    assert all(name in text for name in FORMATS)


# ---------------------------------------------------------------- the cache

def test_second_import_is_a_cache_hit_with_the_same_frame(exports, work, cache_folder, monkeypatch):
    path = shutil.copy(exports["crowdtangle"], work / "ct.csv")
    first = import_exports(path).posts
    assert len(list(cache_folder.glob("*.parquet"))) == 1

    def no_reading(*args, **kwargs):
        raise AssertionError("the export was read again: cache miss")
    monkeypatch.setattr(ct_module, "posts_table", no_reading)
    again = import_exports(path).posts
    pd.testing.assert_frame_equal(first, again)



def test_cache_key_is_the_content_hash(exports, work, cache_folder):
    path = shutil.copy(exports["crowdtangle"], work / "ct.csv")
    first = import_exports(path).posts
    (cached,) = cache_folder.glob("*.parquet")
    assert cached.name.startswith(hashlib.sha256(path.read_bytes()).hexdigest() + ".")
    # a copy under another name is read again (its hash is not yet remembered) and lands on the same entry
    copy = import_exports(shutil.copy(path, work / "renamed.csv")).posts
    pd.testing.assert_frame_equal(first, copy)
    assert list(cache_folder.glob("*.parquet")) == [cached]


def test_changed_bytes_miss_the_cache(exports, work, cache_folder, monkeypatch):
    path = shutil.copy(exports["crowdtangle"], work / "ct.csv")
    import_exports(path)
    reads = []
    real = ct_module.posts_table
    monkeypatch.setattr(ct_module, "posts_table", lambda *a: reads.append(a) or real(*a))
    rewrite_crowdtangle(path, path, change_row=1, Likes_at_Posting="123456")  # same name, new bytes
    posts = import_exports(path).posts
    assert len(reads) == 1
    assert posts.loc[posts["post_id"] == fx.post_truth()[0]["url"], "fans_at_posting"].iloc[0] == 123456
    assert len(list(cache_folder.glob("*.parquet"))) == 2


def test_damaged_cache_file_is_rebuilt(exports, work, cache_folder):
    path = shutil.copy(exports["crowdtangle"], work / "ct.csv")
    first = import_exports(path).posts
    (cached,) = cache_folder.glob("*.parquet")
    cached.write_bytes(b"not parquet")
    pd.testing.assert_frame_equal(first, import_exports(path).posts)


def test_invalid_export_is_not_cached(exports, work, cache_folder):
    path = rewrite_crowdtangle(exports["crowdtangle"], work / "ct.csv", change_row=2,
                               URL=fx.post_truth()[0]["url"])  # the same post twice
    for _ in range(2):  # an error both times: nothing was cached the first time
        with pytest.raises(DataError) as err:
            import_exports(path)
        one_line_error(err, "ct.csv", "row 2 (spreadsheet row 3)", "duplicate")
    assert not list(cache_folder.glob("*.parquet"))


# ---------------------------------------------------------------- writing what was imported

def test_post_messages_are_neutralised_when_written(exports, work):
    posts = import_exports(exports["crowdtangle"]).posts
    assert (posts["message"] == fx.FORMULA_MESSAGE).any()  # imported as it was
    out = outputs.write_csv(posts, work / "posts.csv")
    written = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    messages = {row["post_id"]: row["message"] for row in written}
    for post in fx.post_truth():
        if post["message"] in (fx.FORMULA_MESSAGE, "+1 for this"):
            assert messages[post["url"]] == "'" + post["message"]
        elif post["message"]:
            assert messages[post["url"]] == post["message"]


def test_written_posts_keep_their_time(exports, work):
    posts = import_exports(exports["tidy"][1]).posts
    again = import_exports(outputs.write_csv(posts, work / "tidy_posts.csv")).posts
    pd.testing.assert_series_equal(posts["posted_at"], again["posted_at"])


# ---------------------------------------------------------------- the synthetic export used by the bench

def test_synthetic_crowdtangle_imports_and_says_synthetic(work):
    path = make_synthetic_crowdtangle(work / "synthetic.csv", n_posts=10_000, n_pages=3, seed=7)
    posts = import_exports(path).posts
    assert len(posts) == 10_000
    assert all(str(p).startswith("SYNTHETIC") for p in posts["page"].cat.categories)
    assert posts["post_id"].is_unique
    assert (posts["fans_at_posting"] >= 1).all()
    again = make_synthetic_crowdtangle(work / "again.csv", n_posts=10_000, n_pages=3, seed=7)
    assert again.read_bytes() == path.read_bytes()  # seeded


def test_many_blocks_keep_row_numbers_and_page_aliases(work, monkeypatch):
    """Big exports are read in blocks converted in parallel: rows and pages must not depend on that."""
    monkeypatch.setattr(ct_module, "BLOCK_BYTES", 64 * 1024)
    path = make_synthetic_crowdtangle(work / "synthetic.csv", n_posts=3_000, n_pages=3, seed=1)
    posts = import_exports(path, page="synthetic_page_02").posts
    expected = sum(1 for row in csv.DictReader(open(path, encoding="utf-8", newline=""))
                   if row["User Name"] == "synthetic_page_02")
    assert len(posts) == expected and set(posts["page"]) == {"SYNTHETIC page 02"}  # its Page Name
    rows = list(csv.reader(open(path, encoding="utf-8", newline="")))
    rows[2_500][rows[0].index("Likes at Posting")] = "0"  # data row 2,500, many blocks in
    rows[2_999][rows[0].index("Likes at Posting")] = ""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    assert import_exports(path).posts_without_fans == ((path, 2500), (path, 2999))


def test_synthetic_files_never_go_to_the_published_folders():
    from likecheck.paths import DATA, FIGURES
    for folder in (DATA, FIGURES):
        with pytest.raises(ParameterError):
            make_synthetic_crowdtangle(folder / "synthetic.csv", n_posts=10)
        assert not (folder / "synthetic.csv").exists()


def test_utc_times_of_the_fixture_are_what_the_local_times_say():
    """A guard on the fixture itself: Phnom Penh is UTC+7, so 07:57 local is 00:57 UTC."""
    post = fx.post_truth()[0]
    assert post["utc"] == datetime(post["local"].year, post["local"].month, post["local"].day,
                                   post["local"].hour, post["local"].minute, post["local"].second,
                                   tzinfo=timezone.utc) - fx.ICT


@pytest.mark.parametrize("cells,problem", [
    ("P,1500-01-01,KH,5", "'1500-01-01' is outside the years 1678-2261 a date can hold"),
    ("P,2016-01-01,KH,99999999999999999999", "'99999999999999999999' is too large to be a count"),
])
def test_tidy_values_no_table_can_hold_are_one_line(work, cells, problem):
    path = work / "fans.csv"
    path.write_text(f"page,date,country,fans\n{cells}\nP,2016-01-02,KH,6\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "fans.csv", "line 2", problem)


def test_graph_api_count_no_table_can_hold_is_one_line(work):
    path = work / "g.json"
    path.write_text('{"data": [{"name": "page_fans_country", "period": "lifetime", "id": "1/insights", '
                    '"values": [{"value": {"KH": 100000000000000000000}, '
                    '"end_time": "2016-01-02T08:00:00+0000"}]}]}', encoding="utf-8")
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "g.json", "value.KH", "is too large to be a count")
