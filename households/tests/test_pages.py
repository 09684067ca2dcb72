"""Household pages: scope (outsider 404, viewer 403 on writes), citizen IDs, search, survey entry."""

import pytest
from django.urls import reverse

from households.models import HouseholdReview, Member, Person, StatusApplication
from households.tests.helpers import decided_lists, make_household, make_person, open_survey
from tests.forms import posted

pytestmark = pytest.mark.django_db
FULL_ID = "062076510010"


@pytest.fixture
def household(geography):
    household = make_household(geography["muong_hoong"], "01001", head_name="A Thiết Lâm")
    person = make_person("A Thiết Lâm", birth_year=1976, sex="male", citizen_id=FULL_ID)
    Member.objects.create(household=household, person=person, relation="head")
    return household


@pytest.fixture
def review(geography, household):
    return open_survey(geography["muong_hoong"], 2022, [household]).reviews.get()


def urls_of(household, review):
    member = household.members.get()
    return {
        "read": [
            reverse("households:detail", args=[household.pk]),
            reverse("households:round", args=[review.round_id]),
            reverse("households:survey", args=[review.pk]),
            reverse("households:survey_preview", args=[review.pk]),
            reverse("households:commune_rounds", args=[household.commune_id]),
            reverse("households:commune_requests", args=[household.commune_id]),
            reverse("households:round_to_review_xlsx", args=[review.round_id]),
            reverse("households:commune_summary", args=[household.commune_id]),
        ],
        "write": [
            reverse("households:edit", args=[household.pk]),
            reverse("households:member_add", args=[household.pk]),
            reverse("households:member_edit", args=[member.pk]),
            reverse("households:member_move", args=[member.pk]),
            reverse("households:application_request", args=[household.pk]),
        ],
        "post": [
            reverse("households:household_request", args=[household.pk]),
            reverse("households:round_move", args=[review.round_id]),
            reverse("households:round_list_households", args=[review.round_id]),
            reverse("households:survey", args=[review.pk]),
        ],
    }


def test_an_officer_of_another_commune_gets_404_everywhere(
    household, review, client_of, other_commune_officer
):
    client = client_of(other_commune_officer)
    urls = urls_of(household, review)
    for url in urls["read"] + urls["write"]:
        assert client.get(url).status_code == 404, url
    for url in urls["post"]:
        assert client.post(url, {}).status_code == 404, url
    assert household not in client.get(reverse("households:list")).context["page"].object_list


def test_a_viewer_reads_but_cannot_write(household, review, client_of, viewer):
    client = client_of(viewer)
    urls = urls_of(household, review)
    for url in urls["read"]:
        assert client.get(url).status_code == 200, url
    for url in urls["write"]:
        assert client.get(url).status_code == 403, url
    for url in urls["post"]:
        assert client.post(url, {"save": "1", "monthly_income_per_person": "1"}).status_code == 403, url
    assert client.get(reverse("households:create")).status_code == 403
    review.refresh_from_db()
    assert not review.is_surveyed


def test_the_commune_officer_can_open_every_page(household, review, client_of, muong_hoong_officer):
    client = client_of(muong_hoong_officer)
    urls = urls_of(household, review)
    for url in urls["read"] + urls["write"]:
        assert client.get(url).status_code == 200, url
    for url in (
        reverse("households:list"),
        reverse("households:rounds"),
        reverse("households:summary"),
        reverse("households:applications"),
        reverse("households:application_candidates"),
        reverse("households:create"),
    ):
        assert client.get(url).status_code == 200, url


def test_a_viewer_never_sees_a_full_citizen_id(
    household, client_of, viewer, department_officer, muong_hoong_officer
):
    officer_page = client_of(department_officer).get(household.get_absolute_url()).content.decode()
    assert FULL_ID not in officer_page
    assert "0xx…010" in officer_page
    viewer_page = client_of(viewer).get(household.get_absolute_url()).content.decode()
    assert FULL_ID not in viewer_page
    assert "0xx…010" not in viewer_page  # read-only: no ID number at all, not even masked
    member = household.members.get()
    edit = (
        client_of(department_officer)
        .get(reverse("households:member_edit", args=[member.pk]))
        .content.decode()
    )
    assert FULL_ID not in edit
    assert FULL_ID in client_of(muong_hoong_officer).get(household.get_absolute_url()).content.decode()


