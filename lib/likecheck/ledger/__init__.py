"""The claims ledger: every number the articles print, looked up in one step and rechecked.

The claims are data (``data/claims.csv``): each names the observations it rests
on, the number it states (``claimed_id``) and the check that tests it. Each kind
of check is one small public function below; it takes `Printed` numbers (or
plain numbers) and returns one `CheckResult`: the recomputed value, the interval
the printed rounding allows, the verdict and a note. Notes are built only from
computed values and the observations' ``as_printed`` words: no number is typed
into a note.

Verdicts:
- consistent: the arithmetic holds for some values within the rounding of the digits printed;
- inconsistent: no values within that rounding make it hold;
- not checkable: no public number in this collection bears on it (the reason is given).

The checks, for a student to call directly. A plain number is an exact value; make a
printed one, with the interval its rounding allows, with `printed`::

    printed(value, qualifier="exact", words=None) -> Printed
    rounding_interval(claimed, computed) -> CheckResult
    share_of_total(part, total, claimed=None) -> CheckResult
    implied_total(part, share, claimed) -> CheckResult
    cross_source_agreement(claimed, others) -> CheckResult
    currency_conversion(amount, rate, claimed) -> CheckResult
    rate_over_time(rate, claimed, days=(365, 366)) -> CheckResult
    reference_comparison(claimed, figures) -> CheckResult
    larger_than(larger, smaller) -> CheckResult
    declines_in_a_row(claimed, values) -> CheckResult
    share_before_gain(claimed, after, total_after, gained, gained_part) -> CheckResult
    share_after_gain(claimed, before, total_after, gained, gained_part) -> CheckResult
    time_since(since, claimed, as_of=None) -> CheckResult   (since: a date, or dated(...))
    dated_counts(claimed, other, before, after) -> CheckResult   (counts read at moments: counted(...))
    not_checkable(claimed, reason) -> CheckResult

What each row says besides its verdict, computed, never typed in (docs/ledger.md explains how to
read and cite them): ``claimed_unit`` and ``recomputed_unit`` ("%", "fans", "US$", "years",
"falls in a row", "percentage points" ...: the unit of the published numbers the check uses);
``recomputed_is`` (value, lower bound, upper bound, difference, median, mean, count: a bound when
an input is printed as one, "more than 3 million"); ``strength`` (independent: a number from
another publication than the claim's; internal: the article's own numbers; order: only a
comparison, whatever the sources; empty when not checked). A reference comparison leaves out of
its count a figure its record flags as a likely error, and says how firm its verdict is.

For the notebook: ``by_article(table, record)`` (the rows in reading order with the printed
words), ``with_verdict(table, verdict)``, ``cited_sources(record)``, ``tally(table)`` (the verdicts,
the consistent ones apart by strength) and ``headline(table)``; for the site,
``rows_citing(table, observation_ids)`` (the rows a figure's numbers link to).

For example ``share_of_total(34069, printed(151000, "approximately"))`` gives
22.56%, between 22.49% and 22.64% within the rounding of "151,000".
`build_ledger(record)` runs every claim of ``data/claims.csv``.
"""

from __future__ import annotations

import inspect
import itertools
import re
from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np
import pandas as pd

from .errors import ParameterError
from .load import PublishedRecord, input_ids, parse_inputs, split_ids
from .published import printed_bounds
from .record import Count, count_interval, growth, reading_window
from .schemas import LIST_INPUTS, RECHECKED

CONSISTENT, INCONSISTENT, NOT_CHECKABLE = "consistent", "inconsistent", "not checkable"
#: What a recomputed value is (the ledger's `recomputed_is`): the number the printed inputs give,
#: a bound (an input is printed as one: "more than 3 million"), a difference (larger_than), the
#: median of reference figures, the mean of other reports, or a count (of falls in a row).
VALUE, LOWER_BOUND, UPPER_BOUND = "value", "lower bound", "upper bound"
DIFFERENCE, MEDIAN, MEAN, COUNT = "difference", "median", "mean", "count"
#: How strong a check is (the ledger's `strength`): against a number from another publication;
#: the article's own numbers against each other; or only a comparison (larger, smaller, fits
#: within), whatever the sources. Empty for a claim not checked.
INDEPENDENT, INTERNAL, ORDER = "independent", "internal", "order"
STRENGTHS = (INDEPENDENT, INTERNAL, ORDER)
COLUMNS = ["claim_id", "source_id", "claim", "claimed_value", "claimed_unit", "recomputed_value",
           "recomputed_unit", "recomputed_is", "verdict", "strength", "observation_ids", "note", "check",
           "interval_low", "interval_high"]
#: Days in a calendar year, common and leap: a daily rate over "a year".
YEAR_DAYS = (365, 366)
#: Mean length of a Gregorian year in days, for years between two dates.
DAYS_PER_YEAR = 365.2425


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


