"""The department's help to communes: who is assigned, what the surveys found, what was agreed and
what was carried out and spent.

Money is whole đồng (PositiveBigIntegerField); totals are computed by the database (QuerySet
methods below), never summed in Python.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from communes.models import Commune, Organisation, Village, today
from households.models import Household, Member

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


# ---------------------------------------------------------------------------------------------
# The programme catalogue (DOMAIN.md §5): data, so that the 2026–2035 programme is only new rows.


class Programme(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    decision = models.CharField(_("approving decision"), max_length=120, blank=True)
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"))

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="programme_years_in_order"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.start_year}–{self.end_year})"


class ProjectQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(programme__start_year__lte=year, programme__end_year__gte=year)

    def in_catalogue_order(self):
        return self.select_related("programme", "parent").order_by(
            "-programme__start_year",
            "programme_id",
            Coalesce("parent__position", "position"),
            F("parent").asc(nulls_first=True),
            "position",
        )


class Project(models.Model):
    """A project of a programme (DA2) or a sub-project of a project (DA4 · TDA3)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="projects", verbose_name=_("programme")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_projects",
        verbose_name=_("project"),
        help_text=_("Empty for a project; the project for a sub-project."),
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=255)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    to_confirm = models.BooleanField(
        _("to confirm"),
        default=False,
        help_text=_("Taken from secondary sources: check it against the decision."),
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme project")
        verbose_name_plural = _("programme projects")
        ordering = ["programme", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], condition=Q(parent__isnull=True), name="project_code_unique"
            ),
            models.UniqueConstraint(
                fields=["parent", "code"], condition=Q(parent__isnull=False), name="sub_project_code_unique"
            ),
        ]

    def __str__(self):
        code = f"{self.parent.code} · {self.code}" if self.parent_id else self.code
        mark = " *" if self.to_confirm else ""
        return f"{code} {self.name}{mark}"

    def clean(self):
        super().clean()
        if self.parent_id and self.parent.programme_id != self.programme_id:
            raise ValidationError({"parent": _("The project belongs to another programme.")})
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("A sub-project cannot have sub-projects.")})


# ---------------------------------------------------------------------------------------------
# Assignments and survey missions


def _in_communes(queryset, communes, path="communes"):
    """Rows linked to at least one of `communes` through the many-to-many `path`, without duplicates."""
    through = queryset.model._meta.get_field(path).remote_field.through
    own = queryset.model._meta.model_name
    return queryset.filter(
        models.Exists(through.objects.filter(**{own: OuterRef("pk"), "commune__in": communes}))
    )


class AssignmentQuerySet(models.QuerySet):
    def in_communes(self, communes):
        return _in_communes(self, communes)

    def current(self, year: int | None = None):
        year = year or today().year
        return self.filter(from_year__lte=year, to_year__gte=year)


class Assignment(models.Model):
    """A decision assigning a unit (the department) to help communes for some years."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("assigned unit")
    )
    communes = models.ManyToManyField(Commune, related_name="assignments", verbose_name=_("communes"))
    from_year = models.PositiveSmallIntegerField(_("from year"))
    to_year = models.PositiveSmallIntegerField(_("to year"))
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    working_group = models.CharField(_("working group"), max_length=255, blank=True)
    leader = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_assignments",
        verbose_name=_("leader"),
    )
    members = models.ManyToManyField(User, blank=True, related_name="assignments", verbose_name=_("members"))
    notes = models.TextField(_("notes"), blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-from_year", "-decision_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(to_year__gte=F("from_year")), name="assignment_years_in_order")
        ]

    def __str__(self):
        return f"{self.organisation} · {self.from_year}–{self.to_year}"

    def covers(self, year: int) -> bool:
        return self.from_year <= year <= self.to_year

    def clean(self):
        super().clean()
        if self.from_year and self.to_year and self.to_year < self.from_year:
            raise ValidationError({"to_year": _("The last year cannot be before the first year.")})


class MissionQuerySet(models.QuerySet):
    def in_communes(self, communes):
        return _in_communes(self, communes)


class Mission(models.Model):
    """A survey mission (đoàn khảo sát) to one or more communes."""

    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    leader = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_missions",
        verbose_name=_("leader"),
    )
    members = models.ManyToManyField(
        User, blank=True, related_name="missions", verbose_name=_("staff members")
    )
    outside_members = models.TextField(
        _("other members"),
        blank=True,
        help_text=_("People from outside the department, one per line, e.g. district officers."),
    )
    communes = models.ManyToManyField(Commune, related_name="missions", verbose_name=_("communes visited"))
    purpose = models.TextField(_("purpose"))
    assessed = models.TextField(_("what was assessed"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey mission")
        verbose_name_plural = _("survey missions")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="mission_dates_in_order")
        ]

    def __str__(self):
        return _("Survey %(start)s–%(end)s") % {
            "start": self.start_date.strftime("%d/%m/%Y"),
            "end": self.end_date.strftime("%d/%m/%Y"),
        }

    def get_absolute_url(self):
        return reverse("assistance:mission_detail", args=[self.pk])

    @property
    def outside_member_list(self) -> list[str]:
        return [line.strip() for line in self.outside_members.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The mission cannot end before it starts.")})


def mission_photo_path(photo, filename: str) -> str:
    """A random name: the uploader's file name is not trusted nor kept on disk."""
    extension = PHOTO_FORMATS.get(getattr(photo, "_format", ""), "jpg")
    return f"missions/{photo.mission_id}/{uuid.uuid4().hex}.{extension}"


