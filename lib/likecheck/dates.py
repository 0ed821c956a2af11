"""Every date rule and every date in words, in one place.

* Parameters: START and END as typed. `parse_iso_day` and `parse_iso_window`
  check them without pandas, so `make rerun` answers a mistyped date before
  it imports pandas (about a second here); `parse_day` and `parse_window` turn
  the same checked day into a Timestamp (pandas imported only then). One rule
  and one wording for every date parameter.
* Words: `day_in_words` ("14 March 2016", "14 Mar 2016") and `span_label`
  ("14-17 Mar 2016"), spelled from `MONTHS`, never with strftime's %b or %B,
  which follow the reader's locale: the figures, their CSVs, the credits and
  the site say the same dates the same way on every machine.
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
    ParameterError. A date object passes as its day (`parse_day` checks a time of day)."""
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


def parse_day(text, name: str):
    """A parameter date (ISO YYYY-MM-DD string, or a date) as a Timestamp, or a one-line ParameterError.

    Typed text is checked by `parse_iso_day`, the rule `make rerun` applies before pandas loads.
    """
    import numpy as np
    import pandas as pd
    if isinstance(text, (date, np.datetime64)):  # already a date (a pandas Timestamp is one too)
        day = pd.Timestamp(text)
        if day != day.normalize():
            raise ParameterError(f"parameter {name}: {text!r} is not a date in the form YYYY-MM-DD")
        return day
    return pd.Timestamp(parse_iso_day(text, name).isoformat())


def parse_window(start, end):
    """START and END as Timestamps, START not after END; else a one-line ParameterError."""
    first, last = parse_day(start, "START"), parse_day(end, "END")
    check_order(first, last)
    return first, last


#: Month names in English, whatever the locale (strftime's %B would follow it).
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def month_name(day, short: bool = True) -> str:
    """'Mar' (short) or 'March' of a date or Timestamp."""
    name = MONTHS[day.month - 1]
    return name[:3] if short else name


def day_in_words(day, short: bool = False, year: bool = True) -> str:
    """'14 March 2016', or '14 Mar 2016' (short), or '14 Mar' (year=False)."""
    return f"{day.day} {month_name(day, short)}" + (f" {day.year}" if year else "")


def span_label(start, end) -> str:
    """A period as the figures name it: '14 Mar 2016', '14-17 Mar 2016', '28 Feb-6 Mar 2016'."""
    if start == end:
        return day_in_words(start, short=True)
    if start.year == end.year and start.month == end.month:
        return f"{start.day}-{day_in_words(end, short=True)}"
    if start.year == end.year:
        return f"{day_in_words(start, short=True, year=False)}-{day_in_words(end, short=True)}"
    # A span over years (a data set's vintages): both years, or "19 Oct-30 Nov 2025" would hide the first.
    return f"{day_in_words(start, short=True)}-{day_in_words(end, short=True)}"
