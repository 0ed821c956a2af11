"""The one exception type the package raises for bad input.

Every message is a single line that names the file, the place in it (line or
key) and the column or field, then says what is wrong, so a fact-checker can
fix the input without reading a traceback.
"""

from __future__ import annotations

from pathlib import Path


class LikecheckError(Exception):
    """Base class: anything the command line reports as one line and exit 2."""


class DataError(LikecheckError):
    """Bad input data: names file, line (or key), column, and the problem."""

    def __init__(self, file, problem: str, *, line: int | None = None,
                 column: str | None = None, key: str | None = None):
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        self.key = key
        self.problem = " ".join(str(problem).split())  # always one line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [display_path(self.file)] if self.file else []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.key is not None:
            where.append(f"key {self.key!r}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return ", ".join(where) + f": {self.problem}" if where else self.problem


class ParameterError(LikecheckError):
    """A run parameter (dates, page, format) that cannot be used."""


def display_path(path, cwd=None) -> str:
    """Show a path relative to the working directory (or `cwd`, where the user typed the command)
    when it lies below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path(cwd or Path.cwd()).resolve()))
    except ValueError:
        return str(p)
