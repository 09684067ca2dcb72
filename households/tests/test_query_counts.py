"""A household's page, its history and a review round's page run the same number of queries however
many members, changes, years of reviews or households there are (the list, summaries and documents
have theirs elsewhere)."""

import pytest
from django.urls import reverse

from households.models import Member
from households.tests.helpers import decided_lists, make_household, make_person

pytestmark = pytest.mark.django_db

# Session, user, profile and the issuing body in the header (4), the household with its commune and
# village, its members with their people, its reviews with rounds and surveyors, their deprivations,
# farm-average records, its requests with their rounds, the records before and after a commune merger
# that the user sees (7).
DETAIL_QUERIES = 4 + 7
# Session, user, profile and the issuing body (4), the round, the results counted, the page's count and
# households with their deprivations counted, the steps, the complaints (6); for a periodic round, the
# list to review counted (the households on the register with their list category and accepted
# requests, in one aggregate), the commune's pending requests counted, the requests feeding it (3);
# the villages with their results counted and the village meetings (2).
ROUND_QUERIES = 4 + 6 + 3 + 2
# Session, user, profile and the issuing body (4), the household with its commune and village, its
# members' names, the rounds of its reviews with their communes (3), the histories of the household,
# its memberships, their people and its reviews with who made each change (4), the people the
# memberships name, the users who surveyed (2).
HISTORY_QUERIES = 4 + 9


@pytest.mark.parametrize(("members", "years"), [(1, 1), (8, 3)])
def test_the_household_page_runs_a_constant_number_of_queries(
    geography, client_of, department_officer, django_assert_num_queries, members, years
):
    commune = geography["muong_hoong"]
    household = make_household(commune, "Q1")
    for n in range(members):
        Member.objects.create(household=household, person=make_person(f"Người {n}"), relation="child")
    for year in range(2023, 2023 + years):
        decided_lists(commune, year, {household: "poor" if year % 2 else "near_poor"})
    client = client_of(department_officer)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(reverse("households:detail", args=[household.pk]))
    assert len(response.context["current_members"]) == members
    assert len(response.context["timeline"]) == years


@pytest.mark.parametrize("households", [3, 70])
def test_the_round_page_runs_a_constant_number_of_queries(
    geography, client_of, department_officer, django_assert_num_queries, households
):
    commune = geography["muong_hoong"]
    listed = {make_household(commune, f"R{n:03d}"): "poor" if n % 3 else "average" for n in range(households)}
    review_round = decided_lists(commune, 2023, listed)
    client = client_of(department_officer)
    with django_assert_num_queries(ROUND_QUERIES):
        response = client.get(reverse("households:round", args=[review_round.pk]))
    counts = {category.value: n for category, n in response.context["counts"]}
    assert counts["poor"] + counts["average"] == households == response.context["surveyed"]
    assert response.context["left"] == 0
    assert len(response.context["page"].object_list) == min(households, 50)


@pytest.mark.parametrize("changes", [1, 12])
def test_the_history_page_runs_a_constant_number_of_queries(
    geography, client_of, department_officer, muong_hoong_officer, django_assert_num_queries, changes
):
    commune = geography["muong_hoong"]
    household = make_household(commune, "H1")
    for n in range(changes):
        Member.objects.create(household=household, person=make_person(f"Người {n}"), relation="child")
        household.head_name = f"A {n}"
        household.save()
    for year in range(2023, 2024 + changes // 4):
        decided_lists(commune, year, {household: "poor" if year % 2 else "near_poor"}, by=muong_hoong_officer)
    client = client_of(department_officer)
    with django_assert_num_queries(HISTORY_QUERIES):
        response = client.get(reverse("households:history", args=[household.pk]))
    assert len(response.context["entries"]) > 3 * changes
