"""Who changed a household, its members and reviews, when and how; and the household on a past date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from communes.models import Role
from households.models import Household, Member, Person
from households.tests.helpers import make_household, make_person, writer
from tests.fixtures import make_user
from tests.forms import posted

FULL_ID = "062176510010"


@pytest.fixture
def household(geography):
    made = make_household(geography["muong_hoong"], "01001", head_name="A Thiết")
    person = make_person("A Thiết", birth_year=1976, sex="male", citizen_id=FULL_ID)
    Member.objects.create(household=made, person=person, relation="head", joined_on=datetime.date(2020, 1, 1))
    return made


def edit(client, household, **changes):
    url = reverse("households:edit", args=[household.pk])
    return client.post(url, posted(client.get(url).context["form"], **changes))


def test_the_history_shows_who_changed_what_old_and_new(client_of, muong_hoong_officer, household):
    muong_hoong_officer.first_name = "A Dũng"
    muong_hoong_officer.save()
    client = client_of(muong_hoong_officer)
    assert edit(client, household, head_name="A Thiết Lâm", address="Thôn 1").status_code == 302

    page = client.get(reverse("households:history", args=[household.pk]))
    assert page.status_code == 200
    latest = page.context["entries"][0]
    assert latest.who == "A Dũng"
    assert [(c.label, c.old, c.new) for c in latest.changes] == [
        ("Chủ hộ", "A Thiết", "A Thiết Lâm"),
        ("Địa chỉ", "—", "Thôn 1"),
    ]
    html = page.content.decode()
    assert "A Thiết → A Thiết Lâm" in html and "A Dũng" in html


def test_citizen_id_changes_are_shown_as_the_role_may_see_them(
    client_of, muong_hoong_officer, department_officer, viewer, household
):
    person = Person.objects.get()
    person.citizen_id = "062176510011"
    person.save()
    url = reverse("households:history", args=[household.pk])
    assert FULL_ID in client_of(muong_hoong_officer).get(url).content.decode()
    officer_page = client_of(department_officer).get(url).content.decode()
    assert FULL_ID not in officer_page and "0xx…010" in officer_page
    viewer_page = client_of(viewer).get(url).content.decode()
    assert FULL_ID not in viewer_page and "0xx…010" not in viewer_page


def test_history_and_as_of_are_not_shown_outside_the_users_communes(
    client_of, other_commune_officer, household
):
    client = client_of(other_commune_officer)
    assert client.get(reverse("households:history", args=[household.pk])).status_code == 404
    assert client.get(reverse("households:as_of", args=[household.pk])).status_code == 404


def _dated(history, when):
    history.update(history_date=timezone.make_aware(datetime.datetime.combine(when, datetime.time(9))))


def test_the_household_as_of_a_past_date_has_its_members_and_categories_of_then(
    client_of, muong_hoong_officer, household
):
    _dated(Household.history.all(), datetime.date(2022, 1, 10))
    _dated(Member.history.all(), datetime.date(2022, 1, 10))
    _dated(Person.history.all(), datetime.date(2022, 1, 10))
    household.head_name = "A Thiết Lâm"
    household.save()
    _dated(Household.history.filter(head_name="A Thiết Lâm"), datetime.date(2023, 3, 1))
    newborn = make_person("Y Pưa", birth_year=2023)
    Member.objects.create(
        household=household, person=newborn, relation="child", joined_on=datetime.date(2023, 2, 1)
    )
    _dated(Member.history.filter(person=newborn), datetime.date(2023, 3, 1))
    _dated(Person.history.filter(id=newborn.pk), datetime.date(2023, 3, 1))

    client = client_of(muong_hoong_officer)
    url = reverse("households:as_of", args=[household.pk])
    then = client.get(url, {"on": "31/12/2022"})
    assert then.context["past"].head_name == "A Thiết"
    assert [row["person"].full_name for row in then.context["current_members"]] == ["A Thiết"]
    later = client.get(url, {"on": "01/03/2023"})
    assert later.context["past"].head_name == "A Thiết Lâm"
    assert [row["person"].full_name for row in later.context["current_members"]] == ["A Thiết", "Y Pưa"]
    before = client.get(url, {"on": "01/01/2021"})
    assert before.context["past"] is None
    assert before.context["recorded_since"].date() == datetime.date(2022, 1, 10)


def test_the_history_page_runs_a_fixed_number_of_queries(
    client_of, muong_hoong_officer, household, django_assert_max_num_queries
):
    client = client_of(muong_hoong_officer)
    url = reverse("households:history", args=[household.pk])
    # session + user + profile + scope (3) + household + the four histories + member person ids + names
    # + rounds + related names (villages, communes, persons): about 20, whatever the number of changes.
    with django_assert_max_num_queries(25):
        client.get(url)
    for n in range(10):
        edit(client, household, head_name=f"A Thiết {n}")
        Member.objects.create(
            household=household, person=make_person(f"Y {n}", birth_year=2000 + n), relation="child"
        )
    with django_assert_max_num_queries(25):
        client.get(url)


def test_the_household_edit_form_refuses_a_save_over_a_newer_one(client_of, muong_hoong_officer, household):
    client = client_of(muong_hoong_officer)
    url = reverse("households:edit", args=[household.pk])
    mine = posted(client.get(url).context["form"], head_name="A Thiết (mine)")
    household.address = "Thôn 3 (theirs)"
    household.save()

    response = client.post(url, mine)
    assert response.status_code == 200
    changes = [(str(label), old, new) for label, old, new in response.context["form"].changes_since_opened]
    assert changes == [("Địa chỉ", "—", "Thôn 3 (theirs)")]
    assert 'value="A Thiết (mine)"' in response.content.decode()
    household.refresh_from_db()
    assert household.head_name == "A Thiết"
    # Saving again, having seen the change, goes through.
    again = posted(response.context["form"], head_name="A Thiết (mine)")
    assert client.post(url, again).status_code == 302


def test_the_member_form_never_carries_the_citizen_id_in_its_lock_token(
    client_of, department_officer, muong_hoong_officer, household
):
    member = Member.objects.get()
    url = reverse("households:member_edit", args=[member.pk])
    for user in (department_officer, muong_hoong_officer):
        form = client_of(user).get(url).context["form"]
        from django.core import signing

        token = signing.loads(form.initial["opened_as"], salt="core.forms.optimistic-lock")
        assert FULL_ID not in str(token)


def test_a_stale_member_edit_shows_the_new_citizen_id_masked_to_who_may_not_read_it(
    client_of, department_officer, household
):
    member = Member.objects.get()
    client = client_of(department_officer)
    url = reverse("households:member_edit", args=[member.pk])
    mine = posted(client.get(url).context["form"], full_name="A Thiết (mine)", relation="head")
    person = member.person
    person.citizen_id = "062176510011"
    person.save()
    response = client.post(url, mine)
    assert response.status_code == 200
    page = response.content.decode()
    assert "062176510011" not in page and "0xx…011" in page


def test_bulk_listing_households_for_a_round_records_their_history(geography, household):
    from households import services
    from households.models import HouseholdReview

    review_round = services.open_round(
        commune=geography["muong_hoong"], year=2024, by=writer(), on=datetime.date(2024, 9, 1)
    )
    services.list_households(review_round=review_round, every_household=True, by=writer())
    assert HouseholdReview.history.filter(household_id=household.pk, history_type="+").count() == 1


def test_a_viewer_reads_the_history(client_of, geography, household):
    viewer = make_user("mh_viewer", Role.VIEWER, communes=[geography["muong_hoong"]])
    assert client_of(viewer).get(reverse("households:history", args=[household.pk])).status_code == 200
