"""Which analyses the data of each format can feed (for the import report and docs/formats.md).

The analyses need two kinds of table: fan (or follower) counts by country and
day feed the new fans by country (notebook 01) and the screen's country
signals (country_surge, origin_shift); posts with the page's fan count at
posting feed the weekly engagement per 1,000 fans (notebook 02) and the
screen's post signals (fan_jump, engagement_dilution). A format feeds what
its table feeds.
"""

from __future__ import annotations

FROM_FANS = ("new fans by country", "screening: country_surge", "screening: origin_shift")
FROM_POSTS = ("weekly engagement", "screening: fan_jump", "screening: engagement_dilution")


def feeds(holds: str) -> tuple[str, ...]:
    """What a file feeds, from what it holds ('fans', 'followers', 'fans and followers' or 'posts')."""
    return FROM_POSTS if holds == "posts" else FROM_FANS


def feeds_line(name: str, fmt: str, holds: str) -> str:
    """'- file (format): feeds ...; not ... (why)' for the import report."""
    fed = feeds(holds)
    missing = FROM_FANS if fed == FROM_POSTS else FROM_POSTS
    why = "no fan counts by country" if fed == FROM_POSTS else "no posts with fans at posting"
    return f"- {name} ({fmt}): {', '.join(fed)}; not {', '.join(missing)} ({why})"
