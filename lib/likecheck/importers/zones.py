"""Time zones as CrowdTangle dashboards wrote them, and the ZONE parameter that settles the rest.

A CrowdTangle dashboard showed (and downloaded) every time in the zone its
owner chose, written as an abbreviation after the time ("2016-03-08 10:15:00
ICT") and in the download's file name ("...-22-49-20-BRT-Historical-Report...").
The weeks of the engagement metric and the Phnom Penh day of each post depend
on it, so a zone is read, never guessed:

* `ZONE_HOURS`: every abbreviation whose offset is one and the same wherever
  it is used (hours east of UTC; fractions for India, Nepal, Iran, ...);
* `AMBIGUOUS`: abbreviations that name several zones (IST: India, Ireland or
  Israel; CST: US Central, China and Taiwan, or Cuba; BST: British Summer or
  Bangladesh; ...). A file that writes one is refused, naming the choices,
  until the user says which with `ZONE=` (never `TZ`, which sets the clock
  of the process itself);
* numeric offsets as written ("+0700", "+07", "UTC+7", "GMT-03:00").

`ZONE=` takes a numeric offset or an unambiguous abbreviation; for times that
carry no zone at all (4CAT's CSV dropped it) it may also be an IANA name
(Asia/Phnom_Penh), whose summer time is then applied post by post.

Offsets that changed during CrowdTangle's years are noted where read: Moscow
(MSK) was +04:00 from March 2011 to October 2014; Venezuela's VET was -04:30
from December 2007 to May 2016, so VET is not in the table (give ZONE=).
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ParameterError

#: Zone abbreviations with one meaning, in hours east of UTC.
ZONE_HOURS = {
    # UTC and Europe, Africa
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    "MSK": 3, "TRT": 3, "WAT": 1, "CAT": 2, "SAST": 2, "EAT": 3,
    # Asia, Oceania
    "IDT": 3, "IRST": 3.5, "IRDT": 4.5, "GET": 4, "AZT": 4, "AFT": 4.5, "PKT": 5, "UZT": 5,
    "SLST": 5.5, "NPT": 5.75, "BDT": 6, "ALMT": 6, "MMT": 6.5, "ICT": 7, "WIB": 7, "WITA": 8, "WIT": 9,
    "MYT": 8, "SGT": 8, "HKT": 8, "PHT": 8, "PHST": 8, "AWST": 8, "JST": 9, "KST": 9,
    "ACST": 9.5, "ACDT": 10.5, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
    # The Americas
    "HST": -10, "AKST": -9, "AKDT": -8, "PST": -8, "PDT": -7, "MST": -7, "MDT": -6,
    "EST": -5, "EDT": -4, "ADT": -3, "NST": -3.5, "NDT": -2.5,
    "COT": -5, "PET": -5, "BOT": -4, "PYT": -4, "CLT": -4, "CLST": -3, "ART": -3, "UYT": -3,
    "BRT": -3, "BRST": -2,
}

#: Abbreviations with several meanings: each choice as (offset as ZONE= takes it, where it is used).
AMBIGUOUS = {
    "IST": (("+0530", "India and Sri Lanka"), ("+0100", "Irish Summer Time"), ("+0200", "Israel")),
    "BST": (("+0100", "British Summer Time"), ("+0600", "Bangladesh")),
    "CST": (("-0600", "US and Mexico Central"), ("+0800", "China and Taiwan"), ("-0500", "Cuba")),
    "CDT": (("-0500", "US and Mexico Central Daylight"), ("-0400", "Cuba Daylight")),
    "AST": (("-0400", "Atlantic"), ("+0300", "Arabia")),
    "GST": (("+0400", "Gulf"), ("-0200", "South Georgia")),
    "SST": (("-1100", "Samoa"), ("+0800", "Singapore")),
}

_NUMERIC_ZONE = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$")
#: The longest a zone written after a time can be (abbreviation or offset).
ZONE_TEXT = r"[A-Za-z]{1,5}|(?:UTC|GMT)?[+-]\d{1,2}(?::?\d{2})?"


def offset_seconds(zone: str) -> int | None:
    """Seconds east of UTC of an unambiguous zone ('ICT', '+0700', '+07', 'UTC+7'); None otherwise."""
    text = zone.strip().upper()
    if text in ZONE_HOURS:
        return int(ZONE_HOURS[text] * 3600)
    match = _NUMERIC_ZONE.match(text)
    if not match:
        return None
    sign = -1 if match.group(1) == "-" else 1
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes >= 60:
        return None
    return sign * (hours * 3600 + minutes * 60)


def choices(abbreviation: str) -> str:
    """'ZONE=+0530 (India and Sri Lanka), ZONE=+0100 (Irish Summer Time), ...' for a message."""
    return ", ".join(f"ZONE={offset} ({where})" for offset, where in AMBIGUOUS[abbreviation.upper()])


def ambiguity(abbreviation: str) -> str:
    """Why a zone cannot be read, and how to settle it: one clause for a message."""
    name = abbreviation.strip()
    if name.upper() in AMBIGUOUS:
        return f"the time zone {name!r} is ambiguous; say which it is with {choices(name)}"
    return (f"unknown time zone {name!r}; give its offset with ZONE= (like ZONE=+0700), or export "
            f"with one of the zones known: {', '.join(ZONE_HOURS)}")


def parse_zone(value: str | None, *, allow_named: bool = True):
    """The ZONE parameter -> seconds east of UTC (int), a ZoneInfo, or None when not given.

    A ParameterError names what is wrong with it. An ambiguous abbreviation
    is no answer to an ambiguity, so it is refused here too.
    """
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    shown = f"ZONE={text}" if text.isprintable() else f"ZONE={text!r}"
    if text.upper() in AMBIGUOUS:
        raise ParameterError(f"{shown}: ambiguous itself; give the offset: {choices(text)}")
    seconds = offset_seconds(text)
    if seconds is not None:
        return seconds
    if allow_named and "/" in text:
        try:
            return ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise ParameterError(f"{shown}: not a time zone; give an offset like +0700 or -0300, an abbreviation "
                         "like ICT or BRT, or a zone name like Asia/Phnom_Penh")


def settled_seconds(zone_written: str, zone_given) -> int | None:
    """Seconds east of UTC for a zone written in a file: its own offset when it has one meaning,
    else the ZONE given (a fixed offset), else None (the caller refuses with `ambiguity`)."""
    seconds = offset_seconds(zone_written) if zone_written else None
    if seconds is None and isinstance(zone_given, int):
        return zone_given
    return seconds


def describe(zone_given) -> str:
    """The ZONE given, as the report says it: '+05:30' or 'Asia/Kolkata'."""
    if isinstance(zone_given, int):
        sign = "-" if zone_given < 0 else "+"
        hours, rest = divmod(abs(zone_given), 3600)
        return f"{sign}{hours:02d}:{rest // 60:02d}"
    return str(zone_given)
