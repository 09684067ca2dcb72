"""The national multidimensional poverty standards as code (DOMAIN.md §3). Pure: no database.

Each standard is one `Standard` definition: its period, income lines per area type, the upper bound
of "average living standard", the A-point lines of form B1 (income), its indicators and the deprivation
threshold. A review round records the key of the standard it used, so a past year keeps its rule
when a new standard comes; adding a standard means adding a definition to `STANDARDS`, nothing else.

Numbers DOMAIN.md marks *(to confirm)* are named in `Standard.to_confirm` and shown as provisional
in the interface.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RURAL = "rural"
URBAN = "urban"
AREAS = (RURAL, URBAN)

POOR = "poor"
NEAR_POOR = "near_poor"
AVERAGE = "average"
NOT_POOR = "not_poor"
CATEGORIES = (POOR, NEAR_POOR, AVERAGE, NOT_POOR)

# Circular 07/2021/TT-BLĐTBXH, form B2: B points = 10 per deprived indicator.
B_POINTS_PER_INDICATOR = 10
# Labour Code 2019: a worker is 15 or older (the upper bound moves with the retirement age).
WORKING_AGE_FROM = 15


class ClassificationError(ValueError):
    """Answers the rule cannot classify: an unknown indicator, a negative income, a missing figure."""


@dataclass(frozen=True)
class Indicator:
    key: str
    dimension: str
    name: str
    deprived_when: str


@dataclass(frozen=True)
class Standard:
    key: str
    name: str
    law: str
    first_year: int
    last_year: int
    income_lines: dict[str, int]
    # Upper bound (inclusive) of "average living standard"; also the low-income worker ceiling.
    average_upper_bounds: dict[str, int]
    indicators: tuple[Indicator, ...]
    poor_min_deprivations: int = 3
    a_point_lines: dict[str, int] | None = None
    # False where the law sets no "average living standard" band: the bound above only tells average
    # from not poor, and no status (farm household of average living standard, low-income worker)
    # is derived from it.
    average_band_in_law: bool = True
    # Names of the figures above that DOMAIN.md marks "to confirm"; empty when all are settled.
    to_confirm: tuple[str, ...] = field(default=())

    @property
    def provisional(self) -> bool:
        return bool(self.to_confirm)

    @property
    def indicator_keys(self) -> tuple[str, ...]:
        return tuple(indicator.key for indicator in self.indicators)

    def indicator(self, key: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.key == key:
                return indicator
        raise ClassificationError(
            _("Unknown indicator %(key)s for %(standard)s.") % {"key": key, "standard": self.name}
        )

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    def __str__(self):
        return str(self.name)


@dataclass(frozen=True)
class Classification:
    category: str
    reasons: tuple[str, ...]
    deprivation_count: int
    b_points: int
    by_a_points: bool


def _indicator(key, dimension, name, deprived_when):
    return Indicator(key, dimension, name, deprived_when)


# The twelve indicators of Decree 07/2021 in six dimensions (wording of "deprived when" to confirm).
EMPLOYMENT = _indicator(
    "employment",
    gettext_lazy("Employment"),
    gettext_lazy("Employment"),
    gettext_lazy("A working-age member is unemployed, or works for wages without a labour contract."),
)
DEPENDANTS = _indicator(
    "dependants",
    gettext_lazy("Employment"),
    gettext_lazy("Dependants in the household"),
    gettext_lazy("Dependants (children, elderly, disabled…) are more than half the household."),
)
NUTRITION = _indicator(
    "nutrition",
    gettext_lazy("Health"),
    gettext_lazy("Nutrition"),
    gettext_lazy("A child under 16 is stunted or underweight."),
)
HEALTH_INSURANCE = _indicator(
    "health_insurance",
    gettext_lazy("Health"),
    gettext_lazy("Health insurance"),
    gettext_lazy("A member aged 6 or over has no health insurance."),
)
ADULT_EDUCATION = _indicator(
    "adult_education",
    gettext_lazy("Education"),
    gettext_lazy("Education level of adults"),
    gettext_lazy(
        "A member aged 16–30 is not in training and lacks the diploma or certificate for their age."
    ),
)
CHILD_SCHOOL_ATTENDANCE = _indicator(
    "child_school_attendance",
    gettext_lazy("Education"),
    gettext_lazy("School attendance of children"),
    gettext_lazy("A child aged 3 to under 16 does not attend school at the level for their age."),
)
HOUSING_QUALITY = _indicator(
    "housing_quality",
    gettext_lazy("Housing"),
    gettext_lazy("Housing quality"),
    gettext_lazy("The house is non-durable (at least 2 of walls, frame, roof of non-durable material)."),
)
HOUSING_AREA_PER_CAPITA = _indicator(
    "housing_area_per_capita",
    gettext_lazy("Housing"),
    gettext_lazy("Housing area per person"),
    gettext_lazy("Floor area per person is under 8 m²."),
)
DOMESTIC_WATER = _indicator(
    "domestic_water",
    gettext_lazy("Domestic water and sanitation"),
    gettext_lazy("Domestic water source"),
    gettext_lazy("No safe domestic water source."),
)
HYGIENIC_LATRINE = _indicator(
    "hygienic_latrine",
    gettext_lazy("Domestic water and sanitation"),
    gettext_lazy("Hygienic latrine"),
    gettext_lazy("No hygienic latrine."),
)
TELECOM_SERVICES = _indicator(
    "telecom_services",
    gettext_lazy("Information"),
    gettext_lazy("Use of telecommunication services"),
    gettext_lazy("No member uses a phone subscription or the internet."),
)
INFORMATION_MEANS = _indicator(
    "information_means",
    gettext_lazy("Information"),
    gettext_lazy("Means of access to information"),
    gettext_lazy("No TV, radio, computer, and no access to the village loudspeakers."),
)
# Decree 351/2025: twelve indicators. "Means of access to information" is dropped, the telecom
# indicator takes in digital services and the internet (one indicator, a new threshold), and household
# waste joins water and sanitation in the dimension "water, sanitation and environment". The wording
# of the thresholds is to confirm.
WATER_SANITATION_ENVIRONMENT = gettext_lazy("Domestic water, sanitation and environment")
TELECOM_AND_DIGITAL_SERVICES = _indicator(
    "telecom_digital_services",
    gettext_lazy("Information"),
    gettext_lazy("Use of telecommunication and digital services"),
    gettext_lazy("No member uses telecommunication services, the internet or digital services."),
)
HOUSEHOLD_WASTE = _indicator(
    "household_waste",
    WATER_SANITATION_ENVIRONMENT,
    gettext_lazy("Household waste treatment"),
    gettext_lazy("Household waste is not collected or treated hygienically."),
)

DECREE_07_2021 = Standard(
    key="decree_07_2021",
    name=gettext_lazy("Decree 07/2021/NĐ-CP (2022–2026)"),
    law=gettext_lazy("Decree 07/2021/NĐ-CP, amended by Decree 30/2025/NĐ-CP"),
    first_year=2022,
    last_year=2026,
    income_lines={RURAL: 1_500_000, URBAN: 2_000_000},
    average_upper_bounds={RURAL: 2_250_000, URBAN: 3_000_000},
    a_point_lines={RURAL: 140, URBAN: 175},
    indicators=(
        EMPLOYMENT,
        DEPENDANTS,
        NUTRITION,
        HEALTH_INSURANCE,
        ADULT_EDUCATION,
        CHILD_SCHOOL_ATTENDANCE,
        HOUSING_QUALITY,
        HOUSING_AREA_PER_CAPITA,
        DOMESTIC_WATER,
        HYGIENIC_LATRINE,
        TELECOM_SERVICES,
        INFORMATION_MEANS,
    ),
)

DECREE_351_2025 = Standard(
    key="decree_351_2025",
    name=gettext_lazy("Decree 351/2025/NĐ-CP (2027–2030)"),
    law=gettext_lazy("Decree 351/2025/NĐ-CP"),
    first_year=2027,
    last_year=2030,
    income_lines={RURAL: 2_200_000, URBAN: 2_800_000},
    # Not in the decree: 1.5 × the line, the ratio of Decree 07/2021, only to tell average from not
    # poor (to confirm).
    average_upper_bounds={RURAL: 3_300_000, URBAN: 4_200_000},
    average_band_in_law=False,
    # The B1 form's A-point lines for this standard are not known yet: A points are refused.
    a_point_lines=None,
    indicators=(
        EMPLOYMENT,
        DEPENDANTS,
        NUTRITION,
        HEALTH_INSURANCE,
        ADULT_EDUCATION,
        CHILD_SCHOOL_ATTENDANCE,
        HOUSING_QUALITY,
        HOUSING_AREA_PER_CAPITA,
        replace(DOMESTIC_WATER, dimension=WATER_SANITATION_ENVIRONMENT),
        replace(HYGIENIC_LATRINE, dimension=WATER_SANITATION_ENVIRONMENT),
        HOUSEHOLD_WASTE,
        TELECOM_AND_DIGITAL_SERVICES,
    ),
    # The income lines and the three deprivations are the decree's; the thresholds' wording is not
    # yet checked against its text.
    to_confirm=("average_upper_bounds", "indicators"),
)

STANDARDS: dict[str, Standard] = {s.key: s for s in (DECREE_07_2021, DECREE_351_2025)}


def get_standard(key: str) -> Standard:
    try:
        return STANDARDS[key]
    except KeyError:
        raise ClassificationError(_("Unknown poverty standard %(key)s.") % {"key": key}) from None


def standard_for_year(year: int) -> Standard:
    for standard in STANDARDS.values():
        if standard.covers(year):
            return standard
    raise ClassificationError(_("No poverty standard covers the year %(year)s.") % {"year": year})


def standard_choices() -> list[tuple[str, str]]:
    return [(s.key, s.name) for s in STANDARDS.values()]


def _check_area(area: str) -> None:
    if area not in AREAS:
        raise ClassificationError(_("Unknown area type %(area)s: rural or urban.") % {"area": area})


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


def classify(
    standard: Standard,
    area: str,
    monthly_income_per_person: int | None,
    deprived_indicators: Iterable[str],
    a_points: int | None = None,
) -> Classification:
    """The category of a household under `standard`, with the reasons, as DOMAIN.md §3 states.

    Income at or below the line (or A points at or below the A-point line, when given) with at least
    `poor_min_deprivations` deprivations is poor, with fewer near-poor; above the line, average up to
    the upper bound (decided on income), not poor beyond it. Deprivations never make a household
    above the line poor.
    """
    _check_area(area)
    deprived = set(deprived_indicators)
    unknown = sorted(deprived - set(standard.indicator_keys))
    if unknown:
        raise ClassificationError(
            _("Unknown indicator %(key)s for %(standard)s.")
            % {"key": ", ".join(unknown), "standard": standard}
        )
    if monthly_income_per_person is not None and monthly_income_per_person < 0:
        raise ClassificationError(_("The income cannot be negative."))
    if a_points is not None and a_points < 0:
        raise ClassificationError(_("The A points cannot be negative."))
    if a_points is None and monthly_income_per_person is None:
        raise ClassificationError(_("Enter the income per person per month, or the A points."))

    count = len(deprived)
    b_points = count * B_POINTS_PER_INDICATOR
    line = standard.income_lines[area]
    reasons = []
    if a_points is not None:
        if standard.a_point_lines is None:
            raise ClassificationError(
                _("%(standard)s has no A-point line yet: classify by income.") % {"standard": standard}
            )
        a_line = standard.a_point_lines[area]
        at_or_below_line = a_points <= a_line
        sign = "≤" if at_or_below_line else ">"
        reasons.append(
            _("A points %(points)s %(sign)s %(line)s, the line for this area.")
            % {"points": a_points, "sign": sign, "line": a_line}
        )
    else:
        at_or_below_line = monthly_income_per_person <= line
        sign = "≤" if at_or_below_line else ">"
        reasons.append(
            _("Income %(income)s per person per month %(sign)s %(line)s, the poverty line for this area.")
            % {"income": _money(monthly_income_per_person), "sign": sign, "line": _money(line)}
        )

    if at_or_below_line:
        threshold = standard.poor_min_deprivations
        if count >= threshold:
            category = POOR
            reasons.append(
                _(
                    "Deprived in %(count)s indicators (B points %(points)s): "
                    "%(threshold)s or more makes it poor."
                )
                % {"count": count, "points": b_points, "threshold": threshold}
            )
        else:
            category = NEAR_POOR
            reasons.append(
                _(
                    "Deprived in %(count)s indicators (B points %(points)s): "
                    "fewer than %(threshold)s makes it near-poor."
                )
                % {"count": count, "points": b_points, "threshold": threshold}
            )
        return Classification(category, tuple(reasons), count, b_points, a_points is not None)

    if monthly_income_per_person is None:
        raise ClassificationError(
            _("Above the line: enter the income per person per month to tell average from not poor.")
        )
    upper = standard.average_upper_bounds[area]
    if monthly_income_per_person <= upper:
        category = AVERAGE
        reasons.append(
            _("Income %(income)s ≤ %(upper)s: average living standard.")
            % {"income": _money(monthly_income_per_person), "upper": _money(upper)}
        )
    else:
        category = NOT_POOR
        reasons.append(
            _("Income %(income)s > %(upper)s: not poor.")
            % {"income": _money(monthly_income_per_person), "upper": _money(upper)}
        )
    if count:
        reasons.append(_("Deprivations do not make a household above the line poor."))
    return Classification(category, tuple(reasons), count, b_points, a_points is not None)


def is_low_income_household(standard: Standard, area: str, category: str, monthly_income_per_person) -> bool:
    """Decree 30/2025: members of a household neither poor nor near-poor, with income per person at
    most the average upper bound, are low-income workers (a person-level flag for job support)."""
    _check_area(area)
    if not standard.average_band_in_law or category in (POOR, NEAR_POOR) or monthly_income_per_person is None:
        return False
    return monthly_income_per_person <= standard.average_upper_bounds[area]


@dataclass(frozen=True)
class Assessment:
    """Whether an application for a status (Decree 30/2025) meets the criteria, and why."""

    eligible: bool
    reasons: tuple[str, ...]


def _income_band(standard: Standard, area: str, monthly_income_per_person: int) -> tuple[bool, str]:
    """Whether the income is within the band of average living standard (above the line, at most
    the upper bound), with the reason."""
    _check_area(area)
    if not standard.average_band_in_law:
        raise ClassificationError(
            _("%(standard)s sets no band of average living standard: no request is assessed against it.")
            % {"standard": standard}
        )
    if monthly_income_per_person < 0:
        raise ClassificationError(_("The income cannot be negative."))
    line, upper = standard.income_lines[area], standard.average_upper_bounds[area]
    values = {"income": _money(monthly_income_per_person), "line": _money(line), "upper": _money(upper)}
    if monthly_income_per_person <= line:
        return False, _(
            "Income %(income)s per person per month ≤ %(line)s, the poverty line: the household is "
            "reviewed for the poor and near-poor lists instead."
        ) % values
    if monthly_income_per_person > upper:
        return False, _("Income %(income)s per person per month > %(upper)s, the upper bound.") % values
    return True, _("Income %(income)s per person per month, above %(line)s and at most %(upper)s.") % values


def assess_farm_household(
    standard: Standard, area: str, *, farm_livelihood: bool, monthly_income_per_person: int
) -> Assessment:
    """A household living from agriculture, forestry, fishery or salt-making with an income of the
    previous 12 months (without state social assistance) of average living standard."""
    within, reason = _income_band(standard, area, monthly_income_per_person)
    reasons = [reason]
    if not farm_livelihood:
        reasons.append(_("Its main livelihood is not agriculture, forestry, fishery or salt-making."))
    return Assessment(within and farm_livelihood, tuple(reasons))


def assess_low_income_worker(
    standard: Standard, area: str, *, monthly_income_per_person: int, of_working_age: bool, working: bool
) -> Assessment:
    """A working member of a household neither poor nor near-poor with income per person at most the
    upper bound (Decree 30/2025); the household's lists are checked by the caller."""
    within, reason = _income_band(standard, area, monthly_income_per_person)
    reasons = [reason]
    if not of_working_age:
        reasons.append(_("The person is under %(age)s, the working age.") % {"age": WORKING_AGE_FROM})
    if not working:
        reasons.append(_("The person is not working (student, unable to work or not of working age)."))
    return Assessment(within and of_working_age and working, tuple(reasons))


