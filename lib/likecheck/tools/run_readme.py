"""The README.md of a rerun's folder, and the import report of a rerun on the published record.

A reader opening OUT finds, in README.md: what was run on what (the parameters, the data, the page,
its home and how it was chosen), the headline numbers as the CSVs hold them (exact, an interval or
unknown, said so: never `nan`), what to open first, and every caveat of the import. Every number is
read from what the notebooks wrote (figures/*.csv) or from the import, never typed in.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import evidence, published
from ..dates import span_label
from ..importers.report import day_ranges, list_lines

OPEN_FIRST = [
    ("figures/like_origin_new_fans.png", "where the window's new fans came from (its numbers: the .csv beside it)"),
    ("import_report.md", "what was read, and what the data can and cannot tell"),
    ("html/01_like_origin.html", "every step of the like-origin notebook, with its tables"),
    ("figures/engagement_weekly.png", "interactions per 1,000 fans a week, where the data hold posts"),
]


def said(row) -> str:
    """One origin's number as the CSV holds it: exact, an interval, or unknown with the reason."""
    kind = row.get("kind", row.get("qualifier", "exact"))
    if kind == "unknown" or (kind == "exact" and pd.isna(row["new_fans"])):
        return "unknown" + (f" ({row['why']})" if isinstance(row.get("why"), str) and row["why"] else "")
    if kind == "interval":
        text = f"between {row['low']:+,.0f} and {row['high']:+,.0f}"
        return text + (f" ({row['why']})" if isinstance(row.get("why"), str) and row["why"] else "")
    value = f"{row['new_fans']:+,.0f}"
    if pd.notna(row.get("share_pct")):
        value += f" ({row['share_pct']:.1f}%)"
    return value + ("" if kind == "exact" else f" ({kind}, as published)")


def headline_lines(folder: Path) -> list[str]:
    """The headline numbers of the new-fans figure, read back from its CSV."""
    path = folder / "figures" / "like_origin_new_fans.csv"
    if not path.is_file():
        return ["- no like-origin figure was drawn (the data hold no fan counts by country for this window)"]
    table = pd.read_csv(path, keep_default_na=False, na_values=[""])
    lines = []
    for period, rows in table.groupby("period", sort=False):
        lines.append(f"- {period}:")
        lines += [f"  - {evidence.place_name(str(r['origin']))}: {said(r)}" for _, r in rows.iterrows()]
        note = rows["shares_note"].dropna()
        if len(note) and note.iloc[0]:
            lines.append(f"  - {note.iloc[0]}")
    return lines


def coverage_lines(record, first, last, page: str) -> list[str]:
    """Which published periods lie inside the window, which it cuts, and which days nothing covers."""
    found = published.coverage(record.observations, first, last, page)

    def period(r) -> str:
        what = r.metric.replace("_", " ") + (f" {r.country}" if isinstance(r.country, str) and r.country else "")
        return f"{what}, {span_label(r.date_start, r.date_end)} ({r.source_id}, {r.observation_id})"

    lines = ["- published periods inside the window (drawn): "
             + ("; ".join(period(r) for r in found["inside"].itertuples()) or "none")]
    lines.append("- published periods the window cuts (left out: a part of a period is not published): "
                 + ("; ".join(period(r) for r in found["cut"].itertuples()) or "none"))
    lines.append("- days of the window no published period covers: "
                 + (day_ranges(found["uncovered"]) if found["uncovered"] else "none"))
    return lines


def published_report(ev, first, last, page: str) -> str:
    """The import report of a rerun on the published record: the sources used and the periods covered."""
    found = published.coverage(ev.record.observations, first, last, page)
    ids = list(dict.fromkeys(found["inside"]["source_id"].astype(str)))
    lines = ["# Import report", "", "## Data", "",
             "- the published record (data/observations.csv): numbers printed by the sources below, each with its "
             "qualifier (exact, approximately, more than, ...)", "",
             "## Sources used", ""]
    lines += [f"- {evidence.cite(ev.record.sources, [sid]).removeprefix('Source: ')} ({sid})" for sid in ids] or ["- none"]
    lines += ["", f"## The window {first:%Y-%m-%d} to {last:%Y-%m-%d}, page {page}", ""]
    lines += coverage_lines(ev.record, first, last, page)
    return "\n".join(lines) + "\n"


