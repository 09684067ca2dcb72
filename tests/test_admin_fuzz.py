"""Odd input never gives a server error in the admin: every add and change form, every changelist's
query parameters and the autocomplete, as a department administrator would send them."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.test_fuzz import admin_client, demo, own_post_form_fields  # noqa: F401 (fixtures)

# What broke the admin in practice: a non-numeric or 200,000-character key, a template string in a
# choice field, non-ASCII where a count is expected.
ODD_VALUES = ["abc", "9" * 200_000, "{{ 7*7 }}{% now 'Y' %}", "Mường😀", "-1"]
ODD_QUERIES = [
    "q=" + "x" * 100_000,
    "q=%00",
    "o=abc",
    "o=99.-98",
    "p=abc",
    "p=99999999999999999999",
    "id__exact=abc",
    "_changelist_filters=%7B%7B",
    "e=1",
    "all=",
    "_to_field=password",
]
AUTOCOMPLETE_QUERIES = [
    "",
    "app_label=x&model_name=y&field_name=z",
    "app_label=assistance&model_name=outcomestep&field_name=participant&term=" + "x" * 200_000,
    "app_label=assistance&model_name=outcomestep&field_name=participant&page=abc",
    "app_label=households&model_name=member&field_name=person&term=%00",
    "app_label=households&model_name=member&field_name=" + "x" * 5_000,
]
LINK = re.compile(r'href="(/admin/[^"?#]+/\d+/change/)"')


def admin_forms(client):
    """Each registered model's add page and the change page of its first listed record."""
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        yield reverse("admin:{}_{}_add".format(*info))
        listing = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        first = LINK.search(listing.content.decode()) if listing.status_code == 200 else None
        if first:
            yield first.group(1)


@pytest.mark.django_db
def test_odd_input_never_breaks_an_admin_form(admin_client):  # noqa: F811
    errors, fuzzed = [], 0
    for path in admin_forms(admin_client):
        page = admin_client.get(path)
        if page.status_code != 200:
            continue
        fields = own_post_form_fields(page.content.decode(), path)
        fuzzed += 1
        for value in ODD_VALUES:
            status = admin_client.post(path, dict.fromkeys(fields, value)).status_code
            if status >= 500:
                errors.append(f"{path} with {value[:20]!r}: {status}")
    assert fuzzed > 40
    assert not errors, errors


@pytest.mark.django_db
def test_odd_query_parameters_never_break_a_changelist_or_the_autocomplete(admin_client):  # noqa: F811
    errors = []
    for model in admin.site._registry:
        path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for query in ODD_QUERIES:
            status = admin_client.get(f"{path}?{query}").status_code
            if status >= 500:
                errors.append(f"{path}?{query[:30]}: {status}")
    for query in AUTOCOMPLETE_QUERIES:
        status = admin_client.get(f"/admin/autocomplete/?{query}").status_code
        if status >= 500:
            errors.append(f"autocomplete ?{query[:60]}: {status}")
    assert not errors, errors
