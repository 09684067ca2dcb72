"""The recognition: the commune chairman's decision recorded with the approval, its three lists, and a
certificate number per recognised poor or near-poor household."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from households import poverty, request_services, services
from households.models import Certificate, ReviewRound
from households.recognition import recognition_lists
from households.tests.helpers import (
    approve,
    decided_lists,
    make_household,
    open_survey,
    survey_as,
    to_meeting,
    writer,
)

pytestmark = pytest.mark.django_db
State = ReviewRound.State
D = datetime.date
POOR, NEAR, AVG, NOT = poverty.POOR, poverty.NEAR_POOR, poverty.AVERAGE, poverty.NOT_POOR
LIST_1, LIST_2, LIST_3 = poverty.RECOGNITION_LISTS


# (previous category, category after the review) → the lists of the decision the household is on.
# "Thoát nghèo" is read as "no longer poor": poor → near-poor escaped poverty and stays on list 1.
LISTS = [
    (None, POOR, (LIST_1,)),
    (None, NEAR, (LIST_1,)),
    (None, AVG, ()),
    (POOR, POOR, (LIST_1,)),
    (POOR, NEAR, (LIST_1, LIST_2)),
    (POOR, AVG, (LIST_2,)),
    (POOR, NOT, (LIST_2,)),
    (NEAR, NEAR, (LIST_1,)),
    (NEAR, POOR, (LIST_1,)),
    (NEAR, AVG, (LIST_3,)),
    (NEAR, NOT, (LIST_3,)),
    (AVG, POOR, (LIST_1,)),
    (AVG, NEAR, (LIST_1,)),
    (AVG, NOT, ()),
    (NOT, AVG, ()),
]


@pytest.mark.parametrize(("previous", "current", "lists"), LISTS)
def test_the_lists_a_household_is_on_follow_its_previous_and_new_category(previous, current, lists):
    assert poverty.recognition_lists(previous, current) == lists


@pytest.fixture
def posted_round(geography):
    """A periodic round of 2025 in Mường Hoong, posted until 20/11/2025, households in two villages."""
    commune = geography["muong_hoong"]
    households = [
        make_household(commune, "B2"),
        make_household(commune, "A9", village_name="Thôn 1"),
        make_household(commune, "C1"),
    ]
    review_round = open_survey(commune, 2025, households)
    for review in review_round.reviews.select_related("household", "round"):
        survey_as(review, NEAR if review.household.code == "C1" else POOR)
    to_meeting(review_round, on=D(2025, 11, 1))
    services.move_round(
        review_round=review_round,
        to_state=State.PUBLIC_POSTING,
        by=writer(),
        on=D(2025, 11, 10),
        posting_ends_on=D(2025, 11, 20),
    )
    review_round.refresh_from_db()
    return review_round


def _approve(review_round, **decision):
    return services.move_round(
        review_round=review_round, to_state=State.APPROVED, by=writer(), on=D(2025, 12, 1), **decision
    )


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        ({"decision_on": D(2025, 12, 1)}, "Nhập số quyết định của Chủ tịch UBND xã"),
        ({"decision_number": "   ", "decision_on": D(2025, 12, 1)}, "Nhập số quyết định"),
        ({"decision_number": "125/QĐ-UBND"}, "Nhập ngày ban hành quyết định"),
        ({"decision_number": "125/QĐ-UBND", "decision_on": D(2099, 1, 1)}, "không được sau ngày hôm nay"),
        (
            {"decision_number": "125/QĐ-UBND", "decision_on": D(2025, 11, 15)},
            "không được trước khi kết thúc niêm yết công khai (20/11/2025)",
        ),
    ],
)
def test_the_approval_needs_the_decision_number_and_date(posted_round, decision, message):
    with translation.override("vi"), pytest.raises(ValidationError, match=re.escape(message)):
        _approve(posted_round, **decision)
    posted_round.refresh_from_db()
    assert posted_round.state == State.PUBLIC_POSTING and not Certificate.objects.exists()


def test_the_approval_records_the_decision_and_numbers_the_certificates_in_list_order(posted_round):
    _approve(
        posted_round, decision_number=" 125/QĐ-UBND ", decision_on=D(2025, 11, 28), decision_signer="Y Hoa"
    )
    posted_round.refresh_from_db()
    assert (posted_round.decision_number, posted_round.decided_on, posted_round.decision_signer) == (
        "125/QĐ-UBND",
        D(2025, 11, 28),
        "Y Hoa",
    )
    certificates = Certificate.objects.select_related("review__household").order_by("number")
    # Village, then household code: Làng Mới's B2 and C1 before Thôn 1's A9.
    assert [(c.number, c.review.household.code) for c in certificates] == [(1, "B2"), (2, "C1"), (3, "A9")]
    assert [c.code for c in certificates] == ["1/GCN-HN.HCN", "2/GCN-HN.HCN", "3/GCN-HN.HCN"]
    assert {c.issued_on for c in certificates} == {D(2025, 11, 28)}


def _decided_ad_hoc(household, category):
    """An ad-hoc review requested on 15/01/2026, decided on 22/01/2026: it amends the lists of 2026."""
    ad_hoc = request_services.request_ad_hoc_review(
        household=household, requested_on=D(2026, 1, 15), by=writer()
    )
    survey_as(ad_hoc.reviews.get(), category)
    to_meeting(ad_hoc, on=D(2026, 1, 16))
    services.move_round(review_round=ad_hoc, to_state=State.PUBLIC_POSTING, by=writer(), on=D(2026, 1, 16))
    ad_hoc.refresh_from_db()
    approve(ad_hoc, on=D(2026, 1, 22), number="140/QĐ-UBND")
    ad_hoc.refresh_from_db()
    return ad_hoc


def test_certificate_numbers_are_stable_on_a_second_approval_and_go_on_in_the_year(posted_round):
    _approve(posted_round, decision_number="125/QĐ-UBND", decision_on=D(2025, 12, 1))
    numbers = dict(Certificate.objects.values_list("review_id", "number"))
    with pytest.raises(ValidationError):
        _approve(posted_round, decision_number="126/QĐ-UBND", decision_on=D(2025, 12, 1))
    posted_round.refresh_from_db()
    assert services.issue_certificates(posted_round) == []
    assert dict(Certificate.objects.values_list("review_id", "number")) == numbers
    assert posted_round.decision_number == "125/QĐ-UBND"
    # An ad-hoc review decided later in the year continues the commune's numbers.
    ad_hoc = _decided_ad_hoc(make_household(posted_round.commune, "D1"), POOR)
    assert ad_hoc.reviews.get().certificate.number == 4


def test_certificate_numbers_are_unique_in_a_commune_and_year(posted_round):
    _approve(posted_round, decision_number="125/QĐ-UBND", decision_on=D(2025, 12, 1))
    first = Certificate.objects.get(number=1)
    other = Certificate.objects.exclude(pk=first.pk).first()
    other.number = 1
    with pytest.raises(Exception, match="(?i)unique"):
        other.save()


def test_households_not_poor_nor_near_poor_get_no_certificate(geography):
    commune = geography["muong_hoong"]
    poor, average = make_household(commune, "P1"), make_household(commune, "P2")
    decided_lists(commune, 2025, {poor: POOR, average: AVG})
    assert list(Certificate.objects.values_list("review__household__code", flat=True)) == ["P1"]


def test_the_three_lists_compare_with_the_previous_decision(geography):
    commune = geography["muong_hoong"]
    households = {code: make_household(commune, code) for code in ("E1", "E2", "E3", "E4", "E5", "E6")}
    before = {"E1": POOR, "E2": POOR, "E3": NEAR, "E4": NEAR, "E5": POOR}
    after = {"E1": POOR, "E2": NEAR, "E3": AVG, "E4": POOR, "E5": NOT, "E6": NEAR}
    decided_lists(commune, 2025, {households[code]: category for code, category in before.items()})
    review_round = decided_lists(
        commune, 2026, {households[code]: category for code, category in after.items()}
    )
    lists = {
        entry.key: [r.household.code for r in entry.reviews] for entry in recognition_lists(review_round)
    }
    assert lists == {
        LIST_1: ["E1", "E2", "E4", "E6"],
        LIST_2: ["E2", "E5"],
        LIST_3: ["E3"],
    }


def test_an_ad_hoc_decision_compares_with_the_periodic_one_of_the_year(geography):
    commune = geography["muong_hoong"]
    household = make_household(commune, "F1")
    decided_lists(commune, 2025, {household: POOR})
    ad_hoc = _decided_ad_hoc(household, AVG)
    lists = {entry.key: len(entry.reviews) for entry in recognition_lists(ad_hoc)}
    assert lists == {LIST_1: 0, LIST_2: 1, LIST_3: 0}


def test_an_undecided_round_has_no_lists_yet(posted_round):
    assert all(not entry.reviews for entry in recognition_lists(posted_round))


# Pages ------------------------------------------------------------------------------------------------


def test_the_move_form_refuses_an_approval_without_decision_in_vietnamese(
    posted_round, client_of, muong_hoong_officer
):
    client = client_of(muong_hoong_officer)
    url = reverse("households:round_move", args=[posted_round.pk])
    response = client.post(url, {"to_state": "approved", "on": "01/12/2025"}, follow=True)
    assert response.status_code == 200
    assert "Nhập số quyết định của Chủ tịch UBND xã" in response.content.decode()
    posted_round.refresh_from_db()
    assert posted_round.state == State.PUBLIC_POSTING
    data = {
        "to_state": "approved",
        "on": "01/12/2025",
        "decision_number": "125/QĐ-UBND",
        "decision_on": "30/11/2025",
        "decision_signer": "Y Hoa",
    }
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    posted_round.refresh_from_db()
    assert (posted_round.state, posted_round.decided_on) == (State.APPROVED, D(2025, 11, 30))
    assert "125/QĐ-UBND" in page and reverse("households:round_recognition", args=[posted_round.pk]) in page


def test_the_move_form_asks_for_the_decision_only_when_the_approval_is_next(
    posted_round, client_of, muong_hoong_officer
):
    client = client_of(muong_hoong_officer)
    page = client.get(reverse("households:round", args=[posted_round.pk])).content.decode()
    assert 'name="decision_number"' in page
    review_round = open_survey(make_household(posted_round.commune, "G1").commune, 2026, [])
    page = client.get(reverse("households:round", args=[review_round.pk])).content.decode()
    assert 'name="decision_number"' not in page


@pytest.fixture
def recognised(geography):
    commune = geography["muong_hoong"]
    households = {code: make_household(commune, code, ethnicity="Xơ Đăng") for code in ("K1", "K2", "K3")}
    decided_lists(commune, 2025, {households["K1"]: POOR, households["K2"]: NEAR, households["K3"]: POOR})
    return decided_lists(
        commune, 2026, {households["K1"]: NEAR, households["K2"]: AVG, households["K3"]: POOR}
    )


def test_the_recognition_page_shows_the_three_lists_with_certificates(recognised, client_of, viewer):
    response = client_of(viewer).get(reverse("households:round_recognition", args=[recognised.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "1/QĐ-UBND" in page
    assert "Danh sách hộ thoát nghèo" in page and "Danh sách hộ thoát cận nghèo" in page
    certificate = Certificate.objects.get(review__round=recognised, review__household__code="K1")
    assert certificate.code in page
    lists = {entry.key: [r.household.code for r in entry.reviews] for entry in response.context["lists"]}
    assert lists == {LIST_1: ["K1", "K3"], LIST_2: ["K1"], LIST_3: ["K2"]}


def test_the_recognition_workbook_has_a_sheet_per_list(recognised, client_of, viewer):
    response = client_of(viewer).get(reverse("households:round_recognition_xlsx", args=[recognised.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["1. Hộ nghèo, hộ cận nghèo", "2. Hộ thoát nghèo", "3. Hộ thoát cận nghèo"]
    rows = list(workbook["2. Hộ thoát nghèo"].iter_rows(values_only=True))
    certificate = Certificate.objects.get(review__round=recognised, review__household__code="K1")
    assert rows[1][:8] == (
        1,
        "K1",
        "Hộ K1",
        "Làng Mới",
        "Xơ Đăng",
        "Hộ nghèo",
        "Hộ cận nghèo",
        certificate.code,
    )


@pytest.mark.parametrize("name", ["round_recognition", "round_recognition_xlsx"])
def test_another_communes_recognition_does_not_exist(recognised, client_of, other_commune_officer, name):
    assert (
        client_of(other_commune_officer).get(reverse(f"households:{name}", args=[recognised.pk])).status_code
        == 404
    )


# Session, user, profile and the issuing body (4), the round (1), its reviews with households,
# villages, certificates and the previous category (1), their causes of poverty (1).
RECOGNITION_QUERIES = 4 + 3


@pytest.mark.parametrize("households", [3, 40])
def test_the_recognition_page_runs_a_constant_number_of_queries(
    geography, client_of, department_officer, django_assert_num_queries, households
):
    commune = geography["muong_hoong"]
    listed = [make_household(commune, f"Q{n:03d}") for n in range(households)]
    decided_lists(commune, 2025, dict.fromkeys(listed, POOR))
    review_round = decided_lists(commune, 2026, {h: NEAR if n % 2 else AVG for n, h in enumerate(listed)})
    client = client_of(department_officer)
    with django_assert_num_queries(RECOGNITION_QUERIES):
        response = client.get(reverse("households:round_recognition", args=[review_round.pk]))
    assert sum(len(entry.reviews) for entry in response.context["lists"]) == households + households // 2
