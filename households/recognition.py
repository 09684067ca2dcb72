"""The three lists the commune chairman's decision recognises, read from a decided round's results
against each household's previous category (`poverty.recognition_lists`)."""

from dataclasses import dataclass, field

from django.db.models import Case, F, Prefetch, Q, Subquery, When

from households import poverty
from households.models import HouseholdReview, Member, PovertyCause, Relation, ReviewRound


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


def listed_members(on, lookup: str = "household__members"):
    """A household's members on the day `on` with their people, the head first, as the decision's
    annexes and the certificates list them: a prefetch along `lookup` to `listed_members`."""
    members = (
        Member.objects.on(on)
        .select_related("person")
        .order_by(Case(When(relation=Relation.HEAD, then=0), default=1), "person__birth_year", "pk")
    )
    return Prefetch(lookup, queryset=members, to_attr="listed_members")


def recognition_lists(review_round: ReviewRound, *, with_members: bool = False) -> list[RecognitionList]:
    """The three lists of a decided round (empty before the decision), each in list order (village,
    household code); two queries: the reviews with their previous category, and their causes.
    `with_members`: two more, each household's members on the decision's day (`listed_members`) and
    the reviews' deprivations, for the decision's annexes."""
    lists = [RecognitionList(key, poverty.RECOGNITION_LIST_LABELS[key]) for key in poverty.RECOGNITION_LISTS]
    if not review_round.is_decided:
        return lists
    reviews = (
        review_round.reviews.select_related("household__village", "certificate")
        .annotate(previous_category=Subquery(previous_reviews(review_round).values("category")[:1]))
        .prefetch_related(Prefetch("causes", queryset=PovertyCause.objects.order_by("cause")))
        .order_by("household__village__name", "household__code", "pk")
    )
    if with_members:
        reviews = reviews.prefetch_related(listed_members(review_round.decided_on), "deprivations")
    by_key = {entry.key: entry for entry in lists}
    for review in reviews:
        for key in poverty.recognition_lists(review.previous_category, review.category):
            by_key[key].reviews.append(review)
    return lists
