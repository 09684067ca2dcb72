"""Papers 4 and 5 of a review: the commune chairman's decision with its three annexes, and the
certificates of poor and near-poor households: their wording, PDF, scope, ID numbers and query counts."""

import io

import openpyxl
import pytest
from django.urls import reverse

from core import pdf
from households import poverty
from households.models import Certificate, Member
from households.tests.helpers import decided_lists, make_household, make_person, open_survey
from tests.pdfs import assert_a4_with_embedded_fonts, pdf_text

pytestmark = pytest.mark.django_db
POOR, NEAR, AVG = poverty.POOR, poverty.NEAR_POOR, poverty.AVERAGE
HEAD_ID = "062190000123"


def _with_members(household, head_name, *, head_id=""):
    household.head_name = head_name
    household.save()
    Member.objects.create(
        household=household,
        person=make_person(head_name, birth_year=1980, sex="male", citizen_id=head_id),
        relation="head",
    )
    Member.objects.create(
        household=household, person=make_person("Y Nhung", birth_year=1984), relation="spouse"
    )


@pytest.fixture
def decided(geography):
    """The 2024 lists of Mường Hoong (decided in late 2023, before the two-level government): K1 poor
    → near-poor (lists I and II), K2 near-poor → average (list III), K3 poor (list I)."""
    commune = geography["muong_hoong"]
    households = {code: make_household(commune, code, ethnicity="Xơ Đăng") for code in ("K1", "K2", "K3")}
    _with_members(households["K1"], "A Dũng", head_id=HEAD_ID)
    _with_members(households["K3"], "Bạch Thị Mân")
    decided_lists(commune, 2023, {households["K1"]: POOR, households["K2"]: NEAR, households["K3"]: POOR})
    return decided_lists(
        commune, 2024, {households["K1"]: NEAR, households["K2"]: AVG, households["K3"]: POOR}
    )


