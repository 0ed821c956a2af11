"""Dates a reader types (START, END), checked without pandas.

`make rerun` answers a mistyped date before it imports pandas (about a second
here), and `published.parse_day` turns the same checked day into a Timestamp,
so there is one rule and one wording for every date parameter.
"""

from __future__ import annotations

import re
from datetime import date

from .errors import ParameterError

#: The one form a date parameter may take: pandas would also read 04/03/2016 (as 3 April),
#: 2016 (as 1 January) and 20160222, which a reader cannot tell from a typo.
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # ASCII: "２０１６" is no year a reader typed


def parse_iso_day(text, name: str) -> date:
    """A parameter date typed as YYYY-MM-DD (spaces around it allowed) as a date, or a one-line
    ParameterError. A date object passes as its day (`published.parse_day` checks a time of day)."""
    if isinstance(text, date):
        return date(text.year, text.month, text.day)
    if not (isinstance(text, str) and ISO_DAY.fullmatch(text.strip())):
        raise ParameterError(f"parameter {name}: {text!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ParameterError(f"parameter {name}: {text!r} is not a date (no such day)") from None


def check_order(first, last) -> None:
    """START not after END (dates or Timestamps), else a one-line ParameterError."""
    if first > last:
        raise ParameterError(f"parameters: start {first:%Y-%m-%d} is after end {last:%Y-%m-%d}")


def parse_iso_window(start, end) -> tuple[date, date]:
    """START and END as dates, START not after END; else a one-line ParameterError."""
    first, last = parse_iso_day(start, "START"), parse_iso_day(end, "END")
    check_order(first, last)
    return first, last
