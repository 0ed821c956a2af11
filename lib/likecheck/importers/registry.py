"""The formats an import knows, in the order they are recognised.

To add a format: write its module (a reader returning a `format.Part`, a
recogniser of what `sniff` saw, and a `Format` record), and add its line here.
The order matters where two formats could claim a file: CrowdTangle's API JSON
before the Graph API (which takes any other JSON), a CrowdTangle sheet re-saved
by Excel before the Insights workbook (which takes any other workbook), the
CSVs PyCooRnet and 4CAT write and our tidy tables (which name a `page` column)
before CrowdTangle, CrowdTangle before the Insights CSV. `FORMAT=` takes the
names; the error for a file that none recognises lists them all.

Before the formats, a file that is recognisably another export (a post
history, a Link Checker CSV, a post-level Insights export, a Graph API
response without fan metrics) is refused by name (refusals.py).
"""

from __future__ import annotations

from pathlib import Path

from . import (crowdtangle, crowdtangle_api, crowdtangle_api_csv, crowdtangle_xlsx, fourcat, graph_api, insights,
               tidy)
from .format import Format
from .refusals import Refused, refusal
from .sniff import NotAnExport, sniff, unrecognised

REGISTRY: tuple[Format, ...] = (
    crowdtangle_api.FORMAT,
    graph_api.FORMAT,
    crowdtangle_xlsx.FORMAT,
    insights.XLSX_FORMAT,
    fourcat.FORMAT,
    crowdtangle_api_csv.FORMAT,
    tidy.POSTS_FORMAT,
    tidy.FANS_FORMAT,
    crowdtangle.FORMAT,
    insights.CSV_FORMAT,
)
#: Each format by its name (the names `import_exports(format=...)` and FORMAT= accept).
FORMATS: dict[str, Format] = {fmt.name: fmt for fmt in REGISTRY}


def formats_list() -> str:
    """The format names, short enough for a one-line error (`--help` and docs/formats.md say what each is)."""
    return ", ".join(fmt.name for fmt in REGISTRY)


def detect_format(path) -> str:
    """The name of the format of one export file, from its content; a NotAnExport (a DataError naming the
    file and listing the formats) when it is none of them, or a refusals.Refused saying what it is."""
    try:
        sniffed = sniff(Path(path))
        refused = refusal(sniffed)
        if refused is not None:
            raise refused
        for fmt in REGISTRY:
            if fmt.recognise(sniffed):
                return fmt.name
        raise unrecognised(sniffed)
    except Refused:
        raise
    except NotAnExport as err:
        raise NotAnExport(err.file, f"{err.problem}; the formats are: {formats_list()}", line=err.line) from None
