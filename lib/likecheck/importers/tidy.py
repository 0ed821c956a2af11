"""Our own tidy CSV (exactly the FAN_COUNTS or POSTS columns) -> the same table, via load.read_table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..load import read_table
from ..schemas import FAN_COUNTS, POSTS
from .common import IMPORTED_SPECS, check_totals, normalise, require_column
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
