"""Graph API Page Insights responses (JSON) -> fan (or follower) counts by country.

A response lists metrics under "data"; we use two pairs, one per era:

* until 15 November 2025 (the *fans* era, page likes): ``page_fans_country``,
  lifetime fans from each of the top 45 countries,
  ``{"value": {"KH": 1800000, ...}, "end_time": ...}``, and ``page_fans``,
  the page's lifetime fans in all;
* since then (the *followers* era; Meta retired the page_fans metrics for
  every API version): ``page_follows_country`` and ``page_follows``, the
  same shapes counting followers.

Any ``period`` the API gives for them ("day" or "lifetime") is read as the
count at the end of the day. Every other metric of a response (impressions,
city or gender-age breakdowns, ...) is ignored. The countries below the top
45 are not listed, so the rest of the world (ZZ) is the page's total minus
the listed countries, on the days both are given, within one era.

The API returns at most 90 days per request, so a pull is several responses:
they are joined by day; the same day given twice with different counts is
an error naming both files; identical repeats are dropped.

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
from ..limits import check_daily_totals, check_json_size, json_loads
from ..load import read_text
from ..schemas import REST_OF_WORLD
from .common import (ORIGIN_FILE, ORIGIN_KEY, count_cell, country_cell,
                     finish_table, merge_repeats)
from .format import Format, Part, Sniffed, sha256_of, totals_sentence
from .result import FileRead

PACIFIC = ZoneInfo("America/Los_Angeles")
#: (country metric, total metric) of each era; the era's name is what its counts count.
ERA_METRICS = {"fans": ("page_fans_country", "page_fans"),
               "followers": ("page_follows_country", "page_follows")}
METRIC_ERA = {metric: (era, metric == pair[0]) for era, pair in ERA_METRICS.items() for metric in pair}
#: The page's daily gross changes (no country split), where a pull includes them: (era, change).
GROSS_METRICS = {"page_fan_adds": ("fans", "gained"), "page_fan_removes": ("fans", "lost"),
                 "page_daily_follows_unique": ("followers", "gained"),
                 "page_daily_unfollows_unique": ("followers", "lost")}
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
    check_json_size(path, Path(path).stat().st_size)
    text = read_text(path)
    try:
        document = json_loads(path, text)
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


def page_identity(document: dict) -> tuple[str | None, str | None]:
    """(name, id) of the page a response is about; the id may come from its metrics ('ID/insights/...')."""
    name = document.get("name")
    name = str(name).strip() if isinstance(name, (str, int)) and str(name).strip() else None
    page_id = document.get("id")
    page_id = str(page_id).strip() if isinstance(page_id, (str, int)) and str(page_id).strip() else None
    for metric in document["data"]:
        metric_id = metric.get("id") if isinstance(metric, dict) else None
        if page_id is None and isinstance(metric_id, str) and "/insights/" in metric_id:
            page_id = metric_id.split("/insights/")[0]
    return name, page_id


def metric_values(path: Path, document: dict, names):
    """(metric name, its index, key, day, value) of every value of the metrics named `names`."""
    for i, metric in enumerate(document["data"]):
        name = metric.get("name") if isinstance(metric, dict) else None
        if name not in names:
            continue
        values = metric.get("values")
        if not isinstance(values, list):
            raise DataError(path, f"{name}: expected a list of values", key=f"data[{i}].values")
        for j, entry in enumerate(values):
            key = f"data[{i}].values[{j}]"
            if not isinstance(entry, dict) or "value" not in entry or "end_time" not in entry:
                raise DataError(path, f"{name}: expected an object with 'value' and 'end_time'", key=key)
            yield name, key, day_closed_by(entry["end_time"], path, f"{key}.end_time"), entry["value"]


def gross_rows(path: Path, document: dict, page: str) -> list[dict]:
    """One row per day of each daily gross metric (page_fan_adds, ...) a response holds."""
    rows = []
    for name, key, day, value in metric_values(path, document, GROSS_METRICS):
        count = count_cell(path, value, key=f"{key}.value")
        era, change = GROSS_METRICS[name]
        rows.append({"page": page, "date": pd.Timestamp(day), "audience": era, "change": change,
                     "count": count, ORIGIN_FILE: str(path), ORIGIN_KEY: f"{key}.value"})
    return rows


def metric_rows(path: Path, document: dict, page: str) -> list[dict]:
    """One row per (day, country) of a country metric and per day of a total metric, with its key and era."""
    rows = []
    for name, key, day, value in metric_values(path, document, METRIC_ERA):
        era, by_country = METRIC_ERA[name]
        if not by_country:
            fans = count_cell(path, value, key=f"{key}.value")
            if fans is None:
                raise DataError(path, f"{name}: the value is empty", key=f"{key}.value")
            rows.append(_row(page, day, _TOTAL, fans, path, f"{key}.value", era))
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
            rows.append(_row(page, day, country, fans, path, where, era))
    return rows


def _row(page, day, country, fans, path, key, era) -> dict:
    return {"page": page, "date": pd.Timestamp(day), "country": country, "fans": fans, "audience": era,
            ORIGIN_FILE: str(path), ORIGIN_KEY: key}


def add_rest_of_world(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Replace each day's total row by ZZ = the total minus the countries listed that day (same era);
    and the days with a total and no country (page, date, total).

    Days without a country breakdown give no row (their split is unknown,
    not the rest of the world): their total is returned apart. Days without
    page_fans give no ZZ row: the listed countries are then not the page,
    and the total stays unknown. A total below the listed sum is an error:
    the two metrics cannot both be right.
    """
    is_total = rows["country"] == _TOTAL
    totals, countries = rows[is_total], rows[~is_total]
    for path, of_file in countries.groupby(ORIGIN_FILE, sort=False):  # before summing in 64 bits
        check_daily_totals(path, of_file, value="fans", day="date", what="fan counts by country")
    listed = countries.groupby(["page", "date", "audience"])["fans"].sum()
    rest, bare = [], []
    for total in totals.to_dict("records"):
        key = (total["page"], total["date"], total["audience"])
        if key not in listed.index:
            bare.append({"page": total["page"], "date": total["date"], "total": total["fans"]})
            continue
        remainder = total["fans"] - int(listed[key])
        if remainder < 0:
            raise DataError(total[ORIGIN_FILE],
                            f"{ERA_METRICS[total['audience']][1]} {total['fans']} for {total['date']:%Y-%m-%d} is smaller than the "
                            f"sum of the countries listed that day ({int(listed[key])})",
                            key=total[ORIGIN_KEY])
        rest.append({**total, "country": REST_OF_WORLD, "fans": remainder})
    return (pd.concat([countries, pd.DataFrame(rest, columns=rows.columns)], ignore_index=True),
            pd.DataFrame(bare, columns=["page", "date", "total"]))


