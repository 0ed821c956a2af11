"""What the post formats other than the dashboard CSV share: cells -> the tidy posts table.

The CrowdTangle .xlsx, the API's JSON, PyCooRnet's and 4CAT's CSVs are
read cell by cell into one frame (`RAW_COLUMNS`, one row per post, in the
file's order) and `tidy_posts` turns it into exactly what the dashboard CSV
reader returns (a `format.Part`): the same posts table, page aliases, rows
without a fan count, notes for the report and the damaged ids.
These files are at most a spreadsheet's million rows, so pandas suffices.

Shared decisions:

* a page is labelled by its name; two pages with one name are told apart by
  their user names ("Name (username)"), never by an id Excel may have
  damaged (ids.py);
* a fan count at posting of 0 or blank is unknown (CrowdTangle had none):
  the post is kept, without a count, and its row is reported;
* a time is read with its written zone; one written without a zone is read
  in the format's own zone (the API's UTC) or the ZONE given, else refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

import pandas as pd

from ..errors import DataError
from ..limits import CELL_CHARACTERS, cell_too_long
from .common import finish_table
from .format import Part, sha256_of
from .result import FileRead
from .ids import damaged_note, split_aliases
from .separators import whole_number
from .zones import ZONE_TEXT, ambiguity, settled_seconds

RAW_COLUMNS = ("page", "user_name", "page_id", "post_id", "posted_at", "interactions", "fans_at_posting", "message")
_TIME = (r"^\s*(?P<day>\d{4}-\d{2}-\d{2})[ T](?P<clock>\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*"
         rf"(?P<zone>{ZONE_TEXT})?\s*$")

#: (problem prefix, DataError keywords) of a post's place: its row of a CSV or sheet, its key in JSON.
Place = Callable[[int], tuple[str, dict]]


def row_place(n: int) -> tuple[str, dict]:
    """Rows counted as the dashboard CSV reader counts them: row 1 is the first post."""
    return f"row {n + 1} (spreadsheet row {n + 2}): ", {}


def fail(path, place: Place, i: int, column: str, problem: str) -> DataError:
    prefix, where = place(i)
    return DataError(path, prefix + problem, column=column, **where)


def counts(path, values, column: str, place: Place, *, thousands: str = ",", blank=None) -> list:
    """Whole counts from cells (numbers or text with the file's thousands mark); `blank` for empty ones."""
    out = []
    for i, value in enumerate(values):
        if value is None or (isinstance(value, float) and pd.isna(value)) or (isinstance(value, str) and not value.strip()):
            out.append(blank)
            continue
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float):
            number = int(value) if value.is_integer() else None
        else:
            text = str(value).strip()
            number = whole_number(text, thousands)
            if number is None and text.endswith(".0") and text[:-2].isdigit():
                number = int(text[:-2])  # a count a spreadsheet wrote as a float
        if number is None:
            raise fail(path, place, i, column, f"{value!r} is not a whole number")
        if number < 0:
            raise fail(path, place, i, column, f"{value!r} is negative (a count cannot be)")
        out.append(number)
    return out


def utc_times(path, values, column: str, place: Place, zone=None, own_zone: int | None = None) -> pd.Series:
    """Times as written ('2016-03-08 10:15:00 ICT', '2016-03-08T03:15:00+00:00', or Excel's datetimes)
    -> UTC. A time without a zone is in `own_zone` (seconds east of UTC) or the ZONE given."""
    texts = pd.Series([v.strftime("%Y-%m-%d %H:%M:%S") if hasattr(v, "strftime") else
                       ("" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)) for v in values],
                      dtype=object)
    parts = texts.str.extract(_TIME)
    local = pd.to_datetime(parts["day"] + " " + parts["clock"].where(parts["clock"].str.count(":") == 2,
                                                                     parts["clock"] + ":00"),
                           format="%Y-%m-%d %H:%M:%S", errors="coerce")
    bad = local.isna()
    if bad.any():
        i = int(bad.to_numpy().argmax())
        shown = texts.iloc[i]
        raise fail(path, place, i, column, "is empty" if not shown.strip() else
                   f"{shown!r} is not a date and time (like 2016-03-08 10:15:00 ICT)")
    written = parts["zone"].fillna("")
    utc = pd.Series(pd.NaT, index=local.index, dtype="datetime64[ns, UTC]")
    for name in written.unique():
        rows = written == name
        if not name and own_zone is not None:
            seconds = own_zone
        else:
            seconds = settled_seconds(name, zone)
        if seconds is None and not name and isinstance(zone, ZoneInfo):
            try:
                utc[rows] = local[rows].dt.tz_localize(zone, ambiguous="raise", nonexistent="raise").dt.tz_convert("UTC")
            except Exception:  # noqa: BLE001 - pytz/zoneinfo raise several types for the changeover hour
                moved = local[rows].dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT").isna()
                i = int(rows[rows].index[moved.to_numpy().argmax()])
                raise fail(path, place, i, column, f"{texts.iloc[i]!r} falls in the hour the clocks of {zone} "
                           "changed: it cannot be placed; give ZONE= as an offset") from None
            continue
        if seconds is None:
            i = int(rows.to_numpy().argmax())
            problem = (ambiguity(name) if name else
                       "gives no time zone (the weeks depend on it); give the zone it is in with ZONE=, "
                       "like ZONE=+0700 or ZONE=Asia/Phnom_Penh")
            raise fail(path, place, i, column, problem)
        utc[rows] = (local[rows] - pd.Timedelta(seconds=seconds)).dt.tz_localize("UTC")
    return utc


