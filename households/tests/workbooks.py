"""Real workbooks and CSV files built in code for the import tests (openpyxl, as Excel saves them)."""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOUSEHOLD_HEADERS = [
    "Mã hộ", "Họ tên chủ hộ", "Thôn, làng", "Dân tộc", "Sinh kế chính", "Ngày đăng ký hộ",
    "Họ tên thành viên", "Quan hệ với chủ hộ", "Giới tính", "Năm sinh", "Số định danh cá nhân",
]  # fmt: skip


def household_rows(count: int, *, start: int = 1, village: str = "Làng Mới"):
    """`count` households of two members each (head and spouse): 2 × count rows."""
    for number in range(start, start + count):
        code = f"H{number:05d}"
        head = f"Y Hộ {number}"
        yield [code, head, village, "Xơ Đăng", "Nông nghiệp", "05/02/2015", head, "Chủ hộ", "Nam", 1980, ""]
        yield [code, "", "", "", "", "", f"Y Vợ {number}", "Vợ/chồng", "Nữ", 1982, ""]


def xlsx_bytes(headers, rows, *, before=None, formula_at=None, merge=None) -> bytes:
    workbook = openpyxl.Workbook(write_only=merge is None and formula_at is None)
    sheet = workbook.create_sheet() if workbook.write_only else workbook.active
    for row in before or []:
        sheet.append(row)
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if formula_at:
        sheet[formula_at] = "=1+1"
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "ho-gia-dinh.xlsx") -> SimpleUploadedFile:
    content_type = XLSX if name.endswith(".xlsx") else "text/csv"
    return SimpleUploadedFile(name, content, content_type=content_type)


def xlsx_upload(headers=HOUSEHOLD_HEADERS, rows=(), name="ho-gia-dinh.xlsx", **kwargs) -> SimpleUploadedFile:
    return upload(xlsx_bytes(headers, rows, **kwargs), name)


def csv_upload(headers, rows, *, bom=True, name="ho-gia-dinh.csv") -> SimpleUploadedFile:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows(rows)
    data = text.getvalue().encode("utf-8-sig" if bom else "utf-8")
    return upload(data, name)


def password_protected(content: bytes, password: str = "matkhau") -> bytes:
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile

    source = OOXMLFile(io.BytesIO(content))
    out = io.BytesIO()
    source.encrypt(password, out)
    assert msoffcrypto.OfficeFile(io.BytesIO(out.getvalue())).is_encrypted()
    return out.getvalue()
