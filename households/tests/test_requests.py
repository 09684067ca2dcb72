"""Requests (form 01, form 04), their Phiếu A screening and outcome, and the list of households to
review (Circular 07, Appendix I) that the current lists and the accepted requests make."""

import datetime
import html
import io
import re

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from households import request_services, services
from households.models import HouseholdReview, ReviewRequest, ReviewRound
from households.tests.helpers import decided_lists, make_household, writer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
State = ReviewRound.State
FORM_01, FORM_04 = ReviewRequest.Form.REVIEW, ReviewRequest.Form.ESCAPE
RECEIVED = datetime.date(2024, 3, 4)


def _request(household, form=FORM_01, *, received_on=RECEIVED, **fields):
    return request_services.record_request(
        commune=household.commune,
        household=household,
        form=form,
        received_on=received_on,
        by=writer(),
        **fields,
    )


def _screened(household, *, follows=True, notes="", on=RECEIVED):
    request = _request(household)
    return request_services.record_screening(
        request=request, on=on, survey_follows=follows, notes=notes, by=writer()
    )


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _sheet(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


@pytest.fixture
def household(geography):
    return make_household(geography["muong_hoong"], "Y1")


# Outcomes ------------------------------------------------------------------------------------------


def test_a_form_01_request_screened_for_a_survey_and_accepted_opens_an_ad_hoc_review(household):
    request = _screened(household, follows=True, notes="Thu nhập giảm")
    assert request.is_pending and request.survey_follows is True
    accepted = request_services.accept_request(request=request, on=datetime.date(2024, 3, 6), by=writer())
    review_round = accepted.review_round
    assert accepted.outcome == "accepted" and accepted.decided_on == datetime.date(2024, 3, 6)
    assert review_round.kind == "ad_hoc" and review_round.state == State.SURVEY
    assert review_round.requested_on == RECEIVED and review_round.deadline == datetime.date(2024, 3, 30)
    assert list(review_round.reviews.values_list("household", flat=True)) == [household.pk]
    assert "Form 01" in review_round.steps.get(state=State.PREPARATION).note


def test_a_form_04_request_is_accepted_without_screening(household):
    accepted = request_services.accept_request(request=_request(household, FORM_04), on=RECEIVED, by=writer())
    assert accepted.outcome == "accepted" and accepted.review_round.kind == "ad_hoc"


def test_a_screening_that_finds_no_survey_refuses_the_request_with_its_reason(household):
    request = _screened(household, follows=False, notes="Hộ có thu nhập ổn định, nhà kiên cố")
    assert request.outcome == "refused" and request.refusal_reason == "Hộ có thu nhập ổn định, nhà kiên cố"
    assert request.decided_on == RECEIVED and not ReviewRound.objects.exists()


def test_a_refusal_is_recorded_with_its_reason(household):
    request = _request(household, FORM_04)
    refused = request_services.refuse_request(
        request=request, reason="  Đã thoát nghèo năm trước  ", on=RECEIVED, by=writer()
    )
    assert refused.outcome == "refused" and refused.refusal_reason == "Đã thoát nghèo năm trước"


def test_a_person_not_in_the_register_applies_and_is_accepted_once_their_household_is_recorded(geography):
    commune = geography["muong_hoong"]
    request = request_services.record_request(
        commune=commune,
        form=FORM_04,
        received_on=RECEIVED,
        applicant_name="Y Hoa",
        applicant_address="Làng Mới",
        received_by_other="Trưởng thôn A Nhân",
        by=writer(),
    )
    assert request.household is None and request.applicant == "Y Hoa"
    assert request.received_by == writer() and request.received_by_other == "Trưởng thôn A Nhân"
    with pytest.raises(ValidationError, match="Record the applicant's household in the register"):
        request_services.accept_request(request=request, on=RECEIVED, by=writer())
    household = make_household(commune, "Y9", head_name="Y Hoa")
    accepted = request_services.accept_request(request=request, household=household, on=RECEIVED, by=writer())
    assert accepted.household == household and accepted.review_round.reviews.get().household == household


# Refused moves -------------------------------------------------------------------------------------


def _refusing(action, household, other_household):
    """Each refused move, as (what is done, the message): the state before it is built here."""
    if action == "refuse without a reason":
        request = _request(household, FORM_04)
        return lambda: request_services.refuse_request(request=request, reason=" ", on=RECEIVED, by=writer())
    if action == "accept form 01 without screening":
        request = _request(household)
        return lambda: request_services.accept_request(request=request, on=RECEIVED, by=writer())
    if action == "accept form 01 refused by its screening":
        request = _screened(household, follows=False, notes="Không thuộc diện")
        return lambda: request_services.accept_request(request=request, on=RECEIVED, by=writer())
    if action == "accept twice":
        request = _request(household, FORM_04)
        request_services.accept_request(request=request, on=RECEIVED, by=writer())
        return lambda: request_services.accept_request(request=request, on=RECEIVED, by=writer())
    if action == "refuse an accepted request":
        request = _request(household, FORM_04)
        request_services.accept_request(request=request, on=RECEIVED, by=writer())
        return lambda: request_services.refuse_request(request=request, reason="x", on=RECEIVED, by=writer())
    if action == "screen a form 04 request":
        request = _request(household, FORM_04)
        return lambda: request_services.record_screening(
            request=request, on=RECEIVED, survey_follows=True, by=writer()
        )
    if action == "screen out without a reason":
        request = _request(household)
        return lambda: request_services.record_screening(
            request=request, on=RECEIVED, survey_follows=False, by=writer()
        )
    if action == "accept before the request was received":
        request = _request(household, FORM_04)
        return lambda: request_services.accept_request(
            request=request, on=RECEIVED - datetime.timedelta(days=1), by=writer()
        )
    if action == "accept before the screening":
        request = _screened(household, on=datetime.date(2024, 3, 8))
        return lambda: request_services.accept_request(
            request=request, on=datetime.date(2024, 3, 7), by=writer()
        )
    if action == "record a request received in the future":
        return lambda: _request(household, received_on=datetime.date(2999, 1, 1))
    if action == "record the same request twice":
        _request(household)
        return lambda: _request(household, received_on=datetime.date(2024, 3, 5))
    if action == "record a household of another commune":
        return lambda: request_services.record_request(
            commune=household.commune,
            household=other_household,
            form=FORM_01,
            received_on=RECEIVED,
            by=writer(),
        )
    if action == "record a person without name or address":
        return lambda: request_services.record_request(
            commune=household.commune, form=FORM_01, received_on=RECEIVED, applicant_name="Y Hoa", by=writer()
        )
    if action == "accept with a household of another commune":
        request = request_services.record_request(
            commune=household.commune,
            form=FORM_04,
            received_on=RECEIVED,
            applicant_name="Y Hoa",
            applicant_address="Làng Mới",
            by=writer(),
        )
        return lambda: request_services.accept_request(
            request=request, household=other_household, on=RECEIVED, by=writer()
        )
    if action == "accept while an ad-hoc review is in progress":
        request_services.accept_request(request=_request(household, FORM_04), on=RECEIVED, by=writer())
        request = _screened(household)
        return lambda: request_services.accept_request(request=request, on=RECEIVED, by=writer())
    raise AssertionError(action)


REFUSED_MOVES = [
    ("refuse without a reason", "A refusal is written with its reason."),
    (
        "accept form 01 without screening",
        "accepted after a Phiếu A screening that says the full survey follows",
    ),
    ("accept form 01 refused by its screening", "This request was already decided: refused on 04/03/2024."),
    ("accept twice", "This request was already decided: accepted on 04/03/2024."),
    ("refuse an accepted request", "This request was already decided: accepted"),
    ("screen a form 04 request", "Phiếu A screens the requests to be reviewed (form 01) only."),
    ("screen out without a reason", "it is the written reason of the refusal"),
    ("accept before the request was received", "cannot come before the request was received (04/03/2024)"),
    ("accept before the screening", "cannot be accepted before its screening"),
    ("record a request received in the future", "cannot be in the future"),
    ("record the same request twice", "already has a pending request on this form (received 04/03/2024)"),
    ("record a household of another commune", "not of the commune that received the request"),
    ("record a person without name or address", "give the applicant's full name and address"),
    ("accept with a household of another commune", "not of the commune that received the request"),
    ("accept while an ad-hoc review is in progress", "already has an ad-hoc review in progress"),
]


@pytest.mark.parametrize(("action", "message"), REFUSED_MOVES, ids=[a for a, _m in REFUSED_MOVES])
def test_a_refused_move_says_why_and_changes_nothing(geography, household, action, message):
    other_household = make_household(geography["ngoc_linh_old"], "O1", village_name="Thôn 1")
    attempt = _refusing(action, household, other_household)
    before = list(ReviewRequest.objects.order_by("pk").values_list())
    rounds = ReviewRound.objects.count()
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        attempt()
    assert list(ReviewRequest.objects.order_by("pk").values_list()) == before
    assert ReviewRound.objects.count() == rounds


def test_a_read_only_role_records_and_decides_nothing(household, viewer):
    request = _request(household, FORM_04)
    for attempt in (
        lambda: request_services.record_request(
            commune=household.commune, household=household, form=FORM_01, received_on=RECEIVED, by=viewer
        ),
        lambda: request_services.record_screening(
            request=request, on=RECEIVED, survey_follows=True, by=viewer
        ),
        lambda: request_services.accept_request(request=request, on=RECEIVED, by=viewer),
        lambda: request_services.refuse_request(request=request, reason="x", on=RECEIVED, by=viewer),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert ReviewRequest.objects.get().is_pending


def test_the_database_refuses_a_refusal_without_reason_and_an_unscreened_form_01_accepted(household):
    from django.db import IntegrityError, transaction

    request = _request(household)
    for change in (
        {"outcome": "refused", "decided_on": RECEIVED},
        {"outcome": "accepted", "decided_on": RECEIVED},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ReviewRequest.objects.filter(pk=request.pk).update(**change)


# The list to review --------------------------------------------------------------------------------


@pytest.fixture
def commune_with_lists(geography):
    """Households poor, near-poor, average and not poor on the lists decided in late 2023, and a 2024
    periodic round in preparation."""
    commune = geography["muong_hoong"]
    households = {category: make_household(commune, code) for code, category in (
        ("P1", "poor"), ("N1", "near_poor"), ("A1", "average"), ("X1", "not_poor")
    )}  # fmt: skip
    decided_lists(commune, 2024, {h: category for category, h in households.items()})
    households["new"] = make_household(commune, "Z1")  # never reviewed
    review_round = services.open_round(commune=commune, year=2024, by=writer(), on=datetime.date(2024, 9, 2))
    return review_round, households


def _received(household, form=FORM_04):
    return _request(household, form, received_on=datetime.date(2024, 9, 5))


def test_the_list_holds_the_poor_and_near_poor_lists_and_the_accepted_requests_once(commune_with_lists):
    review_round, households = commune_with_lists
    accepted = request_services.accept_request(
        request=_received(households["average"]), on=datetime.date(2024, 9, 6), by=writer()
    )
    assert accepted.review_round == review_round  # fed the periodic round: no ad-hoc review opened
    assert not ReviewRound.objects.filter(kind="ad_hoc").exists()
    request_services.accept_request(
        request=_received(households["poor"]), on=datetime.date(2024, 9, 6), by=writer()
    )
    _received(households["not_poor"])  # pending
    refused = _received(households["new"])
    request_services.refuse_request(
        request=refused, reason="Không đủ điều kiện", on=datetime.date(2024, 9, 6), by=writer()
    )

    added = services.list_households(review_round=review_round, by=writer())

    listed = set(review_round.reviews.values_list("household__code", flat=True))
    assert added == 3 and listed == {"P1", "N1", "A1"}
    review_round.refresh_from_db()
    assert review_round.lists_every_household is False
    with pytest.raises(ValidationError, match="already listed") as refused_again:
        services.list_households(review_round=review_round, by=writer())
    assert refused_again.value.code == "already_listed"


def test_every_household_is_the_communes_choice_recorded_on_the_round(commune_with_lists):
    review_round, households = commune_with_lists
    services.list_households(review_round=review_round, by=writer())
    added = services.list_households(review_round=review_round, every_household=True, by=writer())
    assert added == 3  # average, not poor, never reviewed
    assert review_round.reviews.count() == len(households)
    review_round.refresh_from_db()
    assert review_round.lists_every_household is True
    with pytest.raises(ValidationError, match="already listed"):
        services.list_households(review_round=review_round, by=writer())
    review_round.refresh_from_db()
    assert review_round.lists_every_household is True  # a later press of the default keeps the choice


def test_a_request_accepted_after_the_listing_adds_its_household_to_the_round(commune_with_lists):
    review_round, households = commune_with_lists
    services.list_households(review_round=review_round, by=writer())
    request_services.accept_request(
        request=_received(households["new"]), on=datetime.date(2024, 9, 6), by=writer()
    )
    assert review_round.reviews.filter(household=households["new"]).exists()
    request_services.accept_request(
        request=_received(households["poor"]), on=datetime.date(2024, 9, 6), by=writer()
    )
    assert review_round.reviews.filter(household=households["poor"]).count() == 1


def test_a_request_accepted_once_the_round_left_the_survey_opens_an_ad_hoc_review(commune_with_lists):
    review_round, households = commune_with_lists
    ReviewRound.objects.filter(pk=review_round.pk).update(state=State.VILLAGE_MEETING)
    accepted = request_services.accept_request(
        request=_received(households["new"]), on=datetime.date(2024, 9, 6), by=writer()
    )
    assert accepted.review_round.kind == "ad_hoc"


def test_with_no_list_and_no_request_the_default_lists_nothing_and_says_so(geography):
    commune = geography["muong_hoong"]
    make_household(commune, "E1")
    review_round = services.open_round(commune=commune, year=2024, by=writer(), on=datetime.date(2024, 9, 2))
    with pytest.raises(ValidationError, match="list every household") as refused:
        services.list_households(review_round=review_round, by=writer())
    assert refused.value.code == "nothing_to_list"
    review_round.refresh_from_db()
    assert review_round.lists_every_household is None


def test_the_ad_hoc_review_decided_after_the_periodic_one_is_the_list_the_next_round_starts_from(geography):
    commune = geography["muong_hoong"]
    household = make_household(commune, "C1")
    decided_lists(commune, 2023, {household: "not_poor"})
    later = decided_lists(commune, 2024, {household: "poor"})
    review_round = services.open_round(commune=commune, year=2024, by=writer(), on=datetime.date(2024, 9, 2))
    assert services.list_households(review_round=review_round, by=writer()) == 1
    assert HouseholdReview.objects.filter(round=later, household=household, category="poor").exists()


# Pages ---------------------------------------------------------------------------------------------


def test_the_household_page_records_a_request_and_shows_it(household, client_of, muong_hoong_officer):
    client = client_of(muong_hoong_officer)
    response = client.post(
        reverse("households:household_request", args=[household.pk]),
        {"form": FORM_01, "received_on": "04/03/2024", "received_by_other": "Trưởng thôn"},
        follow=True,
    )
    request = ReviewRequest.objects.get()
    assert response.redirect_chain[-1][0] == request.get_absolute_url()
    assert request.received_by == muong_hoong_officer and request.is_pending
    page = client.get(household.get_absolute_url()).content.decode()
    assert request.get_absolute_url() in page


def test_the_request_page_screens_accepts_and_refuses(household, client_of, muong_hoong_officer):
    client = client_of(muong_hoong_officer)
    request = _request(household)
    page = client.get(request.get_absolute_url())
    assert page.context["screening_form"] is not None and page.context["accept_form"] is not None
    ids = re.findall(r'\bid="([^"]+)"', _text(page))
    assert len(ids) == len(set(ids)), "each form's date has an id of its own, named by its label"
    response = client.post(
        reverse("households:request_accept", args=[request.pk]), {"on": "05/03/2024"}, follow=True
    )
    assert "chỉ được chấp nhận sau khi rà soát nhanh theo Phiếu A" in _text(response)
    assert ReviewRequest.objects.get().is_pending
    client.post(
        reverse("households:request_screen", args=[request.pk]), {"on": "05/03/2024", "survey_follows": "yes"}
    )
    response = client.post(
        reverse("households:request_accept", args=[request.pk]), {"on": "06/03/2024"}, follow=True
    )
    request.refresh_from_db()
    assert request.outcome == "accepted"
    assert response.redirect_chain[-1][0] == request.review_round.get_absolute_url()
    response = client.post(
        reverse("households:request_refuse", args=[request.pk]), {"on": "06/03/2024"}, follow=True
    )
    assert "Đơn này đã được giải quyết: đã chấp nhận ngày 06/03/2024." in _text(response)
    assert client.get(request.get_absolute_url()).context["accept_form"] is None


def test_an_officer_of_another_commune_cannot_reach_a_request(household, client_of, other_commune_officer):
    request = _request(household)
    client = client_of(other_commune_officer)
    assert client.get(request.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("households:request_accept", args=[request.pk]), {"on": "05/03/2024"}).status_code
        == 404
    )
    response = client.post(
        reverse("households:household_request", args=[household.pk]),
        {"form": FORM_01, "received_on": "04/03/2024"},
    )
    assert response.status_code == 404


def test_a_viewer_reads_the_requests_but_decides_none(household, client_of, viewer):
    request = _request(household)
    client = client_of(viewer)
    assert client.get(request.get_absolute_url()).context["accept_form"] is None
    for name in ("request_accept", "request_refuse", "request_screen"):
        assert (
            client.post(reverse(f"households:{name}", args=[request.pk]), {"on": "05/03/2024"}).status_code
            == 403
        )
    assert (
        client.post(reverse("households:commune_requests", args=[household.commune_id]), {}).status_code
        == 403
    )
    assert ReviewRequest.objects.get().is_pending


def test_the_communes_requests_are_filtered_by_outcome_and_a_person_is_recorded_there(
    household, client_of, muong_hoong_officer
):
    client = client_of(muong_hoong_officer)
    request_services.refuse_request(
        request=_request(household, FORM_04), reason="x", on=RECEIVED, by=writer()
    )
    pending = _request(household)
    url = reverse("households:commune_requests", args=[household.commune_id])
    assert list(client.get(url, {"outcome": "pending"}).context["page"].object_list) == [pending]
    assert len(client.get(url).context["page"].object_list) == 2
    response = client.post(
        url,
        {
            "applicant_name": "Y Hoa",
            "applicant_address": "Làng Mới",
            "form": FORM_01,
            "received_on": "04/03/2024",
        },
        follow=True,
    )
    recorded = ReviewRequest.objects.get(applicant_name="Y Hoa")
    assert response.redirect_chain[-1][0] == recorded.get_absolute_url()
    response = client.post(url, {"form": FORM_01, "received_on": "04/03/2024"})
    assert response.status_code == 200 and response.context["form"].errors


def test_the_round_page_says_which_way_the_households_were_listed(
    commune_with_lists, client_of, department_officer
):
    review_round, households = commune_with_lists
    client = client_of(department_officer)
    url = review_round.get_absolute_url()
    counts = client.get(url).context["to_review"]
    assert (counts["poor"], counts["near_poor"], counts["to_review"], counts["every"]) == (1, 1, 2, 5)
    assert "Chưa lập danh sách hộ rà soát." in _text(client.get(url))
    # Households listed one by one (an import, the admin, the demo): said with their number.
    services.list_households(review_round=review_round, households=[households["new"]], by=writer())
    assert "Đã lập danh sách: 1 hộ được chọn từng hộ (nhập dữ liệu, trang quản trị)." in _text(
        client.get(url)
    )
    client.post(reverse("households:round_list_households", args=[review_round.pk]), {"every": "1"})
    assert "Đã lập danh sách: toàn bộ hộ của xã (theo lựa chọn của xã)." in _text(client.get(url))


def test_the_appendix_i_list_says_why_each_household_is_on_it(
    commune_with_lists, client_of, department_officer
):
    review_round, households = commune_with_lists
    request_services.accept_request(
        request=_received(households["poor"]), on=datetime.date(2024, 9, 6), by=writer()
    )
    request_services.accept_request(
        request=_received(households["new"]), on=datetime.date(2024, 9, 6), by=writer()
    )
    response = client_of(department_officer).get(
        reverse("households:round_to_review_xlsx", args=[review_round.pk])
    )
    sheet = _sheet(response)
    rows = {row[2]: row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows == {
        "P1": "Trong danh sách hộ nghèo; Đơn đề nghị (mẫu số 04) ngày 05/09/2024",
        "N1": "Trong danh sách hộ cận nghèo",
        "Z1": "Đơn đề nghị (mẫu số 04) ngày 05/09/2024",
    }
    services.list_households(review_round=review_round, every_household=True, by=writer())
    response = client_of(department_officer).get(
        reverse("households:round_to_review_xlsx", args=[review_round.pk])
    )
    sheet = _sheet(response)
    rows = {row[2]: row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["X1"] == "Rà soát toàn bộ hộ (xã lựa chọn)" and len(rows) == 5


# Query counts --------------------------------------------------------------------------------------

# Session, user, profile and the issuing body in the header (4), the commune, the requests counted for
# the pager, the page of requests with their households, villages, rounds and recorders (3).
REQUESTS_QUERIES = 4 + 3
# Session, user, profile and the issuing body (4), the request with its commune, household, village,
# round and the users who recorded and decided it (1).
REQUEST_QUERIES = 4 + 1


@pytest.mark.parametrize("requests", [1, 30])
def test_the_request_pages_run_a_constant_number_of_queries(
    geography, client_of, department_officer, django_assert_num_queries, requests
):
    commune = geography["muong_hoong"]
    for n in range(requests):
        _request(make_household(commune, f"Q{n:02d}"), received_on=RECEIVED)
    client = client_of(department_officer)
    with django_assert_num_queries(REQUESTS_QUERIES):
        response = client.get(
            reverse("households:commune_requests", args=[commune.pk]), {"outcome": "pending"}
        )
    assert len(response.context["page"].object_list) == requests
    request = ReviewRequest.objects.first()
    with django_assert_num_queries(REQUEST_QUERIES):
        client.get(request.get_absolute_url())
