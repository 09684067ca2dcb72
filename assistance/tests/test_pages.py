"""The pages: scope (404 outside, 403 read-only), the money on the plan page, fixed query counts."""

import datetime

import pytest
from django.urls import reverse

from assistance import services
from assistance.models import Activity, Plan, PlanAmendment, Spending
from households.models import Category

D = datetime.date


@pytest.fixture
def approved_plan(make_plan, line, department_officer):
    plan = make_plan(title="Kế hoạch Mường Hoong")
    line(
        plan,
        by=department_officer,
        kind=Activity.Kind.TRAINING_CLASS,
        amount=30_000_000,
        title="Lớp tập huấn",
    )
    line(
        plan,
        by=department_officer,
        kind=Activity.Kind.LIVELIHOOD_MODEL,
        amount=221_000_000,
        title="Bò sinh sản",
    )
    services.approve_plan(plan=plan, by=department_officer, on=D(2022, 8, 22))
    return plan


def grow(plan, by, count):
    """Adds `count` lines with spending to an approved plan, as amendments."""
    for number in range(count):
        activity = Activity(
            kind=Activity.Kind.COMMUNICATION,
            title=f"Tờ rơi {number}",
            planned_amount=1_000_000,
            quantity_unit="tờ",
        )
        services.add_activity(plan=plan, activity=activity, by=by, reason="thêm")
        services.record_spending(
            activity=activity, spent_on=D(2022, 9, 1), amount=500_000, voucher_number="V", by=by
        )


def test_plan_page_shows_planned_spent_and_remaining(client_of, department_officer, approved_plan):
    activity = approved_plan.activities.get(title="Lớp tập huấn")
    services.record_spending(
        activity=activity,
        spent_on=D(2022, 9, 20),
        amount=12_000_000,
        voucher_number="PC-1",
        by=department_officer,
    )
    page = client_of(department_officer).get(approved_plan.get_absolute_url()).content.decode()
    assert "251.000.000 đ" in page  # 30 + 221 million planned
    assert "12.000.000 đ" in page and "239.000.000 đ" in page
    assert "over" not in page.split('id="total-remaining"')[0].rsplit("<tr", 1)[1]


def test_spending_over_the_plan_is_shown_as_an_error(client_of, department_officer, approved_plan):
    activity = approved_plan.activities.get(title="Lớp tập huấn")
    services.record_spending(
        activity=activity,
        spent_on=D(2022, 9, 20),
        amount=31_000_000,
        voucher_number="PC-1",
        by=department_officer,
        allow_over_plan=True,
    )
    page = client_of(department_officer).get(approved_plan.get_absolute_url()).content.decode()
    assert 'class="over' in page
    assert "-1.000.000 đ" in page
    assert "vượt kế hoạch" in page.lower()


def test_spending_form_asks_to_confirm_going_over_the_plan(client_of, department_officer, approved_plan):
    activity = approved_plan.activities.get(title="Lớp tập huấn")
    client = client_of(department_officer)
    url = reverse("assistance:spending_create", args=[activity.pk])
    data = {"spent_on": "20/09/2022", "amount": "31.000.000", "voucher_number": "PC-1"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "vượt" in response.content.decode()
    assert not Spending.objects.exists()
    response = client.post(url, {**data, "confirm_over_plan": "on"})
    assert response.status_code == 302
    assert Spending.objects.get().amount == 31_000_000


def test_the_plan_page_runs_the_same_queries_whatever_the_number_of_lines(
    client_of, department_officer, approved_plan, django_assert_num_queries
):
    client = client_of(department_officer)
    url = approved_plan.get_absolute_url()
    client.get(url)
    # session, user, profile (scope and roles), plan, plan totals, lines with money, planned per kind,
    # spent per kind, amendments, the issuing body in the header.
    with django_assert_num_queries(10):
        client.get(url)
    grow(approved_plan, department_officer, 15)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["activities"]) == 17


def test_the_dashboard_runs_the_same_queries_whatever_the_data(
    client_of, department_officer, approved_plan, mission, make_plan, django_assert_num_queries
):
    client = client_of(department_officer)
    client.get("/")
    # session, user, profile, plans with progress, activities to carry out, missions, their communes,
    # communes with poverty rates, their predecessors, the issuing body.
    with django_assert_num_queries(10):
        client.get("/")
    grow(approved_plan, department_officer, 10)
    for _ in range(5):
        make_plan(approved=True)
    with django_assert_num_queries(10):
        response = client.get("/")
    assert len(response.context["plans"]) == 6


