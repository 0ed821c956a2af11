"""Import a fact-checker's own exports into the tidy tables the notebooks use.

`import_exports` takes one file, several, or a folder (every file in it, in
name order), tells each file's format from its content, and returns one
`Imported` (result.py): the fan counts by country (`schemas.FAN_COUNTS`) and
the posts (`schemas.POSTS`) they hold, with what the import learnt on the way
(files, eras, pages, gaps, files skipped), which the import report
(`report.py`) and the notebooks read. The formats are listed in registry.py,
each a `format.Format` whose reader returns a `format.Part`; adding a format is
one module and one line there. Formats (names for `format=`):

* graph-api: Graph API Page Insights JSON, fans era (page_fans_country,
  page_fans) or followers era (page_follows_country, page_follows) (graph_api.py);
* insights-xlsx, insights-csv: the Page Insights export (insights.py);
* crowdtangle: CrowdTangle historical-data CSV, at any size, from a dashboard
  in any language (crowdtangle.py; separators.py, zones.py, ids.py);
* crowdtangle-xlsx, crowdtangle-api, crowdtangle-api-csv, 4cat-crowdtangle:
  a CrowdTangle download re-saved by Excel, the API's JSON, and the CSVs
  PyCooRnet and 4CAT write (one module each; docs/formats.md);
* tidy-fans, tidy-posts: our own tidy CSV (tidy.py).

Every table comes back with the same dtypes whatever its format (page and
country as categories, text as Arrow strings, counts as Int64). Bad input is
a `DataError` of one line naming the file, the line/row or JSON key and the
problem; a bad parameter (unknown format, page not in the data) is a
`ParameterError`.

Decisions (data/README.md, "Import formats"):

* A folder may hold other files. Inside a folder, a file that is no export
  at all (a README, a ZIP that is not a workbook, desktop.ini, .DS_Store, a
  JSON that is not a Graph API response) is skipped and listed; a file that
  looks like an export but is malformed is still an error. A file named on
  its own must be an export.
* Pages are identified by their Facebook id wherever a source gives one and
  labelled by the best name any source gives (a name over a user name over
  the id). `page` may be any of them; the page's label is never replaced by
  `page`, so an export whose own name contradicts it is refused.
* Overlapping CrowdTangle downloads: a post in two downloads with other
  counts is the same post downloaded later; the newest download wins (its
  time from CrowdTangle's file name, else the file's modification time).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd

from ..errors import DataError, ParameterError
from ..escape import one_line
from ..limits import check_json_size, json_loads
from .common import check_totals, concat_tables, select_page
from .format import Part
from .registry import FORMATS, REGISTRY, detect_format, formats_list
from .result import FileRead, Imported, era_switch
from .saved import read_saved, saved_import, write_saved
from .sniff import NotAnExport
from .zones import parse_zone

__all__ = ["FORMATS", "FileRead", "Imported", "detect_format", "era_switch", "export_files", "import_exports",
           "read_saved", "saved_import", "write_saved"]

#: Files operating systems leave in folders; never exports.
SYSTEM_FILES = frozenset({".ds_store", "desktop.ini", "thumbs.db"})


def export_files(paths) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files to import: each file given, and every file of each folder, sorted by name;
    and the (file, why) of the system files of the folders, which are skipped."""
    given = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if not given:
        raise ParameterError("no export file or folder given")
    files, skipped = [], []
    for item in map(Path, given):
        if item.is_dir():
            inside = sorted(p for p in item.iterdir() if p.is_file())
            system = [p for p in inside if p.name.casefold() in SYSTEM_FILES or p.name.startswith("._")]
            skipped += [(p, "a file the operating system keeps, not an export") for p in system]
            inside = [p for p in inside if p not in system]
            if not inside:
                raise DataError(item, "the folder holds no files to import")
            files += [(p, True) for p in inside]
        elif item.is_file():
            files.append((item, False))
        else:
            raise DataError(item, "no such file or folder")
    return list(dict.fromkeys(files)), skipped


NOT_A_RESPONSE = "a JSON file that is not a Graph API response (no 'data', 'insights' or 'error')"


