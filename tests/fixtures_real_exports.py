"""SYNTHETIC exports shaped like the ones fact-checkers really hold, from 2016 to today.

Every number is invented (seeded or written out here), never data about a
real page. What makes them real-shaped: Graph API responses that mix many
metrics (impressions, city and gender-age breakdowns) with the fan counts,
list only the top 45 countries, end each day at midnight Pacific (07:00 or
08:00 UTC across daylight-saving changes) and come as several responses of
a pull; follower-era metrics (page_follows_country, page_follows); UTF-8
byte-order marks and CRLF line ends; "1,234" counts; CrowdTangle downloads
named by their time of download (EST/EDT), with blank or 0 "Likes at
Posting"; folders holding other files.

The truth each writer returns is plain Python, so the tests compute what to
expect without the library.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pycountry

PAGE_ID = "900000000000777"  # SYNTHETIC page id
PAGE = "SYNTHETIC Purged Page"
USER_NAME = "syntheticpurged"
#: 50 countries: the Graph API lists the top 45 only, the others are inside the page total.
COUNTRIES = ["KH", "IN", "PH", "US", "VN", "TH"] + sorted(
    c.alpha_2 for c in pycountry.countries if c.alpha_2 not in {"KH", "IN", "PH", "US", "VN", "TH"})[:44]


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def us_dst(day: date) -> bool:
    """Whether US daylight-saving time is in force on `day` (second Sunday of March to first Sunday
    of November), by the rule, without zoneinfo."""
    def nth_sunday(year, month, n):
        first = date(year, month, 1)
        return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))
    return nth_sunday(day.year, 3, 2) <= day < nth_sunday(day.year, 11, 1)


def end_time_of(day: date) -> str:
    """The end_time that closes `day`: midnight Pacific at the start of the next day, in UTC.

    The clocks change at 02:00, so the midnight that starts the switch day in
    March is still standard time (08:00 UTC) and the one in November still
    daylight time (07:00 UTC).
    """
    return f"{day + timedelta(days=1):%Y-%m-%d}T{'07' if us_dst(day) else '08'}:00:00+0000"


def fan_truth(days, start: dict[str, int], daily: dict[str, int]) -> dict[tuple[date, str], int]:
    """Counts at the end of each day: `start` levels (unlisted countries: 50 + rank) changing by `daily`."""
    truth = {}
    for n, day in enumerate(days):
        for rank, country in enumerate(COUNTRIES):
            base = start.get(country, 5_000 - 90 * rank)
            truth[(day, country)] = base + n * daily.get(country, 1 if rank < 45 else 0)
    return truth


def listed(truth, day) -> dict[str, int]:
    """The top 45 countries of the day, as the Graph API lists them."""
    counts = {c: truth[(day, c)] for c in COUNTRIES}
    return dict(sorted(counts.items(), key=lambda kv: -kv[1])[:45])


def total_on(truth, day) -> int:
    return sum(truth[(day, c)] for c in COUNTRIES)


GROSS_NAMES = {"fans": ("page_fan_adds", "page_fan_removes"),
               "followers": ("page_daily_follows_unique", "page_daily_unfollows_unique")}


def net_change_on(truth, day) -> int:
    """The page's net change on `day` (0 on the first day of the truth)."""
    before = day - timedelta(days=1)
    return total_on(truth, day) - total_on(truth, before) if (before, "KH") in truth else 0


def graph_response(truth, days, *, era="fans", name=PAGE, page_id=PAGE_ID, other_metrics=True) -> dict:
    """A response to /PAGE_ID/insights for several metrics, shaped as the Graph API answers."""
    country_metric, total_metric = ("page_fans_country", "page_fans") if era == "fans" else \
        ("page_follows_country", "page_follows")
    data = []
    if other_metrics:
        data.append({"name": "page_impressions", "period": "day", "title": "Daily Total Impressions",
                     "values": [{"value": 1_000 + i, "end_time": end_time_of(d)} for i, d in enumerate(days)],
                     "id": f"{page_id}/insights/page_impressions/day"})
    data.append({"name": country_metric, "period": "lifetime", "title": "Lifetime Likes by Country",
                 "values": [{"value": listed(truth, d), "end_time": end_time_of(d)} for d in days],
                 "id": f"{page_id}/insights/{country_metric}/lifetime"})
    if other_metrics:
        data.append({"name": f"{country_metric[:-8]}_city", "period": "lifetime",
                     "values": [{"value": {"Phnom Penh, Cambodia": 900, "Delhi, India": 400},
                                 "end_time": end_time_of(d)} for d in days],
                     "id": f"{page_id}/insights/{country_metric[:-8]}_city/lifetime"})
        data.append({"name": "page_fans_gender_age", "period": "lifetime",
                     "values": [{"value": {"M.25-34": 700, "F.18-24": 300}, "end_time": end_time_of(d)}
                                for d in days],
                     "id": f"{page_id}/insights/page_fans_gender_age/lifetime"})
    if other_metrics:  # daily gross changes: at least 100 each way a day, the rest the net change
        adds, removes = GROSS_NAMES[era]
        nets = [net_change_on(truth, d) for d in days]
        data.append({"name": adds, "period": "day", "id": f"{page_id}/insights/{adds}/day",
                     "values": [{"value": 100 + max(n, 0), "end_time": end_time_of(d)}
                                for d, n in zip(days, nets)]})
        data.append({"name": removes, "period": "day", "id": f"{page_id}/insights/{removes}/day",
                     "values": [{"value": 100 + max(-n, 0), "end_time": end_time_of(d)}
                                for d, n in zip(days, nets)]})
    data.append({"name": total_metric, "period": "day", "title": "Lifetime Total Likes",
                 "values": [{"value": total_on(truth, d), "end_time": end_time_of(d)} for d in days],
                 "id": f"{page_id}/insights/{total_metric}/day"})
    response = {"data": data, "paging": {"previous": "https://graph.facebook.com/v2.8/SYNTHETIC?since=1",
                                         "next": "https://graph.facebook.com/v2.8/SYNTHETIC?since=2"}}
    if name:
        response["name"] = name
    return response