def totals_known(rows: pd.DataFrame, path: Path) -> str:
    """What one response file gives of the page's total, in words (from its rows before ZZ is computed)."""
    mine = rows[rows[ORIGIN_FILE] == str(path)]
    is_total = mine["country"] == _TOTAL
    with_countries = set(zip(mine.loc[~is_total, "page"], mine.loc[~is_total, "date"]))
    with_total = set(zip(mine.loc[is_total, "page"], mine.loc[is_total, "date"]))
    names = " or ".join(sorted({ERA_METRICS[a][1] for a in mine["audience"]})) or "page_fans"
    return totals_sentence(len(with_countries), len(with_countries & with_total), len(with_total - with_countries),
                           names)


def read_graph_api(paths: list[Path], page: str | None = None, zone=None) -> Part:
    """Fan or follower counts from one or several Graph API responses (e.g. a pull of 90-day requests).

    Each response's page is its name, else its id, else `page`, else the
    first file's name: responses without an id are taken as one page.
    """
    documents = [(Path(p), parse_response(Path(p))) for p in paths]
    fallback = page or documents[0][0].stem
    rows, gross, aliases = [], [], {}
    for path, document in documents:
        name, page_id = page_identity(document)
        if name and page_id:
            aliases[page_id] = name
        rows += metric_rows(path, document, name or page_id or fallback)
        gross += gross_rows(path, document, name or page_id or fallback)
    if not rows:
        found = sorted({str(m.get("name")) for _, d in documents for m in d["data"] if isinstance(m, dict)})
        wanted = " or ".join(metric for pair in ERA_METRICS.values() for metric in pair)
        raise DataError(documents[0][0], f"no {wanted} values (metrics found: {', '.join(found) or 'none'})",
                        key="data")
    table = pd.DataFrame(rows)
    table["page"] = table["page"].map(lambda label: aliases.get(label, label))
    given = len(table)
    table = merge_repeats(table, ["page", "date", "country", "audience"], ["fans"])
    repeats = given - len(table)
    known = tuple((path, totals_known(table, path)) for path, _ in documents)
    table, bare = add_rest_of_world(table)
    if table.empty:
        raise DataError(documents[0][0], "a page total is given but no counts by country "
                        f"({' or '.join(pair[0] for pair in ERA_METRICS.values())})", key="data")
    eras = table.groupby(["page", "date"])["audience"].agg(lambda a: sorted(set(a))).reset_index()
    both = eras[eras["audience"].map(len) > 1]
    overlap = [f"{day:%Y-%m-%d}" for day in both["date"]]
    if overlap:  # keep the newer metric where a day is given in both eras
        era_of = {(p, d): "followers" for p, d in zip(both["page"], both["date"])}
        keep = [era_of.get((p, d), a) == a for p, d, a in zip(table["page"], table["date"], table["audience"])]
        table = table[keep]
    eras = table[["page", "date", "audience"]].drop_duplicates().sort_values(["page", "date"]).reset_index(drop=True)
    table = table.sort_values(["page", "date", "country"], kind="stable")
    fan_counts = finish_table(documents[0][0], table.drop(columns=[ORIGIN_FILE, ORIGIN_KEY, "audience"]),
                              "fan_counts")
    held = " and ".join(sorted(set(eras["audience"])))
    gross_table = daily_gross(gross, aliases)
    return Part(files=tuple(FileRead(p, "graph-api", held, sha256_of(p)) for p, _ in documents),
                fan_counts=fan_counts, eras=eras, aliases=aliases, eras_overlap=tuple(overlap),
                repeats_dropped=repeats, gross=None if gross_table.empty else gross_table,
                bare_totals=None if bare.empty else bare, totals_known=known)


def daily_gross(rows: list[dict], aliases: dict[str, str]) -> pd.DataFrame:
    """Gross rows -> one row per page, day and era with the fans (or followers) gained and lost."""
    columns = ["page", "date", "audience", "gained", "lost"]
    if not rows:
        return pd.DataFrame(columns=columns)
    table = pd.DataFrame(rows)
    table["page"] = table["page"].map(lambda label: aliases.get(label, label))
    table = merge_repeats(table, ["page", "date", "audience", "change"], ["count"])
    wide = table.pivot_table(index=["page", "date", "audience"], columns="change", values="count",
                             aggfunc="first").reset_index()
    return wide.reindex(columns=columns).sort_values(["page", "date"]).reset_index(drop=True)


def is_graph_api(sniffed: Sniffed) -> bool:
    return sniffed.kind == "json"


FORMAT = Format("graph-api", "Graph API Page Insights JSON (page_fans_country and page_fans, or "
                "page_follows_country and page_follows)", "fan_counts", is_graph_api, read_graph_api, together=True)
