"""Support plans, their activities and their money."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords

from assistance.models.missions import Finding, Mission
from assistance.models.programmes import Project
from communes.models import Commune, Organisation, Village, today

User = settings.AUTH_USER_MODEL


def _total(queryset, field: str, *, group_by: str, function=Sum):
    """A correlated subquery giving one total per outer row (0 when there is none)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(group_by).annotate(total=function(field)).values("total")[:1],
            output_field=models.BigIntegerField(),
        ),
        Value(0),
        output_field=models.BigIntegerField(),
    )


class PlanQuerySet(models.QuerySet):
    def in_communes(self, communes):
        return self.filter(commune__in=communes)

    def current(self):
        return self.exclude(state=Plan.State.CLOSED)

    def with_progress(self):
        """Annotates activity counts and money, each total computed by the database.

        `planned` leaves out cancelled activities (their money is released); `spent` counts every
        spending record, also those made before an activity was cancelled.
        """
        counted = Activity.objects.filter(plan=OuterRef("pk")).counted()
        return self.annotate(
            activity_count=_total(counted, "pk", group_by="plan", function=Count),
            done_count=_total(
                counted.filter(status=Activity.Status.DONE), "pk", group_by="plan", function=Count
            ),
            planned=_total(counted, "planned_amount", group_by="plan"),
            spent=_total(
                Spending.objects.filter(activity__plan=OuterRef("pk")), "amount", group_by="activity__plan"
            ),
        ).annotate(remaining=F("planned") - F("spent"))


class Plan(models.Model):
    """A commune's support plan for some years. A draft can change; once approved it changes only
    through recorded amendments (services.amend_activity / services.add_activity)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        CLOSED = "closed", _("Closed")

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="plans", verbose_name=_("commune")
    )
    mission = models.ForeignKey(
        Mission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("following the survey"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("drawn up by"),
    )
    title = models.CharField(_("title"), max_length=255)
    number = models.CharField(
        _("document number"),
        max_length=64,
        blank=True,
        help_text=_('Number and symbol of the plan as issued, e.g. "12/KH-SLĐTBXH".'),
    )
    signer = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signed_plans",
        verbose_name=_("signed by"),
        help_text=_("Who signs the printed plan; empty: whoever approved it."),
    )
    from_year = models.PositiveSmallIntegerField(_("from year"))
    to_year = models.PositiveSmallIntegerField(_("to year"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.DRAFT, editable=False
    )
    version = models.PositiveSmallIntegerField(
        _("version"), default=0, editable=False, help_text=_("1 when approved, then one more per amendment.")
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_plans",
        verbose_name=_("approved by"),
        editable=False,
    )
    decision_number = models.CharField(
        _("approval document number"), max_length=64, blank=True, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")
        ordering = ["-from_year", "commune__name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(to_year__gte=F("from_year")), name="plan_years_in_order"),
            models.CheckConstraint(
                condition=Q(state="draft", version=0) | (Q(approved_on__isnull=False) & Q(version__gte=1)),
                name="plan_approved_has_date_and_version",
            ),
        ]

    def __str__(self):
        return f"{self.title} · {self.commune} ({self.from_year}–{self.to_year})"

    def get_absolute_url(self):
        return reverse("assistance:plan_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def years(self) -> str:
        return str(self.from_year) if self.from_year == self.to_year else f"{self.from_year}–{self.to_year}"

    def clean(self):
        super().clean()
        errors = {}
        if self.from_year and self.to_year and self.to_year < self.from_year:
            errors["to_year"] = _("The last year cannot be before the first year.")
        if (
            self.mission_id
            and self.commune_id
            and not self.mission.communes.filter(pk=self.commune_id).exists()
        ):
            errors["mission"] = _("This survey did not visit the plan's commune.")
        if errors:
            raise ValidationError(errors)


class PlanAmendment(models.Model):
    """A change to an approved plan: what changed, why, when and by whom. Never edited afterwards."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("version made"))
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)
    made_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("made by")
    )
    changes = models.TextField(_("what changed"))
    reason = models.TextField(_("why"))

    class Meta:
        verbose_name = _("plan amendment")
        verbose_name_plural = _("plan amendments")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="amendment_number_unique_in_plan"),
            models.CheckConstraint(condition=~Q(reason=""), name="amendment_has_reason"),
        ]

    def __str__(self):
        return f"{self.plan} · v{self.number}"


class FundingSource(models.TextChoices):
    CENTRAL = "central", _("Central budget (national target programme)")
    LOCAL = "local", _("Local budget")
    DEPARTMENT = "department", _("Department's regular budget")
    MOBILISED = "mobilised", _("Mobilised (enterprises, donors)")
    CONTRIBUTION = "contribution", _("Beneficiaries' contribution")
    OTHER = "other", _("Other")


class ActivityQuerySet(models.QuerySet):
    def in_communes(self, communes):
        return self.filter(plan__commune__in=communes)

    def counted(self):
        """Activities whose planned money counts (not cancelled)."""
        return self.exclude(status=Activity.Status.CANCELLED)

    def open(self):
        return self.filter(status__in=[Activity.Status.PLANNED, Activity.Status.IN_PROGRESS])

    def with_money(self):
        """Annotates `spent` (database sum of the activity's spending), `remaining` and `over_plan`."""
        spent = _total(Spending.objects.filter(activity=OuterRef("pk")), "amount", group_by="activity")
        return self.annotate(spent=spent).annotate(
            remaining=models.ExpressionWrapper(
                F("planned_amount") - F("spent"), output_field=models.BigIntegerField()
            ),
            over_plan=models.ExpressionWrapper(
                Q(spent__gt=F("planned_amount")), output_field=models.BooleanField()
            ),
        )

    def budget_by_kind(self) -> list[dict]:
        """Planned (not cancelled), spent and remaining per kind, each total computed by the database;
        two queries whatever the number of activities."""
        planned = dict(self.counted().order_by().values_list("kind").annotate(total=Sum("planned_amount")))
        spent = dict(
            Spending.objects.filter(activity__in=self.values("pk"))
            .order_by()
            .values_list("activity__kind")
            .annotate(total=Sum("amount"))
        )
        rows = []
        for kind, label in Activity.Kind.choices:
            if kind in planned or kind in spent:
                row = {
                    "kind": kind,
                    "label": label,
                    "planned": planned.get(kind, 0),
                    "spent": spent.get(kind, 0),
                }
                row["remaining"] = row["planned"] - row["spent"]
                row["over_plan"] = row["spent"] > row["planned"]
                rows.append(row)
        return rows


