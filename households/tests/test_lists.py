"""The household list: pages in the same order as one sorted query, the category filter as the
annotated category says, and query counts that do not grow with the number of households."""

import pytest
from django.urls import reverse

from communes.models import Village
from households import pagination
from households.models import Household
from households.tests.helpers import decided_lists, make_household

pytestmark = pytest.mark.django_db


def codes_on_every_page(client, params=None):
    codes, number = [], 1
    while True:
        page = client.get(reverse("households:list"), {**(params or {}), "page": number}).context["page"]
        codes += [h.code for h in page.object_list]
        if not page.has_next():
            return codes
        number += 1


def test_pages_follow_commune_name_village_name_and_code(
    geography, client_of, department_officer, monkeypatch
):
    monkeypatch.setattr(pagination, "PAGE_SIZE", 3)
    # Both Ngọc Linh communes share their name, and their "Thôn 1": their households interleave by code.
    old, new = geography["ngoc_linh_old"], geography["ngoc_linh_new"]
    Village.objects.get_or_create(commune=new, name="Thôn 1")
    for n in range(4):
        make_household(old, f"B{n * 2}", village_name="Thôn 1")
        make_household(new, f"B{n * 2 + 1}", village_name="Thôn 1")
        make_household(old, f"C{n}", village_name="Thôn 2")
    for village_name, codes in (("Thôn 2", "ZA"), ("Làng Mới", "XY"), ("Thôn 1", "W")):
        for code in codes:
            make_household(geography["muong_hoong"], code, village_name=village_name)
    expected = [
        h.code
        for h in sorted(
            Household.objects.select_related("commune", "village"),
            key=lambda h: (h.commune.name, h.village.name, h.code, h.pk),
        )
    ]
    assert expected[:5] == ["X", "Y", "W", "A", "Z"]  # Mường Hoong: Làng Mới, Thôn 1, Thôn 2
    client = client_of(department_officer)
    assert codes_on_every_page(client) == expected
    assert codes_on_every_page(client, {"q": "b"}) == [f"B{n}" for n in range(8)]
    response = client.get(reverse("households:list"), {"page": 99})
    assert response.context["page"].number == response.context["page"].paginator.num_pages == 6


@pytest.fixture
def reviewed(geography):
    """Mường Hoong: R1 poor then near-poor, R2 poor in 2022 only, R3 never reviewed."""
    commune = geography["muong_hoong"]
    r1, r2, r3 = (make_household(commune, code) for code in ("R1", "R2", "R3"))
    decided_lists(commune, 2022, {r1: "poor", r2: "poor"})
    decided_lists(commune, 2023, {r1: "near_poor"})
    return commune


@pytest.mark.parametrize(
    "params, codes",
    [
        ({"category": "poor"}, ["R2"]),
        ({"category": "near_poor"}, ["R1"]),
        ({"category": "none"}, ["R3"]),
        ({"category": "poor", "year": 2022}, ["R1", "R2"]),
        ({"category": "none", "year": 2023}, ["R2", "R3"]),
    ],
)
def test_the_category_filter_reads_the_latest_or_that_years_category(
    reviewed, client_of, department_officer, params, codes
):
    assert codes_on_every_page(client_of(department_officer), params) == codes
    annotated = Household.objects.with_latest_category().with_category_in(2023)
    field = "year_category" if params.get("year") == 2023 else "latest_category"
    if "year" not in params or params["year"] == 2023:
        value = None if params["category"] == "none" else params["category"]
        assert sorted(annotated.filter(**{field: value}).values_list("code", flat=True)) == codes


def many_households(commune, count):
    """`count` households over two villages, decided in 2022 and 2023."""
    households = [
        make_household(commune, f"M{n:04d}", village_name="Thôn 1" if n % 2 else "Làng Mới")
        for n in range(count)
    ]
    decided_lists(commune, 2022, {h: ("poor" if n % 2 else "near_poor") for n, h in enumerate(households)})
    decided_lists(commune, 2023, {h: ("poor" if n % 3 else "average") for n, h in enumerate(households)})


# Every signed-in page: session, user, profile, and the issuing body named in the header (4); then the
# years with decisions (year choices), commune choices, households per village, commune names, village
# names (the list order) and the page's rows with their columns. The department officer sees every
# commune: no query for the scope, and the province's villages are offered once a commune is chosen.
LIST_QUERIES = 4 + 6
# A commune officer's scope (their communes, and those communes' predecessors) is read twice: once for
# the households, once for the commune choices; and their villages are offered (1).
COMMUNE_OFFICER_LIST_QUERIES = LIST_QUERIES + 5


@pytest.mark.parametrize("count", [60, 260])
@pytest.mark.parametrize(
    "params, queries",
    [
        ({}, LIST_QUERIES),
        ({"page": "last"}, LIST_QUERIES),
        # + the form reads the commune chosen, and offers its villages
        ({"commune": "muong_hoong", "q": "m00"}, LIST_QUERIES + 2),
        ({"category": "poor"}, LIST_QUERIES),
        ({"category": "average", "year": 2023, "page": 2}, LIST_QUERIES),
    ],
)
def test_the_household_list_runs_a_constant_number_of_queries(
    geography, client_of, department_officer, django_assert_num_queries, count, params, queries
):
    many_households(geography["muong_hoong"], count)
    params = {**params}
    if params.get("commune"):
        params["commune"] = geography[params["commune"]].pk
    if params.get("page") == "last":
        params["page"] = (count + 49) // 50
    client = client_of(department_officer)
    with django_assert_num_queries(queries):
        response = client.get(reverse("households:list"), params)
    assert response.context["page"].object_list


@pytest.mark.parametrize("count", [60, 260])
def test_the_commune_officers_list_runs_a_constant_number_of_queries(
    geography, client_of, muong_hoong_officer, django_assert_num_queries, count
):
    many_households(geography["muong_hoong"], count)
    client = client_of(muong_hoong_officer)
    with django_assert_num_queries(COMMUNE_OFFICER_LIST_QUERIES):
        response = client.get(reverse("households:list"), {"page": 1})
    assert len(response.context["page"].object_list) == 50


def test_the_province_s_villages_are_offered_once_a_commune_is_chosen(
    geography, client_of, department_officer, muong_hoong_officer
):
    mh = geography["muong_hoong"]
    form = client_of(department_officer).get(reverse("households:list")).context["form"]
    assert list(form.fields["village"].queryset) == []
    form = client_of(department_officer).get(reverse("households:list"), {"commune": mh.pk}).context["form"]
    assert {v.commune_id for v in form.fields["village"].queryset} == {mh.pk}
    household = make_household(mh, "V1")
    page = client_of(department_officer).get(
        reverse("households:list"), {"commune": mh.pk, "village": household.village_id}
    )
    assert [h.code for h in page.context["page"].object_list] == ["V1"]
    # A commune officer's few villages are offered at once.
    form = client_of(muong_hoong_officer).get(reverse("households:list")).context["form"]
    assert set(form.fields["village"].queryset) >= set(Village.objects.filter(commune=mh))
