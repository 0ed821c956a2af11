"""Graph API Page Insights responses (JSON) -> fan counts by country.

A response lists metrics under "data"; we use two:

* ``page_fans_country``: lifetime fans from each of the top 45 countries,
  ``{"value": {"KH": 1800000, ...}, "end_time": ...}``;
* ``page_fans``: the page's lifetime fans in all (period "day" or "lifetime").

The countries below the top 45 are not listed, so the rest of the world (ZZ)
is page_fans minus the listed countries, on the days both are given.

Dates: Page Insights counts its days in Pacific time, and a value's end_time
is the moment its day *ends*: midnight Pacific at the start of the next day
(07:00 UTC in daylight-saving time, 08:00 UTC otherwise). A lifetime count
with end_time 2016-03-14T07:00:00+0000 is the count at the end of 13 March,
so its row is dated 2016-03-13.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from ..errors import DataError
from ..load import read_text
from ..schemas import REST_OF_WORLD
from .common import (ORIGIN_FILE, ORIGIN_KEY, count_cell, country_cell,
                     finish_table, merge_repeats)

PACIFIC = ZoneInfo("America/Los_Angeles")
COUNTRY_METRIC, TOTAL_METRIC = "page_fans_country", "page_fans"
END_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_TOTAL = "total"  # the country slot of a page_fans row until ZZ is computed


def day_closed_by(end_time, path, key: str) -> date:
    """The calendar day whose end an Insights end_time marks (the day before it, in Pacific time).

    The time must be local midnight in Los Angeles; anything else is not an
    Insights day boundary and would shift every count by a day.
    """
    try:
        moment = datetime.strptime(str(end_time), END_TIME_FORMAT)
    except ValueError:
        raise DataError(path, f"{end_time!r} is not a Graph API end_time (like 2016-03-14T07:00:00+0000)",
                        key=key) from None
    local = moment.astimezone(PACIFIC)
    if local.timetz().replace(tzinfo=None) != time(0):
        raise DataError(path, f"end_time {end_time} is {local:%H:%M} in Los Angeles, not midnight: "
                        "Page Insights days end at midnight Pacific time", key=key)
    return local.date() - timedelta(days=1)


def parse_response(path: Path) -> dict:
    """The JSON object of one response file; malformed JSON is a DataError with its line."""
    text = read_text(path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        truncated = err.pos >= len(text.rstrip())
        problem = (f"the JSON ends early, the file looks truncated ({err.msg})" if truncated
                   else f"malformed JSON: {err.msg} at column {err.colno}")
        raise DataError(path, problem, line=err.lineno) from None
    if isinstance(document, dict) and isinstance(document.get("error"), dict):
        message = document["error"].get("message", "no message")
        raise DataError(path, f"the file holds a Graph API error, not data: {message}", key="error")
    if isinstance(document, dict) and "data" not in document and isinstance(document.get("insights"), dict):
        document = {**document["insights"], **{k: document[k] for k in ("id", "name") if k in document}}
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        found = ", ".join(repr(k) for k in document) if isinstance(document, dict) else type(document).__name__
        raise DataError(path, "missing: a Graph API Page Insights response has a 'data' list of metrics "
                        f"(found: {found or 'nothing'})", key="data")
    return document


def page_label(document: dict) -> str | None:
    """The page a response is about: its name or id, or the id its metrics carry ('ID/insights/...')."""
    for field in ("name", "id"):
        if isinstance(document.get(field), (str, int)) and str(document[field]).strip():
            return str(document[field]).strip()
    for metric in document["data"]:
        metric_id = metric.get("id") if isinstance(metric, dict) else None
        if isinstance(metric_id, str) and "/insights/" in metric_id:
            return metric_id.split("/insights/")[0]
    return None


def metric_rows(path: Path, document: dict, page: str) -> list[dict]:
    """One row per (day, country) of page_fans_country and per day of page_fans, with its key."""
    rows = []
    for i, metric in enumerate(document["data"]):
        name = metric.get("name") if isinstance(metric, dict) else None
        if name not in (COUNTRY_METRIC, TOTAL_METRIC):
            continue
        values = metric.get("values")
        if not isinstance(values, list):
            raise DataError(path, f"{name}: expected a list of values", key=f"data[{i}].values")
        for j, entry in enumerate(values):
            key = f"data[{i}].values[{j}]"
            if not isinstance(entry, dict) or "value" not in entry or "end_time" not in entry:
                raise DataError(path, f"{name}: expected an object with 'value' and 'end_time'", key=key)
            day = day_closed_by(entry["end_time"], path, f"{key}.end_time")
            value = entry["value"]
            if name == TOTAL_METRIC:
                fans = count_cell(path, value, key=f"{key}.value")
                if fans is None:
                    raise DataError(path, "page_fans: the value is empty", key=f"{key}.value")
                rows.append(_row(page, day, _TOTAL, fans, path, f"{key}.value"))
                continue
            if not isinstance(value, dict):
                raise DataError(path, f"{name}: expected an object of country code: fans, "
                                f"found {type(value).__name__}", key=f"{key}.value")
            for code, count in value.items():
                where = f"{key}.value.{code}"
                country = country_cell(path, code, key=where)
                fans = count_cell(path, count, key=where)
                if fans is None:
                    raise DataError(path, f"{name}: the count is empty", key=where)
                rows.append(_row(page, day, country, fans, path, where))
    return rows


def _row(page, day, country, fans, path, key) -> dict:
    return {"page": page, "date": pd.Timestamp(day), "country": country, "fans": fans,
            ORIGIN_FILE: str(path), ORIGIN_KEY: key}


def add_rest_of_world(rows: pd.DataFrame) -> pd.DataFrame:
    """Replace each day's page_fans row by ZZ = page_fans minus the countries listed that day.

    Days without a country breakdown give no row (their split is unknown);
    days without page_fans give no ZZ row. A total below the listed sum is
    an error: the two metrics cannot both be right.
    """
    is_total = rows["country"] == _TOTAL
    totals, countries = rows[is_total], rows[~is_total]
    listed = countries.groupby(["page", "date"])["fans"].sum()
    rest = []
    for total in totals.to_dict("records"):
        key = (total["page"], total["date"])
        if key not in listed.index:
            continue
        remainder = total["fans"] - int(listed[key])
        if remainder < 0:
            raise DataError(total[ORIGIN_FILE],
                            f"page_fans {total['fans']} for {total['date']:%Y-%m-%d} is smaller than the "
                            f"sum of the countries listed that day ({int(listed[key])})",
                            key=total[ORIGIN_KEY])
        rest.append({**total, "country": REST_OF_WORLD, "fans": remainder})
    return pd.concat([countries, pd.DataFrame(rest, columns=rows.columns)], ignore_index=True)


def read_graph_api(paths: list[Path], page: str | None = None) -> pd.DataFrame:
    """Fan counts from one or several Graph API responses (e.g. the pages of one paged answer).

    The page is `page`, else the response's name or id, else the first
    file's name: paged responses without an id are taken as one page.
    """
    documents = [(Path(p), parse_response(Path(p))) for p in paths]
    fallback = documents[0][0].stem
    rows = []
    for path, document in documents:
        rows += metric_rows(path, document, page or page_label(document) or fallback)
    if not rows:
        found = sorted({str(m.get("name")) for _, d in documents for m in d["data"] if isinstance(m, dict)})
        raise DataError(documents[0][0], f"no {COUNTRY_METRIC} or {TOTAL_METRIC} values "
                        f"(metrics found: {', '.join(found) or 'none'})", key="data")
    table = merge_repeats(pd.DataFrame(rows), ["page", "date", "country"], ["fans"])
    table = add_rest_of_world(table)
    if table.empty:
        raise DataError(documents[0][0], f"{TOTAL_METRIC} is given but {COUNTRY_METRIC} is not: "
                        "no counts by country", key="data")
    table = table.sort_values(["page", "date", "country"], kind="stable")
    return finish_table(documents[0][0], table.drop(columns=[ORIGIN_FILE, ORIGIN_KEY]), "fan_counts")
