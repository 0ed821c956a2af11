"""Which analyses the data of each format can feed, in words (for the import report and docs/formats.md).

The analyses need two kinds of table: fan (or follower) counts by country and
day feed the new fans by country (notebook 01) and the screen's country
signals (country_surge, origin_shift); posts with the page's fan count at
posting feed the weekly engagement per 1,000 fans (notebook 02) and the
screen's post signals (fan_jump, engagement_dilution). A format feeds what
its table feeds: `format.FEEDS` says which notebooks and signals; here they
are named for a reader of the report.
"""

from __future__ import annotations

from .format import FEEDS

#: Each notebook or signal of format.FEEDS, as the report names it.
IN_WORDS = {"01_like_origin": "new fans by country", "02_engagement": "weekly engagement"}


def in_words(fed: str) -> str:
    """'05_screening: fan_jump' -> 'screening: fan_jump'; a notebook -> what it computes."""
    return IN_WORDS.get(fed, fed.replace("05_screening", "screening"))


FROM_FANS = tuple(map(in_words, FEEDS["fan_counts"]))
FROM_POSTS = tuple(map(in_words, FEEDS["posts"]))


def feeds(holds: str) -> tuple[str, ...]:
    """What a file feeds, from what it holds ('fans', 'followers', 'fans and followers' or 'posts')."""
    return FROM_POSTS if holds == "posts" else FROM_FANS


def feeds_line(name: str, fmt: str, holds: str) -> str:
    """'- file (format): feeds ...; not ... (why)' for the import report (`name` already escaped)."""
    fed = feeds(holds)
    missing = FROM_FANS if fed == FROM_POSTS else FROM_POSTS
    why = "no fan counts by country" if fed == FROM_POSTS else "no posts with fans at posting"
    return f"- {name} ({fmt}): {', '.join(fed)}; not {', '.join(missing)} ({why})"