def run_readme(folder: Path, ev, params: dict, home: tuple[str, str], top: int) -> str:
    """README.md of a rerun's folder (see the module docstring)."""
    first, last = pd.Timestamp(params["start"]), pd.Timestamp(params["end"])
    data = f"your export {Path(params['data']).name}" if ev.is_export else "the published record (data/)"
    lines = ["# A likecheck rerun", "",
             f"- run on: {data}", f"- page: {params['page']}",
             f"- window: {first:%Y-%m-%d} to {last:%Y-%m-%d} ({span_label(first, last)}), both days included",
             f"- home country: {evidence.place_name(home[0]) if home[0] else 'none drawn'} ({home[1]})",
             f"- countries drawn beside home: up to {top} (TOP), those whose fans changed most in the window",
             "", "## Open first", ""]
    lines += [f"{i}. `{name}`: {what}" for i, (name, what) in enumerate(
        [item for item in OPEN_FIRST if (folder / item[0]).exists()], start=1)]
    lines += ["", "## Headline numbers", "",
              "Net change from the end of the day before the window to the end of its last day. A number is "
              "exact, an interval (between low and high: a country missing from a day's list of top countries) "
              "or unknown, and says which; the CSVs hold `low` and `high` beside every number that is not exact.", ""]
    lines += headline_lines(folder)
    lines += ["", "## Caveats", ""]
    if ev.is_export:
        caveats = list_lines(ev.imported) if ev.imported.fan_counts is not None else [
            "- the export holds no fan counts by country: no origin of fans is drawn"]
        changes = evidence.lists.list_changes(ev.imported.fan_counts, params["page"], first, last) \
            if ev.imported.fan_counts is not None else {"entered": [], "left": []}
        for what in ("entered", "left"):
            if changes[what]:
                caveats.append(f"- in the window, countries that {what} the list: "
                               + ", ".join(f"{c} {d:%Y-%m-%d}" for c, d in changes[what]))
        lines += caveats + ["- the full import report: `import_report.md`"]
    else:
        lines += coverage_lines(ev.record, first, last, params["page"])
        lines.append("- the sources used: `import_report.md`")
    lines += ["- these numbers show where accounts that liked the page were located, by Facebook's attribution; "
              "not who controls them, nor whether any like was paid for"]
    return "\n".join(lines) + "\n"


def screen_readme(folder: Path, ev, params: dict) -> str:
    """README.md of a screen's folder: what was screened, what was flagged, what was not screened and why,
    and what to open first; counted from the screening.csv the notebook wrote."""
    table = pd.read_csv(folder / "screening.csv", keep_default_na=False, dtype={"flagged": str})
    data = f"your export {Path(params['data']).name}" if ev.is_export else "a SIMULATED demonstration (synthetic)"
    lines = ["# A likecheck screen", "", f"- screened: {data}",
             f"- pages: {', '.join(sorted(set(table['page'].astype(str))))}",
             "- home of origin_shift: " + (params.get("home_country") or "each page's largest country on its first day"),
             "", "## Open first", "",
             "1. `screening.csv`: one row per signal, page and period; `flagged` true, false, or blank where the "
             "signal was not screened (the note says why)"]
    if (folder / "import_report.md").is_file():
        lines.append("2. `import_report.md`: what was read, and what the data can and cannot tell")
    lines += [f"{len(lines) - 7}. `html/05_screening.html`: every step, with the figures of the flagged periods",
              "", "## What the screen found", ""]
    for signal, rows in table.groupby("signal", sort=False):
        flagged = rows[rows["flagged"] == "true"]
        unscreened = rows[rows["flagged"] == ""]
        text = f"- {signal}: {len(flagged)} flagged period(s)"
        if len(unscreened):
            text += "; not screened on " + "; ".join(f"{r.page} ({r.note})" for r in unscreened.itertuples())
        lines.append(text)
    lines += ["", "A flagged period is a reason to look, not proof of purchase: each row's note says what else "
              "produces the same sign (docs/reruns.md, *The screen's rules*)."]
    return "\n".join(lines) + "\n"
