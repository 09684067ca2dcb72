"""The report tables of every decided round of the demo, as PDF: fonts embedded, the Vietnamese title,
a heading and the commune's name in the text; and the province's tables of the same lists."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from households.models import ReviewRound
from tests.fixtures import demo_for_the_module
from tests.pdfs import A4_POINTS, fonts_of, page_size, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_the_module(django_db_blocker):
        yield


def test_every_decided_round_of_the_demo_has_its_report_tables_as_pdf(demo, client):
    client.force_login(get_user_model().objects.get(username="demo"))
    rounds = ReviewRound.objects.filter(state__in=ReviewRound.DECIDED_STATES).select_related(
        "commune__province"
    )
    assert {r.commune.name for r in rounds} >= {"Mường Hoong", "Ngọc Linh"}
    for review_round in rounds:
        if not review_round.lists_counted_in_commune:
            continue  # the lists of 2025 of the communes merged on 1/7/2025: see test_merger_households
        commune, year = review_round.commune, review_round.list_year
        for name, pk, place in (
            ("households:commune_report_tables_pdf", commune.pk, f"xã {commune.name}"),
            ("households:province_report_tables_pdf", commune.province_id, f"tỉnh {commune.province.name}"),
        ):
            reader, text = pdf_text(client.get(reverse(name, args=[pk]), {"year": year}))
            assert all(page_size(page) == A4_POINTS[::-1] for page in reader.pages)
            assert all("+" in font and "Liberation-Serif" in font for font in fonts_of(reader))
            for words in (
                f"Biểu 01. Kết quả rà soát hộ nghèo, hộ cận nghèo (danh sách năm {year})",
                "Số hộ nghèo đầu kỳ",
                "Tổng cộng",
                place,
            ):
                assert words in text, (name, year, words)
