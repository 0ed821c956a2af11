"""The CrowdTangle API's posts flattened into a CSV (PyCooRnet, CooRnet, pandas.json_normalize) -> posts.

Recognised by: a CSV header with the post's account ("account_name", as
PyCooRnet writes it, or "account.name", as CooRnet and pandas.json_normalize
do) and its counts ("statistics_actual_likeCount" or
"statistics.actual.likeCount", ...).

Holds what the API's JSON holds (crowdtangle_api.py), one column per key:
"date" (UTC; pandas may add "+00:00"), "subscriberCount" (fans or followers
at posting; 0 or blank: unknown), "statistics_actual_*Count" (summed into
the interactions; the "statistics_expected_*" columns are CrowdTangle's
predictions and are not read), "postUrl", "message", "account_name",
"account_handle", "account_platformId" (an id that Excel damaged is set
apart: ids.py) and "account_subscriberCount" (the count when pulled: never
used as the count at posting). A leading unnamed column (the DataFrame's
index, when saved with it) is ignored.

A file without "subscriberCount" is refused: nothing in it gives the fan
count at posting. PyCooRnet keeps it (it flattens every key of the post).

Can feed: weekly engagement and the post signals of the screen (fan_jump,
engagement_dilution); not new fans by country.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..load import read_raw_csv
from .common import columns_found, find_column
from .crowdtangle import download_time
from .format import Format, Part, Sniffed
from .post_rows import RAW_COLUMNS, counts, row_place, tidy_posts, utc_times

NAME = "crowdtangle-api-csv"
SEPARATORS = ("_", ".")


def spelled(header, *path: str) -> str | None:
    """The header's column for a flattened key ('account', 'name'), in either spelling."""
    for sep in SEPARATORS:
        found = find_column(header, sep.join(path))
        if found:
            return found
    return None


def actual_columns(header) -> list[str]:
    return [c for c in header for sep in SEPARATORS
            if str(c).startswith(f"statistics{sep}actual{sep}") and str(c).endswith("Count")]


def recognise(sniffed: Sniffed) -> bool:
    header = sniffed.header if sniffed.kind == "csv" else ()
    return bool(spelled(header, "account", "name") and actual_columns(header))


def read(path, zone=None) -> Part:
    """The posts of the file (see the module docstring). ZONE is not used: the API's times are UTC."""
    path = Path(path)
    raw = read_raw_csv(path)
    header = list(raw.columns)
    fans_column = find_column(header, "subscriberCount")
    if fans_column is None:
        raise DataError(path, "no 'subscriberCount' column (the page's fans at posting); 'account_subscriberCount' "
                        "is the count when the posts were pulled, not at posting: flatten the API's posts with "
                        f"their subscriberCount; {columns_found(header)}", line=1, column="subscriberCount")
    date_column = find_column(header, "date")
    if date_column is None:
        raise DataError(path, f"no 'date' column (the post's time, UTC); {columns_found(header)}", line=1,
                        column="date")
    if raw.empty:
        raise DataError(path, "the file has a header but no posts")
    name, handle = spelled(header, "account", "name"), spelled(header, "account", "handle")
    page_id = spelled(header, "account", "platformId")
    url = next((c for c in (find_column(header, n) for n in ("postUrl", "platformId", "id")) if c), None)
    parts = [counts(path, raw[c].tolist(), c, row_place, blank=0) for c in actual_columns(header)]
    pages = raw[name].where(raw[name] != "", raw[handle] if handle else raw[name])
    empty = pages == ""
    if empty.any():
        raise DataError(path, f"row {int(empty.to_numpy().argmax()) + 1}: is empty", column=name)
    if url is None:
        raise DataError(path, f"no 'postUrl', 'platformId' or 'id' column to tell posts apart; {columns_found(header)}",
                        line=1)
    blank = [None] * len(raw)
    table = pd.DataFrame(dict(zip(RAW_COLUMNS, (
        pages.tolist(), raw[handle].replace("", None).tolist() if handle else blank,
        raw[page_id].replace("", None).tolist() if page_id else blank, raw[url].tolist(),
        utc_times(path, raw[date_column].tolist(), date_column, row_place, own_zone=0),
        [sum(p) for p in zip(*parts)], counts(path, raw[fans_column].tolist(), fans_column, row_place),
        raw[find_column(header, "message")].replace("", None).tolist() if find_column(header, "message") else blank))))
    notes = [f"the API's posts as flattened to CSV ({'dotted' if '.' in name else 'underscored'} column names); "
             "times in UTC; subscriberCount 0 or blank read as unknown"]
    return tidy_posts(path, table, format_name=NAME, download_time=download_time(path, zone), notes=notes,
                      fans_column=fans_column)


def read_part(paths: list[Path], page: str | None = None, zone=None) -> Part:
    return read(paths[0], zone)


FORMAT = Format(NAME, "CrowdTangle API posts flattened to CSV by PyCooRnet, CooRnet or pandas.json_normalize "
                "(account_name, subscriberCount, statistics_actual_likeCount, ...)", "posts", recognise, read_part)
