"""Partial country lists: what one day's list of countries says of each country, the rest and the total.

Exports list only a page's top countries (the Graph API 45; a Page Insights
CSV may carry 85 country columns with at most 45 filled a day), and the list
changes from day to day. So a country's count on a day is:

* exact where the country is listed;
* exactly 0 where it is not listed and the listed countries sum to the page's
  total that day (the list exhausts the total);
* otherwise between 0 and the smallest listed count that day (a country below
  the top cannot exceed the last one in it), and no more than what the total
  leaves for the unlisted countries where the total is given;
* unknown on a day with no country listed (a total alone, or no row at all).

The page's total is known only where the export gives it (ZZ, the rest of the
world, is stored only then: `importers`). Every derived number is a `Bounds`:
exact (low == high), an interval (low < high) or unknown (both NaN), and says
which (`kind`). Changes over a window subtract intervals end to end: the gain
of a country from [0, 3] to exactly 5 lies in [2, 5]. These are bounds, not
estimates: nothing between low and high is more likely than the rest.

Pure functions of the tidy fan counts (schemas.FAN_COUNTS) and the days an
import gave a total without countries (`Imported.bare_totals`: page, date,
total); below the labels, so codes only (the words are the caller's).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .schemas import REST_OF_WORLD

EXACT, INTERVAL, UNKNOWN = "exact", "interval", "unknown"
NAN = float("nan")


@dataclass(frozen=True)
class Bounds:
    """A number known exactly (low == high), within an interval, or not at all (NaN, NaN)."""
    low: float = NAN
    high: float = NAN

    @property
    def kind(self) -> str:
        if math.isnan(self.low) or math.isnan(self.high):
            return UNKNOWN
        return EXACT if self.low == self.high else INTERVAL

    @property
    def value(self) -> float:
        """The number where exact; NaN otherwise (an interval has no single value to state)."""
        return self.low if self.kind == EXACT else NAN

    def __sub__(self, other: "Bounds") -> "Bounds":
        if UNKNOWN in (self.kind, other.kind):
            return Bounds()
        return Bounds(self.low - other.high, self.high - other.low)

    def __add__(self, other: "Bounds") -> "Bounds":
        if UNKNOWN in (self.kind, other.kind):
            return Bounds()
        return Bounds(self.low + other.low, self.high + other.high)


def exactly(value) -> Bounds:
    return Bounds(float(value), float(value))


@dataclass(frozen=True)
class DayList:
    """One page's list on one day: the listed countries' counts, and the total where given (else NaN)."""
    day: pd.Timestamp
    counts: dict[str, int]
    total: float = NAN

    @property
    def total_given(self) -> bool:
        return not math.isnan(self.total)

    @property
    def listed_sum(self) -> int:
        return int(sum(self.counts.values()))

    @property
    def exhausts(self) -> bool:
        """Whether the listed countries sum to the total: every unlisted country then has exactly 0."""
        return self.total_given and bool(self.counts) and self.listed_sum == self.total

    @property
    def smallest(self) -> float:
        return float(min(self.counts.values())) if self.counts else NAN

    def country(self, code: str) -> Bounds:
        """A country's count on the day (see the module docstring)."""
        if code in self.counts:
            return exactly(self.counts[code])
        if not self.counts:
            return Bounds()
        if self.exhausts:
            return exactly(0)
        high = self.smallest
        if self.total_given:
            high = min(high, self.total - self.listed_sum)
        return Bounds(0.0, high)

    def page_total(self) -> Bounds:
        return exactly(self.total) if self.total_given else Bounds()

    def rest(self, origins) -> Bounds:
        """Everyone outside `origins` (the rest of the world): the total minus the origins; only with a total."""
        if not self.total_given:
            return Bounds()
        drawn = Bounds(0.0, 0.0)
        for code in origins:
            drawn = drawn + self.country(code)
        return self.page_total() - drawn


def page_rows(fan_counts: pd.DataFrame, page: str) -> pd.DataFrame:
    return fan_counts[fan_counts["page"] == str(page)]


def day_list(fan_counts: pd.DataFrame, bare_totals: pd.DataFrame | None, page: str, day) -> DayList | None:
    """The list of `page` on `day`, or None when the data say nothing of that day."""
    day = pd.Timestamp(day)
    rows = page_rows(fan_counts, page)
    rows = rows[rows["date"] == day]
    counts = {str(c): int(f) for c, f in zip(rows["country"].astype(str), rows["fans"]) if pd.notna(f)}
    if counts:
        rest = counts.pop(REST_OF_WORLD, None)
        total = NAN if rest is None else float(sum(counts.values()) + rest)
        return DayList(day, counts, total)
    if bare_totals is not None and len(bare_totals):
        given = bare_totals[(bare_totals["page"].astype(str) == str(page)) & (bare_totals["date"] == day)]
        if len(given):
            return DayList(day, {}, float(given["total"].iloc[0]))
    return None