def _page(client, name, pk):
    response = client.get(reverse(f"households:{name}", args=[pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_decision_recognises_the_three_lists_with_their_counts(decided, client_of, department_officer):
    page = _page(client_of(department_officer), "round_decision", decided.pk)
    assert "Số: 1/QĐ-UBND" in page
    assert (
        "Về việc công nhận danh sách hộ nghèo, hộ cận nghèo; hộ thoát nghèo, hộ thoát cận nghèo năm 2024"
        in page
    )
    assert "Danh sách hộ nghèo, hộ cận nghèo: 2 hộ, trong đó 1 hộ nghèo, 1 hộ cận nghèo" in page
    assert "Danh sách hộ thoát nghèo: 1 hộ" in page and "Danh sách hộ thoát cận nghèo: 1 hộ" in page
    # Before 1/7/2025: the 2015 law, and the district chairman's opinion among the bases.
    assert "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015" in page
    assert "Căn cứ ý kiến của Chủ tịch Ủy ban nhân dân huyện Đắk Glei" in page
    assert "UBND huyện Đắk Glei (b/c)" in page
    assert "DỰ THẢO" not in page
    for annex in ("Phụ lục I", "Phụ lục II", "Phụ lục III"):
        assert f'<p class="annex-number">{annex}</p>' in page
    assert "A Dũng" in page and "Bạch Thị Mân" in page and "Vợ/chồng" in page


def test_a_decision_of_the_merged_commune_reports_to_the_province(geography, client_of, department_officer):
    commune = geography["ngoc_linh_new"]
    household = make_household(commune, "N1", ethnicity="Xơ Đăng")
    review_round = decided_lists(commune, 2026, {household: POOR})
    page = _page(client_of(department_officer), "round_decision", review_round.pk)
    assert "ỦY BAN NHÂN DÂN XÃ NGỌC LINH" in page
    assert "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025" in page
    assert "ý kiến của Chủ tịch Ủy ban nhân dân huyện" not in page
    assert f"UBND tỉnh {commune.province.name} (b/c)" in page


def test_before_the_decision_the_paper_is_a_draft_without_lists(geography, client_of, department_officer):
    household = make_household(geography["muong_hoong"], "D1")
    review_round = open_survey(geography["muong_hoong"], 2024, [household])
    page = _page(client_of(department_officer), "round_decision", review_round.pk)
    assert "DỰ THẢO" in page and "/QĐ-UBND" in page
    assert "Phụ lục I</p>" not in page
    round_page = _page(client_of(department_officer), "round", review_round.pk)
    assert reverse("households:round_decision", args=[review_round.pk]) not in round_page
    page = _page(client_of(department_officer), "round_certificates", review_round.pk)
    assert "Chưa có giấy chứng nhận" in page


def test_the_decision_pdf_is_a4_with_fonts_and_vietnamese_text(decided, client_of, department_officer):
    response = client_of(department_officer).get(reverse("households:round_decision_pdf", args=[decided.pk]))
    reader, text = pdf_text(response)
    assert_a4_with_embedded_fonts(reader)
    assert len(reader.pages) >= 4  # the decision, then each annex on its own page
    for words in ("QUYẾT ĐỊNH", "Số: 1/QĐ-UBND", "DANH SÁCH HỘ THOÁT CẬN NGHÈO NĂM 2024", "Bạch Thị Mân"):
        assert words in text, words
    assert "0xx…123" in text.replace(" ", "") and HEAD_ID not in text


def test_the_decision_shows_id_numbers_masked_to_every_writer_and_none_to_a_viewer(
    decided, client_of, muong_hoong_officer, viewer
):
    page = _page(client_of(muong_hoong_officer), "round_decision", decided.pk)
    assert "0xx…123" in page and HEAD_ID not in page
    page = _page(client_of(viewer), "round_decision", decided.pk)
    assert "0xx…123" not in page and "Số định danh cá nhân" not in page


def test_the_workbook_has_a_row_per_member_with_masked_id_numbers(decided, client_of, muong_hoong_officer):
    response = client_of(muong_hoong_officer).get(
        reverse("households:round_recognition_xlsx", args=[decided.pk])
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook["1. Hộ nghèo, hộ cận nghèo"].iter_rows(values_only=True))
    assert rows[0][-5:] == (
        "Họ và tên thành viên",
        "Quan hệ với chủ hộ",
        "Năm sinh",
        "Giới tính",
        "Số định danh cá nhân (che)",
    )
    assert [row[1] for row in rows[1:]] == ["K1", "K1", "K3", "K3"]
    assert rows[1][-5:] == ("A Dũng", "Chủ hộ", 1980, "Nam", "0xx…123")
    assert rows[2][0] is None and rows[2][-5:-1] == ("Y Nhung", "Vợ/chồng", 1984, "Nữ")


def test_a_certificate_names_the_head_and_the_members_birth_year_by_sex(
    decided, client_of, muong_hoong_officer
):
    certificate = Certificate.objects.get(review__round=decided, review__household__code="K1")
    page = _page(client_of(muong_hoong_officer), "review_certificate", certificate.review_id)
    assert f"Số: {certificate.code}" in page and certificate.code.endswith("/GCN-HN.HCN")
    assert "GIẤY CHỨNG NHẬN" in page.upper() and "<strong>A Dũng</strong>" in page and "Xơ Đăng" in page
    assert "Là hộ cận nghèo năm 2024 theo Quyết định số 1/QĐ-UBND ngày 01/12/2023" in page
    assert "0xx…123" in page and HEAD_ID not in page
    assert '<td class="center">1980</td>\n        <td class="center"></td>' in page
    assert '<td class="center"></td>\n        <td class="center">1984</td>' in page


def test_a_review_without_certificate_has_none(decided, client_of, department_officer):
    average = decided.reviews.get(household__code="K2")
    response = client_of(department_officer).get(reverse("households:review_certificate", args=[average.pk]))
    assert response.status_code == 404


def test_all_certificates_of_a_decision_are_one_pdf_a_sheet_each(decided, client_of, department_officer):
    response = client_of(department_officer).get(
        reverse("households:round_certificates_pdf", args=[decided.pk])
    )
    reader, text = pdf_text(response)
    assert_a4_with_embedded_fonts(reader)
    assert len(reader.pages) == 2
    assert "A Dũng" in text and "Bạch Thị Mân" in text and "GCN-HN.HCN" in text


def test_many_certificates_are_laid_out_in_parts_and_joined_in_order(
    decided, client_of, department_officer, monkeypatch
):
    monkeypatch.setattr(pdf, "SHEETS_PER_PART", 1)  # two certificates: two parts, on two processes
    response = client_of(department_officer).get(
        reverse("households:round_certificates_pdf", args=[decided.pk])
    )
    reader, text = pdf_text(response)
    assert_a4_with_embedded_fonts(reader)
    assert len(reader.pages) == 2
    assert "A Dũng" in reader.pages[0].extract_text() and "Bạch Thị Mân" in reader.pages[1].extract_text()


@pytest.mark.parametrize(
    "name", ["round_decision", "round_decision_pdf", "round_certificates", "round_certificates_pdf"]
)
def test_another_communes_papers_do_not_exist(decided, client_of, other_commune_officer, name):
    response = client_of(other_commune_officer).get(reverse(f"households:{name}", args=[decided.pk]))
    assert response.status_code == 404


def test_another_communes_certificate_does_not_exist(decided, client_of, other_commune_officer):
    review = decided.reviews.get(household__code="K1")
    for name in ("review_certificate", "review_certificate_pdf"):
        response = client_of(other_commune_officer).get(reverse(f"households:{name}", args=[review.pk]))
        assert response.status_code == 404


def test_the_papers_are_one_click_from_the_round_the_lists_and_the_household(
    decided, client_of, department_officer
):
    client = client_of(department_officer)
    round_page = _page(client, "round", decided.pk)
    for name in ("round_decision", "round_decision_pdf", "round_certificates", "round_certificates_pdf"):
        assert reverse(f"households:{name}", args=[decided.pk]) in round_page
    review = decided.reviews.get(household__code="K1")
    certificate = reverse("households:review_certificate", args=[review.pk])
    assert certificate in _page(client, "round_recognition", decided.pk)
    assert certificate in _page(client, "detail", review.household_id)


# Session, user and profile (3), the round with its commune and district (1), the reviews with their
# households, villages, certificates and previous category, their causes, their members with
# people on the decision's day, their deprivations (4).
DECISION_QUERIES = 3 + 1 + 4
# Session, user and profile (3), the round (1), the certificates with their reviews, households and
# villages, and the households' members with their people (2).
CERTIFICATES_QUERIES = 3 + 1 + 2


@pytest.mark.parametrize("households", [2, 30])
def test_the_papers_run_a_constant_number_of_queries(
    geography, client_of, department_officer, django_assert_num_queries, households
):
    commune = geography["muong_hoong"]
    listed = [make_household(commune, f"Q{n:03d}") for n in range(households)]
    for household in listed:
        _with_members(household, f"Chủ hộ {household.code}")
    decided_lists(commune, 2023, dict.fromkeys(listed, POOR))
    review_round = decided_lists(commune, 2024, {h: NEAR if n % 2 else AVG for n, h in enumerate(listed)})
    client = client_of(department_officer)
    with django_assert_num_queries(DECISION_QUERIES):
        response = client.get(reverse("households:round_decision", args=[review_round.pk]))
    assert sum(len(annex["reviews"]) for annex in response.context["annexes"]) == households + households // 2
    with django_assert_num_queries(CERTIFICATES_QUERIES):
        response = client.get(reverse("households:round_certificates", args=[review_round.pk]))
    assert len(response.context["certificates"]) == households // 2
