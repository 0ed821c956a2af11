"""The rows a screen returns (`COLUMNS`), their notes, and the table as screening.csv writes it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..labels import country_name
from .settings import NEEDS, SIGNALS

COLUMNS = ["page", "signal", "country", "start", "end", "flagged", "score", "threshold", "excess", "note"]


CAVEAT = "A reason to look, not proof of purchase"
NOTES = {
    "country_surge": (
        "{Country} gained {excess:,.0f} fans or followers more than its recent share of the page's growth "
        "predicts. " + CAVEAT + ": a news event, a viral post or a paid promotion aimed at {country}, or a "
        "change in how Facebook places accounts, can do the same."),
    "fan_jump": (
        "The page gained {excess:,.0f} fans or followers more than its recent daily growth predicts, while "
        "its posts earned at most {ratio:.1f}x their usual interactions. " + CAVEAT + ": a paid page-like "
        "campaign, a news event, a viral post shared beyond the page, or Facebook restoring or merging "
        "accounts can do the same."),
    "origin_shift": (
        "{share:.0f}% of the period's new fans or followers were abroad against {base:.0f}% of all of them "
        "before it. " + CAVEAT + ": a promotion aimed abroad, international news coverage or a viral post "
        "abroad can do the same; Facebook's clean-ups of fake accounts shift these shares too."),
    "engagement_dilution": (
        "Interactions per 1,000 fans or followers fell {fall:.0f}% below their median of the {span} days before while "
        "interactions per post changed {ipp:+.0f}%. " + CAVEAT + ": fans or followers gained through a "
        "promotion who rarely interact, a change in what the export counts, or Facebook's own clean-ups "
        "(of the interactions) can do the same."),
}
QUIET_NOTE = "Nothing reached the threshold; score is the highest of the span (a reason to look needs more)."
SHORT_NOTE = ("Too little data to screen: a day is scored only against a baseline of the {window} days "
              "(or blocks) before it.")
#: Why a signal scored nothing, naming the minimum missed (origin_shift says its own: `peak.attrs['why']`).
SHORT_NOTES = {
    "country_surge": ("Too little data to screen: a country's day is scored only with at least {half} daily "
                      "changes of its own and of the page before it (half the {window}-day window) and a page "
                      "that grew in them; the data never had both."),
    "fan_jump": ("Too little data to screen: a jump is scored only with at least {half} intervals between days "
                 "with posts before it (half the {window}-day window); the data never had that many."),
    "origin_shift": SHORT_NOTE,
    "engagement_dilution": ("Too little data to screen: a block of {window} days is scored only against an "
                            "earlier block, each with at least {min_posts} posts; the data never had two."),
}
#: The start of the notes of rows that were not screened: their `flagged` is blank in screening.csv.
NOT_SCREENED = ("Not screened", "Too little data")
FAN_JUMP_VIRAL_NOTE = (
    "The page gained {excess:,.0f} fans or followers more than its recent daily growth predicts, but its posts "
    "earned {ratio:.1f}x their usual interactions: this looks like a viral post, so it is not flagged.")


def country_surge_note(code, excess: float) -> str:
    """The note of a country surge, naming the country as a reader does ('The Philippines gained ...,
    aimed at the Philippines'); the row's country column keeps the code, for programs."""
    name = country_name(code, in_sentence=True)
    return NOTES["country_surge"].format(Country=name[:1].upper() + name[1:], country=name, excess=excess)


def _rows(signal: str, page, country, start, end, flagged, score, threshold, excess, note) -> pd.DataFrame:
    n = len(page)
    return pd.DataFrame({
        "page": pd.array(page, dtype=object), "signal": [signal] * n,
        "country": pd.array(country if country is not None else [""] * n, dtype=object),
        "start": pd.DatetimeIndex(start).astype("datetime64[ns]"),
        "end": pd.DatetimeIndex(end).astype("datetime64[ns]"),
        "flagged": np.broadcast_to(np.asarray(flagged, dtype=bool), (n,)).copy(),
        "score": np.asarray(score, dtype="float64"),
        "threshold": np.full(n, float(threshold)),
        "excess": np.asarray(excess, dtype="float64"), "note": pd.array(note, dtype=object)},
        columns=COLUMNS)


def empty_rows() -> pd.DataFrame:
    return _rows("", [], None, [], [], [], [], 0, [], [])


def _quiet_rows(found: pd.DataFrame, peaks: dict, spans: dict, s: dict) -> pd.DataFrame:
    """One row per page and signal that reported nothing: its highest score, or why it was not screened."""
    every = pd.concat(spans.values()).groupby(level=0).agg(start=("start", "min"), end=("end", "max"))
    reported = set(zip(found["page"], found["signal"]))
    parts = []
    for signal in SIGNALS:  # four signals, not pages or days
        quiet = [p for p in every.index if (p, signal) not in reported]
        span = spans.get(NEEDS[signal])
        held = [p for p in quiet if span is not None and p in span.index]
        missing = [p for p in quiet if p not in held]
        if held:
            why = peaks[signal].attrs.get("why", {})
            peak = peaks[signal].reindex(held).to_numpy(dtype="float64")
            short = SHORT_NOTES[signal].format(window=s[signal]["window"], half=max(1, s[signal]["window"] // 2),
                                               min_posts=s[signal].get("min_posts", 0))
            notes = [QUIET_NOTE if not np.isnan(v) else why.get(p, short) for p, v in zip(held, peak)]
            parts.append(_rows(signal, held, None, span.loc[held, "start"], span.loc[held, "end"], False, peak,
                               s[signal]["threshold"], np.where(np.isnan(peak), np.nan, 0.0), notes))
        if missing:
            note = f"Not screened: this signal needs {NEEDS[signal].replace('_', ' ')} of the page, which the data lack."
            parts.append(_rows(signal, missing, None, every.loc[missing, "start"], every.loc[missing, "end"], False,
                               np.full(len(missing), np.nan), s[signal]["threshold"],
                               np.full(len(missing), np.nan), [note] * len(missing)))
    return pd.concat(parts, ignore_index=True) if parts else empty_rows()


def csv_ready(table: pd.DataFrame) -> pd.DataFrame:
    """The screen's table as screening.csv writes it: flagged as true/false, blank where the signal was
    not screened (no data for it, or too little: the note says which minimum was missed); scores to 4 decimals."""
    screened = ~table["note"].astype(str).str.startswith(NOT_SCREENED)
    return table.assign(flagged=np.where(~screened, "", np.where(table["flagged"], "true", "false")),
                        score=table["score"].round(4), excess=table["excess"].round(1))
