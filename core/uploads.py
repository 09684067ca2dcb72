"""Checks on an uploaded or imported workbook or CSV file before anything parses it.

A workbook is a zip archive: a 1 MB file may inflate to gigabytes. Its parts are counted from the
archive's last record and their sizes read from its directory before a byte is inflated; zipfile
never inflates a part past the size its directory gives (a part that lies fails its checksum), so
these sizes bound the work. The XML inside is parsed by defusedxml (entity declarations refused) or
by lxml without resolving entities, as openpyxl does once defusedxml is installed. The limits are
settings (README, "Security").
"""

import io
import re
import struct
import zipfile
import zlib
from itertools import islice

from django.conf import settings
from django.utils.translation import gettext as _

from core.legacy_text import to_unicode

END_OF_DIRECTORY = b"PK\x05\x06"
LARGEST_COMMENT = 0xFFFF
SMALL_PART = 1024 * 1024  # parts smaller than this may compress as well as they like
LEGACY_LINES_CHECKED = 1000
SHEET_HEAD = 64 * 1024  # a sheet's dimension comes before its rows
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?[A-Z]*(\d+)"')  # the last row


class SpreadsheetError(Exception):
    """A file that cannot be read as it is; the message says why, for the user."""


def damaged_workbook() -> SpreadsheetError:
    return SpreadsheetError(_("The workbook cannot be opened: it is damaged or not an .xlsx file."))


def check_workbook_archive(source) -> None:
    """Refuses a workbook whose archive has too many parts, would inflate past the limit, or has a
    part compressed like a zip bomb. Leaves `source` at its start."""
    count = _entry_count(source)
    if count > settings.IMPORT_MAX_ZIP_ENTRIES:
        raise SpreadsheetError(
            _("The workbook has %(count)s parts; the limit is %(limit)s. It is not a table saved by Excel.")
            % {"count": count, "limit": settings.IMPORT_MAX_ZIP_ENTRIES}
        )
    try:
        with zipfile.ZipFile(source) as archive:
            _check_sizes(archive.infolist())
            for part in archive.namelist():
                if re.fullmatch(r"xl/worksheets/[^/]+\.xml", part):
                    _check_sheet_rows(archive, part)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as error:
        raise damaged_workbook() from error
    finally:
        source.seek(0)


def _check_sizes(parts) -> None:
    limit = settings.IMPORT_MAX_UNCOMPRESSED_MB * 1024 * 1024
    total = sum(part.file_size for part in parts)
    if total > limit:
        raise SpreadsheetError(
            _("The workbook would unpack to %(size)s MB; the limit is %(limit)s MB.")
            % {"size": total // 1024 // 1024, "limit": settings.IMPORT_MAX_UNCOMPRESSED_MB}
        )
    ratio = settings.IMPORT_MAX_COMPRESSION_RATIO
    for part in parts:
        part_ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size > SMALL_PART and part_ratio > ratio:
            raise SpreadsheetError(
                _(
                    "The workbook is refused: its part %(part)s is compressed %(ratio)s times, "
                    "more than any table saved by Excel (the limit is %(limit)s)."
                )
                % {"part": part.filename, "ratio": part_ratio, "limit": ratio}
            )


def _check_sheet_rows(archive, part) -> None:
    """Refuses a sheet over the row limit by the dimension it declares before its rows or, without
    one, by counting its rows in the inflated bytes (openpyxl would parse the whole sheet to size it)."""
    with archive.open(part) as stream:
        chunk = stream.read(SHEET_HEAD)
        before_rows, found, _rows = chunk.partition(b"sheetData")
        dimension = DIMENSION.search(before_rows)
        if found and dimension:
            check_row_count(int(dimension.group(1)))
            return
        rows, tail = 0, b""
        while chunk:
            rows += _row_tags(tail + chunk) - _row_tags(tail)
            check_row_count(rows)
            tail = chunk[-8:]
            chunk = stream.read(1 << 20)


def _row_tags(data: bytes) -> int:
    """`<row` or `<x:row` tags (and a few `<rowBreaks`: the count errs on the safe side)."""
    return data.count(b"<row") + data.count(b":row")


def _entry_count(source) -> int:
    """The number of parts the archive's last record announces, read without building its directory
    (a hostile directory of a million entries would fill memory)."""
    source.seek(0, 2)
    size = source.tell()
    start = max(size - 22 - LARGEST_COMMENT, 0)
    source.seek(start)
    tail = source.read()
    source.seek(0)
    found = tail.rfind(END_OF_DIRECTORY)
    if found < 0 or found + 22 > len(tail):
        raise damaged_workbook()
    (count,) = struct.unpack_from("<H", tail, found + 10)
    return count  # 0xFFFF (a ZIP64 archive's) is over any limit too


def check_row_count(rows: int) -> None:
    if rows > settings.IMPORT_MAX_ROWS:
        raise SpreadsheetError(
            _(
                "The sheet has more than %(limit)s rows, the limit. "
                "Split the file, or ask the administrator to import it."
            )
            % {"limit": settings.IMPORT_MAX_ROWS}
        )


def csv_text(raw: bytes) -> str:
    """The text of a CSV file: UTF-8, or the Windows-1252 characters of Vietnamese typed in TCVN3 or
    VNI (converted cell by cell later). Refuses binary files, over-long lines and too many rows."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
        if "\x00" not in text and not _legacy_vietnamese(text):
            raise SpreadsheetError(
                _('The CSV file is not in UTF-8. Save it from Excel as "CSV UTF-8".')
            ) from None
    if "\x00" in text:
        raise SpreadsheetError(_("This is not an Excel workbook (.xlsx) or a CSV file."))
    limit = settings.IMPORT_MAX_LINE_CHARS
    long_line = re.search(rf"[^\n]{{{limit + 1}}}", text)
    if long_line:
        raise SpreadsheetError(
            _("Line %(line)s of the CSV file is longer than %(limit)s characters: it is not a table.")
            % {"line": text.count("\n", 0, long_line.start()) + 1, "limit": limit}
        )
    check_row_count(text.count("\n") - 1)  # the header line
    return text


def _legacy_vietnamese(text: str) -> bool:
    """Every line with letters outside ASCII (among the first ones) reads as TCVN3 or VNI."""
    lines = list(islice((line for line in io.StringIO(text) if not line.isascii()), LEGACY_LINES_CHECKED))
    return bool(lines) and all(to_unicode(line)[1] for line in lines)