def not_graph_response(path: Path) -> str | None:
    """Why a JSON file of a folder is not a Graph API answer (data, insights or error), or None when it
    is one. Malformed JSON counts as one, so that a truncated response is reported, not skipped; a
    file beyond the limits of size or nesting (limits.py) is no response (a response is small and
    shallow), and is skipped with the limit named."""
    try:
        check_json_size(path, path.stat().st_size)
        document = json_loads(path, path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    except DataError as err:
        return f"not a Graph API response: {err.problem}"
    if isinstance(document, dict) and bool({"data", "insights", "error"} & set(document)):
        return None
    return NOT_A_RESPONSE


def classify(files, format: str | None) -> tuple[list[tuple[Path, str]], list[tuple[Path, str]]]:
    """(file, format) of each export, and (file, why) of each file of a folder that is no export."""
    exports, skipped = [], []
    for path, in_folder in files:
        if format is not None:
            exports.append((path, format))
            continue
        try:
            fmt = detect_format(path)
        except NotAnExport as err:
            if not in_folder:
                raise
            skipped.append((path, err.problem.split(";")[0]))
            continue
        why = not_graph_response(path) if fmt == "graph-api" and in_folder else None
        if why:
            skipped.append((path, why))
            continue
        exports.append((path, fmt))
    if not exports:
        raise DataError(files[0][0].parent, "the folder holds no export (skipped: "
                        f"{', '.join(p.name for p, _ in skipped)})")
    return exports, skipped


def best_labels(labels, aliases: dict[str, str]) -> dict[str, str]:
    """Each page label -> the best label of the same page: a numeric id becomes the name a source gives."""
    return {label: aliases.get(label, label) for label in labels}


def relabel(frame: pd.DataFrame | None, aliases: dict[str, str]) -> pd.DataFrame | None:
    if frame is None:
        return None
    mapping = best_labels([str(c) for c in frame["page"].cat.categories], aliases)
    if all(k == v for k, v in mapping.items()):
        return frame
    return frame.assign(page=frame["page"].astype(str).map(mapping).astype("category"))


def import_exports(paths, format: str | None = None, page: str | None = None, zone: str | None = None) -> Imported:
    """Import exports into the tidy tables (see the module docstring).

    `format` forces one format for every file instead of telling it from the
    content. `page` labels the rows of exports that name no page (Insights,
    Graph API responses without name or id) and, where the exports hold
    several pages, keeps only that page's rows (matched on the page's name,
    user name or Facebook id, ignoring case); without it every page is kept.
    A folder holding a saved import (`imported.json`, saved.py: what `make
    rerun` and `make screen` write into OUT/data/) is read back, not imported.
    A Facebook id Excel damaged never selects a page (ids.py). `zone` is the
    ZONE parameter: the zone of times a file cannot place itself (zones.py);
    a saved import was placed in time when it was imported, so it needs none.
    """
    if format is not None and format not in FORMATS:
        raise ParameterError(f"unknown format {format!r}; the formats are: {formats_list()}")
    zone = parse_zone(zone)
    if format is None and (folder := saved_import(paths)) is not None:  # imported once already (saved.py)
        return with_page(read_saved(folder), page)
    files, skipped = export_files(paths)
    exports, not_exports = classify(files, format)
    skipped += not_exports
    parts = read_parts(exports, page, zone)
    aliases: dict[str, str] = {}
    damaged: dict[str, tuple[str, ...]] = {}
    for part in parts:
        aliases.update(part.aliases)
        for alias, pages in part.damaged_ids.items():
            damaged[alias] = tuple(sorted(set(damaged.get(alias, ())) | set(pages)))
    for alias in [a for a in aliases if a in damaged]:  # an id damaged in one file is trusted in none
        del aliases[alias]
    times = [(part.files[0].path, *part.download_time) for part in parts if part.download_time]
    newest_first = {p: when for p, when, _ in times}
    post_parts = sorted([(part.files[0].path, part.posts) for part in parts if part.posts is not None],
                        key=lambda item: newest_first.get(item[0], pd.Timestamp.max.tz_localize("UTC")), reverse=True)
    fan_counts, fans_repeats, _ = concat_tables(
        [(part.files[0].path, part.fan_counts) for part in parts if part.fan_counts is not None], "fan_counts")
    fans_repeats += sum(part.repeats_dropped for part in parts)
    posts, posts_repeats, updated = concat_tables(post_parts, "posts", newer_wins=set(newest_first))
    eras = [part.eras for part in parts if part.eras is not None]
    era_table = None
    if eras:
        era_table = pd.concat([e.assign(page=e["page"].astype(str)) for e in eras], ignore_index=True)
        era_table = era_table.drop_duplicates(["page", "date"], keep="first")
        era_table["page"] = era_table["page"].map(lambda label: aliases.get(label, label))
        era_table = era_table.sort_values(["page", "date"]).reset_index(drop=True)
    fan_counts, posts = relabel(fan_counts, aliases), relabel(posts, aliases)
    if sum(part.fan_counts is not None for part in parts) > 1 or len(post_parts) > 1:
        # one file's days were checked as it was read; several files' sums are checked again here
        where = files[0][0].parent if files[0][1] else files[0][0]
        check_totals(where, fan_counts, "fan_counts")
        check_totals(where, posts, "posts")
    refuse_damaged_page(page, damaged)
    fan_counts = select_page(fan_counts, page, aliases, "fan counts")
    posts = select_page(posts, page, aliases, "posts")
    read = [file for part in parts for file in part.files]
    audiences = {part.posts_audience for part in parts if part.posts_audience}
    return Imported(
        fan_counts=fan_counts, posts=posts,
        formats=tuple(r.format for r in read), files=tuple(r.path for r in read), read=tuple(read),
        skipped=tuple(skipped), eras=era_table, aliases=aliases,
        posts_without_fans=tuple(row for part in parts for row in part.posts_without_fans),
        repeats_dropped={"fan_counts": fans_repeats, "posts": posts_repeats}, posts_updated=updated,
        download_times=tuple((p, f"{when:%Y-%m-%d %H:%M:%S} UTC", how) for p, when, how in times),
        eras_overlap=tuple(day for part in parts for day in part.eras_overlap),
        gross=next((part.gross for part in parts if part.gross is not None), None),
        posts_audience=audience_of_posts(audiences),
        notes=tuple((part.files[0].path, note) for part in parts for note in part.notes), damaged_ids=damaged,
        bare_totals=bare_totals(parts, aliases, page),
        totals_known=tuple(known for part in parts for known in part.totals_known))


def audience_of_posts(held: set[str]) -> str:
    """'fans', 'followers' or 'fans or followers': what the counts at posting of all files count."""
    return " or ".join(sorted({a for each in held for a in each.split(" or ")})) or "fans"


def refuse_damaged_page(page: str | None, damaged: dict[str, tuple[str, ...]]) -> None:
    """PAGE= given as a Facebook id Excel damaged: refused, naming the pages that share it."""
    if page is not None and str(page).strip() in damaged:
        pages = [one_line(name) for name in damaged[str(page).strip()]]  # a page's name may hold a line break
        raise ParameterError(f"PAGE={one_line(str(page).strip())}: this Facebook id was damaged by Excel (rounded to 15 "
                             f"significant digits) and stands for {len(pages)} page{'s' if len(pages) > 1 else ''} "
                             f"here ({', '.join(pages)}); choose the page by its name or user name")


def bare_totals(parts: list[Part], aliases: dict[str, str], page: str | None) -> pd.DataFrame | None:
    """The days every part gave a total with no country (page, date, total), relabelled like the
    tables; a day some other file lists countries for is the other file's (its ZZ holds the total)."""
    given = [part.bare_totals for part in parts if part.bare_totals is not None]
    if not given:
        return None
    table = pd.concat(given, ignore_index=True)
    table["page"] = table["page"].astype(str).map(lambda label: aliases.get(label, label))
    table = table.drop_duplicates(["page", "date"]).sort_values(["page", "date"]).reset_index(drop=True)
    if page is not None:
        from ..pages import matching_pages
        table = table[table["page"].isin(matching_pages(page, set(table["page"]), aliases))]
    return table.reset_index(drop=True) if len(table) else None


def read_parts(exports: list[tuple[Path, str]], page: str | None, zone=None) -> list[Part]:
    """Each format's reader on its files: a format read as one pull first (a Graph API pull is several
    responses, and ZZ needs a total and the countries of the same day), then every other file in order."""
    parts = []
    for fmt in REGISTRY:
        if fmt.together and (paths := [path for path, name in exports if name == fmt.name]):
            parts.append(fmt.read(paths, page, zone))
    parts += [FORMATS[name].read([path], page, zone) for path, name in exports if not FORMATS[name].together]
    return parts


def with_page(imported: Imported, page: str | None) -> Imported:
    """A saved import narrowed to one page, as `import_exports(page=...)` narrows a raw one."""
    if page is None:
        return imported
    refuse_damaged_page(page, imported.damaged_ids)
    bare = imported.bare_totals
    if bare is not None:
        from ..pages import matching_pages
        bare = bare[bare["page"].astype(str).isin(matching_pages(page, set(bare["page"].astype(str)), imported.aliases))]
    return dataclasses.replace(imported, bare_totals=bare,
                               fan_counts=select_page(imported.fan_counts, page, imported.aliases, "fan counts"),
                               posts=select_page(imported.posts, page, imported.aliases, "posts"))
