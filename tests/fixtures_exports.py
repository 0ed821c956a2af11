"""Small SYNTHETIC exports in each real format, made from a seeded truth.

Every number here is invented (seeded), never data about a real page. The
truth (`fan_truth`, `post_truth`) is plain Python; each writer turns it into
one export format by hand, with its own date rules (no zoneinfo), so the
tests can compare what the importers read with the truth independently.

    python tests/fixtures_exports.py FOLDER    # write every fixture into FOLDER
"""

from __future__ import annotations

import csv
import json
import random
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pycountry

PAGE_ID = "900000000000001"  # SYNTHETIC page id
PAGE = "SYNTHETIC Samdech Hun Sen"
OTHER_PAGE = "SYNTHETIC Other Page"
USER_NAMES = {PAGE: "synthetichunsen", OTHER_PAGE: "syntheticother"}
FACEBOOK_IDS = {PAGE: PAGE_ID, OTHER_PAGE: "900000000000002"}
COUNTRIES = ("KH", "IN", "US", "VN", "TH")
#: The days the fan counts cover: across the US switch to daylight-saving time (Sunday 13 March 2016).
FAN_DAYS = [date(2016, 3, 8) + timedelta(days=i) for i in range(10)]
#: The posts cover Monday 29 February to Sunday 27 March 2016 (four full weeks), Phnom Penh time.
POST_DAYS = [date(2016, 2, 29) + timedelta(days=i) for i in range(28)]
ICT = timedelta(hours=7)  # Asia/Phnom_Penh: UTC+7 all year, no daylight-saving time
FORMULA_MESSAGE = '=HYPERLINK("http://example.invalid","click")'
REACTIONS = ("Likes", "Comments", "Shares", "Love", "Wow", "Haha", "Sad", "Angry")


def fan_truth(seed: int = 2016) -> dict[tuple[date, str], int]:
    """Lifetime fans at the end of each day, by country, and the rest of the world (ZZ)."""
    rng = random.Random(seed)
    level = {"KH": 1_800_000, "IN": 300_000, "US": 60_000, "VN": 40_000, "TH": 30_000, "ZZ": 900_000}
    truth = {}
    for day in FAN_DAYS:
        for country in level:
            level[country] += rng.randint(0, 5_000 if country in ("KH", "IN") else 800)
            truth[(day, country)] = level[country]
    return truth


def total_on(truth, day) -> int:
    return sum(v for (d, _), v in truth.items() if d == day)


def end_time_of(day: date) -> str:
    """Graph API end_time of a day: midnight Pacific at the start of the next day, written in UTC.

    2016: Pacific daylight time (UTC-7) from 13 March, so midnights up to
    13 March are 08:00 UTC and midnights from 14 March are 07:00 UTC.
    """
    next_day = day + timedelta(days=1)
    hour = "08" if next_day <= date(2016, 3, 13) else "07"
    return f"{next_day.isoformat()}T{hour}:00:00+0000"


def graph_response(days, truth) -> dict:
    countries = [{"value": {c: truth[(d, c)] for c in COUNTRIES}, "end_time": end_time_of(d)} for d in days]
    totals = [{"value": total_on(truth, d), "end_time": end_time_of(d)} for d in days]
    return {"data": [
        {"name": "page_fans_country", "period": "lifetime", "values": countries,
         "title": "Lifetime Likes by Country", "id": f"{PAGE_ID}/insights/page_fans_country/lifetime"},
        {"name": "page_fans", "period": "day", "values": totals,
         "title": "Lifetime Total Likes", "id": f"{PAGE_ID}/insights/page_fans/day"}],
        "paging": {"previous": "https://graph.facebook.com/v2.5/SYNTHETIC?since=1",
                   "next": "https://graph.facebook.com/v2.5/SYNTHETIC?since=2"}}


