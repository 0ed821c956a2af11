"""What every importer shares: column lookup, cell checks, repeats, the final typing.

Each importer turns one kind of export into rows of the tidy tables
(`schemas.FAN_COUNTS`, `schemas.POSTS`) and hands them to `finish_table`,
which gives every format the same dtypes and runs the one validator
(`load.validate`). Cell problems are caught earlier, where the file's own
line, key or row is still known, so the message can point at it.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError, display_path
from ..limits import check_daily_totals
from ..load import validate
from ..pages import matching_pages
from ..schemas import COUNTRY_CODES, FAN_COUNTS, LARGEST_COUNT, POSTS, TableSpec

#: Provenance columns an importer may carry until `finish_table` drops them.
ORIGIN_FILE, ORIGIN_LINE, ORIGIN_KEY = "_file", "_line", "_key"
_WHOLE_NUMBER = re.compile(r"[+-]?\d+")
_COLUMNS_SHOWN = 20


def with_page_as_category(spec: TableSpec) -> TableSpec:
    """The spec with `page` typed as a category: a few pages repeat over millions of rows."""
    fields = tuple(dataclasses.replace(f, kind="category") if f.name == "page" else f for f in spec.fields)
    return dataclasses.replace(spec, fields=fields)


#: The specs imported tables are validated against (and so typed by).
FAN_COUNTS_IMPORTED = with_page_as_category(FAN_COUNTS)
POSTS_IMPORTED = with_page_as_category(POSTS)
IMPORTED_SPECS = {"fan_counts": FAN_COUNTS_IMPORTED, "posts": POSTS_IMPORTED}


def columns_found(header) -> str:
    """'found columns: a, b, c' for a message, shortened when the header is long."""
    names = [str(c) for c in header]
    shown = ", ".join(repr(c) for c in names[:_COLUMNS_SHOWN])
    more = len(names) - _COLUMNS_SHOWN
    return f"found columns: {shown}" + (f" and {more} more" if more > 0 else "") if names else "found no columns"


def find_column(header, *names: str) -> str | None:
    """The header's spelling of the first of `names` it holds (case and spaces ignored)."""
    spelled = {" ".join(str(c).split()).casefold(): c for c in header}
    for name in names:
        if name.casefold() in spelled:
            return spelled[name.casefold()]
    return None


def require_column(path, header, *names: str, line: int = 1, what: str = "") -> str:
    """`find_column`, or a DataError naming the missing column and the columns found."""
    found = find_column(header, *names)
    if found is None:
        alternatives = f" (or {', '.join(repr(n) for n in names[1:])})" if len(names) > 1 else ""
        raise DataError(path, f"missing column{alternatives}{what}; {columns_found(header)}",
                        line=line, column=names[0])
    return found


