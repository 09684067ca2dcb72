"""The merger of Mường Hoong and Ngọc Linh into Xã Ngọc Linh, on the register: households carried over."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from communes import demo as communes_demo
from communes.demo import MERGER_DATE
from communes.models import Commune, Role
from households import poverty, recognition, services, summaries
from households.merger_services import carry_households_over
from households.models import Certificate, Household, HouseholdReview, Member, ReviewRound, StatusApplication
from households.models.requests import households_to_review
from households.tests.helpers import decide as decide_round
from households.tests.helpers import (
    decided_lists,
    make_household,
    make_person,
    survey_as,
    writer,
)
from households.tests.test_lists import LIST_QUERIES
from households.tests.test_query_counts import ROUND_QUERIES
from tests.fixtures import demo_for_the_module, make_user

pytestmark = pytest.mark.django_db
State = ReviewRound.State
DAY_BEFORE = MERGER_DATE - datetime.timedelta(days=1)


@pytest.fixture
def old_households(geography):
    """Two households in each old commune (the same codes in both), with a head and a child; the lists
    of 2025 decided in late 2024: 01 poor, 02 near-poor."""
    households = []
    for commune in (geography["muong_hoong"], geography["ngoc_linh_old"]):
        village = "Làng Mới" if commune == geography["muong_hoong"] else "Thôn 1"
        address = f"{village}, xã {commune.name}"
        pair = [make_household(commune, code, village_name=village, address=address) for code in ("01", "02")]
        for household in pair:
            for relation, name in (("head", household.head_name), ("child", "Y Nhung")):
                Member.objects.create(
                    household=household,
                    person=make_person(name, birth_year=1990 if relation == "head" else 2015),
                    relation=relation,
                    joined_on=datetime.date(2020, 1, 1),
                )
        decided_lists(commune, 2025, {pair[0]: poverty.POOR, pair[1]: poverty.NEAR_POOR})
        households.extend(pair)
    return households


def carry(geography, **kwargs):
    return carry_households_over(commune=geography["ngoc_linh_new"], by=writer(), **kwargs)


def test_carry_over_keeps_the_counts_and_moves_the_members(geography, old_households):
    carried = carry(geography)

    assert (carried.households, carried.members) == (4, 8)
    new = Household.objects.filter(commune=geography["ngoc_linh_new"]).order_by("code")
    assert [h.code for h in new] == ["23305-01", "23305-02", "23308-01", "23308-02"]
    for household in new:
        old = household.carried_from
        assert household.head_name == old.head_name
        assert household.address == f"{old.village.name}, xã Ngọc Linh"
        assert household.registered_on == MERGER_DATE and old.ended_on == MERGER_DATE
        assert household.village.predecessors.get() == old.village
        assert sorted(household.members.current().values_list("person", "relation")) == sorted(
            old.members.values_list("person", "relation")
        )
        # Members' periods stay true: in the old household until the day before, in the new from the date.
        assert set(old.members.values_list("left_on", flat=True)) == {MERGER_DATE}
        assert set(household.members.values_list("joined_on", flat=True)) == {MERGER_DATE}
    assert not Household.objects.filter(commune=geography["ngoc_linh_new"]).existing_in(2024).exists()
    assert Household.objects.filter(commune=geography["muong_hoong"]).existing_in(2024).count() == 2
    assert Member.objects.on(DAY_BEFORE).filter(household__commune=geography["muong_hoong"]).count() == 4


def test_carrying_over_twice_carries_nothing_twice(geography, old_households):
    carry(geography)

    again = carry(geography)

    assert (again.households, again.members) == (0, 0)
    assert Household.objects.filter(commune=geography["ngoc_linh_new"]).count() == 4


def test_a_commune_without_predecessors_is_refused_in_vietnamese(geography):
    with pytest.raises(ValidationError) as error:
        carry_households_over(commune=geography["muong_hoong"], by=writer())

    assert error.value.code == "no_predecessors"
    assert "không có xã trước sáp nhập" in error.value.messages[0]


def test_a_viewer_cannot_carry_households_over(geography, viewer):
    with pytest.raises(PermissionDenied):
        carry_households_over(commune=geography["ngoc_linh_new"], by=viewer)


def test_old_rounds_and_lists_stay_as_they_were(geography, old_households):
    before = list(
        HouseholdReview.objects.order_by("pk").values_list("pk", "household", "category", "counting_year")
    )
    rounds = list(ReviewRound.objects.order_by("pk").values_list("pk", "commune", "state", "decision_number"))

    carry(geography)

    assert (
        list(
            HouseholdReview.objects.order_by("pk").values_list("pk", "household", "category", "counting_year")
        )
        == before
    )
    assert (
        list(ReviewRound.objects.order_by("pk").values_list("pk", "commune", "state", "decision_number"))
        == rounds
    )
    old = Household.objects.filter(commune=geography["muong_hoong"]).with_category_in(2025).order_by("code")
    assert [h.year_category for h in old] == [poverty.POOR, poverty.NEAR_POOR]


def test_the_previous_category_follows_the_link(geography, old_households):
    carry(geography)
    new = Household.objects.filter(commune=geography["ngoc_linh_new"])

    in_2025 = dict(new.with_category_in(2025).values_list("code", "year_category"))
    assert in_2025 == {
        "23305-01": poverty.POOR,
        "23305-02": poverty.NEAR_POOR,
        "23308-01": poverty.POOR,
        "23308-02": poverty.NEAR_POOR,
    }
    assert set(new.in_category(poverty.POOR, 2025).values_list("code", flat=True)) == {"23305-01", "23308-01"}
    assert set(new.in_category(poverty.NEAR_POOR).values_list("code", flat=True)) == {"23305-02", "23308-02"}
    assert not new.in_category("none", 2025).exists()
    assert set(new.with_latest_category().values_list("latest_category", flat=True)) == {
        poverty.POOR,
        poverty.NEAR_POOR,
    }


def test_a_years_figures_move_to_the_merged_commune_that_holds_its_households_at_year_end(
    geography, old_households
):
    carry(geography)
    old = Household.objects.filter(commune=geography["muong_hoong"])
    new = Household.objects.filter(commune=geography["ngoc_linh_new"])

    assert summaries.years_with_decisions(old) == []  # the lists of 2025 count where the households are
    assert summaries.years_with_decisions(new) == [2025]
    figures = summaries.figures_by(new, 2025)[()]
    assert (figures.households, figures.poor, figures.near_poor) == (4, 2, 2)
    assert not summaries.figures_by(old, 2025)


def test_the_merged_communes_first_review_starts_from_the_old_lists(geography, old_households):
    carry(geography)
    commune = geography["ngoc_linh_new"]
    by = writer()
    review_round = services.open_round(commune=commune, year=2025, by=by, on=datetime.date(2025, 9, 1))

    assert households_to_review(review_round).count() == 4  # Appendix I: the poor and near-poor of 2025
    assert services.list_households(review_round=review_round, by=by) == 4
    services.move_round(
        review_round=review_round, to_state=State.SURVEY, by=by, on=datetime.date(2025, 9, 10)
    )
    review_round.refresh_from_db()
    for review in review_round.reviews.select_related("household"):
        old_category = HouseholdReview.objects.get(household=review.household.carried_from).category
        survey_as(review, poverty.POOR if old_category == poverty.NEAR_POOR else poverty.NOT_POOR)
    decide_round(review_round)

    lists = {entry.key: len(entry.reviews) for entry in recognition.recognition_lists(review_round)}
    assert lists == {
        poverty.POOR_AND_NEAR_POOR_LIST: 2,
        poverty.ESCAPED_POVERTY_LIST: 2,
        poverty.ESCAPED_NEAR_POVERTY_LIST: 0,
    }


def test_the_command_prints_a_summary_and_its_dry_run_changes_nothing(geography, old_households):
    output = io.StringIO()
    call_command(
        "carry_households_over", "--commune", "23300", "--user", writer().username, "--dry-run", stdout=output
    )

    assert "4 households and 8 members" in output.getvalue()
    assert not Household.objects.filter(commune=geography["ngoc_linh_new"]).exists()
    assert Household.objects.filter(ended_on__isnull=True).count() == 4

    call_command(
        "carry_households_over",
        "--commune",
        "23300",
        "--user",
        writer().username,
        "--on",
        "2025-07-01",
        stdout=output,
    )
    assert Household.objects.filter(commune=geography["ngoc_linh_new"]).count() == 4


def test_the_command_refuses_a_commune_without_predecessors(geography):
    with pytest.raises(CommandError, match="không có xã trước sáp nhập"):
        call_command("carry_households_over", "--commune", "23305", "--user", writer().username)


def test_the_household_pages_link_the_old_and_the_new_record(geography, old_households, client_of):
    carry(geography)
    new = Household.objects.get(code="23305-01")
    old = new.carried_from
    new_officer = make_user("xnl_officer", Role.COMMUNE_OFFICER, communes=[geography["ngoc_linh_new"]])

    page = client_of(new_officer).get(new.get_absolute_url()).content.decode()
    assert reverse("households:detail", args=[old.pk]) in page
    page = client_of(new_officer).get(old.get_absolute_url()).content.decode()
    assert new.get_absolute_url() in page


def test_a_viewer_sees_the_carried_household_and_cannot_edit_it(geography, old_households, client_of, viewer):
    carry(geography)
    new = Household.objects.get(code="23305-01")

    assert client_of(viewer).get(new.get_absolute_url()).status_code == 200
    assert client_of(viewer).get(reverse("households:edit", args=[new.pk])).status_code == 403


def test_an_outsider_does_not_see_the_carried_household_and_the_old_officer_no_link(
    geography, old_households, client_of, other_commune_officer, muong_hoong_officer
):
    carry(geography)
    new = Household.objects.get(code="23305-01")

    assert client_of(muong_hoong_officer).get(new.get_absolute_url()).status_code == 404
    page = client_of(muong_hoong_officer).get(new.carried_from.get_absolute_url()).content.decode()
    assert new.get_absolute_url() not in page


def merged_commune_with(geography, count: int):
    """`count` households in each old commune on the lists of 2025, carried over, and the merged
    commune's decided review of late 2025 (lists of 2026)."""
    for commune in (geography["muong_hoong"], geography["ngoc_linh_old"]):
        village = "Làng Mới" if commune == geography["muong_hoong"] else "Thôn 1"
        listed = {
            make_household(commune, f"H{n:03d}", village_name=village): poverty.POOR for n in range(count)
        }
        decided_lists(commune, 2025, listed)
    carry(geography)
    new = geography["ngoc_linh_new"]
    categories = dict.fromkeys(new.households.all(), poverty.NEAR_POOR)
    return decided_lists(new, 2026, categories)