def write_graph_api(folder, seed: int = 2016) -> list[Path]:
    """Two paged responses; both hold 12 March (an identical repeat, as paging gives)."""
    truth, folder = fan_truth(seed), Path(folder)
    paths = [folder / "insights_page1.json", folder / "insights_page2.json"]
    paths[0].write_text(json.dumps(graph_response(FAN_DAYS[:5], truth), indent=1), encoding="utf-8")
    paths[1].write_text(json.dumps(graph_response(FAN_DAYS[4:], truth), indent=1), encoding="utf-8")
    return paths


def write_insights_xlsx(folder, seed: int = 2016) -> Path:
    """The workbook: a first sheet of other metrics, then the country sheet with its description row."""
    from openpyxl import Workbook

    truth, path = fan_truth(seed), Path(folder) / "page_insights.xlsx"
    book = Workbook()
    book.active.title = "Key Metrics"
    book.active.append(["Date", "Lifetime Total Likes"])
    sheet = book.create_sheet("Lifetime Likes By Country")
    sheet.append(["Date", *COUNTRIES])
    sheet.append([None, "Lifetime: Aggregated Facebook location data, sorted by country, about the people "
                  "who like your Page. (Unique Users)", *[None] * (len(COUNTRIES) - 1)])
    for i, day in enumerate(FAN_DAYS):
        # one date as Facebook's US text, the others as Excel dates
        when = f"{day.month}/{day.day}/{day.year}" if i == 3 else datetime(day.year, day.month, day.day)
        sheet.append([when, *[truth[(day, c)] for c in COUNTRIES]])
    book.save(path)
    return path


def write_insights_csv(folder, seed: int = 2016) -> Path:
    """The CSV export: Date, the total, another metric, the countries; a description row."""
    truth, path = fan_truth(seed), Path(folder) / "page_insights.csv"
    header = ["Date", "Lifetime Total Likes", "Daily New Likes",
              *[f"Lifetime Likes by Country - {c}" for c in COUNTRIES]]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerow(["", "Lifetime: The total number of people who have liked your Page. (Unique Users)",
                      "Daily: The number of new people who have liked your Page (Unique Users)",
                      *["Lifetime: Aggregated Facebook location data, sorted by country"] * len(COUNTRIES)])
        for day in FAN_DAYS:
            out.writerow([day.isoformat(), f"{total_on(truth, day):,}", 100,
                          *[truth[(day, c)] for c in COUNTRIES]])
    return path


