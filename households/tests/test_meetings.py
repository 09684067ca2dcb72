"""Village meetings: one per village of a round, the vote on each result, results sent back to the survey
and agreed again, the move to the public posting, and the pages (form, meeting, minutes)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from households import meeting_services, request_services, services
from households.models import Attendee, HouseholdReview, MeetingResult, ReviewRound, VillageMeeting
from households.tests.helpers import make_household, open_survey, survey_as, to_meeting, village

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
State = ReviewRound.State
MEETING_DAY = datetime.date(2022, 11, 2)


@pytest.fixture
def meeting_round(geography, muong_hoong_officer):
    """Mường Hoong's 2022 round at the village meeting step: two households in Làng Mới, one in Thôn 1."""
    commune = geography["muong_hoong"]
    households = [
        make_household(commune, "LM1"),
        make_household(commune, "LM2"),
        make_household(commune, "T11", village_name="Thôn 1"),
    ]
    review_round = open_survey(commune, 2022, households, by=muong_hoong_officer)
    for review in review_round.reviews.select_related("household", "round"):
        survey_as(review, "poor", by=muong_hoong_officer)
    return to_meeting(review_round, by=muong_hoong_officer, meetings=False)


def meeting_of(review_round, village_name, *, present=10, held_on=MEETING_DAY, **fields):
    return VillageMeeting(
        round=review_round,
        village=village(review_round.commune, village_name),
        held_on=held_on,
        chair_name="A Blong",
        secretary_name="Y Hoa",
        attendees=[Attendee.VILLAGE_HEAD, Attendee.HOUSEHOLD_REPRESENTATIVES],
        fatherland_front_invited=True,
        present=present,
        **fields,
    )


def hold(review_round, village_name, agreeing_by_code, *, by, **fields):
    """A meeting of the village voting on its awaiting results: `agreeing_by_code` household code → number."""
    awaiting = meeting_services.reviews_awaiting_meeting(
        review_round, village(review_round.commune, village_name)
    )
    agreeing = {review.pk: agreeing_by_code[review.household.code] for review in awaiting}
    return meeting_services.record_meeting(
        meeting=meeting_of(review_round, village_name, **fields), agreeing=agreeing, by=by
    )


def review_of(review_round, code) -> HouseholdReview:
    return review_round.reviews.select_related("round", "household").get(household__code=code)


def to_posting(review_round, by):
    return services.move_round(
        review_round=review_round, to_state=State.PUBLIC_POSTING, by=by, on=datetime.date(2022, 11, 10)
    )


# The rule, through the services --------------------------------------------------------------------


def test_the_posting_waits_for_a_meeting_in_every_village(meeting_round, muong_hoong_officer):
    with pytest.raises(ValidationError, match="not held their village meeting yet: Làng Mới, Thôn 1."):
        to_posting(meeting_round, muong_hoong_officer)
    hold(meeting_round, "Làng Mới", {"LM1": 8, "LM2": 5}, by=muong_hoong_officer)
    with pytest.raises(ValidationError, match=r"meeting yet: Thôn 1\.'\]$"):
        to_posting(meeting_round, muong_hoong_officer)
    hold(meeting_round, "Thôn 1", {"T11": 10}, by=muong_hoong_officer)
    to_posting(meeting_round, muong_hoong_officer)
    meeting_round.refresh_from_db()
    assert meeting_round.state == State.PUBLIC_POSTING


