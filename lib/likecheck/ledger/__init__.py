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

# The package's rooms (docs/architecture.md): printed.py (Printed, CheckResult, the verdicts, the
# interval helpers) <- meaning.py (units, recomputed_is, strength) <- checks.py (the checks,
# CHECKS) <- build.py (the resolver, build_ledger, the ledger read back). Below, the names the
# notebooks, the guide, exercises.py, the docs and the tests call as `ledger.<name>`.
from .build import (COLUMNS, build_ledger, by_article, cited_sources, combine, failed_headline,
                    from_observation, headline, held_headline, results, rows_citing, tally,
                    with_verdict)
from .checks import (CHECKS, cross_source_agreement, currency_conversion, dated_counts,
                     declines_in_a_row, implied_total, larger_than, not_checkable, rate_over_time,
                     reference_comparison, rounding_interval, share_after_gain, share_before_gain,
                     share_of_total, time_since)
from .meaning import recomputed_unit, strength, value_or_bound
from .printed import (CONSISTENT, INCONSISTENT, NOT_CHECKABLE, CheckResult, Printed, counted, dated,
                      printed)

__all__ = ["CHECKS", "COLUMNS", "CONSISTENT", "INCONSISTENT", "NOT_CHECKABLE", "CheckResult", "Printed",
           "build_ledger", "by_article", "cited_sources", "combine", "counted", "cross_source_agreement",
           "currency_conversion", "dated", "dated_counts", "declines_in_a_row", "failed_headline",
           "from_observation", "headline", "held_headline", "implied_total", "larger_than",
           "not_checkable", "printed", "rate_over_time", "recomputed_unit", "reference_comparison",
           "results", "rounding_interval", "rows_citing", "share_after_gain", "share_before_gain",
           "share_of_total", "strength", "tally", "time_since", "value_or_bound", "with_verdict"]
