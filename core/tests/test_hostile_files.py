"""Hostile and damaged workbooks and CSV files are refused with a clear message, fast, in flat memory.

Each file is built here, small on disk; the refusal is timed and its memory measured (Python's
allocations by tracemalloc, the process's peak by ru_maxrss, which also counts lxml's and zlib's).
"""

import io
import resource
import struct
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.spreadsheets import SpreadsheetError, read_table

SHEET = "xl/worksheets/sheet1.xml"
MAIN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
WORKBOOK = b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
NO_SHEETS = WORKBOOK + b"<sheets/></workbook>"
SHARED_STRINGS_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def workbook_parts() -> dict[str, bytes]:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Mã hộ", "Họ tên chủ hộ"])
    workbook.active.append(["H1", "An"])
    out = io.BytesIO()
    workbook.save(out)
    archive = zipfile.ZipFile(out)
    return {name: archive.read(name) for name in archive.namelist()}


def zipped(parts: dict, name="ho.xlsx") -> SimpleUploadedFile:
    """The parts as a workbook; a part given as (chunk, times) is streamed, so a bomb costs no memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            if isinstance(content, tuple):
                with archive.open(part, "w", force_zip64=True) as stream:
                    head, chunk, times, tail = content
                    stream.write(head)
                    for _ in range(times):
                        stream.write(chunk)
                    stream.write(tail)
            else:
                archive.writestr(part, content)
    return SimpleUploadedFile(name, out.getvalue())


def with_parts(**changes) -> SimpleUploadedFile:
    parts = workbook_parts()
    parts.update({name.replace("__", "/").replace("_xml", ".xml"): value for name, value in changes.items()})
    return zipped(parts)


def zip_bomb():
    """A sheet that inflates to 64 MB of spaces from 64 KB (Excel's tables compress 5 to 20 times)."""
    return with_parts(
        xl__worksheets__sheet1_xml=(MAIN + b"<sheetData>", b" " * 65536, 1024, b"</sheetData></worksheet>")
    )


def billion_laughs():
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10)
    )
    strings = (
        b'<?xml version="1.0"?><!DOCTYPE sst [' + entities + b"]>"
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>&lol9;</t></si></sst>"
    )
    parts = workbook_parts()
    parts["xl/sharedStrings.xml"] = strings
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + SHARED_STRINGS_TYPE + b'"/></Types>',
    )
    parts[SHEET] = parts[SHEET].replace(
        b'<c r="B2" t="inlineStr"><is><t>An</t></is></c>', b'<c r="B2" t="s"><v>0</v></c>'
    )
    return zipped(parts)


def million_rows(*, dimension=True):
    rows = b"".join(b'<row r="%d"/>' % n for n in range(2, 1_000_001))
    head = MAIN + (b'<dimension ref="A1:B1000000"/>' if dimension else b"")
    head += b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>M\xc3\xa3 h\xe1\xbb\x99</t></is></c></row>'
    return with_parts(xl__worksheets__sheet1_xml=(head, rows, 1, b"</sheetData></worksheet>"))


def renamed_pdf(name):
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 6 /Filter /FlateDecode >>\n"
    pdf += b"stream\nx\x9c\x00\x01\x02\x03\nendstream\nendobj\n"
    return SimpleUploadedFile(name, pdf)


def many_parts():
    parts = workbook_parts()
    parts.update({f"xl/media/image{n}.png": b"" for n in range(600)})
    return zipped(parts)


def lying_sizes():
    """A sheet whose archive directory says it is 200 bytes: zipfile stops there, and the checksum fails."""
    uploaded = with_parts(
        xl__worksheets__sheet1_xml=(MAIN + b"<sheetData>", b" " * 65536, 16, b"</sheetData></worksheet>")
    )
    data = bytearray(uploaded.read())
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        position = data.find(signature)
        while position >= 0:
            name_start = position + (46 if signature == b"PK\x01\x02" else 30)
            if data[name_start : name_start + len(SHEET)] == SHEET.encode():
                struct.pack_into("<I", data, position + offset, 200)
            position = data.find(signature, position + 4)
    return SimpleUploadedFile("ho.xlsx", bytes(data))


HOSTILE = [
    ("zip bomb", zip_bomb, r"được nén \d{4} lần"),
    ("billion laughs in the shared strings", billion_laughs, "khai báo thực thể"),
    ("1,000,000 rows", million_rows, "hơn 200000 dòng"),
    ("1,000,000 rows, no dimension", lambda: million_rows(dimension=False), "hơn 200000 dòng"),
    ("a PDF renamed .xlsx", lambda: renamed_pdf("ho.xlsx"), "không phải sổ tính Excel"),
    ("a PDF renamed .csv", lambda: renamed_pdf("ho.csv"), "không phải sổ tính Excel"),
    ("600 parts", many_parts, "có 609 phần; giới hạn là 500"),
    ("lying sizes", lying_sizes, "bị hỏng"),
    (
        "damaged sheet XML",
        lambda: with_parts(xl__worksheets__sheet1_xml=MAIN + b"<sheetData><row r="),
        "bị hỏng",
    ),
    ("damaged workbook XML", lambda: with_parts(xl__workbook_xml=b"<workbook><sheets><sheet"), "bị hỏng"),
    ("a workbook without sheets", lambda: with_parts(xl__workbook_xml=NO_SHEETS), "bị hỏng"),
    (
        "a CSV line of 100,001 characters",
        lambda: SimpleUploadedFile("ho.csv", b"a" * 100_001),
        "Dòng 1 của tệp CSV",
    ),
]


def test_hostile_files_are_refused_in_under_two_seconds_in_flat_memory():
    for label, build, message in HOSTILE:
        uploaded = build()
        assert uploaded.size < 4 * 1024 * 1024, label
        peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB
        tracemalloc.start()
        started = time.monotonic()
        with pytest.raises(SpreadsheetError, match=message):
            header, rows = read_table(uploaded)
            list(rows)
        seconds = time.monotonic() - started
        _current, python_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        process_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
        assert seconds < 2, (label, seconds)
        assert python_peak < 20 * 1024 * 1024, (label, python_peak)
        assert process_growth < 50 * 1024, (label, process_growth)


def test_the_limits_are_settings(settings):
    settings.IMPORT_MAX_ROWS = 3
    five_rows = [["Mã hộ"], *[[f"H{n}"] for n in range(4)]]
    workbook = openpyxl.Workbook()
    for row in five_rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    csv = "".join(f"{row[0]}\n" for row in five_rows).encode()
    for uploaded in (SimpleUploadedFile("ho.xlsx", out.getvalue()), SimpleUploadedFile("ho.csv", csv)):
        with pytest.raises(SpreadsheetError, match="hơn 3 dòng"):
            list(read_table(uploaded)[1])
    settings.IMPORT_MAX_UNCOMPRESSED_MB = 1
    two_megabytes = (MAIN + b"<sheetData>", b"<!-- comment -->", 131072, b"</sheetData></worksheet>")
    with pytest.raises(SpreadsheetError, match="giải nén sẽ nặng 2 MB; giới hạn là 1 MB"):
        read_table(with_parts(xl__worksheets__sheet1_xml=two_megabytes))
