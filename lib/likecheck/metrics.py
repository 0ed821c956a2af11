"""Numbers from the tidy tables: fans on a day, new fans over a span, shares, weekly engagement.

Pure functions of the imported tables (`importers.import_exports`), used by
the notebooks when they are rerun on a fact-checker's own data and by the
simulation. Conventions:

* A fan count describes the END of its day (schemas.FAN_COUNTS; for Page
  Insights data the days are Pacific-time days). So the fans gained over
  START..END, both days included, are the count at the end of END minus the
  count at the end of the day before START.
* Engagement is measured the Socialbakers way: each post's interactions per
  1000 fans the page had when it posted, summed over Monday-to-Sunday weeks
  in the page's own time zone. A week the window cuts is dropped (a part
  week would look like a collapse), and the result says which.

A parameter that cannot be used (dates outside the data, a page not in it)
is a one-line `ParameterError` that names what the data do hold.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from .errors import ParameterError
from .pages import matching_pages
from .dates import parse_day, parse_window
from .schemas import REST_OF_WORLD

#: Hun Sen's page posts from Cambodia: weeks are counted in Phnom Penh time.
PAGE_TIME_ZONE = "Asia/Phnom_Penh"
ONE_DAY = pd.Timedelta(days=1)


def data_range(days, *, count_gaps: bool = False) -> str:
    """'the data hold 2016-02-01 to 2016-03-31'; with `count_gaps`, also how many days inside are missing
    (for daily fan counts, where a missing day is a gap; posts simply have days without posts)."""
    days = pd.Series(days).dropna()
    if days.empty:
        return "the data hold no dates"
    first, last = days.min(), days.max()
    text = f"the data hold {first:%Y-%m-%d} to {last:%Y-%m-%d}"
    missing = (last - first).days + 1 - days.nunique() if count_gaps else 0
    return text + (f" ({missing} days missing in between)" if missing > 0 else "")


def window_check(dates_available, start, end) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The window as two days, or a ParameterError: START after END, or no data inside the window.

    `dates_available` are the days the data hold (tz-aware times count as
    the days of their own zone).
    """
    first, last = parse_window(start, end)
    days = pd.Series(dates_available)
    if isinstance(days.dtype, pd.DatetimeTZDtype):
        days = days.dt.tz_localize(None)
    days = pd.to_datetime(days).dt.normalize()
    if days.dropna().empty:
        raise ParameterError("the data hold no dates")
    if not ((days >= first) & (days <= last)).any():
        raise ParameterError(f"no data between {first:%Y-%m-%d} and {last:%Y-%m-%d}; {data_range(days)}")
    return first, last


def pages_in(table: pd.DataFrame) -> list[str]:
    """The pages that have rows (counted, not compared: cheap on a categorical of millions)."""
    return sorted(str(p) for p, n in table["page"].value_counts(sort=False).items() if n > 0)


def one_page(table: pd.DataFrame, page: str | None, what: str) -> pd.DataFrame:
    """The rows of `page` (matched ignoring case); without `page`, the table if it holds one page."""
    if table is None or table.empty:
        raise ParameterError(f"the {what} table is empty")
    pages = pages_in(table)
    if page is None:
        if len(pages) > 1:
            raise ParameterError(f"the {what} hold several pages ({', '.join(pages)}); choose one with page=")
        return table
    matches = matching_pages(page, pages)
    if not matches:
        raise ParameterError(f"page {page!r} is not in the {what} (pages: {', '.join(pages)})")
    return table[table["page"].astype(str) == matches[0]]


def _counts_at(table: pd.DataFrame, day: pd.Timestamp) -> pd.Series | None:
    rows = table[table["date"] == day]
    if rows.empty:
        return None
    counts = pd.Series(rows["fans"].to_numpy(), name="fans", dtype="Int64",
                       index=pd.Index(rows["country"].astype(str).to_numpy(), name="country"))
    return counts.sort_index().sort_values(ascending=False, kind="stable")