def value_or_bound(recomputed: float, low: float, high: float, inputs: Sequence[Printed]) -> str:
    """What a number computed from printed `inputs` is, given the interval their rounding allows.

    A value, unless an input is printed as a bound ("more than 3 million", an interval open on one
    side): then the number is a bound too, on the side its interval is closer to (or the only
    finite one): 360,791 of more than 3 million is at most 12.03%, an upper bound.
    """
    if not np.isfinite(recomputed) or low == high:
        return VALUE
    if not any(np.isinf(p.low) or np.isinf(p.high) for p in inputs):
        return VALUE
    if np.isinf(high):
        return LOWER_BOUND
    if np.isinf(low):
        return UPPER_BOUND
    return UPPER_BOUND if high - recomputed < recomputed - low else LOWER_BOUND


# -- the checks --------------------------------------------------------------------------------

def rounding_interval(claimed, computed) -> CheckResult:
    """Does a computed number fall in the interval a printed number's rounding allows?"""
    claimed, computed = to_printed(claimed), to_printed(computed)
    verdict, said = _against(claimed, computed.low, computed.high)
    note = f"{computed.words} is {number(computed.value)} ({span(computed.low, computed.high)}); {said}"
    return CheckResult("rounding_interval", computed.value, computed.low, computed.high, verdict, note,
                       recomputed_is=value_or_bound(computed.value, computed.low, computed.high, [computed]))


def share_of_total(part, total, claimed=None) -> CheckResult:
    """The part as a percentage of the total. Against a printed share when one is claimed;
    otherwise the check is that the part fits within the total."""
    part, total = to_printed(part), to_printed(total)
    if not total.low > 0:
        raise ParameterError(f"a share of {total.words}: the total must be more than 0")
    share = 100 * part.value / total.value
    low, high = corner_range(lambda p, t: 100 * p / t, _interval(part), _interval(total))
    note = f"{quoted(part)} of {quoted(total)} is {number(share)}% ({span(low, high)}%)"
    if claimed is not None:
        verdict, said = _against(to_printed(claimed), low, high)
        return CheckResult("share_of_total", share, low, high, verdict, f"{note}; {said}",
                           recomputed_is=value_or_bound(share, low, high, [part, total]))
    # No printed share to test: the verdict rests on the part fitting within the total.
    fits = part.low <= total.high
    note += "; the part fits within the total" if fits else "; the part is larger than the total"
    return CheckResult("share_of_total", share, low, high, CONSISTENT if fits else INCONSISTENT, note,
                       recomputed_is=value_or_bound(share, low, high, [part, total]), order_only=True)


def implied_total(part, share, claimed) -> CheckResult:
    """The total a part and its printed share imply (part / share), against a printed total."""
    part, share, claimed = to_printed(part), to_printed(share), to_printed(claimed)
    if not share.low > 0:
        raise ParameterError(f"a total implied by {share.words}%: the share must be more than 0")
    total = part.value / (share.value / 100)
    low, high = corner_range(lambda p, s: p / (s / 100), _interval(part), _interval(share))
    verdict, said = _against(claimed, low, high)
    note = (f"{quoted(part)} at {quoted(share)} implies a total of {number(total)} "
            f"({span(low, high)} within the rounding); {said}")
    return CheckResult("implied_total", total, low, high, verdict, note,
                       recomputed_is=value_or_bound(total, low, high, [part, share]))


def cross_source_agreement(claimed, others: Sequence) -> CheckResult:
    """Does a printed number agree with the same quantity printed elsewhere? Several others
    (a level reported at two dates) bracket it: any value between them agrees."""
    claimed = to_printed(claimed)
    others = [to_printed(o) for o in ([others] if isinstance(others, (Printed, int, float)) else others)]
    low, high = min(o.low for o in others), max(o.high for o in others)
    middle = float(np.mean([o.value for o in others]))
    verdict, said = _against(claimed, low, high)
    words = " and ".join(quoted(o) for o in others)
    note = f"elsewhere {words}: {span(low, high)}; {said}"
    what = MEAN if len(others) > 1 else value_or_bound(middle, low, high, others)
    return CheckResult("cross_source_agreement", middle, low, high, verdict, note, recomputed_is=what)


def currency_conversion(amount, rate, claimed) -> CheckResult:
    """An amount converted at a rate (amount units per claimed unit), against a printed conversion."""
    amount, rate, claimed = to_printed(amount), to_printed(rate), to_printed(claimed)
    converted = amount.value / rate.value
    low, high = corner_range(lambda a, r: a / r, _interval(amount), _interval(rate))
    verdict, said = _against(claimed, low, high)
    note = (f"{quoted(amount)} at {number(rate.value)} to one ({rate.words}) is {number(converted)} "
            f"({span(low, high)}); {said}")
    return CheckResult("currency_conversion", converted, low, high, verdict, note, shown=(rate.value,),
                       recomputed_is=value_or_bound(converted, low, high, [amount, rate]))