def post_truth(seed: int = 2016) -> list[dict]:
    """Posts of two pages: UTC time, likes at posting, reactions, message (some awkward on purpose)."""
    rng = random.Random(seed)
    messages = [FORMULA_MESSAGE, "Hello, \"friends\"\nsecond line", "សួស្តី កម្ពុជា", None, "+1 for this",
                "plain text"]
    posts = []
    for page, per_day in ((PAGE, 2), (OTHER_PAGE, 1)):
        fans = 3_000_000 if page == PAGE else 50_000
        for day in POST_DAYS:
            for k in range(rng.randint(0, per_day) + (1 if day.weekday() == 0 else 0)):
                local = datetime(day.year, day.month, day.day, rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
                fans += rng.randint(0, 3000)
                reactions = {r: rng.randint(0, 900) for r in REACTIONS}
                reactions["Likes"] += rng.choice([0, 1500])  # some totals above 1,000
                number = len(posts) + 1
                posts.append({"page": page, "utc": (local - ICT).replace(tzinfo=timezone.utc),
                              "local": local, "fans": fans, "reactions": reactions,
                              "url": f"https://www.facebook.com/{USER_NAMES[page]}/posts/{10_000 + number}",
                              "message": messages[number % len(messages)]})
    return posts


def interactions_of(post) -> int:
    return sum(post["reactions"].values())


def write_crowdtangle(folder, seed: int = 2016, header: str = "new") -> Path:
    """A CrowdTangle export. new: 'Likes at Posting', zone 'ICT', Total Interactions with
    thousands separators. old: 'Page Likes at Posting', zone '+0700', no Total Interactions."""
    posts, path = post_truth(seed), Path(folder) / f"crowdtangle_{header}.csv"
    fans_column = "Likes at Posting" if header == "new" else "Page Likes at Posting"
    columns = ["Page Name", "User Name", "Facebook Id", "Page Category", fans_column, "Post Created",
               "Post Created Date", "Post Created Time", "Type",
               *(["Total Interactions"] if header == "new" else []), *REACTIONS, "URL", "Message", "Link"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, columns)
        out.writeheader()
        for post in posts:
            zone = "ICT" if header == "new" else "+0700"
            row = {"Page Name": post["page"], "User Name": USER_NAMES[post["page"]],
                   "Facebook Id": FACEBOOK_IDS[post["page"]], "Page Category": "POLITICIAN",
                   fans_column: post["fans"], "Post Created": f"{post['local']:%Y-%m-%d %H:%M:%S} {zone}",
                   "Post Created Date": f"{post['local']:%Y-%m-%d}", "Post Created Time": f"{post['local']:%H:%M:%S}",
                   "Type": "Photo", **post["reactions"], "URL": post["url"], "Message": post["message"] or "",
                   "Link": ""}
            if header == "new":
                row["Total Interactions"] = f"{interactions_of(post):,}"
            out.writerow(row)
    return path


#: The CrowdTangle API's names of the reaction counts (statistics.actual.*Count).
API_COUNTS = {"Likes": "likeCount", "Comments": "commentCount", "Shares": "shareCount", "Love": "loveCount",
              "Wow": "wowCount", "Haha": "hahaCount", "Sad": "sadCount", "Angry": "angryCount"}


def write_crowdtangle_xlsx(folder, seed: int = 2016) -> Path:
    """The new CrowdTangle export re-saved by Excel: its sheet named by the download cut to 31 characters,
    counts and ids as numbers, 'Post Created' kept as text (Excel cannot read its zone)."""
    from openpyxl import Workbook
    posts, path = post_truth(seed), Path(folder) / "crowdtangle_resaved.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "2016-03-28-10-00-00-ICT-Historical-Report"[:31]
    sheet.append(["Page Name", "User Name", "Facebook Id", "Likes at Posting", "Post Created",
                  "Total Interactions", *REACTIONS, "URL", "Message"])
    for post in posts:
        sheet.append([post["page"], USER_NAMES[post["page"]], int(FACEBOOK_IDS[post["page"]]), post["fans"],
                      f"{post['local']:%Y-%m-%d %H:%M:%S} ICT", interactions_of(post),
                      *(post["reactions"][r] for r in REACTIONS), post["url"], post["message"]])
    workbook.save(path)
    return path


def api_post(post) -> dict:
    """One post as the CrowdTangle API gives it: its time in UTC written without a zone."""
    return {"date": f"{post['utc']:%Y-%m-%d %H:%M:%S}", "subscriberCount": post["fans"], "postUrl": post["url"],
            "message": post["message"], "statistics": {"actual": {API_COUNTS[r]: v for r, v in post["reactions"].items()}},
            "account": {"name": post["page"], "handle": USER_NAMES[post["page"]],
                        "platformId": FACEBOOK_IDS[post["page"]], "accountType": "facebook_page"}}


def write_crowdtangle_api(folder, seed: int = 2016) -> Path:
    """A CrowdTangle API /posts response holding every post."""
    path = Path(folder) / "crowdtangle_api.json"
    path.write_text(json.dumps({"status": 200, "result": {"posts": [api_post(p) for p in post_truth(seed)]}}),
                    encoding="utf-8")
    return path


def write_crowdtangle_api_csv(folder, seed: int = 2016) -> Path:
    """The API's posts flattened as PyCooRnet writes them (underscored names)."""
    path = Path(folder) / "pycoornet.csv"
    columns = ["account_name", "account_handle", "account_platformId", "subscriberCount", "date", "postUrl",
               "message", *(f"statistics_actual_{API_COUNTS[r]}" for r in REACTIONS)]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(columns)
        for post in post_truth(seed):
            out.writerow([post["page"], USER_NAMES[post["page"]], FACEBOOK_IDS[post["page"]], post["fans"],
                          f"{post['utc']:%Y-%m-%d %H:%M:%S}", post["url"], post["message"] or "",
                          *(post["reactions"][r] for r in REACTIONS)])
    return path


def write_fourcat(folder, seed: int = 2016) -> Path:
    """4CAT's CSV of the new CrowdTangle export: 'timestamp' the dashboard's local time (ICT) without its zone."""
    path = Path(folder) / "4cat.csv"
    columns = ["id", "thread_id", "body", "author", "timestamp", "page_name", "page_id", "page_likes",
               "page_followers", "interactions", "url"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(columns)
        for n, post in enumerate(post_truth(seed), 1):
            out.writerow([n, n, post["message"] or "", USER_NAMES[post["page"]], f"{post['local']:%Y-%m-%d %H:%M:%S}",
                          post["page"], FACEBOOK_IDS[post["page"]], f"{post['fans']:,}", "", interactions_of(post),
                          post["url"]])
    return path


def write_post_formats(folder, seed: int = 2016) -> dict[str, Path]:
    """The same posts in the post formats of issue 24 (CrowdTangle after CrowdTangle), by format name."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return {"crowdtangle-xlsx": write_crowdtangle_xlsx(folder, seed), "crowdtangle-api": write_crowdtangle_api(folder, seed),
            "crowdtangle-api-csv": write_crowdtangle_api_csv(folder, seed), "4cat-crowdtangle": write_fourcat(folder, seed)}


def write_tidy(folder, seed: int = 2016) -> tuple[Path, Path]:
    """Our own tidy CSVs: the fan counts and the posts of the first page."""
    folder = Path(folder)
    fans, posts = folder / "tidy_fans.csv", folder / "tidy_posts.csv"
    with open(fans, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["page", "date", "country", "fans"])
        for (day, country), value in sorted(fan_truth(seed).items()):
            out.writerow(["hun_sen", day.isoformat(), country, value])
    with open(posts, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["page", "post_id", "posted_at", "interactions", "fans_at_posting", "message"])
        for post in post_truth(seed):
            if post["page"] == PAGE:
                out.writerow(["hun_sen", post["url"], post["utc"].strftime("%Y-%m-%dT%H:%M:%SZ"),
                              interactions_of(post), post["fans"], post["message"] or ""])
    return fans, posts


def write_all(folder, seed: int = 2016) -> dict[str, object]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return {"graph-api": write_graph_api(folder, seed), "insights-xlsx": write_insights_xlsx(folder, seed),
            "insights-csv": write_insights_csv(folder, seed),
            "crowdtangle": write_crowdtangle(folder, seed, "new"),
            "crowdtangle-old": write_crowdtangle(folder, seed, "old"),
            "tidy": write_tidy(folder, seed)}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/fixtures_exports.py FOLDER")
    for name, written in write_all(sys.argv[1]).items():
        print(f"{name}: {written}")


def graph_without_total(path):
    """45 countries on two days (end_time 03-02 and 03-03 08:00 UTC close 1 and 2 March, Pacific); no page_fans.
    TH 5,000 -> 5,100; US 300 -> 320; KH 50 -> unlisted; PH unlisted -> 60; 42 others 100 -> 101."""
    others = [c for c in sorted(c.alpha_2 for c in pycountry.countries) if c not in {"TH", "US", "KH", "PH"}][:42]
    first = {"TH": 5000, "US": 300, "KH": 50, **{c: 100 for c in others}}
    second = {"TH": 5100, "US": 320, "PH": 60, **{c: 101 for c in others}}
    document = {"name": "A Thai page", "id": "77", "data": [{"name": "page_fans_country", "period": "lifetime", "values": [
        {"value": first, "end_time": "2016-03-02T08:00:00+0000"},
        {"value": second, "end_time": "2016-03-03T08:00:00+0000"}]}]}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