# Transitions between a household's categories in two consecutive years (DOMAIN.md §3).
NEWLY_POOR = "newly_poor"
RE_POOR = "re_poor"
ESCAPED_POVERTY = "escaped_poverty"
POOR_TO_NEAR_POOR = "poor_to_near_poor"
NEAR_POOR_TO_POOR = "near_poor_to_poor"
ESCAPED_NEAR_POVERTY = "escaped_near_poverty"
NEWLY_NEAR_POOR = "newly_near_poor"
UNCHANGED = "unchanged"
TRANSITIONS = (
    NEWLY_POOR,
    RE_POOR,
    ESCAPED_POVERTY,
    POOR_TO_NEAR_POOR,
    NEAR_POOR_TO_POOR,
    ESCAPED_NEAR_POVERTY,
    NEWLY_NEAR_POOR,
    UNCHANGED,
)
TRANSITION_LABELS = {
    NEWLY_POOR: gettext_lazy("Newly poor"),
    # "Tái nghèo": poor again after it had escaped poverty (poor in earlier lists, above the
    # near-poor line in the previous ones). A near-poor household becoming poor is near-poor → poor.
    RE_POOR: gettext_lazy("Poor again (re-poverty)"),
    ESCAPED_POVERTY: gettext_lazy("Escaped poverty"),
    POOR_TO_NEAR_POOR: gettext_lazy("Poor → near-poor"),
    NEAR_POOR_TO_POOR: gettext_lazy("Near-poor → poor"),
    ESCAPED_NEAR_POVERTY: gettext_lazy("Escaped near-poverty"),
    NEWLY_NEAR_POOR: gettext_lazy("Newly near-poor"),
    UNCHANGED: gettext_lazy("Unchanged"),
}


