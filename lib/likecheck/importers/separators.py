"""Thousands and decimal separators, told from the file itself (never from a locale setting).

A CrowdTangle dashboard wrote its numbers in its owner's language: "407,137"
in English, "407.137" in Portuguese, Spanish or Indonesian, "407 137" (a
space or a no-break space) in French, "407'137" in Swiss German; and its one
decimal column, the Overperforming Score, as "1.4" or "1,4". A count is a
whole number, so a mark inside a count can only group thousands; which mark
it is is read from the file:

1. the count columns' values as a whole: every count written with a mark
   must read as digits grouped by threes with that one mark;
2. a decimal column's values: "1,4" (a comma followed by other than three
   digits) is a decimal comma, so the comma cannot group thousands there;
3. Total Interactions against the sum of its parts (the reaction, comment
   and share columns), read with each candidate: the reading that makes them
   agree is the file's (reported as evidence: a 2016 post's total may also
   count the short-lived Thankful reaction, which has no column).

A file whose counts use two marks, or none that fits, is refused with the
cell. With no mark in the part read (small counts only), the comma is
assumed unless a decimal comma rules it out (then the dot), and a later
count written otherwise is refused with its row.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError
from .common import find_column

#: Marks that group thousands in some language, in the order preferred when the file cannot tell.
GROUP_MARKS = (",", ".", " ", "\u00a0", "\u202f", "'")
MARK_NAMES = {",": "comma", ".": "dot", " ": "space", "\u00a0": "no-break space",
              "\u202f": "narrow no-break space", "'": "apostrophe"}
#: Count columns of a CrowdTangle dashboard export (and of 4CAT's copy of it).
COUNT_COLUMNS = ("Total Interactions", "Likes at Posting", "Page Likes at Posting", "Followers at Posting",
                 "Likes", "Comments", "Shares", "Love", "Wow", "Haha", "Sad", "Angry", "Care",
                 "Post Views", "Total Views", "Total Views For All Crossposts", "page_likes", "page_followers")
PARTS = ("Likes", "Comments", "Shares", "Love", "Wow", "Haha", "Sad", "Angry", "Care")
DECIMAL_COLUMNS = ("Overperforming Score", "overperforming_score")
#: How much of a file is read to tell its separators (the rest is read by the importer).
SAMPLE_BYTES = 1 << 20  # some 2,000 posts: enough to see the marks, a fraction of a second
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,(?!\d{3}$)\d+$")
_DECIMAL_POINT = re.compile(r"^[+-]?\d+\.(?!\d{3}$)\d+$")


@dataclass(frozen=True)
class NumberStyle:
    """How a file writes its numbers, and why we think so (a clause for the import report)."""
    thousands: str = ","
    decimal: str = "."
    evidence: str = "no count in the file is written with a thousands mark"

    def describe(self) -> str:
        return (f"thousands separator {MARK_NAMES[self.thousands]} ({self.thousands!r}), decimal "
                f"{MARK_NAMES.get(self.decimal, self.decimal)}: {self.evidence}")


_GROUPED = {m: re.compile(rf"^\d{{1,3}}(?:{re.escape(m)}\d{{3}})+$") for m in GROUP_MARKS}
_ANY_GROUPED = re.compile(rf"^\d{{1,3}}(?:[{re.escape(''.join(GROUP_MARKS))}]\d{{3}})+$")


def grouped(mark: str) -> re.Pattern:
    return _GROUPED[mark]


def whole_number(text: str, thousands: str) -> int | None:
    """A count written with `thousands` grouping it (or none); None when it is not one."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if grouped(thousands).match(text):
        return int(text.replace(thousands, ""))
    return None


def sample_rows(path, limit: int = SAMPLE_BYTES) -> tuple[list[str], list[list[str]]]:
    """The header and the records in the first `limit` bytes of a CSV file (the last, maybe cut, dropped)."""
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    complete = len(data) <= limit
    text = data[:limit].decode("utf-8-sig", errors="replace")
    records = []
    try:
        for record in csv.reader(io.StringIO(text, newline="")):
            records.append(record)
    except csv.Error:  # a cell beyond csv's field limit: the importer reads it and names its row
        complete = False
    if not complete and len(records) > 1:
        records = records[:-1]
    return (records[0] if records else []), records[1:]


