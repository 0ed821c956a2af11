"""CrowdTangle historical-data CSV -> posts (one row per post), at any size.

Mapping to the tidy POSTS table:

* page: "Page Name" (else "User Name", else "Facebook Id"); the others are
  kept as aliases so a page can be chosen by any of them;
* post_id: "URL"; where there is none, "<Facebook Id>:<Post Created>:<hash of
  the Message>", so that two downloads of one post match (page + time + text);
* posted_at: "Post Created" ("2016-03-08 10:15:00 ICT" or "... +0700"), or
  "Post Created Date" + "Post Created Time"; the zone is required, because
  the weeks of the engagement metric depend on it;
* interactions: "Total Interactions" (thousands separators allowed), else the
  sum of the reaction, comment and share columns (an empty cell there is 0);
* fans_at_posting: "Likes at Posting" (older exports: "Page Likes at Posting";
  exports without either: "Followers at Posting"). Real downloads leave it
  blank (or 0) on some posts: such a post is kept, with no fan count, so it
  counts in the posts per week but not in the per-1000-fans sums, and its
  rows are reported. A file where no post has a fan count is an error;
* message: "Message".

Scale: a fact-checker may bring tens of millions of posts. The file is read
once, by pyarrow.csv.read_csv (parallel parsing; only the columns above, each
cell as text so that no guessed type fails half-way), hashed on the way for
the cache key; its blocks become the tidy table in parallel threads (Arrow
compute releases the GIL). Peak memory is the text of the needed columns
plus the tidy table, less than the Arrow table of the whole file. The result
is cached as Parquet keyed by the file's content (see cache.py).

Places in messages: "row N" is the N-th post below the header (spreadsheet
row N+1). A line number cannot be given cheaply: messages span lines.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from ..errors import DataError
from ..limits import CELL_CHARACTERS, cell_too_long
from ..load import validate
from ..schemas import DATE_YEARS
from .cache import (HashingReader, PendingStore, cache_file, file_identity,
                    load_table, remember_sha256, remembered_sha256)
from .common import POSTS_IMPORTED, check_totals, normalise, require_column, find_column
from .format import Format, Part, Sniffed
from .result import FileRead
from .ids import damaged_note, names_told_apart, split_aliases
from .separators import csv_number_style
from .sniff import check_utf8, file_header
from .zones import ambiguity, describe, settled_seconds

#: The header of a CrowdTangle historical-data export (2021), in order.
EXPORT_COLUMNS = (
    "Page Name", "User Name", "Facebook Id", "Page Category", "Page Admin Top Country",
    "Page Description", "Page Created", "Likes at Posting", "Followers at Posting",
    "Post Created", "Post Created Date", "Post Created Time", "Type", "Total Interactions",
    "Likes", "Comments", "Shares", "Love", "Wow", "Haha", "Sad", "Angry", "Care",
    "Video Share Status", "Is Video Owner?", "Post Views", "Total Views",
    "Total Views For All Crossposts", "Video Length", "URL", "Message", "Link", "Final Link",
    "Image Text", "Link Text", "Description", "Sponsor Id", "Sponsor Name", "Sponsor Category",
    "Overperforming Score")
PAGE_COLUMNS = ("Page Name", "User Name", "Facebook Id")
FANS_COLUMNS = ("Likes at Posting", "Page Likes at Posting", "Followers at Posting")
CREATED, CREATED_DATE, CREATED_TIME = "Post Created", "Post Created Date", "Post Created Time"
TOTAL_INTERACTIONS = "Total Interactions"
#: What Total Interactions adds up, for exports without it; the first three are required then.
REACTION_COLUMNS = ("Likes", "Comments", "Shares", "Love", "Wow", "Haha", "Sad", "Angry", "Care")
URL_COLUMN, FACEBOOK_ID, MESSAGE = "URL", "Facebook Id", "Message"

# Zone abbreviations: zones.py (ZONE_HOURS, the ambiguous ones and the ZONE parameter).
_CREATED = re.compile(r"^\s*(?P<local>\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2})?)\s*(?P<zone>.*?)\s*$")
_LOCAL_FORMAT = "%Y-%m-%d %H:%M:%S"
BLOCK_BYTES = 16 * 2**20
#: Names the cached tidy table; bump the version when the conversion changes.
RECIPE = "crowdtangle-v5"  # v5: separators told from the file, damaged ids set apart, names told apart
TIDY_SCHEMA = pa.schema([
    ("page", pa.dictionary(pa.int32(), pa.string())), ("post_id", pa.string()),
    ("posted_at", pa.timestamp("ns", tz="UTC")), ("interactions", pa.int64()),
    ("fans_at_posting", pa.int64()), ("message", pa.string())])


@dataclass(frozen=True)
class Layout:
    """Which columns of this export feed which tidy column (header spellings)."""
    page: str
    aliases: tuple[str, ...]
    fans: str
    created: tuple[str, ...]  # "Post Created", or its date and time columns
    interactions: tuple[str, ...]  # "Total Interactions", or the columns it adds up
    url: str | None
    facebook_id: str | None
    message: str | None
    thousands: str = ","  # the file's thousands mark (separators.py)
    zone: object = None   # the ZONE parameter (zones.parse_zone), for zones the file cannot settle

    @property
    def columns(self) -> list[str]:
        names = (self.page, *self.aliases, self.fans, *self.created, *self.interactions,
                 self.url, self.facebook_id, self.message)
        return list(dict.fromkeys(n for n in names if n))

    def column_types(self) -> dict[str, pa.DataType]:
        # Page names repeat on every row: dictionary-encoded, they become categories.
        coded = {self.page, *self.aliases}
        return {c: pa.dictionary(pa.int32(), pa.string()) if c in coded else pa.string() for c in self.columns}


def layout_of(path, header: list[str]) -> Layout:
    """The Layout of an export, or a DataError naming the first missing column and those found."""
    page = require_column(path, header, *PAGE_COLUMNS)
    aliases = tuple(c for c in (find_column(header, n) for n in PAGE_COLUMNS) if c and c != page)
    fans = require_column(path, header, *FANS_COLUMNS)
    created = find_column(header, CREATED)
    if created is None and find_column(header, CREATED_DATE):
        times = (find_column(header, CREATED_DATE), require_column(path, header, CREATED_TIME))
    else:
        times = (require_column(path, header, CREATED, CREATED_DATE),)
    total = find_column(header, TOTAL_INTERACTIONS)
    if total:
        interactions = (total,)
    else:
        what = f" (or all of {', '.join(map(repr, REACTION_COLUMNS[:3]))}, which it adds up)"
        for name in REACTION_COLUMNS[:3]:
            if find_column(header, name) is None:
                require_column(path, header, TOTAL_INTERACTIONS, what=what)
        interactions = tuple(c for c in (find_column(header, n) for n in REACTION_COLUMNS) if c)
    return Layout(page, aliases, fans, times, interactions, find_column(header, URL_COLUMN),
                  find_column(header, FACEBOOK_ID), find_column(header, MESSAGE))


def row_error(path, row: int, column: str, problem: str) -> DataError:
    return DataError(path, f"row {row} (spreadsheet row {row + 1}): {problem}", column=column)


def _first(mask: pa.Array) -> int | None:
    index = pc.index(mask.fill_null(False), True).as_py()
    return None if index < 0 else index


def counts(texts: pa.Array, column: str, first_row: int, path, *, empty_is_zero: bool = False,
           empty_is_null: bool = False, thousands: str = ",") -> pa.Array:
    """Count cells -> int64: thousands separators removed; non-numeric or negative is a DataError,
    and so is an empty cell unless `empty_is_zero` or `empty_is_null` says what it means."""
    if texts.null_count and not (empty_is_zero or empty_is_null):
        raise row_error(path, first_row + _first(texts.is_null()), column, "is empty")
    clean = pc.replace_substring(pc.utf8_trim_whitespace(texts), thousands, "")
    try:
        values = pc.cast(clean, pa.int64())
    except pa.ArrowInvalid:
        bad = _first(pc.invert(pc.match_substring_regex(clean, r"^[+-]?\d+$")))
        if bad is None:
            raise DataError(path, "holds a number too large to be a count", column=column) from None
        raise row_error(path, first_row + bad, column, f"{texts[bad].as_py()!r} is not a whole number") from None
    negative = _first(pc.less(values, 0))
    if negative is not None:
        raise row_error(path, first_row + negative, column, f"{texts[negative].as_py()!r} is negative (a count cannot be)")
    return values.fill_null(0) if empty_is_zero else values


def _split_created(texts: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """(local time, zone text, the local time's text as read) of 'YYYY-MM-DD HH:MM:SS ZONE' cells.

    Fast path: fixed positions. Slow path, only for a block the fast one
    cannot read: a pattern that also takes a 'T' separator or no seconds.
    """
    local_text = pc.utf8_slice_codeunits(texts, 0, 19)
    local = pc.strptime(local_text, format=_LOCAL_FORMAT, unit="s", error_is_null=True)
    if local.null_count == texts.null_count:
        return local, pc.utf8_trim_whitespace(pc.utf8_slice_codeunits(texts, 19, 64)), local_text
    parts = pc.extract_regex(texts, _CREATED.pattern)
    local_text = pc.replace_substring(parts.field("local"), "T", " ")
    local_text = pc.if_else(pc.equal(pc.utf8_length(local_text), 16),
                            pc.binary_join_element_wise(local_text, ":00", ""), local_text)
    local = pc.strptime(local_text, format=_LOCAL_FORMAT, unit="s", error_is_null=True)
    return local, parts.field("zone"), local_text


def posted_at(texts: pa.Array, column: str, first_row: int, path, zone_given=None) -> pa.Array:
    """'Post Created' cells -> UTC timestamps; a missing or unknown zone is a DataError."""
    if texts.null_count:
        raise row_error(path, first_row + _first(texts.is_null()), column, "is empty")
    local, zone, local_text = _split_created(texts)
    # strptime rolls an impossible day forward (2019-02-30 -> 2019-03-02): written back, it differs;
    # and a year outside DATE_YEARS cannot be held by the posts table.
    year = pc.year(local)
    impossible = pc.or_kleene(pc.not_equal(pc.strftime(local, format=_LOCAL_FORMAT), local_text),
                              pc.or_kleene(pc.less(year, DATE_YEARS.start), pc.greater_equal(year, DATE_YEARS.stop)))
    local = pc.if_else(pc.fill_null(impossible, False), pa.scalar(None, local.type), local)
    bad = _first(local.is_null())
    if bad is not None:
        raise row_error(path, first_row + bad, column, f"{texts[bad].as_py()!r} is not a date and time "
                        "(like 2016-03-08 10:15:00 ICT or 2016-03-08 10:15:00 +0700)")
    zones = zone.dictionary_encode()
    offsets = []
    for code, name in enumerate(zones.dictionary.to_pylist()):
        seconds = settled_seconds(name, zone_given)
        if seconds is None:
            row = first_row + _first(pc.equal(zones.indices, code))
            problem = ("gives no time zone (the weeks depend on it; export with the zone shown, or give the "
                       "dashboard's zone as an offset with ZONE=, like ZONE=+0700)" if not name else ambiguity(name))
            raise row_error(path, row, column, problem)
        offsets.append(seconds)
    utc_seconds = pc.subtract(local.cast(pa.int64()), pc.take(pa.array(offsets, pa.int64()), zones.indices))
    return utc_seconds.cast(pa.timestamp("s", tz="UTC")).cast(pa.timestamp("ns", tz="UTC"))


def post_ids(batch: pa.RecordBatch, layout: Layout, first_row: int) -> pa.Array:
    """The post URL; for rows without one, '<Facebook Id>:<Post Created>:<hash of the text>'.

    Not the row number: a post must get the same id in every download, so
    that overlapping downloads match it (page + time + text).
    """
    n = batch.num_rows
    urls = batch.column(layout.url) if layout.url else pa.nulls(n, pa.string())
    if not urls.null_count:
        return urls
    owner = (batch.column(layout.facebook_id).cast(pa.string()).fill_null("page") if layout.facebook_id
             else pa.array(["page"] * n, pa.string()))
    created = pc.binary_join_element_wise(*[batch.column(c).fill_null("") for c in layout.created], " ")
    texts = batch.column(layout.message).to_pylist() if layout.message else [None] * n
    digests = pa.array([hashlib.sha256((t or "").encode()).hexdigest()[:12] for t in texts], pa.string())
    return pc.coalesce(urls, pc.binary_join_element_wise(owner, created, digests, ":"))


def check_cell_lengths(batch: pa.RecordBatch, first_row: int, path) -> None:
    """A DataError at the first cell of the block longer than limits.CELL_CHARACTERS.

    A page column is dictionary-encoded: its distinct values are measured first (cheap), and
    the column decoded only to find the row when one of them is too long."""
    for name in batch.schema.names:
        column = batch.column(name)
        distinct = column.dictionary if pa.types.is_dictionary(column.type) else column
        if len(distinct) == 0 or (pc.max(pc.utf8_length(distinct)).as_py() or 0) <= CELL_CHARACTERS:
            continue
        text = column.dictionary_decode() if distinct is not column else column
        lengths = pc.utf8_length(text)
        position = _first(pc.greater(lengths, CELL_CHARACTERS))
        row = first_row + position
        raise cell_too_long(path, lengths[position].as_py(), column=name,
                            row_text=f"row {row} (spreadsheet row {row + 1})")


def tidy_batch(batch: pa.RecordBatch, layout: Layout, first_row: int, path) -> pa.RecordBatch:
    """One block of the export -> the same posts as tidy columns (checked cell by cell)."""
    check_cell_lengths(batch, first_row, path)
    page = batch.column(layout.page)
    if page.null_count:
        raise row_error(path, first_row + _first(page.is_null()), layout.page, "is empty")
    fans = counts(batch.column(layout.fans), layout.fans, first_row, path, empty_is_null=True,
                  thousands=layout.thousands)
    fans = pc.if_else(pc.equal(fans, 0), pa.scalar(None, pa.int64()), fans)  # 0: unknown, not a divisor
    if len(layout.interactions) == 1:
        interactions = counts(batch.column(layout.interactions[0]), layout.interactions[0], first_row, path,
                              thousands=layout.thousands)
    else:
        parts = [counts(batch.column(c), c, first_row, path, empty_is_zero=True, thousands=layout.thousands)
                 for c in layout.interactions]
        interactions = parts[0]
        for part in parts[1:]:
            interactions = pc.add(interactions, part)
    created = batch.column(layout.created[0]) if len(layout.created) == 1 else \
        pc.binary_join_element_wise(batch.column(layout.created[0]), batch.column(layout.created[1]), " ")
    message = batch.column(layout.message) if layout.message else pa.nulls(batch.num_rows, pa.string())
    return pa.RecordBatch.from_arrays(
        [page, post_ids(batch, layout, first_row), posted_at(created, " + ".join(layout.created), first_row, path, layout.zone),
         interactions, fans, message], schema=TIDY_SCHEMA)


def page_aliases(batch, layout: Layout) -> set[tuple[str, str]]:
    """(alias, page) pairs: the User Name and Facebook Id of each Page Name."""
    pairs = set()
    for alias in layout.aliases:
        pairs_table = pa.table({"page": batch.column(layout.page), "alias": batch.column(alias)})
        groups = pairs_table.unify_dictionaries().group_by(["page", "alias"]).aggregate([])
        pairs |= {(a, p) for p, a in zip(groups["page"].to_pylist(), groups["alias"].to_pylist()) if a and p}
    return pairs


def ragged_line(path, expected: int) -> int | None:
    """The line where the first record with the wrong number of fields starts (slow; errors only)."""
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        reader = csv.reader(fh)
        start = 1
        for record in reader:
            if len(record) != expected:
                return start
            start = reader.line_num + 1
    return None


def csv_error(path, err: pa.ArrowInvalid) -> DataError:
    """Arrow's message (which names no row) -> a DataError with the line, found by a second look."""
    text = str(err)
    if "invalid UTF8" in text:
        check_utf8(path)  # raises with the line
        return DataError(path, "not UTF-8 text; save the file as UTF-8")
    match = re.search(r"Expected (\d+) columns, got (\d+)", text)
    if match:
        return DataError(path, f"not a well-formed CSV: a record has {match.group(2)} fields, "
                         f"the header {match.group(1)}", line=ragged_line(path, int(match.group(1))))
    return DataError(path, f"not a well-formed CSV ({text.splitlines()[0]})")


def csv_options(layout: Layout) -> dict:
    return dict(
        read_options=pcsv.ReadOptions(block_size=BLOCK_BYTES, use_threads=True),
        parse_options=pcsv.ParseOptions(newlines_in_values=True),  # messages span lines
        convert_options=pcsv.ConvertOptions(include_columns=layout.columns, column_types=layout.column_types(),
                                            strings_can_be_null=True, quoted_strings_can_be_null=True))


def posts_table(path: Path, layout: Layout) -> tuple[pa.Table, list[list[str]], str]:
    """Read the export into the tidy posts table (Arrow), the page aliases and the file's SHA-256."""
    with HashingReader(path, f"reading {path.name}") as source:
        try:
            raw = pcsv.read_csv(source, **csv_options(layout))
        except pa.ArrowInvalid as err:
            raise csv_error(path, err) from None
        sha256 = source.sha256()
    if raw.num_rows == 0:
        raise DataError(path, "the file has a header but no posts")
    blocks = raw.to_batches()
    first_rows = np.cumsum([1] + [b.num_rows for b in blocks[:-1]])
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        # map() yields in block order, so the error reported is the first one in the file
        tidy = list(pool.map(lambda block, first: tidy_batch(block, layout, int(first), path), blocks, first_rows))
    user = find_column(list(layout.aliases), "User Name")
    raw, table = names_told_apart(raw, layout.page, user, pa.Table.from_batches(tidy, schema=TIDY_SCHEMA))
    aliases = page_aliases(raw, layout)
    return table, sorted(map(list, aliases)), sha256


def posts_frame(table: pa.Table) -> pd.DataFrame:
    """Tidy Arrow table (as read from the export) -> the typed posts frame."""
    frame = table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get, split_blocks=True)
    return normalise(frame, POSTS_IMPORTED)


