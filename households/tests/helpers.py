"""Households, rounds and surveys made in code for the tests (through the same services as the pages)."""

import datetime

from django.contrib.auth import get_user_model

from communes.models import Village
from households import services
from households.demo import hold_village_meetings
from households.models import Household, Person, ReviewRound

State = ReviewRound.State
POOR_ANSWERS = {
    "monthly_income_per_person": 1_000_000,
    "deprived": ["health_insurance", "hygienic_latrine", "nutrition"],
}
NEAR_POOR_ANSWERS = {"monthly_income_per_person": 1_200_000, "deprived": ["hygienic_latrine"]}
AVERAGE_ANSWERS = {"monthly_income_per_person": 2_000_000, "deprived": []}
NOT_POOR_ANSWERS = {"monthly_income_per_person": 3_000_000, "deprived": []}
ANSWERS = {
    "poor": POOR_ANSWERS,
    "near_poor": NEAR_POOR_ANSWERS,
    "average": AVERAGE_ANSWERS,
    "not_poor": NOT_POOR_ANSWERS,
}


def village(commune, name="Làng Mới"):
    return Village.objects.get(commune=commune, name=name)


def make_household(commune, code, *, village_name="Làng Mới", head_name=None, **fields):
    return Household.objects.create(
        commune=commune,
        village=village(commune, village_name),
        code=code,
        head_name=head_name or f"Hộ {code}",
        area_type=commune.area_type,
        **fields,
    )


def make_person(name="Y Nhung", *, birth_year=1990, sex="female", citizen_id="", **fields):
    return Person.objects.create(
        full_name=name, birth_year=birth_year, sex=sex, citizen_id=citizen_id, **fields
    )


def writer():
    """A user who may write, for tests of the rules rather than of who applies them."""
    user, _created = get_user_model().objects.get_or_create(
        username="writer", defaults={"is_superuser": True}
    )
    return user


def open_survey(commune, year, households, *, by=None):
    by = by or writer()
    review_round = services.open_round(commune=commune, year=year, by=by, on=datetime.date(year, 9, 1))
    services.list_households(review_round=review_round, households=households, by=by)
    services.move_round(
        review_round=review_round, to_state=State.SURVEY, by=by, on=datetime.date(year, 9, 10)
    )
    review_round.refresh_from_db()
    return review_round


def survey_as(review, category, *, by=None):
    return services.record_survey(review=review, by=by or writer(), **ANSWERS[category])


def to_meeting(review_round, *, by=None, on=None, meetings=True):
    """Moves a surveyed round to the village meeting step (on `on`, by default 1 November) and, with
    `meetings`, holds each village's meeting there the same day, agreeing every result."""
    by = by or writer()
    on = on or datetime.date(review_round.year, 11, 1)
    services.move_round(review_round=review_round, to_state=State.VILLAGE_MEETING, by=by, on=on)
    review_round.refresh_from_db()
    if meetings:
        hold_village_meetings(review_round, by=by, on=on, present=10)
    return review_round


def decide(review_round, *, by=None):
    """Takes a surveyed round through the meeting and the posting to approval."""
    by = by or writer()
    year = review_round.year
    to_meeting(review_round, by=by)
    for state, day in (
        (State.PUBLIC_POSTING, datetime.date(year, 11, 10)),
        (State.APPROVED, datetime.date(year, 12, 1)),
    ):
        services.move_round(review_round=review_round, to_state=state, by=by, on=day)
    review_round.refresh_from_db()
    return review_round


def decided_year(commune, year, categories: dict, *, by=None):
    """A decided periodic round of `year` where each household in `categories` got that category."""
    by = by or writer()
    review_round = open_survey(commune, year, list(categories), by=by)
    for review in review_round.reviews.select_related("household", "round"):
        survey_as(review, categories[review.household], by=by)
    return decide(review_round, by=by)
