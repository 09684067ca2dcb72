"""Who changed a plan, its lines and their spending, when and how; and the plan on a past date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance import services
from assistance.models import Activity, Plan, Spending
from tests.forms import posted


def _dated(history, when):
    history.update(history_date=timezone.make_aware(datetime.datetime.combine(when, datetime.time(9))))


@pytest.fixture
def draft(make_plan, department_officer):
    from assistance.tests.conftest import add_line

    plan = make_plan(title="Kế hoạch Mường Hoong")
    add_line(plan, by=department_officer, amount=10_000_000, title="Lớp tập huấn")
    return plan


def test_the_plan_history_lists_changes_to_lines_and_spending(client_of, department_officer, draft):
    department_officer.first_name = "Bạch Thị Mân"
    department_officer.save()
    client = client_of(department_officer)
    activity = draft.activities.get()
    url = reverse("assistance:activity_edit", args=[activity.pk])
    form = client.get(url).context["form"]
    assert client.post(url, posted(form, planned_amount="12.000.000")).status_code == 302
    services.approve_plan(plan=draft, by=department_officer, on=datetime.date(2022, 8, 22))
    services.record_spending(
        activity=activity,
        spent_on=datetime.date(2022, 9, 20),
        amount=4_000_000,
        voucher_number="PC-01",
        note="",
        by=department_officer,
    )

    page = client.get(reverse("assistance:plan_history", args=[draft.pk]))
    assert page.status_code == 200
    entries = page.context["entries"]
    amount_change = next(e for e in entries if e.who == "Bạch Thị Mân" and "Lớp tập huấn" in e.record)
    assert ("Kinh phí kế hoạch (đồng)", "10.000.000", "12.000.000") in [
        (c.label, c.old, c.new) for c in amount_change.changes
    ]
    records = [entry.record for entry in entries]
    assert any("PC-01" in record for record in records)
    assert any("Kế hoạch Mường Hoong" in record for record in records)


def test_the_plan_as_of_a_past_date_has_the_lines_and_money_of_then(client_of, department_officer, draft):
    activity = draft.activities.get()
    _dated(Plan.history.all(), datetime.date(2022, 8, 1))
    _dated(Activity.history.all(), datetime.date(2022, 8, 1))
    services.approve_plan(plan=draft, by=department_officer, on=datetime.date(2022, 8, 22))
    _dated(Plan.history.filter(state=Plan.State.APPROVED), datetime.date(2022, 8, 22))
    services.record_spending(
        activity=activity,
        spent_on=datetime.date(2022, 9, 20),
        amount=4_000_000,
        voucher_number="PC-01",
        note="",
        by=department_officer,
    )
    _dated(Spending.history.all(), datetime.date(2022, 9, 20))

    client = client_of(department_officer)
    url = reverse("assistance:plan_as_of", args=[draft.pk])
    august = client.get(url, {"on": "10/08/2022"})
    assert august.context["past"].state == Plan.State.DRAFT
    assert august.context["planned_total"] == 10_000_000
    assert august.context["spent_total"] == 0
    october = client.get(url, {"on": "01/10/2022"})
    assert october.context["past"].state == Plan.State.APPROVED
    assert october.context["spent_total"] == 4_000_000
    assert "4.000.000 đ" in october.content.decode()
    assert client.get(url, {"on": "01/01/2020"}).context["past"] is None


def test_the_plan_edit_form_refuses_a_save_over_a_newer_one(client_of, department_officer, draft):
    client = client_of(department_officer)
    url = reverse("assistance:plan_edit", args=[draft.pk])
    mine = posted(client.get(url).context["form"], title="Kế hoạch (mine)")
    draft.notes = "Ghi chú của người khác"
    draft.save()

    response = client.post(url, mine)
    assert response.status_code == 200
    changes = [(str(label), old, new) for label, old, new in response.context["form"].changes_since_opened]
    assert changes == [("Ghi chú", "—", "Ghi chú của người khác")]
    draft.refresh_from_db()
    assert draft.title == "Kế hoạch Mường Hoong"
    assert client.post(url, posted(response.context["form"], title="Kế hoạch (mine)")).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Kế hoạch (mine)"  # saved once the user had seen the other change


def test_the_activity_form_refuses_a_save_over_a_newer_one(client_of, department_officer, draft):
    client = client_of(department_officer)
    activity = draft.activities.get()
    url = reverse("assistance:activity_edit", args=[activity.pk])
    mine = posted(client.get(url).context["form"], title="Lớp (mine)")
    Activity.objects.filter(pk=activity.pk).update(planned_amount=15_000_000)
    response = client.post(url, mine)
    assert response.status_code == 200
    assert [str(label) for label, _, _ in response.context["form"].changes_since_opened] == [
        "Kinh phí kế hoạch (đồng)"
    ]


def test_a_commune_officer_of_another_commune_sees_no_plan_history(client_of, other_commune_officer, draft):
    client = client_of(other_commune_officer)
    assert client.get(reverse("assistance:plan_history", args=[draft.pk])).status_code == 404
    assert client.get(reverse("assistance:plan_as_of", args=[draft.pk])).status_code == 404
