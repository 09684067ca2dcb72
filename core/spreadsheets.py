"""Reading tables people keep in Excel or CSV, and writing lists back to Excel.

Reading is tolerant where people differ (header case, diacritics, spacing; "1.500.000"; dates typed
as dd/mm/yyyy) and strict where data would be lost (formulas, merged headers, protected or
oversized or hostile files, checked first by core.uploads): every problem is a `SpreadsheetError`
with a message in the user's language. Text cells come out in Unicode NFC, converted from the legacy
encodings TCVN3 and VNI (core.legacy_text) when they are typed in them. Memory stays bounded:
workbooks are read in openpyxl's read-only mode and written in write-only mode.
"""

import csv
import datetime
import io
import re
import tempfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.http import FileResponse
from django.utils import translation
from django.utils.translation import gettext as _
from lxml.etree import XMLSyntaxError
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from core.legacy_text import to_unicode
from core.text import fold, one_line
from core.uploads import SpreadsheetError, check_row_count, check_workbook_archive, csv_text, damaged_workbook

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, and password-protected .xlsx (encrypted in an OLE container)
# What openpyxl or the XML parsers raise on a damaged or hostile workbook.
DAMAGED = (
    InvalidFileException, zipfile.BadZipFile, LookupError, OSError, EOFError, zlib.error, ParseError,
    XMLSyntaxError, DefusedXmlException, ValueError, TypeError,
)  # fmt: skip


