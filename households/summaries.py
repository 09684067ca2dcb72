"""Yearly figures of the review, counted in the database: numbers and rates of poor and near-poor
households, counts by deprived indicator, and the change from the previous year.

The rate is households in the category ÷ all households of the unit on the register that year
(DOMAIN.md §3); households not reviewed count in the denominator only.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Subquery

from households import poverty
from households.models import Deprivation, HouseholdReview

CATEGORY_FIELDS = (poverty.POOR, poverty.NEAR_POOR, poverty.AVERAGE, poverty.NOT_POOR)
COUNTED_TRANSITIONS = tuple(kind for kind in poverty.TRANSITIONS if kind != poverty.UNCHANGED)


def _transition_filter(kind: str) -> Q:
    """The (last year, this year) category pairs that make `kind`, taken from `poverty.transition`."""
    pairs = [
        Q(year_category=current, previous_category=previous)
        for previous in poverty.CATEGORIES
        for current in poverty.CATEGORIES
        if poverty.transition(previous, current) == kind
    ]
    return functools.reduce(operator.or_, pairs)


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
        if self.previous is None or self.poor_rate is None or self.previous.poor_rate is None:
            return None
        return self.poor_rate - self.previous.poor_rate

    @property
    def near_poor_rate_change(self) -> Decimal | None:
        if self.previous is None or self.near_poor_rate is None or self.previous.near_poor_rate is None:
            return None
        return self.near_poor_rate - self.previous.near_poor_rate

    def add(self, other: Figures) -> None:
        for name in ("households", *CATEGORY_FIELDS):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, count in other.transitions.items():
            self.transitions[kind] = self.transitions.get(kind, 0) + count
        if other.previous is not None:
            self.previous = self.previous or Figures()
            self.previous.add(other.previous)


def _counts(households, year: int, group_by: tuple[str, ...], *, with_transitions: bool) -> dict:
    """One grouped query: {group key: Figures} for the households on the register in `year`."""
    query = households.existing_in(year).with_category_in(year, alias=True)
    aggregates = {"households": Count("pk")}
    aggregates.update({name: Count("pk", filter=Q(year_category=name)) for name in CATEGORY_FIELDS})
    if with_transitions:
        query = query.with_category_in(year - 1, "previous_category", alias=True)
        aggregates.update(
            {kind: Count("pk", filter=_transition_filter(kind)) for kind in COUNTED_TRANSITIONS}
        )
    if group_by:
        rows = query.order_by().values(*group_by).annotate(**aggregates)
    else:
        rows = [query.aggregate(**aggregates)]
    result = {}
    for row in rows:
        key = tuple(row[name] for name in group_by) if group_by else ()
        figures = Figures(
            households=row["households"],
            **{name: row[name] for name in CATEGORY_FIELDS},
            transitions={kind: row[kind] for kind in COUNTED_TRANSITIONS} if with_transitions else {},
        )
        result[key] = figures
    return result


def figures_by(households, year: int, group_by: tuple[str, ...] = ()) -> dict:
    """{group key: Figures for `year`, with `.previous` for year − 1}: two queries."""
    current = _counts(households, year, group_by, with_transitions=True)
    previous = _counts(households, year - 1, group_by, with_transitions=False)
    for key, figures in current.items():
        before = previous.get(key)
        figures.previous = before if before is not None and before.reviewed else None
    return current


def indicator_counts(households, year: int, group_by: tuple[str, ...] = ()) -> dict:
    """{group key: {indicator key: households deprived in it}} in the reviews that count for `year`."""
    reviews = households.existing_in(year).with_category_in(year).values("year_category_review")
    prefixed = tuple(f"review__household__{name}" for name in group_by)
    rows = (
        Deprivation.objects.filter(review__in=Subquery(reviews))
        .order_by()
        .values(*prefixed, "indicator")
        .annotate(count=Count("review", distinct=True))
    )
    result: dict = {}
    for row in rows:
        key = tuple(row[name] for name in prefixed)
        result.setdefault(key, {})[row["indicator"]] = row["count"]
    return result


def years_with_decisions(households) -> list[int]:
    return sorted(
        set(
            HouseholdReview.objects.decided()
            .filter(household__in=households)
            .order_by()
            .values_list("round__year", flat=True)
            .distinct()
        ),
        reverse=True,
    )
