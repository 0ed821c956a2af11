"""One set of calls for the notebooks, whatever the data: the published snapshot or an export.

With `data` empty the tables come from the published observations
(`published`); with `data` naming a file or folder they are computed from
the fact-checker's own export (`importers` + `activity`). Either way a table
has the same columns, so the same figure functions draw it, and every row
says where it came from (`basis`, `source_id`).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import metrics, load, published
from .errors import ParameterError
from .dates import parse_window, span_label
from .labels import ORIGIN_LABEL, cite, publication_name

EXPORT = "export"
FROM_EXPORT = "computed from the export"


@dataclass(frozen=True)
class Evidence:
    record: load.PublishedRecord         # always loaded: it holds the sources to cite
    imported: object | None = None       # importers.Imported when rerun on an export
    data: str = ""

    @property
    def is_export(self) -> bool:
        return self.imported is not None

    @property
    def fan_counts(self) -> pd.DataFrame:
        table = self.imported.fan_counts if self.is_export else None
        if table is None:
            raise ParameterError(f"{self.data}: the export holds no fan counts by country")
        return table

    @property
    def posts(self) -> pd.DataFrame:
        table = self.imported.posts if self.is_export else None
        if table is None:
            raise ParameterError(f"{self.data}: the export holds no posts")
        return table


def open_evidence(data: str = "", data_format: str = "", page: str = "", zone: str = "") -> Evidence:
    """The published record, plus the imported export when `data` names one: a raw export (a file or
    folder), or the import `make rerun` and `make screen` saved into OUT/data/ (importers/saved.py);
    `zone`: the ZONE parameter (importers/zones.py)."""
    record = load.load_record()
    if not data:
        return Evidence(record)
    from .importers import import_exports
    imported = import_exports(Path(data), format=data_format or None, page=page or None, zone=zone or None)
    return Evidence(record, imported, imported.source or str(data))


def source_line(ev: Evidence, source_ids) -> str:
    if not ev.is_export:
        return cite(ev.record.sources, source_ids)
    files = ", ".join(sorted({p.name for p in ev.imported.files}))
    return f"Source: your own export ({files}; {', '.join(sorted(set(ev.imported.formats)))}), computed by likecheck: not published data"


def source_name(ev: Evidence, source_id) -> str:
    """The publication a row comes from, by name ('BBC Trending'), or 'your export'."""
    if ev.is_export or source_id == EXPORT:
        return "your export"
    return publication_name(ev.record.sources, source_id)


def source_ids(ev: Evidence, table: pd.DataFrame) -> list[str]:
    if ev.is_export:
        return []
    ids = table["source_id"].astype(str).tolist()
    if "also_reported_by" in table:
        ids += [s for s in ";".join(table["also_reported_by"]).split(";") if s]
    return ids


@contextmanager
def naming_the_export(ev: Evidence):
    """Errors about the export's data start with the export's path, so the user knows which files."""
    try:
        yield
    except ParameterError as err:
        if ev.is_export and not str(err).startswith(ev.data):
            raise ParameterError(f"{ev.data}: {err}") from None
        raise


def audience(ev: Evidence, start, end, page: str) -> str:
    """What the counts of the window count: 'fans' (page likes) or 'followers' (Graph API since
    15 Nov 2025). A window whose two ends lie in different eras cannot be compared: an error
    saying where the data switch."""
    if not ev.is_export or ev.imported.fan_counts is None:
        return "fans"
    from .importers import era_switch  # the importers load only with an export
    first, last = parse_window(start, end)
    eras = ev.imported.audience(page)
    era_of = dict(zip(eras["date"], eras["audience"]))
    ends = [era_of.get(day) for day in (first - pd.Timedelta(days=1), last)]
    if None not in ends and ends[0] != ends[1]:
        raise ParameterError(f"{ev.data}: the window {first:%Y-%m-%d} to {last:%Y-%m-%d} straddles the switch "
                             f"from page likes to followers ({era_switch(eras)}); choose START and END "
                             "within one era")
    return next((e for e in reversed(ends) if e), "fans")


def shares_absent_because(grouped: pd.Series, noun: str) -> str:
    """Why shares of the net change would mislead ('' when every part and the total grew)."""
    total = grouped.sum(skipna=True)
    if total < 0:
        return f"the page lost {noun} overall: shares of a net loss are not shown"
    if total == 0:
        return f"the page's {noun} did not change overall: shares of zero are undefined"
    shrinking = [ORIGIN_LABEL[str(o)] for o, v in grouped.items() if pd.notna(v) and v <= 0]
    if shrinking:
        return (f"{' and '.join(shrinking)} did not grow while the page did: shares are shown only when "
                "every part and the total grew")
    return ""


def new_fans_by_origin(ev: Evidence, start, end, page: str) -> pd.DataFrame:
    """Net new fans (or followers) by origin (KH, IN, rest of world), with shares where they mean something.

    From an export the net change may be zero or negative (a purge, a quiet
    page): it is reported as it is; `share_pct` is given only when every part
    and the total grew, and `shares_note` says why it is absent otherwise.
    Published periods: see published.new_fans_by_origin (always gains).
    """
    if not ev.is_export:
        table = published.new_fans_by_origin(ev.record.observations, start, end, page)
        return table.assign(audience="fans", shares_note="")
    first, last = parse_window(start, end)
    with naming_the_export(ev):
        noun = audience(ev, first, last, page)
        grouped = metrics.group_countries(metrics.new_fans(ev.fan_counts, first, last, page))
    note = shares_absent_because(grouped, noun)
    values = grouped.to_numpy(dtype="float64", na_value=np.nan)
    total = float(np.nansum(values))
    return pd.DataFrame({
        "period": span_label(first, last), "period_start": first, "period_end": last,
        "origin": [str(c) for c in grouped.index], "new_fans": values,
        "share_pct": np.full(len(values), np.nan) if note else 100 * values / total,
        "basis": FROM_EXPORT, "qualifier": "exact", "observation_id": "", "source_id": EXPORT,
        "also_reported_by": "", "audience": noun, "shares_note": note})


def gross_change(ev: Evidence, start, end, page: str) -> pd.DataFrame:
    """The page's gross gains and losses over the window, where the export gives them for every day
    (Graph API page_fan_adds and page_fan_removes, or their follower-era metrics); else no rows.

    By page, not by country: the API gives no country split of them.
    """
    columns = ["period", "audience", "gained", "lost", "net"]
    gross = ev.imported.gross if ev.is_export else None
    if gross is None:
        return pd.DataFrame(columns=columns)
    first, last = parse_window(start, end)
    days = gross[(gross["page"] == page) & gross["date"].between(first, last)].dropna(subset=["gained", "lost"])
    if days["date"].nunique() != (last - first).days + 1 or days["audience"].nunique() != 1:
        return pd.DataFrame(columns=columns)
    gained, lost = int(days["gained"].sum()), int(days["lost"].sum())
    return pd.DataFrame({"period": [span_label(first, last)], "audience": days["audience"].iloc[0],
                         "gained": gained, "lost": lost, "net": gained - lost})


def change_headline(table: pd.DataFrame) -> str:
    """A true sentence for any sign: 'The page lost 12,400 fans in 1-14 Apr 2019; in India it lost 30,150'.

    `table`: one period's origins (new_fans, audience). The second clause
    names the origin with the largest loss (losses are what a purge or a
    shrinking country shows), else the one with the largest change.
    """
    noun, period = table["audience"].iloc[0], table["period"].iloc[0]
    values = pd.Series(table["new_fans"].to_numpy(dtype="float64"), index=table["origin"].astype(str)).dropna()
    total = float(values.sum())
    if total == 0:
        sentence = f"The page's {noun} did not change in {period}"
    else:
        sentence = f"The page {'gained' if total > 0 else 'lost'} {abs(total):,.0f} {noun} in {period}"
    if values.empty:
        return sentence
    pick = values.idxmin() if (values < 0).any() else values.abs().idxmax()
    change = values[pick]
    verb = "gained" if change > 0 else "lost" if change < 0 else "had no net change"
    place = {"ZZ": "in the rest of the world", "abroad": "abroad"}.get(pick, f"in {ORIGIN_LABEL[pick]}")
    return f"{sentence}; {place} it {verb}" + (f" {abs(change):,.0f}" if change else "")


def cambodia_india_shares(fan_counts: pd.DataFrame, day, page: str) -> pd.Series:
    """Shares (%) of all fans in KH, IN and the rest at the end of `day` (NaN where not listed)."""
    counts = metrics.group_countries(metrics.fans_on(fan_counts, day, page))
    return metrics.country_shares(counts).set_index("country")["share_pct"]


def fan_shares(ev: Evidence, start, end, page: str) -> pd.DataFrame:
    """Shares of all fans in Cambodia and India at each report date (export: the day before START and END)."""
    if not ev.is_export:
        return published.fan_shares(ev.record.observations, start, end, page)
    first, last = parse_window(start, end)
    rows = []
    for day in (first - pd.Timedelta(days=1), last):
        with naming_the_export(ev):
            shares = cambodia_india_shares(ev.fan_counts, day, page)
        for country in ("KH", "IN"):
            rows.append({"source_id": EXPORT, "date_start": day, "date_end": day, "country": country,
                         "share_pct": shares[country], "qualifier": "exact", "observation_id": "",
                         "as_of": span_label(day, day)})
    return pd.DataFrame(rows).dropna(subset=["share_pct"]).reset_index(drop=True)


def home_shares(ev: Evidence, end, pages=("hun_sen", "sam_rainsy")) -> pd.DataFrame:
    """Each page's share of fans in Cambodia (export: every page in it, at END)."""
    if not ev.is_export:
        table = published.home_shares(ev.record.observations)
        return table[table["page"].isin(pages)].reset_index(drop=True)
    last = parse_window(end, end)[1]
    rows = []
    for page in metrics.pages_in(ev.fan_counts):
        with naming_the_export(ev):
            share = cambodia_india_shares(ev.fan_counts, last, page)["KH"]
        if pd.notna(share):
            rows.append({"page": page, "page_label": page, "country": "KH", "as_of": span_label(last, last),
                         "date_end": last, "home_share_pct": share,
                         "qualifier": "exact", "source_id": EXPORT, "observation_id": ""})
    return pd.DataFrame(rows)


