"""Page Insights exports (Facebook's "audience" export, offered until 2023) -> fan counts by country.

Two shapes hold the same table, one row per day and one column per country:

* the Excel workbook: sheet "Lifetime Likes by Country" (also spelled
  "Lifetime Likes By Country"), dates in the first column, country codes as
  column headers;
* the CSV export: a "Date" column and columns "Lifetime Likes by Country - XX"
  among many other metrics (which are ignored).

Either may put a row of descriptions under the header ("Lifetime: Aggregated
Facebook location data, sorted by country..."); it is skipped.

Dates: each row already names the day whose end the lifetime count describes
(Insights days, Pacific time), so no shift is applied, unlike the Graph API's
end_time. An empty cell means the country was not listed that day (only the
top countries are): it gives no row, not a zero. The rest of the world (ZZ)
needs the total: only when a "Lifetime Total Likes" column is present is
ZZ = total minus the countries of that row.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..limits import check_xlsx_size
from ..load import line_of, read_raw_csv
from ..schemas import DATE_YEARS, REST_OF_WORLD
from .common import (ORIGIN_FILE, ORIGIN_LINE, columns_found, count_cell,
                     country_cell, finish_table, merge_repeats, require_column)
from .format import Format, Part, Sniffed, fan_counts_part, totals_sentence

SHEET = "Lifetime Likes by Country"
TOTAL_COLUMN = "Lifetime Total Likes"
DATE_COLUMN = "Date"
_COUNTRY_HEADER = re.compile(r"^(?:lifetime likes by country\s*-\s*)?([a-z]{2})$", re.IGNORECASE)
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_US_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's serial dates (1900 system)
_EXCEL_SERIALS = range(20000, 80000)  # 1954 to 2119: a number outside is not a date


def export_day(value) -> date | None:
    """A date cell as written by Insights or Excel, or None when it is not a date.

    Accepts Excel dates, Excel serial numbers, ISO text (2016-03-13) and
    Facebook's US text (3/13/2016, 3/13/16).
    """
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value if value.year in DATE_YEARS else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return EXCEL_EPOCH + timedelta(days=int(value)) if value == int(value) and int(value) in _EXCEL_SERIALS else None
    text = str(value or "").strip()
    for pattern, order in ((_ISO_DAY, (0, 1, 2)), (_US_DAY, (2, 0, 1))):
        match = pattern.match(text)
        if match:
            year, month, day = (int(match.group(i + 1)) for i in order)
            try:
                day_read = date(year + 2000 if year < 100 else year, month, day)
            except ValueError:
                return None
            return day_read if day_read.year in DATE_YEARS else None
    return None


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _looks_numeric(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) or \
        isinstance(value, str) and bool(re.fullmatch(r"\s*[+-]?[\d,]+\s*", value))


def count_columns(path, header: list, date_index: int, *, strict: bool) -> tuple[dict[int, str], int | None]:
    """The country column of each code, and the total column, from the header (line 1).

    `strict` (the workbook sheet): every other column must be a country code;
    otherwise (the CSV export) other metrics are ignored.
    """
    countries, total = {}, None
    for index, cell in enumerate(header):
        if index == date_index or _is_empty(cell):
            continue
        name = " ".join(str(cell).split())
        match = _COUNTRY_HEADER.match(name)
        if name.casefold() == TOTAL_COLUMN.casefold():
            total = index
        elif match:
            countries[index] = country_cell(path, match.group(1), line=1, column=str(cell))
        elif strict:
            raise DataError(path, "is not a country code (the sheet has one column per country)",
                            line=1, column=str(cell))
    if not countries:
        raise DataError(path, f"no country columns (headers like 'KH' or 'Lifetime Likes by Country - KH'); "
                        f"{columns_found(header)}", line=1)
    return countries, total


def is_description_row(cells: list, date_index: int, countries: dict[int, str]) -> bool:
    """The row of descriptions some exports put under the header: no date and no counts."""
    return export_day(cells[date_index]) is None and not any(_looks_numeric(cells[i]) for i in countries)


def wide_to_rows(path, header: list, rows, *, date_index: int, page: str, strict: bool):
    """(line, cells) of a one-row-per-day table -> long rows (page, date, country, fans); the days whose
    total is given with no country filled (page, date, total; None when there are none); and what the
    file gives of the total, in words. ZZ (the rest of the world) is a row only on a day with both."""
    countries, total_index = count_columns(path, header, date_index, strict=strict)
    date_name = str(header[date_index])
    out, bare, days_with_countries, days_with_both = [], [], 0, 0
    for position, (line, cells) in enumerate(rows):
        cells = list(cells) + [None] * (len(header) - len(cells))
        if all(_is_empty(c) for c in cells) or (position == 0 and is_description_row(cells, date_index, countries)):
            continue
        day = export_day(cells[date_index])
        if day is None:
            raise DataError(path, f"{cells[date_index]!r} is not a date (YYYY-MM-DD or M/D/YYYY)",
                            line=line, column=date_name)
        listed = 0
        for index, country in countries.items():
            fans = count_cell(path, cells[index], line=line, column=str(header[index]))
            if fans is not None:
                out.append({"page": page, "date": pd.Timestamp(day), "country": country, "fans": fans,
                            ORIGIN_FILE: str(path), ORIGIN_LINE: line})
                listed += fans
        total = None if total_index is None else count_cell(path, cells[total_index], line=line,
                                                            column=str(header[total_index]))
        filled = sum(1 for index in countries if not _is_empty(cells[index]))
        days_with_countries += filled > 0
        if total is not None and not filled:
            # the country breakdown lags the total: the day's countries are unknown, not the rest of the world
            bare.append({"page": page, "date": pd.Timestamp(day), "total": total})
        elif total is not None:
            days_with_both += 1
            if total < listed:
                raise DataError(path, f"{total} is smaller than the sum of the countries in the row ({listed})",
                                line=line, column=str(header[total_index]))
            out.append({"page": page, "date": pd.Timestamp(day), "country": REST_OF_WORLD,
                        "fans": total - listed, ORIGIN_FILE: str(path), ORIGIN_LINE: line})
    if not out:
        raise DataError(path, "the table has a header but no counts by country" + (
            f" (the total is given on {len(bare)} days, with every country cell empty)" if bare else ""))
    table = merge_repeats(pd.DataFrame(out), ["page", "date", "country"], ["fans"])
    table = table.drop(columns=[ORIGIN_FILE, ORIGIN_LINE]).sort_values(["page", "date", "country"], kind="stable")
    bare_table = pd.DataFrame(bare, columns=["page", "date", "total"]).drop_duplicates(["page", "date"])
    known = totals_sentence(days_with_countries, days_with_both, len(bare_table), f"'{TOTAL_COLUMN}'")
    if total_index is None:
        known = f"no '{TOTAL_COLUMN}' column: " + known.split(": ", 1)[1]
    table.attrs = {}  # the bare totals travel beside the table, not in it
    return table, (bare_table if len(bare_table) else None), known


def read_insights_csv(path, page: str | None = None):
    """Fan counts from the CSV variant of the Page Insights export; the days with a total and no
    country (page, date, total, or None); what the file gives of the total, in words."""
    path = Path(path)
    raw = read_raw_csv(path)
    header = list(raw.columns)
    date_index = header.index(require_column(path, header, DATE_COLUMN))
    rows = ((line_of(i), list(cells)) for i, cells in enumerate(raw.itertuples(index=False, name=None)))
    table, bare, known = wide_to_rows(path, header, rows, date_index=date_index, page=page or path.stem, strict=False)
    return finish_table(path, table, "fan_counts"), bare, known


def find_sheet(path, workbook):
    for name in workbook.sheetnames:
        if " ".join(name.split()).casefold() == SHEET.casefold():
            return workbook[name]
    raise DataError(path, f"no sheet {SHEET!r} (sheets found: {', '.join(repr(n) for n in workbook.sheetnames)})")


def read_insights_xlsx(path, page: str | None = None) -> pd.DataFrame:
    """Fan counts from the Excel workbook of the Page Insights export (read-only, values only)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:  # its directory only: nothing is inflated yet
            check_xlsx_size(path, archive)
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as err:
        raise DataError(path, f"not a readable Excel workbook ({type(err).__name__}: {err})") from None
    try:
        sheet = find_sheet(path, workbook)
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        first = next(rows, None)
        if first is None:
            raise DataError(path, f"sheet {sheet.title!r} is empty")
        header = list(first[1])
        try:
            table, _, _ = wide_to_rows(path, header, rows, date_index=0, page=page or path.stem, strict=True)
        except DataError as err:
            # line numbers are the sheet's row numbers; say which sheet
            raise DataError(path, f"sheet {sheet.title!r}: {err.problem}", line=err.line, column=err.column) from None
    finally:
        workbook.close()
    return finish_table(path, table, "fan_counts")


