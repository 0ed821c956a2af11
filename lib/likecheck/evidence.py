"""One set of calls for the notebooks, whatever the data: the published snapshot or an export.

With `data` empty the tables come from the published observations
(`published`); with `data` naming a file or folder they are computed from
the fact-checker's own export (`importers` + `activity`). Either way a table
has the same columns, so the same figure functions draw it, and every row
says where it came from (`basis`, `source_id`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import metrics, load, published, style
from .errors import ParameterError
from .published import parse_window, span_label

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


def open_evidence(data: str = "", data_format: str = "", page: str = "") -> Evidence:
    """The published record, plus the imported export when `data` names one."""
    record = load.load_record()
    if not data:
        return Evidence(record)
    from .importers import import_exports
    imported = import_exports(Path(data), format=data_format or None, page=page or None)
    return Evidence(record, imported, str(data))


def source_line(ev: Evidence, source_ids) -> str:
    if not ev.is_export:
        return style.cite(ev.record.sources, source_ids)
    files = ", ".join(sorted({p.name for p in ev.imported.files}))
    return f"Source: your own export ({files}; {', '.join(sorted(set(ev.imported.formats)))}), computed by likecheck: not published data"


def source_ids(ev: Evidence, table: pd.DataFrame) -> list[str]:
    if ev.is_export:
        return []
    ids = table["source_id"].astype(str).tolist()
    if "also_reported_by" in table:
        ids += [s for s in ";".join(table["also_reported_by"]).split(";") if s]
    return ids


def new_fans_by_origin(ev: Evidence, start, end, page: str) -> pd.DataFrame:
    """New fans by origin (KH, IN, rest of world) with shares; see published.new_fans_by_origin."""
    if not ev.is_export:
        return published.new_fans_by_origin(ev.record.observations, start, end, page)
    first, last = parse_window(start, end)
    grouped = metrics.group_countries(metrics.new_fans(ev.fan_counts, first, last, page))
    total = float(grouped.sum(skipna=True))
    if total <= 0:
        raise ParameterError(f"{ev.data}: the page gained no fans from {first:%Y-%m-%d} to {last:%Y-%m-%d}")
    return pd.DataFrame({
        "period": span_label(first, last), "period_start": first, "period_end": last,
        "origin": [str(c) for c in grouped.index],
        "new_fans": grouped.to_numpy(dtype="float64", na_value=np.nan),
        "share_pct": 100 * grouped.to_numpy(dtype="float64", na_value=np.nan) / total,
        "basis": FROM_EXPORT, "qualifier": "exact", "observation_id": "", "source_id": EXPORT,
        "also_reported_by": ""})


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
        share = cambodia_india_shares(ev.fan_counts, last, page)["KH"]
        if pd.notna(share):
            rows.append({"page": page, "page_label": page, "country": "KH", "as_of": span_label(last, last),
                         "date_end": last, "home_share_pct": share,
                         "qualifier": "exact", "source_id": EXPORT, "observation_id": ""})
    return pd.DataFrame(rows)


def weekly_engagement(ev: Evidence, start, end, page: str) -> pd.DataFrame:
    """Weekly interactions per 1,000 fans with changes; from an export also posts per week and mean per post."""
    if not ev.is_export:
        table = published.weekly_engagement(ev.record.observations, start, end, page)
        return table.assign(posts=np.nan, mean_per_post=np.nan)
    weekly = metrics.weekly_engagement(ev.posts, start, end, page=page)
    values = weekly["interactions_per_1000_fans"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame({
            "week_start": weekly["week_start"], "week_end": weekly["week_end"],
            "interactions_per_1000_fans": values,
            "change": np.r_[np.nan, np.diff(values)],
            "change_pct": weekly["week_on_week_change_pct"].to_numpy(dtype="float64"),
            "change_since_first_pct": 100 * (values / values[0] - 1) if values[0] > 0 else np.nan,
            "source_id": EXPORT, "observation_id": "",
            "posts": weekly["posts"].to_numpy(), "mean_per_post": weekly["mean_per_post"].to_numpy()})
