from django.db import migrations, models

DECIDED_STATES = ("approved", "reported")
BATCH = 500


def fill_counting_year(apps, schema_editor):
    """Per household and year, the latest decided review counts (as services.count_decision sets it)."""
    HouseholdReview = apps.get_model("households", "HouseholdReview")
    reviews = (
        HouseholdReview.objects.filter(round__state__in=DECIDED_STATES)
        .order_by(
            "household", "round__year", models.F("round__decided_on").desc(nulls_last=True), "-pk"
        )
        .values_list("pk", "household", "round__year")
    )
    counting: dict[tuple[int, int], int] = {}
    for pk, household, year in reviews.iterator(chunk_size=2000):
        counting.setdefault((household, year), pk)
    by_year: dict[int, list[int]] = {}
    for (_household, year), pk in counting.items():
        by_year.setdefault(year, []).append(pk)
    for year, pks in by_year.items():
        for start in range(0, len(pks), BATCH):
            HouseholdReview.objects.filter(pk__in=pks[start : start + BATCH]).update(counting_year=year)


class Migration(migrations.Migration):
    dependencies = [("households", "0006_review_counting_year")]

    operations = [migrations.RunPython(fill_counting_year, migrations.RunPython.noop)]