class HistoricalActivityQuerySet(HistoricalQuerySet):
    """An activity's recorded past counts as the activity does (`Activity.history.as_of(…).counted()`)."""

    counted = ActivityQuerySet.counted


class Activity(models.Model):
    class Kind(models.TextChoices):
        TRAINING_CLASS = "training_class", _("Training class")
        INSPECTION = "inspection", _("Inspection")
        LIVELIHOOD_MODEL = "livelihood_model", _("Livelihood model")
        JOB_CONFERENCE = "job_conference", _("Job-counselling conference")
        COMMUNICATION = "communication", _("Communication")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("activity status", "Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Precision(models.TextChoices):
        DAY = "day", _("On a day")
        QUARTER = "quarter", _("In a quarter")

    # What is recorded of each kind of activity once carried out: the events held, the items a
    # livelihood model gives with its beneficiary households and follow-up visits, the
    # participants of a job-counselling conference and their outcomes, the communication done.
    RECORDS = {
        Kind.TRAINING_CLASS: {"events"},
        Kind.INSPECTION: {"events"},
        Kind.LIVELIHOOD_MODEL: {"items", "beneficiaries", "follow_ups"},
        Kind.JOB_CONFERENCE: {"events", "participants"},
        Kind.COMMUNICATION: {"communications"},
        Kind.OTHER: {"events"},
    }

    # The fields an approved plan changes only through an amendment.
    PLANNED_FIELDS = [
        "kind",
        "title",
        "project",
        "village",
        "responsible_unit",
        "planned_quantity",
        "quantity_unit",
        "planned_on",
        "planned_precision",
        "planned_amount",
        "funding_source",
        "description",
    ]

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan")
    )
    position = models.PositiveSmallIntegerField(_("line"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("programme project"),
    )
    findings = models.ManyToManyField(
        Finding, blank=True, related_name="activities", verbose_name=_("findings answered")
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("priority village"),
    )
    responsible_unit = models.CharField(_("responsible unit"), max_length=255, blank=True)
    planned_quantity = models.PositiveIntegerField(_("planned quantity"), default=1)
    quantity_unit = models.CharField(_("unit"), max_length=64, help_text=_("class, model, leaflet…"))
    planned_on = models.DateField(
        _("planned date"), null=True, blank=True, help_text=_("For a quarter: its first day.")
    )
    planned_precision = models.CharField(
        _("planned for"), max_length=8, choices=Precision.choices, default=Precision.DAY
    )
    planned_amount = models.PositiveBigIntegerField(_("planned budget (đồng)"))
    funding_source = models.CharField(
        _("funding source"), max_length=16, choices=FundingSource.choices, default=FundingSource.CENTRAL
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    objects = ActivityQuerySet.as_manager()

    history = HistoricalRecords(historical_queryset=HistoricalActivityQuerySet)

    class Meta:
        verbose_name = _("plan activity")
        verbose_name_plural = _("plan activities")
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="cancelled_activity_has_reason"
            ),
            models.CheckConstraint(condition=Q(planned_quantity__gt=0), name="activity_quantity_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assistance:activity_detail", args=[self.pk])

    @property
    def planned_quarter(self) -> int | None:
        return (self.planned_on.month - 1) // 3 + 1 if self.planned_on else None

    @property
    def recorded(self) -> set[str]:
        """What is recorded of this activity (see RECORDS), e.g. `"events" in activity.recorded`."""
        return self.RECORDS[self.kind]

    @classmethod
    def kinds_recording(cls, record: str) -> list[str]:
        return [kind for kind in cls.Kind.values if record in cls.RECORDS[kind]]

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        if not self.planned_on or not self.is_open:
            return False
        on = on or today()
        if self.planned_precision == self.Precision.QUARTER:
            return quarter_end(self.planned_on) < on
        return self.planned_on < on

    def clean(self):
        super().clean()
        if self.status == self.Status.CANCELLED and not self.cancel_reason.strip():
            raise ValidationError({"cancel_reason": _("Say why the activity is cancelled.")})
        if self.village_id and self.plan_id and self.village.commune_id != self.plan.commune_id:
            raise ValidationError({"village": _("This village is not in the plan's commune.")})
        if self.planned_on and self.planned_precision == self.Precision.QUARTER:
            self.planned_on = quarter_start(self.planned_on)


def quarter_start(date: datetime.date) -> datetime.date:
    return datetime.date(date.year, (date.month - 1) // 3 * 3 + 1, 1)


def quarter_end(date: datetime.date) -> datetime.date:
    start = quarter_start(date)
    following = datetime.date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


class Spending(models.Model):
    """Money paid out for an activity, against a voucher."""

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="spendings", verbose_name=_("activity")
    )
    spent_on = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    voucher_number = models.CharField(_("voucher number"), max_length=64)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spending record")
        verbose_name_plural = _("spending records")
        ordering = ["activity", "spent_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="spending_amount_positive")]

    def __str__(self):
        return f"{self.voucher_number} · {self.amount}"
