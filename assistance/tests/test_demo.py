"""The demo seed tells DOMAIN.md §7's story and can run again without changing anything."""

import pytest
from django.core.management import call_command

from assistance.models import Activity, Assignment, Beneficiary, Mission, Plan
from households.models import Category


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")


def test_the_seed_has_the_assignment_the_mission_and_six_agreed_lines(seeded):
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


def test_the_seed_enrols_the_communes_poor_households_first(settings, make_household, geography):
    settings.DEBUG = True
    call_command("seed_demo")  # the geography is there; no household yet: no one enrolled
    assert not Beneficiary.objects.exists()
    better_off = make_household(category=Category.NOT_POOR)
    poor = make_household(category=Category.POOR)
    make_household(geography["ngoc_linh_old"], category=Category.POOR)
    call_command("seed_demo")
    assert {b.household for b in Beneficiary.objects.all()} == {poor, better_off}
    call_command("seed_demo")
    assert Beneficiary.objects.count() == 2
