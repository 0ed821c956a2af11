"""Bounds on what an export may hold, checked before (or while) it is read.

An export comes from a stranger as often as from the fact-checker's own
download, so a small file must not be able to take the machine's memory or
crash the reader. Each bound is far above what a real export holds, and each
breach is a one-line DataError that names the file and the limit:

* XLSX_UNCOMPRESSED_BYTES: what a workbook's parts inflate to, summed from the
  ZIP's directory before anything is inflated (Python's zipfile never inflates
  a part beyond the size its directory declares). A Page Insights workbook of
  ten years of daily counts for 45 countries inflates to about 7 MB.
* JSON_BYTES and JSON_DEPTH: a Graph API response is a few hundred kB, nested
  six levels deep; Python's parser fails with a RecursionError on nesting in
  the thousands, so the depth is counted before parsing.
* CELL_CHARACTERS: one cell of a CSV or a sheet. Facebook allows 63,206
  characters in a post; a longer cell is no export's.
* Sums: every count fits in 64 bits (schemas.LARGEST_COUNT), and so must each
  day's total of a page (`check_daily_totals`), or shares would be computed
  from a total that wrapped around.

Decision: limits are constants here, not options: a real export never comes
near them, and an option to lift them would be one more thing to explain.
"""

from __future__ import annotations

import json
import re
import zipfile

from .errors import DataError

XLSX_UNCOMPRESSED_BYTES = 128 * 2**20
JSON_BYTES = 256 * 2**20
JSON_DEPTH = 64
CELL_CHARACTERS = 1_000_000
#: The largest count a table holds (int64), and so the largest daily total.
LARGEST_TOTAL = 2**63 - 1

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def check_xlsx_size(path, archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose parts would inflate beyond XLSX_UNCOMPRESSED_BYTES."""
    total = sum(info.file_size for info in archive.infolist())
    if total > XLSX_UNCOMPRESSED_BYTES:
        raise DataError(path, f"the workbook would inflate to {mib(total)}, more than the limit of "
                        f"{mib(XLSX_UNCOMPRESSED_BYTES)} for an Excel export (XLSX_UNCOMPRESSED_BYTES in "
                        "likecheck/limits.py); a Page Insights workbook is a few MB")


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON text (strings skipped); 0 for a scalar."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    depth = deepest = 0
    for c in brackets:
        if c in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        else:
            depth -= 1
    return deepest


def check_json_size(path, size: int) -> None:
    if size > JSON_BYTES:
        raise DataError(path, f"the JSON file is {mib(size)}, more than the limit of {mib(JSON_BYTES)} "
                        "(JSON_BYTES in likecheck/limits.py); a Graph API response is under a few MB")


def json_loads(path, text: str):
    """json.loads, after checking the size and the nesting depth (a DataError names the limit);
    malformed JSON raises json.JSONDecodeError as json.loads does."""
    check_json_size(path, len(text))  # characters: the file's bytes were checked before it was read
    depth = json_depth(text)
    if depth > JSON_DEPTH:
        raise DataError(path, f"the JSON nests {depth:,} levels deep, more than the limit of {JSON_DEPTH} "
                        "(JSON_DEPTH in likecheck/limits.py); a Graph API response nests about 6")
    try:
        return json.loads(text)
    except RecursionError:  # not reached within JSON_DEPTH; kept so that no traceback can escape
        raise DataError(path, f"the JSON nests too deeply (limit {JSON_DEPTH})") from None


def cell_too_long(path, length: int, *, line=None, column=None, row_text: str | None = None) -> DataError:
    where = f"{row_text}: " if row_text else ""
    return DataError(path, f"{where}a cell of {length:,} characters, more than the limit of {CELL_CHARACTERS:,} "
                     "(CELL_CHARACTERS in likecheck/limits.py; a Facebook post holds at most 63,206)",
                     line=line, column=column)


def check_daily_totals(path, frame, *, value: str, day: str, what: str) -> None:
    """Refuse a table in which one page's `value` on one day (the day of column `day`, UTC for a
    moment) adds up beyond 64 bits: a DataError naming the file, the page and the day.

    Summed as floats (which cannot overflow): the whole column first, which answers at once for
    any real export; by page and day only when that passes 2**62, and exactly only near the edge.
    """
    if frame is None or frame.empty:
        return
    values = frame[value].astype("float64")
    if not values.sum() >= float(2**62):
        return
    days = frame[day].dt.tz_convert("UTC").dt.tz_localize(None) if getattr(frame[day].dt, "tz", None) \
        else frame[day]
    keys = [frame["page"].astype(str), days.dt.normalize().rename("day")]
    approx = values.groupby(keys).sum()
    for (page, when), _ in approx[approx >= float(2**62)].items():
        rows = (keys[0] == page) & (keys[1].dt.normalize() == when)
        exact = sum(int(v) for v in frame.loc[rows, value].dropna())
        if exact > LARGEST_TOTAL:
            raise DataError(path, f"the {what} of page {page!r} on {when:%Y-%m-%d} add up to {exact:,}, "
                            f"beyond the 64-bit limit of {LARGEST_TOTAL:,}: no page has so many; "
                            "the export is damaged or made up")
