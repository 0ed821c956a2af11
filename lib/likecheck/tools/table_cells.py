"""A table's cell as the site's cards show it: names, not codes; numbers as people read them.

The CSV linked beside every card keeps each cell as the screen wrote it (an ISO code, a score to four
decimals, an excess to a tenth of a fan), for programs; the cards are for readers. Decisions, written
down, for the columns of screening.csv:

- ``country``: the country's name (``IN`` -> India, through ``labels.country_name``).
- ``score``: one decimal below 100 (``13.9``, ``2.9``) and whole from 100 up (``625``, ``5,159``): a
  score compares with its threshold, and from 100 up a decimal changes nothing a reader decides.
- ``threshold``: as the settings give it (``6``, ``20``; a threshold of 2.5 stays ``2.5``).
- ``excess``: an estimate, the fans or followers gained beyond what the baseline of the days before
  predicts, so it is rounded to thousands and said to be approximate, with what it exceeds:
  ``about 227,000 more than predicted`` (``style.count_text``'s rule for a count resting on an
  approximate number; the note beside it keeps the screen's own words). Nothing beyond the prediction
  (``0``, the quiet rows) reads ``none``; below it, ``about 5,000 fewer than predicted``.
- ``flagged``: ``yes`` or ``no``.
A cell that is blank, or not a number where a number is expected, is shown as it is: never hidden.
"""

from __future__ import annotations

import math

from ..labels import country_name
from ..style import count_text, readable_number

#: A table's column of ISO 3166 country codes (screening.csv): shown on the site by country name.
COUNTRY = "country"
#: Scores from here up are shown whole.
WHOLE_SCORE = 100


def shown_value(column: str, value):
    """A table's cell as a reader sees it ('IN' -> 'India', '625.0848' -> '625',
    '227487.2' -> 'about 227,000 more than predicted'); blank cells stay blank."""
    text = str(value).strip()
    if not text:
        return value
    if column == COUNTRY:
        return country_name(text)
    if column == "flagged" and text.lower() in ("true", "false"):
        return "yes" if text.lower() == "true" else "no"
    shown = NUMBER_COLUMNS.get(column)
    number = as_number(text)
    return value if shown is None or number is None else shown(number)


def as_number(text: str) -> float | None:
    """The cell's number, or None when it is not one (then the card shows the cell as written)."""
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def score_text(score: float) -> str:
    """'625.0848' -> '625'; '13.868' -> '13.9'; '0.1006' -> '0.1'."""
    return readable_number(round(score) if abs(score) >= WHOLE_SCORE else round(score, 1))


def excess_text(excess: float) -> str:
    """'227487.2' -> 'about 227,000 more than predicted'; '0' -> 'none'."""
    if round(excess) == 0:
        return "none"
    direction = "more" if excess > 0 else "fewer"
    return f"{count_text(abs(excess), 'about')} {direction} than predicted"


NUMBER_COLUMNS = {"score": score_text, "threshold": readable_number, "excess": excess_text}
