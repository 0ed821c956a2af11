"""What a file is, told from its content (never from its name): a workbook, JSON or CSV with a header.

Only the first 64 KiB are read: enough for a JSON brace, a ZIP signature or a
CSV header, and cheap for a CrowdTangle file of several gigabytes. `sniff`
says what the head shows; which format that is, each format recognises
itself (registry.detect_format asks them in turn).
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from ..errors import DataError
from ..limits import check_xlsx_size
from .common import columns_found
from .format import Sniffed

HEAD_BYTES = 1 << 16
SCAN_BYTES = 1 << 24

_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # an old binary .xls workbook


class NotAnExport(DataError):
    """A file whose content is none of the export formats (skipped inside a folder, an error alone).
    registry.detect_format adds the list of formats to its message."""


def not_recognised(path, why: str, line: int | None = None) -> DataError:
    return NotAnExport(path, f"not a recognised export: {why}", line=line)


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


def sniff(path) -> Sniffed:
    """What the head of one file shows: a workbook, JSON, or CSV and its header; NotAnExport when none."""
    path = Path(path)
    head, complete = read_head(path)
    if head.startswith(_ZIP_SIGNATURE):
        try:
            with zipfile.ZipFile(path) as archive:
                is_workbook = "xl/workbook.xml" in archive.namelist()
                if is_workbook:
                    check_xlsx_size(path, archive)  # before openpyxl inflates anything
        except zipfile.BadZipFile:
            raise not_recognised(path, "a damaged ZIP archive") from None
        if is_workbook:
            return Sniffed(path, "workbook", sheets=first_rows(path))
        raise not_recognised(path, "a ZIP archive that is not an Excel workbook")
    text = decode_head(path, head, complete)
    if text.lstrip()[:1] in ("{", "["):
        return Sniffed(path, "json", text=text, complete=complete)
    return Sniffed(path, "csv", tuple(csv_header(text)), text=text, complete=complete)


def first_rows(path: Path) -> tuple[tuple[str, tuple], ...]:
    """(title, first row's cells) of each sheet of a workbook: what tells a CrowdTangle sheet re-saved by
    Excel, a Page Insights export and a post-level export apart. A workbook openpyxl cannot open gives
    none (its reader says why)."""
    from openpyxl import load_workbook
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a damaged workbook; the reader names it
        return ()
    try:
        return tuple((sheet.title, tuple(next(sheet.iter_rows(max_row=1, values_only=True), None) or ()))
                     for sheet in workbook.worksheets)
    finally:
        workbook.close()


def file_header(path) -> list[str]:
    """The header cells of a CSV export, read from its head only."""
    head, complete = read_head(path)
    return csv_header(decode_head(path, head, complete))


def unrecognised(sniffed: Sniffed) -> DataError:
    """Why a file that no format recognised is none of them."""
    if sniffed.kind != "csv" or len(sniffed.header) < 2:
        return not_recognised(sniffed.path, "neither JSON nor a CSV file with a header of several columns", line=1)
    return not_recognised(sniffed.path, f"a CSV file whose header fits none of them ({columns_found(sniffed.header)})",
                          line=1)