def rate_over_time(rate, claimed, days: Sequence[int] = YEAR_DAYS) -> CheckResult:
    """A daily rate summed over a span of days (a year: common or leap), against a printed total."""
    rate, claimed = to_printed(rate), to_printed(claimed)
    total = rate.value * min(days)
    low, high = rate.low * min(days), rate.high * max(days)
    verdict, said = _against(claimed, low, high)
    note = (f"{quoted(rate)} over {span(min(days), max(days))} days is {span(low, high)}; {said}")
    return CheckResult("rate_over_time", total, low, high, verdict, note, shown=tuple(days),
                       recomputed_is=value_or_bound(total, low, high, [rate]))


def reference_comparison(claimed, figures: Sequence) -> CheckResult:
    """A printed number against independent reference figures: consistent when more than half
    of the figures that count fall within the printed interval. A figure its own record flags
    as a likely error (`Printed.flagged`) is listed but not counted. The recomputed value is
    the median of the figures that count. The note ends with how firm the verdict is: whether
    every figure that counts lies on one side, how far the nearest lies from the claim when it
    fails, and how many were re-checked (`Printed.rechecked`)."""
    claimed = to_printed(claimed)
    figures = [to_printed(f) for f in figures]
    counted = [f for f in figures if not f.flagged]
    left_out = [f for f in figures if f.flagged]
    if not counted:
        raise ParameterError("a reference comparison needs at least one figure that is not flagged")
    inside = [f for f in counted if overlaps(f.low, f.high, claimed.low, claimed.high)]
    verdict = CONSISTENT if 2 * len(inside) > len(counted) else INCONSISTENT
    note = (f"{quoted(claimed)} stands for {span(claimed.low, claimed.high)}; {len(inside)} of "
            f"{len(counted)} reference figures {'that count ' if left_out else ''}within it "
            f"({_listed(counted)})")
    if left_out:
        within = sum(overlaps(f.low, f.high, claimed.low, claimed.high) for f in left_out)
        note += f"; not counted, flagged as a likely error: {_listed(left_out)}"
        if within:
            note += ", which lies within it" if len(left_out) == 1 else f", {within} of which lie within it"
    firmness, gap = _how_firm(claimed, counted, inside, verdict)
    values = [f.value for f in counted]
    return CheckResult("reference_comparison", float(np.median(values)), min(values), max(values),
                       verdict, f"{note}; {firmness}", recomputed_is=MEDIAN,
                       shown=(len(inside), len(counted), len(left_out), gap,
                              *[f.value for f in figures]))


def _listed(figures: Sequence[Printed]) -> str:
    return "; ".join(f.words if f.words.startswith(number(f.value)) else f"{f.words} = {number(f.value)}"
                     for f in figures)


#: How a re-checked figure was read, for the firmness of a reference comparison.
_RECHECKED_WORDS = {"in the publication": "read again in its publication",
                    "in a copy": "read again only in a copy", "no": "not re-checked"}


def _how_firm(claimed: Printed, counted: Sequence[Printed], inside: Sequence[Printed],
              verdict: str) -> tuple[str, float]:
    """A sentence saying how firm a reference comparison is, and the gap it states (or nan)."""
    held = verdict == CONSISTENT
    agree = len(inside) == len(counted) if held else not inside
    status = [f.rechecked for f in counted if f.rechecked is not None]
    how_read = ", ".join(f"{status.count(key)} {words}" for key, words in _RECHECKED_WORDS.items()
                         if status.count(key))
    unchecked = status.count("no")
    gap = np.nan
    if not agree:
        text = (f"how firm: split, {len(inside)} of {len(counted)} figures that count within it and "
                f"{len(counted) - len(inside)} outside")
    else:
        side = "within" if held else "outside"
        text = f"how firm: every figure that counts lies {side} it"
        if not held:
            gap = min(max(f.low - claimed.high, claimed.low - f.high) for f in counted)
            text += f", the nearest {number(gap)} beyond its bound"
        if unchecked:
            text = text.replace("how firm:", "how firm: tentative,")
    return text + (f" ({how_read})" if how_read else ""), gap


def larger_than(larger, smaller) -> CheckResult:
    """Is the first number larger than the second, as the words say? The recomputed value is
    the difference."""
    larger, smaller = to_printed(larger), to_printed(smaller)
    difference = larger.value - smaller.value
    low, high = larger.low - smaller.high, larger.high - smaller.low
    holds = high > 0
    def said(p: Printed) -> str:
        return p.words if p.words.strip("'") == number(p.value) else f"{p.words} ({number(p.value)})"
    relative = 100 * difference / larger.value
    note = (f"{said(larger)} against {said(smaller)}: "
            f"a difference of {number(difference)} ({number(relative)}% of the first); "
            + ("the first is larger" if holds else "the first is not larger"))
    return CheckResult("larger_than", difference, low, high, CONSISTENT if holds else INCONSISTENT,
                       note, shown=(larger.value, smaller.value, relative), recomputed_is=DIFFERENCE,
                       order_only=True)


