"""One rule names the issuing body of every page and document: `Organisation.objects.issuer_for`."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from communes import demo
from communes.models import Organisation, Profile, Role
from tests.fixtures import make_user

BEFORE = datetime.date(2024, 12, 31)  # the day before the 2025 reorganisation (1/3/2025)
AFTER = demo.REORGANISATION_DATE

DOLISA = "Sở Lao động - Thương binh và Xã hội tỉnh Kon Tum"  # dissolved by the reorganisation
HOME = "Sở Nông nghiệp và Môi trường tỉnh Quảng Ngãi"  # established by it; runs the installation
COMMITTEE = "Ủy ban nhân dân tỉnh Quảng Ngãi"  # exists on both days


@pytest.fixture
def organisations(geography):
    demo.seed_organisations()
    return {organisation.full_name: organisation for organisation in Organisation.objects.all()}


def user_of(organisations, body):
    if body == "anonymous":
        return AnonymousUser()
    if body == "no profile":
        made = get_user_model().objects.create_user(username="no-profile")
    else:
        made = make_user("officer", Role.DEPARTMENT_OFFICER, organisation=organisations.get(body))
    return get_user_model().objects.get(pk=made.pk)  # as a request has it: nothing loaded yet


@pytest.mark.parametrize(
    "body, on, expected",
    [
        (DOLISA, BEFORE, DOLISA),
        (DOLISA, AFTER, HOME),
        (HOME, BEFORE, HOME),  # the last resort, even before it existed
        (HOME, AFTER, HOME),
        (COMMITTEE, BEFORE, COMMITTEE),
        (COMMITTEE, AFTER, COMMITTEE),
        (None, BEFORE, HOME),
        (None, AFTER, HOME),
        ("no profile", AFTER, HOME),
        ("anonymous", AFTER, HOME),
    ],
)
def test_the_issuer_is_the_users_body_while_it_exists_else_the_home_body(
    organisations, body, on, expected, django_assert_num_queries
):
    user = user_of(organisations, body)
    # the profile (an anonymous visitor has none), the body
    with django_assert_num_queries(1 if body == "anonymous" else 2):
        issuer = Organisation.objects.issuer_for(user, on=on)
    assert issuer.full_name == expected


@pytest.mark.parametrize("on", [BEFORE, AFTER])
def test_the_body_named_on_the_record_issues_it_whoever_asks(organisations, on, django_assert_num_queries):
    user = make_user("officer", Role.DEPARTMENT_OFFICER, organisation=organisations[COMMITTEE])
    with django_assert_num_queries(0):
        issuer = Organisation.objects.issuer_for(user, on=on, named=organisations[DOLISA])
    assert issuer == organisations[DOLISA]


@pytest.mark.parametrize("on, expected, queries", [(BEFORE, DOLISA, 0), (AFTER, HOME, 1)])
def test_a_body_loaded_with_the_user_costs_no_query_while_it_exists(
    organisations, on, expected, queries, django_assert_num_queries
):
    make_user("officer", Role.DEPARTMENT_OFFICER, organisation=organisations[DOLISA])
    user = get_user_model().objects.select_related("profile__organisation").get(username="officer")
    with django_assert_num_queries(queries):
        assert Organisation.objects.issuer_for(user, on=on).full_name == expected


def test_without_a_home_body_a_user_without_one_gets_none(organisations):
    Organisation.objects.update(is_home=False)
    user = make_user("officer", Role.DEPARTMENT_OFFICER)
    assert Organisation.objects.issuer_for(user, on=AFTER) is None
    assert Organisation.objects.issuer_for(None, on=AFTER) is None


def test_the_page_header_follows_the_same_rule(organisations, client_of, department_officer):
    Profile.objects.filter(user=department_officer).update(organisation=organisations[DOLISA])
    page = client_of(department_officer).get("/").content.decode()
    assert HOME in page and DOLISA not in page  # the department was dissolved on 1/3/2025
