"""Writes that carry the plan's rules: views, admin and the demo seed all go through these.

- A draft plan changes freely; an approved plan changes only through `add_activity` /
  `amend_activity` / cancelling, each recording a PlanAmendment (what, why, when, who).
- Only the department approves, amends, cancels and closes (access.can_approve_plans).
- Money is recorded against activities of approved plans; spending over the plan needs an explicit
  confirmation and stays flagged on every page.
- Permissions as households.services says: a service checks the actor's (`by`) role, PermissionDenied.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assistance.access import can_approve_plans, can_write_plans
from assistance.models import (
    Activity,
    Beneficiary,
    Finding,
    Outcome,
    OutcomeStep,
    Participant,
    Plan,
    PlanAmendment,
    Spending,
)
from core.money import format_dong
from households.models import Household

# ------------------------------------------------------------------------------------------------
# Plans and their activities


def _locked_plan(plan: Plan) -> Plan:
    """The plan as the database has it now, locked for the rest of the transaction."""
    return Plan.objects.select_for_update().get(pk=plan.pk)


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def plan_locked_error() -> ValidationError:
    return ValidationError(
        _("This plan is approved: it changes only through an amendment that says what changed and why."),
        code="plan_locked",
    )


@transaction.atomic
def save_draft_plan(*, plan: Plan, by) -> Plan:
    """Creates a plan or saves changes to a draft one."""
    _require(can_write_plans(by))
    if plan.pk and not _locked_plan(plan).is_draft:
        raise plan_locked_error()
    if not plan.pk:
        plan.created_by = by
    plan.full_clean()
    plan.save()
    return plan


def _next_position(plan: Plan) -> int:
    return (plan.activities.aggregate(last=Max("position"))["last"] or 0) + 1


def _describe(activity: Activity, field: str) -> str:
    value = getattr(activity, field)
    if value in (None, ""):
        return "—"
    if field == "planned_amount":
        return format_dong(value)
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    display = getattr(activity, f"get_{field}_display", None)
    return str(display() if display else value)


def _label(field: str) -> str:
    return str(Activity._meta.get_field(field).verbose_name)


def _record_amendment(plan: Plan, *, changes: list[str], reason: str, by) -> PlanAmendment:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the approved plan is changed.")})
    plan.version += 1
    plan.save(update_fields=["version"])
    return PlanAmendment.objects.create(
        plan=plan, number=plan.version, made_by=by, changes="\n".join(changes), reason=reason.strip()
    )


@transaction.atomic
def record_amendment(*, plan: Plan, changes: list[str], reason: str, by) -> PlanAmendment:
    """Records an amendment to an approved plan whose change is not in the plan's lines (e.g. the
    text of the plan document); line changes go through amend_activity / add_activity."""
    _require(can_approve_plans(by))
    plan = _locked_plan(plan)
    if plan.state != Plan.State.APPROVED:
        raise ValidationError(_("Only an approved plan is amended; a draft is simply edited."))
    if not any(change.strip() for change in changes):
        raise ValidationError({"changes": _("Say what changed.")})
    return _record_amendment(plan, changes=changes, reason=reason, by=by)


@transaction.atomic
def add_activity(
    *, plan: Plan, activity: Activity, findings: Iterable[Finding] = (), by, reason: str = ""
) -> Activity:
    """Adds a line to a draft plan, or to an approved plan as a recorded amendment (needs `reason`)."""
    _require(can_write_plans(by))
    plan = _locked_plan(plan)
    if plan.state == Plan.State.CLOSED:
        raise ValidationError(_("This plan is closed."))
    if not plan.is_draft:
        _require(can_approve_plans(by))
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the approved plan is changed.")})
    activity.plan = plan
    activity.position = _next_position(plan)
    activity.full_clean()
    activity.save()
    activity.findings.set(findings)
    if not plan.is_draft:
        _record_amendment(
            plan,
            changes=[
                _("Line %(line)s added: %(title)s, %(amount)s")
                % {
                    "line": activity.position,
                    "title": activity.title,
                    "amount": format_dong(activity.planned_amount),
                }
            ],
            reason=reason,
            by=by,
        )
    return activity


@transaction.atomic
def update_draft_activity(*, activity: Activity, findings: Iterable[Finding] | None = None, by) -> Activity:
    """Saves changes to a line of a draft plan; an approved plan refuses (see amend_activity)."""
    _require(can_write_plans(by))
    if not _locked_plan(activity.plan).is_draft:
        raise plan_locked_error()
    activity.full_clean()
    activity.save()
    if findings is not None:
        activity.findings.set(findings)
    return activity


@transaction.atomic
def delete_draft_activity(*, activity: Activity, by) -> None:
    _require(can_write_plans(by))
    if not _locked_plan(activity.plan).is_draft:
        raise plan_locked_error()
    activity.delete()


@transaction.atomic
def amend_activity(
    *, activity: Activity, changes: dict, findings: Iterable[Finding] | None = None, reason: str, by
) -> PlanAmendment:
    """Changes planned fields of a line of an approved plan and records what changed and why."""
    _require(can_approve_plans(by))
    plan = _locked_plan(activity.plan)
    if plan.state != Plan.State.APPROVED:
        raise ValidationError(_("Only an approved plan is amended; a draft is simply edited."))
    current = Activity.objects.get(pk=activity.pk)
    unknown = set(changes) - set(Activity.PLANNED_FIELDS)
    if unknown:
        raise ValueError(f"Not planned fields: {sorted(unknown)}")
    described = []
    for field, value in changes.items():
        before = _describe(current, field)
        setattr(current, field, value)
        after = _describe(current, field)
        if before != after:
            described.append(f"{_('Line')} {current.position} · {_label(field)}: {before} → {after}")
    if findings is not None:
        old = set(current.findings.values_list("pk", flat=True))
        new = {finding.pk for finding in findings}
        if old != new:
            described.append(
                f"{_('Line')} {current.position} · {_('findings answered')}: {len(old)} → {len(new)}"
            )
    if not described:
        raise ValidationError(_("Nothing was changed."))
    current.full_clean()
    current.save()
    if findings is not None:
        current.findings.set(findings)
    return _record_amendment(plan, changes=described, reason=reason, by=by)


@transaction.atomic
def approve_plan(*, plan: Plan, by, on: datetime.date, decision_number: str = "") -> Plan:
    _require(can_approve_plans(by))
    plan = _locked_plan(plan)
    if not plan.is_draft:
        raise ValidationError(_("This plan is already approved."))
    if not plan.activities.exists():
        raise ValidationError(_("A plan without activities cannot be approved."))
    plan.state = Plan.State.APPROVED
    plan.version = 1
    plan.approved_on = on
    plan.approved_by = by
    plan.decision_number = decision_number.strip()
    plan.save()
    return plan


@transaction.atomic
def close_plan(*, plan: Plan, by) -> Plan:
    _require(can_approve_plans(by))
    plan = _locked_plan(plan)
    if plan.state != Plan.State.APPROVED:
        raise ValidationError(_("Only an approved plan can be closed."))
    if plan.activities.open().exists():
        raise ValidationError(_("Mark every activity done or cancelled before closing the plan."))
    plan.state = Plan.State.CLOSED
    plan.save(update_fields=["state"])
    return plan


@transaction.atomic
def set_activity_status(*, activity: Activity, status: str, reason: str = "", by) -> Activity:
    """Progress of an approved plan's line. Cancelling is the department's decision and is recorded
    as an amendment with its reason; a cancelled line stays cancelled."""
    _require(can_write_plans(by))
    plan = _locked_plan(activity.plan)
    if plan.state != Plan.State.APPROVED:
        raise ValidationError(_("Progress is recorded once the plan is approved."))
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("This activity was cancelled; add a new line if it is to be done after all."))
    if status == activity.status:
        return activity
    if status == Activity.Status.CANCELLED:
        _require(can_approve_plans(by))
        activity.cancel_reason = reason.strip()
    activity.status = status
    activity.full_clean()  # a cancelled line says why (Activity.clean)
    if status == Activity.Status.CANCELLED:
        _record_amendment(
            plan,
            changes=[
                _("Line %(line)s cancelled: %(title)s") % {"line": activity.position, "title": activity.title}
            ],
            reason=reason,
            by=by,
        )
    activity.save(update_fields=["status", "cancel_reason"])
    return activity


# ------------------------------------------------------------------------------------------------
# Money


def over_plan_error(*, activity: Activity, spent_after: int) -> ValidationError:
    return ValidationError(
        _(
            "This takes the spending on “%(title)s” to %(spent)s, over its planned %(planned)s. "
            "Check the amount, or confirm that the plan is exceeded."
        )
        % {
            "title": activity.title,
            "spent": format_dong(spent_after),
            "planned": format_dong(activity.planned_amount),
        },
        code="over_plan",
    )


def check_spending(
    *, activity: Activity, amount: int, allow_over_plan: bool = False, replacing: Spending | None = None
) -> None:
    """Raises ValidationError unless `amount` may be recorded against `activity` (in place of
    `replacing`, a recorded spending being changed): an approved plan, a line not cancelled, and
    within its planned amount unless `allow_over_plan` confirms the excess."""
    if activity.plan.state != Plan.State.APPROVED:
        raise ValidationError(_("Money is recorded only against an approved plan that is not closed."))
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("This activity was cancelled: no more money can be recorded against it."))
    others = activity.spendings.exclude(pk=replacing.pk if replacing else None)
    spent = others.aggregate(total=Sum("amount"))["total"] or 0
    if spent + amount > activity.planned_amount and not allow_over_plan:
        raise over_plan_error(activity=activity, spent_after=spent + amount)


@transaction.atomic
def record_spending(
    *,
    activity: Activity,
    spent_on: datetime.date,
    amount: int,
    voucher_number: str,
    note: str = "",
    by,
    allow_over_plan: bool = False,
) -> Spending:
    _require(can_write_plans(by))
    plan = _locked_plan(activity.plan)  # the plan before its line, as set_activity_status locks them
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    activity.plan = plan
    check_spending(activity=activity, amount=amount, allow_over_plan=allow_over_plan)
    spending = Spending(
        activity=activity,
        spent_on=spent_on,
        amount=amount,
        voucher_number=voucher_number.strip(),
        note=note.strip(),
        recorded_by=by,
    )
    spending.full_clean()
    spending.save()
    return spending


# ------------------------------------------------------------------------------------------------
# Livelihood models


def _require_record(activity: Activity, record: str):
    """Refuses a record the activity's kind does not take (Activity.RECORDS)."""
    if record not in activity.recorded:
        kinds = ", ".join(str(Activity.Kind(kind).label) for kind in Activity.kinds_recording(record))
        raise ValidationError(_("This is done for a “%(kind)s” activity only.") % {"kind": kinds})


