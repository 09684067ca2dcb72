import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from msoffcrypto.format.ooxml import OOXMLFile

from core.spreadsheets import (
    Column,
    RowParser,
    SpreadsheetError,
    TableReader,
    choice_lookup,
    csv_safe,
    match_headers,
    parse_date,
    parse_whole_number,
    read_table,
    xlsx_response,
)

COLUMNS = [
    Column("code", "Mã hộ", required=True),
    Column("head_name", "Họ tên chủ hộ", required=True, aliases=("Chủ hộ",)),
    Column("income", "Thu nhập bình quân"),
]


def workbook_file(rows, name="ho.xlsx", merge=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def rows_of(uploaded):
    header, rows = read_table(uploaded)
    return header, [values for _, values in rows]


@pytest.mark.parametrize(
    "typed", ["Họ tên chủ hộ", "Ho ten chu ho", "HỌ TÊN CHỦ HỘ", "  họ  tên   chủ_hộ: ", "Chủ hộ"]
)
def test_headers_match_whatever_the_case_diacritics_and_spacing(typed):
    match = match_headers(["Mã hộ", typed], COLUMNS)
    assert match.positions == {"code": 0, "head_name": 1}
    assert not match.missing


def test_unknown_headers_are_listed_and_missing_required_ones_named():
    match = match_headers(["Ghi chú", "Thu nhập bình quân"], COLUMNS)
    assert match.unknown == ["Ghi chú"]
    assert [c.header for c in match.missing] == ["Mã hộ", "Họ tên chủ hộ"]


def test_a_workbook_reads_header_and_rows_skipping_blank_lines_above():
    header, rows = rows_of(workbook_file([[], ["Mã hộ", "Họ tên chủ hộ"], ["H01", "A Lềnh"]]))
    assert header == ["Mã hộ", "Họ tên chủ hộ"]
    assert rows == [["H01", "A Lềnh"]]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("separator", [",", ";"])
def test_csv_in_utf8_with_or_without_bom(bom, separator):
    text = f"Mã hộ{separator}Họ tên chủ hộ\nH01{separator}Y Bình\n"
    header, rows = rows_of(SimpleUploadedFile("ho.csv", bom + text.encode()))
    assert header == ["Mã hộ", "Họ tên chủ hộ"]
    assert rows == [["H01", "Y Bình"]]


def password_protected_workbook():
    plain = workbook_file([["Mã hộ"], ["H01"]])
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(plain.read())).encrypt("mat-khau", encrypted)
    return SimpleUploadedFile("ho.xlsx", encrypted.getvalue())


@pytest.mark.parametrize(
    ("uploaded", "message"),
    [
        (SimpleUploadedFile("ho.xlsx", b""), "Tệp trống"),
        (SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n...."), "không phải sổ tính Excel"),
        (SimpleUploadedFile("ho.xlsx", b"PK\x03\x04 broken zip"), "không mở được"),
        (SimpleUploadedFile("ho.csv", "Thôn\nThôn 1\n".encode("cp1252")), "không ở dạng UTF-8"),
        (SimpleUploadedFile("ho.csv", b"\n\n"), "không có dòng nào"),
    ],
)
def test_bad_files_get_a_clear_message(uploaded, message):
    with pytest.raises(SpreadsheetError, match=message):
        rows_of(uploaded)


def test_a_password_protected_workbook_is_refused_clearly():
    with pytest.raises(SpreadsheetError, match="đặt mật khẩu"):
        rows_of(password_protected_workbook())


def test_files_over_ten_megabytes_are_refused_before_reading():
    big = SimpleUploadedFile("ho.xlsx", b"PK\x03\x04" + b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(SpreadsheetError, match="giới hạn là 10 MB"):
        read_table(big)


def test_formulas_are_refused_naming_the_cell():
    uploaded = workbook_file([["Mã hộ", "Thu nhập bình quân"], ["H01", "=1500000*2"]])
    with pytest.raises(SpreadsheetError, match="Ô B2"):
        rows_of(uploaded)


def test_merged_header_cells_are_refused():
    uploaded = workbook_file([["Thông tin hộ", None], ["H01", "A"]], merge="A1:B1")
    with pytest.raises(SpreadsheetError, match="gộp ô"):
        rows_of(uploaded)


def test_rows_past_a_dimension_that_understates_them_are_read():
    """Some programs write a sheet's dimension wrong; openpyxl's read-only mode would stop there."""
    content = workbook_file([["Mã hộ", "Ghi chú"], ["H01", "x"], ["H02", None], ["H03", "z"]]).read()
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            part = source.read(name)
            archive.writestr(name, part.replace(b'<dimension ref="A1:B4"/>', b'<dimension ref="A1:B2"/>'))
    header, rows = rows_of(SimpleUploadedFile("ho.xlsx", out.getvalue()))
    assert [row[0] for row in rows] == ["H01", "H02", "H03"]


def test_merged_cells_below_the_header_are_fine():
    header, rows = rows_of(workbook_file([["Mã hộ", "Ghi chú"], ["H01", "x"], ["H02", None]], merge="B2:B3"))
    assert len(rows) == 2


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1.500.000", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1 500 000 đ", 1_500_000),
        (1500000, 1_500_000),
        (1500000.0, 1_500_000),
        ("0", 0),
        ("", None),
        (None, None),
    ],
)
def test_whole_numbers_as_people_type_them(typed, number):
    assert parse_whole_number(typed, label="Thu nhập") == number


