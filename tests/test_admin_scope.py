"""Staff who are not superusers see and change in the admin only what the pages let them."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from assistance.models import Plan
from communes.models import Commune, Role
from households.models import Household, Person
from households.tests.helpers import make_household, make_person
from tests.fixtures import make_user


def staff(username, role, communes, *, codenames=None):
    user = make_user(username, role, communes=communes)
    user.is_staff = True
    user.save()
    wanted = Permission.objects.filter(content_type__app_label__in=["households", "assistance", "communes"])
    if codenames:
        wanted = wanted.filter(codename__in=codenames)
    user.user_permissions.set(wanted)
    return user


@pytest.fixture
def two_communes(geography):
    mine = make_household(geography["muong_hoong"], "01001", head_name="A Thiết")
    theirs = make_household(geography["ngoc_linh_old"], "02001", village_name="Thôn 1", head_name="Y Hoa")
    from households.models import Member

    Member.objects.create(
        household=mine,
        person=make_person("A Thiết", birth_year=1976, sex="male", citizen_id="062176510010"),
        relation="head",
    )
    Member.objects.create(household=theirs, person=make_person("Y Hoa", birth_year=1980), relation="head")
    return mine, theirs


def test_a_commune_officer_sees_only_their_communes_records_in_the_admin(client_of, geography, two_communes):
    mine, theirs = two_communes
    officer = staff("mh_staff", Role.COMMUNE_OFFICER, [geography["muong_hoong"]])
    client = client_of(officer)
    listed = client.get(reverse("admin:households_household_changelist")).context["cl"].result_list
    assert list(listed) == [mine]
    assert client.get(reverse("admin:households_household_change", args=[theirs.pk])).status_code == 302
    people = client.get(reverse("admin:households_person_changelist")).context["cl"].result_list
    assert [p.full_name for p in people] == ["A Thiết"]
    communes = client.get(reverse("admin:communes_commune_changelist")).context["cl"].result_list
    assert [c.name for c in communes] == ["Mường Hoong"]


def test_foreign_key_choices_autocompletes_and_filters_are_scoped(client_of, geography, two_communes):
    officer = staff("mh_staff", Role.COMMUNE_OFFICER, [geography["muong_hoong"]])
    client = client_of(officer)
    form = client.get(reverse("admin:households_household_add")).context["adminform"].form
    assert list(form.fields["commune"].queryset) == [geography["muong_hoong"]]
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "households", "model_name": "household", "field_name": "commune", "term": "ngoc"},
    ).json()
    assert found["results"] == []
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "households", "model_name": "household", "field_name": "commune", "term": ""},
    ).json()
    assert [r["text"] for r in found["results"]] == [str(geography["muong_hoong"])]
    page = client.get(reverse("admin:households_household_changelist")).content.decode()
    assert "Ngọc Linh" not in page  # not even as a filter choice


def test_the_admin_hides_citizen_ids_from_roles_that_may_not_read_them(client_of, geography, two_communes):
    officer = staff("dept_staff", Role.DEPARTMENT_OFFICER, [geography["muong_hoong"]])
    client = client_of(officer)
    person = Person.objects.get(full_name="A Thiết")
    page = client.get(reverse("admin:households_person_change", args=[person.pk])).content.decode()
    assert "062176510010" not in page
    listing = client.get(reverse("admin:households_person_changelist")).content.decode()
    assert "062176510010" not in listing and "0xx…010" in listing
    viewer = staff("viewer_staff", Role.VIEWER, [geography["muong_hoong"]])
    listing = client_of(viewer).get(reverse("admin:households_person_changelist")).content.decode()
    assert "0xx…010" not in listing


def test_a_viewer_with_admin_permissions_still_changes_nothing(client_of, geography, two_communes):
    mine, _ = two_communes
    viewer = staff("viewer_staff", Role.VIEWER, [geography["muong_hoong"]])
    client = client_of(viewer)
    url = reverse("admin:households_household_change", args=[mine.pk])
    assert client.get(url).status_code == 200  # read only
    response = client.post(url, {"code": "X", "head_name": "Đổi", "commune": mine.commune_id})
    assert response.status_code == 403
    assert Household.objects.get(pk=mine.pk).head_name == "A Thiết"
    assert client.get(reverse("admin:households_household_add")).status_code == 403


def test_only_superusers_change_roles_and_scopes(client_of, geography):
    officer = staff("dept_staff", Role.DEPARTMENT_OFFICER, [geography["muong_hoong"]])
    officer.user_permissions.add(*Permission.objects.filter(content_type__app_label="auth"))
    client = client_of(officer)
    profile = officer.profile
    url = reverse("admin:communes_profile_change", args=[profile.pk])
    response = client.post(url, {"user": officer.pk, "role": Role.DEPARTMENT_ADMIN, "all_communes": "on"})
    assert response.status_code == 403
    profile.refresh_from_db()
    assert (profile.role, profile.all_communes) == (Role.DEPARTMENT_OFFICER, False)
    assert client.get(reverse("admin:auth_user_change", args=[officer.pk])).status_code in (200, 403)
    response = client.post(reverse("admin:auth_user_change", args=[officer.pk]), {"is_superuser": "on"})
    assert response.status_code == 403
    officer.refresh_from_db()
    assert not officer.is_superuser


def test_plans_outside_the_scope_are_not_in_the_admin(client_of, geography):
    Plan.objects.create(
        commune=geography["ngoc_linh_old"], title="Kế hoạch Ngọc Linh", from_year=2022, to_year=2023
    )
    officer = staff("mh_staff", Role.COMMUNE_OFFICER, [geography["muong_hoong"]])
    listed = client_of(officer).get(reverse("admin:assistance_plan_changelist")).context["cl"].result_list
    assert list(listed) == []
    assert Commune.objects.count() == 3


def test_an_imported_change_shows_the_citizen_id_it_replaced_as_the_role_may_see_it(
    client_of, geography, two_communes
):
    from households.models import ImportChange, ImportRecord

    record = ImportRecord.objects.create(
        kind="households", commune=geography["muong_hoong"], file_name="ho.xlsx", checksum="x", size=1
    )
    change = ImportChange.objects.create(
        record=record, row=2, action="updated", model="person", object_id=1, label="A Thiết",
        before={"citizen_id": "062176510010", "full_name": "A Thiet"},
    )  # fmt: skip
    pages = {}
    for role in (Role.COMMUNE_OFFICER, Role.DEPARTMENT_OFFICER, Role.VIEWER):
        client = client_of(staff(f"staff_{role}", role, [geography["muong_hoong"]]))
        urls = [
            reverse("admin:households_importchange_change", args=[change.pk]),
            reverse("admin:households_importrecord_change", args=[record.pk]),  # its inline
        ]
        pages[role] = "".join(client.get(url).content.decode() for url in urls)
    assert "062176510010" in pages[Role.COMMUNE_OFFICER]
    masked = pages[Role.DEPARTMENT_OFFICER]
    assert "062176510010" not in masked and "0xx…010" in masked
    assert "062176510010" not in pages[Role.VIEWER] and "0xx…010" not in pages[Role.VIEWER]


def test_staff_read_only_their_own_account_and_those_within_their_communes(client_of, geography):
    """A department officer of Mường Hoong reads the accounts of Mường Hoong's staff, not those of
    Ngọc Linh nor of colleagues who see more communes than they do; who sees all communes reads all."""
    mine, theirs = geography["muong_hoong"], geography["ngoc_linh_old"]
    officer = staff("dept_mh", Role.DEPARTMENT_OFFICER, [mine])
    province_wide = staff("dept_all", Role.DEPARTMENT_OFFICER, [])
    province_wide.profile.all_communes = True
    province_wide.profile.save()
    colleague = make_user("mh_officer", Role.COMMUNE_OFFICER, communes=[mine])
    outsider = make_user("nl_officer", Role.COMMUNE_OFFICER, communes=[theirs])
    both = make_user("both_viewer", Role.VIEWER, communes=[mine, theirs])
    district = make_user("district", Role.DISTRICT_OFFICER, district=mine.district)
    superuser = make_user("root", Role.DEPARTMENT_ADMIN, superuser=True)
    everyone = {officer, province_wide, colleague, outsider, both, district, superuser}
    for user in (officer, province_wide):
        user.user_permissions.add(*Permission.objects.filter(content_type__app_label="auth"))
    expected = {officer: {officer, colleague}, province_wide: everyone, superuser: everyone}
    for reader, readable in expected.items():
        client = client_of(reader)
        profiles = client.get(reverse("admin:communes_profile_changelist")).context["cl"].result_list
        assert {profile.user for profile in profiles} == readable, reader
        users = client.get(reverse("admin:auth_user_changelist")).context["cl"].result_list
        assert set(users) == readable, reader
        for user in everyone if reader == officer else ():
            pages = [
                reverse("admin:auth_user_change", args=[user.pk]),
                reverse("admin:auth_user_history", args=[user.pk]),
                reverse("admin:communes_profile_change", args=[user.profile.pk]),
                reverse("admin:communes_profile_history", args=[user.profile.pk]),
            ]
            for page in pages:
                # An account out of scope does not exist: back to the admin's index, with a message.
                assert client.get(page).status_code == (200 if user in readable else 302), (reader, page)
        found = client.get(
            reverse("admin:autocomplete"),
            {"app_label": "assistance", "model_name": "mission", "field_name": "leader", "term": ""},
        ).json()["results"]
        assert {int(result["id"]) for result in found} == {user.pk for user in readable}, reader
