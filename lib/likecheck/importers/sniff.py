"""Which export a file is, told from its content (never from its name).

Only the first 64 KiB are read: enough for a JSON brace, a ZIP signature or a
CSV header, and cheap for a CrowdTangle file of several gigabytes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from ..errors import DataError
from ..schemas import FAN_COUNTS, POSTS
from .common import columns_found

HEAD_BYTES = 1 << 16
SCAN_BYTES = 1 << 24

#: The format names `import_exports(format=...)` accepts, and what each is.
FORMATS = {
    "graph-api": "Graph API Page Insights JSON (page_fans_country and page_fans, or page_follows_country "
                 "and page_follows)",
    "insights-xlsx": "Page Insights Excel export (sheet 'Lifetime Likes by Country')",
    "insights-csv": "Page Insights CSV export ('Date', 'Lifetime Likes by Country - XX' columns)",
    "crowdtangle": "CrowdTangle historical-data CSV, from a dashboard in any language",
    # Formats of issue #24 (one module each: crowdtangle_xlsx, crowdtangle_api, crowdtangle_api_csv, fourcat).
    "crowdtangle-xlsx": "CrowdTangle download re-saved by Excel (.xlsx)",
    "crowdtangle-api": "CrowdTangle API JSON (/posts or /links responses, lists of posts, single posts)",
    "crowdtangle-api-csv": "CrowdTangle API posts flattened to CSV (PyCooRnet, CooRnet, pandas.json_normalize)",
    "4cat-crowdtangle": "4CAT's CSV of an imported CrowdTangle download (needs ZONE=)",
    "tidy-fans": f"tidy fan counts CSV ({', '.join(FAN_COUNTS.columns)})",
    "tidy-posts": f"tidy posts CSV ({', '.join(POSTS.columns)})",
}

# A header holding any of these is a CrowdTangle export (names as CrowdTangle spells them).
CROWDTANGLE_MARKERS = frozenset(n.casefold() for n in (
    "Page Name", "Likes at Posting", "Page Likes at Posting", "Followers at Posting",
    "Post Created", "Post Created Date", "Total Interactions", "Overperforming Score"))
INSIGHTS_CSV_PREFIX = "lifetime likes by country"
INSIGHTS_TOTAL = "lifetime total likes"
_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # an old binary .xls workbook


def formats_list() -> str:
    return "; ".join(f"{name} ({what})" for name, what in FORMATS.items())


class NotAnExport(DataError):
    """A file whose content is none of the export formats (skipped inside a folder, an error alone)."""


def not_recognised(path, why: str, line: int | None = None) -> DataError:
    return NotAnExport(path, f"not a recognised export: {why}; the formats are: {formats_list()}", line=line)


def read_head(path: Path) -> tuple[bytes, bool]:
    """The first bytes of a file, and whether they are the whole file."""
    path = Path(path)
    if not path.is_file():
        raise DataError(path, "no such file")
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES + 1)
    return head[:HEAD_BYTES], len(head) <= HEAD_BYTES


def decode_head(path, head: bytes, complete: bool) -> str:
    """The head as text, or the DataError that says why the file is not UTF-8 text.

    A head cut in the middle of a multi-byte character is not an error;
    everything else that will not decode is, with its line.
    """
    if not head.strip():
        raise DataError(path, "the file is empty")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(path, "not UTF-8 text (it is UTF-16: it starts with a UTF-16 byte-order mark); "
                        "save the file as UTF-8", line=1)
    if head.startswith(_OLE_SIGNATURE):
        raise not_recognised(path, "an old binary Excel (.xls) workbook; save it as .xlsx")
    if b"\x00" in head:
        raise not_recognised(path, "a binary file (it contains NUL bytes)")
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if not complete and err.reason == "unexpected end of data" and err.end == len(head):
            return head[: err.start].decode("utf-8-sig")
        raise utf8_error(path, head, err.start) from None


def utf8_error(path, data: bytes, position: int, lines_before: int = 0) -> DataError:
    """The DataError for a byte that is not UTF-8, with its line (the wording of load.read_text)."""
    line = lines_before + data[:position].count(b"\n") + 1
    return DataError(path, f"not UTF-8 text (byte 0x{data[position]:02x}); save the file as UTF-8", line=line)


def check_utf8(path) -> None:
    """Scan a whole file for the first byte that is not UTF-8; raise its DataError.

    Used after a fast reader reported 'invalid UTF8' without saying where.
    """
    lines_before, carry = 0, b""
    with open(path, "rb") as fh:
        while chunk := fh.read(SCAN_BYTES):
            data = carry + chunk
            try:
                data.decode("utf-8")
                carry = b""
            except UnicodeDecodeError as err:
                if err.reason == "unexpected end of data" and err.end == len(data):
                    carry = data[err.start:]  # a character split across two chunks
                    data = data[: err.start]
                else:
                    raise utf8_error(path, data, err.start, lines_before) from None
            lines_before += data.count(b"\n")
    if carry:
        raise utf8_error(path, carry, 0, lines_before)


def csv_header(text: str) -> list[str]:
    """The cells of a CSV file's first line, as written (readers match names ignoring spaces)."""
    return next(csv.reader(io.StringIO(text)), [])


