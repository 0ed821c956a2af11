"""Files that are recognisably another export are refused by name, with what they lack and what serves (#24).

The files are SYNTHETIC and shaped as the real ones: CrowdTangle's per-post
history download, its Link Checker CSV (four lines about the link above the
header), the post-level Page Insights export (CSV with a second row of
descriptions, and as .xlsx), Meta Business Suite's post export, and Graph
API responses without fan metrics. The report of every format says which
analyses its data can feed.
"""

from __future__ import annotations

import json

import pytest

from helpers import one_line_error
from likecheck.errors import DataError
from likecheck.importers import import_exports
from likecheck.importers.report import import_report


@pytest.fixture(autouse=True)
def cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LIKECHECK_CACHE", str(tmp_path / "import-cache"))


SERVES = ("Lifetime Likes by Country", "Likes at Posting", "subscriberCount")

POST_HISTORY = ("\ufeffTimestep,Date,Likes,Comments,Shares,Love,Wow,Haha,Sad,Angry,Care,Score\r\n"
                "1,2016-03-08 10:15:00 ICT,10,1,0,0,0,0,0,0,0,1.2\r\n"
                "2,2016-03-08 10:30:00 ICT,25,3,1,0,0,0,0,0,0,1.4\r\n")
LINK_CHECKER = ("\ufeffLink,https://example.org/synthetic-story\r\n"
                "Total Interactions,1234\r\n"
                "Shares,56\r\n"
                "Downloaded,2021-03-01 14:22:01 EST\r\n"
                "Account,Platform,Post Created,Total Interactions,Likes,Comments,Shares,URL\r\n"
                "SYNTHETIC Page,Facebook,2021-03-01 09:00:00 EST,100,80,10,10,https://www.facebook.com/x/posts/1\r\n")
POST_INSIGHTS = ("Post ID,Permalink,Post Message,Type,Countries,Languages,Posted,Audience Targeting,"
                 "Lifetime Post Total Reach,Lifetime Post organic reach\r\n"
                 ",,,,,,,,Lifetime: The number of people who had your Page's post enter their screen.,"
                 "Lifetime: organic\r\n"
                 "100044000000123_1,https://www.facebook.com/x/posts/1,SYNTHETIC,Photo,,,03/08/2016 10:15:00 AM,,"
                 "1200,1100\r\n")
BUSINESS_SUITE = ("Post ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Caption type,Permalink,"
                  "Is crosspost,Is share,Post type,Languages,Custom labels,Funded content status,Data comment,"
                  "Date,Reach,Reactions,Comments,Shares\r\n"
                  "1,2,SYNTHETIC Page,,SYNTHETIC,,03/08/2016 10:15,,https://www.facebook.com/x/posts/1,No,No,Photo,,,,,"
                  "Lifetime,1200,80,10,10\r\n")


@pytest.mark.parametrize("name, content, what", [
    ("history.csv", POST_HISTORY, "a CrowdTangle post history download"),
    ("link-checker.csv", LINK_CHECKER, "a CrowdTangle Link Checker CSV (4 lines about the link above its header"),
    ("post-insights.csv", POST_INSIGHTS, "a post-level Page Insights export"),
    ("business-suite.csv", BUSINESS_SUITE, "a Meta Business Suite post export"),
])
def test_other_csv_exports_are_refused_by_name(tmp_path, name, content, what):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8"))
    with pytest.raises(DataError) as excinfo:
        import_exports(path)
    text = one_line_error(excinfo, name, what, "cannot feed new fans by country", *SERVES)
    assert "the formats are" not in text  # said what it is, not the list of formats


def test_a_post_level_insights_workbook_is_refused_by_name(tmp_path):
    from openpyxl import Workbook
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Key Metrics"
    sheet.append(["Post ID", "Permalink", "Post Message", "Type", "Posted", "Lifetime Post Total Reach"])
    sheet.append([None, None, None, None, None, "Lifetime: The number of people who saw it"])
    sheet.append(["1_2", "https://www.facebook.com/x/posts/2", "SYNTHETIC", "Photo", "03/08/2016", 1200])
    path = tmp_path / "posts.xlsx"
    workbook.save(path)
    with pytest.raises(DataError) as excinfo:
        import_exports(path)
    one_line_error(excinfo, "a post-level Page Insights export (sheet 'Key Metrics'", *SERVES)


@pytest.mark.parametrize("document, what", [
    ({"data": [{"id": "1_2", "created_time": "2016-03-08T03:15:00+0000", "message": "SYNTHETIC"}],
      "paging": {"cursors": {}}}, "a Graph API list of posts"),
    ({"data": [{"name": "page_impressions", "period": "day",
                "values": [{"value": 5, "end_time": "2016-03-09T08:00:00+0000"}]}]},
     "a Graph API Insights response without fan metrics (metrics: page_impressions)"),
])
def test_graph_api_responses_without_fan_metrics_are_refused_by_name(tmp_path, document, what):
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(DataError) as excinfo:
        import_exports(path)
    one_line_error(excinfo, what, "key 'data'", *SERVES)


def test_in_a_folder_they_are_skipped_and_listed(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "history.csv").write_text(POST_HISTORY, encoding="utf-8")
    (folder / "posts.json").write_text(json.dumps({"status": 200, "result": {"posts": [{
        "date": "2016-03-08 03:15:00", "subscriberCount": 1000, "postUrl": "https://www.facebook.com/x/posts/1",
        "statistics": {"actual": {"likeCount": 3, "shareCount": 1}}, "account": {"name": "SYNTHETIC Page"}}]}}),
        encoding="utf-8")
    imported = import_exports(folder)
    assert [p.name for p, _ in imported.skipped] == ["history.csv"]
    assert imported.posts["interactions"].tolist() == [4]  # 3 likes + 1 share
    report = import_report(imported)
    assert "history.csv: a CrowdTangle post history download" in report
    assert ("- posts.json (crowdtangle-api): weekly engagement, screening: fan_jump, screening: "
            "engagement_dilution; not new fans by country, screening: country_surge, screening: origin_shift "
            "(no fan counts by country)") in report