# Pillow's format name → the file extension stored.
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PHOTO_MAX_BYTES = 8 * 1024 * 1024


class MissionPhoto(models.Model):
    """A photo taken during a survey mission, kept under MEDIA_ROOT and shown only through
    `assistance.documents.mission_photo` (which checks the mission's scope), never as a public file."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="photos", verbose_name=_("survey mission")
    )
    image = models.ImageField(_("photo"), upload_to=mission_photo_path)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mission photo")
        verbose_name_plural = _("mission photos")
        ordering = ["mission", "uploaded_at", "pk"]

    def __str__(self):
        return self.caption or f"{self.mission} · {self.pk}"

    def get_absolute_url(self):
        return reverse("assistance:mission_photo", args=[self.pk])


class Finding(models.Model):
    """A need the mission found in one commune (and maybe one village), tagged with a programme project."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="findings", verbose_name=_("survey mission")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="findings", verbose_name=_("commune")
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("village"),
    )
    topic = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="findings", verbose_name=_("topic")
    )
    text = models.TextField(_("finding"))

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["mission", "commune", "pk"]

    def __str__(self):
        return f"{self.commune} · {self.text[:60]}"

    def clean(self):
        super().clean()
        if self.village_id and self.commune_id and self.village.commune_id != self.commune_id:
            raise ValidationError({"village": _("This village is not in the chosen commune.")})


class LabourNeed(models.Model):
    """An enterprise's need for workers, recorded during a survey, to offer to job seekers."""

    mission = models.ForeignKey(
        Mission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="labour_needs",
        verbose_name=_("survey mission"),
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="labour_needs",
        verbose_name=_("commune"),
        help_text=_("The commune whose workers are sought."),
    )
    company = models.CharField(_("company"), max_length=255)
    jobs = models.CharField(_("jobs"), max_length=255)
    count = models.PositiveIntegerField(_("workers needed"))
    monthly_wage = models.PositiveBigIntegerField(_("monthly wage (đồng)"), null=True, blank=True)
    abroad = models.BooleanField(_("contract work abroad"), default=False)
    recorded_on = models.DateField(_("recorded on"), default=today)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("labour need")
        verbose_name_plural = _("labour needs")
        ordering = ["-recorded_on", "company"]
        constraints = [models.CheckConstraint(condition=Q(count__gt=0), name="labour_need_count_positive")]

    def __str__(self):
        return f"{self.company} · {self.jobs} ({self.count})"


# ---------------------------------------------------------------------------------------------
# Support plans, their activities and their money


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
        counted = Activity.objects.filter(plan=OuterRef("pk")).exclude(status=Activity.Status.CANCELLED)
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
        if self.from_year and self.to_year and self.to_year < self.from_year:
            raise ValidationError({"to_year": _("The last year cannot be before the first year.")})
        if (
            self.mission_id
            and self.commune_id
            and not self.mission.communes.filter(pk=self.commune_id).exists()
        ):
            raise ValidationError({"mission": _("This survey did not visit the plan's commune.")})


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

    history = HistoricalRecords()

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


# ---------------------------------------------------------------------------------------------
# What was carried out, by kind of activity