INSIGHTS_CSV_PREFIX = "lifetime likes by country"
INSIGHTS_TOTAL = "lifetime total likes"


def is_insights_xlsx(sniffed: Sniffed) -> bool:
    return sniffed.kind == "workbook"


def is_insights_csv(sniffed: Sniffed) -> bool:
    names = sniffed.names
    return sniffed.kind == "csv" and (any(n.startswith(INSIGHTS_CSV_PREFIX) for n in names) or INSIGHTS_TOTAL in names)


def read_xlsx_part(paths: list[Path], page: str | None = None, zone=None) -> Part:
    return fan_counts_part(paths[0], "insights-xlsx", read_insights_xlsx(paths[0], page),
                           totals_known="the sheet gives no total: " + totals_sentence(0, 0, 0, "").split(": ", 1)[1])


def read_csv_part(paths: list[Path], page: str | None = None, zone=None) -> Part:
    table, bare, known = read_insights_csv(paths[0], page)
    return fan_counts_part(paths[0], "insights-csv", table, bare_totals=bare, totals_known=known)


XLSX_FORMAT = Format("insights-xlsx", "Page Insights Excel export (sheet 'Lifetime Likes by Country')",
                     "fan_counts", is_insights_xlsx, read_xlsx_part)
CSV_FORMAT = Format("insights-csv", "Page Insights CSV export ('Date', 'Lifetime Likes by Country - XX' columns)",
                    "fan_counts", is_insights_csv, read_csv_part)