def parse_count(value) -> int | None:
    """A whole, non-negative count from a cell or JSON value; None for an empty cell.

    Thousands separators ("1,234") are accepted because exports print them.
    Raises ValueError with the problem (to be placed by the caller).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("is not a count")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError("is not a whole number")
        number = int(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "")
        if not text:
            return None
        if not _WHOLE_NUMBER.fullmatch(text):
            raise ValueError("is not a whole number")
        number = int(text)
    else:
        raise ValueError("is not a count")
    if number < 0:
        raise ValueError("is negative (a count of fans cannot be)")
    if number > LARGEST_COUNT:
        raise ValueError("is too large to be a count")
    return number


def count_cell(path, value, *, line=None, key=None, column=None) -> int | None:
    """`parse_count`, or a DataError placed at the cell."""
    try:
        return parse_count(value)
    except ValueError as err:
        raise DataError(path, f"{value!r} {err}", line=line, key=key, column=column) from None


def country_cell(path, code, *, line=None, key=None, column=None) -> str:
    """An ISO 3166-1 alpha-2 code (or ZZ), upper-cased, or a DataError placed at the cell."""
    text = str(code).strip().upper()
    if text not in COUNTRY_CODES:
        raise DataError(path, f"{code!r} is not an ISO 3166-1 alpha-2 country code (or ZZ)",
                        line=line, key=key, column=column)
    return text


def origin_of(row) -> str:
    """Where a row came from, for a message about a repeat: 'x.json key 'k'' or 'x.csv line 4'."""
    where = display_path(row[ORIGIN_FILE])
    if pd.notna(row.get(ORIGIN_LINE)):
        where += f" line {int(row[ORIGIN_LINE])}"
    if pd.notna(row.get(ORIGIN_KEY)):
        where += f" key {row[ORIGIN_KEY]!r}"
    return where


def merge_repeats(rows: pd.DataFrame, keys: list[str], values: list[str]) -> pd.DataFrame:
    """Drop rows that repeat an earlier one exactly; a repeat with other values is a DataError.

    Paged API responses and overlapping exports repeat rows; a repeat is
    harmless when it agrees and a contradiction when it does not, so the
    error names both places.
    """
    repeated = rows.duplicated(keys, keep=False)
    if not repeated.any():
        return rows
    group = rows[repeated]
    first = group.groupby(keys, sort=False, observed=True)[values].transform("first")
    differs = pd.Series(False, index=group.index)
    for column in values:
        a, b = group[column], first[column]
        differs |= ~((a == b).fillna(False) | (a.isna() & b.isna()))
    if differs.any():
        later = group[differs].iloc[0]
        earlier = group.loc[(group[keys] == later[keys]).all(axis=1)].iloc[0]
        what = ", ".join(f"{later[k]:%Y-%m-%d}" if isinstance(later[k], pd.Timestamp) else str(later[k])
                         for k in keys)
        here = ", ".join(f"{c} {later[c]}" for c in values if not _same(later[c], earlier[c]))
        there = ", ".join(f"{c} {earlier[c]}" for c in values if not _same(later[c], earlier[c]))
        raise DataError(later[ORIGIN_FILE], f"conflicting values for {what}: {here} here but {there} "
                        f"in {origin_of(earlier)}",
                        line=_int_or_none(later.get(ORIGIN_LINE)), key=_none_if_na(later.get(ORIGIN_KEY)))
    return rows.drop_duplicates(keys, keep="first")


def _same(a, b) -> bool:
    return (pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and a == b)


def _int_or_none(value):
    return None if value is None or pd.isna(value) else int(value)


def _none_if_na(value):
    return None if value is None or pd.isna(value) else value


def sorted_categories(column: pd.Series) -> pd.Series:
    """A categorical with exactly the categories used, sorted (checked by counting codes: cheap on millions)."""
    values = column if isinstance(column.dtype, pd.CategoricalDtype) else column.astype("category")
    codes = values.cat.codes.to_numpy()
    used = np.bincount(codes[codes >= 0], minlength=len(values.cat.categories))
    if (used == 0).any():
        values = values.cat.remove_unused_categories()
    categories = list(values.cat.categories)
    return values if categories == sorted(categories) else values.cat.reorder_categories(sorted(categories))


def normalise(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """The dtypes every importer returns, whatever the format, so tables concatenate and compare.

    page and country are categories with sorted categories (so a table read
    back from the cache equals the one first built); text is pandas' Arrow
    string dtype (no Python object per cell: 20 million messages fit).
    """
    typed = {}
    for f in spec.fields:
        column = frame[f.name]
        if f.kind in ("category", "country"):
            typed[f.name] = sorted_categories(column)
        elif f.kind == "date":
            typed[f.name] = column.astype("datetime64[ns]")
        elif f.kind == "datetime":
            typed[f.name] = column.astype("datetime64[ns, UTC]")
        elif f.kind == "integer":
            typed[f.name] = column.astype("Int64")
        else:
            typed[f.name] = column if column.dtype == "str" else column.astype("str")
    return pd.DataFrame(typed, index=frame.index)


def finish_table(path, rows: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Rows an importer built -> the typed, validated tidy table (`kind`: fan_counts or posts)."""
    spec = IMPORTED_SPECS[kind]
    frame = normalise(rows.reset_index(drop=True), spec)
    frame = validate(path, frame, spec)
    check_totals(path, frame, kind)
    return frame


