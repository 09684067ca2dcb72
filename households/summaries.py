"""The figures of each year's lists, counted in the database: numbers and rates of poor and near-poor
households, counts by deprived indicator, and the change from the previous year's lists.

A year here is a list year: the lists of 2023 are made by the review of late 2022 (and amended by
the ad-hoc reviews of 2023). The rate is households in the category ÷ all households of the unit on
the register that year (DOMAIN.md §3); households not reviewed count in the denominator only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy

from communes.models import Commune, District, Province, Village
from households import poverty
from households.models import (
    CauseOfPoverty,
    Deprivation,
    Household,
    HouseholdReview,
    PovertyCause,
    ReviewRound,
    on_register_in,
)

CATEGORY_FIELDS = (poverty.POOR, poverty.NEAR_POOR, poverty.AVERAGE, poverty.NOT_POOR)
COUNTED_TRANSITIONS = tuple(kind for kind in poverty.TRANSITIONS if kind != poverty.UNCHANGED)
LAST_DISTRICT_LIST_YEAR = 2025  # the lists of 2025 were the last made under a district (DOMAIN.md §2)
LISTS = (poverty.POOR, poverty.NEAR_POOR)
# The columns of the changes of a list (table b): a household on the list at the start or at the end
# of the year is in exactly one move, so end = start − decreases + increases holds by construction.
DECREASES = ("escaped", "to_other_list", "other_decrease")
INCREASES = ("from_other_list", "newly", "re_poor", "other_increase")
CHANGE_COLUMNS = ("start", *DECREASES, *INCREASES, "end")


def list_moves(
    list_category: str,
    previous: str | None,
    current: str | None,
    *,
    before: bool,
    now: bool,
    poor_before: bool,
) -> tuple[str, ...]:
    """The columns of the changes of the poor (or near-poor) list a group of households counts in.

    `before`/`now`: on the register at the end of last year / this year; `previous`/`current`: the
    category of the lists of each year (None: not reviewed). Leaving the register or not being
    reviewed is an "other" decrease, arriving on it (a new or split household) an "other" increase."""
    was = before and previous == list_category
    is_ = now and current == list_category
    columns = (("start",) if was else ()) + (("end",) if is_ else ())
    if was and not is_:
        if not now or current not in CATEGORY_FIELDS:
            return (*columns, "other_decrease")
        return (*columns, "to_other_list" if current in LISTS else "escaped")
    if is_ and not was:
        if not before or previous not in CATEGORY_FIELDS:
            return (*columns, "other_increase")
        if previous in LISTS:
            return (*columns, "from_other_list")
        return (*columns, "re_poor" if list_category == poverty.POOR and poor_before else "newly")
    return columns


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
    # Members at the end of the year, by category of the year's lists (None: not reviewed), when
    # asked for (`figures_by(…, persons=True)`); and the changes of the poor and of the near-poor
    # list, {list: {column: households}}.
    persons: dict[str | None, int] = field(default_factory=dict)
    changes: dict[str, dict[str, int]] = field(default_factory=dict)

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

    @property
    def all_persons(self) -> int:
        return sum(self.persons.values())

    @property
    def poor_persons(self) -> int:
        return self.persons.get(poverty.POOR, 0)

    @property
    def near_poor_persons(self) -> int:
        return self.persons.get(poverty.NEAR_POOR, 0)

    @property
    def poor_persons_rate(self) -> Decimal | None:
        return _rate(self.poor_persons, self.all_persons)

    @property
    def near_poor_persons_rate(self) -> Decimal | None:
        return _rate(self.near_poor_persons, self.all_persons)

    def change_row(self, list_category: str) -> dict[str, int]:
        """The changes of the poor (or near-poor) list, every column present."""
        return {column: self.changes.get(list_category, {}).get(column, 0) for column in CHANGE_COLUMNS}

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
        for key, count in other.persons.items():
            self.persons[key] = self.persons.get(key, 0) + count
        for list_category, columns in other.changes.items():
            mine = self.changes.setdefault(list_category, {})
            for column, count in columns.items():
                mine[column] = mine.get(column, 0) + count
        if other.previous is not None:
            self.previous = self.previous or Figures()
            self.previous.add(other.previous)


def figures_by(households, year: int, group_by: tuple[str, ...] = (), *, persons: bool = False) -> dict:
    """{group key: Figures for `year`, with `.previous` for year − 1}, from one grouped query.

    Each household joins at most one review a year (the one that counts), so the query groups the
    households on the register in either year by (key, on the register each year, category each year,
    poor in earlier lists: re-poverty) and Python adds up the few rows. With `persons`, a second
    grouped query counts the members at the end of `year` by key and category: joining the members
    into the first would need distinct counts, ten times slower over a province."""
    now, before = on_register_in(year), on_register_in(year - 1)
    poor_earlier = HouseholdReview.objects.of_household().filter(
        counting_year__lt=year - 1, category=poverty.POOR
    )
    rows = (
        households.filter(now | before)
        .with_category_in(year)
        .with_category_in(year - 1, "previous_category")
        .annotate(
            now=ExpressionWrapper(now, BooleanField()),
            before=ExpressionWrapper(before, BooleanField()),
            poor_before=Exists(poor_earlier),
        )
        .order_by()
        .values(*group_by, "now", "before", "year_category", "previous_category", "poor_before")
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
                kind = poverty.transition(previous, category, poor_before=row["poor_before"])
                if kind in figures.transitions:
                    figures.transitions[kind] += count
        for list_category in LISTS:
            moves = figures.changes.setdefault(list_category, dict.fromkeys(CHANGE_COLUMNS, 0))
            for column in list_moves(
                list_category,
                previous,
                category,
                before=row["before"],
                now=row["now"],
                poor_before=row["poor_before"],
            ):
                moves[column] += count
    if persons:
        _count_persons(result, households, year, group_by)
    return {key: figures for key, figures in result.items() if figures.households}


def _count_persons(result: dict, households, year: int, group_by: tuple[str, ...]) -> None:
    """Adds the members at the end of `year` of `households` on the register then, by category."""
    end = datetime.date(year, 12, 31)
    member_then = (Q(members__joined_on__isnull=True) | Q(members__joined_on__lte=end)) & (
        Q(members__left_on__isnull=True) | Q(members__left_on__gt=end)
    )
    rows = (
        households.filter(on_register_in(year))
        .with_category_in(year)
        .order_by()
        .values(*group_by, "year_category")
        .annotate(persons=Count("members", filter=member_then))
    )
    for row in rows:
        figures = result.get(tuple(row[name] for name in group_by))
        if figures is not None and row["persons"]:
            category = row["year_category"] if row["year_category"] in CATEGORY_FIELDS else None
            figures.persons[category] = figures.persons.get(category, 0) + row["persons"]


def total(figures: Iterable[Figures]) -> Figures:
    """The sum of groups that do not overlap (villages of a commune, communes of a district …)."""
    result = Figures()
    for item in figures:
        result.add(item)
    return result


def indicator_counts(households, year: int, group_by: tuple[str, ...] = ()) -> dict:
    """{group key: {indicator key: {category: households deprived in it}}} in the reviews that count
    for `year`: the official tables count the poor and the near-poor households apart."""
    prefixed = tuple(f"review__household__{name}" for name in group_by)
    rows = (
        Deprivation.objects.filter(
            review__counting_year=year, review__household__in=households.existing_in(year).values("pk")
        )
        .order_by()
        .values(*prefixed, "indicator", "review__category")
        .annotate(count=Count("pk"))
    )
    result: dict = {}
    for row in rows:
        key = tuple(row[name] for name in prefixed)
        by_category = result.setdefault(key, {}).setdefault(row["indicator"], {})
        by_category[row["review__category"]] = row["count"]
    return result


@dataclass
class IndicatorRow:
    """Households deprived in an indicator among the poor and among the near-poor households, with
    the share of each."""

    indicator: poverty.Indicator
    poor: int
    poor_rate: Decimal | None
    near_poor: int
    near_poor_rate: Decimal | None


# Table (d) of DOMAIN.md §4a: the groups of households counted among the poor and the near-poor.
GROUPS = {
    "ethnic_minority": gettext_lazy("Ethnic-minority households"),
    "no_working_capacity": gettext_lazy("Households without working capacity"),
    "meritorious": gettext_lazy("Households of people with meritorious service"),
}


@dataclass
class ShareRow:
    """Households of a group or with a cause among the poor and among the near-poor households, with
    the share of each (tables d and f)."""

    label: str
    poor: int
    poor_rate: Decimal | None
    near_poor: int
    near_poor_rate: Decimal | None

    @classmethod
    def among(cls, label, counts: dict, total: Figures) -> ShareRow:
        return cls(label, *_among(counts, total))


def _among(counts: dict, total: Figures) -> tuple:
    """`counts`: {category: households} → the poor, their share of the poor households, the
    near-poor, their share of the near-poor households (the columns of tables c, d and f)."""
    poor, near_poor = counts.get(poverty.POOR, 0), counts.get(poverty.NEAR_POOR, 0)
    return poor, _rate(poor, total.poor), near_poor, _rate(near_poor, total.near_poor)


def _counting_reviews(households, year: int):
    """The reviews that count for `year` of `households` on the register that year."""
    return HouseholdReview.objects.filter(
        counting_year=year, household__in=households.existing_in(year).values("pk")
    )


def group_counts(households, year: int) -> dict:
    """{group: {category: households}} among the poor and near-poor households of `year` (one query)."""
    rows = (
        _counting_reviews(households, year)
        .filter(category__in=(poverty.POOR, poverty.NEAR_POOR))
        .order_by()
        .values("category")
        .annotate(**{group: Count("pk", filter=Q(**{group: True})) for group in GROUPS})
    )
    result: dict = {group: {} for group in GROUPS}
    for row in rows:
        for group in GROUPS:
            result[group][row["category"]] = row[group]
    return result


def cause_counts(households, year: int) -> dict:
    """{cause: {category: households}} among the poor and near-poor households of `year` (one query)."""
    rows = (
        PovertyCause.objects.filter(
            review__in=_counting_reviews(households, year).values("pk"),
            review__category__in=(poverty.POOR, poverty.NEAR_POOR),
        )
        .order_by()
        .values("cause", "review__category")
        .annotate(count=Count("pk"))
    )
    result: dict = {}
    for row in rows:
        result.setdefault(row["cause"], {})[row["review__category"]] = row["count"]
    return result


@dataclass
class Summary:
    """One year's figures as the summary pages, the printed summary and its workbook show them.

    The total and the transitions are the commune's when a commune is summarised, else the area's."""

    year: int
    total: Figures
    transitions: list[tuple[str, int]]
    # The commune: its villages, its households deprived by indicator under the year's standard.
    commune: Commune | None = None
    rows: list[tuple[Village, Figures]] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    standard: poverty.Standard | None = None
    # Tables (d) by group and (f) by cause of poverty, among the poor and the near-poor households.
    groups: list[ShareRow] = field(default_factory=list)
    causes: list[ShareRow] = field(default_factory=list)
    # The area, by commune as recorded, district, province and (if asked) today's commune.
    communes: list[tuple[Commune, Figures]] = field(default_factory=list)
    districts: list[tuple[District | None, Figures]] = field(default_factory=list)
    provinces: list[tuple[Province, Figures]] = field(default_factory=list)
    today_units: list[dict] = field(default_factory=list)
    # Table (e), with `report`: (ethnicity as recorded, figures), most households first.
    ethnicities: list[tuple[str, Figures]] = field(default_factory=list)

    def roll_up(self) -> dict:
        """The area's figures around the commune: its district's communes, the district, the province."""
        district = self.commune.district_id
        in_district = [(c, f) for c, f in self.communes if district and c.district_id == district]
        return {
            "communes": in_district,
            "district": (self.commune.district, total(f for _c, f in in_district)) if in_district else None,
            "province": (self.commune.province, total(f for _c, f in self.communes)),
        }


def summary(
    year: int, *, commune: Commune | None = None, area=None, today_units: bool = False, report: bool = False
) -> Summary:
    """The figures of `year`, each from one grouped query.

    `commune`: by village and by deprived indicator, for all its households.
    `area`: households (in a user's scope) by commune as recorded, rolled up by district and province
    in Python; with `today_units`, also to the communes that carry merged ones on today.
    `report` (the report tables): also by ethnicity, and the deprivations, groups and causes of the
    area when no commune is given."""
    result = Summary(year=year, total=Figures(), transitions=[], commune=commune)
    if area is not None:
        _roll_up(result, area, today_units, persons=report)
    households = Household.objects.filter(commune=commune) if commune is not None else area
    if commune is not None:
        by_village = figures_by(households, year, ("village",), persons=report)
        result.total = total(by_village.values())
        villages = Village.objects.filter(pk__in=[key[0] for key in by_village]).order_by("name")
        result.rows = [(village, by_village[(village.pk,)]) for village in villages]
    if commune is not None or report:
        _add_shares(result, households)
    if report:
        by_ethnicity = figures_by(households, year, ("ethnicity",), persons=True)
        result.ethnicities = sorted(((key[0], f) for key, f in by_ethnicity.items()), key=_ethnicity_order)
    labels, moves = poverty.TRANSITION_LABELS, result.total.transitions
    result.transitions = [(labels[kind], moves.get(kind, 0)) for kind in COUNTED_TRANSITIONS]
    return result


def _add_shares(result: Summary, households) -> None:
    """Tables (c), (d) and (f): deprivations by indicator of the year's standard, groups and causes,
    among the poor and the near-poor households of `result.total` (a query each)."""
    year = result.year
    try:
        result.standard = poverty.standard_for_year(year)
    except poverty.ClassificationError:
        result.standard = poverty.DECREE_07_2021
    counts = indicator_counts(households, year).get((), {})
    result.indicators = [
        IndicatorRow(indicator, *_among(counts.get(indicator.key, {}), result.total))
        for indicator in result.standard.indicators
    ]
    by_group = group_counts(households, year)
    result.groups = [ShareRow.among(label, by_group[key], result.total) for key, label in GROUPS.items()]
    by_cause = cause_counts(households, year)
    result.causes = [
        ShareRow.among(cause.label, by_cause.get(cause.value, {}), result.total) for cause in CauseOfPoverty
    ]


def _ethnicity_order(item: tuple[str, Figures]) -> tuple:
    """Most households first; an unrecorded ethnicity last."""
    name, figures = item
    return (not name, -figures.households, name)


def _roll_up(result: Summary, households, today_units: bool, persons: bool) -> None:
    by_commune = figures_by(households, result.year, ("commune",), persons=persons)
    result.total = total(by_commune.values())
    communes = Commune.objects.filter(pk__in=[key[0] for key in by_commune]).select_related(
        "district", "province"
    )
    if today_units:
        successors = Commune.objects.select_related("province")
        twice = successors.prefetch_related(Prefetch("successors", queryset=successors))
        communes = communes.prefetch_related(Prefetch("successors", queryset=twice))
    by_district: dict[District | None, Figures] = {}
    by_province: dict[Province, Figures] = {}
    units: dict[int, dict] = {}
    for commune in sorted(communes, key=lambda commune: (commune.name, commune.pk)):
        figures = by_commune[(commune.pk,)]
        result.communes.append((commune, figures))
        by_district.setdefault(commune.district, Figures()).add(figures)
        by_province.setdefault(commune.province, Figures()).add(figures)
        if today_units:
            unit = _today_unit(commune)
            entry = units.setdefault(unit.pk, {"unit": unit, "figures": Figures(), "from": []})
            entry["figures"].add(figures)
            if unit.pk != commune.pk:
                entry["from"].append(commune)
    result.districts = sorted(by_district.items(), key=lambda item: item[0].name if item[0] else "")
    result.provinces = sorted(by_province.items(), key=lambda item: item[0].name)
    result.today_units = sorted(units.values(), key=lambda entry: entry["unit"].name)


def _today_unit(commune: Commune) -> Commune:
    """The commune that carries on `commune` today: follow single successor links (a split stays put)."""
    seen = {commune.pk}
    while True:
        successors = list(commune.successors.all())
        if len(successors) != 1 or successors[0].pk in seen:
            return commune
        commune = successors[0]
        seen.add(commune.pk)


def years_with_decisions(households) -> list[int]:
    """The list years for which some of `households` have a decided review, newest first: the few
    years of decided rounds, each kept if one of its counting reviews is of these households. A commune
    merger moves a year's figures to the new commune when it carries the households over before the
    year ends: the old records' reviews count there, for the households carried over to them."""
    carried_by_year_end = Q(household__carried_to__registered_on__year__lte=OuterRef("list_year"))
    reviewed = HouseholdReview.objects.filter(counting_year=OuterRef("list_year")).filter(
        (Q(household__in=households) & ~carried_by_year_end)
        | (Q(household__carried_to__in=households) & carried_by_year_end)
    )
    return list(
        ReviewRound.objects.filter(state__in=ReviewRound.DECIDED_STATES)
        .filter(Exists(reviewed))
        .order_by("-list_year")
        .values_list("list_year", flat=True)
        .distinct()
    )


def with_latest_poverty_rate(communes):
    """Annotates each commune with its latest decided periodic review: `rate_year` (its list year), `reviewed`
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
    ).order_by("-list_year")
    reviews = HouseholdReview.objects.filter(round=OuterRef("rate_round"))
    return (
        communes.annotate(
            rate_round=Subquery(latest.values("pk")[:1]),
            rate_year=Subquery(latest.values("list_year")[:1]),
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
