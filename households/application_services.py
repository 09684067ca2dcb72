"""Writes of the recognition on application (Decree 30/2025): farm households of average living
standard and low-income workers, from the request to the decision. Permissions as in
`households.services`."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communes.models import today
from households import poverty, procedure
from households.models import (
    ApplicationComplaint,
    Category,
    Household,
    HouseholdReview,
    Person,
    StatusApplication,
)
from households.procedure import date_text
from households.services import (
    require_writer,
)

# Applications for recognition (Decree 30/2025) ---------------------------------------------------

ApplicationState = StatusApplication.State
ApplicationKind = StatusApplication.Kind


def _latest_list(household: Household, on: datetime.date) -> tuple[str, int] | None:
    """The household's category on `on`: that of its latest decided review counting in that year or
    before (or of its old record's, if carried over by a merger), with the year it counts in."""
    return (
        HouseholdReview.objects.latest_lists_first(up_to=on.year)
        .filter(household__in=household.record_ids)
        .values_list("category", "counting_year")
        .first()
    )


def _assess(kind: str, standard, household: Household, person: Person | None, monthly: int, on):
    if kind == ApplicationKind.FARM_HOUSEHOLD:
        return poverty.assess_farm_household(
            standard,
            household.area_type,
            farm_livelihood=household.is_farm,
            monthly_income_per_person=monthly,
        )
    return poverty.assess_low_income_worker(
        standard,
        household.area_type,
        monthly_income_per_person=monthly,
        of_working_age=person.is_of_working_age(on.year),
        working=person.is_working,
    )


@transaction.atomic
def record_application(
    *,
    household: Household,
    requested_on: datetime.date,
    income_12_months: int,
    member_count: int,
    kind: str = ApplicationKind.FARM_HOUSEHOLD,
    person: Person | None = None,
    by,
) -> StatusApplication:
    """Records an application for recognition (a farm household of average living standard, or a
    low-income worker among the household's members) and assesses it against the criteria; the
    procedure follows (`move_application`). Only the chairman's decision recognises."""
    require_writer(by)
    try:
        standard = poverty.standard_for_year(requested_on.year)
    except poverty.ClassificationError as error:
        raise ValidationError(str(error)) from error
    if not standard.average_band_in_law:
        raise ValidationError(
            _("%(standard)s sets no band of average living standard: no request is assessed against it.")
            % {"standard": standard}
        )
    if requested_on > today():
        raise ValidationError(_("The request date cannot be in the future."))
    if member_count < 1:
        raise ValidationError(_("A household has at least one member."))
    # Two presses at once: the second waits here, then finds the application the first recorded.
    Household.objects.select_for_update(no_key=True).get(pk=household.pk)
    same = StatusApplication.objects.filter(household=household, kind=kind)
    latest = _latest_list(household, requested_on)
    on_list = latest and latest[0] in (poverty.POOR, poverty.NEAR_POOR)
    if kind == ApplicationKind.LOW_INCOME_WORKER:
        if person is None:
            raise ValidationError(_("Choose the worker among the household's members."))
        if not household.members.on(requested_on).filter(person=person).exists():
            raise ValidationError(
                _("%(name)s is not a member of this household on %(date)s.")
                % {"name": person, "date": date_text(requested_on)}
            )
        if on_list:
            raise ValidationError(
                _(
                    "The household of %(name)s is %(category)s (%(year)s): its members are not "
                    "low-income workers."
                )
                % {"name": person, "category": Category(latest[0]).label.lower(), "year": latest[1]}
            )
        same = same.filter(person=person)
    else:
        person = None
        if on_list:
            raise ValidationError(
                _(
                    "The household is %(category)s (%(year)s): it is reviewed to leave the list "
                    "(ad-hoc review, form 04) before it applies."
                )
                % {"category": Category(latest[0]).label.lower(), "year": latest[1]}
            )
    if same.pending().exists():
        raise ValidationError(_("An application of this kind is already in progress."))
    if same.recognised(kind).filter(requested_on__year=requested_on.year).exists():
        raise ValidationError(
            _("Already recognised by a decision of %(year)s.") % {"year": requested_on.year}
        )
    monthly = income_12_months // 12 // member_count
    try:
        assessment = _assess(kind, standard, household, person, monthly, requested_on)
    except poverty.ClassificationError as error:
        raise ValidationError(str(error)) from error
    application = StatusApplication(
        household=household,
        kind=kind,
        person=person,
        requested_on=requested_on,
        standard=standard.key,
        income_12_months=income_12_months,
        member_count=member_count,
        monthly_income_per_person=monthly,
        eligible=assessment.eligible,
        assessment="\n".join(str(reason) for reason in assessment.reasons),
        recorded_by=by,
    )
    application.full_clean()
    application.save()
    return application


def _locked_application(pk: int) -> StatusApplication:
    return StatusApplication.objects.select_for_update().get(pk=pk)


@transaction.atomic
def move_application(
    *,
    application: StatusApplication,
    to_state: str,
    on: datetime.date,
    by,
    decision_number: str = "",
    reason: str = "",
) -> StatusApplication:
    """The next step of the procedure on `on`: the posting (5 working days), its end with every
    complaint re-checked, the chairman's decision (its number) or a written refusal (its reason)."""
    require_writer(by)
    application = _locked_application(application.pk)  # a second press waits, then is refused
    closing = to_state in (ApplicationState.RECHECKED, *StatusApplication.DECIDED_STATES)
    procedure.check_application_move(
        procedure.ApplicationMove(
            state=application.state,
            to_state=to_state,
            on=on,
            today=today(),
            requested_on=application.requested_on,
            last_step_on=application.last_step_on,
            posting_ends_on=application.posting_ends_on,
            open_complaints=application.complaints.filter(rechecked_on__isnull=True).count()
            if closing
            else 0,
            eligible=application.eligible,
            decision_number=decision_number,
            reason=reason,
        )
    )
    fields = ["state"]
    if to_state == ApplicationState.POSTED:
        application.posting_starts_on = on
        application.posting_ends_on = procedure.application_posting_ends_on(on)
        fields += ["posting_starts_on", "posting_ends_on"]
    elif to_state == ApplicationState.RECHECKED:
        application.rechecked_on = on
        fields.append("rechecked_on")
    else:
        application.decided_on, application.decided_by = on, by
        application.decision_number = (
            decision_number.strip() if to_state == ApplicationState.RECOGNISED else ""
        )
        application.refusal_reason = reason.strip() if to_state == ApplicationState.REFUSED else ""
        fields += ["decided_on", "decided_by", "decision_number", "refusal_reason"]
    application.state = to_state
    application.save(update_fields=fields)
    return application


@transaction.atomic
def record_application_complaint(
    *, application: StatusApplication, received_on: datetime.date, content: str, by
) -> ApplicationComplaint:
    """A complaint received while the application is posted; the decision waits for its re-check."""
    require_writer(by)
    application = _locked_application(application.pk)
    if application.state != ApplicationState.POSTED:
        raise ValidationError(_("Complaints are recorded while the application is posted."))
    if received_on > today():
        raise ValidationError(_("The date of a step cannot be in the future."))
    if not application.posting_starts_on <= received_on <= application.posting_ends_on:
        raise ValidationError(
            _("A complaint is received while the posting runs (%(start)s – %(end)s).")
            % {
                "start": date_text(application.posting_starts_on),
                "end": date_text(application.posting_ends_on),
            }
        )
    complaint = ApplicationComplaint(
        application=application, received_on=received_on, content=content.strip()
    )
    complaint.full_clean()
    complaint.save()
    return complaint


@transaction.atomic
def recheck_application_complaint(
    *, complaint: ApplicationComplaint, outcome: str, on: datetime.date, by
) -> ApplicationComplaint:
    """Closes a complaint with what the re-check found. Due within 3 working days of its receipt; a
    later re-check is still recorded, with its true date, and shown as late."""
    require_writer(by)
    _locked_application(complaint.application_id)
    complaint = ApplicationComplaint.objects.get(pk=complaint.pk)
    if complaint.rechecked_on is not None:
        raise ValidationError(_("This complaint was already re-checked."))
    if not outcome.strip():
        raise ValidationError(_("Say what the re-check found before closing the complaint."))
    if on > today():
        raise ValidationError(_("The date of a step cannot be in the future."))
    if on < complaint.received_on:
        raise ValidationError(_("A complaint cannot be resolved before it was received."))
    complaint.outcome, complaint.rechecked_on = outcome.strip(), on
    complaint.save(update_fields=["outcome", "rechecked_on"])
    return complaint
