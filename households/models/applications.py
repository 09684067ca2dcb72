"""Recognition on application (Decree 30/2025, DOMAIN.md §3–§4): farm, forestry, fishery and salt
households of average living standard, and low-income workers. One procedure for both: the request,
its posting, the re-check of complaints, the chairman's decision or a written refusal."""

import datetime

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communes.models import today
from core.fields import user_stamp
from households import procedure
from households.models.registry import Household, Person

Kind = procedure.ApplicationKind
State = procedure.ApplicationState
STEPS = (*State.values, "overdue")


class StatusApplicationQuerySet(models.QuerySet):
    def pending(self):
        return self.exclude(state__in=procedure.APPLICATION_DECIDED_STATES)

    def overdue(self, on: datetime.date | None = None):
        """Not decided 15 days after the monthly review that took them up."""
        before = procedure.overdue_if_requested_before(on or today(), procedure.APPLICATION_DECISION_DAYS)
        return self.pending().filter(requested_on__lt=before)

    def at_step(self, step: str, on: datetime.date | None = None):
        """Applications at `step` (a state, or "overdue"); any other value: all of them."""
        if step == "overdue":
            return self.overdue(on)
        return self.filter(state=step) if step in State.values else self

    def recognised(self, kind: str = Kind.FARM_HOUSEHOLD):
        return self.filter(kind=kind, state=State.RECOGNISED)

    def with_open_complaints(self):
        return self.annotate(
            open_complaints=models.Count("complaints", filter=Q(complaints__rechecked_on__isnull=True))
        )


class StatusApplication(models.Model):
    """A household's, or one of its members', application to be recognised in a status of Decree
    30/2025; the state is the step of the procedure it reached, each step with its date."""

    Kind = Kind
    State = State
    DECIDED_STATES = procedure.APPLICATION_DECIDED_STATES

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="applications", verbose_name=_("household")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FARM_HOUSEHOLD)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("worker"),
        help_text=_("A low-income worker: the member who applies."),
    )
    requested_on = models.DateField(_("requested on"))
    standard = models.CharField(_("poverty standard"), max_length=32)
    income_12_months = models.PositiveBigIntegerField(
        _("income of the previous 12 months (đồng)"), help_text=_("Without state social assistance.")
    )
    member_count = models.PositiveSmallIntegerField(
        _("members"), validators=[MinValueValidator(1)], help_text=_("Members sharing that income.")
    )
    monthly_income_per_person = models.PositiveBigIntegerField(
        _("income per person per month (đồng)"), editable=False
    )
    eligible = models.BooleanField(
        _("meets the criteria"),
        editable=False,
        default=False,
        help_text=_("Computed by the rule when the application is recorded."),
    )
    assessment = models.TextField(_("assessment"), blank=True, editable=False)
    state = models.CharField(_("step"), max_length=16, choices=State.choices, default=State.REQUESTED)
    posting_starts_on = models.DateField(_("posting starts on"), null=True, blank=True)
    posting_ends_on = models.DateField(_("posting ends on"), null=True, blank=True)
    rechecked_on = models.DateField(_("posting closed, complaints re-checked on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)
    recorded_by = user_stamp(_("recorded by"))
    decided_by = user_stamp(_("decision recorded by"))

    objects = StatusApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application for recognition")
        verbose_name_plural = _("applications for recognition")
        ordering = ["-requested_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(member_count__gte=1), name="application_has_members"),
            models.CheckConstraint(
                condition=Q(kind="farm_household", person__isnull=True)
                | Q(kind="low_income_worker", person__isnull=False),
                name="worker_application_names_the_worker",
            ),
            models.CheckConstraint(
                # Applications decided before the steps were recorded have no posting dates.
                condition=~Q(state__in=["posted", "rechecked"])
                | Q(posting_starts_on__isnull=False, posting_ends_on__isnull=False),
                name="posted_application_has_posting_dates",
            ),
            models.CheckConstraint(
                condition=Q(posting_starts_on__isnull=True)
                | Q(posting_starts_on__gte=models.F("requested_on")),
                name="application_posted_after_request",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["recognised", "refused"], decided_on__gte=models.F("requested_on"))
                | Q(~Q(state__in=["recognised", "refused"]), decided_on__isnull=True),
                name="decided_application_has_decision_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(refusal_reason=""), name="refusal_has_a_reason"
            ),
        ]

    def __str__(self):
        who = self.person if self.person_id else self.household
        return f"{self.get_kind_display()} · {who} · {self.requested_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("households:application", args=[self.pk])

    @property
    def year(self) -> int:
        return self.requested_on.year

    @property
    def is_decided(self) -> bool:
        return self.state in self.DECIDED_STATES

    @property
    def taken_up_on(self) -> datetime.date:
        return procedure.taken_up_on(self.requested_on)

    @property
    def deadline(self) -> datetime.date:
        return procedure.application_deadline(self.requested_on)

    @property
    def is_overdue(self) -> bool:
        return procedure.application_is_overdue(self.requested_on, self.state, today())

    @property
    def last_step_on(self) -> datetime.date:
        return self.decided_on or self.rechecked_on or self.posting_starts_on or self.requested_on

    def allowed_moves(self) -> tuple[str, ...]:
        return procedure.APPLICATION_MOVES[self.state]


class ApplicationComplaint(models.Model):
    """A complaint about a posted application, re-checked within 3 working days of its receipt."""

    application = models.ForeignKey(
        StatusApplication, on_delete=models.CASCADE, related_name="complaints", verbose_name=_("application")
    )
    received_on = models.DateField(_("received on"))
    content = models.TextField(_("complaint"))
    outcome = models.TextField(_("outcome of the re-check"), blank=True)
    rechecked_on = models.DateField(_("re-checked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint about an application")
        verbose_name_plural = _("complaints about applications")
        ordering = ["application", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rechecked_on__isnull=True)
                | Q(rechecked_on__gte=models.F("received_on")) & ~Q(outcome=""),
                name="application_complaint_rechecked_after_receipt_with_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.application} · {self.received_on:%d/%m/%Y}"

    @property
    def due_on(self) -> datetime.date:
        return procedure.recheck_due_on(self.received_on)

    @property
    def is_late(self) -> bool:
        """Re-checked after its 3 working days, or still open past them."""
        return (self.rechecked_on or today()) > self.due_on