def test_the_dashboard_shows_progress_money_and_the_poverty_rate(
    client_of, department_officer, approved_plan, make_household, geography
):
    for category in [Category.POOR, Category.POOR, Category.NEAR_POOR, Category.NOT_POOR]:
        make_household(category=category)
    activity = approved_plan.activities.get(title="Lớp tập huấn")
    services.set_activity_status(activity=activity, status="done", by=department_officer)
    services.record_spending(
        activity=activity,
        spent_on=D(2022, 9, 20),
        amount=28_000_000,
        voucher_number="PC-1",
        by=department_officer,
    )
    response = client_of(department_officer).get("/")
    page = response.content.decode()
    plan = response.context["plans"][0]
    assert (plan.done_count, plan.activity_count, plan.spent, plan.planned) == (1, 2, 28_000_000, 251_000_000)
    assert "28.000.000 đ" in page and "251.000.000 đ" in page
    muong_hoong = next(c for c in response.context["communes"] if c.pk == geography["muong_hoong"].pk)
    assert (muong_hoong.poor, muong_hoong.reviewed, muong_hoong.rate_year) == (2, 4, 2023)  # lists of 2023
    assert muong_hoong.poverty_rate == pytest.approx(50.0)
    assert "50,0 %" in page
    assert "Bò sinh sản" in page  # the open line is to carry out


