"""Every model has an admin whose list, add form and change form load."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from communes import demo

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def seeded(db):
    demo.seed()


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_admin_pages_load(client_of, department_admin, seeded, model):
    client = client_of(department_admin)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    assert client.get(reverse(f"{prefix}_changelist"), {"q": "ngoc linh"}).status_code == 200
    request = RequestFactory().get("/")
    request.user = department_admin
    if admin.site._registry[model].has_add_permission(request):  # access logs cannot be added by hand
        assert client.get(reverse(f"{prefix}_add")).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        assert client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200


def test_every_project_model_is_in_the_admin():
    from django.apps import apps

    # Historical tables (django-simple-history) are read on the records' history pages, not in the admin.
    project = [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"communes", "households", "assistance"} and not hasattr(m, "instance_type")
    ]
    missing = [m._meta.label for m in project if m not in admin.site._registry]
    assert not missing


def test_admin_search_ignores_diacritics(client_of, department_admin, seeded):
    response = client_of(department_admin).get(
        reverse("admin:communes_commune_changelist"), {"q": "muong hoong"}
    )
    assert [c.name for c in response.context["cl"].result_list] == ["Mường Hoong"]


def test_admin_speaks_vietnamese(client_of, department_admin, seeded):
    page = client_of(department_admin).get(reverse("admin:index")).content.decode()
    assert "Xã" in page and "Thôn" in page


def test_a_decided_round_and_its_reviews_stay_as_decided_in_the_admin(client_of, department_admin, geography):
    from households.models import HouseholdReview
    from households.tests.helpers import decided_lists, make_household

    household = make_household(geography["muong_hoong"], "D1")
    decided = decided_lists(geography["muong_hoong"], 2023, {household: "poor"})
    review = decided.reviews.get()
    client = client_of(department_admin)
    page = client.get(reverse("admin:households_reviewround_change", args=[decided.pk])).content.decode()
    assert 'name="year"' not in page and 'name="commune"' not in page
    assert client.get(reverse("admin:households_reviewround_delete", args=[decided.pk])).status_code == 403
    page = client.get(reverse("admin:households_householdreview_change", args=[review.pk])).content.decode()
    assert 'name="household"' not in page and 'name="round"' not in page
    assert client.get(reverse("admin:households_householdreview_delete", args=[review.pk])).status_code == 403
    for model in ("reviewround", "householdreview"):
        changelist = client.get(reverse(f"admin:households_{model}_changelist"))
        actions = changelist.context["action_form"]  # None when no action is left
        assert actions is None or "delete_selected" not in dict(actions.fields["action"].choices)
    assert HouseholdReview.objects.filter(pk=review.pk, round=decided).exists()