def write_json(path: Path, document, *, bom=False, crlf=False) -> Path:
    text = json.dumps(document, indent=1)
    if crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


# ---------------------------------------------------------------- the fan-count windows

#: A purge: Facebook removes fake accounts, the page loses fans in India and the Philippines.
PURGE_DAYS = days_between(date(2019, 3, 31), date(2019, 4, 14))
PURGE_CHANGE = {"KH": 40, "IN": -2_150, "PH": -600}
#: A small page that gained nobody over three days.
STILL_DAYS = days_between(date(2016, 3, 20), date(2016, 3, 23))
#: The page grows while India shrinks.
MIXED_DAYS = days_between(date(2016, 3, 1), date(2016, 3, 8))
MIXED_CHANGE = {"KH": 3_000, "IN": -200, "US": 40}


def purge_truth():
    return fan_truth(PURGE_DAYS, {"KH": 2_000_000, "IN": 400_000, "PH": 90_000}, PURGE_CHANGE)


def still_truth():
    return fan_truth(STILL_DAYS, {"KH": 9_000, "IN": 6_000}, {c: 0 for c in COUNTRIES})


def mixed_truth():
    return fan_truth(MIXED_DAYS, {"KH": 2_000_000, "IN": 400_000}, MIXED_CHANGE)


def write_purge(folder) -> Path:
    """One v2.8 response with many metrics, a BOM and CRLF line ends."""
    return write_json(Path(folder) / "insights_2019-04.json", graph_response(purge_truth(), PURGE_DAYS),
                      bom=True, crlf=True)


def write_still(folder) -> Path:
    return write_json(Path(folder) / "insights_still.json", graph_response(still_truth(), STILL_DAYS))


def write_mixed(folder) -> Path:
    return write_json(Path(folder) / "insights_mixed.json", graph_response(mixed_truth(), MIXED_DAYS))


#: Fan counts of the CrowdTangle page, two full weeks from Monday 7 March 2016 (the response gives only the id).
BOTH_DAYS = days_between(date(2016, 3, 6), date(2016, 3, 20))
BOTH_CHANGE = {"KH": 500, "IN": 900}


def both_truth():
    return fan_truth(BOTH_DAYS, {"KH": 3_000_000, "IN": 500_000}, BOTH_CHANGE)


def write_graph_of_the_crowdtangle_page(folder) -> Path:
    return write_json(Path(folder) / "insights.json", graph_response(both_truth(), BOTH_DAYS, name=None))


# ---------------------------------------------------------------- the follower era

#: A pull of two 90-day-limited requests across the start of US daylight-saving time (8 March 2026).
FOLLOW_DAYS = days_between(date(2026, 2, 20), date(2026, 3, 20))
FOLLOW_CHANGE = {"KH": 120, "IN": 35, "PH": -10}


def follow_truth():
    return fan_truth(FOLLOW_DAYS, {"KH": 2_900_000, "IN": 700_000, "PH": 80_000}, FOLLOW_CHANGE)


def write_follows(folder) -> list[Path]:
    """Two responses (no page name, only the id), overlapping on 9 and 10 March (identical counts)."""
    truth, folder = follow_truth(), Path(folder)
    first, second = FOLLOW_DAYS[:19], FOLLOW_DAYS[17:]
    return [write_json(folder / f"follows_{i}.json",
                       graph_response(truth, days, era="followers", name=None))
            for i, days in enumerate((first, second), start=1)]


