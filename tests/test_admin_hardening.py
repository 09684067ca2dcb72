"""Issue 19: what the admin's query strings, "view on site" links and accounts lists gave away."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse

from assistance.models import Activity, Participant, Plan, PlanAmendment
from assistance.services import approve_plan, record_amendment
from communes.models import Role
from households.models import Household, ImportChange, ImportRecord, Member, Person
from households.tests.helpers import make_household, make_person
from tests import urlwalk
from tests.fixtures import make_user
from tests.test_admin_scope import staff

NUMBER = "062176510010"
CARD = "DK2620000012345"


@pytest.fixture
def registered(geography):
    """A person of Mường Hoong with a citizen ID and a health-insurance card number, a member of a
    household, a participant of a job conference and in an import's values before."""
    commune = geography["muong_hoong"]
    household = make_household(commune, "01001", head_name="A Thiết")
    person = make_person("A Thiết", citizen_id=NUMBER, health_insurance_card=CARD)
    member = Member.objects.create(household=household, person=person, relation="head")
    plan = Plan.objects.create(commune=commune, title="Kế hoạch", from_year=2022, to_year=2023)
    conference = Activity.objects.create(
        plan=plan, kind=Activity.Kind.JOB_CONFERENCE, title="Hội nghị", planned_amount=0
    )
    Participant.objects.create(activity=conference, member=member)
    record = ImportRecord.objects.create(
        kind="households", commune=commune, file_name="ho.xlsx", checksum="x", size=1
    )
    ImportChange.objects.create(
        record=record, row=2, action="updated", model="person", object_id=person.pk, label="A Thiết",
        before={"citizen_id": NUMBER},
    )  # fmt: skip
    return person


# (admin list, lookup, the value it would give away)
ATTACKS = [
    ("households/person", "citizen_id__startswith", NUMBER),
    ("households/person", "citizen_id__regex", NUMBER),
    ("households/person", "health_insurance_card__startswith", CARD),
    ("households/importchange", "before__citizen_id__startswith", NUMBER),
]
# Through relations Django itself takes only the list filters' lookups; the rule refuses these too,
# should a filter or search field ever reach them.
THROUGH_RELATIONS = [
    (Member, "person__citizen_id__startswith"),
    (Household, "members__person__citizen_id"),
    (Participant, "member__person__health_insurance_card__startswith"),
    (Person, "-citizen_id"),  # an ordering
    (Person, "^citizen_id"),  # a search field
]
SHOWN_IN_FULL = {Role.COMMUNE_OFFICER: True, Role.DEPARTMENT_OFFICER: False, Role.DISTRICT_OFFICER: False,
                 Role.VIEWER: False}  # fmt: skip


def rebuilt(client, changelist, lookup, length):
    """What the list gives away, one digit at a time: `?<lookup>=0`, `=06`, `=062`…"""
    known = ""
    while len(known) < length:
        for character in "0123456789":
            value = f"^{known}{character}" if lookup.endswith("regex") else known + character
            response = client.get(f"/admin/{changelist}/", {lookup: value})
            if response.status_code == 200 and response.context["cl"].result_count:
                known += character
                break
        else:
            return known
    return known


def test_the_digit_by_digit_attack_on_the_admin_finds_nothing_for_roles_shown_ids_masked_or_not_at_all(
    client_of, geography, registered
):
    for role, in_full in SHOWN_IN_FULL.items():
        user = staff(f"staff_{role}", role, [geography["muong_hoong"]])
        client = client_of(user)
        for changelist, lookup, value in ATTACKS:
            if in_full:  # the lookups work: the refusals below are not for want of a record
                found = client.get(f"/admin/{changelist}/", {lookup: value[:6]}).context["cl"].result_count
                assert found == 1, (role, lookup)
            else:
                assert client.get(f"/admin/{changelist}/", {lookup: value[:1]}).status_code == 400
        if not in_full:
            assert rebuilt(client, "households/person", "citizen_id__startswith", len(NUMBER)) == ""
        request = RequestFactory().get("/")
        request.user = user
        for model, lookup in THROUGH_RELATIONS:
            refused = admin.site._registry[model].reads_hidden_field(request, lookup)
            assert refused is not in_full, (role, lookup)


