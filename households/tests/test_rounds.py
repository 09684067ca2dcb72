"""Review rounds: the legal steps as states, who did what, read-only once decided; surveys; ad-hoc reviews."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from communes.models import today
from households import request_services, services
from households.models import Complaint, HouseholdReview, ReviewRound
from households.tests.helpers import (
    approve,
    decide,
    make_household,
    open_survey,
    survey_as,
    to_meeting,
    writer,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
State = ReviewRound.State


@pytest.fixture
def households(geography):
    commune = geography["muong_hoong"]
    return [make_household(commune, f"H{n}") for n in range(1, 4)]


@pytest.fixture
def survey_round(geography, households, muong_hoong_officer):
    return open_survey(geography["muong_hoong"], 2022, households, by=muong_hoong_officer)


@pytest.mark.parametrize(
    ("year", "after_posting"),
    [
        (2024, State.DISTRICT_OPINION),  # lists of 2025: the district chairman's opinion, then the decision
        (2025, State.APPROVED),  # lists of 2026: the commune decides (two-level government)
    ],
)
def test_a_periodic_round_offers_only_the_next_legal_step(year, after_posting):
    review_round = ReviewRound(kind=ReviewRound.Kind.PERIODIC, year=year)
    expected = {
        State.PREPARATION: (State.SURVEY,),
        State.SURVEY: (State.VILLAGE_MEETING,),
        State.VILLAGE_MEETING: (State.PUBLIC_POSTING, State.SURVEY),
        State.PUBLIC_POSTING: (after_posting,),
        State.APPROVED: (State.REPORTED,),
        State.REPORTED: (),
    }
    for state, moves in expected.items():
        review_round.state = state
        assert review_round.allowed_moves() == moves


def test_an_ad_hoc_review_has_its_village_meeting_too():
    review_round = ReviewRound(
        kind=ReviewRound.Kind.AD_HOC, year=2026, requested_on=datetime.date(2026, 3, 3), state=State.SURVEY
    )
    assert review_round.allowed_moves() == (State.VILLAGE_MEETING,)


@pytest.mark.parametrize(
    ("year", "list_year", "label"),
    [
        (2021, 2022, "lists of 2022 (review of late 2021)"),
        (2022, 2023, "lists of 2023 (review of late 2022)"),
        (2026, 2027, "lists of 2027 (review of late 2026)"),
    ],
)
def test_a_periodic_round_stores_the_year_of_the_lists_it_makes(geography, year, list_year, label):
    review_round = services.open_round(commune=geography["muong_hoong"], year=year, by=writer())
    review_round.refresh_from_db()
    assert (review_round.list_year, review_round.lists_label) == (list_year, label)


def test_the_database_keeps_the_list_year_of_a_round(survey_round):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRound.objects.filter(pk=survey_round.pk).update(list_year=2022)


def test_a_step_cannot_be_skipped(survey_round, muong_hoong_officer):
    with pytest.raises(ValidationError, match="cannot move"):
        services.move_round(review_round=survey_round, to_state=State.APPROVED, by=muong_hoong_officer)


def test_the_meeting_needs_every_listed_household_surveyed(survey_round, muong_hoong_officer):
    with pytest.raises(ValidationError, match="3 listed households are not surveyed"):
        services.move_round(
            review_round=survey_round,
            to_state=State.VILLAGE_MEETING,
            by=muong_hoong_officer,
            on=datetime.date(2022, 11, 1),
        )


def test_each_step_keeps_its_date_and_who_recorded_it(survey_round, muong_hoong_officer):
    for review in survey_round.reviews.all():
        survey_as(review, "poor", by=muong_hoong_officer)
    decide(survey_round, by=muong_hoong_officer)
    steps = list(survey_round.steps.values_list("state", "on", "by__username"))
    assert steps == [
        ("preparation", datetime.date(2022, 9, 1), "mh_officer"),
        ("survey", datetime.date(2022, 9, 10), "mh_officer"),
        ("village_meeting", datetime.date(2022, 11, 1), "mh_officer"),
        ("public_posting", datetime.date(2022, 11, 10), "mh_officer"),
        ("district_opinion", datetime.date(2022, 11, 25), "mh_officer"),
        ("approved", datetime.date(2022, 12, 1), "mh_officer"),
    ]
    assert survey_round.decided_on == datetime.date(2022, 12, 1)
    assert survey_round.posting_ends_on == datetime.date(2022, 11, 15)  # 3 working days after Thursday 10/11


def test_a_step_cannot_go_back_in_time_nor_into_the_future(survey_round, muong_hoong_officer):
    for review in survey_round.reviews.all():
        survey_as(review, "poor")
    with pytest.raises(ValidationError, match="before the previous one"):
        services.move_round(
            review_round=survey_round,
            to_state=State.VILLAGE_MEETING,
            by=writer(),
            on=datetime.date(2022, 9, 5),
        )
    with pytest.raises(ValidationError, match="future"):
        services.move_round(
            review_round=survey_round,
            to_state=State.VILLAGE_MEETING,
            by=writer(),
            on=datetime.date(2999, 1, 1),
        )


def test_approval_waits_for_the_posting_to_end_and_the_complaints_to_be_rechecked(survey_round):
    for review in survey_round.reviews.all():
        survey_as(review, "near_poor")
    to_meeting(survey_round, on=datetime.date(2022, 11, 1))
    services.move_round(
        review_round=survey_round,
        to_state=State.PUBLIC_POSTING,
        by=writer(),
        on=datetime.date(2022, 11, 10),
        posting_ends_on=datetime.date(2022, 11, 20),
    )
    survey_round.refresh_from_db()
    # Before the two-level government the posting ends into the district chairman's opinion.
    with pytest.raises(ValidationError, match="runs until 20/11/2022"):
        services.move_round(
            review_round=survey_round,
            to_state=State.DISTRICT_OPINION,
            by=writer(),
            on=datetime.date(2022, 11, 15),
        )
    complaint = services.record_complaint(
        complaint=Complaint(
            round=survey_round, received_on=datetime.date(2022, 11, 12), content="Hộ H1 khó khăn hơn"
        ),
        by=writer(),
    )
    with pytest.raises(ValidationError, match="1 complaints are still open"):
        services.move_round(
            review_round=survey_round,
            to_state=State.DISTRICT_OPINION,
            by=writer(),
            on=datetime.date(2022, 11, 25),
        )
    with pytest.raises(ValidationError, match="cannot move"):
        approve(survey_round, on=datetime.date(2022, 11, 25))
    complaint.outcome, complaint.resolved_on = "Đã xác minh lại", datetime.date(2022, 11, 18)
    complaint.save()
    services.move_round(
        review_round=survey_round,
        to_state=State.DISTRICT_OPINION,
        by=writer(),
        on=datetime.date(2022, 11, 25),
    )
    approve(survey_round, on=datetime.date(2022, 11, 28))


def test_a_decided_round_is_read_only(survey_round):
    for review in survey_round.reviews.all():
        survey_as(review, "poor")
    decide(survey_round)
    review = survey_round.reviews.first()
    with pytest.raises(ValidationError, match="only be entered while the round is at the survey"):
        survey_as(review, "not_poor")
    with pytest.raises(ValidationError, match="village meeting"):
        services.set_final_category(review=review, category="near_poor", reason="x", by=writer())
    with pytest.raises(ValidationError, match="listed during preparation or the survey"):
        services.list_households(review_round=survey_round, by=writer())
    services.move_round(
        review_round=survey_round, to_state=State.REPORTED, by=writer(), on=datetime.date(2022, 12, 10)
    )
    survey_round.refresh_from_db()
    assert survey_round.allowed_moves() == ()


def test_the_computed_category_comes_from_the_answers_and_the_standard(survey_round):
    review = survey_round.reviews.first()
    result = services.record_survey(
        review=review,
        monthly_income_per_person=1_500_000,
        deprived=["nutrition", "employment", "dependants"],
        by=writer(),
    )
    review.refresh_from_db()
    assert result.category == review.computed_category == review.category == "poor"
    assert sorted(review.deprived_keys) == ["dependants", "employment", "nutrition"]
    services.record_survey(
        review=review, monthly_income_per_person=1_500_000, deprived=["nutrition"], by=writer()
    )
    review.refresh_from_db()
    assert review.category == "near_poor" and review.deprived_keys == ["nutrition"]


def test_unknown_indicators_and_negative_income_are_refused(survey_round):
    review = survey_round.reviews.first()
    with pytest.raises(ValidationError, match="Unknown indicator"):
        services.record_survey(
            review=review, monthly_income_per_person=1, deprived=["household_waste"], by=writer()
        )
    with pytest.raises(ValidationError, match="negative"):
        services.record_survey(review=review, monthly_income_per_person=-1, deprived=[], by=writer())


def test_the_meeting_may_change_a_category_only_with_a_reason(survey_round):
    for review in survey_round.reviews.all():
        survey_as(review, "near_poor")
    services.move_round(
        review_round=survey_round, to_state=State.VILLAGE_MEETING, by=writer(), on=datetime.date(2022, 11, 1)
    )
    review = survey_round.reviews.first()
    with pytest.raises(ValidationError, match="reason"):
        services.set_final_category(review=review, category="poor", reason=" ", by=writer())
    services.set_final_category(review=review, category="poor", reason="Ốm nặng dài ngày", by=writer())
    review.refresh_from_db()
    assert (review.computed_category, review.final_category, review.category) == ("near_poor", "poor", "poor")
    services.set_final_category(review=review, category="", reason="", by=writer())
    review.refresh_from_db()
    assert (review.final_category, review.category) == ("", "near_poor")


def test_the_database_keeps_the_category_consistent(survey_round):
    from django.db import IntegrityError, transaction

    review = survey_round.reviews.first()
    survey_as(review, "poor")
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdReview.objects.filter(pk=review.pk).update(category="not_poor")
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdReview.objects.filter(pk=review.pk).update(final_category="near_poor", category="near_poor")


def test_one_periodic_round_per_commune_and_year(survey_round, geography):
    with pytest.raises(ValidationError, match="already has its periodic review"):
        services.open_round(commune=geography["muong_hoong"], year=2022, by=writer())


def test_a_past_review_opened_on_the_page_starts_on_the_date_given_never_a_future_one(
    geography, muong_hoong_officer, client_of
):
    """A review of a past year entered afterwards: its first step dated today would refuse every
    later step of its own year ("cannot come before the previous one")."""
    client = client_of(muong_hoong_officer)
    url = reverse("households:commune_rounds", args=[geography["muong_hoong"].pk])
    tomorrow = today() + datetime.timedelta(days=1)
    refused = client.post(url, {"year": 2024, "on": tomorrow.strftime("%d/%m/%Y")})
    assert refused.status_code == 200
    assert "Ngày của một bước không thể ở tương lai." in refused.content.decode()
    assert not ReviewRound.objects.exists()

    client.post(url, {"year": 2024, "on": "02/09/2024"})
    review_round = ReviewRound.objects.get()
    assert review_round.steps.get().on == datetime.date(2024, 9, 2)
    services.move_round(
        review_round=review_round,
        to_state=State.SURVEY,
        on=datetime.date(2024, 9, 10),
        by=muong_hoong_officer,
    )
    client.post(url, {"year": 2023})  # no date: opened today
    assert ReviewRound.objects.get(year=2023).steps.get().on == today()


@pytest.mark.parametrize(
    ("year", "standard"),
    [
        (2021, "decree_07_2021"),  # the baseline review of the 2022–2025 period is recordable
        (2025, "decree_07_2021"),  # lists of 2026
        (2026, "decree_351_2025"),  # lists of 2027
    ],
)
def test_a_round_records_the_standard_of_the_lists_it_makes(geography, year, standard):
    assert (
        services.open_round(commune=geography["ngoc_linh_new"], year=year, by=writer()).standard == standard
    )


def test_a_review_whose_lists_no_standard_covers_cannot_be_opened(geography):
    with pytest.raises(ValidationError, match="No poverty standard covers the year 2031"):
        services.open_round(commune=geography["ngoc_linh_new"], year=2030, by=writer())


@pytest.mark.parametrize(
    ("requested_on", "standard"),
    [
        (datetime.date(2026, 11, 20), "decree_07_2021"),  # the standard in force on its date
        (datetime.date(2027, 1, 4), "decree_351_2025"),
    ],
)
def test_an_ad_hoc_review_applies_the_standard_in_force_on_its_date(
    households, requested_on, standard, monkeypatch
):
    monkeypatch.setattr(request_services, "today", lambda: datetime.date(2027, 2, 1))
    review_round = request_services.request_ad_hoc_review(
        household=households[0], requested_on=requested_on, by=writer()
    )
    assert (review_round.standard, review_round.list_year) == (standard, requested_on.year)


def test_an_ad_hoc_request_has_a_15_day_deadline_and_is_listed_when_overdue(households, muong_hoong_officer):
    household = households[0]
    review_round = request_services.request_ad_hoc_review(
        household=household, requested_on=datetime.date(2024, 3, 15), by=muong_hoong_officer
    )
    assert review_round.kind == "ad_hoc" and review_round.state == State.SURVEY
    assert review_round.deadline == datetime.date(2024, 3, 30)
    assert list(ReviewRound.objects.overdue(on=datetime.date(2024, 3, 30))) == []
    assert list(ReviewRound.objects.overdue(on=datetime.date(2024, 3, 31))) == [review_round]
    with pytest.raises(ValidationError, match="already has an ad-hoc review"):
        request_services.request_ad_hoc_review(
            household=household, requested_on=datetime.date(2024, 3, 20), by=writer()
        )
    survey_as(review_round.reviews.get(), "poor")
    to_meeting(review_round, on=datetime.date(2024, 3, 18))
    services.move_round(
        review_round=review_round, to_state=State.PUBLIC_POSTING, by=writer(), on=datetime.date(2024, 3, 20)
    )
    services.move_round(
        review_round=review_round, to_state=State.DISTRICT_OPINION, by=writer(), on=datetime.date(2024, 3, 26)
    )
    approve(review_round, on=datetime.date(2024, 3, 28))
    assert list(ReviewRound.objects.overdue(on=datetime.date(2024, 4, 30))) == []


@pytest.fixture
def late_2021_round(geography, households, muong_hoong_officer):
    """The periodic review of late 2021, which makes the lists of 2022."""
    return open_survey(geography["muong_hoong"], 2021, households, by=muong_hoong_officer)


def test_an_ad_hoc_decision_amends_the_lists_in_use(late_2021_round, geography):
    for review in late_2021_round.reviews.all():
        survey_as(review, "near_poor")
    decide(late_2021_round)
    household = late_2021_round.reviews.first().household
    _ad_hoc(
        household,
        requested_on=datetime.date(2022, 6, 3),
        decided_on=datetime.date(2022, 6, 28),
        category="poor",
    )
    annotated = type(household).objects.with_latest_category().with_category_in(2022).get(pk=household.pk)
    assert annotated.latest_category == annotated.year_category == "poor"
    assert annotated.latest_category_year == 2022


def test_low_income_workers_are_found_from_the_review(survey_round):
    from households.models import Member
    from households.tests.helpers import make_person

    review = survey_round.reviews.select_related("household").first()
    worker = make_person("A Lâm", birth_year=1990, sex="male", employment="self_employed")
    child = make_person("A Bé", birth_year=2015, sex="male", employment="not_working_age")
    for person in (worker, child):
        Member.objects.create(household=review.household, person=person, relation="child")
    survey_as(review, "average")
    decide_others = [r for r in survey_round.reviews.all() if r.pk != review.pk]
    for other in decide_others:
        survey_as(other, "poor")
    decide(survey_round)
    review.refresh_from_db()
    assert review.low_income_workers() == [worker]


def _ad_hoc(household, *, requested_on, decided_on, category):
    ad_hoc = request_services.request_ad_hoc_review(
        household=household, requested_on=requested_on, by=writer()
    )
    survey_as(ad_hoc.reviews.get(), category)
    to_meeting(ad_hoc, on=requested_on)
    for state in ad_hoc.procedure.steps()[3:-2]:  # from the posting to the step before the decision
        services.move_round(
            review_round=ad_hoc, to_state=state, by=writer(), on=requested_on, posting_ends_on=requested_on
        )
    approve(ad_hoc, on=decided_on)
    return ad_hoc.reviews.get()


def test_one_review_per_household_and_list_year_counts_in_the_figures(late_2021_round):
    for review in late_2021_round.reviews.all():
        survey_as(review, "near_poor")
    assert not HouseholdReview.objects.filter(counting_year__isnull=False).exists()  # not decided yet
    decide(late_2021_round)  # approved on 01/12/2021: the lists of 2022
    periodic = {r.household_id: r for r in late_2021_round.reviews.all()}
    assert {r.counting_year for r in periodic.values()} == {2022}
    first, second, third = (periodic[pk].household for pk in sorted(periodic))
    # Two ad-hoc decisions amend the lists of 2022: the one of the latest date is in force, even when
    # it was recorded first.
    later = _ad_hoc(
        first,
        requested_on=datetime.date(2022, 6, 15),
        decided_on=datetime.date(2022, 6, 22),
        category="poor",
    )
    earlier = _ad_hoc(
        first,
        requested_on=datetime.date(2022, 3, 15),
        decided_on=datetime.date(2022, 3, 20),
        category="near_poor",
    )
    # An ad-hoc review of 2023 amends the lists of 2023, not those of 2022.
    of_2023 = _ad_hoc(
        second,
        requested_on=datetime.date(2023, 3, 15),
        decided_on=datetime.date(2023, 3, 20),
        category="poor",
    )
    counting = dict(HouseholdReview.objects.filter(counting_year=2022).values_list("household", "pk"))
    assert counting == {
        first.pk: later.pk,
        second.pk: periodic[second.pk].pk,
        third.pk: periodic[third.pk].pk,
    }
    assert earlier.pk not in counting.values()
    assert HouseholdReview.objects.get(pk=of_2023.pk).counting_year == 2023


def test_a_complaint_is_closed_with_what_the_recheck_found_by_a_writer_only(survey_round, viewer):
    complaint = Complaint.objects.create(
        round=survey_round,
        household=survey_round.reviews.first().household,
        received_on=datetime.date(2022, 11, 12),
        content="Hộ H1 khó khăn hơn",
    )
    with pytest.raises(PermissionDenied):
        services.resolve_complaint(complaint=complaint, outcome="Đã xác minh", by=viewer)
    with pytest.raises(ValidationError, match="what the re-check found"):
        services.resolve_complaint(complaint=complaint, outcome=" ", by=writer())
    services.resolve_complaint(complaint=complaint, outcome=" Đã xác minh ", by=writer())
    complaint.refresh_from_db()
    assert (complaint.outcome, complaint.resolved_on) == ("Đã xác minh", today())


def test_a_complaint_is_closed_on_the_day_of_its_recheck_never_in_the_future(
    survey_round, muong_hoong_officer, client_of
):
    """A past round entered afterwards: its complaint was re-checked then, not on the day it is typed."""
    complaint = Complaint.objects.create(
        round=survey_round, received_on=datetime.date(2022, 11, 12), content="Hộ H1 khó khăn hơn"
    )
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.resolve_complaint(
            complaint=complaint, outcome="Đã xác minh", on=today() + datetime.timedelta(days=1), by=writer()
        )
    with pytest.raises(ValidationError, match="before it was received"):
        services.resolve_complaint(
            complaint=complaint, outcome="Đã xác minh", on=datetime.date(2022, 11, 11), by=writer()
        )
    url = reverse("households:complaint_resolve", args=[survey_round.pk, complaint.pk])
    client = client_of(muong_hoong_officer)
    refused = client.post(url, {"outcome": "Đã xác minh", "on": ""}, follow=True)
    assert "Nhập kết quả phúc tra và ngày phúc tra." in refused.content.decode()
    complaint.refresh_from_db()
    assert complaint.resolved_on is None
    client.post(url, {"outcome": "Đã xác minh", "on": "14/11/2022"})
    complaint.refresh_from_db()
    assert (complaint.outcome, complaint.resolved_on) == ("Đã xác minh", datetime.date(2022, 11, 14))


@pytest.mark.parametrize(
    ("on", "refused_with"),
    [
        (datetime.date(2022, 9, 10), None),  # the day the survey step started
        (datetime.date(2022, 10, 3), None),  # a visit entered later keeps its own day
        (datetime.date(2022, 9, 9), r"before the round's survey started \(10/09/2022\)"),
        (datetime.date(2999, 1, 1), "cannot be dated in the future"),
    ],
)
def test_a_survey_is_dated_the_day_of_the_visit(survey_round, on, refused_with):
    review = survey_round.reviews.first()
    answers = {"monthly_income_per_person": 1_000_000, "deprived": ["nutrition"], "by": writer(), "on": on}
    if refused_with:
        with pytest.raises(ValidationError, match=refused_with):
            services.record_survey(review=review, **answers)
        review.refresh_from_db()
        assert review.surveyed_on is None
    else:
        services.record_survey(review=review, **answers)
        review.refresh_from_db()
        assert review.surveyed_on == on


def test_the_survey_page_records_the_day_of_the_visit(survey_round, client_of, muong_hoong_officer):
    review = survey_round.reviews.first()
    client = client_of(muong_hoong_officer)
    data = {"monthly_income_per_person": "1000000", "deprived": ["nutrition"], "save": "1"}
    page = client.post(review.get_absolute_url(), {**data, "surveyed_on": "01/01/2999"}, follow=True)
    assert "Ngày khảo sát không được sau ngày hôm nay." in page.content.decode()
    client.post(review.get_absolute_url(), {**data, "surveyed_on": "03/10/2022"})
    review.refresh_from_db()
    assert review.surveyed_on == datetime.date(2022, 10, 3)