def test_a_role_shown_id_numbers_masked_edits_a_member_without_reading_or_losing_them(
    household, client_of, department_officer
):
    """The citizen ID and the health-insurance card number: empty fields, masked help, kept if left empty."""
    card = "DK2626200012345"
    member = household.members.get()
    Person.objects.filter(pk=member.person_id).update(health_insurance_card=card)
    client = client_of(department_officer)
    url = reverse("households:member_edit", args=[member.pk])
    page = client.get(url)
    assert FULL_ID not in page.content.decode() and card not in page.content.decode()
    assert "0xx…010" in page.content.decode() and "Dxx…345" in page.content.decode()
    assert client.post(url, posted(page.context["form"], full_name="A Thiết Lâm Hai")).status_code == 302
    person = Person.objects.get(pk=member.person_id)
    assert (person.full_name, person.citizen_id, person.health_insurance_card) == (
        "A Thiết Lâm Hai",
        FULL_ID,
        card,
    )
    page = client.get(url)
    assert (
        client.post(url, posted(page.context["form"], health_insurance_card="DK2626200099999")).status_code
        == 302
    )
    assert Person.objects.get(pk=member.person_id).health_insurance_card == "DK2626200099999"


def test_search_needs_no_diacritics(household, geography, client_of, muong_hoong_officer):
    make_household(geography["muong_hoong"], "01002", head_name="A Hùng Blong")
    client = client_of(muong_hoong_officer)
    for query in ("thiet lam", "THIẾT", "01001", "Thiết Lâm"):
        found = client.get(reverse("households:list"), {"q": query}).context["page"].object_list
        assert [h.code for h in found] == ["01001"], query


def test_the_list_filters_by_category_of_a_year_and_indicator(geography, client_of, muong_hoong_officer):
    commune = geography["muong_hoong"]
    poor, near = make_household(commune, "P1"), make_household(commune, "N1", village_name="Thôn 1")
    decided_lists(commune, 2022, {poor: "poor", near: "near_poor"})
    client = client_of(muong_hoong_officer)

    def codes(**params):
        return [h.code for h in client.get(reverse("households:list"), params).context["page"].object_list]

    assert codes(year=2022, category="poor") == ["P1"]
    assert codes(year=2022, category="near_poor") == ["N1"]
    assert codes(category="poor") == ["P1"]  # latest review
    assert codes(year=2022, indicator="nutrition") == ["P1"]
    assert sorted(codes(year=2022, indicator="hygienic_latrine")) == ["N1", "P1"]
    assert codes(village=poor.village_id) == ["P1"]