def declines_in_a_row(claimed, values: Sequence) -> CheckResult:
    """How many of the last changes in a series (oldest first) were falls, against a printed count."""
    claimed = to_printed(claimed)
    series = [to_printed(v) for v in values]
    changes = np.diff([p.value for p in series])
    falls = 0
    for change in changes[::-1]:
        if change >= 0:
            break
        falls += 1
    verdict, said = _against(claimed, falls, falls)
    total = 100 * (series[-1].value / series[0].value - 1)
    note = (f"{', '.join(quoted(p) for p in series)}: changes {', '.join(f'{c:+,.0f}' for c in changes)}, "
            f"{falls} falls in a row, {total:+.1f}% from first to last; {said}")
    return CheckResult("declines_in_a_row", falls, falls, falls, verdict, note,
                       shown=tuple(changes) + (total,), recomputed_is=COUNT, order_only=True)


def _share_before(total_after, share_after, gained, gained_part):
    return 100 * (total_after * share_after / 100 - gained_part) / (total_after - gained)


def _share_after(total_after, share_before, gained, gained_part):
    return 100 * ((total_after - gained) * share_before / 100 + gained_part) / total_after


def _fraction_after(total_after, before, after, gained, gained_part) -> float:
    """Share of the gain that must come after a reading of `before` for `after` to follow."""
    return total_after * (after - before) / 100 / (gained_part - before / 100 * gained)


def _two_readings(before: Printed, after: Printed, total_after: Printed, gained: Printed,
                  gained_part: Printed) -> tuple[str, tuple[float, ...]]:
    """The two ways to read a share that moved by more or less than the gain allows."""
    total_before = total_after.value - gained.value
    needed = (after.value / 100 * gained.value - gained_part.value) / ((before.value - after.value) / 100)
    part_after = _fraction_after(total_after.value, before.value, after.value, gained.value, gained_part.value)
    when = f" (dated up to {before.end:%-d %B})" if before.end is not None else ""
    since = f" {gained.start:%-d %B}" if gained.start is not None else " the gain"
    # The gain pulls the share towards the gain's own home share: an earlier reading
    # moves further when the gain has a smaller home share than the page.
    further = "larger" if gained_part.value / gained.value < after.value / 100 else "smaller"
    text = (f"read the other way, a move from {quoted(before)} to {quoted(after)} over the whole gain needs "
            f"{number(needed)} fans before it, not {number(total_before)}; if {quoted(before)} predates{since} "
            f"the move should be {further} still, while if it was read part-way through the gain{when}, "
            f"{number(100 * part_after)}% of the gain coming after the reading fits both shares")
    return text, (needed, total_before, 100 * part_after, total_after.value)


def _share_across_gain(check: str, claimed, known, total_after, gained, gained_part, *,
                       known_is_after: bool) -> CheckResult:
    """The home share on one side of a gain of fans from the share on the other side."""
    claimed, known = to_printed(claimed), to_printed(known)
    total_after, gained, gained_part = (to_printed(x) for x in (total_after, gained, gained_part))
    formula = _share_before if known_is_after else _share_after
    share = formula(total_after.value, known.value, gained.value, gained_part.value)
    low, high = corner_range(formula, _interval(total_after), _interval(known), _interval(gained),
                             _interval(gained_part))
    verdict, said = _against(claimed, low, high)
    before, after = (claimed, known) if known_is_after else (known, claimed)
    other, shown = _two_readings(before, after, total_after, gained, gained_part)
    known_text = (f"{quoted(after)} of them home fans" if known_is_after
                  else f"{quoted(before)} home fans before it")
    side = "before was" if known_is_after else "after is"
    note = (f"with {number(total_after.value)} fans after the gain ({total_after.words}), {known_text}, "
            f"and {quoted(gained)} gained of which {quoted(gained_part)} at home, the share {side} "
            f"{number(share)}% ({span(low, high)}%); {said}; {other}")
    return CheckResult(check, share, low, high, verdict, note, shown=shown,
                       recomputed_is=value_or_bound(share, low, high, [total_after, known, gained, gained_part]))


def share_before_gain(claimed, after, total_after, gained, gained_part) -> CheckResult:
    """A home share before a gain of fans, from the share after it: (total after x share after -
    home gain) / (total after - gain), against the printed share before."""
    return _share_across_gain("share_before_gain", claimed, after, total_after, gained, gained_part,
                              known_is_after=True)


def share_after_gain(claimed, before, total_after, gained, gained_part) -> CheckResult:
    """A home share after a gain of fans, from the share before it: ((total after - gain) x share
    before + home gain) / total after, against the printed share after."""
    return _share_across_gain("share_after_gain", claimed, before, total_after, gained, gained_part,
                              known_is_after=False)


def dated(when, words: str | None = None) -> Printed:
    """A date (or an event's span) as a `Printed` for `time_since`: "1985-01-14"."""
    if isinstance(when, Printed):
        return when
    day = pd.Timestamp(when)
    return Printed(np.nan, np.nan, np.nan, words or f"{day:%-d %B %Y}", day, day)