def fans_on(fan_counts: pd.DataFrame, day, page: str | None = None) -> pd.Series:
    """Lifetime fans by country at the end of `day`: a Series indexed by country code, largest first.

    ZZ is the rest of the world when the export gave a total. A day the data
    do not hold (outside their range, or a gap) is a ParameterError naming
    the range; so is an empty table or one of several pages without `page`.
    """
    table = one_page(fan_counts, page, "fan counts")
    when = parse_day(day, "day")
    counts = _counts_at(table, when)
    if counts is None:
        raise ParameterError(f"no fan counts for the end of {when:%Y-%m-%d}; {data_range(table['date'], count_gaps=True)}")
    counts.attrs = {"day": when}
    return counts


def _with_rest(counts: pd.Series, listed: list[str]) -> pd.Series:
    """Counts of `listed` countries, everything else (ZZ and the other countries) as ZZ."""
    rest = counts.drop(labels=listed).sum()
    return pd.concat([counts[listed], pd.Series({REST_OF_WORLD: rest}, dtype="Int64")])


def new_fans(fan_counts: pd.DataFrame, start, end, page: str | None = None) -> pd.Series:
    """Fans gained by country from START to END, both included: end of END minus end of the day before START.

    Only the top countries are listed each day, so a country may be listed at
    one end and not the other; its change is unknown. When both ends have ZZ
    (the export gave a total), such countries are counted in ZZ at both ends,
    which keeps the total right; otherwise they are left out. `attrs` says
    which ('merged_into_rest' or 'left_out'). Negative values are unlikes.
    """
    first, last = parse_window(start, end)
    table = one_page(fan_counts, page, "fan counts")
    baseline = first - ONE_DAY
    before, after = _counts_at(table, baseline), _counts_at(table, last)
    if before is None:
        raise ParameterError(
            f"new fans from {first:%Y-%m-%d} need the count at the end of the day before, "
            f"{baseline:%Y-%m-%d}, which the data lack; {data_range(table['date'], count_gaps=True)}")
    if after is None:
        raise ParameterError(f"no fan counts for the end of {last:%Y-%m-%d}; {data_range(table['date'], count_gaps=True)}")
    listed = sorted((set(before.index) & set(after.index)) - {REST_OF_WORLD})
    one_end_only = sorted((set(before.index) ^ set(after.index)) - {REST_OF_WORLD})
    rest_known = REST_OF_WORLD in before.index and REST_OF_WORLD in after.index
    if rest_known:
        gained = _with_rest(after, listed) - _with_rest(before, listed)
    else:
        gained = after[listed] - before[listed]
    gained = gained.sort_index().sort_values(ascending=False, kind="stable").rename("new_fans")
    gained.index.name = "country"
    gained.attrs = {"start": first, "end": last, "baseline_day": baseline,
                    "merged_into_rest": one_end_only if rest_known else [],
                    "left_out": [] if rest_known else one_end_only}
    return gained


def country_shares(counts: pd.Series) -> pd.DataFrame:
    """Each country's share (%) of the total of `counts`, then a 'total' row (100%).

    Columns: country, the counts (named as the Series, else 'count'), share_pct.
    """
    name = counts.name or "count"
    total = counts.sum(skipna=True)
    if not total > 0:  # a share of a zero or negative total reads backwards (India at 105%)
        raise ParameterError(f"the counts add up to {total:,}: shares are defined only of a positive total")
    shares = 100 * counts.to_numpy(dtype="float64", na_value=np.nan) / float(total)
    return pd.DataFrame({"country": [str(c) for c in counts.index] + ["total"],
                         name: pd.array([*counts.tolist(), total], dtype=counts.dtype),
                         "share_pct": np.r_[shares, 100.0]})


def group_countries(counts: pd.Series, keep=("KH", "IN")) -> pd.Series:
    """`keep` countries, and everyone else as ZZ (the rest, ZZ included).

    A kept country missing from `counts` (not among the listed ones) is
    <NA>: its fans are inside the rest and cannot be told apart.
    """
    keep = [str(c) for c in keep]
    if REST_OF_WORLD in keep:
        raise ParameterError(f"{REST_OF_WORLD} is the rest of the world; it cannot be kept apart")
    present = [c for c in keep if c in counts.index]
    rest = counts.drop(labels=present).sum()
    grouped = pd.Series([counts[c] if c in present else pd.NA for c in keep] + [rest],
                        index=pd.Index(keep + [REST_OF_WORLD], name="country"), name=counts.name)
    return grouped.astype("Int64" if pd.api.types.is_integer_dtype(counts.dtype) else "Float64")


