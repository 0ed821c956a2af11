"""Files that are recognisably some other export: refused by name, with what they lack and what would serve.

A fact-checker's folder after CrowdTangle holds more than the exports this
package reads. Each of these is told from its content and refused with a
message that says what it is, not with the list of formats:

* CrowdTangle's per-post history download ("download CSV" on one post): the
  post's interactions at each timestep since posting; a "Timestep" column;
* CrowdTangle's Link Checker CSV: the posts that shared one link, with lines
  about the link above its header;
* the post-level Page Insights export (one row per post: "Permalink",
  "Lifetime Post Total Reach", ...; a second row of descriptions) and Meta
  Business Suite's post export ("Publish time", "Permalink", "Reach");
* a Graph API response without fan metrics: a list of posts
  (/{page}/posts, /feed) or Page Insights without page_fans(_country) or
  page_follows(_country).

None holds a fan count by country or a fan count at posting, so none can
feed the new fans by country, the weekly engagement per 1,000 fans or a
screening signal.
"""

from __future__ import annotations

import csv
import io
import json
import re

from ..errors import DataError
from ..limits import json_loads
from .format import Sniffed
from .sniff import NotAnExport

#: What serves each analysis, for the messages.
#: (Short: a problem is cut beyond errors.PROBLEM_CHARACTERS.)
SERVES_FANS = ("for new fans by country: the Page Insights export ('Lifetime Likes by Country') or Graph API "
               "page_fans_country and page_fans")
SERVES_POSTS = ("for weekly engagement: a CrowdTangle download (with 'Likes at Posting'), the CrowdTangle API's "
                "JSON (with subscriberCount) or a CSV PyCooRnet or 4CAT made from them")
SERVES = f"{SERVES_FANS}; {SERVES_POSTS}"
_MARKER_NAMES = {"page name", "account", "total interactions", "post created", "interactions", "likes",
                 "shares", "comments", "link", "url", "followers at posting", "likes at posting"}
_FAN_METRIC = re.compile(r'"(page_fans|page_fan_|page_follows|page_daily_follows|page_daily_unfollows)')


class Refused(NotAnExport):
    """A file that is recognisably another export: its message says what it is, never the list of formats
    (registry.detect_format passes it on unchanged)."""


def refusal(sniffed: Sniffed) -> Refused | None:
    """The refusal of a file that is recognisably another export, or None. Asked before the formats:
    none of these files is one of them, and some hold a format's column names (a post history has
    CrowdTangle's)."""
    if sniffed.kind == "csv":
        return csv_refusal(sniffed.path, sniffed.text)
    if sniffed.kind == "workbook":
        return workbook_refusal(sniffed.path, sniffed.sheets)
    return json_refusal(sniffed.path, sniffed.text, sniffed.complete)


def refuse(path, what: str, lacks: str, key: str | None = None) -> Refused:
    return Refused(path, f"{what}; it holds {lacks}, so it cannot feed new fans by country, weekly engagement "
                       f"or a screening signal; {SERVES}", key=key)


def names_of(cells) -> set[str]:
    return {" ".join(str(c).split()).casefold() for c in cells if c is not None}


def csv_refusal(path, text: str) -> Refused | None:
    """The refusal for a CSV head that is recognisably another export, or None."""
    records = list(csv.reader(io.StringIO(text)))[:12]
    if not records:
        return None
    first = names_of(records[0])
    if "timestep" in first:
        return refuse(path, "a CrowdTangle post history download (one post's interactions at each timestep)",
                      "one post's counts over time and no fan count")
    if "permalink" in first and first & {"lifetime post total reach", "posted", "post message"}:
        return refuse(path, "a post-level Page Insights export (one row per post: reach, impressions, clicks)",
                      "each post's reach and reactions, no fan counts")
    if "permalink" in first and "publish time" in first:
        return refuse(path, "a Meta Business Suite post export (one row per post: reach, reactions)",
                      "each post's reach and reactions, no fan counts")
    for n, record in enumerate(records[1:8], start=1):
        if len(names_of(record) & _MARKER_NAMES) >= 3 and len(first) <= 2:
            return refuse(path, f"a CrowdTangle Link Checker CSV ({n} lines about the link above its header, line "
                          f"{n + 1})", "the interactions of the posts that shared one link but no fan count")
    return None


def workbook_refusal(path, sheets) -> Refused | None:
    """The refusal for a workbook that is a post-level export, or None; `sheets`: (title, first row) of each."""
    for title, first in sheets:
        names = names_of(first)
        if "permalink" in names and names & {"lifetime post total reach", "posted", "post message", "publish time"}:
            return refuse(path, f"a post-level Page Insights export (sheet {title!r}: one row per post)",
                          "each post's reach and reactions, no fan counts")
    return None


def json_refusal(path, text: str, complete: bool) -> Refused | None:
    """The refusal for a Graph API response without fan metrics (read whole only when small), or None."""
    if _FAN_METRIC.search(text) or not complete:
        return None
    try:
        document = json_loads(path, text)
    except (json.JSONDecodeError, DataError):
        return None  # the Graph API reader says where it is malformed
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, list) or not data or not all(isinstance(d, dict) for d in data):
        return None
    if all("values" not in d and ("created_time" in d or "message" in d or "story" in d) for d in data):
        return refuse(path, "a Graph API list of posts (/posts or /feed)", "posts without counts of fans", key="data")
    metrics = sorted({str(d.get("name")) for d in data if "name" in d})
    if metrics:
        shown = ", ".join(metrics[:8]) + (f" and {len(metrics) - 8} more" if len(metrics) > 8 else "")
        return refuse(path, f"a Graph API Insights response without fan metrics (metrics: {shown})",
                      "no page_fans_country or page_fans (nor page_follows_country or page_follows)", key="data")
    return None
