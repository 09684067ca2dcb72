"""The three lists the commune chairman's decision recognises, read from a decided round's results
against each household's previous category (`poverty.recognition_lists`)."""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, Subquery

from households import poverty
from households.models import HouseholdReview, PovertyCause, ReviewRound


@dataclass
class RecognitionList:
    key: str
    label: str
    reviews: list[HouseholdReview] = field(default_factory=list)


def previous_reviews(review_round: ReviewRound):
    """Per household of the round, the decided review decided just before this round's decision, for
    the lists of this round's year or of the year before (those of its old record, for a household
    carried over by a merger)."""
    year = review_round.list_year
    return (
        HouseholdReview.objects.of_household("household")
        .filter(round__state__in=ReviewRound.DECIDED_STATES)
        .filter(round__list_year__in=(year - 1, year))
        .exclude(round=review_round.pk)
        .filter(
            Q(round__decided_on__lt=review_round.decided_on)
            | Q(round__decided_on=review_round.decided_on, round__pk__lt=review_round.pk)
        )
        .order_by(F("round__decided_on").desc(), "-round__pk")
    )


def recognition_lists(review_round: ReviewRound) -> list[RecognitionList]:
    """The three lists of a decided round (empty before the decision), each in list order (village,
    household code); two queries: the reviews with their previous category, and their causes."""
    lists = [RecognitionList(key, poverty.RECOGNITION_LIST_LABELS[key]) for key in poverty.RECOGNITION_LISTS]
    if not review_round.is_decided:
        return lists
    reviews = (
        review_round.reviews.select_related("household__village", "certificate")
        .annotate(previous_category=Subquery(previous_reviews(review_round).values("category")[:1]))
        .prefetch_related(Prefetch("causes", queryset=PovertyCause.objects.order_by("cause")))
        .order_by("household__village__name", "household__code", "pk")
    )
    by_key = {entry.key: entry for entry in lists}
    for review in reviews:
        for key in poverty.recognition_lists(review.previous_category, review.category):
            by_key[key].reviews.append(review)
    return lists