def check_enrolment(activity: Activity) -> None:
    """Households are enrolled in a livelihood model that was not cancelled (the page's and admin's rule)."""
    _require_record(activity, "beneficiaries")
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("This activity was cancelled."))


@transaction.atomic
def enrol_households(
    *, activity: Activity, households: Iterable[Household], enrolled_on: datetime.date, by
) -> list[Beneficiary]:
    """Makes households beneficiaries of a livelihood model. Every one must live in the plan's
    commune; its latest decided category is kept with the enrolment. Households already enrolled
    are skipped; when all of them are, it refuses (`already_enrolled`)."""
    _require(can_write_plans(by))
    # Two presses at once: the second waits here, then finds the households enrolled.
    activity = (
        Activity.objects.select_for_update(no_key=True, of=("self",))
        .select_related("plan")
        .get(pk=activity.pk)
    )
    check_enrolment(activity)
    ids = [household.pk for household in households]
    chosen = Household.objects.with_latest_category().filter(pk__in=ids)
    if any(h.commune_id != activity.plan.commune_id for h in chosen):
        # Not named: any id can be posted, a household the user may not see among them.
        raise ValidationError(
            _("This household does not live in the plan's commune."), code="outside_commune"
        )
    already = set(activity.beneficiaries.values_list("household_id", flat=True))
    new = [household for household in chosen if household.pk not in already]
    if chosen and not new:
        raise ValidationError(
            _("These households are already enrolled in this model."), code="already_enrolled"
        )
    return Beneficiary.objects.bulk_create(
        [
            Beneficiary(
                activity=activity,
                household=household,
                enrolled_on=enrolled_on,
                category_when_enrolled=household.latest_category or "",
            )
            for household in new
        ]
    )