def write_fans_era_end(folder) -> Path:
    """A fans-era response up to 14 November 2025, the day before Meta retired page_fans."""
    days = days_between(date(2025, 11, 1), date(2025, 11, 14))
    truth = fan_truth(days, {"KH": 2_880_000}, {"KH": 50})
    return write_json(Path(folder) / "fans_2025-11.json", graph_response(truth, days, name=None))


def write_follows_era_start(folder) -> Path:
    days = days_between(date(2025, 11, 15), date(2025, 11, 30))
    truth = fan_truth(days, {"KH": 2_890_000}, {"KH": 60})
    return write_json(Path(folder) / "follows_2025-11.json", graph_response(truth, days, era="followers",
                                                                             name=None))


# ---------------------------------------------------------------- CrowdTangle downloads

CT_HEADER = ["Page Name", "User Name", "Facebook Id", "Page Category", "Likes at Posting",
             "Followers at Posting", "Post Created", "Post Created Date", "Post Created Time", "Type",
             "Total Interactions", "Likes", "Comments", "Shares", "URL", "Message"]
POST_DAYS = days_between(date(2016, 2, 29), date(2016, 3, 27))  # four full weeks, Monday to Sunday
#: Post numbers whose "Likes at Posting" is blank, and the one where it is 0.
BLANK_FANS, ZERO_FANS = (3, 17, 30), 22


def post_truth(growth: float = 1.0, last_day: date | None = None) -> list[dict]:
    """Posts at 09:00 and 21:00 New York time each day; a download's counts times `growth`."""
    posts = []
    for day in POST_DAYS:
        if last_day and day > last_day:
            break
        for hour in (9, 21):
            n = len(posts) + 1
            offset = -4 if us_dst(day) else -5
            local = datetime(day.year, day.month, day.day, hour, 0, 0)
            fans = None if n in BLANK_FANS else 0 if n == ZERO_FANS else 3_000_000 + 1_000 * n
            posts.append({"n": n, "local": local, "zone": "EDT" if offset == -4 else "EST",
                          "utc": (local - timedelta(hours=offset)).replace(tzinfo=timezone.utc),
                          "fans": fans, "interactions": round((2_000 + 37 * n) * growth),
                          "url": f"https://www.facebook.com/{USER_NAME}/posts/{50_000 + n}",
                          "message": f"SYNTHETIC post {n}"})
    return posts


def write_crowdtangle(path: Path, posts, *, bom=True) -> Path:
    """CrowdTangle CSV with a BOM, CRLF line ends and thousands separators."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(CT_HEADER)
    for p in posts:
        fans = "" if p["fans"] is None else f"{p['fans']:,}"
        out.writerow([PAGE, USER_NAME, PAGE_ID, "POLITICIAN", fans, "",
                      f"{p['local']:%Y-%m-%d %H:%M:%S} {p['zone']}", f"{p['local']:%Y-%m-%d}",
                      f"{p['local']:%H:%M:%S}", "Photo", f"{p['interactions']:,}", p["interactions"], 0, 0,
                      p["url"], p["message"]])
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
    return path


#: CrowdTangle's names for two downloads: the time of download first, in the dashboard's zone.
EARLY_DOWNLOAD = "2016-03-21-09-30-00-EDT-Historical-Report-SYNTHETIC-2016-02-29--2016-03-20.csv"
LATE_DOWNLOAD = "2016-03-28-10-00-00-EDT-Historical-Report-SYNTHETIC-2016-02-29--2016-03-27.csv"


def write_overlapping_downloads(folder) -> tuple[Path, Path]:
    """An early download (to 20 March) and a later one of everything, with counts grown by 10%."""
    folder = Path(folder)
    early = write_crowdtangle(folder / EARLY_DOWNLOAD, post_truth(1.0, date(2016, 3, 20)))
    late = write_crowdtangle(folder / LATE_DOWNLOAD, post_truth(1.1))
    return early, late


# ---------------------------------------------------------------- a folder as people keep it

def write_junk(folder) -> list[Path]:
    """Files that are not exports, as they sit beside exports in real folders."""
    folder = Path(folder)
    archive = folder / "downloads.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("notes.txt", "SYNTHETIC")
    files = [folder / "README.txt", archive, folder / "desktop.ini", folder / ".DS_Store",
             folder / "expected_results.json"]
    files[0].write_text("SYNTHETIC exports pulled for the check.\r\nAsk before sharing.\r\n", encoding="utf-8")
    files[2].write_bytes(b"[.ShellClassInfo]\r\nIconResource=C:\\icon.ico\r\n")
    files[3].write_bytes(b"\x00\x00\x00\x01Bud1" + bytes(64))
    files[4].write_text(json.dumps({"KH": 120, "IN": -30150, "note": "my own expectations"}), encoding="utf-8")
    return files