def test_a_result_agreed_by_fewer_than_half_goes_back_to_the_survey_until_a_later_meeting_agrees_it(
    meeting_round, muong_hoong_officer
):
    first = hold(meeting_round, "Làng Mới", {"LM1": 5, "LM2": 4}, by=muong_hoong_officer)  # of 10 present
    hold(meeting_round, "Thôn 1", {"T11": 1}, by=muong_hoong_officer, present=1)
    assert dict(first.results.values_list("review__household__code", "agreed")) == {"LM1": True, "LM2": False}
    sent_back, agreed = review_of(meeting_round, "LM2"), review_of(meeting_round, "LM1")
    assert sent_back.sent_back_by == first and agreed.sent_back_by is None
    with pytest.raises(ValidationError, match="1 results were sent back"):
        to_posting(meeting_round, muong_hoong_officer)

    # Its answers can be entered again at the meeting step; the others' cannot.
    assert sent_back.accepts_answers and not agreed.accepts_answers
    survey_as(sent_back, "near_poor", by=muong_hoong_officer)
    with pytest.raises(ValidationError, match="meeting sent back"):
        survey_as(agreed, "near_poor", by=muong_hoong_officer)

    # The re-meeting votes on the result sent back only, with its new category.
    awaiting = meeting_services.reviews_awaiting_meeting(
        meeting_round, village(meeting_round.commune, "Làng Mới")
    )
    assert [review.household.code for review in awaiting] == ["LM2"]
    again = hold(
        meeting_round, "Làng Mới", {"LM2": 7}, by=muong_hoong_officer, held_on=datetime.date(2022, 11, 5)
    )
    assert list(again.results.values_list("review__household__code", "category", "agreed")) == [
        ("LM2", "near_poor", True)
    ]
    assert review_of(meeting_round, "LM2").sent_back_by is None
    to_posting(meeting_round, muong_hoong_officer)


def test_a_result_sent_back_again_is_marked_by_the_later_meeting(meeting_round, muong_hoong_officer):
    hold(meeting_round, "Thôn 1", {"T11": 2}, by=muong_hoong_officer)
    again = hold(
        meeting_round, "Thôn 1", {"T11": 3}, by=muong_hoong_officer, held_on=datetime.date(2022, 11, 3)
    )
    assert review_of(meeting_round, "T11").sent_back_by == again


def test_a_village_meets_once_unless_results_were_sent_back(meeting_round, muong_hoong_officer):
    hold(meeting_round, "Thôn 1", {"T11": 9}, by=muong_hoong_officer)
    with pytest.raises(ValidationError, match="already agreed every result") as refused:
        meeting_services.record_meeting(
            meeting=meeting_of(meeting_round, "Thôn 1"), agreeing={}, by=muong_hoong_officer
        )
    assert refused.value.code == "already_met"
    assert meeting_round.meetings.count() == 1


def test_a_meeting_votes_on_every_result_awaiting_it(meeting_round, muong_hoong_officer):
    only_one = {review_of(meeting_round, "LM1").pk: 9}
    with pytest.raises(ValidationError, match="changed meanwhile"):
        meeting_services.record_meeting(
            meeting=meeting_of(meeting_round, "Làng Mới"), agreeing=only_one, by=muong_hoong_officer
        )
    assert not VillageMeeting.objects.exists()


@pytest.mark.parametrize(
    ("fields", "agreeing", "refused_with"),
    [
        ({"held_on": datetime.date(2022, 9, 9)}, 5, "before the survey started"),
        ({"held_on": datetime.date(2099, 1, 1)}, 5, "in the future"),
        ({"present": 0}, 0, "At least one person"),
        ({}, 11, "between 0 and the 10 present"),
        ({"commune_copy_received_on": datetime.date(2022, 11, 1)}, 5, "received after the meeting"),
    ],
)
def test_a_meeting_with_wrong_dates_or_numbers_is_refused_and_changes_nothing(
    meeting_round, muong_hoong_officer, fields, agreeing, refused_with
):
    with pytest.raises(ValidationError, match=refused_with):
        hold(meeting_round, "Thôn 1", {"T11": agreeing}, by=muong_hoong_officer, **fields)
    assert not VillageMeeting.objects.exists() and not MeetingResult.objects.exists()


def test_a_re_meeting_cannot_come_before_the_meeting_that_sent_the_results_back(
    meeting_round, muong_hoong_officer
):
    hold(meeting_round, "Thôn 1", {"T11": 2}, by=muong_hoong_officer, held_on=datetime.date(2022, 11, 4))
    with pytest.raises(ValidationError, match="before the meeting that sent them \\(04/11/2022\\)"):
        hold(meeting_round, "Thôn 1", {"T11": 9}, by=muong_hoong_officer, held_on=datetime.date(2022, 11, 3))