def monday_of(day: pd.Timestamp) -> pd.Timestamp:
    return day - pd.Timedelta(days=day.weekday())


def full_weeks(first: pd.Timestamp, last: pd.Timestamp) -> tuple[pd.DatetimeIndex, list[tuple]]:
    """The Mondays of the weeks wholly inside [first, last], and the (Monday, Sunday) of those it cuts."""
    first_monday = first + pd.Timedelta(days=(7 - first.weekday()) % 7)
    last_sunday = last - pd.Timedelta(days=(last.weekday() + 1) % 7)
    cut = sorted({monday_of(d) for d in (first, last)} - set(pd.date_range(first_monday, last_sunday, freq="7D")))
    mondays = pd.date_range(first_monday, last_sunday - pd.Timedelta(days=6), freq="7D")
    return mondays, [(m, m + pd.Timedelta(days=6)) for m in cut]


def local_days(posted_at: pd.Series, tz: str) -> pd.Series:
    """The calendar day of each UTC time in zone `tz` (naive midnight)."""
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ParameterError(f"unknown time zone {tz!r} (use an IANA name such as {PAGE_TIME_ZONE})") from None
    return posted_at.dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()


def weekly_engagement_from_posts(posts: pd.DataFrame, start, end, tz: str = PAGE_TIME_ZONE,
                                 page: str | None = None) -> pd.DataFrame:
    """Weekly interactions per 1000 fans (Socialbakers), computed from posts: per post interactions /
    fans_at_posting * 1000, summed over each full Monday-to-Sunday week (in `tz`) inside [start, end].

    One row per page and week (every page of the table, or `page`), weeks
    without posts included (0 posts, sum 0). Columns: page, week_start (a
    Monday), week_end (its Sunday), posts, posts_with_fans (those whose fan
    count at posting is known: only they enter the sum),
    interactions_per_1000_fans (the sum), mean_per_post (over posts_with_fans),
    week_on_week_change_pct (of the sum; empty for the first week and after a
    week of 0). `attrs['dropped_weeks']` lists the (Monday, Sunday) of weeks
    the window cuts.
    """
    first, last = parse_window(start, end)
    table = posts if page is None else one_page(posts, page, "posts")
    if table is None or table.empty:
        raise ParameterError("the posts table is empty")
    days = local_days(table["posted_at"], tz)
    window_check(days, first, last)
    mondays, dropped = full_weeks(first, last)
    if mondays.empty:
        raise ParameterError(f"the window {first:%Y-%m-%d} to {last:%Y-%m-%d} holds no full Monday-to-Sunday week")
    inside = ((days >= mondays[0]) & (days <= mondays[-1] + pd.Timedelta(days=6))).to_numpy()
    kept_days = days[inside]
    per_post = pd.DataFrame({
        "page": table["page"].array[inside],
        "week_start": (kept_days - pd.to_timedelta(kept_days.dt.day_of_week, unit="D")).to_numpy(),
        "per_1000": table["interactions"].to_numpy(dtype="float64")[inside]
        / table["fans_at_posting"].to_numpy(dtype="float64")[inside] * 1000})
    sums = per_post.groupby(["page", "week_start"], observed=True)["per_1000"].agg(["size", "count", "sum"])
    every_week = pd.MultiIndex.from_product([pages_in(table), mondays], names=["page", "week_start"])
    sums.index = sums.index.set_levels(sums.index.levels[0].astype(str), level=0)
    weekly = sums.reindex(every_week, fill_value=0).reset_index()
    totals = weekly["sum"].to_numpy(dtype="float64")
    counts = weekly["size"].to_numpy(dtype="int64")
    with_fans = weekly["count"].to_numpy(dtype="int64")
    previous = weekly.groupby("page")["sum"].shift(1).to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        result = pd.DataFrame({
            "page": weekly["page"], "week_start": weekly["week_start"],
            "week_end": weekly["week_start"] + pd.Timedelta(days=6), "posts": counts,
            "posts_with_fans": with_fans, "interactions_per_1000_fans": totals,
            "mean_per_post": np.where(with_fans > 0, totals / np.maximum(with_fans, 1), np.nan),
            "week_on_week_change_pct": np.where(previous > 0, 100 * (totals / previous - 1), np.nan)})
    result.attrs = {"dropped_weeks": dropped, "tz": tz, "start": first, "end": last}
    return result
