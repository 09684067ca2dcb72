"""Summaries of the review against a small commune computed by hand, transitions of each kind, and
query counts that do not grow with the number of households."""

from decimal import Decimal

import pytest
from django.urls import reverse

from households import poverty, summaries
from households.models import Household
from households.tests.helpers import decided_lists, make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_commune(geography):
    """Mường Hoong with five households in two villages, reviewed in 2022 and 2023.

    household  village   2022       2023       transition
    H1         Làng Mới  poor       poor       unchanged
    H2         Làng Mới  poor       near_poor  poor → near-poor
    H3         Làng Mới  —          —          (not reviewed: counts in the denominator only)
    H4         Thôn 1    near_poor  poor       near-poor → poor
    H5         Thôn 1    average    average    unchanged
    """
    commune = geography["muong_hoong"]
    h1, h2, h3 = (make_household(commune, code) for code in ("H1", "H2", "H3"))
    h4, h5 = (make_household(commune, code, village_name="Thôn 1") for code in ("H4", "H5"))
    decided_lists(commune, 2022, {h1: "poor", h2: "poor", h4: "near_poor", h5: "average"})
    decided_lists(commune, 2023, {h1: "poor", h2: "near_poor", h4: "poor", h5: "average"})
    return commune


def test_commune_figures_match_the_hand_computed_ones(small_commune):
    households = Household.objects.filter(commune=small_commune)
    figures = summaries.figures_by(households, 2023)[()]
    assert (figures.households, figures.poor, figures.near_poor, figures.average, figures.not_reviewed) == (
        5,
        2,
        1,
        1,
        1,
    )
    assert figures.poor_rate == Decimal("40.0")  # 2 / 5
    assert figures.near_poor_rate == Decimal("20.0")  # 1 / 5
    assert figures.previous.poor == 2 and figures.previous.near_poor == 1
    assert figures.poor_rate_change == Decimal("0.0")  # 2/5 → 2/5
    assert figures.near_poor_rate_change == Decimal("0.0")
    assert figures.transitions == {
        poverty.NEWLY_POOR: 0,
        poverty.RE_POOR: 0,
        poverty.ESCAPED_POVERTY: 0,
        poverty.POOR_TO_NEAR_POOR: 1,
        poverty.NEAR_POOR_TO_POOR: 1,
        poverty.ESCAPED_NEAR_POVERTY: 0,
        poverty.NEWLY_NEAR_POOR: 0,
    }


def test_village_figures_and_indicator_counts(small_commune):
    households = Household.objects.filter(commune=small_commune)
    by_village = {
        village.name: figures
        for (pk,), figures in summaries.figures_by(households, 2023, ("village",)).items()
        for village in [small_commune.villages.get(pk=pk)]
    }
    assert (
        by_village["Làng Mới"].households,
        by_village["Làng Mới"].poor,
        by_village["Làng Mới"].near_poor,
    ) == (3, 1, 1)
    assert by_village["Làng Mới"].poor_rate == Decimal("33.3")
    assert (by_village["Thôn 1"].households, by_village["Thôn 1"].poor) == (2, 1)
    assert by_village["Thôn 1"].poor_rate == Decimal("50.0")
    # Poor answers: health_insurance, hygienic_latrine, nutrition; near-poor: hygienic_latrine.
    assert summaries.indicator_counts(households, 2023)[()] == {
        "health_insurance": {"poor": 2},
        "nutrition": {"poor": 2},
        "hygienic_latrine": {"poor": 2, "near_poor": 1},
    }
    # As the official table: among the 2 poor and among the 1 near-poor households, with the shares.
    rows = {row.indicator.key: row for row in summaries.summary(2023, commune=small_commune).indicators}
    latrine, nutrition, water = rows["hygienic_latrine"], rows["nutrition"], rows["domestic_water"]
    assert (latrine.poor, latrine.poor_rate, latrine.near_poor, latrine.near_poor_rate) == (
        2,
        Decimal("100.0"),
        1,
        Decimal("100.0"),
    )
    assert (nutrition.poor, nutrition.near_poor, nutrition.near_poor_rate) == (2, 0, Decimal("0.0"))
    assert (water.poor, water.poor_rate) == (0, Decimal("0.0"))


