"""Planned, spent and remaining: computed by the database, equal to a hand sum, over-spending flagged."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from assistance import services
from assistance.models import Activity, Plan

DAY = datetime.date(2022, 10, 1)


@pytest.fixture
def spent_plan(make_plan, line, department_officer):
    plan = make_plan()
    by = department_officer
    lines = {
        "class": line(plan, by=by, kind=Activity.Kind.TRAINING_CLASS, amount=30_000_000),
        "inspection": line(plan, by=by, kind=Activity.Kind.INSPECTION, amount=15_000_000),
        "cows": line(plan, by=by, kind=Activity.Kind.LIVELIHOOD_MODEL, amount=221_000_000),
        "goats": line(plan, by=by, kind=Activity.Kind.LIVELIHOOD_MODEL, amount=80_000_000),
        "dropped": line(plan, by=by, kind=Activity.Kind.COMMUNICATION, amount=20_000_000),
    }
    services.approve_plan(plan=plan, by=by, on=DAY)
    for key, amount, voucher in [
        ("class", 12_500_000, "PC-01"),
        ("class", 17_000_000, "PC-02"),
        ("cows", 200_000_000, "PC-03"),
        ("goats", 1_000_000, "PC-04"),
    ]:
        services.record_spending(
            activity=lines[key], spent_on=DAY, amount=amount, voucher_number=voucher, by=by
        )
    services.set_activity_status(
        activity=lines["dropped"], status="cancelled", reason="Gộp vào lớp tập huấn", by=by
    )
    return plan, lines


def test_plan_totals_are_computed_by_the_database_and_equal_a_hand_sum(spent_plan):
    plan, _ = spent_plan
    totals = Plan.objects.with_progress().get(pk=plan.pk)
    planned_by_hand = 30_000_000 + 15_000_000 + 221_000_000 + 80_000_000  # the cancelled line is released
    spent_by_hand = 12_500_000 + 17_000_000 + 200_000_000 + 1_000_000
    assert totals.planned == planned_by_hand == 346_000_000
    assert totals.spent == spent_by_hand == 230_500_000
    assert totals.remaining == planned_by_hand - spent_by_hand
    assert (totals.activity_count, totals.done_count) == (4, 0)


def test_each_activity_has_its_spent_and_remaining(spent_plan):
    plan, lines = spent_plan
    rows = {a.pk: a for a in plan.activities.with_money()}
    assert rows[lines["class"].pk].spent == 29_500_000
    assert rows[lines["class"].pk].remaining == 500_000
    assert rows[lines["inspection"].pk].spent == 0
    assert rows[lines["inspection"].pk].remaining == 15_000_000
    assert not any(row.over_plan for row in rows.values())


def test_totals_per_kind_equal_a_hand_sum(spent_plan):
    plan, _ = spent_plan
    by_kind = {row["kind"]: row for row in plan.activities.budget_by_kind()}
    livelihood = by_kind[Activity.Kind.LIVELIHOOD_MODEL]
    assert livelihood["planned"] == 221_000_000 + 80_000_000
    assert livelihood["spent"] == 200_000_000 + 1_000_000
    assert livelihood["remaining"] == 100_000_000
    assert Activity.Kind.COMMUNICATION not in by_kind  # cancelled, nothing spent: nothing to show
    assert (
        sum(row["planned"] for row in by_kind.values())
        == Plan.objects.with_progress().get(pk=plan.pk).planned
    )


def test_spending_over_the_plan_is_refused_unless_confirmed_and_then_flagged(spent_plan, department_officer):
    plan, lines = spent_plan
    with pytest.raises(ValidationError) as refused:
        services.record_spending(
            activity=lines["class"],
            spent_on=DAY,
            amount=1_000_000,
            voucher_number="PC-05",
            by=department_officer,
        )
    assert refused.value.code == "over_plan"
    assert "30.500.000 đ" in refused.value.messages[0] and "30.000.000 đ" in refused.value.messages[0]

    services.record_spending(
        activity=lines["class"],
        spent_on=DAY,
        amount=1_000_000,
        voucher_number="PC-05",
        by=department_officer,
        allow_over_plan=True,
    )
    row = Activity.objects.with_money().get(pk=lines["class"].pk)
    assert row.over_plan and row.remaining == -500_000
    by_kind = {r["kind"]: r for r in plan.activities.budget_by_kind()}
    assert by_kind[Activity.Kind.TRAINING_CLASS]["over_plan"]


def test_money_is_recorded_only_against_an_approved_plan(make_plan, line, department_officer):
    plan = make_plan()
    draft_line = line(plan, by=department_officer)
    with pytest.raises(ValidationError, match="đã phê duyệt"):
        services.record_spending(
            activity=draft_line, spent_on=DAY, amount=1, voucher_number="X", by=department_officer
        )


def test_no_more_money_against_a_cancelled_activity(spent_plan, department_officer):
    _, lines = spent_plan
    with pytest.raises(ValidationError, match="đã bị hủy"):
        services.record_spending(
            activity=lines["dropped"], spent_on=DAY, amount=1, voucher_number="X", by=department_officer
        )


def test_the_database_refuses_a_zero_amount(spent_plan):
    from django.db import IntegrityError, transaction

    from assistance.models import Spending

    _, lines = spent_plan
    with pytest.raises(IntegrityError), transaction.atomic():
        Spending.objects.create(activity=lines["class"], spent_on=DAY, amount=0, voucher_number="X")