def weekly_engagement_table(ev: Evidence, start, end, page: str) -> pd.DataFrame:
    """The weekly table the engagement figure draws: interactions per 1,000 fans and their changes,
    as published or computed from the export (which adds posts per week, how many had a fan
    count at posting, and the mean per post)."""
    if not ev.is_export:
        table = published.weekly_engagement_as_published(ev.record.observations, start, end, page)
        return table.assign(posts=np.nan, posts_with_fans=np.nan, mean_per_post=np.nan)
    with naming_the_export(ev):
        weekly = metrics.weekly_engagement_from_posts(ev.posts, start, end, page=page)
    values = weekly["interactions_per_1000_fans"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame({
            "week_start": weekly["week_start"], "week_end": weekly["week_end"],
            "interactions_per_1000_fans": values,
            "change": np.r_[np.nan, np.diff(values)],
            "change_pct": weekly["week_on_week_change_pct"].to_numpy(dtype="float64"),
            "change_since_first_pct": 100 * (values / values[0] - 1) if values[0] > 0 else np.nan,
            "source_id": EXPORT, "observation_id": "",
            "posts": weekly["posts"].to_numpy(), "posts_with_fans": weekly["posts_with_fans"].to_numpy(),
            "mean_per_post": weekly["mean_per_post"].to_numpy()})


def posts_audience(ev: Evidence) -> str:
    """What engagement is per 1,000 of: 'fans' (published; Likes at Posting) or 'followers'."""
    return ev.imported.posts_audience if ev.is_export else "fans"


def import_report(ev: Evidence) -> str:
    """The import report of the export (Markdown), the same that `make rerun` writes into OUT."""
    from .importers.report import import_report as report
    return report(ev.imported)