def test_the_pages_and_exports_take_no_lookup_or_ordering_from_the_query_string(
    client_of, geography, registered
):
    make_household(geography["muong_hoong"], "01002", head_name="Y Hoa")
    officer = make_user("dept", Role.DEPARTMENT_OFFICER, communes=[geography["muong_hoong"]])
    client = client_of(officer)
    attack = {"citizen_id__startswith": "9", "members__person__citizen_id__startswith": "9",
              "o": "-citizen_id", "ordering": "citizen_id", "order_by": "citizen_id"}  # fmt: skip
    for name in ("households:list", "households:export", "communes:list", "communes:export"):
        plain, attacked = client.get(reverse(name)), client.get(reverse(name), attack)
        assert attacked.status_code == 200, name
        if attacked.context:  # a page, which links to itself with its query string
            assert list(attacked.context["page"]) == list(plain.context["page"]), name
        else:
            assert urlwalk.text_of(attacked) == urlwalk.text_of(plain), name


def test_view_on_site_answers_only_for_objects_in_the_users_scope(client_of, geography, registered):
    theirs = make_household(geography["ngoc_linh_old"], "02001", village_name="Thôn 1")
    mine = registered.memberships.get().household
    officer = staff("dept", Role.DEPARTMENT_OFFICER, [geography["muong_hoong"]])
    client = client_of(officer)
    household = ContentType.objects.get_for_model(Household).pk
    assert client.get(f"/admin/r/{household}/{mine.pk}/").status_code == 302
    for path in [f"{household}/{theirs.pk}", f"{household}/x", "9999/1"]:
        assert client.get(f"/admin/r/{path}/").status_code == 404, path
    superuser = make_user("root", Role.DEPARTMENT_ADMIN, superuser=True)
    response = client_of(superuser).get(f"/admin/r/{household}/{theirs.pk}/")
    assert response.status_code == 302 and response["Location"].endswith(theirs.get_absolute_url())


def test_a_recorded_amendment_opens_in_the_admin(client_of, geography, registered):
    superuser = make_user("root", Role.DEPARTMENT_ADMIN, superuser=True)
    plan = Plan.objects.get()
    approve_plan(plan=plan, by=superuser, on=datetime.date(2022, 8, 22))
    amendment = record_amendment(plan=plan, changes=["Thêm một lớp"], reason="Bổ sung", by=superuser)
    client = client_of(superuser)
    assert client.get(reverse("admin:assistance_planamendment_add")).status_code == 200
    page = client.get(reverse("admin:assistance_planamendment_change", args=[amendment.pk]))
    assert page.status_code == 200 and "Bổ sung" in page.content.decode()
    assert PlanAmendment.objects.count() == 1


def test_a_list_sorts_by_a_sensitive_column_only_for_roles_shown_it_in_full(
    client_of, geography, registered, monkeypatch
):
    from households.admin import PersonAdmin

    household = registered.memberships.get().household
    later = make_person("A Bình", citizen_id="962176510011")  # first by name, last by number
    Member.objects.create(household=household, person=later, relation="child")
    monkeypatch.setattr(PersonAdmin, "list_display", ["full_name", "citizen_id"])
    monkeypatch.setattr(PersonAdmin, "ordering", ["full_name"])
    for role, in_full in SHOWN_IN_FULL.items():
        client = client_of(staff(f"staff_{role}", role, [geography["muong_hoong"]]))
        listed = client.get("/admin/households/person/", {"o": "2"}).context["cl"].result_list
        assert list(listed) == ([registered, later] if in_full else [later, registered]), role