def cached_posts_frame(table: pa.Table) -> pd.DataFrame:
    """The posts frame from its cached table, which was made from the typed frame itself:
    its pandas metadata restores every dtype, so nothing is converted twice."""
    return table.to_pandas(split_blocks=True)


def validated(path, frame: pd.DataFrame) -> pd.DataFrame:
    """The shared validator, its line (header + row) said as this module's 'row'."""
    try:
        return validate(path, frame, POSTS_IMPORTED)
    except DataError as err:
        if err.line is None:
            raise
        raise row_error(path, err.line - 1, err.column or "URL", err.problem) from None


#: CrowdTangle names its downloads by their time: '2021-03-01-14-22-01-EST-Historical-Report-....csv'.
#: Any zone a dashboard wrote ('BRT', 'AEDT', or an offset '+07'); an ambiguous one (IST) needs ZONE.
_DOWNLOAD_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(\d{2})-(\d{2})-(\d{2})-([A-Z]{1,5}|[+-]\d{2,4})-")


def time_in_name(name: str, zone=None) -> pd.Timestamp | None:
    """The download time (UTC) CrowdTangle wrote at the start of a file name; None when there is none
    or its zone is ambiguous (IST) or unknown and no ZONE settles it."""
    match = _DOWNLOAD_TIME.match(name)
    seconds = settled_seconds(match.group(5), zone) if match else None
    if seconds is None:
        return None
    local = pd.Timestamp(f"{match.group(1)} {match.group(2)}:{match.group(3)}:{match.group(4)}")
    return (local - pd.Timedelta(seconds=seconds)).tz_localize("UTC")


