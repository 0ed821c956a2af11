"""Import a fact-checker's own exports into the tidy tables the notebooks use.

`import_exports` takes one file, several, or a folder (every file in it, in
name order), tells each file's format from its content, and returns the fan
counts by country (`schemas.FAN_COUNTS`) and the posts (`schemas.POSTS`)
they hold, with what the import report needs (`report.py`). Formats (names
for `format=`):

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

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import DataError, ParameterError
from . import crowdtangle_api, crowdtangle_api_csv, crowdtangle_xlsx, fourcat
from .cache import remembered_sha256
from .common import concat_tables, select_page
from .crowdtangle import download_time, read_crowdtangle
from .zones import parse_zone
from .graph_api import read_graph_api
from .insights import read_insights_csv, read_insights_xlsx
from .sniff import FORMATS, NotAnExport, detect_format, file_header
from .tidy import read_tidy

__all__ = ["FORMATS", "FileRead", "Imported", "detect_format", "export_files", "import_exports"]

#: Files operating systems leave in folders; never exports.
SYSTEM_FILES = frozenset({".ds_store", "desktop.ini", "thumbs.db"})

#: Post formats read by a module of their own: format -> (reader(path, zone), download_time(path, zone)).
POST_READERS = {
    "crowdtangle": (lambda path, zone: read_crowdtangle(path, file_header(path), zone), download_time),
    crowdtangle_xlsx.FORMAT: (crowdtangle_xlsx.read, crowdtangle_xlsx.download_time_of),
    crowdtangle_api.FORMAT: (crowdtangle_api.read, crowdtangle_api.download_time),
    crowdtangle_api_csv.FORMAT: (crowdtangle_api_csv.read, download_time),
    fourcat.FORMAT: (fourcat.read, download_time),
}


@dataclass(frozen=True)
class FileRead:
    """One file of the import: its format, what it holds (fans, followers or posts) and its SHA-256."""
    path: Path
    format: str
    holds: str
    sha256: str


@dataclass(frozen=True)
class Imported:
    """What an import found: each table (None when no file held it), and what the report says of it."""
    fan_counts: pd.DataFrame | None
    posts: pd.DataFrame | None
    formats: tuple[str, ...]
    files: tuple[Path, ...]
    #: Each file read, in order.
    read: tuple[FileRead, ...] = ()
    #: (file, why) of each file of a folder that is not an export.
    skipped: tuple[tuple[Path, str], ...] = ()
    #: page, date, audience ("fans" or "followers") of every day of fan_counts.
    eras: pd.DataFrame | None = None
    #: Page ids and user names -> the page's label.
    aliases: dict[str, str] = field(default_factory=dict)
    #: (file, row) of every post whose fan count at posting is blank or 0.
    posts_without_fans: tuple[tuple[Path, int], ...] = ()
    #: Rows that repeated another file's row exactly, by table.
    repeats_dropped: dict[str, int] = field(default_factory=dict)
    #: Posts whose counts a later download updated, and how each download's time was known.
    posts_updated: int = 0
    download_times: tuple[tuple[Path, str, str], ...] = ()
    #: Days given in both eras (the followers' counts are used).
    eras_overlap: tuple[str, ...] = ()
    #: page, date, audience, gained, lost: the page's daily gross changes (Graph API page_fan_adds and
    #: page_fan_removes, or page_daily_follows_unique and page_daily_unfollows_unique), where given.
    gross: pd.DataFrame | None = None
    #: What the posts' count at posting counts: 'fans', 'followers', or 'fans or followers' (mixed files).
    posts_audience: str = "fans"
    #: (file, note) of what an importer decided: separators, zones, damaged ids (the report lists them).
    notes: tuple[tuple[Path, str], ...] = ()
    #: Facebook ids Excel damaged -> the pages they were given for; never used to match or select a page.
    damaged_ids: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def audience(self, page: str | None = None) -> pd.DataFrame:
        """The eras of one page's days (all pages when `page` is None)."""
        eras = self.eras if self.eras is not None else pd.DataFrame(columns=["page", "date", "audience"])
        return eras if page is None else eras[eras["page"] == page]


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