def time_since(since, claimed, as_of=None) -> CheckResult:
    """Years from a dated event (`since`) to the date of a printed length of time (its own
    dates, or `as_of`), against it. Dates may be given as "YYYY-MM-DD"."""
    since, claimed = dated(since), to_printed(claimed)
    if as_of is not None:
        claimed = Printed(claimed.value, claimed.low, claimed.high, claimed.words,
                          pd.Timestamp(as_of), pd.Timestamp(as_of))
    years = (claimed.end - since.start).days / DAYS_PER_YEAR
    low = (claimed.start - since.end).days / DAYS_PER_YEAR
    verdict, said = _against(claimed, low, years)
    note = (f"from {quoted(since)} to {claimed.end:%-d %B %Y} is {years:.1f} years; {said}")
    return CheckResult("time_since", years, low, years, verdict, note,
                       recomputed_is=UPPER_BOUND if low < years else VALUE)


def counted(value, qualifier: str, words: str, date_start, date_end=None, time=None) -> Printed:
    """A page count as printed, with when it was read: `counted(2000105, "exact", "2,000,105",
    "2016-01-25", time="18:50")`. Its interval is `record.count_interval`'s, its start and end the
    first and last moments of `record.reading_window` (the end of the last day, or the minute)."""
    low, high = count_interval(value, qualifier, words)
    earliest, latest = reading_window(date_start, date_start if date_end is None else date_end, time)
    return Printed(float(value), low, high, f"'{words}'", earliest, latest)


def _when(p: Printed) -> str:
    """'25 Jan 2016 18:50', '2 Feb 2016' or '2-9 Feb 2016': the moments a count may have been read."""
    if p.start == p.end:
        return f"{p.start:%-d %b %Y %H:%M}"
    last = p.end - pd.Timedelta(days=1)
    if last == p.start:
        return f"{p.start:%-d %b %Y}"
    if (p.start.year, p.start.month) == (last.year, last.month):
        return f"{p.start:%-d}-{last:%-d %b %Y}"
    return f"{p.start:%-d %b %Y} to {last:%-d %b %Y}"


def _as_count(p: Printed) -> Count:
    return Count(p.words, p.value, p.low, p.high, p.start, p.end, p.words)


def dated_counts(claimed, other, before, after) -> CheckResult:
    """Two counts of one page read at different moments (or one milestone given two dates): the
    `other` count, carried to the moments of the `claimed` one at the page's growth per day between
    two counts around them (`before`, `after`), against what the claimed words allow. All four are
    `counted(...)` numbers; every interval, of values, moments and growth, is carried through."""
    rate = growth(_as_count(before), _as_count(after))
    gap = ((claimed.start - other.end) / pd.Timedelta(days=1), (claimed.end - other.start) / pd.Timedelta(days=1))
    low, high = corner_range(lambda o, r, d: o + r * d, _interval(other), (rate.low, rate.high), gap)
    middle = other.value + rate.per_day * ((claimed.start + (claimed.end - claimed.start) / 2)
                                           - (other.start + (other.end - other.start) / 2)) / pd.Timedelta(days=1)
    verdict, said = _against(claimed, low, high)
    note = (f"{quoted(other)} ({_when(other)}), carried to {_when(claimed)} at the page's growth between "
            f"{quoted(before)} ({_when(before)}) and {quoted(after)} ({_when(after)}), "
            f"{span(rate.low, rate.high)} a day, is {span(low, high)}; {said}")
    return CheckResult("dated_counts", middle, low, high, verdict, note, shown=(rate.low, rate.high))


def not_checkable(claimed, reason: str) -> CheckResult:
    """A claim no public number here bears on: its printed interval and the reason."""
    claimed = to_printed(claimed)
    note = f"{quoted(claimed)} stands for {span(claimed.low, claimed.high)}; {reason}"
    return CheckResult("not_checkable", np.nan, claimed.low, claimed.high, NOT_CHECKABLE, note, recomputed_is="")


CHECKS = {f.__name__: f for f in (rounding_interval, share_of_total, implied_total, cross_source_agreement,
                                   currency_conversion, rate_over_time, reference_comparison, larger_than,
                                   declines_in_a_row, share_before_gain, share_after_gain, time_since,
                                   dated_counts, not_checkable)}


# -- from the tables to the checks' inputs -----------------------------------------------------

def from_observation(row) -> Printed:
    low, high = printed_bounds(float(row.value), str(row.qualifier), str(row.as_printed))
    start = row.date_start if pd.notna(row.date_start) else None
    end = row.date_end if pd.notna(row.date_end) else None
    hedge = str(row.qualifier)
    # the hedge goes with the words unless they print it ("about 779,000")
    words = f"'{row.as_printed}'" if hedge == "exact" or hedge in str(row.as_printed).lower() \
        else f"{hedge} '{row.as_printed}'"
    return Printed(float(row.value), low, high, words, start, end)


def from_reference(row) -> Printed:
    low, high = printed_bounds(float(row.value), str(row.qualifier))
    flagged = isinstance(row.note, str) and row.note.startswith("FLAGGED")
    unit = "%" if row.unit == "percent" else ""
    words = f"{number(float(row.value))}{unit} ({row.source_id} {row.year}{', flagged' if flagged else ''})"
    return Printed(float(row.value), low, high, words, flagged=flagged, rechecked=str(row.rechecked))


