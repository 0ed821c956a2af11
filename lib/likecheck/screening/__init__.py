"""Screen fan counts and posts for the signs the 2016 reporting described.

A screen is a reason to look, never proof of purchase: every flagged row's
`note` says what else produces the same sign (a viral post, a paid
promotion, a news event, Facebook's own clean-ups).

API (all pure; tables in the FAN_COUNTS and POSTS formats, every page at once):

* `screen(fan_counts, posts, **settings)`: every signal the tables allow, as
  one table with `COLUMNS` (one row per signal, page and period; a page and
  signal with nothing flagged gets one row with flagged False and its
  highest score; a signal the tables cannot feed gets one "not screened" row).
* the four signals, each returning rows with `COLUMNS` (flagged periods only):
  `country_surge(fan_counts)`, `origin_shift(fan_counts)`, `fan_jump(posts)`,
  `engagement_dilution(posts)`; their keyword settings and defaults are in
  `DEFAULTS` (`window`, `threshold`, ...), explained in each function.
* for figures: `daily_baseline(fan_counts, page, country)` (a country's daily
  new fans, what the page predicts for it and the band the threshold allows),
  `country_mix(fan_counts, page, start, end)` (the country mix of the new
  fans of a period against the mix of all fans the day before it; of the
  countries listed at both ends, and said so, where the export gives no
  page total) and
  `post_growth(posts, page)` (growth between days with posts, with its band);
* `csv_ready(table)`: the table as screening.csv writes it (flagged true/false).

`screen`, `fan_jump`, `engagement_dilution` and `post_growth` take `tz` (the
posts' days; default Asia/Phnom_Penh). A test bed: `simulate.simulate` with
`purchase_*`, `extra_purchases`, `surge_*` (a page-wide viral surge) and
`organic_foreign_mix`; `simulate.posts_only` for a CrowdTangle-like view.

Conventions. Days are the days of the fan counts (a count describes the end
of its day, `metrics`); a post belongs to its day in `tz`. "New fans" of a
day are the day's count minus the day before's (fans or followers: whatever
the export counts). A period is inclusive (`start`..`end`). Only the top
countries are listed in most exports: a country's new fans are unknown on a
day it enters or leaves the list, and on such a day the rest of the world
(ZZ) jumps by that country's fans, so ZZ is not read on those days; nor is
ZZ compared for a window after, since its content changed.

Everything is vectorised over a dense (page, country, day) array: no Python
loop over pages or days, so 1,000 pages x 2 years x 45 countries take seconds.
"""

from __future__ import annotations

import pandas as pd

from ..errors import ParameterError
from ..metrics import PAGE_TIME_ZONE
from .country_surge import _country_surge, country_surge, daily_baseline
from .engagement_dilution import BASELINE_BLOCKS, _engagement_dilution, engagement_dilution
from .fan_jump import _fan_jump, fan_jump, post_growth
from .grid import FanGrid, _spans, check_grid_size, home_countries, page_new_fans
from .origin_shift import _origin_shift, country_mix, origin_shift
from .posts import PostDays, _post_spans
from .rows import CAVEAT, COLUMNS, NOTES, QUIET_NOTE, _quiet_rows, csv_ready, empty_rows
from .settings import DEFAULTS, NEEDS, SIGNALS, settings_for, split_settings

__all__ = ["BASELINE_BLOCKS", "CAVEAT", "COLUMNS", "DEFAULTS", "FanGrid", "NEEDS", "NOTES", "PostDays",
           "QUIET_NOTE", "SIGNALS", "country_mix", "country_surge", "csv_ready", "daily_baseline",
           "check_grid_size", "empty_rows", "engagement_dilution", "fan_jump", "home_countries", "origin_shift",
           "page_new_fans", "post_growth", "screen", "settings_for", "split_settings"]


def screen(fan_counts: pd.DataFrame | None = None, posts: pd.DataFrame | None = None, *,
           tz: str = PAGE_TIME_ZONE, **settings) -> pd.DataFrame:
    """Every signal the tables allow, for every page: a table with `COLUMNS`, sorted.

    Settings are `<signal>_<name>` keywords (see DEFAULTS), e.g.
    `country_surge_threshold=5`. Flagged periods come with their score and
    note; a page and signal with none gets one row, flagged False, over the
    span of its data with its highest score; a signal the tables cannot feed
    gets one row per page saying so.
    """
    s = split_settings(settings)
    if (fan_counts is None or len(fan_counts) == 0) and (posts is None or len(posts) == 0):
        raise ParameterError("nothing to screen: neither fan counts nor posts")
    found, peaks, spans = [], {}, {}
    if fan_counts is not None and len(fan_counts):
        grid = FanGrid(fan_counts)
        for signal, run in (("country_surge", _country_surge), ("origin_shift", _origin_shift)):
            rows, peaks[signal] = run(grid, s[signal])
            found.append(rows)
        spans["fan_counts"] = _spans(grid)
        del grid
    if posts is not None and len(posts):
        days = PostDays(posts, tz)
        for signal, run in (("fan_jump", _fan_jump), ("engagement_dilution", _engagement_dilution)):
            rows, peaks[signal] = run(days, s[signal])
            found.append(rows)
        spans["posts"] = _post_spans(days)
    table = pd.concat([f for f in found if len(f)] or [empty_rows()], ignore_index=True)
    table = pd.concat([table, _quiet_rows(table, peaks, spans, s)], ignore_index=True)
    order = {signal: i for i, signal in enumerate(SIGNALS)}
    table = table.assign(_order=table["signal"].map(order)).sort_values(
        ["page", "_order", "start", "country", "flagged"], kind="stable").drop(columns="_order")
    return table.reset_index(drop=True)