def download_time(path, zone=None) -> tuple[pd.Timestamp, str]:
    """When the export was downloaded (UTC), and how we know: its file name, else its modification time
    (also when the name's zone is ambiguous and no ZONE settles it)."""
    path = Path(path)
    when = time_in_name(path.name, zone)
    if when is not None:
        return when, "the time in its file name"
    how = "its modification time"
    match = _DOWNLOAD_TIME.match(path.name)
    if match:
        how += f" (the zone {match.group(5)!r} of its file name is ambiguous or unknown; ZONE= settles it)"
    return pd.Timestamp(path.stat().st_mtime_ns, unit="ns", tz="UTC"), how


def audience_of(layout: Layout) -> str:
    """'followers' when the count at posting is "Followers at Posting", else 'fans' (page likes)."""
    return "followers" if " ".join(layout.fans.split()).casefold() == FANS_COLUMNS[2].casefold() else "fans"


def rows_without_fans(table: pa.Table) -> list[int]:
    """The rows (1 = first post) whose fan count is blank or 0 (null in the tidy table)."""
    return [int(i) + 1 for i in np.flatnonzero(table.column("fans_at_posting").is_null().to_numpy(zero_copy_only=False))]


def read_crowdtangle(path, header: list[str], zone=None) -> Part:
    """Posts of one CrowdTangle export, and the aliases of its pages; from the cache when it holds them.

    Only a validated table is cached, so a cache hit needs no checking again.
    """
    path = Path(path)
    layout = replace(layout_of(path, header), zone=zone)
    recipe = RECIPE if zone is None else f"{RECIPE}-zone-{describe(zone)}"  # ZONE changes the times
    known = remembered_sha256(path)
    cached = load_table(cache_file(known, recipe)) if known else None
    if cached is not None:
        table, metadata = cached
        damaged = {k: tuple(v) for k, v in metadata.get("damaged_ids", {}).items()}
        return posts_part(path, cached_posts_frame(table), dict(metadata["aliases"]), known,
                          metadata["rows_without_fans"], audience_of(layout), tuple(metadata["notes"]), damaged,
                          zone)
    style = csv_number_style(path, header)  # after the cache: a cached reload reads no CSV at all
    layout = replace(layout, thousands=style.thousands)
    notes = [f"numbers: {style.describe()}"] + ([f"times: ZONE={describe(zone)} given"] if zone is not None else [])
    identity = file_identity(path)
    table, pairs, sha256 = posts_table(path, layout)
    aliases, damaged = split_aliases(pairs)
    notes += damaged_note(damaged)
    blank = rows_without_fans(table)
    if len(blank) == table.num_rows:
        raise DataError(path, "no post has a fan count (blank or 0 on every row): engagement per 1000 fans "
                        "divides by it", column=layout.fans)
    frame = posts_frame(table)
    del table  # the frame holds what it needs (text stays in Arrow buffers, shared)
    pending = PendingStore(pa.Table.from_pandas(frame, preserve_index=False), cache_file(sha256, recipe),
                           {"aliases": sorted(aliases.items()), "rows_without_fans": blank,
                            "damaged_ids": {k: list(v) for k, v in damaged.items()}, "notes": notes})
    try:
        frame = validated(path, frame)
        check_totals(path, frame, "posts")
    except BaseException:
        pending.discard()
        raise
    pending.commit()
    remember_sha256(path, identity, sha256)
    return posts_part(path, frame, aliases, sha256, blank, audience_of(layout), tuple(notes), damaged, zone)