def labels_and_aliases(raw: pd.DataFrame) -> tuple[pd.Series, dict[str, str], dict[str, tuple[str, ...]]]:
    """Each post's page label, the aliases (user names, ids) of each label, and the damaged ids.

    A name given to pages with different user names labels each as 'Name (user name)'.
    """
    names = raw["page"].astype(str)
    users = raw["user_name"].fillna("").astype(str)
    shared = users.groupby(names).transform(lambda u: u[u != ""].nunique() > 1)
    labels = names.where(~shared, names + " (" + users + ")")
    pairs = set(zip(users, labels)) | set(zip(raw["page_id"].fillna("").astype(str), labels))
    aliases, damaged = split_aliases(pairs)
    return labels, aliases, damaged


def check_cell_lengths(path, raw: pd.DataFrame, place: Place) -> None:
    """A DataError at the first text cell longer than limits.CELL_CHARACTERS (a sheet's or a JSON post's:
    a CSV's cells were checked as it was read)."""
    for column in ("page", "user_name", "page_id", "post_id", "message"):
        lengths = raw[column].map(lambda v: len(v) if isinstance(v, str) else 0).to_numpy()
        too_long = (lengths > CELL_CHARACTERS).nonzero()[0]
        if too_long.size:
            i = int(too_long[0])
            raise fail(path, place, i, column, cell_too_long(path, int(lengths[i])).problem)


def check_column_cells(path, columns: dict[str, list], place: Place) -> None:
    """A DataError at the first text cell longer than limits.CELL_CHARACTERS, by the file's column name
    (a sheet's cells, read before anything is made of them)."""
    for name, values in columns.items():
        lengths = [len(v) if isinstance(v, str) else 0 for v in values]
        if lengths and max(lengths) > CELL_CHARACTERS:
            i = next(i for i, n in enumerate(lengths) if n > CELL_CHARACTERS)
            raise fail(path, place, i, name, cell_too_long(path, lengths[i]).problem)


def tidy_posts(path, raw: pd.DataFrame, *, format_name: str, download_time: tuple[pd.Timestamp, str],
               audience: str = "fans", notes=(), fans_column: str = "fans at posting") -> Part:
    """RAW_COLUMNS rows -> the Part the dashboard CSV reader returns (see the module docstring)."""
    path = Path(path)
    if raw.empty:
        raise DataError(path, "the file holds no posts")
    labels, aliases, damaged = labels_and_aliases(raw)
    fans = pd.array([None if not f else f for f in raw["fans_at_posting"]], dtype="Int64")  # 0: unknown
    without = [i + 1 for i, known in enumerate(pd.notna(fans)) if not known]
    if len(without) == len(raw):
        raise DataError(path, "no post has a fan count (blank or 0 on every row): engagement per 1000 fans "
                        "divides by it", column=fans_column)
    frame = pd.DataFrame({"page": labels.to_numpy(), "post_id": raw["post_id"].astype(str).to_numpy(),
                          "posted_at": raw["posted_at"].to_numpy(), "interactions": raw["interactions"].to_numpy(),
                          "fans_at_posting": fans, "message": raw["message"].to_numpy()})
    frame["posted_at"] = pd.to_datetime(frame["posted_at"], utc=True)
    frame["message"] = frame["message"].where(frame["message"].notna(), None)
    posts = finish_table(path, frame, "posts")
    return Part(files=(FileRead(path, format_name, "posts", sha256_of(path)),), posts=posts, aliases=aliases,
                posts_without_fans=tuple((path, row) for row in without), download_time=download_time,
                posts_audience=audience, notes=tuple(notes) + tuple(damaged_note(damaged)), damaged_ids=damaged)
