"""CrowdTangle API JSON (as scripts and tools saved it) -> posts.

Recognised by: a JSON file holding CrowdTangle posts, told from the keys only
CrowdTangle writes ("subscriberCount", "statistics": {"actual": ...}):

* a `/posts`, `/posts/search`, `/links` or `/post/:id` response,
  ``{"status": 200, "result": {"posts": [...], "pagination": {...}}}``;
* a list of posts (the ``result.posts`` of a response, saved alone);
* a single post object, as saved by hand;
* a folder of paged responses: each file is read, and the posts are joined
  (a post in two pages once; in two pulls, the later pull's: each file's time
  is the latest "updated" of its posts).

Holds, per post: ``date`` (UTC, written without a zone: "2016-03-08
03:15:00"), ``subscriberCount`` (the page's fans, or followers, at posting;
0 where CrowdTangle had none, read as unknown like a blank "Likes at
Posting"), ``statistics.actual.*Count`` (likes, shares, comments and each
reaction: their sum is the post's interactions, as the dashboard's Total
Interactions), ``postUrl``, ``message`` and ``account.{name, handle,
platformId, subscriberCount}``. ``account.subscriberCount`` is the page's
count when the posts were *pulled*, not at posting: it is never used as the
fan count at posting.

Can feed: weekly engagement and the post signals of the screen (fan_jump,
engagement_dilution); not new fans by country (no country split).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..limits import check_json_size, json_loads
from ..load import read_text
from .format import Format, Part, Sniffed
from .post_rows import RAW_COLUMNS, check_cell_lengths, counts, tidy_posts, utc_times

NAME = "crowdtangle-api"
_MARKERS = re.compile(r'"subscriberCount"\s*:|"statistics"\s*:\s*\{\s*"actual"')
PAGE_ACCOUNTS = {"facebook_page", None, ""}


def recognise(sniffed: Sniffed) -> bool:
    """Whether the head of a JSON file holds CrowdTangle's post keys."""
    return sniffed.kind == "json" and bool(_MARKERS.search(sniffed.text))


def document_of(path: Path):
    """The parsed file, within the limits of size and nesting (limits.py); a DataError when not JSON."""
    check_json_size(path, path.stat().st_size)
    try:
        return json_loads(path, read_text(path))
    except json.JSONDecodeError as err:
        raise DataError(path, f"not valid JSON ({err.msg})", line=err.lineno) from None


def posts_of(path, document) -> tuple[list, str]:
    """The posts of a document and the key they sit under ('result.posts', '' for a list, 'post')."""
    if isinstance(document, list):
        return document, ""
    if not isinstance(document, dict):
        raise DataError(path, "not a CrowdTangle API response (expected an object or a list of posts)")
    if "result" in document:
        result = document["result"]
        status = document.get("status", 200)
        if status != 200:
            raise DataError(path, f"the file holds a CrowdTangle API error (status {status}), not posts", key="status")
        posts = result.get("posts") if isinstance(result, dict) else None
        if not isinstance(posts, list):
            raise DataError(path, "a CrowdTangle API response without a 'posts' list", key="result")
        return posts, "result.posts"
    if "statistics" in document or "subscriberCount" in document:
        return [document], "post"
    message = document.get("message") or document.get("notes")
    raise DataError(path, f"not a CrowdTangle API response{': ' + str(message) if message else ''} "
                    "(no 'result.posts', and not a post)")


def field(post, *keys):
    """post[k1][k2]... or None."""
    for key in keys:
        if not isinstance(post, dict):
            return None
        post = post.get(key)
    return post


def read(path, zone=None) -> Part:
    """The posts of one response file (see the module docstring). ZONE is not used: the API's times are UTC."""
    path = Path(path)
    posts, under = posts_of(path, document_of(path))
    if not posts:
        raise DataError(path, "the response holds no posts", key=under or None)
    def place(i):
        return "", {"key": f"{under}[{i}]" if under != "post" else "post"}
    for i, post in enumerate(posts):
        if not isinstance(post, dict) or not isinstance(field(post, "statistics", "actual"), dict):
            raise DataError(path, "a post without 'statistics.actual' (its counts)", **place(i)[1])
    names = [field(p, "account", "name") or field(p, "account", "handle") for p in posts]
    for i, name in enumerate(names):
        if not name:
            raise DataError(path, "a post without 'account.name' or 'account.handle'", **place(i)[1])
    actual = [field(p, "statistics", "actual") for p in posts]
    interactions = []
    for i, stats in enumerate(actual):
        parts = {k: v for k, v in stats.items() if k.endswith("Count")}
        values = counts(path, list(parts.values()), "statistics.actual", lambda _: place(i), blank=0)
        interactions.append(sum(values))
    fans = counts(path, [p.get("subscriberCount") for p in posts], "subscriberCount", place)
    times = utc_times(path, [p.get("date") for p in posts], "date", place, own_zone=0)
    post_ids = [p.get("postUrl") or p.get("platformId") or p.get("id") for p in posts]
    for i, post_id in enumerate(post_ids):
        if not post_id:
            raise DataError(path, "a post without 'postUrl', 'platformId' or 'id'", **place(i)[1])
    raw = pd.DataFrame(dict(zip(RAW_COLUMNS, (
        names, [field(p, "account", "handle") or None for p in posts],
        [str(field(p, "account", "platformId") or "") or None for p in posts], post_ids, times,
        interactions, fans, [p.get("message") for p in posts]))))
    kinds = {field(p, "account", "accountType") for p in posts}
    audience = "fans" if kinds <= PAGE_ACCOUNTS else "fans or followers"
    notes = [f"{len(posts)} posts under {under or 'the top-level list'}; times in UTC as the API gives them; "
             "subscriberCount 0 read as unknown"]
    check_cell_lengths(path, raw, place)
    return tidy_posts(path, raw, format_name=NAME, download_time=download_time(path, posts), audience=audience,
                      notes=notes, fans_column="subscriberCount")


def download_time(path, posts: list) -> tuple[pd.Timestamp, str]:
    """When a response was pulled, as near as it says: the latest 'updated' of its posts (UTC)."""
    try:
        updated = [pd.Timestamp(p["updated"]).tz_localize("UTC") for p in posts
                   if isinstance(p, dict) and isinstance(p.get("updated"), str)]
    except (ValueError, TypeError):
        updated = []
    if updated:
        return max(updated), "the latest 'updated' time of its posts"
    return pd.Timestamp(Path(path).stat().st_mtime_ns, unit="ns", tz="UTC"), "its modification time"


def read_part(paths: list[Path], page: str | None = None, zone=None) -> Part:
    return read(paths[0], zone)


FORMAT = Format(NAME, "CrowdTangle API JSON (/posts or /links responses {\"status\": 200, \"result\": {\"posts\": "
                "[...]}}, lists of posts, single posts; a folder of paged responses)", "posts", recognise, read_part)
