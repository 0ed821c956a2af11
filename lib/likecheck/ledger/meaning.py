"""What a ledger row says besides its verdict: its units, what its recomputed value is, how strong its check is.

All computed, never typed in (docs/ledger.md explains how to read them): `value_or_bound` (the
row's `recomputed_is`: a value, or a bound when an input is printed as one), `observation_unit`
and `recomputed_unit` (the row's `claimed_unit` and `recomputed_unit`), and `strength`
(independent, internal, order). `recomputed_unit` and `strength` ask the build's resolver about
the numbers a claim uses; they take it as any object that `Resolves`, so this module stays below
build.py and the package has no loop.
"""

from __future__ import annotations

from typing import Protocol, Sequence

import numpy as np

from ..load import parse_inputs
from .printed import LOWER_BOUND, NOT_CHECKABLE, UPPER_BOUND, VALUE, CheckResult, Printed


class Resolves(Protocol):
    """What `recomputed_unit` and `strength` ask of the resolver (build.py's `_Resolver`)."""

    def unit(self, term: str) -> str: ...

    def sources(self, claim_id: str) -> set[str]: ...


#: How strong a check is (the ledger's `strength`): against a number from another publication;
#: the article's own numbers against each other; or only a comparison (larger, smaller, fits
#: within), whatever the sources. Empty for a claim not checked.
INDEPENDENT, INTERNAL, ORDER = "independent", "internal", "order"
STRENGTHS = (INDEPENDENT, INTERNAL, ORDER)


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


def recomputed_unit(row, resolver: Resolves) -> str:
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


def strength(row, result: CheckResult, resolver: Resolves) -> str:
    """How strong a claim's check is: order (only a comparison), independent (a number from
    another publication than the claim's), internal (the article's own numbers); empty when
    the claim is not checked."""
    if result.verdict == NOT_CHECKABLE:
        return ""
    if result.order_only:
        return ORDER
    return INDEPENDENT if resolver.sources(row.claim_id) - {str(row.source_id)} else INTERNAL