def test_meetings_are_recorded_at_the_meeting_step_only(geography, muong_hoong_officer):
    household = make_household(geography["muong_hoong"], "S1")
    review_round = open_survey(geography["muong_hoong"], 2022, [household], by=muong_hoong_officer)
    with pytest.raises(ValidationError, match="at the village meeting step"):
        hold(review_round, "Làng Mới", {"S1": 9}, by=muong_hoong_officer)


def test_a_viewer_cannot_record_a_meeting(meeting_round, viewer):
    with pytest.raises(PermissionDenied):
        hold(meeting_round, "Thôn 1", {"T11": 9}, by=viewer)


def test_an_ad_hoc_review_has_its_village_meeting_before_the_posting(geography, muong_hoong_officer):
    household = make_household(geography["muong_hoong"], "AH1", village_name="Thôn 2")
    requested_on = datetime.date(2024, 3, 15)
    ad_hoc = request_services.request_ad_hoc_review(
        household=household, requested_on=requested_on, by=muong_hoong_officer
    )
    survey_as(ad_hoc.reviews.get(), "poor", by=muong_hoong_officer)
    to_meeting(ad_hoc, by=muong_hoong_officer, on=datetime.date(2024, 3, 18), meetings=False)
    on = datetime.date(2024, 3, 20)
    with pytest.raises(ValidationError, match="meeting yet: Thôn 2."):
        services.move_round(review_round=ad_hoc, to_state=State.PUBLIC_POSTING, by=muong_hoong_officer, on=on)
    hold(ad_hoc, "Thôn 2", {"AH1": 6}, by=muong_hoong_officer, held_on=datetime.date(2024, 3, 19))
    services.move_round(review_round=ad_hoc, to_state=State.PUBLIC_POSTING, by=muong_hoong_officer, on=on)


def test_the_commune_records_its_copy_of_the_minutes_once(meeting_round, muong_hoong_officer):
    meeting = hold(meeting_round, "Thôn 1", {"T11": 9}, by=muong_hoong_officer)
    with pytest.raises(ValidationError, match="received after the meeting"):
        meeting_services.record_minutes_received(
            meeting=meeting, on=datetime.date(2022, 11, 1), by=muong_hoong_officer
        )
    meeting_services.record_minutes_received(
        meeting=meeting, on=datetime.date(2022, 11, 3), by=muong_hoong_officer
    )
    with pytest.raises(ValidationError, match="was received on 03/11/2022"):
        meeting_services.record_minutes_received(
            meeting=meeting, on=datetime.date(2022, 11, 4), by=muong_hoong_officer
        )


# Pages -------------------------------------------------------------------------------------------


def form_url(review_round, village_name):
    return reverse(
        "households:meeting_new", args=[review_round.pk, village(review_round.commune, village_name).pk]
    )


def form_data(review_round, village_name, agreeing, **fields):
    awaiting = meeting_services.reviews_awaiting_meeting(
        review_round, village(review_round.commune, village_name)
    )
    data = {
        "held_on": "02/11/2022",
        "chair_name": "  A   Blong ",
        "secretary_name": "Y Hoa",
        "attendees": [Attendee.VILLAGE_HEAD, Attendee.REVIEWERS],
        "fatherland_front_invited": "on",
        "present": "10",
        **{f"agreeing_{review.pk}": str(agreeing) for review in awaiting},
    }
    return {**data, **fields}


