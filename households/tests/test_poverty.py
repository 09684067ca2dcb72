"""The poverty standards as a table of cases: every line of DOMAIN.md §3's rule, at its boundaries."""

import pytest

from households import poverty
from households.poverty import (
    AVERAGE,
    DECREE_07_2021,
    DECREE_351_2025,
    NEAR_POOR,
    NOT_POOR,
    POOR,
    RURAL,
    URBAN,
    ClassificationError,
    classify,
)

TWO = ["health_insurance", "hygienic_latrine"]
THREE = ["health_insurance", "hygienic_latrine", "housing_quality"]
ALL_12 = list(DECREE_07_2021.indicator_keys)
pytestmark = pytest.mark.usefixtures("english")  # the tests read the reasons and errors

# standard, area, income, deprived, A points, expected category
CASES = [
    # Rural line 1.500.000 đ, average up to 2.250.000 đ.
    (DECREE_07_2021, RURAL, 0, THREE, None, POOR),
    (DECREE_07_2021, RURAL, 1_499_999, THREE, None, POOR),
    (DECREE_07_2021, RURAL, 1_500_000, THREE, None, POOR),
    (DECREE_07_2021, RURAL, 1_500_000, ALL_12, None, POOR),
    (DECREE_07_2021, RURAL, 1_500_000, TWO, None, NEAR_POOR),
    (DECREE_07_2021, RURAL, 1_500_000, [], None, NEAR_POOR),
    (DECREE_07_2021, RURAL, 1_500_001, THREE, None, AVERAGE),
    (DECREE_07_2021, RURAL, 1_500_001, ALL_12, None, AVERAGE),
    (DECREE_07_2021, RURAL, 1_500_001, TWO, None, AVERAGE),
    (DECREE_07_2021, RURAL, 2_250_000, THREE, None, AVERAGE),
    (DECREE_07_2021, RURAL, 2_250_001, [], None, NOT_POOR),
    (DECREE_07_2021, RURAL, 2_250_001, ALL_12, None, NOT_POOR),
    # Urban line 2.000.000 đ, average up to 3.000.000 đ: the rural figures fall differently.
    (DECREE_07_2021, URBAN, 1_500_001, THREE, None, POOR),
    (DECREE_07_2021, URBAN, 2_000_000, THREE, None, POOR),
    (DECREE_07_2021, URBAN, 2_000_000, TWO, None, NEAR_POOR),
    (DECREE_07_2021, URBAN, 2_000_001, THREE, None, AVERAGE),
    (DECREE_07_2021, URBAN, 2_250_001, [], None, AVERAGE),
    (DECREE_07_2021, URBAN, 3_000_000, TWO, None, AVERAGE),
    (DECREE_07_2021, URBAN, 3_000_001, THREE, None, NOT_POOR),
    # A points, when given, decide the line: 140 rural, 175 urban (A ≤ line ⇔ income ≤ line).
    (DECREE_07_2021, RURAL, None, THREE, 140, POOR),
    (DECREE_07_2021, RURAL, None, TWO, 140, NEAR_POOR),
    (DECREE_07_2021, RURAL, 1_600_000, THREE, 140, POOR),  # A points win over the estimated income
    (DECREE_07_2021, RURAL, 1_400_000, THREE, 141, AVERAGE),
    (DECREE_07_2021, RURAL, 2_300_000, THREE, 141, NOT_POOR),
    (DECREE_07_2021, URBAN, None, THREE, 175, POOR),
    (DECREE_07_2021, URBAN, None, [], 175, NEAR_POOR),
    (DECREE_07_2021, URBAN, 2_500_000, THREE, 176, AVERAGE),
    # Decree 351/2025: rural 2.200.000 đ, urban 2.800.000 đ, its twelve indicators.
    (
        DECREE_351_2025,
        RURAL,
        2_200_000,
        ["household_waste", "telecom_digital_services", "employment"],
        None,
        POOR,
    ),
    (DECREE_351_2025, RURAL, 2_200_000, ["household_waste", "telecom_digital_services"], None, NEAR_POOR),
    (DECREE_351_2025, RURAL, 2_200_001, THREE, None, AVERAGE),
    (DECREE_351_2025, URBAN, 2_800_000, THREE, None, POOR),
    (DECREE_351_2025, URBAN, 2_800_001, THREE, None, AVERAGE),
]


@pytest.mark.parametrize(("standard", "area", "income", "deprived", "a_points", "expected"), CASES)
def test_classification_follows_the_standard(standard, area, income, deprived, a_points, expected):
    result = classify(standard, area, income, deprived, a_points=a_points)
    assert result.category == expected
    assert result.deprivation_count == len(deprived)
    assert result.b_points == 10 * len(deprived)
    assert result.by_a_points is (a_points is not None)
    assert result.reasons


def test_every_case_of_the_rule_is_in_the_table():
    covered = {(s.key, area, expected) for s, area, _i, _d, _a, expected in CASES}
    for standard in poverty.STANDARDS.values():
        for area in poverty.AREAS:
            for category in poverty.CATEGORIES:
                assert (standard.key, area, category) in covered or standard.provisional


def test_reasons_name_the_line_and_the_deprivations():
    result = classify(DECREE_07_2021, RURAL, 1_500_000, THREE)
    assert "1.500.000 đ" in result.reasons[0] and "≤" in result.reasons[0]
    assert "3" in result.reasons[1]


