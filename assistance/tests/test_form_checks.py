"""The forms leave the rules to the models: a model's `clean` still shows its message on the field."""

import datetime

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from assistance.forms import AssignmentForm, FindingForm, MissionForm, PlanForm
from assistance.models import Activity, Mission
from communes.models import Commune

D = datetime.date


def english_errors(form, field):
    with translation.override("en"):
        return [str(error) for error in form.errors.get(field, [])]


def test_an_assignment_whose_last_year_is_before_the_first_is_refused_on_the_last_year(geography):
    form = AssignmentForm({"from_year": 2024, "to_year": 2023}, communes=Commune.objects.all())
    assert "The last year cannot be before the first year." in english_errors(form, "to_year")


def test_a_mission_that_ends_before_it_starts_is_refused_on_the_end_date(geography):
    form = MissionForm(
        {"start_date": "17/08/2022", "end_date": "15/08/2022", "purpose": "Khảo sát"},
        communes=Commune.objects.all(),
    )
    assert "The mission cannot end before it starts." in english_errors(form, "end_date")


def test_a_finding_in_a_village_of_another_commune_is_refused_on_the_village(mission, geography, catalogue):
    other_village = geography["ngoc_linh_old"].villages.first()
    form = FindingForm(
        {
            "commune": geography["muong_hoong"].pk,
            "village": other_village.pk,
            "topic": next(iter(catalogue.values())).pk,
            "text": "Thiếu nước sạch",
        },
        mission=mission,
        communes=Commune.objects.all(),
    )
    assert "This village is not in the chosen commune." in english_errors(form, "village")


def test_a_plan_is_refused_on_its_years_and_on_a_survey_that_did_not_visit_its_commune(geography, mission):
    elsewhere = Mission.objects.create(start_date=D(2022, 9, 1), end_date=D(2022, 9, 2), purpose="Khác")
    elsewhere.communes.set([geography["ngoc_linh_old"]])
    form = PlanForm(
        {
            "commune": geography["muong_hoong"].pk,
            "mission": elsewhere.pk,
            "title": "Kế hoạch",
            "from_year": 2023,
            "to_year": 2022,
        },
        communes=Commune.objects.all(),
        missions=Mission.objects.all(),
    )
    assert "The last year cannot be before the first year." in english_errors(form, "to_year")
    assert "This survey did not visit the plan's commune." in english_errors(form, "mission")


def test_a_participant_neither_chosen_nor_named_is_refused_on_the_name(
    client_of, department_officer, make_plan, line
):
    conference = line(make_plan(), by=department_officer, kind=Activity.Kind.JOB_CONFERENCE)
    client = client_of(department_officer)
    response = client.post(reverse("assistance:participant_create", args=[conference.pk]), {"full_name": " "})
    assert response.status_code == 200
    assert "Choose a household member from the registry or write the participant's name." in english_errors(
        response.context["form"], "full_name"
    )
    assert not conference.participants.exists()


def test_cancelling_an_activity_without_a_reason_says_why_and_changes_nothing(
    client_of, department_officer, make_plan
):
    plan = make_plan(approved=True)
    activity = plan.activities.get()
    response = client_of(department_officer).post(
        reverse("assistance:activity_status", args=[activity.pk]),
        {"status": "cancelled", "cancel_reason": " "},
    )
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Cần nêu lý do hủy hoạt động."
    ]
    activity.refresh_from_db()
    plan.refresh_from_db()
    assert (activity.status, plan.version, plan.amendments.count()) == (Activity.Status.PLANNED, 1, 0)
