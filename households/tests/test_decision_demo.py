"""Every decided round of the demo (Mường Hoong, Ngọc Linh and, once seeded, the merged Xã Ngọc
Linh) prints its chairman's decision and its certificates as PDF: A4, fonts embedded, the Vietnamese
text intact."""

import pytest
from django.urls import reverse

from households.models import Certificate, ReviewRound
from tests.fixtures import demo_for_the_module
from tests.pdfs import assert_a4_with_embedded_fonts, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_the_module(django_db_blocker):
        yield


def _decided_rounds():
    return ReviewRound.objects.filter(state__in=ReviewRound.DECIDED_STATES).select_related("commune")


def test_the_demo_has_decided_rounds_of_both_communes(demo):
    assert {r.commune.name for r in _decided_rounds()} >= {"Mường Hoong", "Ngọc Linh"}


def test_every_decided_round_of_the_demo_prints_its_decision_and_certificates(
    demo, client_of, department_officer
):
    client = client_of(department_officer)
    for review_round in _decided_rounds():
        first = Certificate.objects.filter(review__round=review_round).select_related("review__household")
        head = first.earliest("number").review.household.head_name
        response = client.get(reverse("households:round_decision_pdf", args=[review_round.pk]))
        reader, text = pdf_text(response)
        assert_a4_with_embedded_fonts(reader)
        for words in (
            "QUYẾT ĐỊNH",
            f"Số: {review_round.decision_number}",
            f"DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {review_round.list_year}",
            "DANH SÁCH HỘ THOÁT NGHÈO",
            "DANH SÁCH HỘ THOÁT CẬN NGHÈO",
            head,
        ):
            assert words in text, (review_round, words)
        response = client.get(reverse("households:round_certificates_pdf", args=[review_round.pk]))
        reader, text = pdf_text(response)
        assert_a4_with_embedded_fonts(reader)
        assert len(reader.pages) >= first.count()
        assert "GIẤY CHỨNG NHẬN" in text and head in text and "/GCN-HN.HCN" in text
