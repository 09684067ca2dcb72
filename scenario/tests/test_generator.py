import json

import pytest
from django.core.management import CommandError, call_command

from assistance.models import Activity, Plan
from households.models import Household, HouseholdReview, Member, Person


@pytest.mark.django_db(transaction=True)
def test_a_small_province_is_generated_the_same_for_the_same_seed(capsys):
    call_command("generate_province", "--communes", "3", "--households", "90", "--years", "2", "--seed", "7")
    first = sorted(Household.objects.values_list("code", "head_name", "commune__code"))
    assert len(first) == 90
    assert Person.objects.count() == Member.objects.count() >= 90
    assert HouseholdReview.objects.count() == 180
    assert Plan.objects.count() == 6 and Activity.objects.count() == 48
    assert "Generated:" in capsys.readouterr().out
    # New records can still be made after the ids the generator wrote itself.
    household = Household.objects.order_by("pk").last()
    made = Household.objects.create(
        commune=household.commune, village=household.village, code="NEW", head_name="A Mới", area_type="rural"
    )
    assert made.pk > household.pk
    call_command(
        "generate_province",
        "--communes",
        "3",
        "--households",
        "90",
        "--years",
        "2",
        "--seed",
        "7",
        "--province-code",
        "91",
    )
    second = sorted(Household.objects.filter(commune__province__code="91").values_list("code", "head_name"))
    assert second == sorted((code, name) for code, name, _ in first)


@pytest.mark.django_db
def test_generating_over_an_existing_province_is_refused():
    call_command("generate_province", "--communes", "1", "--households", "5", "--years", "1")
    with pytest.raises(CommandError, match="already exists"):
        call_command("generate_province", "--communes", "1", "--households", "5", "--years", "1")


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_measures_every_page_it_knows(capsys):
    call_command("generate_province", "--communes", "2", "--households", "40", "--years", "2")
    capsys.readouterr()
    call_command("benchmark", "--runs", "1", "--json")
    report = json.loads(capsys.readouterr().out)
    measured = [page for page in report["pages"] if not page.get("missing")]
    assert len(measured) >= 12
    assert all(page["status"] == 200 for page in measured), [
        p["page"] for p in measured if p["status"] != 200
    ]
    assert all(page["queries"] <= 25 for page in measured)
