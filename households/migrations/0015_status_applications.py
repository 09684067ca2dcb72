"""Farm-household requests become applications for recognition (Decree 30/2025) of two kinds, with
the steps of the procedure: the old yes/no decision becomes the state recognised or refused."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Requests decided "not recognised" before refusals carried their written reason.
OLD_REFUSAL = "Không công nhận (ghi nhận trước khi lưu lý do từ chối bằng văn bản)."


def fill_recognised(apps, schema_editor):
    StatusApplication = apps.get_model("households", "StatusApplication")
    StatusApplication.objects.filter(state="recognised").update(recognised=True)
    StatusApplication.objects.filter(state="refused").update(recognised=False)


def fill_states(apps, schema_editor):
    StatusApplication = apps.get_model("households", "StatusApplication")
    decided = StatusApplication.objects.filter(decided_on__isnull=False)
    decided.filter(recognised=True).update(state="recognised")
    decided.filter(recognised=False).update(state="refused", refusal_reason=OLD_REFUSAL)


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0014_village_meetings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="farmaveragerecord", name="farm_average_has_members"),
        migrations.RemoveConstraint(
            model_name="farmaveragerecord", name="farm_average_decision_has_date_and_outcome"
        ),
        migrations.RenameModel(old_name="FarmAverageRecord", new_name="StatusApplication"),
        migrations.AddField(
            model_name="statusapplication",
            name="state",
            field=models.CharField(default="requested", max_length=16, verbose_name="step"),
        ),
        migrations.AddField(
            model_name="statusapplication",
            name="refusal_reason",
            field=models.TextField(blank=True, verbose_name="reason for the refusal"),
        ),
        migrations.RunPython(fill_states, fill_recognised),
        migrations.RemoveField(model_name="statusapplication", name="recognised"),
        migrations.CreateModel(
            name="ApplicationComplaint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("received_on", models.DateField(verbose_name="received on")),
                ("content", models.TextField(verbose_name="complaint")),
                ("outcome", models.TextField(blank=True, verbose_name="outcome of the re-check")),
                ("rechecked_on", models.DateField(blank=True, null=True, verbose_name="re-checked on")),
            ],
            options={
                "verbose_name": "complaint about an application",
                "verbose_name_plural": "complaints about applications",
                "ordering": ["application", "received_on", "pk"],
            },
        ),
        migrations.AlterModelOptions(
            name="statusapplication",
            options={
                "ordering": ["-requested_on", "pk"],
                "verbose_name": "application for recognition",
                "verbose_name_plural": "applications for recognition",
            },
        ),
        migrations.AddField(
            model_name="statusapplication",
            name="assessment",
            field=models.TextField(blank=True, editable=False, verbose_name="assessment"),
        ),
        migrations.AddField(
            model_name="statusapplication",
            name="decision_number",
            field=models.CharField(blank=True, max_length=64, verbose_name="decision number"),
        ),
        migrations.AddField(
            model_name="statusapplication",
            name="kind",
            field=models.CharField(
                choices=[
                    ("farm_household", "Farm household of average living standard"),
                    ("low_income_worker", "Low-income worker"),
                ],
                default="farm_household",
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AddField(
            model_name="statusapplication",
            name="person",
            field=models.ForeignKey(
                blank=True,
                help_text="A low-income worker: the member who applies.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="applications",
                to="households.person",
                verbose_name="worker",
            ),
        ),
        migrations.AddField(
            model_name="statusapplication",
            name="posting_ends_on",
            field=models.DateField(blank=True, null=True, verbose_name="posting ends on"),
        ),
        migrations.AddField(
            model_name="statusapplication",
            name="posting_starts_on",
            field=models.DateField(blank=True, null=True, verbose_name="posting starts on"),
        ),
        migrations.AddField(
            model_name="statusapplication",
            name="rechecked_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="posting closed, complaints re-checked on"
            ),
        ),
        migrations.AddField(
            model_name="statusapplication",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AlterField(
            model_name="statusapplication",
            name="eligible",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Computed by the rule when the application is recorded.",
                verbose_name="meets the criteria",
            ),
        ),
        migrations.AlterField(
            model_name="statusapplication",
            name="household",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="applications",
                to="households.household",
                verbose_name="household",
            ),
        ),
        migrations.AlterField(
            model_name="statusapplication",
            name="state",
            field=models.CharField(
                choices=[
                    ("requested", "Requested"),
                    ("posted", "Posted"),
                    ("rechecked", "Posting over, complaints re-checked"),
                    ("recognised", "Recognised"),
                    ("refused", "Refused in writing"),
                ],
                default="requested",
                max_length=16,
                verbose_name="step",
            ),
        ),
        migrations.AddConstraint(
            model_name="statusapplication",
            constraint=models.CheckConstraint(
                condition=models.Q(("member_count__gte", 1)), name="application_has_members"
            ),
        ),
        migrations.AddConstraint(
            model_name="statusapplication",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "farm_household"), ("person__isnull", True)),
                    models.Q(("kind", "low_income_worker"), ("person__isnull", False)),
                    _connector="OR",
                ),
                name="worker_application_names_the_worker",
            ),
        ),
        migrations.AddConstraint(
            model_name="statusapplication",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state__in", ["posted", "rechecked"]), _negated=True),
                    models.Q(("posting_ends_on__isnull", False), ("posting_starts_on__isnull", False)),
                    _connector="OR",
                ),
                name="posted_application_has_posting_dates",
            ),
        ),
        migrations.AddConstraint(
            model_name="statusapplication",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("posting_starts_on__isnull", True),
                    ("posting_starts_on__gte", models.F("requested_on")),
                    _connector="OR",
                ),
                name="application_posted_after_request",
            ),
        ),
        migrations.AddConstraint(
            model_name="statusapplication",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("decided_on__gte", models.F("requested_on")),
                        ("state__in", ["recognised", "refused"]),
                    ),
                    models.Q(
                        models.Q(("state__in", ["recognised", "refused"]), _negated=True),
                        ("decided_on__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="decided_application_has_decision_date",
            ),
        ),
        migrations.AddConstraint(
            model_name="statusapplication",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "refused"), _negated=True),
                    models.Q(("refusal_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="refusal_has_a_reason",
            ),
        ),
        migrations.AddField(
            model_name="applicationcomplaint",
            name="application",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="complaints",
                to="households.statusapplication",
                verbose_name="application",
            ),
        ),
        migrations.AddConstraint(
            model_name="applicationcomplaint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("rechecked_on__isnull", True),
                    models.Q(
                        ("rechecked_on__gte", models.F("received_on")),
                        models.Q(("outcome", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="application_complaint_rechecked_after_receipt_with_outcome",
            ),
        ),
    ]
