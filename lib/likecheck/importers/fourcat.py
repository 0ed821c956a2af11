"""4CAT's CSV of an imported CrowdTangle download ("Facebook (via CrowdTangle export)") -> posts.

4CAT (digitalmethodsinitiative/4cat, datasources/upload/import_formats.py,
`import_crowdtangle_facebook`) reads a dashboard CSV and writes one row per
post with its own names: "page_name" <- Page Name, "author" <- User Name
(pseudonymised if the user asked), "page_id" <- Facebook Id, "page_likes" <-
Likes at Posting and "page_followers" <- Followers at Posting (both as
written, thousands marks included), "interactions" <- Total Interactions
(every non-digit removed), "url" <- URL, "body" <- Message, and "timestamp"
<- Post Created *with its time zone dropped* ("2016-03-08 10:15:00").

Recognised by: a header holding page_name, page_likes, page_followers,
page_id, interactions and timestamp.

The zone: 4CAT's "timestamp" is the dashboard's local time without its zone,
and its "unix_timestamp" was computed from it in the 4CAT server's own zone,
so neither says when a post was made. The file is refused until ZONE= gives
the zone the dashboard showed (an offset, an abbreviation, or a zone name
like Asia/Phnom_Penh, whose summer time is then applied post by post).

Holds: posts with the fan count at posting ("page_likes"; "page_followers"
when no post has page likes). Can feed: weekly engagement and the post signals
of the screen (fan_jump, engagement_dilution); not new fans by country.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..load import read_raw_csv
from .common import require_column
from .crowdtangle import download_time
from .format import Format, Part, Sniffed
from .post_rows import RAW_COLUMNS, counts, row_place, tidy_posts, utc_times
from .separators import number_style
from .zones import describe

NAME = "4cat-crowdtangle"
MARKERS = frozenset({"page_name", "page_likes", "page_followers", "page_id", "interactions", "timestamp"})


def recognise(sniffed: Sniffed) -> bool:
    header = sniffed.header if sniffed.kind == "csv" else ()
    return MARKERS <= {" ".join(str(c).split()).casefold() for c in header}


def read(path, zone=None) -> Part:
    """The posts of 4CAT's CSV (see the module docstring); `zone` is the ZONE parameter, required."""
    path = Path(path)
    if zone is None:
        raise DataError(path, "4CAT dropped the time zone of CrowdTangle's 'Post Created': its 'timestamp' is the "
                        "dashboard's local time (and 'unix_timestamp' was computed in the 4CAT server's zone); "
                        "give the dashboard's zone with ZONE=, like ZONE=ICT, ZONE=+0700 or ZONE=Asia/Phnom_Penh",
                        column="timestamp")
    raw = read_raw_csv(path)
    header = list(raw.columns)
    if raw.empty:
        raise DataError(path, "the file has a header but no posts")
    style = number_style(path, header, raw.values.tolist())
    likes = counts(path, raw[require_column(path, header, "page_likes")].tolist(), "page_likes", row_place,
                   thousands=style.thousands)
    audience, fans, fans_column = "fans", likes, "page_likes"
    if not any(likes):
        fans_column = "page_followers"
        fans = counts(path, raw[fans_column].tolist(), fans_column, row_place, thousands=style.thousands)
        audience = "followers"
    empty = raw["page_name"] == ""
    if empty.any():
        raise DataError(path, f"row {int(empty.to_numpy().argmax()) + 1}: is empty", column="page_name")
    url = "url" if "url" in raw.columns else "id"
    table = pd.DataFrame(dict(zip(RAW_COLUMNS, (
        raw["page_name"].tolist(), raw["author"].replace("", None).tolist() if "author" in raw else [None] * len(raw),
        raw["page_id"].replace("", None).tolist(), raw[url].tolist(),
        utc_times(path, raw["timestamp"].tolist(), "timestamp", row_place, zone),
        counts(path, raw["interactions"].tolist(), "interactions", row_place, thousands=style.thousands),
        fans, raw["body"].replace("", None).tolist() if "body" in raw else [None] * len(raw)))))
    notes = [f"times: 4CAT's 'timestamp' read in ZONE={describe(zone)} (4CAT dropped CrowdTangle's zone)",
             f"numbers: {style.describe()}"]
    return tidy_posts(path, table, format_name=NAME, download_time=download_time(path, zone), audience=audience,
                      notes=notes, fans_column=fans_column)


def read_part(paths: list[Path], page: str | None = None, zone=None) -> Part:
    return read(paths[0], zone)


FORMAT = Format(NAME, "4CAT's CSV of an imported CrowdTangle download (page_name, page_likes, page_followers, "
                "timestamp, ...; needs ZONE=)", "posts", recognise, read_part)