def test_the_round_page_shows_each_village_meeting_or_that_it_is_not_held_yet(
    meeting_round, client_of, muong_hoong_officer
):
    hold(meeting_round, "Thôn 1", {"T11": 9}, by=muong_hoong_officer)
    page = client_of(muong_hoong_officer).get(meeting_round.get_absolute_url())
    rows = {row["name"]: row for row in page.context["villages"]}
    assert (rows["Làng Mới"]["meetings"], rows["Làng Mới"]["awaiting"]) == ([], 2)
    assert rows["Thôn 1"]["awaiting"] == 0 and len(rows["Thôn 1"]["meetings"]) == 1
    html = page.content.decode()
    assert "chưa họp" in html  # not held yet
    assert form_url(meeting_round, "Làng Mới") in html
    assert form_url(meeting_round, "Thôn 1") not in html  # its result is agreed: nothing to record


def test_an_officer_records_a_meeting_on_its_page(meeting_round, client_of, muong_hoong_officer):
    client = client_of(muong_hoong_officer)
    page = client.get(form_url(meeting_round, "Làng Mới"))
    assert [review.household.code for review in page.context["form"].reviews] == ["LM1", "LM2"]
    assert "Hộ LM1" in page.content.decode()  # the head's name
    assert "ít nhất 50% số người tham dự đồng ý" in page.content.decode()
    response = client.post(form_url(meeting_round, "Làng Mới"), form_data(meeting_round, "Làng Mới", 4))
    meeting = VillageMeeting.objects.get()
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    assert (meeting.chair_name, meeting.present, meeting.recorded_by) == ("A Blong", 10, muong_hoong_officer)
    assert meeting.attendees == [Attendee.VILLAGE_HEAD, Attendee.REVIEWERS]
    assert meeting_round.reviews.filter(sent_back_by=meeting).count() == 2
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert "không thống nhất: rà soát lại" in detail and "4 / 10" in detail
    assert "2 kết quả không được ít nhất 50% người tham dự đồng ý" in detail  # the message after the save


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"present": "0"}, "present", "1"),
        ({"present": ""}, "present", "bắt buộc"),
        ({"held_on": "31/02/2022"}, "held_on", "ngày hợp lệ"),
        ({"chair_name": ""}, "chair_name", "bắt buộc"),
        ({"attendees": ["everyone"]}, "attendees", "everyone"),
        ({"present": "3"}, "agreeing", "nhiều hơn 3 người tham dự"),
        ({"agreeing": "-1"}, "agreeing", "0"),
        ({"agreeing": "beaucoup"}, "agreeing", "số"),
        ({"agreeing": "99999999999999999999"}, "agreeing", "32767"),
        ({"held_on": "01/09/2022"}, None, "trước ngày bắt đầu rà soát"),
    ],
)
def test_bad_input_is_shown_on_the_form_in_vietnamese_and_saves_nothing(
    meeting_round, client_of, muong_hoong_officer, fields, field, error
):
    data = form_data(meeting_round, "Thôn 1", 5)
    agreeing_name = next(name for name in data if name.startswith("agreeing_"))
    if "agreeing" in fields:
        data[agreeing_name] = fields.pop("agreeing")
    data.update(fields)
    response = client_of(muong_hoong_officer).post(form_url(meeting_round, "Thôn 1"), data)
    assert response.status_code == 200
    form = response.context["form"]
    name = {"agreeing": agreeing_name, None: "__all__"}.get(field, field)
    assert error in " ".join(form.errors[name])
    assert not VillageMeeting.objects.exists()


def test_a_second_press_is_told_the_meeting_is_recorded(meeting_round, client_of, muong_hoong_officer):
    client = client_of(muong_hoong_officer)
    data = form_data(meeting_round, "Thôn 1", 9)
    assert client.post(form_url(meeting_round, "Thôn 1"), data).status_code == 302
    again = client.post(form_url(meeting_round, "Thôn 1"), data)
    assert again.status_code == 200
    assert "không còn cuộc họp nào phải ghi" in again.content.decode()
    assert VillageMeeting.objects.count() == 1