def day_lists(fan_counts: pd.DataFrame, bare_totals: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per page and day: how many countries were listed, their sum, the smallest, the total (NaN where
    not given), whether the total is given and whether the listed countries exhaust it."""
    listed = fan_counts[fan_counts["country"].astype(str) != REST_OF_WORLD]
    rest = fan_counts[fan_counts["country"].astype(str) == REST_OF_WORLD]
    keys = ["page", "date"]
    table = (listed.assign(page=listed["page"].astype(str), fans=listed["fans"].astype("float64"))
             .groupby(keys)["fans"].agg(listed="count", listed_sum="sum", smallest="min").reset_index())
    zz = rest.assign(page=rest["page"].astype(str), zz=rest["fans"].astype("float64"))[keys + ["zz"]]
    table = table.merge(zz, on=keys, how="outer")
    if bare_totals is not None and len(bare_totals):
        bare = bare_totals.assign(page=bare_totals["page"].astype(str), bare=bare_totals["total"].astype("float64"))
        table = table.merge(bare[keys + ["bare"]], on=keys, how="outer")
    else:
        table["bare"] = np.nan
    table["listed"] = table["listed"].fillna(0).astype(int)
    table["listed_sum"] = table["listed_sum"].fillna(0.0)
    table["total"] = np.where(table["zz"].notna(), table["listed_sum"] + table["zz"], table["bare"])
    table["total_given"] = table["total"].notna()
    table["exhausts"] = (table["listed"] > 0) & (table["zz"] == 0)
    return table.drop(columns=["zz", "bare"]).sort_values(keys).reset_index(drop=True)


def list_changes(fan_counts: pd.DataFrame, page: str, first, last) -> dict[str, list[tuple[str, pd.Timestamp]]]:
    """Countries entering and leaving the list within first..last (the day before `first` included as
    the start): {'entered': [(country, first day listed)], 'left': [(country, first day unlisted)]}.
    Days with no country listed are skipped (they say nothing of who is listed)."""
    rows = page_rows(fan_counts, page)
    rows = rows[(rows["date"] >= pd.Timestamp(first) - pd.Timedelta(days=1)) & (rows["date"] <= pd.Timestamp(last))
                & (rows["country"].astype(str) != REST_OF_WORLD)]
    changes: dict[str, list] = {"entered": [], "left": []}
    previous = None
    for day, group in rows.groupby("date"):
        now = set(group["country"].astype(str))
        if previous is not None:
            changes["entered"] += [(c, day) for c in sorted(now - previous)]
            changes["left"] += [(c, day) for c in sorted(previous - now)]
        previous = now
    return changes


def most_fans(day: DayList | None) -> str | None:
    """The listed country with the most fans on the day (ties: the first code), or None."""
    if day is None or not day.counts:
        return None
    return sorted(day.counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def movers(before: DayList, after: DayList, exclude=(), top: int = 7) -> list[str]:
    """The `top` countries whose fans changed most between the two days, gains or losses.

    Candidates are the countries listed at either end; a change is ranked by
    the larger of |low| and |high| (an interval ranks by how far it may
    reach), ties by code. A country whose change is unknown is not ranked.
    """
    ranked = []
    for code in sorted((set(before.counts) | set(after.counts)) - set(exclude) - {REST_OF_WORLD}):
        change = after.country(code) - before.country(code)
        if change.kind != UNKNOWN:
            ranked.append((-max(abs(change.low), abs(change.high)), code))
    return [code for _, code in sorted(ranked)[:max(0, int(top))]]


def origin_changes(before: DayList | None, after: DayList | None, origins) -> pd.DataFrame:
    """The change of each origin between the end of `before` and the end of `after`, then the rest of
    the world (only where both totals are given) and the page's total.

    Columns: origin (country code, ZZ, or 'total'), new_fans (where exact, else NaN), low, high, kind.
    """
    none = DayList(pd.NaT, {})
    b, a = before or none, after or none
    rows = [(code, a.country(code) - b.country(code)) for code in origins]
    if b.total_given and a.total_given:
        rows.append((REST_OF_WORLD, a.rest(origins) - b.rest(origins)))
    rows.append(("total", a.page_total() - b.page_total()))
    return pd.DataFrame({"origin": [o for o, _ in rows], "new_fans": [c.value for _, c in rows],
                         "low": [c.low for _, c in rows], "high": [c.high for _, c in rows],
                         "kind": [c.kind for _, c in rows]})


def why_not_exact(day: DayList | None, code: str, when: pd.Timestamp) -> str:
    """Why a country's (or the total's, code 'total') count on a day is not exact: '' when it is."""
    if day is None:
        return f"no count for {when:%Y-%m-%d}"
    if code == "total" or code == REST_OF_WORLD:
        return "" if day.total_given else f"the total is not given for {when:%Y-%m-%d}"
    bounds = day.country(code)
    if bounds.kind == EXACT:
        return ""
    if bounds.kind == UNKNOWN:
        return f"no country is listed for {when:%Y-%m-%d} (the total only)"
    return (f"{code} is not listed for {when:%Y-%m-%d}: between 0 and {bounds.high:,.0f} "
            f"(the smallest listed count{', or what the total leaves' if day.total_given else ''})")


def reasons(before: DayList | None, after: DayList | None, code: str, first, last, origins=()) -> str:
    """Why an origin's change over a window is not exact, for both ends ('' when exact)."""
    codes = [code] if code not in (REST_OF_WORLD, "total") else ["total", *origins] if code == REST_OF_WORLD \
        else ["total"]
    said = []
    for day, when in ((before, pd.Timestamp(first) - pd.Timedelta(days=1)), (after, pd.Timestamp(last))):
        for c in codes:
            text = why_not_exact(day, c, when)
            if text and text not in said:
                said.append(text)
    return "; ".join(said)
