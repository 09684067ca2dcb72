"""Plan activities and conference participants out to Excel, IDs as the role may see them."""

import io

import openpyxl
import pytest
from django.urls import reverse

from assistance.models import Activity, Participant
from households.models import Member
from households.tests.helpers import make_person

pytestmark = pytest.mark.django_db


def sheet_of(response):
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_plan_activities_export_with_their_money(
    make_plan, line, department_officer, client_of, other_commune_officer, viewer
):
    plan = make_plan()
    line(plan, by=department_officer, amount=221_000_000, title="Mô hình nuôi bò")
    url = reverse("assistance:plan_activities_xlsx", args=[plan.pk])
    rows = sheet_of(client_of(viewer).get(url))
    assert rows[1][2] == "Mô hình nuôi bò" and rows[1][9] == 221_000_000
    assert client_of(other_commune_officer).get(url).status_code == 404


def test_participants_export_shows_ids_as_the_role_may_see_them(
    make_plan, line, make_household, department_officer, client_of, viewer, department_admin
):
    plan = make_plan()
    conference = line(
        plan, by=department_officer, kind=Activity.Kind.JOB_CONFERENCE, quantity_unit="hội nghị"
    )
    household = make_household()
    person = make_person("Y Hoa", birth_year=2000, citizen_id="062300000123")
    member = Member.objects.create(household=household, person=person, relation="head")
    Participant.objects.create(activity=conference, member=member)
    Participant.objects.create(activity=conference, full_name="A Minh", birth_year=1999)
    url = reverse("assistance:participants_xlsx", args=[conference.pk])
    rows = sheet_of(client_of(viewer).get(url))
    assert [row[1] for row in rows[1:]] == ["Y Hoa", "A Minh"]
    assert rows[1][5] is None  # read-only: no ID number, as on the pages
    assert sheet_of(client_of(department_officer).get(url))[1][5] == "0xx…123"
    assert sheet_of(client_of(department_admin).get(url))[1][5] == "062300000123"
