"""Yearly figures of the review, counted in the database: numbers and rates of poor and near-poor
households, counts by deprived indicator, and the change from the previous year.

The rate is households in the category ÷ all households of the unit on the register that year
(DOMAIN.md §3); households not reviewed count in the denominator only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef

from households import poverty
from households.models import Deprivation, HouseholdReview, ReviewRound, on_register_in

CATEGORY_FIELDS = (poverty.POOR, poverty.NEAR_POOR, poverty.AVERAGE, poverty.NOT_POOR)
COUNTED_TRANSITIONS = tuple(kind for kind in poverty.TRANSITIONS if kind != poverty.UNCHANGED)


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    households: int = 0
    poor: int = 0
    near_poor: int = 0
    average: int = 0
    not_poor: int = 0
    transitions: dict[str, int] = field(default_factory=dict)
    previous: Figures | None = None

    @property
    def reviewed(self) -> int:
        return self.poor + self.near_poor + self.average + self.not_poor

    @property
    def not_reviewed(self) -> int:
        return self.households - self.reviewed

    @property
    def poor_rate(self) -> Decimal | None:
        return _rate(self.poor, self.households)

    @property
    def near_poor_rate(self) -> Decimal | None:
        return _rate(self.near_poor, self.households)

    @property
    def poor_rate_change(self) -> Decimal | None:
        before = self._reviewed_last_year()
        if before is None or self.poor_rate is None or before.poor_rate is None:
            return None
        return self.poor_rate - before.poor_rate

    @property
    def near_poor_rate_change(self) -> Decimal | None:
        before = self._reviewed_last_year()
        if before is None or self.near_poor_rate is None or before.near_poor_rate is None:
            return None
        return self.near_poor_rate - before.near_poor_rate

    def _reviewed_last_year(self) -> Figures | None:
        """Last year's figures if any household was reviewed then: a rate of no review is no rate."""
        return self.previous if self.previous is not None and self.previous.reviewed else None

    def count(self, category: str | None, households: int) -> None:
        """Adds `households` on the register, in `category` if they were reviewed."""
        self.households += households
        if category in CATEGORY_FIELDS:
            setattr(self, category, getattr(self, category) + households)

    def add(self, other: Figures) -> None:
        for name in ("households", *CATEGORY_FIELDS):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, count in other.transitions.items():
            self.transitions[kind] = self.transitions.get(kind, 0) + count
        if other.previous is not None:
            self.previous = self.previous or Figures()
            self.previous.add(other.previous)


def figures_by(households, year: int, group_by: tuple[str, ...] = ()) -> dict:
    """{group key: Figures for `year`, with `.previous` for year − 1}, from one grouped query.

    Each household joins at most one review a year (the one that counts), so the query groups the
    households on the register in either year by (key, on the register each year, category each year)
    and Python adds up the few rows."""
    now, before = on_register_in(year), on_register_in(year - 1)
    rows = (
        households.filter(now | before)
        .with_category_in(year)
        .with_category_in(year - 1, "previous_category")
        .annotate(
            now=ExpressionWrapper(now, BooleanField()), before=ExpressionWrapper(before, BooleanField())
        )
        .order_by()
        .values(*group_by, "now", "before", "year_category", "previous_category")
        .annotate(count=Count("pk"))
    )
    result: dict = {}
    for row in rows:
        figures = result.setdefault(
            tuple(row[name] for name in group_by),
            Figures(transitions=dict.fromkeys(COUNTED_TRANSITIONS, 0), previous=Figures()),
        )
        count, category, previous = row["count"], row["year_category"], row["previous_category"]
        if row["before"]:
            figures.previous.count(previous, count)
        if row["now"]:
            figures.count(category, count)
            if previous in CATEGORY_FIELDS and category in CATEGORY_FIELDS:
                kind = poverty.transition(previous, category)
                if kind in figures.transitions:
                    figures.transitions[kind] += count
    return {key: figures for key, figures in result.items() if figures.households}


def total(figures: Iterable[Figures]) -> Figures:
    """The sum of groups that do not overlap (villages of a commune, communes of a district …)."""
    result = Figures()
    for item in figures:
        result.add(item)
    return result


def indicator_counts(households, year: int, group_by: tuple[str, ...] = ()) -> dict:
    """{group key: {indicator key: households deprived in it}} in the reviews that count for `year`."""
    prefixed = tuple(f"review__household__{name}" for name in group_by)
    rows = (
        Deprivation.objects.filter(
            review__counting_year=year, review__household__in=households.existing_in(year).values("pk")
        )
        .order_by()
        .values(*prefixed, "indicator")
        .annotate(count=Count("pk"))
    )
    result: dict = {}
    for row in rows:
        key = tuple(row[name] for name in prefixed)
        result.setdefault(key, {})[row["indicator"]] = row["count"]
    return result


def years_with_decisions(households) -> list[int]:
    """The years in which some of `households` have a decided review, newest first: the few years of
    decided rounds, each kept if one of its counting reviews is of these households."""
    reviewed = HouseholdReview.objects.filter(counting_year=OuterRef("year"), household__in=households)
    return list(
        ReviewRound.objects.filter(state__in=ReviewRound.DECIDED_STATES)
        .filter(Exists(reviewed))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def with_latest_poverty_rate(communes):
    """Annotates each commune with its latest decided periodic review: `rate_year`, `reviewed`
    (households reviewed), `poor` and `poverty_rate` (percent), all computed by the database."""
    from django.db import models
    from django.db.models import F, Subquery, Value
    from django.db.models.functions import Cast, Coalesce

    from households.models import Category

    def count_of(reviews):
        counted = reviews.order_by().values("round").annotate(total=Count("pk")).values("total")[:1]
        return Coalesce(
            Subquery(counted, output_field=models.BigIntegerField()),
            Value(0),
            output_field=models.BigIntegerField(),
        )

    latest = ReviewRound.objects.filter(
        commune=OuterRef("pk"), kind=ReviewRound.Kind.PERIODIC, state__in=ReviewRound.DECIDED_STATES
    ).order_by("-year")
    reviews = HouseholdReview.objects.filter(round=OuterRef("rate_round"))
    return (
        communes.annotate(
            rate_round=Subquery(latest.values("pk")[:1]),
            rate_year=Subquery(latest.values("year")[:1]),
        )
        .annotate(reviewed=count_of(reviews), poor=count_of(reviews.filter(category=Category.POOR)))
        .annotate(
            poverty_rate=models.Case(
                models.When(reviewed=0, then=Value(None)),
                default=models.ExpressionWrapper(
                    Cast("poor", models.FloatField()) * 100.0 / F("reviewed"),
                    output_field=models.FloatField(),
                ),
                output_field=models.FloatField(),
            )
        )
    )
