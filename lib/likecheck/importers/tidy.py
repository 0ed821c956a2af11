"""Our own tidy CSV (exactly the FAN_COUNTS or POSTS columns) -> the same table, via load.read_table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..load import read_table
from ..schemas import FAN_COUNTS, POSTS
from .common import IMPORTED_SPECS, check_totals, normalise, require_column
from .format import Format, Part, Sniffed, fan_counts_part, sha256_of
from .result import FileRead
from .sniff import file_header

TIDY_SPECS = {"fan_counts": FAN_COUNTS, "posts": POSTS}


def read_tidy(path, kind: str) -> pd.DataFrame:
    """A tidy table written by us (or by hand), typed like every imported table.

    Missing columns are reported with the columns found; everything else is
    the loader's own checking (`load.read_table`).
    """
    path = Path(path)
    header = [cell.strip() for cell in file_header(path)]
    for column in TIDY_SPECS[kind].columns:
        require_column(path, header, column, what=f" (a tidy {kind} table has {', '.join(TIDY_SPECS[kind].columns)})")
    table = normalise(read_table(path, TIDY_SPECS[kind]), IMPORTED_SPECS[kind])
    check_totals(path, table, kind)
    return table


def is_tidy_posts(sniffed: Sniffed) -> bool:
    names = sniffed.names
    return sniffed.kind == "csv" and "page" in names and bool(names & {"post_id", "posted_at", "interactions",
                                                                          "fans_at_posting"})


def is_tidy_fans(sniffed: Sniffed) -> bool:
    names = sniffed.names
    return sniffed.kind == "csv" and "page" in names and bool(names & {"fans", "country"})


def read_fans_part(paths: list[Path], page: str | None = None, zone=None) -> Part:
    return fan_counts_part(paths[0], "tidy-fans", read_tidy(paths[0], "fan_counts"))


def read_posts_part(paths: list[Path], page: str | None = None, zone=None) -> Part:
    path = paths[0]
    return Part(files=(FileRead(path, "tidy-posts", "posts", sha256_of(path)),), posts=read_tidy(path, "posts"))


POSTS_FORMAT = Format("tidy-posts", f"tidy posts CSV ({', '.join(POSTS.columns)})", "posts", is_tidy_posts,
                      read_posts_part)
FANS_FORMAT = Format("tidy-fans", f"tidy fan counts CSV ({', '.join(FAN_COUNTS.columns)})", "fan_counts",
                     is_tidy_fans, read_fans_part)
