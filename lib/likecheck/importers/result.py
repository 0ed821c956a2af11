"""What an import returns: the tidy tables and everything the import learnt on the way.

One type for every format (`Imported`); `FileRead` is one file of it. The
eras of the counts (fans, or followers since Meta's switch) are learnt here,
so `era_switch`, which says where they switch, lives here too: the report
and the notebooks' window check both ask it, and the metrics need no import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


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
    #: page, date, total: days whose total is given with no country listed (lists.py: their countries are unknown).
    bare_totals: pd.DataFrame | None = None
    #: (file, what the file gives of the page's total), for the import report.
    totals_known: tuple[tuple[Path, str], ...] = ()
    #: The name of what was imported (the file or folder DATA named), where the import was saved and read back.
    source: str = ""

    def audience(self, page: str | None = None) -> pd.DataFrame:
        """The eras of one page's days (all pages when `page` is None)."""
        eras = self.eras if self.eras is not None else pd.DataFrame(columns=["page", "date", "audience"])
        return eras if page is None else eras[eras["page"] == page]


def era_switch(eras: pd.DataFrame) -> str | None:
    """Where one page's counts switch from fans to followers: 'fans to 2025-11-14, followers from 2025-11-15'."""
    fans, followers = eras.loc[eras["audience"] == "fans", "date"], eras.loc[eras["audience"] == "followers", "date"]
    if fans.empty or followers.empty:
        return None
    return f"fans to {fans.max():%Y-%m-%d}, followers from {followers.min():%Y-%m-%d}"
