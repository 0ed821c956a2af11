"""The CrowdTangle API's JSON, and the CSVs PyCooRnet, CooRnet and 4CAT write from CrowdTangle (issue #24).

Every post here is SYNTHETIC, shaped as the API returned it (keys and nesting
as in CrowdTangle's API documentation: `date` in UTC without a zone,
`subscriberCount` at posting, `statistics.actual.*Count`, `account`). The
tools' CSVs are written the way each tool writes them:

* PyCooRnet (UPB-SS1/PyCooRnet, crowdtangle.py): each key of `account` and
  of `statistics.actual/expected` prefixed ("account_name",
  "statistics_actual_likeCount") and joined to the post's columns, saved by
  DataFrame.to_csv with its index;
* CooRnet (R) and pandas.json_normalize: the same keys joined by dots;
* 4CAT (digitalmethodsinitiative/4cat, datasources/upload/import_formats.py):
  its own column names in its order, the zone of "Post Created" dropped.

Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pandas as pd
import pytest

from helpers import one_line_error
from likecheck.errors import DataError, ParameterError
from likecheck.importers import import_exports
from likecheck.importers.report import import_report


@pytest.fixture(autouse=True)
def cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LIKECHECK_CACHE", str(tmp_path / "import-cache"))


REACTIONS = ("likeCount", "shareCount", "commentCount", "loveCount", "wowCount", "hahaCount", "sadCount",
             "angryCount", "thankfulCount", "careCount")


def post(n: int, when: str, counts: tuple[int, ...], subscribers: int, *, updated="2016-03-20 10:00:00",
         page="SYNTHETIC Samdech Page", handle="syntheticsamdech", page_id="100044000000123") -> dict:
    """One post as the API returns it (SYNTHETIC); `counts` in the order of REACTIONS."""
    return {
        "id": f"9{n}|{n}", "platformId": f"{page_id}_{n}", "platform": "Facebook", "date": when,
        "updated": updated, "type": "photo", "message": f"SYNTHETIC post {n}",
        "expandedLinks": [{"original": f"https://example.org/{n}", "expanded": f"https://example.org/{n}"}],
        "link": f"https://example.org/{n}", "postUrl": f"https://www.facebook.com/{handle}/posts/{n}",
        "subscriberCount": subscribers, "score": 1.25, "media": [],
        "statistics": {"actual": dict(zip(REACTIONS, counts)),
                       "expected": dict(zip(REACTIONS, (1,) * len(REACTIONS)))},
        "account": {"id": 99, "name": page, "handle": handle, "profileImage": "https://example.org/p.jpg",
                    "subscriberCount": 3_400_000, "url": f"https://www.facebook.com/{page_id}",
                    "platform": "Facebook", "platformId": page_id, "accountType": "facebook_page",
                    "pageAdminTopCountry": "KH", "verified": True},
        "languageCode": "km", "legacyId": 0,
    }


#: Three posts. Interactions by hand: 100+20+30+4+0+1+0+0+0+5 = 160; 7+1+1 = 9; 1000+200+300 = 1500.
POSTS = [post(1, "2016-03-08 03:15:00", (100, 20, 30, 4, 0, 1, 0, 0, 0, 5), 3_251_000),
         post(2, "2016-03-08 17:30:00", (7, 1, 1, 0, 0, 0, 0, 0, 0, 0), 0),  # 0: CrowdTangle had none
         post(3, "2016-03-09 16:59:59", (1000, 200, 300, 0, 0, 0, 0, 0, 0, 0), 3_252_000)]


def response(posts, next_page=None) -> dict:
    result = {"posts": posts}
    if next_page:
        result["pagination"] = {"nextPage": next_page}
    return {"status": 200, "result": result}


def write_json(path, document):
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def by_url(posts) -> pd.DataFrame:
    return posts.set_index("post_id").sort_index()


def test_a_posts_response_is_read_with_subscriber_count_at_posting(tmp_path):
    imported = import_exports(write_json(tmp_path / "posts.json", response(POSTS, "https://api.example/next")))
    assert imported.formats == ("crowdtangle-api",)
    posts = by_url(imported.posts)
    url = "https://www.facebook.com/syntheticsamdech/posts/{}".format
    assert posts.loc[url(1), "interactions"] == 160
    assert posts.loc[url(2), "interactions"] == 9
    assert posts.loc[url(3), "interactions"] == 1500
    assert posts.loc[url(1), "fans_at_posting"] == 3_251_000  # the post's, not the account's 3,400,000
    assert pd.isna(posts.loc[url(2), "fans_at_posting"])       # subscriberCount 0: unknown
    assert imported.posts_without_fans[0][1] == 2
    # date is UTC: 03:15 UTC is 10:15 in Phnom Penh (the 8th); 17:30 UTC is 00:30 on the 9th there;
    # 16:59:59 UTC on the 9th is 23:59:59 on the 9th there
    assert posts.loc[url(1), "posted_at"] == pd.Timestamp("2016-03-08 03:15", tz="UTC")
    days = posts["posted_at"].dt.tz_convert("Asia/Phnom_Penh").dt.date.tolist()
    assert days == [date(2016, 3, 8), date(2016, 3, 9), date(2016, 3, 9)]
    assert imported.aliases == {"syntheticsamdech": "SYNTHETIC Samdech Page",
                                "100044000000123": "SYNTHETIC Samdech Page"}
    report = import_report(imported)
    assert "weekly engagement, screening: fan_jump, screening: engagement_dilution" in report
    assert "not new fans by country" in report


def test_a_single_post_saved_by_hand_and_a_bare_list_of_posts(tmp_path):
    single = import_exports(write_json(tmp_path / "one.json", POSTS[0])).posts
    assert single["interactions"].tolist() == [160]
    listed = import_exports(write_json(tmp_path / "list.json", POSTS)).posts
    assert sorted(listed["interactions"].tolist()) == [9, 160, 1500]


def test_a_links_response_has_the_same_shape(tmp_path):
    links = {"status": 200, "result": {"posts": POSTS[:2], "summary": {"facebook": {"shareCount": 2}}}}
    assert len(import_exports(write_json(tmp_path / "links.json", links)).posts) == 2


def test_a_folder_of_paged_responses_is_joined(tmp_path):
    folder = tmp_path / "pull"
    folder.mkdir()
    write_json(folder / "page-1.json", response(POSTS[:2], "https://api.example/next"))
    write_json(folder / "page-2.json", response(POSTS[1:]))  # post 2 on both pages, identical
    imported = import_exports(folder)
    assert sorted(imported.posts["interactions"].tolist()) == [9, 160, 1500]
    assert imported.repeats_dropped["posts"] == 1


def test_of_two_pulls_the_later_one_wins(tmp_path):
    folder = tmp_path / "pulls"
    folder.mkdir()
    write_json(folder / "a.json", response([post(1, "2016-03-08 03:15:00", (100,) + (0,) * 9, 3_251_000,
                                                 updated="2016-03-10 00:00:00")]))
    write_json(folder / "b.json", response([post(1, "2016-03-08 03:15:00", (150,) + (0,) * 9, 3_251_000,
                                                 updated="2016-03-12 00:00:00")]))
    imported = import_exports(folder)
    assert imported.posts["interactions"].tolist() == [150]
    assert imported.posts_updated == 1


def test_an_api_error_and_a_post_without_counts_are_one_line(tmp_path):
    with pytest.raises(DataError) as excinfo:
        import_exports(write_json(tmp_path / "err.json", {"status": 401, "result": {}, "subscriberCount": 0}))
    one_line_error(excinfo, "err.json", "status 401")
    broken = response([{k: v for k, v in POSTS[0].items() if k != "statistics"} | {"statistics": {}}])
    with pytest.raises(DataError) as excinfo:
        import_exports(write_json(tmp_path / "broken.json", broken))
    one_line_error(excinfo, "key 'result.posts[0]'", "statistics.actual")


# --- PyCooRnet and CooRnet ---------------------------------------------------------------------------

def pycoornet_frame(posts) -> pd.DataFrame:
    """The steps of PyCooRnet's CrowdTangle.get_shares on one response, as that code does them."""
    df = pd.DataFrame(posts)
    df["expanded"] = df["expandedLinks"].map(lambda x: x[0]).apply(pd.Series)["expanded"]
    df = df.drop(["expandedLinks"], axis=1)
    df["account"] = df["account"].apply(lambda x: {f"account_{k}": v for k, v in x.items()})
    account = df["account"].apply(pd.Series)
    df = df.drop(["account"], axis=1)
    statistics = df["statistics"].apply(pd.Series)
    actual = statistics["actual"].apply(lambda x: {f"statistics_actual_{k}": v for k, v in x.items()}).apply(pd.Series)
    expected = statistics["expected"].apply(lambda x: {f"statistics_expected_{k}": v for k, v in x.items()}).apply(pd.Series)
    df = df.drop(["statistics"], axis=1)
    full = pd.concat([df, account, actual, expected], axis=1)
    full["date"] = pd.to_datetime(full["date"])
    return full


