"""A CrowdTangle download re-saved by Excel (.xlsx) -> posts.

Recognised by: an Excel workbook with a sheet (any sheet, any name: Excel
cuts a sheet name to 31 characters, so "2021-03-01-14-22-01-EST-Historical-
Report-....csv" becomes the sheet "2021-03-01-14-22-01-EST-Histori") whose
first row holds the CrowdTangle header ("Page Name" or "User Name", a count
at posting, a post time).

Holds: the posts of the dashboard CSV (crowdtangle.py gives the columns),
damaged by Excel in three ways, each read back:

* "Post Created Date" and "Post Created Time" became Excel dates and times:
  read back as the local date and time, which carry no zone; "Post Created"
  ("2016-03-08 10:15:00 ICT", kept as text: Excel cannot read its zone)
  gives it; without it the zone comes from ZONE=;
* counts became numbers (or stayed text, with the dashboard's thousands mark,
  told from the sheet as in the CSV: separators.py);
* 16- and 17-digit Facebook ids were rounded to 15 significant digits: such
  ids, and any id given for several page names, are never used to match or
  select a page (ids.py).

The download time comes from the file name, else from the sheet's name.

Can feed: weekly engagement (interactions per 1,000 fans at posting), and
the two post signals of the screen (fan_jump, engagement_dilution); not the
new fans by country (no country split), so not country_surge or origin_shift.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..limits import check_xlsx_size
from .common import find_column, require_column
from .crowdtangle import (CREATED, CREATED_DATE, CREATED_TIME, CROWDTANGLE_MARKERS, FACEBOOK_ID, MESSAGE,
                          REACTION_COLUMNS, TOTAL_INTERACTIONS, URL_COLUMN, audience_of, download_time, layout_of,
                          time_in_name)
from .format import Format, Part, Sniffed
from .ids import id_text
from .post_rows import RAW_COLUMNS, check_column_cells, counts, tidy_posts, utc_times
from .separators import number_style

NAME = "crowdtangle-xlsx"


def is_crowdtangle_header(cells) -> bool:
    names = {" ".join(str(c).split()).casefold() for c in cells if c is not None}
    return bool(names & {"page name", "user name"}) and len(names & CROWDTANGLE_MARKERS) >= 2


def crowdtangle_sheet(workbook):
    """The first sheet whose first row is the CrowdTangle header, or None."""
    for sheet in workbook.worksheets:
        first = next(sheet.iter_rows(max_row=1, values_only=True), None)
        if first and is_crowdtangle_header(first):
            return sheet
    return None


def open_workbook(path):
    """The workbook, read-only; a DataError when it would inflate beyond the limit (limits.py) or is damaged."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException
    try:
        with zipfile.ZipFile(path) as archive:  # its directory only: nothing is inflated yet
            check_xlsx_size(path, archive)
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as err:
        raise DataError(path, f"not a readable Excel workbook ({type(err).__name__}: {err})") from None


def recognise(sniffed: Sniffed) -> bool:
    """A workbook with a sheet whose first row is the CrowdTangle header."""
    return sniffed.kind == "workbook" and any(is_crowdtangle_header(first) for _, first in sniffed.sheets)


def text_of(value) -> str:
    """A cell as the CSV had it, for telling separators: numbers as digits, text as is."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def local_times(dates, times) -> list:
    """'Post Created Date' + 'Post Created Time' cells (Excel dates and times, or text) -> local times."""
    out = []
    for day, clock in zip(dates, times):
        day_text = day.strftime("%Y-%m-%d") if hasattr(day, "strftime") else text_of(day).strip()
        clock_text = clock.strftime("%H:%M:%S") if hasattr(clock, "strftime") else text_of(clock).strip()
        if isinstance(clock, float):  # an Excel time left as a fraction of a day
            seconds = round(clock * 86400)
            clock_text = f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        out.append(f"{day_text} {clock_text}".strip())
    return out


def read(path, zone=None) -> Part:
    """The posts of the CrowdTangle sheet (see the module docstring)."""
    path = Path(path)
    workbook = open_workbook(path)
    try:
        sheet = crowdtangle_sheet(workbook)
        if sheet is None:
            raise DataError(path, f"no sheet holds the CrowdTangle header (sheets: {', '.join(workbook.sheetnames)})")
        title = sheet.title
        rows = sheet.iter_rows(values_only=True)
        header = [text_of(c).strip() for c in next(rows)]
        body = [list(r) + [None] * (len(header) - len(r)) for r in rows if any(c is not None for c in r)]
    finally:
        workbook.close()
    place = lambda n: (f"sheet {title!r} row {n + 2}: ", {})  # noqa: E731 - the header is row 1
    columns = {name: [r[i] for r in body] for i, name in enumerate(header)}
    check_column_cells(path, columns, place)
    layout = layout_of(path, header)  # the dashboard CSV's required columns and their spellings
    style = number_style(path, header, [[text_of(c) for c in r] for r in body])
    page = columns[layout.page]
    user = columns.get(find_column(header, "User Name") or "", [None] * len(body))
    ids = [id_text(v) or None for v in columns.get(find_column(header, FACEBOOK_ID) or "", [None] * len(body))]
    created = find_column(header, CREATED)
    if created:
        times = utc_times(path, columns[created], created, place, zone)
    else:
        day, clock = require_column(path, header, CREATED_DATE), require_column(path, header, CREATED_TIME)
        times = utc_times(path, local_times(columns[day], columns[clock]), f"{day} + {clock}", place, zone)
    total = find_column(header, TOTAL_INTERACTIONS)
    if total:
        interactions = counts(path, columns[total], total, place, thousands=style.thousands)
    else:
        parts = [counts(path, columns[c], c, place, thousands=style.thousands, blank=0)
                 for c in (find_column(header, n) for n in REACTION_COLUMNS) if c]
        interactions = [sum(p) for p in zip(*parts)]
    fans = counts(path, columns[layout.fans], layout.fans, place, thousands=style.thousands)
    message = columns.get(find_column(header, MESSAGE) or "", [None] * len(body))
    urls = columns.get(find_column(header, URL_COLUMN) or "", [None] * len(body))
    post_ids = [url or f"{p}:{t:%Y-%m-%d %H:%M:%S}:{hashlib.sha256(str(m or '').encode()).hexdigest()[:12]}"
                for url, p, t, m in zip(urls, page, times, message)]
    raw = pd.DataFrame(dict(zip(RAW_COLUMNS, (page, user, ids, post_ids, times, interactions, fans, message))))
    if raw["page"].isna().any():
        raise DataError(path, f"sheet {title!r} row {int(raw['page'].isna().to_numpy().argmax()) + 2}: is empty",
                        column=layout.page)
    notes = [f"read from sheet {title!r}", f"numbers: {style.describe()}"]
    return tidy_posts(path, raw, format_name=NAME, download_time=download_time_of(path, zone, title),
                      audience=audience_of(layout), notes=notes, fans_column=layout.fans)


def download_time_of(path, zone, title: str) -> tuple[pd.Timestamp, str]:
    """When the download was made: the time in the file name, else in the sheet's (cut) name `title`."""
    when, how = download_time(path, zone)
    if how == "the time in its file name":
        return when, how
    sheet_when = time_in_name(title, zone) if title else None
    if sheet_when is not None:
        return sheet_when, "the time in its sheet's name"
    return when, how


def read_part(paths: list[Path], page: str | None = None, zone=None) -> Part:
    return read(paths[0], zone)


FORMAT = Format(NAME, "CrowdTangle download re-saved by Excel (.xlsx; any sheet holding the CrowdTangle header)",
                "posts", recognise, read_part)
