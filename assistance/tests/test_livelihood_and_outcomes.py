"""Livelihood beneficiaries live in the plan's commune; job-counselling outcomes move only forward."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from assistance import services
from assistance.models import Activity, Beneficiary, Event, Outcome
from households.models import Category

D = datetime.date


@pytest.fixture
def cow_model(make_plan, line, department_officer):
    plan = make_plan(approved=False)
    model = line(plan, by=department_officer, kind=Activity.Kind.LIVELIHOOD_MODEL, amount=221_000_000)
    services.approve_plan(plan=plan, by=department_officer, on=D(2022, 8, 22))
    return model


def test_a_beneficiary_must_live_in_the_plans_commune(
    cow_model, make_household, geography, department_officer
):
    here = make_household(category=Category.POOR)
    elsewhere = make_household(geography["ngoc_linh_old"], category=Category.POOR)
    with pytest.raises(ValidationError) as refused:
        services.enrol_households(
            activity=cow_model,
            households=[here, elsewhere],
            enrolled_on=D(2022, 10, 1),
            by=department_officer,
        )
    assert refused.value.code == "outside_commune"
    assert not Beneficiary.objects.exists()

    services.enrol_households(
        activity=cow_model, households=[here], enrolled_on=D(2022, 10, 1), by=department_officer
    )
    enrolled = Beneficiary.objects.get()
    assert enrolled.household == here and enrolled.category_when_enrolled == Category.POOR


def test_the_model_check_refuses_an_outside_household_too(cow_model, make_household, geography):
    beneficiary = Beneficiary(activity=cow_model, household=make_household(geography["ngoc_linh_old"]))
    with pytest.raises(ValidationError) as refused:
        beneficiary.full_clean()
    assert refused.value.message_dict["household"] == ["Hộ này không cư trú tại xã của kế hoạch."]


def test_enrolling_twice_keeps_one_enrolment(cow_model, make_household, department_officer):
    household, other = make_household(), make_household()
    enrol = {"activity": cow_model, "enrolled_on": D(2022, 10, 1), "by": department_officer}
    services.enrol_households(households=[household], **enrol)
    with pytest.raises(ValidationError) as refused:
        services.enrol_households(households=[household], **enrol)
    assert refused.value.code == "already_enrolled"
    assert len(services.enrol_households(households=[household, other], **enrol)) == 1
    assert Beneficiary.objects.count() == 2


C, R, P, A, DEP, RET = (
    Outcome.COUNSELLED,
    Outcome.REFERRED_TRAINING,
    Outcome.PLACED_VIETNAM,
    Outcome.REGISTERED_ABROAD,
    Outcome.DEPARTED,
    Outcome.RETURNED,
)
CONFERENCE = D(2022, 10, 20)


@pytest.mark.parametrize(
    ("history", "outcome", "on", "error"),
    [
        ([], C, D(2022, 10, 20), None),
        ([], C, D(2022, 10, 19), "before_conference"),
        ([(C, D(2022, 10, 20))], R, D(2022, 11, 1), None),
        ([(C, D(2022, 10, 20))], A, D(2022, 10, 20), None),
        ([(C, D(2022, 10, 20)), (A, D(2022, 11, 1))], DEP, D(2023, 3, 1), None),
        ([(C, D(2022, 10, 20)), (A, D(2022, 11, 1)), (DEP, D(2023, 3, 1))], RET, D(2026, 3, 1), None),
        ([(C, D(2022, 10, 20)), (R, D(2022, 11, 1))], C, D(2022, 12, 1), "backwards"),
        ([(C, D(2022, 10, 20)), (P, D(2022, 11, 1))], R, D(2022, 12, 1), "backwards"),
        ([(C, D(2022, 10, 20)), (R, D(2022, 11, 1))], P, D(2022, 10, 30), "earlier_date"),
        ([(C, D(2022, 10, 20))], DEP, D(2022, 12, 1), "missing_step"),
        ([(C, D(2022, 10, 20)), (P, D(2022, 11, 1))], RET, D(2022, 12, 1), "missing_step"),
        ([(C, D(2022, 10, 20))], C, D(2022, 10, 21), "backwards"),
    ],
)
def test_outcomes_move_only_forward_in_time(history, outcome, on, error):
    if error is None:
        services.check_outcome_move(history, outcome, on, since=CONFERENCE)
    else:
        with pytest.raises(ValidationError) as refused:
            services.check_outcome_move(history, outcome, on, since=CONFERENCE)
        assert refused.value.code == error


def test_recording_outcomes_keeps_the_history_and_the_current_one(make_plan, line, department_officer):
    plan = make_plan()
    conference = line(plan, by=department_officer, kind=Activity.Kind.JOB_CONFERENCE)
    Event.objects.create(activity=conference, held_on=CONFERENCE, place="UBND xã", participant_count=40)
    worker = services.add_participant(
        activity=conference, full_name="Y Nhung", birth_year=2001, by=department_officer
    )
    services.record_outcome(participant=worker, outcome=C, on=CONFERENCE, by=department_officer)
    services.record_outcome(participant=worker, outcome=A, on=D(2022, 11, 2), by=department_officer)
    with pytest.raises(ValidationError):
        services.record_outcome(participant=worker, outcome=R, on=D(2022, 12, 1), by=department_officer)
    worker.refresh_from_db()
    assert (worker.outcome, worker.outcome_on) == (A, D(2022, 11, 2))
    assert list(worker.steps.values_list("outcome", flat=True)) == [C, A]


def test_a_participant_is_named_or_chosen_from_the_registry(make_plan, line, department_officer):
    conference = line(make_plan(), by=department_officer, kind=Activity.Kind.JOB_CONFERENCE)
    with pytest.raises(ValidationError):
        services.add_participant(activity=conference, full_name="  ", by=department_officer)
    not_a_conference = line(make_plan(), by=department_officer)
    with pytest.raises(ValidationError):
        services.add_participant(activity=not_a_conference, full_name="A", by=department_officer)