@pytest.mark.parametrize("count", [2, 30])
def test_the_merged_communes_pages_run_a_constant_number_of_queries(
    geography, client_of, department_officer, django_assert_num_queries, count
):
    review_round = merged_commune_with(geography, count)
    client = client_of(department_officer)
    params = {"commune": geography["ngoc_linh_new"].pk, "category": poverty.POOR, "year": 2025}

    # The list filtered on the old lists' category through the link: the form reads the commune
    # chosen and offers its villages (2), as for any commune.
    with django_assert_num_queries(LIST_QUERIES + 2):
        response = client.get(reverse("households:list"), params)
    assert len(response.context["page"].object_list) == min(2 * count, 50)
    with django_assert_num_queries(ROUND_QUERIES):
        response = client.get(review_round.get_absolute_url())
    assert response.context["surveyed"] == 2 * count


def test_the_demo_merged_commune_holds_its_decided_review_of_late_2025(django_db_blocker):
    with demo_for_the_module(django_db_blocker):
        new = Commune.objects.get(code=communes_demo.NGOC_LINH_NEW["code"])
        old = Household.objects.filter(commune__in=new.predecessors.all())
        assert new.households.count() == old.count() == 112
        assert not old.existing_in(2025).exists()
        review_round = ReviewRound.objects.get(commune=new, year=2025, kind=ReviewRound.Kind.PERIODIC)
        assert review_round.state == State.REPORTED
        assert (review_round.decision_number, review_round.decided_on) == (
            "15/QĐ-UBND",
            datetime.date(2025, 12, 5),
        )
        assert State.DISTRICT_OPINION not in review_round.steps.values_list("state", flat=True)
        assert review_round.reviews.count() == 112
        assert Certificate.objects.filter(review__round=review_round).exists()
        # The old communes' lists of 2024 and 2025; each decision's number is used once per commune:
        # 4 rounds, 2 farm households and 1 low-income worker.
        for commune in new.predecessors.all():
            rounds = ReviewRound.objects.filter(commune=commune).order_by("year")
            assert list(rounds.values_list("list_year", flat=True)) == [2022, 2023, 2024, 2025]
            numbers = [
                *rounds.values_list("decision_number", flat=True),
                *StatusApplication.objects.filter(household__commune=commune)
                .exclude(decision_number="")
                .values_list("decision_number", flat=True),
            ]
            assert len(numbers) == len(set(numbers)) == 7
        lists = {entry.key: len(entry.reviews) for entry in recognition.recognition_lists(review_round)}
        assert lists[poverty.POOR_AND_NEAR_POOR_LIST] and lists[poverty.ESCAPED_POVERTY_LIST]


@pytest.mark.parametrize("count", [1, 25])
def test_the_carry_over_runs_a_constant_number_of_queries(geography, django_assert_num_queries, count):
    for commune in (geography["muong_hoong"], geography["ngoc_linh_old"]):
        village = "Làng Mới" if commune == geography["muong_hoong"] else "Thôn 1"
        for n in range(count):
            household = make_household(commune, f"H{n:03d}", village_name=village)
            Member.objects.create(household=household, person=make_person(f"Y {n}"), relation="head")
    by = writer()
    # The predecessors, the commune locked, the villages' successors, the households, their members
    # (5); the new households and their history, the old ones ended and their history, the old
    # memberships ended and their history, the new ones and their history (8), in a savepoint (2).
    # (Beyond a batch of rows, the bulk writes split into batches: SQLite takes 999 parameters.)
    with django_assert_num_queries(15):
        carried = carry_households_over(commune=geography["ngoc_linh_new"], by=by)
    assert carried.households == 2 * count
