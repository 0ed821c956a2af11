"""Writing tables: the one CSV writer, atomic and safe to open in a spreadsheet."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

#: A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a quote.

    Only text columns are touched: numbers (negative ones included) stay numbers.
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_string_dtype(series) or series.dtype == object or isinstance(series.dtype, pd.CategoricalDtype):
            text = series.astype("object")
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_PREFIXES))
            if risky.any():
                out[column] = text.where(~risky, "'" + text.astype(str))
    return out


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Deterministic CSV: no index, ISO dates, '\\n' line ends, floats to 10 significant digits.

    Dates (naive datetimes) are written as YYYY-MM-DD; moments (tz-aware
    datetimes, such as a post's time) keep their time of day, in UTC.
    """
    safe = neutralise_formulas(frame)
    for column in safe.columns:
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    text = safe.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d", float_format="%.10g")
    return text.encode("utf-8")


def write_csv(frame: pd.DataFrame, path) -> Path:
    """Write `frame` as CSV atomically; the one way the project writes a table."""
    path = Path(path)
    atomic_write_bytes(path, csv_bytes(frame))
    return path