def test_pycoornet_csv(tmp_path):
    path = tmp_path / "ct_shares_df.csv"
    pycoornet_frame(POSTS).to_csv(path)  # with the index: a leading unnamed column
    assert path.read_text().startswith(",id,platformId,platform,date,")
    imported = import_exports(path)
    assert imported.formats == ("crowdtangle-api-csv",)
    posts = by_url(imported.posts)
    assert posts["interactions"].tolist() == [160, 9, 1500]
    assert posts["fans_at_posting"].tolist()[0] == 3_251_000 and pd.isna(posts["fans_at_posting"].tolist()[1])
    assert posts["posted_at"].tolist()[2] == pd.Timestamp("2016-03-09 16:59:59", tz="UTC")
    assert imported.aliases["100044000000123"] == "SYNTHETIC Samdech Page"


def test_coornet_and_json_normalize_csv_with_dotted_names(tmp_path):
    path = tmp_path / "coornet.csv"
    pd.json_normalize(POSTS).to_csv(path, index=False)
    header = path.read_text().splitlines()[0]
    assert "statistics.actual.likeCount" in header and "account.name" in header
    posts = by_url(import_exports(path).posts)
    assert posts["interactions"].tolist() == [160, 9, 1500]


def test_a_flattened_csv_without_subscriber_count_is_refused(tmp_path):
    path = tmp_path / "no-fans.csv"
    pycoornet_frame(POSTS).drop(columns=["subscriberCount"]).to_csv(path, index=False)
    with pytest.raises(DataError) as excinfo:
        import_exports(path)
    one_line_error(excinfo, "no 'subscriberCount' column", "account_subscriberCount", "not at posting")


