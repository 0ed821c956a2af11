"""A number as an article printed it, the interval its rounding allows, and what a check found.

The bottom of the ledger package: `Printed` and `printed` (a number with the interval its
rounding or hedge allows), `dated` and `counted` (a date, a page count read at a moment),
`CheckResult` with the verdicts and what a recomputed value is, and the interval helpers every
check uses (`corner_range`, `overlaps`, and `number` and `span`, through which every number in
a note goes). Imports nothing else of the ledger.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..dates import day_in_words
from ..published import printed_bounds
from ..record import count_interval, reading_window

CONSISTENT, INCONSISTENT, NOT_CHECKABLE = "consistent", "inconsistent", "not checkable"
#: What a recomputed value is (the ledger's `recomputed_is`): the number the printed inputs give,
#: a bound (an input is printed as one: "more than 3 million"), a difference (larger_than), the
#: median of reference figures, the mean of other reports, or a count (of falls in a row).
VALUE, LOWER_BOUND, UPPER_BOUND = "value", "lower bound", "upper bound"
DIFFERENCE, MEDIAN, MEAN, COUNT = "difference", "median", "mean", "count"


@dataclass(frozen=True)
class Printed:
    """A number as an article printed it: its value, the interval its rounding or hedge
    allows, and its words (quoted in notes). `start`/`end` date it, when known."""
    value: float
    low: float
    high: float
    words: str
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    #: A reference figure its own record flags as a likely error: listed, never counted.
    flagged: bool = False
    #: Where a reference figure was read again (reference.csv `rechecked`); None for others.
    rechecked: str | None = None


@dataclass(frozen=True)
class CheckResult:
    """What one check found. `shown` lists any other number the note states; `recomputed_is`
    says what the recomputed number is (a value, a bound, a difference ...); `order_only` is
    true when the verdict rests on a comparison alone (larger, smaller, fits within)."""
    check: str
    recomputed: float
    low: float
    high: float
    verdict: str
    note: str
    shown: tuple[float, ...] = field(default=())
    recomputed_is: str = VALUE
    order_only: bool = False


def printed(value, qualifier: str = "exact", words: str | None = None) -> Printed:
    """A printed number: 3.2 million printed as "3.2 million" stands for 3.15 to 3.25 million."""
    low, high = printed_bounds(float(value), qualifier, words)
    return Printed(float(value), low, high, words if words is not None else number(float(value)))


def to_printed(x) -> Printed:
    """A `Printed` as it is; a plain number as an exact value (no rounding interval)."""
    return x if isinstance(x, Printed) else Printed(float(x), float(x), float(x), number(float(x)))


# -- formatting: every number in a note goes through here --------------------------------------

def number(x: float) -> str:
    """12,345 for large or whole numbers, 22.56 otherwise."""
    if abs(x) >= 1000 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:,.2f}"


def span(low: float, high: float) -> str:
    if np.isinf(high) and np.isinf(low):
        return "any value"
    if np.isinf(high):
        return f"more than {number(low)}"
    if np.isinf(low):
        return f"less than {number(high)}"
    return number(low) if number(low) == number(high) else f"{number(low)} to {number(high)}"


def quoted(p: Printed) -> str:
    """A number's words for a note: observations' words come quoted as printed."""
    return p.words


def overlaps(low: float, high: float, other_low: float, other_high: float) -> bool:
    return bool(low <= other_high and other_low <= high)


def corner_range(function, *intervals) -> tuple[float, float]:
    """Range of a function monotone in each argument over a box of intervals, from its corners."""
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.array([function(*corner) for corner in itertools.product(*intervals)], dtype=float)
    return float(np.nanmin(values)), float(np.nanmax(values))


def _against(claimed: Printed, low: float, high: float) -> tuple[str, str]:
    """Verdict of a recomputed interval against a printed claim, and the sentence saying so."""
    ok = overlaps(low, high, claimed.low, claimed.high)
    where = "within" if ok else "outside"
    return (CONSISTENT if ok else INCONSISTENT,
            f"{quoted(claimed)} stands for {span(claimed.low, claimed.high)}: {where} it")


def _interval(p: Printed) -> tuple[float, float]:
    return p.low, p.high




def dated(when, words: str | None = None) -> Printed:
    """A date (or an event's span) as a `Printed` for `time_since`: "1985-01-14"."""
    if isinstance(when, Printed):
        return when
    day = pd.Timestamp(when)
    return Printed(np.nan, np.nan, np.nan, words or day_in_words(day), day, day)



def counted(value, qualifier: str, words: str, date_start, date_end=None, time=None) -> Printed:
    """A page count as printed, with when it was read: `counted(2000105, "exact", "2,000,105",
    "2016-01-25", time="18:50")`. Its interval is `record.count_interval`'s, its start and end the
    first and last moments of `record.reading_window` (the end of the last day, or the minute)."""
    low, high = count_interval(value, qualifier, words)
    earliest, latest = reading_window(date_start, date_start if date_end is None else date_end, time)
    return Printed(float(value), low, high, f"'{words}'", earliest, latest)
