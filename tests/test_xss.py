"""User text in printable documents and exports is shown as text, never run (HTML, PDF, XLSX, CSV).

The pages are checked in tests/test_roles.py (`test_user_text_is_escaped_on_every_page`); here the
shared helpers every document and export goes through: templates/base_print.html with core/pdf.py,
and core/spreadsheets.py.
"""

import csv
import io

import openpyxl
import pytest
from django.template import engines
from pypdf import PdfReader

from communes.models import Organisation
from core import pdf
from core.spreadsheets import FORMULA_STARTS, csv_safe, xlsx_response

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","bấm vào")'
DOCUMENT = """{% extends "base_print.html" %}
{% block doc_kind %}KẾ HOẠCH{% endblock %}
{% block doc_subject %}{{ subject }}{% endblock %}
{% block body %}<table><tr><td>{{ head_name }}</td><td>{{ title }}</td></tr></table>{% endblock %}
{% block recipients %}<li>{{ recipient }}</li>{% endblock %}"""


def document_html():
    issuer = Organisation(full_name=f"Sở {SCRIPT}")
    return (
        engines["django"]
        .from_string(DOCUMENT)
        .render(
            {
                "issuer": issuer,
                "number": SCRIPT,
                "place_date": "Kon Tum, ngày 22 tháng 8 năm 2022",
                "signer_title": "Phó Giám đốc",
                "signer_name": f"Bạch Thị Mân {SCRIPT}",
                "subject": f"Hỗ trợ hộ {SCRIPT}",
                "head_name": SCRIPT,
                "title": FORMULA,
                "recipient": '<img src=x onerror="alert(2)">',
                "for_pdf": True,
            }
        )
    )


def test_the_document_layout_escapes_every_piece_of_user_text():
    html = document_html()
    assert SCRIPT not in html and "<img src=x" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4


def test_the_pdf_prints_user_markup_as_plain_text():
    reader = PdfReader(io.BytesIO(pdf.html_to_pdf(document_html(), base_url="http://testserver/")))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "<script>alert(1)</script>" in text  # shown, as typed
    assert '=HYPERLINK("http://x","bấm vào")' in text
    assert all("/JS" not in str(page.get("/AA", "")) for page in reader.pages)
    assert "/JavaScript" not in str(reader.trailer["/Root"])


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_xlsx_exports_write_formula_like_text_as_text(start):
    value = start + 'HYPERLINK("http://x")'
    response = xlsx_response("x.xlsx", ["Chủ hộ", "Ghi chú"], [[SCRIPT, value]])
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert (sheet["A2"].value, sheet["A2"].data_type) == (SCRIPT, "s")
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].value.lstrip() == value.lstrip()


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_csv_exports_neutralise_every_formula_start(start):
    out = io.StringIO()
    csv.writer(out).writerow([csv_safe(SCRIPT), csv_safe(f"{start}1+1"), csv_safe(441_000_000)])
    cells = next(csv.reader(io.StringIO(out.getvalue())))
    assert cells[0] == SCRIPT
    assert cells[1].startswith("'")
    assert cells[2] == "441000000"
