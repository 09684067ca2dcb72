"""A draft plan changes; an approved plan changes only through recorded amendments."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assistance import services
from assistance.models import Activity, PlanAmendment


def test_a_draft_line_can_be_changed_and_deleted(make_plan, line, department_officer):
    plan = make_plan()
    activity = line(plan, by=department_officer, amount=10_000_000)
    activity.planned_amount = 12_000_000
    services.update_draft_activity(activity=activity, by=department_officer)
    assert Activity.objects.get(pk=activity.pk).planned_amount == 12_000_000
    services.delete_draft_activity(activity=activity, by=department_officer)
    assert not plan.activities.exists()
    assert not PlanAmendment.objects.exists()


def test_an_approved_plan_refuses_direct_edits(make_plan, department_officer):
    plan = make_plan(approved=True)
    activity = plan.activities.get()
    activity.planned_amount = 99_000_000
    with pytest.raises(ValidationError) as refused:
        services.update_draft_activity(activity=activity, by=department_officer)
    assert refused.value.code == "plan_locked"
    with pytest.raises(ValidationError):
        services.delete_draft_activity(activity=activity, by=department_officer)
    plan.title = "Đổi tên"
    with pytest.raises(ValidationError):
        services.save_draft_plan(plan=plan, by=department_officer)
    assert Activity.objects.get(pk=activity.pk).planned_amount == 10_000_000


def test_an_amendment_records_what_changed_why_when_and_who(make_plan, department_officer):
    plan = make_plan(approved=True)
    activity = plan.activities.get()
    amendment = services.amend_activity(
        activity=activity,
        changes={"planned_amount": 12_000_000, "planned_on": datetime.date(2022, 11, 3)},
        reason="Giá thuê hội trường tăng",
        by=department_officer,
    )
    activity.refresh_from_db()
    plan.refresh_from_db()
    assert activity.planned_amount == 12_000_000
    assert plan.version == 2 and amendment.number == 2
    assert "10.000.000 đ → 12.000.000 đ" in amendment.changes
    assert "15/09/2022 → 03/11/2022" in amendment.changes
    assert amendment.reason == "Giá thuê hội trường tăng"
    assert amendment.made_by == department_officer and amendment.made_at is not None


def test_an_amendment_needs_a_reason_and_a_change(make_plan, department_officer):
    plan = make_plan(approved=True)
    activity = plan.activities.get()
    with pytest.raises(ValidationError):
        services.amend_activity(
            activity=activity, changes={"planned_amount": 1}, reason=" ", by=department_officer
        )
    with pytest.raises(ValidationError, match="Không có nội dung nào thay đổi"):
        services.amend_activity(
            activity=activity,
            changes={"planned_amount": activity.planned_amount},
            reason="x",
            by=department_officer,
        )
    assert not PlanAmendment.objects.exists()


def test_adding_and_cancelling_lines_of_an_approved_plan_are_amendments(make_plan, line, department_officer):
    plan = make_plan(approved=True)
    added = line(plan, by=department_officer, title="Lớp bổ sung", reason="Xã đề nghị thêm lớp")
    services.set_activity_status(
        activity=added, status="cancelled", reason="Không bố trí được", by=department_officer
    )
    assert list(plan.amendments.values_list("number", "reason")) == [
        (2, "Xã đề nghị thêm lớp"),
        (3, "Không bố trí được"),
    ]
    assert "Lớp bổ sung" in plan.amendments.get(number=2).changes
    with pytest.raises(ValidationError):
        line(plan, by=department_officer, reason="")


def test_commune_officer_drafts_but_cannot_approve_or_amend(make_plan, line, muong_hoong_officer):
    plan = make_plan()
    line(plan, by=muong_hoong_officer)
    with pytest.raises(PermissionDenied):
        services.approve_plan(plan=plan, by=muong_hoong_officer, on=datetime.date(2022, 8, 22))
    plan.refresh_from_db()
    assert plan.is_draft


def test_commune_officer_cannot_amend_or_cancel(make_plan, muong_hoong_officer):
    plan = make_plan(approved=True)
    activity = plan.activities.get()
    with pytest.raises(PermissionDenied):
        services.amend_activity(activity=activity, changes={"title": "x"}, reason="y", by=muong_hoong_officer)
    with pytest.raises(PermissionDenied):
        services.set_activity_status(
            activity=activity, status="cancelled", reason="y", by=muong_hoong_officer
        )
    services.set_activity_status(
        activity=activity, status="done", by=muong_hoong_officer
    )  # progress is theirs


def test_viewer_cannot_write(make_plan, viewer):
    with pytest.raises(PermissionDenied):
        services.save_draft_plan(plan=make_plan(), by=viewer)


def test_a_plan_without_lines_cannot_be_approved(make_plan, department_officer):
    with pytest.raises(ValidationError, match="chưa có hoạt động"):
        services.approve_plan(plan=make_plan(), by=department_officer, on=datetime.date(2022, 8, 22))


def test_a_closed_plan_needs_every_line_settled(make_plan, department_officer):
    plan = make_plan(approved=True)
    with pytest.raises(ValidationError):
        services.close_plan(plan=plan, by=department_officer)
    services.set_activity_status(activity=plan.activities.get(), status="done", by=department_officer)
    assert services.close_plan(plan=plan, by=department_officer).state == "closed"
