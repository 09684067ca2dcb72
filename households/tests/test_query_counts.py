"""A household's page and a review round's page run the same number of queries however many members,
years of reviews or households there are (the list, summaries and documents have theirs elsewhere)."""

import pytest
from django.urls import reverse

from households.models import Member
from households.tests.helpers import decided_year, make_household, make_person

pytestmark = pytest.mark.django_db

# Session, user, profile and the issuing body in the header (4), the household with its commune and
# village, its members with their people, its reviews with rounds and surveyors, their deprivations,
# farm-average records (5).
DETAIL_QUERIES = 4 + 5
# Session, user, profile and the issuing body (4), the round, the results counted, the page's count and
# households with their deprivations counted, the steps, the complaints (6).
ROUND_QUERIES = 4 + 6


@pytest.mark.parametrize(("members", "years"), [(1, 1), (8, 3)])
def test_the_household_page_runs_a_constant_number_of_queries(
    geography, client_of, department_officer, django_assert_num_queries, members, years
):
    commune = geography["muong_hoong"]
    household = make_household(commune, "Q1")
    for n in range(members):
        Member.objects.create(household=household, person=make_person(f"Người {n}"), relation="child")
    for year in range(2023, 2023 + years):
        decided_year(commune, year, {household: "poor" if year % 2 else "near_poor"})
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
    review_round = decided_year(commune, 2023, listed)
    client = client_of(department_officer)
    with django_assert_num_queries(ROUND_QUERIES):
        response = client.get(reverse("households:round", args=[review_round.pk]))
    counts = {category.value: n for category, n in response.context["counts"]}
    assert counts["poor"] + counts["average"] == households == response.context["surveyed"]
    assert response.context["left"] == 0
    assert len(response.context["page"].object_list) == min(households, 50)
