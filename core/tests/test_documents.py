import datetime
import io
from types import SimpleNamespace

import pytest
from django.template import engines
from django.test import RequestFactory
from pypdf import PdfReader

from core import documents, pdf
from core.documents import place_and_date
from tests.pdfs import A4_POINTS, fonts_of, page_size


@pytest.mark.parametrize(
    ("place", "day", "text"),
    [
        ("Kon Tum", datetime.date(2022, 8, 22), "Kon Tum, ngày 22 tháng 8 năm 2022"),
        ("Kon Tum", datetime.date(2022, 2, 5), "Kon Tum, ngày 05 tháng 02 năm 2022"),
        ("Quảng Ngãi", datetime.date(2025, 1, 9), "Quảng Ngãi, ngày 09 tháng 01 năm 2025"),
        ("Quảng Ngãi", datetime.date(2025, 12, 31), "Quảng Ngãi, ngày 31 tháng 12 năm 2025"),
        ("", datetime.date(2025, 3, 1), "Ngày 01 tháng 3 năm 2025"),
    ],
)
def test_place_and_date_as_decree_30_writes_them(place, day, text):
    assert place_and_date(place, day) == text


SAMPLE = """{% extends "base_print.html" %}
{% block doc_kind %}Kế hoạch{% endblock %}
{% block doc_subject %}Hỗ trợ xã Mường Hoong và xã Ngọc Linh năm 2022{% endblock %}
{% block body %}<h2>I. Mục đích</h2><p>Đẩy mạnh giảm nghèo bền vững: ắ ằ ẳ ẵ ặ ề ữ ự ỹ.</p>
<table class="doc-table"><thead><tr><th>TT</th><th>Nội dung</th><th>Kinh phí</th></tr></thead><tbody>
{% for i in rows %}<tr><td>{{ i }}</td><td>Hoạt động số {{ i }}: tập huấn rà soát hộ nghèo</td>
<td class="num">1.000.000 đ</td></tr>{% endfor %}
</tbody></table>{% endblock %}"""


def sample_html(rows):
    issuer = SimpleNamespace(  # an issuing body as the documents read it
        full_name="Sở Lao động - Thương binh và Xã hội tỉnh Kon Tum",
        short_name="",
        parent=SimpleNamespace(full_name="Ủy ban nhân dân tỉnh Kon Tum", short_name="", parent=None),
    )
    context = {
        "issuer": issuer,
        "number": "12/KH-SLĐTBXH",
        "place_date": place_and_date("Kon Tum", datetime.date(2022, 8, 22)),
        "signer_on_behalf": "KT. GIÁM ĐỐC",
        "signer_title": "Phó Giám đốc",
        "signer_name": "Bạch Thị Mân",
        "rows": range(1, rows + 1),
        "for_pdf": True,
    }
    return engines["django"].from_string(SAMPLE).render(context)


def test_document_pdf_is_a4_with_vietnamese_text_intact_and_fonts_embedded():
    reader = PdfReader(io.BytesIO(pdf.html_to_pdf(sample_html(3), base_url="http://testserver/")))
    page = reader.pages[0]
    assert page_size(page) == A4_POINTS
    text = " ".join(page.extract_text().split())
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Kon Tum, ngày 22 tháng 8 năm 2022",
        "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI TỈNH KON TUM",
        "KẾ HOẠCH",
        "ắ ằ ẳ ẵ ặ ề ữ ự ỹ",
        "Bạch Thị Mân",
    ]:
        assert expected in text
    fonts = fonts_of(reader)
    assert all("Liberation-Serif" in name for name in fonts), fonts  # embedded subsets, no fallback


def test_long_tables_flow_onto_numbered_pages():
    reader = PdfReader(io.BytesIO(pdf.html_to_pdf(sample_html(80), base_url="http://testserver/")))
    assert len(reader.pages) >= 3
    second = reader.pages[1].extract_text()
    assert "Nội dung" in second  # the table header repeats
    assert "2" in second.splitlines()  # the page number, from page 2 on
    assert "1" not in reader.pages[0].extract_text().splitlines()


def test_pdf_fetches_nothing_but_static_files():
    with pytest.raises(ValueError):
        pdf.static_file_response("http://example.com/tracker.png", dict)


@pytest.mark.django_db
def test_missing_pdf_engine_gives_a_clear_page_not_a_500(monkeypatch, department_officer):
    def missing():
        raise pdf.PdfEngineMissing("libpango-1.0-0: cannot open shared object file")

    monkeypatch.setattr(pdf, "_weasyprint", missing)
    request = RequestFactory().get("/", HTTP_REFERER="http://testserver/communes/")
    request.user = department_officer
    response = pdf.pdf_response(request, "base_print.html", {}, filename="x.pdf")
    assert response.status_code == 503
    page = response.content.decode()
    assert "Không thể tạo tệp PDF" in page
    assert 'href="http://testserver/communes/"' in page


@pytest.mark.parametrize(
    ("job_title", "lines"),
    [
        ("Phó Giám đốc", ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
        ("Phó Chủ tịch", ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
        ("Giám đốc", ("", "GIÁM ĐỐC")),
        ("", ("", "")),
    ],
)
def test_a_deputy_signs_for_the_head(job_title, lines):
    assert documents.signature(job_title) == lines


def test_amounts_are_written_in_figures_and_words():
    assert documents.amount_in_words(441_000_000) == (
        "441.000.000 đồng (Bằng chữ: Bốn trăm bốn mươi mốt triệu đồng)"
    )


def test_a_draft_leaves_the_day_month_and_number_blank():
    issuer = SimpleNamespace(short_name="SLĐTBXH")
    assert (
        documents.undated("Kon Tum", 2022)
        == "Kon Tum, ngày\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0tháng" + ("\u00a0" * 6) + "năm 2022"
    )
    assert documents.document_number("", "KH", issuer).endswith("/KH-SLĐTBXH")
    assert documents.document_number("12/KH-SLĐTBXH", "KH", issuer) == "12/KH-SLĐTBXH"


@pytest.mark.parametrize(("number", "text"), [(1, "I"), (4, "IV"), (9, "IX"), (14, "XIV"), (40, "XL")])
def test_parts_are_numbered_in_roman_figures(number, text):
    assert documents.roman(number) == text