def from_record_count(row) -> Printed:
    """A page_record.csv count, with the moments it may have been read (see `counted`)."""
    time = row.time if isinstance(row.time, str) else None
    return counted(row.value, str(row.qualifier), str(row.as_printed), row.date_start, row.date_end, time)


def from_event(row) -> Printed:
    return Printed(np.nan, np.nan, np.nan, f"'{row.as_printed}'", row.date_start, row.date_end)


_OPERATIONS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "/": lambda a, b: a / b}


def combine(left: Printed, operator: str, right: Printed) -> Printed:
    """Two printed numbers added, subtracted or divided, the interval from the corners."""
    op = _OPERATIONS[operator]
    low, high = corner_range(op, _interval(left), _interval(right))
    words = f"{left.words} {operator} {right.words}"
    # A figure computed from reference figures is as weak as the weaker of the two.
    checked = [p.rechecked for p in (left, right) if p.rechecked is not None]
    weakest = max(checked, key=RECHECKED.index) if checked else None
    return Printed(op(left.value, right.value), low, high, words, left.start or right.start,
                   left.end or right.end, flagged=left.flagged or right.flagged, rechecked=weakest)


class _Resolver:
    """Looks ids up: observations, reference figures, events, and other claims' results."""

    def __init__(self, record: PublishedRecord):
        self.record = record
        self.observations = {r.observation_id: r for r in record.observations.itertuples()}
        self.reference = {r.reference_id: r for r in record.reference.itertuples()}
        self.events = {r.event_id: r for r in record.events.itertuples()}
        self.claims = {r.claim_id: r for r in record.claims.itertuples()}
        self.counts = {} if record.page_record is None else \
            {r.record_id: r for r in record.page_record.itertuples()}
        self.results: dict[str, CheckResult] = {}

    def one(self, identifier: str) -> Printed:
        kind = identifier[0]
        if kind == "O":
            return from_observation(self.observations[identifier])
        if kind == "R":
            return from_reference(self.reference[identifier])
        if kind == "E":
            return from_event(self.events[identifier])
        if kind == "P":
            return from_record_count(self.counts[identifier])
        result = self.result(identifier)
        return Printed(result.recomputed, result.low, result.high, self._words(identifier, result.check))

    def _words(self, claim_id: str, check: str) -> str:
        """What another claim's result is, in the words of the numbers it was computed from."""
        inputs = parse_inputs(self.claims[claim_id].inputs)
        if check == "implied_total":
            part, share = (quoted(self.term(inputs[name][0])) for name in ("part", "share"))
            return f"the total implied by {part} at {share}"
        return "the value computed from " + ", ".join(quoted(self.term(t)) for terms in inputs.values() for t in terms)

    def term(self, text: str) -> Printed:
        pieces = re.split(r"([-+/])", text)
        value = self.one(pieces[0])
        for operator, identifier in zip(pieces[1::2], pieces[2::2]):
            value = combine(value, operator, self.one(identifier))
        return value

    def result(self, claim_id: str) -> CheckResult:
        if claim_id not in self.results:
            self.results[claim_id] = run_claim(self.claims[claim_id], self)
        return self.results[claim_id]

    def unit(self, term: str) -> str:
        """The unit of a term, for a reader: a sum or difference keeps its first id's unit,
        a quotient of two like units is a ratio."""
        pieces = re.split(r"([-+/])", term)
        if "/" in pieces:
            top, bottom = self.unit(pieces[0]), self.unit(pieces[pieces.index("/") + 1])
            return "ratio" if top == bottom else f"{top} per {bottom}"
        identifier = pieces[0]
        kind = identifier[0]
        if kind == "O":
            row = self.observations[identifier]
            return observation_unit(str(row.unit), str(row.metric))
        if kind == "R":
            return observation_unit(str(self.reference[identifier].unit), "")
        if kind == "E":
            return "date"
        if kind == "P":  # a page count printed elsewhere: its audience, fans or followers
            return str(self.counts[identifier].audience)
        return recomputed_unit(self.claims[identifier], self)

    def sources(self, claim_id: str) -> set[str]:
        """The publications of every number a claim's check uses (through other claims too)."""
        row = self.claims[claim_id]
        tables = {"O": self.observations, "R": self.reference, "E": self.events, "P": self.counts}
        claimed = row.claimed_id
        found = {str(tables[claimed[0]][claimed].source_id)} if isinstance(claimed, str) else set()
        for identifier in input_ids(parse_inputs(row.inputs)):
            kind = identifier[0]
            if kind == "C":
                found |= self.sources(identifier)
            else:
                found.add(str(tables[kind][identifier].source_id))
        return found


#: Units as a reader says them: observations' and reference figures' `unit`, and the
#: counts of fans (metrics fans and new_fans) called fans.
_UNIT_WORDS = {"percent": "%", "USD": "US$", "KHR": "riel", "USD per day": "US$ per day",
               "USD per year": "US$ per year", "interactions per 1000 fans": "interactions per 1,000 fans"}
