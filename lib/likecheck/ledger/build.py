"""From the claims table to the ledger: the resolver, `build_ledger`, and the ledger read back.

`build_ledger(record)` runs every claim of data/claims.csv: `_Resolver` looks each id up (an
observation, a reference figure, an event, a page count, or another claim's result), `run_claim`
calls the claim's check from `CHECKS`. Then, for the notebook and the site: `tally`, `headline`,
`by_article`, `with_verdict`, `cited_sources`, `rows_citing`, `results`.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import replace

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..load import PublishedRecord, input_ids, parse_inputs, split_ids
from ..published import printed_bounds
from ..schemas import LIST_INPUTS, RECHECKED
from .checks import CHECKS
from .meaning import INDEPENDENT, INTERNAL, ORDER, observation_unit, recomputed_unit, strength
from .printed import (CONSISTENT, INCONSISTENT, NOT_CHECKABLE, CheckResult, Printed, _interval,
                      corner_range, counted, number, quoted)

COLUMNS = ["claim_id", "source_id", "claim", "claimed_value", "claimed_unit", "recomputed_value",
           "recomputed_unit", "recomputed_is", "verdict", "strength", "observation_ids", "note", "check",
           "interval_low", "interval_high"]


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