def is_graph_response(path: Path) -> bool:
    """Whether a JSON file has the shape of a Graph API answer (data, insights or error); malformed JSON
    counts as one, so that a truncated response is reported, not skipped."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return True
    return isinstance(document, dict) and bool({"data", "insights", "error"} & set(document))


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
        if fmt == "graph-api" and in_folder and not is_graph_response(path):
            skipped.append((path, "a JSON file that is not a Graph API response (no 'data', 'insights' or 'error')"))
            continue
        exports.append((path, fmt))
    if not exports:
        raise DataError(files[0][0].parent, "the folder holds no export (skipped: "
                        f"{', '.join(p.name for p, _ in skipped)})")
    return exports, skipped


def sha256_of(path: Path) -> str:
    known = remembered_sha256(path)
    if known:
        return known
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _single_file_part(path: Path, fmt: str, page: str | None) -> tuple[str, pd.DataFrame]:
    """(table kind, table) of one file in a format read file by file (not CrowdTangle, not Graph API)."""
    if fmt == "insights-xlsx":
        return "fan_counts", read_insights_xlsx(path, page)
    if fmt == "insights-csv":
        return "fan_counts", read_insights_csv(path, page)
    kind = "fan_counts" if fmt == "tidy-fans" else "posts"
    return kind, read_tidy(path, kind)


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
    A Facebook id Excel damaged never selects a page (ids.py). `zone` is the
    ZONE parameter: the zone of times a file cannot place itself (zones.py).
    """
    if format is not None and format not in FORMATS:
        raise ParameterError(f"unknown format {format!r}; the formats are: {', '.join(FORMATS)}")
    zone = parse_zone(zone)
    files, skipped = export_files(paths)
    exports, not_exports = classify(files, format)
    skipped += not_exports
    parts: dict[str, list] = {"fan_counts": [], "posts": []}
    aliases: dict[str, str] = {}
    read, without_fans, eras, overlap, times, notes, damaged = [], [], [], [], [], [], {}
    post_audiences = set()
    gross = None
    graph_files = [path for path, fmt in exports if fmt == "graph-api"]
    if graph_files:  # a pull is several responses: ZZ needs a total and the countries of the same day
        graph = read_graph_api(graph_files, page)
        parts["fan_counts"].append((graph_files[0], graph.fan_counts))
        aliases.update(graph.aliases)
        eras.append(graph.eras)
        gross = graph.gross if not graph.gross.empty else None
        overlap += graph.eras_overlap
        held = " and ".join(sorted(set(graph.eras["audience"])))
        read += [FileRead(p, "graph-api", held, sha256_of(p)) for p in graph_files]
    for path, fmt in exports:
        if fmt == "graph-api":
            continue
        if fmt in POST_READERS:
            reader, when_downloaded = POST_READERS[fmt]
            ct = reader(path, zone)
            parts["posts"].append((path, ct.posts))
            aliases.update(ct.aliases)
            notes += [(path, note) for note in ct.notes]
            for alias, pages in ct.damaged_ids.items():
                damaged[alias] = tuple(sorted(set(damaged.get(alias, ())) | set(pages)))
            without_fans += [(path, row) for row in ct.rows_without_fans]
            when, how = when_downloaded(path, zone)
            times.append((path, when, how))
            read.append(FileRead(path, fmt, "posts", ct.sha256))
            post_audiences.add(ct.audience)
            continue
        kind, table = _single_file_part(path, fmt, page)
        parts[kind].append((path, table))
        if kind == "fan_counts":
            eras.append(table[["page", "date"]].drop_duplicates().assign(audience="fans"))
        read.append(FileRead(path, fmt, "fans" if kind == "fan_counts" else "posts", sha256_of(path)))
    newest_first = {p: when for p, when, _ in times}
    parts["posts"].sort(key=lambda part: newest_first.get(part[0], pd.Timestamp.max.tz_localize("UTC")),
                        reverse=True)
    fan_counts, fans_repeats, _ = concat_tables(parts["fan_counts"], "fan_counts")
    fans_repeats += graph.repeats_dropped if graph_files else 0
    posts, posts_repeats, updated = concat_tables(parts["posts"], "posts", newer_wins=set(newest_first))
    era_table = None
    if eras:
        era_table = pd.concat([e.assign(page=e["page"].astype(str)) for e in eras], ignore_index=True)
        era_table = era_table.drop_duplicates(["page", "date"], keep="first")
        era_table["page"] = era_table["page"].map(lambda label: aliases.get(label, label))
        era_table = era_table.sort_values(["page", "date"]).reset_index(drop=True)
    for alias in [a for a in aliases if a in damaged]:  # an id damaged in one file is trusted in none
        del aliases[alias]
    fan_counts, posts = relabel(fan_counts, aliases), relabel(posts, aliases)
    refuse_damaged_page(page, damaged)
    fan_counts = select_page(fan_counts, page, aliases, "fan counts")
    posts = select_page(posts, page, aliases, "posts")
    return Imported(
        fan_counts=fan_counts, posts=posts,
        formats=tuple(r.format for r in read), files=tuple(r.path for r in read), read=tuple(read),
        skipped=tuple(skipped), eras=era_table, aliases=aliases, posts_without_fans=tuple(without_fans),
        repeats_dropped={"fan_counts": fans_repeats, "posts": posts_repeats}, posts_updated=updated,
        download_times=tuple((p, f"{when:%Y-%m-%d %H:%M:%S} UTC", how) for p, when, how in times),
        eras_overlap=tuple(overlap), gross=gross, posts_audience=audience_of_posts(post_audiences),
        notes=tuple(notes), damaged_ids=damaged)


def audience_of_posts(held: set[str]) -> str:
    """'fans', 'followers' or 'fans or followers': what the counts at posting of all files count."""
    return " or ".join(sorted({a for each in held for a in each.split(" or ")})) or "fans"


def refuse_damaged_page(page: str | None, damaged: dict[str, tuple[str, ...]]) -> None:
    """PAGE= given as a Facebook id Excel damaged: refused, naming the pages that share it."""
    if page is not None and str(page).strip() in damaged:
        pages = damaged[str(page).strip()]
        raise ParameterError(f"PAGE={str(page).strip()}: this Facebook id was damaged by Excel (rounded to 15 "
                             f"significant digits) and stands for {len(pages)} page{'s' if len(pages) > 1 else ''} "
                             f"here ({', '.join(pages)}); choose the page by its name or user name")
