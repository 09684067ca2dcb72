"""Writes of the requests (form 01, form 04): their Phiếu A screening, acceptance (feeding the periodic
round or opening an ad-hoc one) and refusal. Permissions as in `households.services`."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communes.models import Commune, today
from households.models import (
    Household,
    HouseholdReview,
    ReviewRequest,
    ReviewRound,
)
from households.procedure import date_text
from households.services import (
    State,
    lock_commune,
    open_ad_hoc_round,
    require_writer,
)

# Requests (form 01, form 04) and the Phiếu A screening --------------------------------------------


def _locked_request(pk: int) -> ReviewRequest:
    """The request as it is now, locked until the transaction ends: a second press waits, then refuses."""
    return ReviewRequest.objects.select_for_update().get(pk=pk)


def _check_pending(request: ReviewRequest) -> None:
    if not request.is_pending:
        raise ValidationError(
            _("This request was already decided: %(outcome)s on %(date)s.")
            % {"outcome": request.get_outcome_display().lower(), "date": date_text(request.decided_on)},
            code="already_decided",
        )


def _check_request_date(request: ReviewRequest, on: datetime.date) -> None:
    if on > today():
        raise ValidationError(_("The date cannot be in the future."))
    if on < request.received_on:
        raise ValidationError(
            _("The date cannot come before the request was received (%(date)s).")
            % {"date": date_text(request.received_on)}
        )


@transaction.atomic
def record_request(
    *,
    commune: Commune,
    form: str,
    received_on: datetime.date,
    by,
    household: Household | None = None,
    applicant_name: str = "",
    applicant_address: str = "",
    received_by_other: str = "",
    note: str = "",
) -> ReviewRequest:
    """Records a request received by the commune, pending: from a household of its register, or from a
    person not yet in one (named, with their address). `by` is the staff member who records it."""
    require_writer(by)
    if received_on > today():
        raise ValidationError(_("The date a request was received cannot be in the future."))
    applicant_name, applicant_address = applicant_name.strip(), applicant_address.strip()
    pending = ReviewRequest.objects.filter(form=form, outcome=ReviewRequest.Outcome.PENDING)
    if household is not None:
        if household.commune_id != commune.pk:
            raise ValidationError(_("This household is not of the commune that received the request."))
        # Two presses at once: the second waits here, then finds the first request.
        Household.objects.select_for_update(no_key=True).get(pk=household.pk)
        pending = pending.filter(household=household)
    else:
        if not applicant_name or not applicant_address:
            raise ValidationError(
                _("The household is not in the register: give the applicant's full name and address.")
            )
        lock_commune(commune)
        pending = pending.filter(
            commune=commune, household=None, applicant_name=applicant_name, received_on=received_on
        )
    if earlier := pending.first():
        raise ValidationError(
            _("This applicant already has a pending request on this form (received %(date)s).")
            % {"date": date_text(earlier.received_on)},
            code="already_pending",
        )
    request = ReviewRequest(
        commune=commune,
        household=household,
        applicant_name="" if household else applicant_name,
        applicant_address="" if household else applicant_address,
        form=form,
        received_on=received_on,
        received_by=by,
        received_by_other=received_by_other.strip(),
        note=note.strip(),
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def record_screening(
    *, request: ReviewRequest, on: datetime.date, survey_follows: bool, notes: str = "", by
) -> ReviewRequest:
    """The Phiếu A screening of a form 01 applicant. A screening that finds no survey is needed refuses
    the request, its notes being the written reason."""
    require_writer(by)
    request = _locked_request(request.pk)
    _check_pending(request)
    if request.form != ReviewRequest.Form.REVIEW:
        raise ValidationError(_("Phiếu A screens the requests to be reviewed (form 01) only."))
    _check_request_date(request, on)
    notes = notes.strip()
    if not survey_follows and not notes:
        raise ValidationError(
            _("Say why the screening finds that no survey follows: it is the written reason of the refusal.")
        )
    request.screened_on, request.survey_follows, request.screening_notes = on, survey_follows, notes
    if not survey_follows:
        request.outcome, request.refusal_reason = ReviewRequest.Outcome.REFUSED, notes
        request.decided_on, request.decided_by = on, by
    request.full_clean()
    request.save()
    return request


def _open_periodic_round(request: ReviewRequest) -> ReviewRound | None:
    """The commune's periodic round of the request's year still listing households, locked."""
    return (
        ReviewRound.objects.select_for_update()
        .filter(
            commune=request.commune_id,
            kind=ReviewRound.Kind.PERIODIC,
            year=request.received_on.year,
            state__in=(State.PREPARATION, State.SURVEY),
        )
        .first()
    )


@transaction.atomic
def accept_request(
    *, request: ReviewRequest, by, on: datetime.date | None = None, household: Household | None = None
) -> ReviewRequest:
    """Accepts the request (form 01 after a screening that says the survey follows): it feeds the
    commune's periodic round of its year in preparation or survey (its household is added at once if
    the round is already listed), else it opens an ad-hoc review. `household`: the applicant's, now in
    the register, for a request recorded without one."""
    require_writer(by)
    on = on or today()
    request = _locked_request(request.pk)
    _check_pending(request)
    if household is not None and request.household_id is None:
        if household.commune_id != request.commune_id:
            raise ValidationError(_("This household is not of the commune that received the request."))
        request.household = household
    if request.household is None:
        raise ValidationError(
            _("Record the applicant's household in the register and give its code to accept the request.")
        )
    if request.needs_screening:
        raise ValidationError(
            _(
                "A request to be reviewed (form 01) is accepted after a Phiếu A screening that says "
                "the full survey follows."
            ),
            code="not_screened",
        )
    _check_request_date(request, on)
    if request.screened_on and on < request.screened_on:
        raise ValidationError(_("The request cannot be accepted before its screening."))
    periodic = _open_periodic_round(request)
    if periodic is not None:
        request.review_round = periodic
        reviews = periodic.reviews.all()
        if reviews.exists() and not reviews.filter(household=request.household).exists():
            HouseholdReview.objects.create(round=periodic, household=request.household)
    else:
        request.review_round = open_ad_hoc_round(
            household=request.household,
            requested_on=request.received_on,
            by=by,
            note=_("Request (%(form)s) of %(date)s")
            % {"form": request.get_form_display(), "date": date_text(request.received_on)}
            + (f"\n{request.note}" if request.note else ""),
        )
    request.outcome, request.decided_on, request.decided_by = ReviewRequest.Outcome.ACCEPTED, on, by
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def refuse_request(
    *, request: ReviewRequest, reason: str, by, on: datetime.date | None = None
) -> ReviewRequest:
    """Refuses the request in writing: the reason is required."""
    require_writer(by)
    on = on or today()
    request = _locked_request(request.pk)
    _check_pending(request)
    if not reason.strip():
        raise ValidationError(_("A refusal is written with its reason."), code="no_reason")
    _check_request_date(request, on)
    request.outcome, request.refusal_reason = ReviewRequest.Outcome.REFUSED, reason.strip()
    request.decided_on, request.decided_by = on, by
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def request_ad_hoc_review(
    *, household: Household, requested_on: datetime.date, by, note: str = ""
) -> ReviewRound:
    """A household's request (form 04) recorded and accepted the same day: the round it feeds (the
    ad-hoc review it opens, or the periodic one in preparation or survey). The pages record the
    request first and accept it after (`record_request`, `accept_request`)."""
    request = record_request(
        commune=household.commune,
        household=household,
        form=ReviewRequest.Form.ESCAPE,
        received_on=requested_on,
        note=note,
        by=by,
    )
    return accept_request(request=request, on=requested_on, by=by).review_round
