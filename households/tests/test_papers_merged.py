"""All eight papers of the merged Xã Ngọc Linh (formed on 1/7/2025), made from the demo: its review of
late 2025 (lists of 2026), its refused request, complaint and applications of 2025 render as PDF with
embedded fonts, the new commune's committee, its decision number and a household's name."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from communes import demo as communes_demo
from communes.models import Commune
from households.models import Certificate, Complaint, ReviewRequest, ReviewRound, StatusApplication
from tests.fixtures import demo_for_the_module
from tests.pdfs import A4_POINTS, fonts_of, page_size, pdf_text

pytestmark = pytest.mark.django_db
COMMITTEE = "XÃ NGỌC LINH"  # "ỦY BAN NHÂN DÂN XÃ NGỌC LINH"; the minutes: "UBND XÃ NGỌC LINH"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_the_module(django_db_blocker):
        yield


def test_every_paper_of_the_merged_commune_renders_from_the_demo(demo, client):
    client.force_login(get_user_model().objects.get(username="demo"))
    commune = Commune.objects.get(code=communes_demo.NGOC_LINH_NEW["code"])
    review_round = ReviewRound.objects.get(commune=commune, list_year=2026)
    certificate = Certificate.objects.filter(review__round=review_round).select_related("review__household")
    certificate = certificate.order_by("pk").first()
    head = certificate.review.household.head_name
    complaint = Complaint.objects.get(round=review_round)
    refused_request = ReviewRequest.objects.get(commune=commune, outcome=ReviewRequest.Outcome.REFUSED)
    applications = StatusApplication.objects.filter(household__commune=commune)
    recognised = applications.get(state=StatusApplication.State.RECOGNISED)
    month = [commune.pk, recognised.kind, 2025, 8]
    papers = {
        ("round_to_review_pdf", review_round.pk): ["DANH SÁCH", "năm 2025"],
        ("round_minutes_pdf", review_round.pk): ["BIÊN BẢN", "Bản lưu tại thôn", "Bản gửi Ủy ban nhân dân"],
        ("round_posted_results_pdf", review_round.pk): ["DANH SÁCH", "niêm yết"],
        ("complaint_record_pdf", review_round.pk, complaint.pk): ["BIÊN BẢN", "phúc tra"],
        ("round_decision_pdf", review_round.pk): ["QUYẾT ĐỊNH", "15/QĐ-UBND", "Đinh Văn Thiết", head],
        ("round_certificates_pdf", review_round.pk): ["GIẤY CHỨNG NHẬN", certificate.code, head],
        ("review_certificate_pdf", certificate.review_id): ["GIẤY CHỨNG NHẬN", certificate.code, head],
        ("commune_report_tables_pdf", commune.pk): ["Biểu 01", "danh sách năm 2026", "xã Ngọc Linh"],
        ("request_refusal_pdf", refused_request.pk): ["THÔNG BÁO", refused_request.refusal_reason[:30]],
        ("application_posted_pdf", *month): ["DANH SÁCH", recognised.household.head_name],
        ("application_decision_pdf", *month): ["QUYẾT ĐỊNH", "05/QĐ-UBND"],
        ("application_refusal_pdf", applications.filter(state="refused").first().pk): ["THÔNG BÁO"],
    }
    for (name, *args), words in papers.items():
        params = {"year": 2026} if name.startswith("commune_report") else {}
        reader, text = pdf_text(client.get(reverse(f"households:{name}", args=args), params))
        assert all(page_size(page) in (A4_POINTS, A4_POINTS[::-1]) for page in reader.pages), name
        assert all("+" in font and "Liberation-Serif" in font for font in fonts_of(reader)), name
        for expected in [COMMITTEE, *words]:
            assert " ".join(expected.split()) in text, (name, expected)
