"""The checks: one small public function per kind of check, and `CHECKS`, every one by name.

Each takes `Printed` numbers (or plain numbers, exact values) and returns one `CheckResult`;
the package's docstring (likecheck.ledger) lists them for a student to call.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ..dates import day_in_words
from ..errors import ParameterError
from ..record import Count, growth
from .meaning import value_or_bound
from .printed import (CONSISTENT, COUNT, DIFFERENCE, INCONSISTENT, MEAN, MEDIAN, NOT_CHECKABLE,
                      UPPER_BOUND, VALUE, CheckResult, Printed, _against, _interval, corner_range,
                      dated, number, overlaps, quoted, span, to_printed)

#: Days in a calendar year, common and leap: a daily rate over "a year".
YEAR_DAYS = (365, 366)
#: Mean length of a Gregorian year in days, for years between two dates.
DAYS_PER_YEAR = 365.2425


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
    when = f" (dated up to {day_in_words(before.end, year=False)})" if before.end is not None else ""
    since = f" {day_in_words(gained.start, year=False)}" if gained.start is not None else " the gain"
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
    note = (f"from {quoted(since)} to {day_in_words(claimed.end)} is {years:.1f} years; {said}")
    return CheckResult("time_since", years, low, years, verdict, note,
                       recomputed_is=UPPER_BOUND if low < years else VALUE)


def _when(p: Printed) -> str:
    """'25 Jan 2016 18:50', '2 Feb 2016' or '2-9 Feb 2016': the moments a count may have been read."""
    if p.start == p.end:
        return f"{day_in_words(p.start, short=True)} {p.start:%H:%M}"
    last = p.end - pd.Timedelta(days=1)
    if last == p.start:
        return day_in_words(p.start, short=True)
    if (p.start.year, p.start.month) == (last.year, last.month):
        return f"{p.start.day}-{day_in_words(last, short=True)}"
    return f"{day_in_words(p.start, short=True)} to {day_in_words(last, short=True)}"


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
