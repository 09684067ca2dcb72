"""The printed review summary: the same figures as the summary pages, masked ID numbers, the roll-up,
the PDF, the XLSX twin, scope and constant query counts."""

import io

import openpyxl
import pytest
from django.urls import reverse

from households.models import Member
from households.tests.helpers import decided_lists, make_household, make_person
from tests.pdfs import A4_POINTS, page_size, pdf_text

pytestmark = pytest.mark.django_db
FULL_ID = "062190004321"


def build_commune(geography, extra=0):
    """Mường Hoong: H1 poor/poor, H2 poor → near-poor, H3 not reviewed, H4 near-poor → poor,
    H5 average (as in test_summaries), and `extra` more; H1's head has a citizen ID number."""
    commune = geography["muong_hoong"]
    h1, h2, h3 = (make_household(commune, code) for code in ("H1", "H2", "H3"))
    h4, h5 = (make_household(commune, code, village_name="Thôn 1") for code in ("H4", "H5"))
    head = make_person("A Hùng", birth_year=1990, sex="male", citizen_id=FULL_ID)
    Member.objects.create(household=h1, person=head, relation="head")
    more = [make_household(commune, f"M{n:04d}", village_name="Thôn 2") for n in range(extra)]
    decided_lists(
        commune,
        2022,
        {h1: "poor", h2: "poor", h4: "near_poor", h5: "average"} | dict.fromkeys(more, "poor"),
    )
    decided_lists(
        commune,
        2023,
        {h1: "poor", h2: "near_poor", h4: "poor", h5: "average"}
        | {h: ("poor" if n % 3 else "near_poor") for n, h in enumerate(more)},
    )
    return commune


@pytest.fixture
def small_commune(geography):
    return build_commune(geography)


def url(name, commune, **query):
    return reverse(f"households:{name}", args=[commune.pk]) + "?year=2023"


def test_the_printed_summary_has_the_summary_pages_figures(small_commune, client_of, department_officer):
    client = client_of(department_officer)
    page = client.get(url("commune_summary", small_commune))
    area = client.get(reverse("households:summary"), {"year": 2023})
    document = client.get(url("commune_summary_document", small_commune))
    assert document.status_code == 200
    assert document.context["total"] == page.context["total"]
    assert document.context["rows"] == page.context["rows"]
    assert document.context["indicators"] == page.context["indicators"]
    assert document.context["transitions"] == page.context["transitions"]
    district, district_figures = document.context["roll_up"]["district"]
    assert [(d.pk, f) for d, f in area.context["districts"]] == [(district.pk, district_figures)]
    province, province_figures = document.context["roll_up"]["province"]
    assert [(p.pk, f) for p, f in area.context["provinces"]] == [(province.pk, province_figures)]
    text = document.content.decode()
    for expected in [
        "Báo cáo",
        "năm 2023",
        "Mường Hoong",
        "40,0",
        "Toàn xã",
        "Huyện Đắk Glei",
        "Tỉnh Kon Tum",
    ]:
        assert expected in text, expected


def test_the_list_names_poor_then_near_poor_households_with_id_numbers_masked(
    small_commune, client_of, department_admin
):
    response = client_of(department_admin).get(url("commune_summary_document", small_commune))
    listed = [(h.code, h.year_category, h.previous_category) for h in response.context["households"]]
    assert listed == [("H1", "poor", "poor"), ("H4", "poor", "near_poor"), ("H2", "near_poor", "poor")]
    text = response.content.decode()
    assert "0xx…321" in text, text[text.index("IV.") :][:400]
    assert FULL_ID not in text  # not even for the administrator, who may see it on the household page


def test_the_summary_pdf_is_a4_with_its_vietnamese_title(small_commune, client_of, department_officer):
    response = client_of(department_officer).get(url("commune_summary_document_pdf", small_commune))
    reader, text = pdf_text(response)
    assert page_size(reader.pages[0]) == A4_POINTS
    assert "BÁO CÁO" in text
    assert "Kết quả rà soát hộ nghèo, hộ cận nghèo cuối năm 2022 (danh sách năm 2023)" in text
    assert FULL_ID not in text
    assert "0xx…321" in text.replace(" ", "")  # the text layer may break "0xx… 321"


def test_the_summary_tables_download_as_xlsx(small_commune, client_of, department_officer):
    response = client_of(department_officer).get(url("commune_summary_xlsx", small_commune))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [
        "Theo thôn",
        "Biến động",
        "Chỉ số thiếu hụt",
        "Theo nhóm",
        "Nguyên nhân nghèo",
        "Danh sách hộ",
        "Tổng hợp",
    ]
    villages = list(workbook["Theo thôn"].iter_rows(values_only=True))
    assert villages[-1][:4] == ("Tổng cộng", 5, 2, 40.0)
    indicators = list(workbook["Chỉ số thiếu hụt"].iter_rows(values_only=True))
    assert indicators[0][2:] == (
        "Hộ nghèo",
        "Tỷ lệ trong hộ nghèo (%)",
        "Hộ cận nghèo",
        "Tỷ lệ trong hộ cận nghèo (%)",
    )
    households = list(workbook["Danh sách hộ"].iter_rows(values_only=True))
    assert households[1][:3] == ("H1", "Hộ H1", "0xx…321")
    assert FULL_ID not in str(households)


@pytest.mark.parametrize(
    "name", ["commune_summary_document", "commune_summary_document_pdf", "commune_summary_xlsx"]
)
def test_another_communes_summary_document_does_not_exist(
    small_commune, client_of, other_commune_officer, name
):
    assert client_of(other_commune_officer).get(url(name, small_commune)).status_code == 404


def test_the_summary_page_links_to_its_document(small_commune, client_of, viewer):
    client = client_of(viewer)
    page = client.get(url("commune_summary", small_commune)).content.decode()
    assert reverse("households:commune_summary_document", args=[small_commune.pk]) in page
    assert client.get(url("commune_summary_document", small_commune)).status_code == 200


# session, user, profile (3); the commune with its district and province (1); years (1); this and
# last year by village (1; the commune total is their sum), village names, indicator counts (2); the
# poor and near-poor households by group and by cause of poverty (2); the listed households and their
# heads (2); the roll-up: this and last year by commune of the province (1; district and province
# totals are their sums), names of the district's communes (1); the issuer.
SUMMARY_DOCUMENT_QUERIES = 15


@pytest.mark.parametrize("count", [5, 60])
def test_the_printed_summary_runs_a_constant_number_of_queries(
    geography, client_of, department_officer, django_assert_num_queries, count
):
    commune = build_commune(geography, extra=count)
    client = client_of(department_officer)
    with django_assert_num_queries(SUMMARY_DOCUMENT_QUERIES):
        response = client.get(url("commune_summary_document", commune))
    assert response.context["total"].households == 5 + count