def test_the_first_year_has_no_change(small_commune):
    figures = summaries.figures_by(Household.objects.filter(commune=small_commune), 2022)[()]
    assert figures.previous.reviewed == 0
    assert figures.poor_rate_change is None and figures.near_poor_rate_change is None


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        ("not_poor", "poor", poverty.NEWLY_POOR),
        ("poor", "average", poverty.ESCAPED_POVERTY),
        ("poor", "near_poor", poverty.POOR_TO_NEAR_POOR),
        ("near_poor", "poor", poverty.NEAR_POOR_TO_POOR),
        ("near_poor", "not_poor", poverty.ESCAPED_NEAR_POVERTY),
        ("average", "near_poor", poverty.NEWLY_NEAR_POOR),
        ("poor", "poor", poverty.UNCHANGED),
    ],
)
def test_each_transition_is_counted_and_shown_on_the_household_page(
    geography, client_of, muong_hoong_officer, before, after, kind
):
    commune = geography["muong_hoong"]
    household = make_household(commune, "T1")
    decided_lists(commune, 2022, {household: before})
    decided_lists(commune, 2023, {household: after})
    figures = summaries.figures_by(Household.objects.filter(commune=commune), 2023)[()]
    expected = {k: int(k == kind) for k in summaries.COUNTED_TRANSITIONS}
    assert figures.transitions == expected
    from django.utils import translation

    from households.poverty import TRANSITION_LABELS

    page = client_of(muong_hoong_officer).get(household.get_absolute_url())
    with translation.override("vi"):
        assert str(TRANSITION_LABELS[kind]) in page.content.decode()


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (("poor", "average", "poor"), poverty.RE_POOR),  # escaped, then poor again: re-poverty
        (("poor", "near_poor", "poor"), poverty.NEAR_POOR_TO_POOR),
        (("near_poor", "average", "poor"), poverty.NEWLY_POOR),  # never poor before
        (("not_poor", "not_poor", "poor"), poverty.NEWLY_POOR),
    ],
)
def test_a_household_poor_again_after_escaping_is_counted_as_re_poverty(
    geography, client_of, muong_hoong_officer, path, kind
):
    commune = geography["muong_hoong"]
    household = make_household(commune, "T1")
    for list_year, category in zip((2022, 2023, 2024), path, strict=True):
        decided_lists(commune, list_year, {household: category})
    figures = summaries.figures_by(Household.objects.filter(commune=commune), 2024)[()]
    assert figures.transitions == {k: int(k == kind) for k in summaries.COUNTED_TRANSITIONS}
    from django.utils import translation

    from households.poverty import TRANSITION_LABELS

    page = client_of(muong_hoong_officer).get(household.get_absolute_url())
    with translation.override("vi"):
        assert str(TRANSITION_LABELS[kind]) in page.content.decode()


def test_summary_pages_show_the_figures(small_commune, client_of, department_officer):
    client = client_of(department_officer)
    page = client.get(reverse("households:commune_summary", args=[small_commune.pk]), {"year": 2023})
    assert page.status_code == 200
    assert page.context["total"].poor == 2
    assert "40,0 %" in page.content.decode()
    area = client.get(reverse("households:summary"), {"year": 2023})
    assert area.status_code == 200
    assert [(p.name, f.poor) for p, f in area.context["provinces"]] == [("Kon Tum", 2)]
    assert [(d.name, f.households) for d, f in area.context["districts"]] == [("Đắk Glei", 5)]
    today_units = area.context["today_units"]
    assert [(e["unit"].code, e["figures"].poor, [c.name for c in e["from"]]) for e in today_units] == [
        ("23300", 2, ["Mường Hoong"])
    ]


def _many_households(commune, count):
    """`count` households, all decided poor or near-poor in 2022 and 2023."""
    households = [make_household(commune, f"M{n:04d}") for n in range(count)]
    decided_lists(commune, 2022, {h: ("poor" if n % 2 else "near_poor") for n, h in enumerate(households)})
    decided_lists(commune, 2023, {h: ("poor" if n % 3 else "average") for n, h in enumerate(households)})


# Every signed-in page: session, user, profile, and the issuing body named in the header (4). The
# department officer sees every commune, so no query for the scope (a commune officer adds 2–3).
PAGE = 4
# + years with decisions (year choices), commune choices, households per village, commune and village
# names (the list order), the page's rows (see test_lists).
LIST_QUERIES = PAGE + 6
# + the commune, years, this and last year by village (1; the total is their sum), the village names,
# the indicator counts, the poor and near-poor households by group (table d) and by cause (table f).
COMMUNE_SUMMARY_QUERIES = PAGE + 7
# + years, this and last year by commune (1; districts, provinces and the total are sums of
# communes), communes with their district, province and two levels of successors (3).
AREA_SUMMARY_QUERIES = PAGE + 5


@pytest.mark.parametrize("count", [10, 200])
def test_the_household_list_runs_a_constant_number_of_queries(
    geography, client_of, department_officer, django_assert_num_queries, count
):
    _many_households(geography["muong_hoong"], count)
    client = client_of(department_officer)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("households:list"), {"year": 2023, "category": "poor"})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 200])
def test_the_summary_pages_run_a_constant_number_of_queries(
    geography, client_of, department_officer, django_assert_num_queries, count
):
    commune = geography["muong_hoong"]
    _many_households(commune, count)
    client = client_of(department_officer)
    with django_assert_num_queries(COMMUNE_SUMMARY_QUERIES):
        response = client.get(reverse("households:commune_summary", args=[commune.pk]), {"year": 2023})
    assert response.context["total"].households == count
    with django_assert_num_queries(AREA_SUMMARY_QUERIES):
        response = client.get(reverse("households:summary"), {"year": 2023})
    assert response.context["total"].households == count
