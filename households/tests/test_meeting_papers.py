"""Paper 2: the minutes of the village meetings, each in its two copies (the village's, the commune's),
for one meeting or all meetings of a round; links from the round page; scope; fixed query counts."""

import pytest
from django.urls import reverse

from households.meeting_papers import MINUTES
from households.tests.helpers import make_household, open_survey, survey_as, to_meeting

pytestmark = pytest.mark.django_db
VILLAGE_COPY, COMMUNE_COPY = MINUTES["copies"]


def meeting_round(commune, households_by_village: dict[str, int], *, by):
    """A round at the village meeting step, each village's meeting held and every result agreed."""
    households = [
        make_household(commune, f"V{v}{n:03d}", village_name=village, head_name=f"Hộ {n} {village}")
        for v, (village, count) in enumerate(households_by_village.items())
        for n in range(count)
    ]
    review_round = open_survey(commune, 2022, households, by=by)
    for review in review_round.reviews.select_related("household", "round"):
        survey_as(review, "poor", by=by)
    return to_meeting(review_round, by=by)


@pytest.fixture
def two_villages(geography, muong_hoong_officer):
    return meeting_round(geography["muong_hoong"], {"Làng Mới": 2, "Thôn 1": 1}, by=muong_hoong_officer)


def test_a_meetings_minutes_come_in_two_copies_headed_by_the_commune_and_the_village(
    two_villages, client_of, muong_hoong_officer
):
    meeting = two_villages.meetings.get(village__name="Làng Mới")
    html = client_of(muong_hoong_officer).get(reverse("households:meeting_minutes", args=[meeting.pk]))
    html = html.content.decode()
    assert html.count('<article class="sheet">') == 2
    assert html.index(VILLAGE_COPY) < html.index(COMMUNE_COPY)
    assert html.count("UBND XÃ MƯỜNG HOONG") == 2 and html.count("LÀNG MỚI") == 2
    assert html.count("Hộ 1 Làng Mới") == 2 and "Thôn 1" not in html
    assert html.count("CHỦ TRÌ (TRƯỞNG THÔN)") == 2


def test_all_minutes_of_a_round_are_one_document_village_by_village(
    two_villages, client_of, muong_hoong_officer
):
    page = client_of(muong_hoong_officer).get(reverse("households:round_minutes", args=[two_villages.pk]))
    html = page.content.decode()
    assert html.count('<article class="sheet">') == 4
    assert html.count(VILLAGE_COPY) == 2 and html.count(COMMUNE_COPY) == 2
    assert html.index("Hộ 0 Làng Mới") < html.index("Hộ 0 Thôn 1")
    assert reverse("households:round", args=[two_villages.pk]) in html  # back to the round


def test_the_round_page_links_all_minutes_and_each_meetings(two_villages, client_of, muong_hoong_officer):
    html = client_of(muong_hoong_officer).get(two_villages.get_absolute_url()).content.decode()
    assert reverse("households:round_minutes_pdf", args=[two_villages.pk]) in html
    for meeting in two_villages.meetings.all():
        assert reverse("households:meeting_minutes_pdf", args=[meeting.pk]) in html


def test_a_round_before_its_meetings_links_no_minutes(geography, client_of, muong_hoong_officer):
    household = make_household(geography["muong_hoong"], "S1")
    review_round = open_survey(geography["muong_hoong"], 2022, [household], by=muong_hoong_officer)
    html = client_of(muong_hoong_officer).get(review_round.get_absolute_url()).content.decode()
    assert reverse("households:round_minutes", args=[review_round.pk]) not in html


def test_another_communes_officer_gets_404_and_a_viewer_reads_them(
    two_villages, client_of, other_commune_officer, viewer
):
    urls = [
        reverse("households:round_minutes", args=[two_villages.pk]),
        reverse("households:round_minutes_pdf", args=[two_villages.pk]),
    ]
    assert all(client_of(other_commune_officer).get(url).status_code == 404 for url in urls)
    assert client_of(viewer).get(urls[0]).status_code == 200


def test_the_round_minutes_download_as_a_pdf_of_every_copy(two_villages, client_of, muong_hoong_officer):
    from tests.pdfs import assert_a4_with_embedded_fonts, pdf_text

    response = client_of(muong_hoong_officer).get(
        reverse("households:round_minutes_pdf", args=[two_villages.pk])
    )
    assert 'filename="bien-ban-hop-dan-' in response["Content-Disposition"]
    reader, text = pdf_text(response)
    assert_a4_with_embedded_fonts(reader)
    assert len(reader.pages) >= 4
    assert text.count(VILLAGE_COPY) == 2 and text.count(COMMUNE_COPY) == 2
    assert "BIÊN BẢN" in text and "Hộ 0 Thôn 1" in text and "LÀNG MỚI" in text


# Session, user and profile (3: a printed document has no site header), the officer's communes (2), the
# round with its commune, its meetings with their villages, their results with their households (3).
ROUND_MINUTES_QUERIES = 3 + 2 + 3


@pytest.mark.parametrize(
    "households_by_village", [{"Làng Mới": 1}, {"Làng Mới": 20, "Thôn 1": 15, "Thôn 3": 5}]
)
def test_all_minutes_run_a_constant_number_of_queries(
    geography, client_of, muong_hoong_officer, django_assert_num_queries, households_by_village
):
    review_round = meeting_round(geography["muong_hoong"], households_by_village, by=muong_hoong_officer)
    client = client_of(muong_hoong_officer)
    with django_assert_num_queries(ROUND_MINUTES_QUERIES):
        page = client.get(reverse("households:round_minutes", args=[review_round.pk]))
    assert page.content.decode().count("<td>Thống nhất</td>") == 2 * sum(households_by_village.values())
