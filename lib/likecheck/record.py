"""The page's published record, 2013-2023: every printed count on one timeline, and the growth between them.

Outlets printed Hun Sen's page count (and Sam Rainsy's) from 2013 to 2023, rounded and hedged,
often without the day. This module turns each printed count into what it can support, and no more:

* `count_interval(value, qualifier, words)`: the counts the printed words allow. The digits printed
  set the rounding ('3.2 million' is 3.15 to 3.25 million, as `published.printed_bounds` reads
  them); 'about', 'approximately' keep that rounding; 'more than' X is read as X up to one unit
  of the last digit printed (a writer who saw 3.29 million writes 'more than 3.2 million', not
  'more than 3.1'); 'nearly' X is X less half a unit up to X (it would round to X); 'passed' X
  is X itself, at a moment somewhere in the date window (a milestone).
* `reading_window(date_start, date_end, time)`: when the count was read, from the first moment of
  `date_start` to the end of `date_end` (Phnom Penh days), or the printed minute itself.
* `timeline(page_record, observations, page)`: every count of a page as one table, with both
  intervals; the five articles' counts (observations.csv, metric `fans`) join the record's.
* `growth(first, second)`: the growth per day between two counts, its range over both intervals,
  and the same relative to the first count.
* `chain(timeline)`: the counts the growth rates are computed between: the earliest-ending count,
  then each next count whose window begins after the last one's ends (windows that overlap
  leave the growth between them unbounded, so one of them is set aside, and says which);
  counts not confirmed, or disputed by the ledger, are set aside too.
* `growth_table(chain, window)`: the growth between consecutive counts, each span placed before,
  during, partly in or after the reporting's window.
* `stands_out(rates, column, threshold)`: the robust rule of the screen, median and MAD, with the
  intervals carried through: the score of each span in the window against the informative spans
  wholly outside it (`informative`: known to better than its own size) is an interval, and the
  answer is yes, no, or cannot tell; `against_neighbours(rates)` sets each span in the window
  beside the informative spans just before and after it.
* `parameters(...)`: the notebook's parameters, checked (one ParameterError line each).

Everything is a small pure function of tables; nothing reads files. Times are Phnom Penh's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .published import printed_bounds
# The hedges of the record ('over' is 'more than'; 'almost', 'close to' are 'nearly';
# 'around', 'roughly', 'some' are 'about'); `passed` marks a milestone.
from .schemas import RECORD_QUALIFIERS as QUALIFIERS

DAY = pd.Timedelta(days=1)
#: The 2016 reporting's window: the Post's "previous month" (8 February to 8 March 2016) and
#: its week of 8 to 13 March.
REPORTING_WINDOW = ("2016-02-08", "2016-03-13")
#: 1.4826 x MAD estimates the standard deviation of normal noise (as in `screening`).
MAD_TO_SD = 1.4826
#: Iglewicz and Hoaglin's cut-off for a robust z-score: beyond 3.5, a value stands out.
THRESHOLD = 3.5
BEFORE, DURING, PARTLY, AFTER = "before", "during", "partly", "after"
YES, NO, CANNOT_TELL = "stands out", "does not stand out", "cannot tell"

#: Digit groups split by a space (French '12 987 817'): read as one number.
_SPACED_GROUPS = re.compile(r"(?<=\d)[\s\u00a0\u202f](?=\d{3}(?!\d))")
_DIGIT_RUN = re.compile(r"\d[\d,]*(?:\.\d+)?")


def rounding_unit(value: float, words: str | None) -> float:
    """One unit of the last digit the words print: '3.2 million' 100,000; '2,099,740' 1.

    Words with several numbers ('2 million and 65 thousand') or none that carry the value's
    digits fall back to the value's own last non-zero digit.
    """
    text = _SPACED_GROUPS.sub(",", words or "")
    if len(_DIGIT_RUN.findall(text)) == 1:
        low, high = printed_bounds(float(value), "exact", text)
        return high - low
    exponent = int(np.floor(np.log10(abs(value)))) if value else 0
    while exponent > 0 and value % 10 ** exponent:
        exponent -= 1
    return float(10 ** exponent)


def count_interval(value: float, qualifier: str, words: str | None = None) -> tuple[float, float]:
    """The counts a printed count allows (see the module's docstring for each hedge)."""
    if qualifier not in QUALIFIERS:
        raise ValueError(f"qualifier {qualifier!r} is not one of {', '.join(QUALIFIERS)}")
    value = float(value)
    if qualifier == "passed":
        return value, value
    unit = rounding_unit(value, words)
    if qualifier == "more than":
        return value, value + unit
    if qualifier == "nearly":
        return value - unit / 2, value
    return value - unit / 2, value + unit / 2


def reading_window(date_start, date_end, time=None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """When a count was read: the printed minute, or the start of its first day to the end of its last."""
    start, end = pd.Timestamp(date_start), pd.Timestamp(date_end)
    if isinstance(time, str) and time:
        moment = start + pd.Timedelta(hours=int(time[:2]), minutes=int(time[3:5]))
        return moment, moment
    return start, end + DAY


@dataclass(frozen=True)
class Count:
    """One printed count: what it can be (low..high) and when it was read (earliest..latest)."""
    record_id: str
    value: float
    low: float
    high: float
    earliest: pd.Timestamp
    latest: pd.Timestamp
    words: str = ""

    @property
    def middle(self) -> float:
        return (self.low + self.high) / 2

    @property
    def moment(self) -> pd.Timestamp:
        return self.earliest + (self.latest - self.earliest) / 2


def count_of(row) -> Count:
    """A timeline row (or any row with the timeline's columns) as a `Count`."""
    return Count(str(row.record_id), float(row.value), float(row.low), float(row.high),
                 pd.Timestamp(row.earliest), pd.Timestamp(row.latest), str(row.as_printed))


TIMELINE_COLUMNS = ["record_id", "source_id", "page", "audience", "date_start", "date_end", "time",
                    "earliest", "latest", "value", "qualifier", "as_printed", "low", "high",
                    "confirmed", "table"]


def _record_rows(page_record: pd.DataFrame) -> pd.DataFrame:
    rows = page_record.assign(table="page_record.csv")
    return rows[[c for c in TIMELINE_COLUMNS if c not in ("earliest", "latest", "low", "high")]]


def _observation_rows(observations: pd.DataFrame) -> pd.DataFrame:
    """The five articles' page counts (observations.csv, metric `fans`, the page as a whole)."""
    rows = observations[(observations["metric"] == "fans") & observations["country"].isna()
                        & (observations["timing"] == "as_of")]
    return pd.DataFrame({
        "record_id": rows["observation_id"].astype(str), "source_id": rows["source_id"].astype(str),
        "page": rows["page"].astype(str), "audience": "fans", "date_start": rows["date_start"],
        "date_end": rows["date_end"], "time": None, "value": rows["value"].astype(float),
        "qualifier": rows["qualifier"].astype(str), "as_printed": rows["as_printed"].astype(str),
        "confirmed": "yes", "table": "observations.csv"})


def timeline(page_record: pd.DataFrame, observations: pd.DataFrame | None = None,
             page: str = "hun_sen") -> pd.DataFrame:
    """Every published count of `page`, from both tables, with its value and time intervals, in time order.

    An observation's qualifier is read as the record's ('less than' X as X less one unit up to X).
    """
    parts = [_record_rows(page_record)]
    if observations is not None:
        parts.append(_observation_rows(observations))
    rows = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    rows = rows[rows["page"].astype(str) == page].copy()
    rows["qualifier"] = rows["qualifier"].astype(str)
    windows = [reading_window(a, b, t) for a, b, t in zip(rows["date_start"], rows["date_end"], rows["time"])]
    rows["earliest"] = [w[0] for w in windows]
    rows["latest"] = [w[1] for w in windows]
    intervals = [_interval(v, q, w) for v, q, w in zip(rows["value"], rows["qualifier"], rows["as_printed"])]
    rows["low"] = [i[0] for i in intervals]
    rows["high"] = [i[1] for i in intervals]
    rows = rows.sort_values(["earliest", "latest", "record_id"], kind="stable").reset_index(drop=True)
    return rows[TIMELINE_COLUMNS]


def _interval(value, qualifier, words):
    if qualifier == "less than":
        unit = rounding_unit(float(value), words)
        return float(value) - unit, float(value)
    return count_interval(value, "about" if qualifier == "approximately" else qualifier, words)


def _ratio_range(low: float, high: float, shortest: float, longest: float) -> tuple[float, float]:
    """Range of n / d for n in [low, high] and d in [shortest, longest] (days); d may reach 0."""
    if longest <= 0:
        return -np.inf, np.inf
    smallest = low / longest if low >= 0 else (low / shortest if shortest > 0 else -np.inf)
    largest = high / shortest if shortest > 0 and high >= 0 else (high / longest if high < 0 else np.inf)
    return float(smallest), float(largest)


@dataclass(frozen=True)
class Growth:
    """Growth per day from one count to the next, from their middles, with its range."""
    per_day: float
    low: float
    high: float
    pct_per_day: float
    pct_low: float
    pct_high: float
    shortest_days: float
    longest_days: float


def growth(first: Count, second: Count) -> Growth:
    """How fast the page grew between two counts: (second - first) / days, with the range that
    every value and moment their intervals allow gives; relative growth is per day, in % of the
    first count."""
    shortest = (second.earliest - first.latest) / DAY
    longest = (second.latest - first.earliest) / DAY
    middle_days = (second.moment - first.moment) / DAY
    per_day = (second.middle - first.middle) / middle_days if middle_days > 0 else np.nan
    low, high = _ratio_range(second.low - first.high, second.high - first.low, shortest, longest)
    pct = 100 * per_day / first.middle
    pct_low = 100 * (low / first.high if low >= 0 else low / first.low)
    pct_high = 100 * (high / first.low if high >= 0 else high / first.high)
    return Growth(per_day, low, high, pct, pct_low, pct_high, shortest, longest)


def chain(counts: pd.DataFrame, include_unconfirmed: bool = False, disputed: dict | None = None) -> pd.DataFrame:
    """The counts the growth rates run between, and why each other count was set aside.

    Earliest-ending first (the most counts with no two windows overlapping); among counts
    that end together, the narrower value interval, then the id. Counts not confirmed, and
    `disputed` ones ({id: reason}, e.g. the claimed count of an inconsistent ledger row), are
    set aside first. Adds `in_chain` and `set_aside` (empty, the reason, or 'read while <id> was').
    """
    disputed = disputed or {}
    order = counts.assign(_width=counts["high"] - counts["low"]) \
        .sort_values(["latest", "_width", "record_id"], kind="stable")
    chosen, reason, last = [], {}, None
    for row in order.itertuples():
        if row.confirmed != "yes" and not include_unconfirmed:
            reason[row.record_id] = "not confirmed"
        elif row.record_id in disputed:
            reason[row.record_id] = disputed[row.record_id]
        elif last is not None and row.earliest <= last.latest:
            reason[row.record_id] = f"read while {last.record_id} was"
        else:
            chosen.append(row.record_id)
            last = row
    out = counts.copy()
    out["in_chain"] = out["record_id"].isin(chosen)
    out["set_aside"] = out["record_id"].map(reason).fillna("")
    return out


def period_of(start: pd.Timestamp, end: pd.Timestamp, window) -> str:
    """Where a span lies against the window: wholly before or after it, during it (at least half
    the span inside), or partly (less than half)."""
    first = pd.Timestamp(window[0])
    last = pd.Timestamp(window[1]) + DAY
    if end <= first:
        return BEFORE
    if start >= last:
        return AFTER
    inside = (min(end, last) - max(start, first)) / (end - start)
    return DURING if inside >= 0.5 else PARTLY


RATE_COLUMNS = ["from_id", "to_id", "from_printed", "to_printed", "from_moment", "to_moment",
                "days", "shortest_days", "longest_days", "growth_per_day", "growth_low", "growth_high",
                "growth_pct_per_day", "growth_pct_low", "growth_pct_high", "bounded", "informative", "period"]


def informative(g: Growth) -> bool:
    """A span whose growth is known to better than its own size (interval no wider than the middle
    value): a shorter one, between rounded counts, says little more than that the page grew or not."""
    return bool(np.isfinite(g.low) and np.isfinite(g.high) and g.high - g.low <= abs(g.per_day))


def growth_table(counts: pd.DataFrame, window=REPORTING_WINDOW) -> pd.DataFrame:
    """The growth between each pair of consecutive counts in the chain, placed against the window."""
    kept = counts[counts["in_chain"]] if "in_chain" in counts else counts
    rows = []
    pairs = [count_of(r) for r in kept.itertuples()]
    for first, second in zip(pairs, pairs[1:]):
        g = growth(first, second)
        rows.append([first.record_id, second.record_id, first.words, second.words, first.moment,
                     second.moment, (second.moment - first.moment) / DAY, g.shortest_days, g.longest_days,
                     g.per_day, g.low, g.high, g.pct_per_day, g.pct_low, g.pct_high,
                     bool(np.isfinite(g.low) and np.isfinite(g.high)), informative(g),
                     period_of(first.moment, second.moment, window)])
    return pd.DataFrame(rows, columns=RATE_COLUMNS)


def _mad_scale(values: np.ndarray) -> float:
    return MAD_TO_SD * float(np.median(np.abs(values - np.median(values))))


@dataclass(frozen=True)
class Baseline:
    """The spans outside the window: their median (over lows, middles, highs) and robust spread."""
    spans: int
    median_low: float
    median: float
    median_high: float
    scale_low: float
    scale_high: float


def baseline(rates: pd.DataFrame, column: str = "growth_per_day") -> Baseline:
    """Median and 1.4826 x MAD of the informative spans wholly outside the window, over their low
    ends, middles and high ends: the baseline's own interval."""
    low_column, high_column = _ends(column)
    outside = rates[rates["period"].isin([BEFORE, AFTER]) & rates["informative"]]
    if len(outside) < 3:
        raise ValueError(f"the robust rule needs at least 3 informative spans outside the window; "
                         f"there are {len(outside)}")
    ends = [outside[c].to_numpy(dtype=float) for c in (low_column, column, high_column)]
    scales = [_mad_scale(v) for v in ends]
    return Baseline(len(outside), float(np.median(ends[0])), float(np.median(ends[1])),
                    float(np.median(ends[2])), min(scales), max(scales))


def _ends(column: str) -> tuple[str, str]:
    stem = column.removesuffix("_per_day")
    return f"{stem}_low", f"{stem}_high"


def robust_score(low: float, high: float, base: Baseline) -> tuple[float, float]:
    """The score interval of a span: (its growth - the baseline's median) / the robust spread,
    at the most and least favourable ends of every interval involved."""
    if not base.scale_high > 0:  # no spread (or no baseline): no score
        return (np.nan, np.nan)
    below = low - base.median_high
    above = high - base.median_low
    lowest = below / (base.scale_high if below > 0 else max(base.scale_low, 1e-12))
    highest = above / (max(base.scale_low, 1e-12) if above > 0 else base.scale_high)
    return float(lowest), float(highest)


def verdict(score_low: float, score_high: float, threshold: float = THRESHOLD) -> str:
    """Stands out when even the lowest score passes the threshold; not when even the highest stays
    at or below it; otherwise (or with no score) the intervals cannot tell."""
    if score_low > threshold:
        return YES
    if score_high <= threshold:
        return NO
    return CANNOT_TELL


def stands_out(rates: pd.DataFrame, column: str = "growth_per_day",
               threshold: float = THRESHOLD) -> pd.DataFrame:
    """Each span during the window, scored against the spans wholly outside it (see `robust_score`);
    with fewer than three such spans there is no baseline, and every verdict is 'cannot tell'."""
    low_column, high_column = _ends(column)
    try:
        base = baseline(rates, column)
    except ValueError:  # too few spans to say what is usual: every span in the window is 'cannot tell'
        outside = int((rates["period"].isin([BEFORE, AFTER]) & rates["informative"]).sum())
        base = Baseline(outside, np.nan, np.nan, np.nan, np.nan, np.nan)
    during = rates[rates["period"] == DURING]
    rows = []
    for row in during.itertuples():
        lowest, highest = robust_score(getattr(row, low_column), getattr(row, high_column), base)
        rows.append({"from_id": row.from_id, "to_id": row.to_id, "measure": column,
                     "value": getattr(row, column), "low": getattr(row, low_column),
                     "high": getattr(row, high_column), "baseline_spans": base.spans,
                     "baseline_median": base.median, "baseline_median_low": base.median_low,
                     "baseline_median_high": base.median_high, "scale_low": base.scale_low,
                     "scale_high": base.scale_high, "score_low": lowest, "score_high": highest,
                     "threshold": threshold, "verdict": verdict(lowest, highest, threshold)})
    return pd.DataFrame(rows)


def against_neighbours(rates: pd.DataFrame, column: str = "growth_per_day") -> pd.DataFrame:
    """Each span during the window against the nearest informative span before it and after it:
    how many times faster, with the range (its low end over the neighbour's high end, and the
    reverse). No ratio where the neighbour's range reaches zero."""
    low_column, high_column = _ends(column)
    rows = []
    for position, row in rates.reset_index(drop=True).iterrows():
        if row["period"] != DURING:
            continue
        for side in (BEFORE, AFTER):
            pool = rates.reset_index(drop=True)
            pool = pool[(pool.index < position) if side == BEFORE else (pool.index > position)]
            pool = pool[pool["informative"] & (pool["period"] == side)]
            if pool.empty:
                continue
            near = pool.iloc[-1] if side == BEFORE else pool.iloc[0]
            usable = near[low_column] > 0
            rows.append({"from_id": row["from_id"], "to_id": row["to_id"], "neighbour": side,
                         "neighbour_from_id": near["from_id"], "neighbour_to_id": near["to_id"],
                         "value": row[column], "low": row[low_column], "high": row[high_column],
                         "neighbour_value": near[column], "neighbour_low": near[low_column],
                         "neighbour_high": near[high_column],
                         "ratio": row[column] / near[column] if usable else np.nan,
                         "ratio_low": row[low_column] / near[high_column] if usable else np.nan,
                         "ratio_high": row[high_column] / near[low_column] if usable else np.nan})
    return pd.DataFrame(rows)


def parameters(page, window_start, window_end, threshold, include_unconfirmed) -> dict:
    """The notebook's parameters, checked: each problem is one ParameterError line naming it."""
    from .dates import parse_day
    from .errors import ParameterError
    from .schemas import RECORD_PAGES
    if page not in RECORD_PAGES:
        raise ParameterError(f"parameter page: {page!r} is not one of {', '.join(RECORD_PAGES)}")
    first, last = parse_day(window_start, "window_start"), parse_day(window_end, "window_end")
    if first > last:
        raise ParameterError(f"parameter window_start: {first:%Y-%m-%d} is after window_end {last:%Y-%m-%d}")
    try:
        limit = float(threshold)
    except (TypeError, ValueError):
        raise ParameterError(f"parameter threshold: {threshold!r} is not a number") from None
    if not np.isfinite(limit) or limit <= 0:
        raise ParameterError(f"parameter threshold: {threshold!r} must be a number above 0")
    if not isinstance(include_unconfirmed, bool):
        raise ParameterError(f"parameter include_unconfirmed: {include_unconfirmed!r} is not True or False")
    return {"page": page, "window": (f"{first:%Y-%m-%d}", f"{last:%Y-%m-%d}"), "threshold": limit,
            "include_unconfirmed": include_unconfirmed}