def test_the_commune_officer_sees_only_their_communes_plans(
    client_of, muong_hoong_officer, other_commune_officer, approved_plan
):
    assert client_of(muong_hoong_officer).get(approved_plan.get_absolute_url()).status_code == 200
    client = client_of(other_commune_officer)
    activity = approved_plan.activities.first()
    for url in [
        approved_plan.get_absolute_url(),
        reverse("assistance:plan_edit", args=[approved_plan.pk]),
        activity.get_absolute_url(),
        reverse("assistance:spending_create", args=[activity.pk]),
        reverse("assistance:activity_edit", args=[activity.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("assistance:plan_approve", args=[approved_plan.pk])).status_code == 404
    assert approved_plan not in client.get(reverse("assistance:plan_list")).context["page"]


def test_the_viewer_reads_but_cannot_write(client_of, viewer, approved_plan, mission):
    client = client_of(viewer)
    activity = approved_plan.activities.first()
    assert client.get(approved_plan.get_absolute_url()).status_code == 200
    assert client.get(mission.get_absolute_url()).status_code == 200
    for url in [
        reverse("assistance:plan_create"),
        reverse("assistance:plan_edit", args=[approved_plan.pk]),
        reverse("assistance:activity_create", args=[approved_plan.pk]),
        reverse("assistance:spending_create", args=[activity.pk]),
        reverse("assistance:mission_create"),
        reverse("assistance:finding_create", args=[mission.pk]),
        reverse("assistance:assignment_create"),
    ]:
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("assistance:activity_status", args=[activity.pk]), {"status": "done"})
    assert response.status_code == 403
    assert "Sửa" not in client.get(approved_plan.get_absolute_url()).content.decode()


def test_the_commune_officer_drafts_a_plan_but_cannot_approve_it(
    client_of, muong_hoong_officer, geography, line
):
    client = client_of(muong_hoong_officer)
    response = client.post(
        reverse("assistance:plan_create"),
        {"commune": geography["muong_hoong"].pk, "title": "Kế hoạch xã", "from_year": 2022, "to_year": 2023},
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and plan.created_by == muong_hoong_officer
    line(plan, by=muong_hoong_officer)
    assert "Phê duyệt kế hoạch" not in client.get(plan.get_absolute_url()).content.decode()
    response = client.post(reverse("assistance:plan_approve", args=[plan.pk]), {"approved_on": "22/08/2022"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.is_draft


def test_the_edit_form_of_an_approved_plan_refuses_and_the_line_form_asks_for_a_reason(
    client_of, department_officer, approved_plan
):
    client = client_of(department_officer)
    response = client.post(
        reverse("assistance:plan_edit", args=[approved_plan.pk]),
        {"commune": approved_plan.commune_id, "title": "Đổi", "from_year": 2022, "to_year": 2023},
    )
    assert response.status_code == 200 and "điều chỉnh" in response.content.decode()
    activity = approved_plan.activities.get(title="Lớp tập huấn")
    data = {
        "kind": activity.kind,
        "title": activity.title,
        "planned_quantity": 1,
        "quantity_unit": "lớp",
        "planned_amount": "35.000.000",
        "funding_source": "central",
        "planned_quarter": "4",
        "planned_year": "2022",
    }
    url = reverse("assistance:activity_edit", args=[activity.pk])
    data["opened_as"] = client.get(url).context["form"].initial["opened_as"]  # the edit lock's token
    response = client.post(url, data)
    assert response.status_code == 200 and not PlanAmendment.objects.exists()
    response = client.post(url, {**data, "reason": "Thêm học viên"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.planned_amount == 35_000_000
    assert (activity.planned_on, activity.planned_precision) == (D(2022, 10, 1), "quarter")
    amendment = PlanAmendment.objects.get()
    assert "30.000.000 đ → 35.000.000 đ" in amendment.changes and amendment.reason == "Thêm học viên"
    page = client.get(approved_plan.get_absolute_url()).content.decode()
    assert "Thêm học viên" in page and "Quý 4/2022" in page


def test_the_admin_shows_an_approved_plan_read_only(client_of, department_admin, approved_plan):
    client = client_of(department_admin)
    url = reverse("admin:assistance_plan_change", args=[approved_plan.pk])
    assert client.post(url, {"title": "Đổi"}).status_code == 403
    activity = approved_plan.activities.first()
    url = reverse("admin:assistance_activity_change", args=[activity.pk])
    assert client.post(url, {"title": "Đổi"}).status_code == 403
    approved_plan.refresh_from_db()
    assert approved_plan.title == "Kế hoạch Mường Hoong"


def test_choosing_beneficiaries_lists_poor_first_and_refuses_other_communes(
    client_of, department_officer, muong_hoong_officer, approved_plan, make_household, geography
):
    model = approved_plan.activities.get(kind=Activity.Kind.LIVELIHOOD_MODEL)
    better_off = make_household(category=Category.NOT_POOR, code="A1")
    poor = make_household(category=Category.POOR, code="Z9")
    near_poor = make_household(category=Category.NEAR_POOR, code="M5")
    elsewhere = make_household(geography["ngoc_linh_old"], category=Category.POOR)
    client = client_of(department_officer)
    url = reverse("assistance:beneficiary_choose", args=[model.pk])
    listed = list(client.get(url).context["page"])
    assert listed == [poor, near_poor, better_off]
    response = client.post(url, {"households": [poor.pk, elsewhere.pk], "enrolled_on": "01/10/2022"})
    assert response.status_code == 200 and "không cư trú" in response.content.decode()
    outsider = client_of(muong_hoong_officer)
    response = outsider.post(url, {"households": [elsewhere.pk], "enrolled_on": "01/10/2022"})
    assert "Hộ này không cư trú tại xã của kế hoạch." in response.content.decode()
    assert elsewhere.code not in response.content.decode()  # nor who lives where, outside their commune
    client = client_of(department_officer)
    response = client.post(url, {"households": [poor.pk, near_poor.pk], "enrolled_on": "01/10/2022"})
    assert response.status_code == 302
    page = client.get(model.get_absolute_url())
    assert page.context["beneficiary_counts"] == {"households": 2, "poor": 1}
    assert "Hộ nghèo" in page.content.decode()


def test_a_mission_shows_only_the_findings_of_the_users_communes(
    client_of, mission, other_commune_officer, geography, catalogue
):
    mission.findings.create(
        commune=geography["muong_hoong"], topic=catalogue["DA2"], text="Nhu cầu bò ở Làng Mới"
    )
    mission.findings.create(commune=geography["ngoc_linh_old"], topic=catalogue["DA6"], text="Cần tờ rơi")
    page = client_of(other_commune_officer).get(mission.get_absolute_url()).content.decode()
    assert "Cần tờ rơi" in page and "Làng Mới" not in page


def test_an_outsider_does_not_see_a_mission_elsewhere(client_of, mission, geography):
    from communes.models import Role
    from tests.fixtures import make_user

    outsider = make_user("outsider", Role.COMMUNE_OFFICER, communes=[geography["ngoc_linh_new"]])
    outsider.profile.communes.set([])
    client = client_of(outsider)
    assert client.get(mission.get_absolute_url()).status_code == 404
    assert client.get(reverse("assistance:mission_edit", args=[mission.pk])).status_code == 404
