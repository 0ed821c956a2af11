"""What a format is, and the one shape every format's reader returns.

Modelled on frictionless-py's format plugins: a format is a small record
(`Format`) that says how a file of it is recognised (from what `sniff` read
of its head, never from its name), what it holds (fan counts or posts), which
notebooks and screening signals it can feed, and how it is read. Every reader
returns a `Part`; `import_exports` joins the parts of all the files into one
`Imported`. The formats themselves are listed in registry.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from .cache import remembered_sha256
from .result import FileRead

#: What each table can feed: the notebooks and the screening signals that read it.
FEEDS = {
    "fan_counts": ("01_like_origin", "05_screening: country_surge", "05_screening: origin_shift"),
    "posts": ("02_engagement", "05_screening: fan_jump", "05_screening: engagement_dilution"),
}


@dataclass(frozen=True)
class Sniffed:
    """What the head of a file showed: a workbook (.xlsx), JSON, or CSV with its header's cells."""
    path: Path
    kind: str
    header: tuple[str, ...] = ()
    #: The head as text (JSON and CSV), and whether it is the whole file.
    text: str = ""
    complete: bool = False
    #: A workbook's sheets: (title, the cells of its first row) of each.
    sheets: tuple[tuple[str, tuple], ...] = ()

    @property
    def names(self) -> frozenset[str]:
        """The header's cells as readers match them: spaces collapsed, case ignored."""
        return frozenset(" ".join(cell.split()).casefold() for cell in self.header)


@dataclass(frozen=True)
class Part:
    """What one format's reader found in its file(s): the shape every reader returns."""
    files: tuple[FileRead, ...]
    fan_counts: pd.DataFrame | None = None
    posts: pd.DataFrame | None = None
    #: page, date, audience ("fans" or "followers") of every day of fan_counts.
    eras: pd.DataFrame | None = None
    #: Page ids and user names -> the page's label.
    aliases: dict[str, str] = field(default_factory=dict)
    #: page, date, audience, gained, lost: the page's daily gross changes, where given.
    gross: pd.DataFrame | None = None
    #: Days given in both eras (the followers' counts are kept).
    eras_overlap: tuple[str, ...] = ()
    #: Rows given identically twice inside the part, dropped.
    repeats_dropped: int = 0
    #: (file, row) of every post whose fan count at posting is blank or 0.
    posts_without_fans: tuple[tuple[Path, int], ...] = ()
    #: When the file was downloaded (UTC) and how that was known, for "the newest download wins".
    download_time: tuple[pd.Timestamp, str] | None = None
    #: What the posts' count at posting counts: 'fans' or 'followers'.
    posts_audience: str | None = None
    #: What the reader decided about the file (separators, zones, damaged ids), for the report.
    notes: tuple[str, ...] = ()
    #: Facebook ids Excel damaged -> the pages they were given for (ids.py); never aliases.
    damaged_ids: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: page, date, total: days whose total is given with no country listed (their countries are unknown).
    bare_totals: pd.DataFrame | None = None
    #: (file, what the file gives of the page's total), for the import report.
    totals_known: tuple[tuple[Path, str], ...] = ()


@dataclass(frozen=True)
class Format:
    """One export format: its name (for FORMAT=), what it is, what it holds, how to tell it and read it."""
    name: str
    description: str
    holds: str                                        # "fan_counts" or "posts"
    recognise: Callable[[Sniffed], bool]
    #: (files, page, zone) -> Part; zone: the ZONE parameter (zones.parse_zone), for times a file
    #: cannot place itself (formats whose times carry their zone ignore it)
    read: Callable[[list[Path], str | None, object], Part]
    #: The files of this format are one pull (read in one call), not one file each.
    together: bool = False

    @property
    def feeds(self) -> tuple[str, ...]:
        return FEEDS[self.holds]


def sha256_of(path: Path) -> str:
    known = remembered_sha256(path)
    if known:
        return known
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def fan_counts_part(path: Path, format_name: str, table: pd.DataFrame, *, bare_totals: pd.DataFrame | None = None,
                    totals_known: str = "") -> Part:
    """The Part of one file of fan counts by country in the fans era (Insights, tidy)."""
    return Part(files=(FileRead(path, format_name, "fans", sha256_of(path)),), fan_counts=table,
                eras=table[["page", "date"]].drop_duplicates().assign(audience="fans"),
                bare_totals=bare_totals, totals_known=((path, totals_known),) if totals_known else ())


def totals_sentence(days_with_countries: int, days_with_both: int, bare_days: int, total_name: str) -> str:
    """What a file gives of the page's total, in words (the import report's per-file line)."""
    if days_with_both == 0 and bare_days == 0:
        return (f"no {total_name}: the page's total is unknown, so the rest of the world, 'abroad' and "
                "shares of the page are not computed; only the listed countries' own counts are known")
    text = f"{total_name} given on {days_with_both} of the {days_with_countries} days with countries listed"
    if bare_days:
        text += f"; {bare_days} day{'' if bare_days == 1 else 's'} give{'s' if bare_days == 1 else ''} the total with no country listed (their countries are unknown)"
    return text
