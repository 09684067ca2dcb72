"""A review's category is the final one if the meeting or a complaint changed it, else the computed one."""

from types import SimpleNamespace

import pytest

from households.models import HouseholdReview


def review(computed="", final="", reason=""):
    return HouseholdReview(computed_category=computed, final_category=final, final_reason=reason)


@pytest.mark.parametrize(
    ("before", "result", "final", "after"),
    [
        # (computed, final, reason) before → after, and the category that follows
        (("", "", ""), "poor", None, ("poor", "", "", "poor")),
        (("poor", "near_poor", "họp"), "average", None, ("average", "near_poor", "họp", "near_poor")),
        (("poor", "near_poor", "họp"), "near_poor", None, ("near_poor", "", "", "near_poor")),
        (("poor", "", ""), None, "near_poor", ("poor", "near_poor", "khiếu nại", "near_poor")),
        (("poor", "near_poor", "họp"), None, "", ("poor", "", "", "poor")),
        (("poor", "near_poor", "họp"), None, "poor", ("poor", "", "", "poor")),
    ],
)
def test_the_category_follows_the_computed_and_final_ones(before, result, final, after):
    made = review(*before)
    reason = "  khiếu nại " if final else "ignored"
    made.apply(SimpleNamespace(category=result) if result else None, final=final, reason=reason)
    assert (made.computed_category, made.final_category, made.final_reason, made.category) == after