_FAN_METRICS = frozenset({"fans", "new_fans"})


def observation_unit(unit: str, metric: str) -> str:
    """A published number's unit as a reader says it: "%", "fans", "US$", "years" ..."""
    if unit == "count" and metric in _FAN_METRICS:
        return "fans"
    return _UNIT_WORDS.get(unit, unit)


#: The input whose unit a check's result takes; the checks that give a share give "%".
_UNIT_FROM = {"implied_total": "part", "rounding_interval": "computed", "cross_source_agreement": "others",
              "currency_conversion": "claimed", "rate_over_time": "claimed",
              "reference_comparison": "figures", "larger_than": "larger", "time_since": "claimed",
              "dated_counts": "other"}
_UNIT_FIXED = {"share_of_total": "%", "share_before_gain": "%", "share_after_gain": "%",
               "declines_in_a_row": "falls in a row", "not_checkable": ""}


def recomputed_unit(row, resolver: _Resolver) -> str:
    """The unit of a claim's recomputed value (and of its interval): "%" for a share, the compared
    numbers' unit for a difference ("percentage points" between two shares), and so on."""
    check = str(row.check)
    if check in _UNIT_FIXED:
        return _UNIT_FIXED[check]
    name = _UNIT_FROM[check]
    inputs = parse_inputs(row.inputs)
    term = inputs[name][0] if name in inputs else row.claimed_id
    unit = resolver.unit(term)
    return "percentage points" if check == "larger_than" and unit == "%" else unit


def strength(row, result: CheckResult, resolver: _Resolver) -> str:
    """How strong a claim's check is: order (only a comparison), independent (a number from
    another publication than the claim's), internal (the article's own numbers); empty when
    the claim is not checked."""
    if result.verdict == NOT_CHECKABLE:
        return ""
    if result.order_only:
        return ORDER
    return INDEPENDENT if resolver.sources(row.claim_id) - {str(row.source_id)} else INTERNAL


def run_claim(row, resolver: _Resolver) -> CheckResult:
    """Run one claim's check on its inputs; `claimed` defaults to the claim's own number."""
    function = CHECKS[str(row.check)]
    parameters = inspect.signature(function).parameters
    kwargs = {}
    for name, terms in parse_inputs(row.inputs).items():
        values = [resolver.term(t) for t in terms]
        kwargs[name] = values if name in LIST_INPUTS else values[0]
    claimed = parameters.get("claimed")
    if claimed is not None and claimed.default is inspect.Parameter.empty and "claimed" not in kwargs:
        kwargs["claimed"] = resolver.one(row.claimed_id)
    if "reason" in parameters:
        kwargs["reason"] = row.reason
    result = function(**kwargs)
    if isinstance(row.reason, str) and "reason" not in parameters:
        result = replace(result, note=f"{result.note}; {row.reason}")
    return result


def _rounded(x: float) -> float:
    """A number for the ledger table: whole above 1,000, two decimals below; no limit is empty."""
    if not np.isfinite(x):
        return np.nan
    return float(round(x)) if abs(x) >= 1000 else round(float(x), 2)


def build_ledger(record: PublishedRecord) -> pd.DataFrame:
    """One row per claim of data/claims.csv, in its order, with its check's result: what the
    recomputed value is (`recomputed_unit`, `recomputed_is`) and how strong the check is."""
    resolver = _Resolver(record)
    rows = []
    for row in record.claims.itertuples():
        result = resolver.result(row.claim_id)
        has_claimed = isinstance(row.claimed_id, str)
        claimed = resolver.one(row.claimed_id).value if has_claimed else np.nan
        claimed_unit = resolver.unit(row.claimed_id) if has_claimed else ""
        rows.append([row.claim_id, str(row.source_id), row.claim, claimed, claimed_unit,
                     _rounded(result.recomputed), recomputed_unit(row, resolver), result.recomputed_is,
                     result.verdict, strength(row, result, resolver),
                     ";".join(split_ids(row.observation_ids)), result.note, result.check,
                     _rounded(result.low), _rounded(result.high)])
    return pd.DataFrame(rows, columns=COLUMNS)


#: The ledger's verdicts counted apart by strength, in the order the headline and the verdicts
#: figure give them: (verdict, strength, how a reader says it).
TALLY = ((CONSISTENT, INDEPENDENT, "consistent with independent data"),
         (CONSISTENT, INTERNAL, "internally consistent"),
         (CONSISTENT, ORDER, "consistent only in order"),
         (INCONSISTENT, "", "inconsistent"),
         (NOT_CHECKABLE, "", "not checkable"))


def tally(table: pd.DataFrame) -> pd.DataFrame:
    """How many claims each verdict has, the consistent ones counted apart by strength:
    columns verdict, strength, label, claims (one row per line of `TALLY`)."""
    rows = []
    for verdict, how, label in TALLY:
        chosen = table["verdict"] == verdict
        if how:
            chosen &= table["strength"] == how
        rows.append({"verdict": verdict, "strength": how, "label": label, "claims": int(chosen.sum())})
    return pd.DataFrame(rows)


