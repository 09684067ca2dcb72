"""Papers 1, 3 and 6 of a review: the list to review (Appendix I), the posted results, the re-check record
of a complaint, the written refusal of a request: their rows, the village filter, scope, ID numbers and
constant query counts."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from households import request_services
from households.models import Complaint, Member, ReviewRequest
from households.tests.helpers import decided_lists, make_household, make_person, writer

pytestmark = pytest.mark.django_db
FULL_ID = "062190004321"


@pytest.fixture
def decided(geography):
    """Mường Hoong's round of late 2023: H1 poor → poor (head with an ID number), H2 near-poor →
    average in Làng Mới, H3 new → poor in Thôn 1; the lists of 2023 before it."""
    commune = geography["muong_hoong"]
    h1, h2 = make_household(commune, "H1", head_name="Bạch Thị Mân"), make_household(commune, "H2")
    h3 = make_household(commune, "H3", village_name="Thôn 1")
    head = make_person("Bạch Thị Mân", citizen_id=FULL_ID)
    Member.objects.create(household=h1, person=head, relation="head")
    decided_lists(commune, 2023, {h1: "poor", h2: "near_poor"})
    review_round = decided_lists(commune, 2024, {h1: "poor", h2: "average", h3: "poor"})
    return review_round, {"H1": h1, "H2": h2, "H3": h3}


def _url(name, *args, **query):
    url = reverse(f"households:{name}", args=args)
    return url + "".join(f"?{key}={value}" for key, value in query.items())


def _sheet(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


# Paper 1 ---------------------------------------------------------------------------------------------


def test_the_list_to_review_says_why_each_household_is_on_it(decided, client_of, muong_hoong_officer):
    review_round, _households = decided
    response = client_of(muong_hoong_officer).get(_url("round_to_review", review_round.pk))
    rows = {row.code: row for row in response.context["rows"]}
    assert set(rows) == {"H1", "H2", "H3"}
    assert rows["H1"].reason == "Trong danh sách hộ nghèo" and rows["H1"].category == "Hộ nghèo"
    assert rows["H2"].reason == "Trong danh sách hộ cận nghèo"
    assert rows["H3"].reason == "Rà soát toàn bộ hộ (xã lựa chọn)" and rows["H3"].category == ""
    text = response.content.decode()
    assert "Hộ gia đình thuộc diện rà soát hộ nghèo, hộ cận nghèo năm 2023" in text
    assert "Làng Mới (2 hộ)" in text and "Thôn 1 (1 hộ)" in text
    # Documents mask the ID number even for a role that reads it in full on the household's page.
    assert FULL_ID not in text and "0xx…321" in text


def test_the_list_to_review_of_one_village(decided, client_of, muong_hoong_officer):
    review_round, households = decided
    client = client_of(muong_hoong_officer)
    village = households["H3"].village
    response = client.get(_url("round_to_review", review_round.pk, village=village.pk))
    assert [row.code for row in response.context["rows"]] == ["H3"]
    sheet = _sheet(client.get(_url("round_to_review_xlsx", review_round.pk, village=village.pk)))
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["H3"]


def test_a_village_of_another_commune_is_not_found(decided, geography, client_of, department_officer):
    review_round, _households = decided
    elsewhere = geography["ngoc_linh_old"].villages.order_by("pk").first()
    client = client_of(department_officer)
    for name in ("round_to_review", "round_to_review_xlsx", "round_posted_results"):
        assert client.get(_url(name, review_round.pk, village=elsewhere.pk)).status_code == 404
    assert client.get(_url("round_to_review", review_round.pk, village="x")).status_code == 404


def test_the_list_to_review_shows_a_viewer_no_id_numbers(decided, client_of, viewer):
    review_round, _households = decided
    client = client_of(viewer)
    text = client.get(_url("round_to_review", review_round.pk)).content.decode()
    assert "Số định danh cá nhân" not in text and "0xx…321" not in text
    sheet = _sheet(client.get(_url("round_to_review_xlsx", review_round.pk)))
    assert all(not row[6] for row in sheet.iter_rows(min_row=2, values_only=True))


def test_the_workbook_has_the_print_rows(decided, client_of, muong_hoong_officer):
    review_round, _households = decided
    sheet = _sheet(client_of(muong_hoong_officer).get(_url("round_to_review_xlsx", review_round.pk)))
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0] == (
        1,
        "Làng Mới",
        "H1",
        "Bạch Thị Mân",
        None,
        "Trong danh sách hộ nghèo",
        "0xx…321",
        "Hộ nghèo",
    )


def test_the_list_of_an_ad_hoc_round_names_its_request(decided, client_of, department_officer):
    _round, households = decided
    ad_hoc = request_services.request_ad_hoc_review(
        household=households["H1"], requested_on=datetime.date(2024, 3, 15), by=writer()
    )
    response = client_of(department_officer).get(_url("round_to_review", ad_hoc.pk))
    assert [(row.code, row.reason) for row in response.context["rows"]] == [
        ("H1", "Trong danh sách hộ nghèo; Đơn đề nghị (mẫu số 04) ngày 15/03/2024")
    ]


# Paper 3 ---------------------------------------------------------------------------------------------


def test_the_posted_results_show_the_posting_dates_and_each_result(decided, client_of, department_officer):
    review_round, _households = decided
    client = client_of(department_officer)
    response = client.get(_url("round_posted_results", review_round.pk))
    results = {
        review.household.code: (review.before, review.category) for review in response.context["reviews"]
    }
    assert results == {"H1": ("poor", "poor"), "H2": ("near_poor", "average"), "H3": (None, "poor")}
    text = response.content.decode()
    assert "từ ngày 10/11/2023 đến ngày" in text and "Mường Hoong, ngày 10 tháng 11 năm 2023" in text
    sheet = _sheet(client.get(_url("round_posted_results_xlsx", review_round.pk)))
    rows = {row[2]: (row[4], row[8]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["H2"] == ("Hộ cận nghèo", "Hộ có mức sống trung bình")


def test_results_not_yet_posted_have_no_posted_list(geography, client_of, department_officer):
    from households.tests.helpers import open_survey

    review_round = open_survey(
        geography["muong_hoong"], 2023, [make_household(geography["muong_hoong"], "S1")]
    )
    client = client_of(department_officer)
    assert client.get(_url("round_posted_results", review_round.pk)).status_code == 404
    page = client.get(review_round.get_absolute_url()).content.decode()
    assert _url("round_posted_results", review_round.pk) not in page
    assert _url("round_to_review", review_round.pk) in page


def test_the_complaint_record_states_the_complaint_and_its_outcome(decided, client_of, department_officer):
    review_round, households = decided
    complaint = Complaint.objects.create(
        round=review_round,
        household=households["H2"],
        received_on=datetime.date(2023, 11, 12),
        content="Hộ đề nghị xem xét lại thu nhập.",
        outcome="Giữ nguyên kết quả.",
        resolved_on=datetime.date(2023, 11, 14),
    )
    client = client_of(department_officer)
    text = client.get(_url("complaint_record", review_round.pk, complaint.pk)).content.decode()
    assert "Phúc tra kết quả rà soát hộ nghèo, hộ cận nghèo năm 2023" in text
    assert "Hộ đề nghị xem xét lại thu nhập." in text and "Giữ nguyên kết quả." in text
    assert "Mường Hoong, ngày 14 tháng 11 năm 2023" in text
    assert (
        _url("complaint_record", review_round.pk, complaint.pk)
        in client.get(review_round.get_absolute_url()).content.decode()
    )
    other = decided_lists(review_round.commune, 2022, {households["H1"]: "poor"})
    assert client.get(_url("complaint_record", other.pk, complaint.pk)).status_code == 404


# Paper 6 ---------------------------------------------------------------------------------------------


def test_the_written_refusal_gives_the_reason(decided, client_of, muong_hoong_officer, other_commune_officer):
    _round, households = decided
    received = request_services.record_request(
        commune=households["H2"].commune,
        household=households["H2"],
        form=ReviewRequest.Form.REVIEW,
        received_on=datetime.date(2024, 9, 2),
        by=writer(),
    )
    client = client_of(muong_hoong_officer)
    assert client.get(_url("request_refusal", received.pk)).status_code == 404  # pending: no refusal yet
    request_services.refuse_request(
        request=received, reason="Hộ có nhà kiên cố và ô tô.", on=datetime.date(2024, 9, 5), by=writer()
    )
    text = client.get(_url("request_refusal", received.pk)).content.decode()
    assert "Về việc không chấp nhận đơn đề nghị rà soát hộ nghèo, hộ cận nghèo (mẫu số 01)" in text
    assert "Hộ có nhà kiên cố và ô tô." in text and "Mường Hoong, ngày 05 tháng 9 năm 2024" in text
    assert _url("request_refusal", received.pk) in client.get(received.get_absolute_url()).content.decode()
    assert client_of(other_commune_officer).get(_url("request_refusal", received.pk)).status_code == 404


# Query counts --------------------------------------------------------------------------------------------

# Session, user, profile (3), the round with its commune, whether it has reviews, the households with
# their villages and list category, their heads with their people, their accepted requests (5).
TO_REVIEW_QUERIES = 3 + 5
# Session, user, profile (3), the round with its commune, the posting step's date, the results with
# their households, villages, list category and deprivations counted (3).
POSTED_QUERIES = 3 + 3


@pytest.mark.parametrize("households", [3, 60])
def test_the_lists_run_a_constant_number_of_queries(
    geography, client_of, department_officer, django_assert_num_queries, households
):
    commune = geography["muong_hoong"]
    listed = {}
    for n in range(households):
        household = make_household(commune, f"R{n:03d}", village_name=f"Thôn {1 + n % 3}")
        Member.objects.create(household=household, person=make_person(f"Người {n}"), relation="head")
        listed[household] = "poor" if n % 3 else "near_poor"
    decided_lists(commune, 2023, listed)
    review_round = decided_lists(commune, 2024, listed)
    client = client_of(department_officer)
    with django_assert_num_queries(TO_REVIEW_QUERIES):
        response = client.get(_url("round_to_review", review_round.pk))
    assert len(response.context["rows"]) == households
    with django_assert_num_queries(POSTED_QUERIES):
        response = client.get(_url("round_posted_results", review_round.pk))
    assert len(response.context["reviews"]) == households
