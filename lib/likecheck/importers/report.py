"""The import report: what was read, and what was done to it, as Markdown.

A pure function of an `Imported`, so that `make rerun` writes it into OUT
(import_report.md) and the notebooks show the same facts. Every number in
it is counted from the import, never typed in.

Every string that comes from the export or its path (file names, page names
and aliases, what a skipped file held) goes through `escape.markdown`: a
page's owner chooses its name, and a name like `<img src=x onerror=...>` or
a file name holding a line break and a fake table row must show as typed,
never as markup or as another row.
"""

from __future__ import annotations

import pandas as pd

from ..escape import markdown as md
from ..lists import day_lists, list_changes
from ..schemas import REST_OF_WORLD
from .analyses import feeds_line
from .result import era_switch

def missing_days(days) -> list[pd.Timestamp]:
    """The days between the first and the last of `days` that are not among them."""
    days = pd.DatetimeIndex(pd.Series(days).dropna().unique()).sort_values()
    if days.empty:
        return []
    return list(pd.date_range(days[0], days[-1], freq="D").difference(days))


def day_ranges(days: list[pd.Timestamp]) -> str:
    """'2016-03-10, 2016-03-12 to 2016-03-14': consecutive days joined."""
    spans, start = [], None
    for i, day in enumerate(days):
        start = day if start is None else start
        if i + 1 == len(days) or days[i + 1] - day != pd.Timedelta(days=1):
            spans.append(f"{start:%Y-%m-%d}" + ("" if start == day else f" to {day:%Y-%m-%d}"))
            start = None
    return ", ".join(spans)


def _rows_text(rows: list[int], shown: int = 20) -> str:
    text = ", ".join(str(r) for r in rows[:shown])
    return text + (f" and {len(rows) - shown} more" if len(rows) > shown else "")


def list_lines(imported) -> list[str]:
    """What the import knew of each page's total and of its lists of countries (lists.py), per file and page."""
    lines = [f"- the page's total in {md(path.name)}: {md(what)}" for path, what in imported.totals_known]
    tidy = [md(r.path.name) for r in imported.read if r.format == "tidy-fans"]
    lines += [f"- the page's total in {name}: given on the days the file has {REST_OF_WORLD} (the rest of the "
              "world); on other days it is unknown" for name in tidy]
    lines.append(f"- rest of world ({REST_OF_WORLD}) is stored only on days with both the total and a country "
                 "listed: the total minus the listed countries; a country not listed on a day has between 0 and "
                 "the smallest listed count, exactly 0 when the listed countries sum to the total")
    table = day_lists(imported.fan_counts, imported.bare_totals)
    for page, days in table.groupby("page"):
        bare = days.loc[days["listed"] == 0, "date"].tolist()
        without_total = days.loc[~days["total_given"], "date"].tolist()
        exhausted = int(days["exhausts"].sum())
        lines.append(f"- {md(page)}: at most {int(days['listed'].max())} countries listed a day; "
                     f"days whose listed countries sum to the total: {exhausted}; "
                     + (f"days without a country breakdown (total only, countries unknown): {day_ranges(bare)}"
                        if bare else "no day without a country breakdown")
                     + (f"; days without the total: {day_ranges(without_total)}" if without_total else ""))
        first, last = days["date"].min(), days["date"].max()
        changes = list_changes(imported.fan_counts, page, first + pd.Timedelta(days=1), last)
        for what in ("entered", "left"):
            moved = changes[what]
            if moved:
                shown = ", ".join(f"{c} {d:%Y-%m-%d}" for c, d in moved[:20])
                more = f" and {len(moved) - 20} more" if len(moved) > 20 else ""
                lines.append(f"  - countries that {what} the list: {shown}{more}")
    return lines