@pytest.mark.parametrize("typed", ["1,5 triệu", "1.500,50", "-200", 12.5, "abc", True])
def test_numbers_that_are_not_whole_dong_are_refused(typed):
    with pytest.raises(SpreadsheetError, match="Thu nhập"):
        parse_whole_number(typed, label="Thu nhập")


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("05/02/2022", datetime.date(2022, 2, 5)),
        ("5/2/2022", datetime.date(2022, 2, 5)),
        ("2022-02-05", datetime.date(2022, 2, 5)),
        (datetime.datetime(2022, 2, 5, 0, 0), datetime.date(2022, 2, 5)),
        ("", None),
    ],
)
def test_dates_as_cells_or_as_text(typed, day):
    assert parse_date(typed, label="Ngày") == day


def test_impossible_dates_are_refused():
    with pytest.raises(SpreadsheetError, match="dd/mm/yyyy"):
        parse_date("31/02/2022", label="Ngày")


def test_export_writes_formula_like_text_as_text_and_reads_back():
    response = xlsx_response(
        "ho.xlsx", ["Mã hộ", "Ghi chú"], [["H01", '=HYPERLINK("http://x")'], ["H02", "+84 90"]]
    )
    content = b"".join(response.streaming_content)
    assert response["Content-Disposition"] == 'attachment; filename="ho.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["B2"].value == '=HYPERLINK("http://x")' and sheet["B2"].data_type == "s"
    assert sheet["B3"].data_type == "s"
    header, rows = rows_of(SimpleUploadedFile("ho.xlsx", content))  # the formula check passes: it is text
    assert rows == [["H01", '=HYPERLINK("http://x")'], ["H02", "+84 90"]]


def test_csv_exports_neutralise_formulas():
    assert csv_safe("=1+1") == "'=1+1"
    assert csv_safe("-5") == "'-5"
    assert csv_safe("Làng Mới") == "Làng Mới"
    assert csv_safe(12) == 12


def test_a_table_reader_gives_non_empty_rows_by_column_key_and_names_the_missing_columns():
    reader = TableReader(
        workbook_file([["Chủ hộ", "MÃ HỘ", "Ghi chú"], [" A Blong ", 7, None], [None, None]]), COLUMNS
    )
    assert list(reader) == [(2, {"head_name": "A Blong", "code": 7})]
    assert reader.unknown == ["Ghi chú"] and reader.header("head_name") == "Chủ hộ"
    assert reader.header("income") == "Thu nhập bình quân"  # not in the file: the template's header
    with pytest.raises(SpreadsheetError, match="Họ tên chủ hộ"):
        TableReader(workbook_file([["Mã hộ"], ["H1"]]), COLUMNS)


def test_a_row_parser_reads_cells_and_collects_what_it_cannot_read_by_column(settings):
    reader = TableReader(
        workbook_file([["Mã hộ", "Chủ hộ", "Thu nhập bình quân"], ["H1", "x", "1.500.000"]]), COLUMNS
    )
    parser = RowParser(reader)
    sexes = choice_lookup([("male", "Male"), ("female", "Female")], ("male", ("Nam",)))
    row = {"code": 12.0, "head_name": "Nam", "income": "1.500.000 đ"}
    assert parser.text(row, "code") == "12" and parser.number(row, "income") == 1_500_000
    assert parser.choice(row, "head_name", sexes, [("male", "Male")]) == "male"
    assert parser.number({"income": "nhiều"}, "income") is None
    assert parser.choice({"code": "khác"}, "code", sexes, [("male", "Male")]) == ""
    assert [column for column, _reason in parser.errors] == ["Thu nhập bình quân", "Mã hộ"]
