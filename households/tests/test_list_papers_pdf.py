"""Papers 1, 3 and 6 of every demo round as PDF (A4, fonts embedded, the Vietnamese text there) and,
for the two lists, as XLSX."""

import io

import openpyxl
import pytest
from django.urls import reverse

from communes.models import Role
from households.models import Complaint, ReviewRequest, ReviewRound
from tests.fixtures import demo_for_the_module, make_user
from tests.pdfs import assert_a4_with_embedded_fonts, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_the_module(django_db_blocker):
        yield


@pytest.fixture
def client(client, demo):
    client.force_login(make_user("papers", Role.DEPARTMENT_OFFICER, all_communes=True))
    return client


def _pdf(client, name, *args):
    response = client.get(reverse(f"households:{name}", args=args))
    assert response.status_code == 200, name
    reader, text = pdf_text(response)
    assert_a4_with_embedded_fonts(reader)
    return text


def test_every_demo_round_has_its_lists_as_pdf_and_xlsx(client):
    rounds = ReviewRound.objects.filter(kind=ReviewRound.Kind.PERIODIC).select_related("commune")
    assert {r.commune.name for r in rounds} >= {"Mường Hoong", "Ngọc Linh"}
    for review_round in rounds:
        household = review_round.reviews.select_related("household").order_by("household__code")[0].household
        text = _pdf(client, "round_to_review_pdf", review_round.pk)
        assert "ỦY BAN NHÂN DÂN XÃ" in text and "DANH SÁCH" in text
        assert f"Hộ gia đình thuộc diện rà soát hộ nghèo, hộ cận nghèo năm {review_round.year}" in text
        assert "Họ và tên chủ hộ" in text and "Lý do đưa vào danh sách rà soát" in text
        assert household.head_name in text
        text = _pdf(client, "round_posted_results_pdf", review_round.pk)
        assert (
            "DANH SÁCH NIÊM YẾT" in text and "Kết quả rà soát" in text and "Phân loại trước rà soát" in text
        )
        assert household.head_name in text and "thời gian niêm yết: từ ngày" in text
        for name in ("round_to_review_xlsx", "round_posted_results_xlsx"):
            response = client.get(reverse(f"households:{name}", args=[review_round.pk]))
            sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
            assert sheet.max_row == review_round.reviews.count() + 1


def test_every_demo_complaint_has_its_record_and_every_refusal_its_letter(client):
    complaints = Complaint.objects.select_related("household", "round__commune")
    assert {c.round.commune.name for c in complaints} >= {"Mường Hoong", "Ngọc Linh"}
    for complaint in complaints:
        text = _pdf(client, "complaint_record_pdf", complaint.round_id, complaint.pk)
        assert "BIÊN BẢN" in text and "Phúc tra kết quả rà soát" in text and "III. KẾT QUẢ PHÚC TRA" in text
        assert complaint.household.head_name in text
    refused = ReviewRequest.objects.filter(outcome=ReviewRequest.Outcome.REFUSED).select_related("commune")
    assert {r.commune.name for r in refused} >= {"Mường Hoong", "Ngọc Linh"}
    for review_request in refused:
        text = _pdf(client, "request_refusal_pdf", review_request.pk)
        assert "THÔNG BÁO" in text and "Về việc không chấp nhận đơn đề nghị" in text
        assert review_request.applicant in text and "Qua rà soát Phiếu A" in text