# ------------------------------------------------------------------------------------------------
# Job counselling


OUTCOME_ORDER = [
    Outcome.COUNSELLED,
    Outcome.REFERRED_TRAINING,
    Outcome.PLACED_VIETNAM,
    Outcome.REGISTERED_ABROAD,
    Outcome.DEPARTED,
    Outcome.RETURNED,
]
# Steps that make sense only after another one.
OUTCOME_NEEDS = {Outcome.DEPARTED: Outcome.REGISTERED_ABROAD, Outcome.RETURNED: Outcome.DEPARTED}


def check_outcome_move(
    history: list[tuple[str, datetime.date]],
    outcome: str,
    on: datetime.date,
    *,
    since: datetime.date | None = None,
) -> None:
    """Raises ValidationError unless `outcome` on `on` moves the participant forward.

    `history` is the participant's earlier steps (outcome, date) in order; `since` the conference
    date. Forward means: a later step of OUTCOME_ORDER, on the same day as the last step or after,
    never before the conference; departing needs a registration abroad, returning a departure.
    """
    if since and on < since:
        raise ValidationError(_("An outcome cannot come before the conference."), code="before_conference")
    if history:
        last, last_on = history[-1]
        if on < last_on:
            raise ValidationError(
                _("Outcomes move forward in time: the last one was recorded on %(date)s.")
                % {"date": last_on.strftime("%d/%m/%Y")},
                code="earlier_date",
            )
        if OUTCOME_ORDER.index(outcome) <= OUTCOME_ORDER.index(last):
            raise ValidationError(
                _("“%(new)s” cannot follow “%(last)s”: outcomes only move forward.")
                % {"new": Outcome(outcome).label, "last": Outcome(last).label},
                code="backwards",
            )
    needed = OUTCOME_NEEDS.get(outcome)
    if needed and needed not in [step for step, _on in history]:
        raise ValidationError(
            _("“%(new)s” needs “%(needed)s” first.")
            % {"new": Outcome(outcome).label, "needed": Outcome(needed).label},
            code="missing_step",
        )


def conference_date(activity: Activity) -> datetime.date | None:
    return activity.events.order_by("held_on").values_list("held_on", flat=True).first()


@transaction.atomic
def record_outcome(
    *, participant: Participant, outcome: str, on: datetime.date, note: str = "", by
) -> OutcomeStep:
    _require(can_write_plans(by))
    participant = Participant.objects.select_for_update().select_related("activity").get(pk=participant.pk)
    history = list(participant.steps.order_by("on", "pk").values_list("outcome", "on"))
    check_outcome_move(history, outcome, on, since=conference_date(participant.activity))
    step = OutcomeStep.objects.create(
        participant=participant, outcome=outcome, on=on, note=note.strip(), recorded_by=by
    )
    participant.outcome = outcome
    participant.outcome_on = on
    participant.save(update_fields=["outcome", "outcome_on"])
    return step


@transaction.atomic
def add_participant(
    *, activity: Activity, member=None, full_name: str = "", birth_year: int | None = None, offers=(), by
) -> Participant:
    _require(can_write_plans(by))
    _require_record(activity, "participants")
    participant = Participant(
        activity=activity, member=member, full_name=full_name.strip(), birth_year=birth_year
    )
    participant.full_clean()
    participant.save()
    participant.offers.set(offers)
    return participant