def posts_part(path: Path, posts: pd.DataFrame, aliases: dict[str, str], sha256: str, blank: list[int],
               audience: str, notes: tuple[str, ...], damaged: dict[str, tuple[str, ...]], zone) -> Part:
    """One export's posts, page aliases, SHA-256, rows whose fan count is blank or 0, download time,
    what its count at posting counts ('fans', or 'followers' from "Followers at Posting"), what the
    import decided about it (separators, zones, damaged ids) and the ids Excel damaged."""
    return Part(files=(FileRead(path, "crowdtangle", "posts", sha256),), posts=posts, aliases=aliases,
                posts_without_fans=tuple((path, row) for row in blank), download_time=download_time(path, zone),
                posts_audience=audience, notes=notes, damaged_ids=damaged)


#: A header holding any of these is a CrowdTangle export (names as CrowdTangle spells them).
CROWDTANGLE_MARKERS = frozenset(n.casefold() for n in (
    "Page Name", "Likes at Posting", "Page Likes at Posting", "Followers at Posting",
    "Post Created", "Post Created Date", "Total Interactions", "Overperforming Score"))


def is_crowdtangle(sniffed: Sniffed) -> bool:
    return sniffed.kind == "csv" and bool(sniffed.names & CROWDTANGLE_MARKERS)


def read_one(paths: list[Path], page: str | None = None, zone=None) -> Part:
    return read_crowdtangle(paths[0], file_header(paths[0]), zone)


FORMAT = Format("crowdtangle", "CrowdTangle historical-data CSV, from a dashboard in any language", "posts",
                is_crowdtangle, read_one)