# --- 4CAT -------------------------------------------------------------------------------------------

FOURCAT_COLUMNS = [
    "id", "thread_id", "body", "author", "timestamp", "unix_timestamp", "page_name", "page_category",
    "page_top_country", "page_description", "page_created", "page_likes", "page_id", "page_followers",
    "page_shared_from", "type", "interactions", "comments", "shares", "likes", "likes_love", "likes_wow",
    "likes_haha", "likes_sad", "likes_angry", "likes_care", "views_post", "views_total",
    "views_total_crossposts", "overperforming_score", "video_length", "video_status", "video_own", "url",
    "hashtags", "url_original", "body_image", "body_link", "body_description", "sponsor_id", "sponsor_name",
    "sponsor_category"]


def fourcat_csv(path, rows) -> object:
    """4CAT's result CSV: csv.DictWriter, UTF-8 without BOM, CRLF (the csv module's default)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FOURCAT_COLUMNS)
    writer.writeheader()
    for n, (stamp, likes, interactions) in enumerate(rows, start=1):
        cells = dict.fromkeys(FOURCAT_COLUMNS, "")
        cells.update({"id": str(n), "thread_id": str(n), "body": f"SYNTHETIC {n}", "author": "syntheticsamdech",
                      "timestamp": stamp, "unix_timestamp": "0", "page_name": "SYNTHETIC Samdech Page",
                      "page_likes": likes, "page_id": "100044000000123", "page_followers": "",
                      "interactions": interactions, "url": f"https://www.facebook.com/syntheticsamdech/posts/{n}"})
        writer.writerow(cells)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def test_fourcat_csv_needs_zone_and_is_read_with_it(tmp_path):
    # 4CAT wrote Post Created "2016-03-08 10:15:00 ICT" as "2016-03-08 10:15:00"; Likes at Posting as written
    path = fourcat_csv(tmp_path / "4cat.csv", [("2016-03-08 10:15:00", "3,251,000", "407137"),
                                               ("2016-03-08 23:30:00", "3,252,000", "12")])
    with pytest.raises(DataError) as excinfo:
        import_exports(path)
    one_line_error(excinfo, "4CAT dropped the time zone", "ZONE=")
    for zone in ("ICT", "+0700", "Asia/Phnom_Penh"):
        imported = import_exports(path, zone=zone)
        posts = imported.posts.sort_values("posted_at")
        assert imported.formats == ("4cat-crowdtangle",)
        # 10:15 at UTC+7 is 03:15 UTC; 23:30 is 16:30 UTC; both on the 8th in Phnom Penh
        assert posts["posted_at"].tolist() == [pd.Timestamp("2016-03-08 03:15", tz="UTC"),
                                               pd.Timestamp("2016-03-08 16:30", tz="UTC")]
        assert posts["fans_at_posting"].tolist() == [3_251_000, 3_252_000]
        assert posts["interactions"].tolist() == [407137, 12]


def test_fourcat_with_a_zone_that_has_summer_time(tmp_path):
    # America/Sao_Paulo: -02:00 in summer (until 2016-02-21), -03:00 after
    path = fourcat_csv(tmp_path / "4cat.csv", [("2016-02-01 12:00:00", "1.000", "5"),
                                               ("2016-03-08 12:00:00", "1.000", "5")])
    posts = import_exports(path, zone="America/Sao_Paulo").posts.sort_values("posted_at")
    assert posts["posted_at"].tolist() == [pd.Timestamp("2016-02-01 14:00", tz="UTC"),
                                           pd.Timestamp("2016-03-08 15:00", tz="UTC")]
    assert posts["fans_at_posting"].tolist() == [1000, 1000]  # "1.000": a dot groups thousands


def test_screen_refuses_an_ambiguous_zone_parameter(tmp_path):
    from helpers import run_cli
    path = fourcat_csv(tmp_path / "4cat.csv", [("2016-03-08 10:15:00", "3,251,000", "407137")])
    result = run_cli("screen", "--data", path, "--zone", "IST", "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "ZONE=IST: ambiguous itself" in result.stderr and "\n" not in result.stderr.strip()


def test_a_damaged_id_in_an_api_csv_never_selects(tmp_path):
    frame = pycoornet_frame([post(1, "2016-03-08 03:15:00", (1,) + (0,) * 9, 10, page="SYNTHETIC A", handle="a"),
                             post(2, "2016-03-08 03:15:00", (1,) + (0,) * 9, 10, page="SYNTHETIC B", handle="b")])
    frame["account_platformId"] = "100065000000000"  # as Excel leaves a rounded 15-digit id
    path = tmp_path / "ct.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(ParameterError) as excinfo:
        import_exports(path, page="100065000000000")
    one_line_error(excinfo, "SYNTHETIC A", "SYNTHETIC B", "name or user name")


# --- The limits of limits.py hold for the API's JSON and the Excel re-save -----------------------

def test_api_json_nested_beyond_the_limit_is_refused_before_parsing(tmp_path):
    from likecheck.limits import JSON_DEPTH
    document = response(POSTS)
    document["result"]["posts"][0]["message"] = {"a": []}
    deep = json.dumps(document).replace('{"a": []}', "[" * (JSON_DEPTH + 5) + "]" * (JSON_DEPTH + 5))
    path = tmp_path / "deep.json"
    path.write_text(deep, encoding="utf-8")
    with pytest.raises(DataError) as excinfo:
        import_exports(path)
    one_line_error(excinfo, "deep.json", "nests", str(JSON_DEPTH))


def test_an_excel_resave_that_would_inflate_beyond_the_limit_is_refused_unopened(tmp_path, monkeypatch):
    from openpyxl import Workbook
    from likecheck import limits
    workbook = Workbook()
    workbook.active.append(["Page Name", "User Name", "Likes at Posting", "Post Created", "Total Interactions"])
    workbook.active.append(["SYNTHETIC Page", "synthetic", 1000, "2016-03-08 10:15:00 ICT", 5])
    path = tmp_path / "resaved.xlsx"
    workbook.save(path)
    assert import_exports(path).formats == ("crowdtangle-xlsx",)
    monkeypatch.setattr(limits, "XLSX_UNCOMPRESSED_BYTES", 100)  # the workbook's parts add up to more
    with pytest.raises(DataError) as excinfo:
        import_exports(path)
    one_line_error(excinfo, "resaved.xlsx", "would inflate")


def test_a_cell_of_an_excel_resave_beyond_the_limit_names_its_sheet_row_and_column(tmp_path, monkeypatch):
    from openpyxl import Workbook
    from likecheck.importers import post_rows
    workbook = Workbook()
    workbook.active.title = "posts"
    workbook.active.append(["Page Name", "User Name", "Likes at Posting", "Post Created", "Total Interactions",
                            "Message"])
    workbook.active.append(["SYNTHETIC Page", "synthetic", 1000, "2016-03-08 10:15:00 ICT", 5, "short"])
    workbook.active.append(["SYNTHETIC Page", "synthetic", 1000, "2016-03-08 11:15:00 ICT", 5, "x" * 50])
    path = tmp_path / "resaved.xlsx"
    workbook.save(path)
    monkeypatch.setattr(post_rows, "CELL_CHARACTERS", 40)
    with pytest.raises(DataError) as excinfo:
        import_exports(path)
    one_line_error(excinfo, "resaved.xlsx", "sheet 'posts' row 3", "column 'Message'", "a cell of 50 characters")
