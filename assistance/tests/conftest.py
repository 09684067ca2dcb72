"""Builders for the assistance tests: a mission, plans and households in the demo geography."""

import datetime

import pytest

from assistance import services
from assistance.catalogue import load_ntp_2021_2025
from assistance.models import Activity, Mission, Plan, Project
from households.models import Household, HouseholdReview, ReviewRound


@pytest.fixture
def catalogue(db):
    # Flushing tests (browser) lose the migration's rows: load them again, unchanged if present.
    load_ntp_2021_2025()
    return {str(p.code if not p.parent_id else f"{p.parent.code}.{p.code}"): p for p in Project.objects.all()}


@pytest.fixture
def mission(geography, department_officer, catalogue):
    made = Mission.objects.create(
        start_date=datetime.date(2022, 8, 15),
        end_date=datetime.date(2022, 8, 17),
        leader=department_officer,
        purpose="Khảo sát nhu cầu hỗ trợ",
    )
    made.communes.set([geography["muong_hoong"], geography["ngoc_linh_old"]])
    return made


@pytest.fixture
def make_plan(geography, department_officer):
    def make(commune=None, *, approved=False, by=None, **fields):
        plan = Plan.objects.create(
            commune=commune or geography["muong_hoong"],
            title=fields.pop("title", "Kế hoạch hỗ trợ"),
            from_year=2022,
            to_year=2023,
            **fields,
        )
        if approved:
            if not plan.activities.exists():
                add_line(plan, by=by or department_officer)
            services.approve_plan(plan=plan, by=by or department_officer, on=datetime.date(2022, 8, 22))
            plan.refresh_from_db()
        return plan

    return make


def add_line(plan, *, by, kind=Activity.Kind.TRAINING_CLASS, amount=10_000_000, title=None, **fields):
    reason = fields.pop("reason", "bổ sung")
    activity = Activity(
        kind=kind,
        title=title or f"{Activity.Kind(kind).label} {amount}",
        planned_amount=amount,
        quantity_unit=fields.pop("quantity_unit", "lớp"),
        planned_on=fields.pop("planned_on", datetime.date(2022, 9, 15)),
        **fields,
    )
    return services.add_activity(plan=plan, activity=activity, by=by, reason=reason)


@pytest.fixture
def line():
    return add_line


@pytest.fixture
def make_household(geography):
    counter = iter(range(1, 10_000))

    def make(commune=None, *, category=None, year=2022, village=None, **fields):
        commune = commune or geography["muong_hoong"]
        village = village or commune.villages.order_by("name").first()
        household = Household.objects.create(
            commune=commune,
            village=village,
            code=fields.pop("code", f"H{next(counter):04d}"),
            head_name=fields.pop("head_name", "A Hùng"),
            area_type="rural",
            **fields,
        )
        if category:
            review_round, _ = ReviewRound.objects.get_or_create(
                commune=commune,
                year=year,
                kind=ReviewRound.Kind.PERIODIC,
                defaults={
                    "list_year": year + 1,
                    "standard": "decree_07_2021",
                    "state": ReviewRound.State.APPROVED,
                    "decided_on": datetime.date(year, 12, 10),
                },
            )
            HouseholdReview.objects.create(
                round=review_round,
                household=household,
                computed_category=category,
                category=category,
                counting_year=year + 1,
            )
        return household

    return make
