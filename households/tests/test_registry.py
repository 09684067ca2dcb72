"""The household register: validation of households and members, and moves that keep history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from communes.models import Commune, today
from households import services
from households.forms import HouseholdForm, PersonForm
from households.models import Household, Member, Person
from households.tests.helpers import make_household, make_person, village, writer
from tests.forms import posted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.mark.parametrize(
    ("citizen_id", "message"),
    [
        ("06207651001", "12 digits"),
        ("0620765100100", "12 digits"),
        ("06207651001a", "12 digits"),
        ("099076510010", "province"),
        ("062086510010", "born in 1986"),
        ("062176510010", "sex"),
    ],
)
def test_a_wrong_citizen_id_is_refused(geography, citizen_id, message):
    person = make_person("A Thiết", birth_year=1976, sex="male")
    person.citizen_id = citizen_id
    with pytest.raises(ValidationError, match=message):
        person.full_clean()


def test_a_citizen_id_with_spaces_is_normalised(geography):
    form = PersonForm(
        data={
            "full_name": "  A   Thiết  Lâm ",
            "sex": "male",
            "birth_year": 1976,
            "citizen_id": "062 076 510 010",
            "school": "n/a",
            "employment": "self_employed",
            "relation": "head",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["citizen_id"] == "062076510010"
    assert form.cleaned_data["full_name"] == "A Thiết Lâm"


def test_a_year_of_birth_in_the_future_is_refused(geography):
    person = make_person()
    person.birth_year = today().year + 1
    with pytest.raises(ValidationError, match="future"):
        person.full_clean()


def test_two_people_cannot_share_a_citizen_id(geography):
    make_person("Y Lệ", birth_year=1979, citizen_id="062179510011")
    twin = Person(full_name="Y Khác", birth_year=1979, sex="female", citizen_id="062179510011")
    with pytest.raises(ValidationError, match="citizen ID"):
        services.add_member(
            household=make_household(geography["muong_hoong"], "X1"),
            person=twin,
            relation="head",
            by=writer(),
        )


def test_a_person_cannot_live_in_two_households(geography):
    commune = geography["muong_hoong"]
    first, second = make_household(commune, "A1"), make_household(commune, "A2")
    person = make_person()
    Member.objects.create(household=first, person=person, relation="head")
    member = Member(household=second, person=person, relation="spouse")
    with pytest.raises(ValidationError, match="already lives in household"):
        member.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        member.save()


def test_moving_a_member_keeps_their_history(geography):
    commune = geography["muong_hoong"]
    first, second = make_household(commune, "B1"), make_household(commune, "B2")
    person = make_person()
    member = Member.objects.create(
        household=first, person=person, relation="child", joined_on=datetime.date(2000, 1, 1)
    )
    moved = services.move_member(
        member=member, to_household=second, on=datetime.date(2023, 3, 1), relation="spouse", by=writer()
    )
    member.refresh_from_db()
    assert member.left_on == datetime.date(2023, 3, 1)
    assert moved.household == second and moved.joined_on == datetime.date(2023, 3, 1)
    assert list(person.memberships.order_by("joined_on").values_list("household__code", flat=True)) == [
        "B1",
        "B2",
    ]
    assert list(Member.objects.on(datetime.date(2022, 6, 1)).filter(person=person)) == [member]
    assert list(Member.objects.on(datetime.date(2023, 6, 1)).filter(person=person)) == [moved]


def test_a_move_before_joining_or_into_the_same_household_is_refused(geography):
    commune = geography["muong_hoong"]
    first, second = make_household(commune, "C1"), make_household(commune, "C2")
    member = Member.objects.create(
        household=first, person=make_person(), relation="child", joined_on=datetime.date(2020, 1, 1)
    )
    with pytest.raises(ValidationError, match="after the person joined"):
        services.move_member(
            member=member, to_household=second, on=datetime.date(2019, 1, 1), relation="other", by=writer()
        )
    with pytest.raises(ValidationError, match="already lives"):
        services.move_member(
            member=member, to_household=first, on=datetime.date(2021, 1, 1), relation="other", by=writer()
        )


def test_a_household_takes_its_commune_from_the_village_and_its_code_is_unique_there(geography):
    commune = geography["ngoc_linh_new"]  # new households go into today's communes
    make_household(commune, "D1")
    data = {
        "village": village(commune).pk,
        "code": "D1",
        "head_name": "A Lâm",
        "main_livelihood": "agriculture",
    }
    form = HouseholdForm(data=data, communes=Commune.objects.all())
    assert not form.is_valid()
    assert "code" in form.errors
    form = HouseholdForm(data={**data, "code": "D2"}, communes=Commune.objects.all())
    assert form.is_valid(), form.errors
    household = form.save()
    assert household.commune == commune
    assert household.area_type == "rural"


def test_a_household_cannot_end_before_it_was_registered(geography):
    household = Household(
        commune=geography["muong_hoong"],
        village=village(geography["muong_hoong"]),
        code="E1",
        head_name="A Lâm",
        registered_on=datetime.date(2022, 1, 1),
        ended_on=datetime.date(2021, 1, 1),
    )
    with pytest.raises(ValidationError, match="after the registration"):
        household.full_clean()


def test_a_village_of_another_commune_is_refused(geography):
    household = Household(
        commune=geography["muong_hoong"],
        village=village(geography["ngoc_linh_old"], "Thôn 1"),
        code="F1",
        head_name="A Lâm",
    )
    with pytest.raises(ValidationError, match="not in the household's commune"):
        household.full_clean()


def test_a_member_edit_whose_membership_is_refused_leaves_the_person_unchanged(
    geography, client_of, muong_hoong_officer
):
    person = make_person("Y Nhung")
    member = Member.objects.create(
        household=make_household(geography["muong_hoong"], "E1"),
        person=person,
        relation="child",
        joined_on=datetime.date(2010, 1, 1),
        left_on=datetime.date(2020, 1, 1),
    )
    client = client_of(muong_hoong_officer)
    url = reverse("households:member_edit", args=[member.pk])
    # Joining after leaving breaks the membership's dates: neither the person nor the membership is saved.
    data = posted(client.get(url).context["form"], full_name="Y Nhung Mới", joined_on="01/01/2021")
    assert client.post(url, data).status_code == 200
    person.refresh_from_db()
    member.refresh_from_db()
    assert person.full_name == "Y Nhung" and member.joined_on == datetime.date(2010, 1, 1)


def test_the_household_services_refuse_an_actor_who_may_not_write(geography, viewer):
    household = make_household(geography["muong_hoong"], "F1")
    member = Member.objects.create(household=household, person=make_person(), relation="head")
    with pytest.raises(PermissionDenied):
        services.edit_member(member=member, person=member.person, relation="head", joined_on=None, by=viewer)
    with pytest.raises(PermissionDenied):
        services.end_membership(member=member, on=today(), by=viewer)
    with pytest.raises(PermissionDenied):
        services.add_member(
            household=household, person=Person(full_name="Y Lan", birth_year=2000), relation="child", by=None
        )
    assert Member.objects.current().filter(household=household).count() == 1