def detect_format(path) -> str:
    """The format of one export file, from its content; a DataError when it is none of them."""
    path = Path(path)
    head, complete = read_head(path)
    if head.startswith(_ZIP_SIGNATURE):
        try:
            with zipfile.ZipFile(path) as archive:
                is_workbook = "xl/workbook.xml" in archive.namelist()
        except zipfile.BadZipFile:
            raise not_recognised(path, "a damaged ZIP archive") from None
        if is_workbook:
            return workbook_format(path)
        raise not_recognised(path, "a ZIP archive that is not an Excel workbook")
    text = decode_head(path, head, complete)
    if text.lstrip()[:1] in ("{", "["):
        return json_format(path, text, complete)
    from .refusals import csv_refusal
    header = csv_header(text)
    refusal = csv_refusal(path, text) if not (header and format_of_known_header(header)) else None
    if refusal:
        raise refusal
    return format_of_header(path, header)


def workbook_format(path) -> str:
    """A workbook: a CrowdTangle sheet re-saved by Excel, a post-level export (refused), else Page Insights."""
    from . import crowdtangle_xlsx
    from .refusals import workbook_refusal
    workbook = crowdtangle_xlsx.open_workbook(path)
    try:
        if crowdtangle_xlsx.crowdtangle_sheet(workbook) is not None:
            return crowdtangle_xlsx.FORMAT
        refusal = workbook_refusal(path, workbook)
    finally:
        workbook.close()
    if refusal:
        raise refusal
    return "insights-xlsx"


def json_format(path, text: str, complete: bool) -> str:
    """A JSON file: CrowdTangle API posts, a Graph API response without fan metrics (refused), else Graph API."""
    from . import crowdtangle_api
    from .refusals import json_refusal
    if crowdtangle_api.recognise(text):
        return crowdtangle_api.FORMAT
    refusal = json_refusal(path, text, complete)
    if refusal:
        raise refusal
    return "graph-api"


def format_of_known_header(header: list[str]) -> str | None:
    """The format of a CSV header of the formats of issue #24, or None."""
    from . import crowdtangle_api_csv, fourcat
    for module in (fourcat, crowdtangle_api_csv):
        if module.recognise(header):
            return module.FORMAT
    return None


def file_header(path) -> list[str]:
    """The header cells of a CSV export, read from its head only."""
    head, complete = read_head(path)
    return csv_header(decode_head(path, head, complete))


def format_of_header(path, header: list[str]) -> str:
    names = {" ".join(c.split()).casefold() for c in header}
    known = format_of_known_header(header)
    if known:
        return known
    if "page" in names and names & {"post_id", "posted_at", "interactions", "fans_at_posting"}:
        return "tidy-posts"
    if "page" in names and names & {"fans", "country"}:
        return "tidy-fans"
    if names & CROWDTANGLE_MARKERS:
        return "crowdtangle"
    if any(n.startswith(INSIGHTS_CSV_PREFIX) for n in names) or INSIGHTS_TOTAL in names:
        return "insights-csv"
    if len(header) < 2:
        raise not_recognised(path, "neither JSON nor a CSV file with a header of several columns", line=1)
    raise not_recognised(path, f"a CSV file whose header fits none of them ({columns_found(header)})", line=1)
