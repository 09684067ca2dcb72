"""Data migrations run on data recorded under the earlier rule."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("households", "0010_a_points_come_from_form_b1")]
AFTER = [("households", "0011_rounds_make_the_lists_of_the_next_year")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_rounds_recorded_before_list_years_make_the_next_years_lists():
    apps = _migrate(BEFORE)
    try:
        Province = apps.get_model("communes", "Province")
        Commune = apps.get_model("communes", "Commune")
        Village = apps.get_model("communes", "Village")
        Household = apps.get_model("households", "Household")
        ReviewRound = apps.get_model("households", "ReviewRound")
        HouseholdReview = apps.get_model("households", "HouseholdReview")
        province = Province.objects.create(code="62", name="Kon Tum")
        commune = Commune.objects.create(code="23500", name="Mường Hoong", province=province)
        village = Village.objects.create(commune=commune, name="Làng Mới")
        household = Household.objects.create(commune=commune, village=village, code="H1", head_name="A Hùng")

        def decided(kind, year, decided_on, category, counting, **fields):
            review_round = ReviewRound.objects.create(
                commune=commune,
                year=year,
                kind=kind,
                standard="decree_07_2021",
                state="reported",
                decided_on=decided_on,
                **fields,
            )
            return HouseholdReview.objects.create(
                round=review_round,
                household=household,
                computed_category=category,
                category=category,
                counting_year=year if counting else None,
            )

        # Under the earlier rule the review of late 2022 counted in 2022, and replaced the ad-hoc
        # review of mid-2022; the ad-hoc one of 2023 counted in 2023 over the review of late 2023.
        periodic_2022 = decided("periodic", 2022, datetime.date(2022, 12, 5), "poor", True)
        ad_hoc_2022 = decided(
            "ad_hoc",
            2022,
            datetime.date(2022, 6, 28),
            "near_poor",
            False,
            requested_on=datetime.date(2022, 6, 3),
        )
        ad_hoc_2023 = decided(
            "ad_hoc",
            2023,
            datetime.date(2023, 3, 28),
            "near_poor",
            False,
            requested_on=datetime.date(2023, 3, 3),
        )
        periodic_2023 = decided("periodic", 2023, datetime.date(2023, 12, 5), "average", True)

        apps = _migrate(AFTER)
        ReviewRound = apps.get_model("households", "ReviewRound")
        HouseholdReview = apps.get_model("households", "HouseholdReview")
        assert dict(ReviewRound.objects.values_list("pk", "list_year")) == {
            periodic_2022.round_id: 2023,
            ad_hoc_2022.round_id: 2022,
            ad_hoc_2023.round_id: 2023,
            periodic_2023.round_id: 2024,
        }
        counting = dict(HouseholdReview.objects.values_list("pk", "counting_year"))
        # The lists of 2022: the ad-hoc review; of 2023: the ad-hoc one of March 2023, decided after
        # the review of late 2022 that made them; of 2024: the review of late 2023.
        assert counting == {
            periodic_2022.pk: None,
            ad_hoc_2022.pk: 2022,
            ad_hoc_2023.pk: 2023,
            periodic_2023.pk: 2024,
        }
    finally:
        _migrate(_latest())


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