def headline(table: pd.DataFrame) -> str:
    """The ledger in one sentence, the consistent claims counted apart by the strength of their
    check: "Of 48 claims, 29 are consistent: 9 with independent data, 6 internally, 14 only in
    order; 3 are inconsistent (C06, C27, C13), 16 not checkable". The verdicts figure's title is
    the part before the semicolon (`held_headline`), its caption the rest (`failed_headline`)."""
    return f"{held_headline(table)}; {failed_headline(table)}"


def held_headline(table: pd.DataFrame) -> str:
    """"Of 48 claims, 29 are consistent: 9 with independent data, 6 internally, 14 only in order"."""
    counts = tally(table).set_index(["verdict", "strength"])["claims"]
    held = int(counts[CONSISTENT].sum())
    return (f"Of {len(table)} claims, {held} {'is' if held == 1 else 'are'} consistent: "
            f"{counts[CONSISTENT, INDEPENDENT]} with independent data, {counts[CONSISTENT, INTERNAL]} "
            f"internally, {counts[CONSISTENT, ORDER]} only in order")


def failed_headline(table: pd.DataFrame) -> str:
    """"3 are inconsistent (C06, C27, C13), 16 not checkable"."""
    counts = tally(table).set_index(["verdict", "strength"])["claims"]
    failed = ", ".join(with_verdict(table, INCONSISTENT)["claim_id"])
    bad = int(counts[INCONSISTENT, ""])
    return (f"{bad} {'is' if bad == 1 else 'are'} inconsistent" + (f" ({failed})" if failed else "")
            + f", {counts[NOT_CHECKABLE, '']} not checkable")

def results(record: PublishedRecord) -> dict[str, CheckResult]:
    """Every claim's full result (with the numbers its note shows), by claim id."""
    resolver = _Resolver(record)
    return {claim_id: resolver.result(claim_id) for claim_id in record.claims["claim_id"]}


VERDICTS = (CONSISTENT, INCONSISTENT, NOT_CHECKABLE)


def by_article(table: pd.DataFrame, record: PublishedRecord) -> pd.DataFrame:
    """The ledger in reading order, article by article, with the printed words beside each number."""
    claims = record.claims.set_index("claim_id")
    articles = record.sources[record.sources["kind"] == "article"]
    order = {source_id: i for i, source_id in enumerate(articles["source_id"])}
    publication = dict(zip(record.sources["source_id"], record.sources["publication"]))
    # the claims of the wider record (no seed, no line) follow the five articles', in ledger order
    view = table.assign(
        publication=table["source_id"].map(publication),
        as_printed=table["claim_id"].map(claims["as_printed"]),
        seed_line=table["claim_id"].map(claims["seed_line"]).astype("Int64"),
        _order=table["source_id"].map(order).fillna(len(order)))
    view = view.sort_values(["_order", "seed_line", "claim_id"], kind="stable")
    return view[["source_id", "publication", "seed_line", "claim_id", "as_printed", "claimed_value",
                 "verdict", "recomputed_value", "interval_low", "interval_high",
                 "observation_ids"]].reset_index(drop=True)


def with_verdict(table: pd.DataFrame, verdict: str) -> pd.DataFrame:
    """The ledger rows with one verdict; an unknown verdict is a one-line ParameterError."""
    if verdict not in VERDICTS:
        raise ParameterError(f"parameter show_verdict: {verdict!r} is not one of {', '.join(VERDICTS)}")
    return table[table["verdict"] == verdict]


def cited_sources(record: PublishedRecord) -> list[str]:
    """The source ids the ledger rests on: the articles that make the claims, then the reference
    sources of the figures and events their checks use, then the wider record's publications
    (page_record.csv) whose claims it checks."""
    used = [i for text in record.claims["inputs"] for i in input_ids(parse_inputs(text))]
    reference = dict(zip(record.reference["reference_id"], record.reference["source_id"]))
    events = dict(zip(record.events["event_id"], record.events["source_id"]))
    checked = [str(reference.get(i, events.get(i))) for i in used if i[0] in "RE"]
    kind = dict(zip(record.sources["source_id"], record.sources["kind"]))
    claiming = sorted(set(record.claims["source_id"].astype(str)))
    articles = [s for s in claiming if kind.get(s) != "record"]
    wider = [s for s in claiming if kind.get(s) == "record"]
    return articles + sorted(set(checked) - set(articles)) + wider


def rows_citing(table: pd.DataFrame, observation_ids) -> list[str]:
    """The claim ids of the ledger rows resting on any of these observations, in ledger order:
    the rows a figure links to, given the `observation_id` column of the CSV beside it."""
    wanted = {str(i) for i in observation_ids if isinstance(i, str) and i}
    return [row.claim_id for row in table.itertuples()
            if wanted & set(split_ids(row.observation_ids))]
