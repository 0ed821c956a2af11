"""Import a fact-checker's own exports into the tidy tables the notebooks use.

`import_exports` takes one file, several, or a folder (every file in it, in
name order; hidden files are skipped), tells each file's format from its
content, and returns the fan counts by country (`schemas.FAN_COUNTS`) and the
posts (`schemas.POSTS`) they hold. Formats (names for `format=`):

* graph-api: Graph API Page Insights JSON (graph_api.py);
* insights-xlsx, insights-csv: the Page Insights export (insights.py);
* crowdtangle: CrowdTangle historical-data CSV, at any size (crowdtangle.py);
* tidy-fans, tidy-posts: our own tidy CSV (tidy.py).

Every table comes back with the same dtypes whatever its format (page and
country as categories, text as Arrow strings, counts as Int64). Bad input is
a `DataError` of one line naming the file, the line/row or JSON key and the
problem; a bad parameter (unknown format, page not in the data) is a
`ParameterError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataError, ParameterError
from .common import concat_tables, select_page
from .crowdtangle import read_crowdtangle
from .graph_api import read_graph_api
from .insights import read_insights_csv, read_insights_xlsx
from .sniff import FORMATS, detect_format, file_header
from .tidy import read_tidy

__all__ = ["FORMATS", "Imported", "detect_format", "export_files", "import_exports"]


@dataclass(frozen=True)
class Imported:
    """What an import found: each table (None when no file held it), and each file's format."""
    fan_counts: pd.DataFrame | None
    posts: pd.DataFrame | None
    formats: tuple[str, ...]
    files: tuple[Path, ...]


def export_files(paths) -> list[Path]:
    """The files to import: each file given, and every visible file of each folder, sorted by name."""
    given = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if not given:
        raise ParameterError("no export file or folder given")
    files = []
    for item in map(Path, given):
        if item.is_dir():
            inside = sorted(p for p in item.iterdir() if p.is_file() and not p.name.startswith("."))
            if not inside:
                raise DataError(item, "the folder holds no files to import")
            files += inside
        elif item.is_file():
            files.append(item)
        else:
            raise DataError(item, "no such file or folder")
    return list(dict.fromkeys(files))


def _single_file_part(path: Path, fmt: str, page: str | None) -> tuple[str, pd.DataFrame, dict[str, str]]:
    """(table kind, table, page aliases) of one file in a format that is read file by file."""
    if fmt == "insights-xlsx":
        return "fan_counts", read_insights_xlsx(path, page), {}
    if fmt == "insights-csv":
        return "fan_counts", read_insights_csv(path, page), {}
    if fmt == "crowdtangle":
        return ("posts", *read_crowdtangle(path, file_header(path)))
    kind = "fan_counts" if fmt == "tidy-fans" else "posts"
    return kind, read_tidy(path, kind), {}


def import_exports(paths, format: str | None = None, page: str | None = None) -> Imported:
    """Import exports into the tidy tables (see the module docstring).

    `format` forces one format for every file instead of telling it from the
    content. `page` labels the rows of single-page exports (Graph API,
    Insights) and, in exports of several pages (CrowdTangle, tidy CSV),
    keeps only that page's rows (matched on Page Name, User Name or Facebook
    Id, ignoring case); without it every page is kept.
    """
    if format is not None and format not in FORMATS:
        raise ParameterError(f"unknown format {format!r}; the formats are: {', '.join(FORMATS)}")
    files = export_files(paths)
    formats = [format or detect_format(path) for path in files]
    parts: dict[str, list] = {"fan_counts": [], "posts": []}
    aliases: dict[str, str] = {}
    graph_files = [path for path, fmt in zip(files, formats) if fmt == "graph-api"]
    if graph_files:  # paged responses belong together: ZZ needs page_fans and the countries of the same day
        parts["fan_counts"].append((graph_files[0], read_graph_api(graph_files, page)))
    for path, fmt in zip(files, formats):
        if fmt != "graph-api":
            kind, table, found = _single_file_part(path, fmt, page)
            parts[kind].append((path, table))
            aliases.update(found)
    return Imported(
        fan_counts=select_page(concat_tables(parts["fan_counts"], "fan_counts"), page, aliases, "fan counts"),
        posts=select_page(concat_tables(parts["posts"], "posts"), page, aliases, "posts"),
        formats=tuple(formats), files=tuple(files))