def check_totals(path, frame: pd.DataFrame | None, kind: str) -> None:
    """Each page's fans (or interactions) on one day fit in 64 bits, or a DataError names the file and
    day: the metrics add a day's countries up, and a sum that wrapped would give shares over 100%."""
    if kind == "fan_counts":
        check_daily_totals(path, frame, value="fans", day="date", what="fan counts by country")
    else:
        check_daily_totals(path, frame, value="interactions", day="posted_at", what="interactions of the posts")


def newest_download_wins(rows: pd.DataFrame, keys: list[str], downloads: set[str]) -> tuple[pd.DataFrame, int]:
    """Rows of several files, newest download first: a key that a newer file of `downloads` also
    holds is dropped from the older ones, whatever its values (the post's counts grew since).

    Returns the rows left and how many keys an older download gave other values for.
    """
    from_downloads = rows[ORIGIN_FILE].isin(downloads)
    older = from_downloads & rows.where(from_downloads).duplicated(keys, keep="first")
    older &= from_downloads  # rows of other files stay for merge_repeats to compare
    if not older.any():
        return rows, 0
    newest = rows[from_downloads & ~older]
    merged = rows[older].merge(newest, on=keys, suffixes=("", "_newer"))
    changed = pd.Series(False, index=merged.index)
    for column in (c for c in rows.columns if c not in keys and not c.startswith("_")):
        a, b = merged[column], merged[f"{column}_newer"]
        changed |= ~((a == b).fillna(False) | (a.isna() & b.isna()))
    return rows[~older], int(merged.loc[changed, keys].drop_duplicates().shape[0])


def concat_tables(parts: list[tuple[object, pd.DataFrame]], kind: str,
                  newer_wins: set | None = None) -> tuple[pd.DataFrame | None, int, int]:
    """Tables of one kind from several files, with repeats merged (conflicts are errors);
    and how many repeated rows were dropped and how many a newer download updated.

    With `newer_wins` (files given newest first), a row of those files that an
    earlier (newer) one of them also holds is the newer one's, whatever the
    values: a later CrowdTangle download of a post has grown counts.
    """
    if not parts:
        return None, 0, 0
    spec = IMPORTED_SPECS[kind]
    if len(parts) == 1:
        return parts[0][1], 0, 0
    rows = pd.concat([frame.assign(**{ORIGIN_FILE: str(path)}) for path, frame in parts], ignore_index=True)
    keys = list(spec.natural_key)
    before = len(rows)
    updated = 0
    if newer_wins:
        rows, updated = newest_download_wins(rows, keys, {str(p) for p in newer_wins})
    rows = merge_repeats(rows, keys, [c for c in spec.columns if c not in keys])
    dropped = before - len(rows)
    frame = normalise(rows.reset_index(drop=True), spec)
    if kind == "fan_counts":
        frame = frame.sort_values(keys, kind="stable").reset_index(drop=True)
    return frame, dropped, updated


def select_page(frame: pd.DataFrame | None, page: str | None, aliases: dict[str, str], what: str):
    """Keep one page's rows; without `page`, keep all.

    The page may be named by its label or by an alias (a user name or
    Facebook id, from `aliases`, which maps each to the label); matching
    ignores case. The rows keep their label: `page` never renames a page.
    """
    if frame is None or page is None:
        return frame
    labels = {str(p) for p in frame["page"].cat.categories}
    names = matching_pages(page, labels, aliases)
    if not names:
        found = ", ".join(repr(p) + "".join(f" (also {a!r})" for a, n in aliases.items() if n == p and a != p)
                          for p in sorted(labels))
        raise ParameterError(f"page {page!r} is not in the {what} imported (pages found: {found})")
    kept = frame[frame["page"].isin(names)].reset_index(drop=True)
    kept["page"] = kept["page"].cat.remove_unused_categories()
    return kept
