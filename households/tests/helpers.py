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
    """Takes a surveyed round through the steps of its procedure to approval: the meeting, the posting
    and, before the two-level government, the district chairman's opinion."""
    by = by or writer()
    year = review_round.year
    days = {
        State.PUBLIC_POSTING: datetime.date(year, 11, 10),
        State.DISTRICT_OPINION: datetime.date(year, 11, 25),
        State.APPROVED: datetime.date(year, 12, 1),
    }
    if review_round.state == State.SURVEY:
        to_meeting(review_round, by=by)
    steps = review_round.procedure.steps()
    for state in steps[steps.index(review_round.state) + 1 : steps.index(State.APPROVED)]:
        services.move_round(review_round=review_round, to_state=state, by=by, on=days[state])
    approve(review_round, on=days[State.APPROVED], by=by)
    review_round.refresh_from_db()
    return review_round


def approve(review_round, *, on, by=None, number="1/QĐ-UBND"):
    """The approval, with the commune chairman's decision of the same day."""
    return services.move_round(
        review_round=review_round,
        to_state=State.APPROVED,
        by=by or writer(),
        on=on,
        decision_number=number,
        decision_on=on,
    )


def decided_lists(commune, list_year, categories: dict, *, by=None):
    """The decided periodic round that makes the lists of `list_year` (held in late `list_year` − 1),
    where each household in `categories` got that category."""
    by = by or writer()
    review_round = open_survey(commune, list_year - 1, list(categories), by=by)
    for review in review_round.reviews.select_related("household", "round"):
        survey_as(review, categories[review.household], by=by)
    return decide(review_round, by=by)