def test_the_survey_form_computes_the_category_and_ignores_a_typed_one(
    review, client_of, muong_hoong_officer
):
    client = client_of(muong_hoong_officer)
    url = reverse("households:survey", args=[review.pk])
    answers = {
        "monthly_income_per_person": "1500000",
        "deprived": ["nutrition", "health_insurance", "domestic_water"],
        "computed_category": "not_poor",
        "category": "not_poor",
    }
    checked = client.post(url, {**answers, "check": "1"})
    assert checked.status_code == 200 and checked.context["result"].category == "poor"
    review.refresh_from_db()
    assert not review.is_surveyed  # checking does not save
    response = client.post(url, {**answers, "save": "1"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.computed_category, review.category) == ("poor", "poor")
    assert review.surveyed_by == muong_hoong_officer


def test_the_preview_answers_as_the_officer_ticks(review, client_of, muong_hoong_officer):
    client = client_of(muong_hoong_officer)
    url = reverse("households:survey_preview", args=[review.pk])
    page = client.get(url, {"monthly_income_per_person": "1400000", "deprived": ["nutrition"]})
    assert 'class="category category-near_poor"' in page.content.decode()
    page = client.get(url, {"monthly_income_per_person": "-5"})
    assert "category-" not in page.content.decode()


def test_a_decided_round_shows_no_form(review, client_of, muong_hoong_officer):
    from households.tests.helpers import decide, survey_as

    survey_as(review, "poor")
    decide(review.round)
    client = client_of(muong_hoong_officer)
    page = client.get(reverse("households:survey", args=[review.pk]))
    assert page.context["editable"] is False and page.context["final_editable"] is False
    round_page = client.get(reverse("households:round", args=[review.round_id]))
    assert [m.value for m in round_page.context["moves"]] == ["reported"]
    client.post(
        reverse("households:survey", args=[review.pk]), {"save": "1", "monthly_income_per_person": "9000000"}
    )
    assert HouseholdReview.objects.get(pk=review.pk).category == "poor"


def test_creating_a_household_and_a_member_and_moving_them(geography, client_of, muong_hoong_officer):
    from communes.models import Village

    client = client_of(muong_hoong_officer)
    village = Village.objects.get(commune=geography["ngoc_linh_new"], name="Làng Mới")
    # The Mường Hoong officer also works on the commune it was merged into? No: only on Mường Hoong.
    response = client.post(
        reverse("households:create"),
        {"village": village.pk, "code": "Z1", "head_name": "A Lâm", "main_livelihood": "agriculture"},
    )
    assert response.status_code == 200 and "village" in response.context["form"].errors


@pytest.mark.parametrize("year", ["0", "99999", "abc", "-1", "99999999999999999999999999999"])
def test_the_application_list_ignores_years_out_of_range(client_of, department_officer, year):
    response = client_of(department_officer).get(reverse("households:applications"), {"year": year})
    assert response.status_code == 200


def test_a_farm_household_request_is_assessed_only_under_a_standard_with_an_average_band(
    geography, client_of, muong_hoong_officer
):
    """Decree 07/2021 sets the band of average living standard; Decree 351/2025 (from 2027) does not."""
    household = make_household(geography["muong_hoong"], "F1", main_livelihood="agriculture")
    client = client_of(muong_hoong_officer)
    url = reverse("households:application_request", args=[household.pk])
    # 2.000.000 đ a person a month
    request = {"kind": "farm_household", "income_12_months": 96_000_000, "member_count": 4}
    response = client.post(url, {**request, "requested_on": "01/03/2027"})
    assert response.status_code == 200 and not StatusApplication.objects.exists()
    assert "không có khoảng mức sống trung bình" in response.content.decode()
    assert client.post(url, {**request, "requested_on": "01/03/2026"}).status_code == 302
    assert StatusApplication.objects.get().eligible


def test_a_code_taken_between_the_forms_check_and_its_save_is_said_on_the_form(
    geography, client_of, monkeypatch
):
    """An import or another page gives the code to a household meanwhile: the form says so, no 500."""
    from communes.models import Role, Village
    from households.forms import HouseholdForm
    from tests.fixtures import make_user

    commune = geography["ngoc_linh_new"]
    officer = make_user("nl_new", Role.COMMUNE_OFFICER, communes=[commune])
    checked = HouseholdForm.is_valid

    def checked_then_taken(form):
        valid = checked(form)
        make_household(commune, "Z1", head_name="A Khác")
        return valid

    monkeypatch.setattr(HouseholdForm, "is_valid", checked_then_taken)
    village = Village.objects.get(commune=commune, name="Làng Mới")
    response = client_of(officer).post(
        reverse("households:create"),
        {
            "village": village.pk,
            "code": "Z1",
            "head_name": "A Lâm",
            "main_livelihood": "agriculture",
            "area_type": "rural",
        },  # fmt: skip
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("code") == ["Đã có hộ khác của xã mang mã này."]
    assert list(commune.households.filter(code="Z1").values_list("head_name", flat=True)) == ["A Khác"]
