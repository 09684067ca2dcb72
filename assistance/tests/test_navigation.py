"""The main navigation marks the page's section, set by the page itself, on exactly one link (two on
the import pages, which are households pages too)."""

import re

import pytest
from django.urls import reverse

HOME = "/"
COMMUNES = reverse("communes:list")
IMPORTS = reverse("households:imports")
HOUSEHOLDS = reverse("households:list")
PLANS = reverse("assistance:plan_list")
MISSIONS = reverse("assistance:mission_list")
ASSIGNMENTS = reverse("assistance:assignment_list")


def current_links(html: str) -> set[str]:
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)
    return set(re.findall(r'<a href="([^"]+)" aria-current="page">', nav))


@pytest.fixture
def pages(geography, mission, make_plan, line, department_officer, make_household):
    plan = make_plan()
    activity = line(plan, by=department_officer)
    commune = geography["muong_hoong"]
    household = make_household()
    return {
        "home": (reverse("home"), {HOME}),
        "communes": (COMMUNES, {COMMUNES}),
        "commune": (reverse("communes:detail", args=[commune.pk]), {COMMUNES}),
        "commune form": (reverse("communes:edit", args=[commune.pk]), {COMMUNES}),
        "imports": (IMPORTS, {IMPORTS}),
        "import form": (reverse("households:import_new"), {IMPORTS}),
        "households": (HOUSEHOLDS, {HOUSEHOLDS}),
        "household": (household.get_absolute_url(), {HOUSEHOLDS}),
        "household form": (reverse("households:edit", args=[household.pk]), {HOUSEHOLDS}),
        "plans": (PLANS, {PLANS}),
        "plan": (plan.get_absolute_url(), {PLANS}),
        "plan form": (reverse("assistance:plan_create"), {PLANS}),
        "plan history": (reverse("assistance:plan_history", args=[plan.pk]), {PLANS}),
        "activity": (activity.get_absolute_url(), {PLANS}),
        "activity form": (reverse("assistance:activity_edit", args=[activity.pk]), {PLANS}),
        "missions": (MISSIONS, {MISSIONS}),
        "mission": (mission.get_absolute_url(), {MISSIONS}),
        "mission form": (reverse("assistance:mission_create"), {MISSIONS}),
        "assignments": (ASSIGNMENTS, {ASSIGNMENTS}),
        "assignment form": (reverse("assistance:assignment_create"), {ASSIGNMENTS}),
        # Pages under no link of the navigation, as before the section was set by the page.
        "upcoming activities": (reverse("assistance:upcoming_list"), set()),
        "spending form": (reverse("assistance:spending_create", args=[activity.pk]), set()),
        "finding form": (reverse("assistance:finding_create", args=[mission.pk]), set()),
    }


def test_each_section_marks_its_own_link_as_the_current_page(client_of, department_admin, pages):
    client = client_of(department_admin)
    for name, (url, expected) in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert current_links(response.content.decode()) == expected, name