def test_the_form_says_when_the_round_is_not_at_the_meeting_step(geography, client_of, muong_hoong_officer):
    household = make_household(geography["muong_hoong"], "S1")
    review_round = open_survey(geography["muong_hoong"], 2022, [household], by=muong_hoong_officer)
    client = client_of(muong_hoong_officer)
    page = client.get(form_url(review_round, "Làng Mới"))
    assert "Chỉ ghi họp dân khi đợt rà soát đang ở bước họp dân" in page.content.decode()
    refused = client.post(form_url(review_round, "Làng Mới"), form_data(review_round, "Làng Mới", 9))
    assert refused.status_code == 200
    assert "đang ở bước họp dân" in " ".join(refused.context["form"].non_field_errors())
    assert not VillageMeeting.objects.exists()


def test_a_village_without_a_household_in_the_round_has_no_meeting_form(
    meeting_round, client_of, muong_hoong_officer
):
    assert client_of(muong_hoong_officer).get(form_url(meeting_round, "Thôn 3")).status_code == 404


def test_an_officer_of_another_commune_gets_404_on_the_meeting_pages(
    meeting_round, client_of, muong_hoong_officer, other_commune_officer
):
    meeting = hold(meeting_round, "Thôn 1", {"T11": 9}, by=muong_hoong_officer)
    client = client_of(other_commune_officer)
    for url in (
        form_url(meeting_round, "Làng Mới"),
        meeting.get_absolute_url(),
        reverse("households:meeting_minutes", args=[meeting.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(form_url(meeting_round, "Làng Mới"), form_data(meeting_round, "Làng Mới", 9)).status_code
        == 404
    )
    received = reverse("households:meeting_minutes_received", args=[meeting.pk])
    assert client.post(received, {"on": "03/11/2022"}).status_code == 404
    assert VillageMeeting.objects.count() == 1


def test_a_viewer_reads_the_meetings_but_records_none(meeting_round, client_of, muong_hoong_officer, viewer):
    meeting = hold(meeting_round, "Thôn 1", {"T11": 9}, by=muong_hoong_officer)
    client = client_of(viewer)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.get(reverse("households:meeting_minutes", args=[meeting.pk])).status_code == 200
    assert client.get(form_url(meeting_round, "Làng Mới")).status_code == 403
    assert (
        client.post(form_url(meeting_round, "Làng Mới"), form_data(meeting_round, "Làng Mới", 9)).status_code
        == 403
    )
    received = reverse("households:meeting_minutes_received", args=[meeting.pk])
    assert client.post(received, {"on": "03/11/2022"}).status_code == 403
    assert "Ghi nhận đã nhận biên bản" not in client.get(meeting.get_absolute_url()).content.decode()
    meeting.refresh_from_db()
    assert VillageMeeting.objects.count() == 1 and meeting.commune_copy_received_on is None


def test_the_commune_copy_is_recorded_from_the_meeting_page(meeting_round, client_of, muong_hoong_officer):
    meeting = hold(meeting_round, "Thôn 1", {"T11": 9}, by=muong_hoong_officer)
    client = client_of(muong_hoong_officer)
    received = reverse("households:meeting_minutes_received", args=[meeting.pk])
    assert client.post(received, {"on": "03/11/2022"}).status_code == 302
    page = client.post(received, {"on": "04/11/2022"}, follow=True).content.decode()
    assert "Xã đã nhận bản biên bản này ngày 03/11/2022" in page  # the second press is told, not a 500
    assert client.post(received, {"on": "not a date"}, follow=True).status_code == 200
    meeting.refresh_from_db()
    assert meeting.commune_copy_received_on == datetime.date(2022, 11, 3)


def test_the_minutes_print_on_a4_with_the_vote_and_the_signatures(
    meeting_round, client_of, muong_hoong_officer
):
    meeting = hold(meeting_round, "Làng Mới", {"LM1": 8, "LM2": 3}, by=muong_hoong_officer)
    page = client_of(muong_hoong_officer).get(reverse("households:meeting_minutes", args=[meeting.pk]))
    html = page.content.decode()
    for text in (
        "Biên bản",
        "Họp dân thống nhất kết quả rà soát hộ nghèo, hộ cận nghèo năm 2022",
        "Tổng số người tham dự: 10 người",
        "Mời đại diện Ủy ban Mặt trận Tổ quốc xã giám sát: có",
        "8/10",
        "Thống nhất",
        "Không thống nhất, rà soát lại",
        "02 bản: 01 bản lưu tại thôn, 01 bản gửi Ủy ban nhân dân xã",
        "THƯ KÝ",
        "CHỦ TRÌ (TRƯỞNG THÔN)",
        "A Blong",
        "Y Hoa",
        "Trưởng thôn",
        "Hộ nghèo",
    ):
        assert text in html, text
    assert "UBND XÃ MƯỜNG HOONG" in html
    assert "Nơi nhận" not in html  # minutes are signed by the meeting, not sent out by an office


def test_the_minutes_download_as_a_pdf(meeting_round, client_of, muong_hoong_officer):
    from tests.urlwalk import text_of

    meeting = hold(meeting_round, "Thôn 1", {"T11": 9}, by=muong_hoong_officer)
    response = client_of(muong_hoong_officer).get(
        reverse("households:meeting_minutes_pdf", args=[meeting.pk])
    )
    if response["Content-Type"] != "application/pdf":
        pytest.skip("no PDF engine on this machine")
    assert (
        "attachment" in response["Content-Disposition"]
        and "bien-ban-hop-dan" in response["Content-Disposition"]
    )
    text = text_of(response)
    assert "BIÊN BẢN" in text.upper() and "A Blong" in text


# Query counts --------------------------------------------------------------------------------------

# Session, user, profile and the issuing body of the header (4), the commune officer's communes and
# their predecessors (2), the round with its commune, the village, the results awaiting it with their
# households, the village's earlier meetings (4).
FORM_QUERIES = 4 + 2 + 4
# Session, user, profile and the issuing body (4), the officer's communes (2), the meeting with its round,
# commune, village and who recorded it, its results with their households (2).
MEETING_QUERIES = 4 + 2 + 2
# Session, user and profile (3: a printed document has no site header), the officer's communes (2), the
# meeting, its results (2).
MINUTES_QUERIES = 3 + 2 + 2


@pytest.mark.parametrize("households", [2, 40])
def test_the_meeting_pages_run_a_constant_number_of_queries(
    geography, client_of, muong_hoong_officer, django_assert_num_queries, households
):
    commune = geography["muong_hoong"]
    listed = [make_household(commune, f"M{n:03d}") for n in range(households)]
    review_round = open_survey(commune, 2022, listed, by=muong_hoong_officer)
    for review in review_round.reviews.select_related("household", "round"):
        survey_as(review, "poor", by=muong_hoong_officer)
    to_meeting(review_round, by=muong_hoong_officer, meetings=False)
    client = client_of(muong_hoong_officer)
    url = form_url(review_round, "Làng Mới")
    with django_assert_num_queries(FORM_QUERIES):
        page = client.get(url)
    assert len(page.context["form"].reviews) == households
    meeting = hold(review_round, "Làng Mới", {h.code: 6 for h in listed}, by=muong_hoong_officer)
    url = meeting.get_absolute_url()
    with django_assert_num_queries(MEETING_QUERIES):
        page = client.get(url)
    assert len(page.context["results"]) == households
    url = reverse("households:meeting_minutes", args=[meeting.pk])
    with django_assert_num_queries(MINUTES_QUERIES):
        page = client.get(url)
    assert page.content.decode().count("<td>Thống nhất</td>") == 2 * households  # two copies


def test_the_survey_page_takes_answers_again_for_a_result_sent_back(
    meeting_round, client_of, muong_hoong_officer
):
    hold(meeting_round, "Làng Mới", {"LM1": 9, "LM2": 2}, by=muong_hoong_officer)
    client = client_of(muong_hoong_officer)
    sent_back = client.get(review_of(meeting_round, "LM2").get_absolute_url())
    assert (
        sent_back.context["editable"] and "Họp dân không thống nhất kết quả này" in sent_back.content.decode()
    )
    agreed = client.get(review_of(meeting_round, "LM1").get_absolute_url())
    assert not agreed.context["editable"]