def test_deprivations_above_the_line_are_said_not_to_count():
    result = classify(DECREE_07_2021, RURAL, 1_600_000, ALL_12)
    assert result.category == AVERAGE
    assert result.reasons[-1] == "Deprivations do not make a household above the line poor."


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"deprived_indicators": ["internet"]}, "internet"),
        ({"deprived_indicators": ["household_waste"]}, "household_waste"),  # not a Decree 07 indicator
        ({"monthly_income_per_person": -1}, "negative"),
        ({"a_points": -5}, "negative"),
        ({"area": "mountain"}, "mountain"),
        ({"monthly_income_per_person": None}, "income"),
    ],
)
def test_classification_refuses_what_it_cannot_classify(kwargs, message):
    arguments = {
        "standard": DECREE_07_2021,
        "area": RURAL,
        "monthly_income_per_person": 1_000_000,
        "deprived_indicators": [],
        **kwargs,
    }
    with pytest.raises(ClassificationError, match=message):
        classify(**arguments)


def test_a_points_above_the_line_need_the_income_to_tell_average_from_not_poor():
    with pytest.raises(ClassificationError, match="income"):
        classify(DECREE_07_2021, RURAL, None, [], a_points=150)


def test_a_standard_without_a_point_lines_refuses_a_points():
    with pytest.raises(ClassificationError, match="A-point"):
        classify(DECREE_351_2025, RURAL, None, [], a_points=100)


def test_the_standards_cover_their_periods_and_the_new_one_is_provisional():
    assert poverty.standard_for_year(2022) is DECREE_07_2021
    assert poverty.standard_for_year(2026) is DECREE_07_2021
    assert poverty.standard_for_year(2027) is DECREE_351_2025
    assert poverty.standard_for_year(2030) is DECREE_351_2025
    with pytest.raises(ClassificationError):
        poverty.standard_for_year(2031)
    assert not DECREE_07_2021.provisional
    assert DECREE_351_2025.provisional
    assert len(DECREE_07_2021.indicators) == 12
    # Only the band of average living standard and the thresholds' wording are left to confirm.
    assert DECREE_351_2025.to_confirm == ("average_upper_bounds", "indicators")


def test_decree_351_has_twelve_indicators_in_six_dimensions():
    """Means of access to information dropped, telecommunication and digital services one indicator,
    household waste treatment with water and sanitation."""
    keys = DECREE_351_2025.indicator_keys
    assert len(keys) == 12 and len(set(keys)) == 12
    assert {"information_means", "telecom_services"}.isdisjoint(keys)
    dimensions = {}
    for indicator in DECREE_351_2025.indicators:
        dimensions.setdefault(str(indicator.dimension), []).append(indicator.key)
    assert len(dimensions) == 6
    assert dimensions["Domestic water, sanitation and environment"] == [
        "domestic_water",
        "hygienic_latrine",
        "household_waste",
    ]
    assert dimensions["Information"] == ["telecom_digital_services"]
    # The same indicators keep their dimension under Decree 07/2021.
    assert str(DECREE_07_2021.indicator("domestic_water").dimension) == "Domestic water and sanitation"


def test_indicator_keys_are_domain_md_keys():
    assert DECREE_07_2021.indicator_keys == (
        "employment",
        "dependants",
        "nutrition",
        "health_insurance",
        "adult_education",
        "child_school_attendance",
        "housing_quality",
        "housing_area_per_capita",
        "domestic_water",
        "hygienic_latrine",
        "telecom_services",
        "information_means",
    )


@pytest.mark.parametrize(
    ("area", "category", "income", "expected"),
    [
        (RURAL, AVERAGE, 2_250_000, True),
        (RURAL, NOT_POOR, 2_250_001, False),
        (RURAL, POOR, 1_000_000, False),
        (RURAL, NEAR_POOR, 1_400_000, False),
        (URBAN, AVERAGE, 3_000_000, True),
        (URBAN, NOT_POOR, 3_000_001, False),
        (URBAN, AVERAGE, None, False),
    ],
)
def test_low_income_workers_of_decree_30_2025(area, category, income, expected):
    assert poverty.is_low_income_household(DECREE_07_2021, area, category, income) is expected
    # Decree 351/2025 sets no such band: no one is a low-income worker by it.
    assert poverty.is_low_income_household(DECREE_351_2025, area, category, income) is False


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        (NOT_POOR, POOR, poverty.NEWLY_POOR),
        (AVERAGE, POOR, poverty.NEWLY_POOR),
        (POOR, AVERAGE, poverty.ESCAPED_POVERTY),
        (POOR, NOT_POOR, poverty.ESCAPED_POVERTY),
        (POOR, NEAR_POOR, poverty.POOR_TO_NEAR_POOR),
        (NEAR_POOR, POOR, poverty.NEAR_POOR_TO_POOR),
        (NEAR_POOR, AVERAGE, poverty.ESCAPED_NEAR_POVERTY),
        (NOT_POOR, NEAR_POOR, poverty.NEWLY_NEAR_POOR),
        (POOR, POOR, poverty.UNCHANGED),
        (NEAR_POOR, NEAR_POOR, poverty.UNCHANGED),
        (AVERAGE, NOT_POOR, poverty.UNCHANGED),
        (None, POOR, None),
        (POOR, None, None),
    ],
)
def test_transitions_between_years(previous, current, expected):
    assert poverty.transition(previous, current) == expected


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        # Poor in earlier lists, above the near-poor line in the previous ones: poor again.
        (AVERAGE, POOR, poverty.RE_POOR),
        (NOT_POOR, POOR, poverty.RE_POOR),
        # Near-poor → poor stays its own move, whatever came before.
        (NEAR_POOR, POOR, poverty.NEAR_POOR_TO_POOR),
        (POOR, POOR, poverty.UNCHANGED),
        (AVERAGE, NEAR_POOR, poverty.NEWLY_NEAR_POOR),
        (AVERAGE, NOT_POOR, poverty.UNCHANGED),
    ],
)
def test_a_household_poor_before_that_had_escaped_is_poor_again(previous, current, expected):
    assert poverty.transition(previous, current, poor_before=True) == expected
