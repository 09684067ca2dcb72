"""The demo seed tells DOMAIN.md §7's story and can run again without changing anything."""

import pytest
from django.core.management import call_command

from assistance.demo import MODEL_HOUSEHOLDS
from assistance.models import Activity, Assignment, Beneficiary, Mission, Plan
from households.models import Category, Household
from tests.fixtures import demo_for_the_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_the_module(django_db_blocker):
        yield


def test_the_seed_has_the_assignment_the_mission_and_six_agreed_lines(demo):
    assignment = Assignment.objects.get()
    assert (assignment.from_year, assignment.to_year, assignment.leader.get_full_name()) == (
        2022,
        2023,
        "Bạch Thị Mân",
    )
    mission = Mission.objects.get()
    assert (mission.start_date.day, mission.end_date.day, mission.start_date.month) == (15, 17, 8)
    assert {c.code for c in mission.communes.all()} == {"23305", "23308"}
    assert mission.findings.filter(village__name="Làng Mới").exists()
    assert Activity.objects.count() == 6
    assert {plan.commune.code for plan in Plan.objects.all()} == {"23305", "23308"}  # the old communes
    livelihood = Activity.objects.filter(kind=Activity.Kind.LIVELIHOOD_MODEL)
    assert sorted(livelihood.values_list("planned_amount", flat=True)) == [220_000_000, 221_000_000]
    by_kind = {row["kind"]: row for row in Activity.objects.all().budget_by_kind()}
    assert by_kind[Activity.Kind.LIVELIHOOD_MODEL]["planned"] == 441_000_000
    cows = livelihood.get(planned_amount=221_000_000)
    assert cows.village.name == "Làng Mới" and cows.follow_ups.count() == 2
    assert all(plan.state == Plan.State.APPROVED for plan in Plan.objects.all())


def test_the_seed_enrols_mường_hoongs_poor_households_first(demo):
    enrolled = list(Beneficiary.objects.select_related("household__commune", "household__village"))
    assert len(enrolled) == MODEL_HOUSEHOLDS
    assert {b.household.commune.code for b in enrolled} == {"23305"}
    # The priority village Làng Mới first, and in it the poor households first.
    assert {b.household.village.name for b in enrolled} == {"Làng Mới"}
    poor_in_lang_moi = Household.objects.with_latest_category().filter(
        village__name="Làng Mới", commune__code="23305", latest_category=Category.POOR
    )
    assert set(poor_in_lang_moi) <= {b.household for b in enrolled}
    call_command("seed_demo", "--force", verbosity=0)
    assert Beneficiary.objects.count() == MODEL_HOUSEHOLDS