def _group(category: str | None) -> str:
    return category if category in (POOR, NEAR_POOR) else "other"


def transition(previous: str | None, current: str | None, *, poor_before: bool = False) -> str | None:
    """The move between the previous lists' category and these lists'; None without both reviews.
    `poor_before`: the household was poor in lists earlier than the previous ones, so a household
    poor again from above the near-poor line is re-poverty, not newly poor.

    "Average" and "not poor" are one group here: the lists the commune decides are of poor and
    near-poor households, and moves between the two above the line are not transitions.
    """
    if previous is None or current is None:
        return None
    before, after = _group(previous), _group(current)
    if before == after:
        return UNCHANGED
    return {
        ("other", POOR): RE_POOR if poor_before else NEWLY_POOR,
        (POOR, "other"): ESCAPED_POVERTY,
        (POOR, NEAR_POOR): POOR_TO_NEAR_POOR,
        (NEAR_POOR, POOR): NEAR_POOR_TO_POOR,
        (NEAR_POOR, "other"): ESCAPED_NEAR_POVERTY,
        ("other", NEAR_POOR): NEWLY_NEAR_POOR,
    }[(before, after)]


# The three lists the commune chairman's decision recognises (DOMAIN.md §4 step 5).
POOR_AND_NEAR_POOR_LIST = "poor_and_near_poor"
ESCAPED_POVERTY_LIST = "escaped_poverty"
ESCAPED_NEAR_POVERTY_LIST = "escaped_near_poverty"
RECOGNITION_LISTS = (POOR_AND_NEAR_POOR_LIST, ESCAPED_POVERTY_LIST, ESCAPED_NEAR_POVERTY_LIST)
RECOGNITION_LIST_LABELS = {
    POOR_AND_NEAR_POOR_LIST: gettext_lazy("Poor and near-poor households after the review"),
    ESCAPED_POVERTY_LIST: gettext_lazy("Households that escaped poverty"),
    ESCAPED_NEAR_POVERTY_LIST: gettext_lazy("Households that escaped near-poverty"),
}


def recognition_lists(previous: str | None, current: str | None) -> tuple[str, ...]:
    """The lists of the decision a household is on, from its previous category and the review's.

    "Thoát nghèo" is read literally, no longer poor: a poor household now near-poor escaped poverty
    and is on the near-poor list too. A near-poor household now poor did not escape near-poverty (it
    became poor). Without a previous category a household escaped nothing."""
    lists = []
    if current in (POOR, NEAR_POOR):
        lists.append(POOR_AND_NEAR_POOR_LIST)
    kind = transition(previous, current)
    if kind in (ESCAPED_POVERTY, POOR_TO_NEAR_POOR):
        lists.append(ESCAPED_POVERTY_LIST)
    if kind == ESCAPED_NEAR_POVERTY:
        lists.append(ESCAPED_NEAR_POVERTY_LIST)
    return tuple(lists)