def number_style(path, header: list[str], rows: list[list[str]]) -> NumberStyle:
    """The separators of a CSV export, from its header and sampled rows (see the module docstring)."""
    index = {name: i for name in COUNT_COLUMNS + DECIMAL_COLUMNS
             if (found := find_column(header, name)) is not None for i in [header.index(found)]}
    def cells(name):
        i = index.get(name)
        return [] if i is None else [(n, r[i].strip()) for n, r in enumerate(rows, 1) if i < len(r) and r[i].strip()]
    # Cells that are no number at all are left to the importer, which names their row.
    marked = [(name, n, cell) for name in COUNT_COLUMNS for n, cell in cells(name)
              if not cell.isdigit() and _ANY_GROUPED.match(cell)]
    decimals = [cell for name in DECIMAL_COLUMNS for _, cell in cells(name)]
    comma, point = (any(p.match(c) for c in decimals) for p in (_DECIMAL_COMMA, _DECIMAL_POINT))
    decimal_seen = next((c for c in decimals if _DECIMAL_COMMA.match(c) or _DECIMAL_POINT.match(c)), None)
    ruled_out = {","} if comma else {"."} if point else set()
    possible = [m for m in GROUP_MARKS if m not in ruled_out and all(grouped(m).match(c) for *_, c in marked)]
    if comma and point:
        raise DataError(path, "the Overperforming Score is written with both a decimal comma and a decimal "
                        "point; the file mixes two number styles", column=DECIMAL_COLUMNS[0])
    if marked and not possible:
        usual = max(GROUP_MARKS, key=lambda m: sum(bool(grouped(m).match(c)) for *_, c in marked))
        name, row, cell = next(((n, r, c) for n, r, c in marked if not grouped(usual).match(c)), marked[0])
        example = next(c for *_, c in marked if grouped(usual).match(c))
        raise DataError(path, f"row {row} (spreadsheet row {row + 1}): {cell!r} groups thousands otherwise than "
                        f"the other counts of the file (like {example!r})", column=name)
    if not marked:
        thousands = "." if comma else ","
        evidence = ("no count in the part of the file read has a thousands mark" +
                    (f"; the decimal comma of {decimal_seen!r} rules out the comma" if comma else ""))
        return NumberStyle(thousands, "," if comma else ".", evidence)
    thousands = possible[0]
    decimal = "," if comma or (thousands == "." and not point) else "."
    clauses = [f"counts like {marked[0][2]!r}"]
    if decimal_seen:
        clauses.append(f"an Overperforming Score of {decimal_seen!r}")
    agree, compared = total_agrees(header, rows, thousands)
    if compared:
        clauses.append(f"Total Interactions equals the sum of its parts on {agree} of {compared} posts read so")
    return NumberStyle(thousands, decimal, "; ".join(clauses))


def total_agrees(header, rows, thousands: str) -> tuple[int, int]:
    """(posts whose Total Interactions equals the sum of its parts, posts compared), read with `thousands`."""
    total = find_column(header, "Total Interactions")
    parts = [find_column(header, p) for p in PARTS]
    if total is None or None in parts[:3]:
        return 0, 0
    t, ps = header.index(total), [header.index(p) for p in parts if p]
    agree = compared = 0
    for row in rows:
        if len(row) != len(header):
            continue
        value = whole_number(row[t], thousands)
        summed = [0 if not row[i].strip() else whole_number(row[i], thousands) for i in ps]
        if value is None or None in summed:
            continue
        compared += 1
        agree += value == sum(summed)
    return agree, compared


def csv_number_style(path: Path, header: list[str]) -> NumberStyle:
    """`number_style` of a CSV file, from its first SAMPLE_BYTES."""
    _, rows = sample_rows(path)
    return number_style(path, header, rows)