class Event(models.Model):
    """A training class, inspection or conference held for an activity."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="events", verbose_name=_("activity")
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255)
    participant_count = models.PositiveIntegerField(_("participants"), default=0)
    officers_trained = models.TextField(
        _("officers trained or met"), blank=True, help_text=_("Names and posts, one per line.")
    )
    result_notes = models.TextField(_("results"), blank=True)

    class Meta:
        verbose_name = _("event held")
        verbose_name_plural = _("events held")
        ordering = ["activity", "held_on", "pk"]

    def __str__(self):
        return f"{self.activity} · {self.held_on:%d/%m/%Y}"


class CommunicationRecord(models.Model):
    class Kind(models.TextChoices):
        LEAFLET = "leaflet", _("Leaflets")
        TALK = "talk", _("Talks")
        BROADCAST = "broadcast", _("Loudspeaker or radio broadcasts")
        POSTER = "poster", _("Posters and banners")
        OTHER = "other", _("Other")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="communications", verbose_name=_("activity")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    count = models.PositiveIntegerField(_("count"))
    audience = models.CharField(_("audience"), max_length=255, blank=True)
    held_on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("communication record")
        verbose_name_plural = _("communication records")
        ordering = ["activity", "held_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(count__gt=0), name="communication_count_positive")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.count}"


class GivenItem(models.Model):
    """What a livelihood model gives: animals, seeds, tools, with count and unit cost."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="items", verbose_name=_("activity")
    )
    name = models.CharField(_("item"), max_length=255)
    count = models.PositiveIntegerField(_("count"))
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    unit_cost = models.PositiveBigIntegerField(_("unit cost (đồng)"))

    class Meta:
        verbose_name = _("item given")
        verbose_name_plural = _("items given")
        ordering = ["activity", "pk"]
        constraints = [models.CheckConstraint(condition=Q(count__gt=0), name="given_item_count_positive")]

    def __str__(self):
        return f"{self.name} × {self.count}"

    @property
    def total(self) -> int:
        return self.count * self.unit_cost


class Beneficiary(models.Model):
    """A household of the plan's commune that receives a livelihood model's support."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="beneficiaries", verbose_name=_("activity")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="livelihood_support", verbose_name=_("household")
    )
    enrolled_on = models.DateField(_("enrolled on"), default=today)
    category_when_enrolled = models.CharField(
        _("category when enrolled"), max_length=16, blank=True, help_text=_("From the latest decided review.")
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("beneficiary household")
        verbose_name_plural = _("beneficiary households")
        ordering = ["activity", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "household"], name="household_once_per_model"),
        ]

    def __str__(self):
        return str(self.household)

    def clean(self):
        super().clean()
        if self.household_id and self.activity_id:
            if self.household.commune_id != self.activity.plan.commune_id:
                raise ValidationError(
                    {"household": _("This household does not live in the plan's commune.")},
                    code="outside_commune",
                )
            if self.activity.kind != Activity.Kind.LIVELIHOOD_MODEL:
                raise ValidationError(_("Beneficiary households belong to livelihood models."))


class FollowUp(models.Model):
    """A visit to a livelihood model: how the animals are doing."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("activity")
    )
    visited_on = models.DateField(_("visited on"))
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household visited"),
    )
    animals_alive = models.PositiveIntegerField(_("animals alive"), default=0)
    animals_born = models.PositiveIntegerField(_("animals born"), default=0)
    animals_passed_on = models.PositiveIntegerField(_("passed on to the next household"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["activity", "visited_on", "pk"]

    def __str__(self):
        return f"{self.activity} · {self.visited_on:%d/%m/%Y}"


# ---------------------------------------------------------------------------------------------
# Job counselling: participants and the outcome the department follows


class Outcome(models.TextChoices):
    """In the order a participant can move through them (see services.check_outcome_move)."""

    COUNSELLED = "counselled", _("Counselled")
    REFERRED_TRAINING = "referred_training", _("Referred to vocational training")
    PLACED_VIETNAM = "placed_vietnam", _("Placed in a job in Vietnam")
    REGISTERED_ABROAD = "registered_abroad", _("Registered for contract work abroad")
    DEPARTED = "departed", pgettext_lazy("worker abroad", "Departed")
    RETURNED = "returned", pgettext_lazy("worker abroad", "Returned")


class Participant(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="participants", verbose_name=_("activity")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household member"),
        help_text=_("Choose from the registry, or write the name below."),
    )
    full_name = models.CharField(_("full name"), max_length=120, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True, editable=False
    )
    outcome_on = models.DateField(_("since"), null=True, blank=True, editable=False)
    offers = models.ManyToManyField(
        LabourNeed, blank=True, related_name="offered_to", verbose_name=_("jobs offered")
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["activity", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(full_name=""), name="participant_is_named"
            ),
            models.UniqueConstraint(
                fields=["activity", "member"],
                condition=Q(member__isnull=False),
                name="member_once_per_activity",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.member.person.full_name if self.member_id else self.full_name

    def clean(self):
        super().clean()
        if not self.member_id and not self.full_name.strip():
            raise ValidationError(
                {
                    "full_name": _(
                        "Choose a household member from the registry or write the participant's name."
                    )
                }
            )


class OutcomeStep(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="steps", verbose_name=_("participant")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("outcome step")
        verbose_name_plural = _("outcome steps")
        ordering = ["participant", "on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "outcome"], name="outcome_once_per_participant"),
        ]

    def __str__(self):
        return f"{self.participant} · {self.get_outcome_display()}"