def header_key(text) -> str:
    """ "Họ tên chủ hộ", "HO TEN  chu_ho" and "Ho ten chu ho:" all give "ho ten chu ho"."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(str(text or ""))).split())


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the header written in templates and exports (Vietnamese)
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass
class HeaderMatch:
    positions: dict[str, int] = field(default_factory=dict)  # column key → index in the row
    unknown: list[str] = field(default_factory=list)
    missing: list[Column] = field(default_factory=list)


def match_headers(headers: list, columns: Iterable[Column]) -> HeaderMatch:
    columns = list(columns)
    wanted = {}
    for column in columns:
        for name in (column.header, column.key, *column.aliases):
            wanted[header_key(name)] = column.key
    match = HeaderMatch()
    for index, header in enumerate(headers):
        key = wanted.get(header_key(header))
        if key and key not in match.positions:
            match.positions[key] = index
        elif header not in (None, ""):
            match.unknown.append(str(header))
    match.missing = [c for c in columns if c.required and c.key not in match.positions]
    return match


def read_table(
    uploaded, *, max_bytes: int = MAX_UPLOAD_BYTES, converted: Counter | None = None
) -> tuple[list, Iterator[tuple[int, list]]]:
    """The header row and an iterator of (row number, values) of the first sheet of an .xlsx or a CSV.
    `converted` counts the cells read from each legacy encoding.

    Raises SpreadsheetError for files that would be misread.
    """
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise SpreadsheetError(
            _(
                "The file is %(size)s MB; the limit is %(limit)s MB. "
                "Split it, or ask the administrator to import it."
            )
            % {"size": round(size / 1024 / 1024, 1), "limit": max_bytes // 1024 // 1024}
        )
    uploaded.seek(0)
    start = uploaded.read(8)
    uploaded.seek(0)
    name = (getattr(uploaded, "name", "") or "").lower()
    if not start:
        raise SpreadsheetError(_("The file is empty."))
    if start.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            _(
                "The file is password-protected or in the old .xls format. "
                "Open it in Excel, remove the password and save it as .xlsx."
            )
        )
    if start.startswith(ZIP_MAGIC):
        rows = _xlsx_rows(uploaded)
    elif name.endswith(".csv") or name.endswith(".txt"):
        rows = _csv_rows(uploaded)
    else:
        raise SpreadsheetError(_("This is not an Excel workbook (.xlsx) or a CSV file."))
    rows = _unicode_rows(rows, Counter() if converted is None else converted)
    for _number, values in rows:
        if any(_present(v) for v in values):
            return [_clean_text(v) for v in values], rows
    raise SpreadsheetError(_("The file has no rows."))


def _unicode_rows(rows, converted: Counter) -> Iterator[tuple[int, list]]:
    for number, values in rows:
        for index, value in enumerate(values):
            if isinstance(value, str) and not value.isascii():
                prefer = converted.most_common(1)[0][0] if converted else None
                values[index], encoding = to_unicode(value, prefer)
                if encoding:
                    converted[encoding] += 1
        yield number, values


def _present(value) -> bool:
    return value is not None and str(value).strip() != ""


def _clean_text(value):
    return value.strip() if isinstance(value, str) else value


def _damaged(error) -> SpreadsheetError:
    if isinstance(error, DefusedXmlException) or isinstance(error.__cause__, DefusedXmlException):
        return SpreadsheetError(
            _("The workbook cannot be opened: its XML declares entities, which Excel never writes.")
        )
    return damaged_workbook()


def _xlsx_rows(uploaded) -> Iterator[tuple[int, list]]:
    check_workbook_archive(uploaded)
    try:
        workbook = openpyxl.load_workbook(uploaded, read_only=True, data_only=False)
        try:
            sheet = workbook.worksheets[0]
            merged_rows = _scan_sheet(sheet)
        except BaseException:
            workbook.close()
            raise
    except DAMAGED as error:
        raise _damaged(error) from error
    return _sheet_rows(workbook, sheet, merged_rows)


def _scan_sheet(sheet) -> set[int]:
    """Rows that have merged cells (a header there would be read wrong), counting the rows on the
    way: a sheet whose dimension understates them is refused past the row limit too, and otherwise
    read whole (openpyxl stops at the dimension's last row)."""
    rows = set()
    count = last = 0
    source = sheet._get_source()
    try:
        for _event, element in iterparse(source):
            if element.tag.endswith("}row"):
                count += 1
                last = max(last, int(element.get("r") or count))
                check_row_count(count)
            elif element.tag.endswith("mergeCell"):
                _min_col, min_row, _max_col, max_row = range_boundaries(element.get("ref"))
                rows.update(range(min_row, max_row + 1))
            element.clear()
    finally:
        source.close()
    if sheet.max_row is not None and last > sheet.max_row:
        sheet.reset_dimensions()
    return rows


def _sheet_rows(workbook, sheet, merged_rows) -> Iterator[tuple[int, list]]:
    header_seen = False
    try:
        for number, row in enumerate(sheet.iter_rows(), start=1):
            values = []
            for cell in row:
                if cell.data_type == "f":
                    raise SpreadsheetError(
                        _(
                            "Cell %(cell)s holds a formula. "
                            "Copy the sheet, paste values only (Paste Special → Values), then import again."
                        )
                        % {"cell": cell.coordinate}
                    )
                values.append(cell.value)
            if not header_seen and any(_present(v) for v in values):
                header_seen = True
                if number in merged_rows:
                    raise SpreadsheetError(
                        _(
                            "The header row (row %(row)s) has merged cells. "
                            "Unmerge them so each column has its own header."
                        )
                        % {"row": number}
                    )
            yield number, values
    except DAMAGED as error:
        raise _damaged(error) from error
    finally:
        workbook.close()


def _csv_rows(uploaded) -> Iterator[tuple[int, list]]:
    text = csv_text(uploaded.read())
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return ((number, row) for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1))


# Values as people type them.


def parse_whole_number(value, *, label: str) -> int | None:
    """1500000, "1.500.000", "1,500,000", "1 500 000 đ" → 1500000; refuses fractions and negatives."""
    if not _present(value):
        return None
    if isinstance(value, bool):
        raise SpreadsheetError(
            _("%(label)s: “%(value)s” is not a number.") % {"label": label, "value": value}
        )
    if isinstance(value, int | float):
        if value != int(value) or value < 0:
            raise SpreadsheetError(_("%(label)s must be a whole, non-negative number.") % {"label": label})
        return int(value)
    text = re.sub(r"\s|đ|đồng|vnd", "", str(value).lower())
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        text = re.sub(r"[.,]", "", text)
    if not text.isdigit():
        raise SpreadsheetError(
            _("%(label)s: “%(value)s” is not a whole number.") % {"label": label, "value": value}
        )
    return int(text)