def report_lines(imported) -> list[str]:
    """The report as Markdown lines (see the module docstring)."""
    lines = ["# Import report", "", "## Files read", "",
             "| file | format | holds | SHA-256 |", "|---|---|---|---|"]
    lines += [f"| {md(r.path.name)} | {r.format} | {r.holds} | `{r.sha256}` |" for r in imported.read]
    lines += ["", "## What each file can feed", ""]
    lines += [feeds_line(md(r.path.name), r.format, r.holds) for r in imported.read]
    if imported.notes:
        lines += ["", "## How the files were read", ""]
        lines += [f"- {md(path.name)}: {md(note)}" for path, note in imported.notes]
    if imported.skipped:
        lines += ["", "## Files skipped (not exports)", ""]
        lines += [f"- {md(path.name)}: {md(why)}" for path, why in imported.skipped]
    lines += ["", "## Pages", ""]
    labels = set()
    for table in (imported.fan_counts, imported.posts):
        if table is not None:
            labels |= {str(p) for p in table["page"].unique()}
    for label in sorted(labels):
        also = sorted(a for a, name in imported.aliases.items() if name == label and a != label)
        lines.append(f"- {md(label)}" + (f" (also known as {', '.join(map(md, also))})" if also else ""))
    if imported.fan_counts is not None:
        lines += ["", "## Fan and follower counts by country", ""]
        for page, rows in imported.fan_counts.groupby("page", observed=True):
            eras = imported.audience(str(page))
            held = " and ".join(sorted(set(eras["audience"]))) or "fans"
            gaps = missing_days(rows["date"])
            lines.append(f"- {md(page)}: {held}, {rows['date'].min():%Y-%m-%d} to {rows['date'].max():%Y-%m-%d} "
                         f"({rows['date'].nunique()} days); "
                         + (f"days missing: {day_ranges(gaps)}" if gaps else "no day missing"))
            switch = era_switch(eras)
            if switch:
                lines.append(f"  - the counts switch eras: {switch} (Meta retired page_fans on 15 Nov 2025); "
                             "a window must lie in one era")
        if imported.gross is not None:
            lines.append(f"- the page's daily gross changes (page_fan_adds and page_fan_removes, or the follower "
                         f"metrics) are given for {imported.gross['date'].nunique()} days")
        if imported.eras_overlap:
            lines.append(f"- days given in both eras (the followers' counts are used): "
                         f"{', '.join(imported.eras_overlap)}")
        lines.append(f"- counts given twice (overlapping responses or files), identical, kept once: "
                     f"{imported.repeats_dropped.get('fan_counts', 0):,}")
        lines += list_lines(imported)
    if imported.posts is not None:
        posts = imported.posts
        lines += ["", "## Posts", ""]
        for page, rows in posts.groupby("page", observed=True):
            lines.append(f"- {md(page)}: {len(rows):,} posts, {rows['posted_at'].min():%Y-%m-%d %H:%M} to "
                         f"{rows['posted_at'].max():%Y-%m-%d %H:%M} UTC")
        lines.append(f"- the count at posting counts: {imported.posts_audience}")
        without = posts["fans_at_posting"].isna().sum()
        lines.append(f"- posts without a fan count at posting (kept in the posts per week, left out of the "
                     f"per-1,000-fans sums): {without:,}")
        by_file: dict = {}
        for path, row in imported.posts_without_fans:
            by_file.setdefault(path.name, []).append(row)
        lines += [f"  - {md(name)}, rows {_rows_text(rows)}" for name, rows in by_file.items()]
        lines.append(f"- posts found in more than one file, kept once: {imported.repeats_dropped.get('posts', 0):,}")
        lines.append(f"- of these, posts whose counts a newer download updated (the newest download wins): "
                     f"{imported.posts_updated:,}")
        lines += [f"  - {md(path.name)} downloaded {when} (from {how})" for path, when, how in imported.download_times]
    return lines


def import_report(imported) -> str:
    """The import report as one Markdown document."""
    return "\n".join(report_lines(imported)) + "\n"