def parse_date(value, *, label: str) -> datetime.date | None:
    """A date cell, or text dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, yyyy-mm-dd)."""
    if not _present(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise SpreadsheetError(
        _("%(label)s: “%(value)s” is not a date; write it as dd/mm/yyyy.") % {"label": label, "value": value}
    )


def parse_yes_no(value) -> bool:
    return header_key(value) in {"x", "1", "co", "yes", "true", "dung", "thieu hut", "v"}


# Rows as {column key: value}, and their cells as field values.


class TableReader:
    """Matches the header row (SpreadsheetError if a required column is missing), then gives each
    non-empty row as {column key: raw value}."""

    def __init__(self, source, columns: list[Column], *, max_bytes=MAX_UPLOAD_BYTES, converted=None):
        self.columns = {c.key: c for c in columns}
        headers, self._rows = read_table(source, max_bytes=max_bytes, converted=converted)
        match = match_headers(headers, columns)
        if match.missing:
            raise SpreadsheetError(
                _("Required columns are missing: %(columns)s. Download the template to see them.")
                % {"columns": ", ".join(f"“{c.header}”" for c in match.missing)}
            )
        self.positions = match.positions
        self.headers = headers
        self.unknown = match.unknown

    def header(self, key: str) -> str:
        position = self.positions.get(key)
        return str(self.headers[position]) if position is not None else self.columns[key].header

    def __iter__(self) -> Iterator[tuple[int, dict]]:
        for number, values in self._rows:  # read_table already took the header row
            row = {
                key: (values[position].strip() if isinstance(values[position], str) else values[position])
                if position < len(values)
                else None
                for key, position in self.positions.items()
            }
            if all(v is None or v == "" for v in row.values()):
                continue
            yield number, row


def cell_text(value) -> str:
    """A cell as one line of text: 12.0 → "12", runs of spaces and line breaks → one space, NFC."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return one_line(str(value))


class RowParser:
    """Turns raw cells into field values, collecting (column, reason) for the cells it cannot read."""

    def __init__(self, reader: TableReader):
        self.reader = reader
        self.errors: list[tuple[str, str]] = []

    def fail(self, key: str, reason: str) -> None:
        self.errors.append((self.reader.header(key), reason))

    def text(self, row, key) -> str:
        return cell_text(row.get(key))

    def number(self, row, key) -> int | None:
        try:
            return parse_whole_number(row.get(key), label=self.reader.header(key))
        except SpreadsheetError as error:
            self.fail(key, str(error))
            return None

    def date(self, row, key) -> datetime.date | None:
        try:
            return parse_date(row.get(key), label=self.reader.header(key))
        except SpreadsheetError as error:
            self.fail(key, str(error))
            return None

    def choice(self, row, key, lookup: dict[str, str], choices) -> str:
        value = self.text(row, key)
        if not value:
            return ""
        found = lookup.get(header_key(value))
        if found is None:
            with translation.override("vi"):
                allowed = ", ".join(str(label) for _value, label in choices)
            self.fail(
                key,
                _("%(label)s: “%(value)s” is not one of: %(choices)s.")
                % {"label": self.reader.header(key), "value": value, "choices": allowed},
            )
            return ""
        return found


def choice_lookup(choices, *extra) -> dict[str, str]:
    """Every way a choice may be written (key, Vietnamese label, English label, the `extra` (value,
    names) pairs) → the stored key, for `RowParser.choice`."""
    lookup = {}
    for value, label in choices:
        lookup[header_key(value)] = value
        for language in ("en", "vi"):
            with translation.override(language):
                lookup[header_key(str(label))] = value
    for value, names in extra:
        for name in names:
            lookup[header_key(name)] = value
    return lookup


# Writing.

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(sheet, value):
    """Text that a spreadsheet would run as a formula is written as plain text."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
    return cell


def xlsx_response(
    filename: str, headers: list[str], rows: Iterable[Iterable], *, sheet_title: str = "Danh sách"
):
    """A download of `rows` as a workbook, written row by row to a temporary file (memory stays flat)."""
    return xlsx_sheets_response(filename, [(sheet_title, headers, rows)])


def xlsx_sheets_response(filename: str, sheets: Iterable[tuple[str, list[str], Iterable[Iterable]]]):
    """A workbook of several sheets, each (title, headers, rows): the tables of one document."""
    workbook = openpyxl.Workbook(write_only=True)
    for sheet_title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=sheet_title[:31])
        sheet.append([_safe_cell(sheet, h) for h in headers])
        for row in rows:
            sheet.append([_safe_cell(sheet, value) for value in row])
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def csv_safe(value):
    """For CSV exports: text that would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
