"""Writes that span several records: memberships, review rounds and their steps, surveys, requests.

Views, the admin and the demo seed call these, so the rules hold whoever writes.

Permissions, as in every services module: a service checks that the actor (`by`, keyword-only) may
do the action by role and raises PermissionDenied; the caller (a view through the access helpers,
the scoped admin, a command) has already resolved the objects within the actor's scope.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from communes.models import Commune, today
from households import poverty, procedure
from households.access import can_write
from households.models import (
    ApplicationComplaint,
    Category,
    CauseOfPoverty,
    Certificate,
    Complaint,
    Deprivation,
    Household,
    HouseholdReview,
    MeetingResult,
    Member,
    Person,
    PovertyCause,
    ReviewRequest,
    ReviewRound,
    RoundStep,
    StatusApplication,
    SupportKind,
    SupportReceived,
    VillageMeeting,
    households_to_review,
)

State = ReviewRound.State


def _date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _require_writer(user) -> None:
    """Households, members, reviews and requests are written by the writer roles only."""
    if user is None or not can_write(user):
        raise PermissionDenied


# Members ----------------------------------------------------------------------------------------


@transaction.atomic
def add_member(
    *, household: Household, person: Person, relation: str, joined_on: datetime.date | None = None, by
) -> Member:
    """Records a new person (or an existing one with no current household) as a member."""
    _require_writer(by)
    person.full_clean()
    person.save()
    member = Member(household=household, person=person, relation=relation, joined_on=joined_on)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def edit_member(
    *, member: Member, person: Person, relation: str, joined_on: datetime.date | None, by
) -> Member:
    """Saves the person's details and the membership's relation and join date: both, or neither."""
    _require_writer(by)
    member.relation, member.joined_on = relation, joined_on
    person.full_clean()
    member.full_clean()
    person.save()
    member.save(update_fields=["relation", "joined_on"])
    return member


@transaction.atomic
def end_membership(*, member: Member, on: datetime.date, by) -> Member:
    """The person left the household on `on` (moved out of the commune, died…); the record stays."""
    _require_writer(by)
    if member.left_on is not None:
        raise ValidationError(_("This membership already ended."))
    member.left_on = on
    member.full_clean()
    member.save(update_fields=["left_on"])
    return member


@transaction.atomic
def move_member(*, member: Member, to_household: Household, on: datetime.date, relation: str, by) -> Member:
    """Ends the membership on `on` and starts one in `to_household` the same day: history is kept."""
    _require_writer(by)
    if member.household_id == to_household.pk:
        raise ValidationError(_("The person already lives in this household."))
    if member.joined_on and on <= member.joined_on:
        raise ValidationError(
            _("The move must come after the person joined the household (%(date)s).")
            % {"date": _date(member.joined_on)}
        )
    end_membership(member=member, on=on, by=by)
    moved = Member(household=to_household, person=member.person, relation=relation, joined_on=on)
    moved.full_clean()
    moved.save()
    return moved


# Review rounds ----------------------------------------------------------------------------------


def lock_commune(commune: Commune) -> None:
    """Until the transaction ends, the commune's rounds are opened and its imports run one at a time:
    the next one waits here, then sees what this one wrote. Rows that refer to the commune can still
    be added meanwhile (no_key: the lock does not cover the commune's key)."""
    Commune.objects.select_for_update(no_key=True).get(pk=commune.pk)


def _locked_round(pk: int) -> ReviewRound:
    """The round as it is now in the database, locked until the transaction ends: a round that moves
    on meanwhile cannot take answers or households meant for an earlier step."""
    return ReviewRound.objects.select_for_update().get(pk=pk)


@transaction.atomic
def open_round(*, commune: Commune, year: int, by, on: datetime.date | None = None) -> ReviewRound:
    """The periodic review of `commune` held in late `year`, under the standard of the lists it makes
    (those of the next year)."""
    _require_writer(by)
    on = on or today()
    try:
        standard = poverty.standard_for_year(procedure.list_year(ReviewRound.Kind.PERIODIC, year))
    except poverty.ClassificationError as error:
        raise ValidationError(str(error)) from error
    lock_commune(commune)  # two presses at once: the second finds the round the first opened
    if ReviewRound.objects.filter(commune=commune, year=year, kind=ReviewRound.Kind.PERIODIC).exists():
        raise ValidationError(
            _("%(commune)s already has its periodic review of late %(year)s.")
            % {"commune": commune, "year": year}
        )
    review_round = ReviewRound(commune=commune, year=year, standard=standard.key, state=State.PREPARATION)
    review_round.full_clean()
    review_round.save()
    RoundStep.objects.create(round=review_round, state=State.PREPARATION, on=on, by=by)
    return review_round


@transaction.atomic
def list_households(
    *,
    review_round: ReviewRound,
    every_household: bool = False,
    households: Iterable[Household] | None = None,
    by,
) -> int:
    """Adds the households to review to the round; returns how many were added. By default the
    Appendix I list: the current poor and near-poor lists and the households of the accepted requests
    feeding the round; with `every_household`, every household of the commune on the register that
    year (a local choice); or the `households` given (the demo, tests). The choice is recorded on the
    round (`lists_every_household`). Households already listed are left as they are; when all of them
    are, it refuses (`already_listed`): the button was pressed again, or twice at once."""
    _require_writer(by)
    review_round = _locked_round(review_round.pk)  # two presses at once: the second finds them listed
    if not review_round.accepts_households:
        raise ValidationError(_("Households can only be listed during preparation or the survey."))
    chosen = households is None
    if every_household:
        households = Household.objects.filter(commune=review_round.commune).existing_in(review_round.year)
    elif households is None:
        households = households_to_review(review_round)
    listed = set(review_round.reviews.values_list("household_id", flat=True))
    new = [
        HouseholdReview(round=review_round, household=household)
        for household in households
        if household.pk not in listed and household.commune_id == review_round.commune_id
    ]
    if listed and not new:
        raise ValidationError(_("The households are already listed for this round."), code="already_listed")
    if chosen and not new:
        raise ValidationError(
            _(
                "No household is on the current poor or near-poor lists and no request was accepted "
                "for this round: accept the requests first, or list every household."
            ),
            code="nothing_to_list",
        )
    if chosen:
        # Every household once chosen stays the choice: the round then holds every household.
        review_round.lists_every_household = bool(review_round.lists_every_household) or every_household
        review_round.save(update_fields=["lists_every_household"])
    bulk_create_with_history(new, HouseholdReview)  # one insert for the rows, one for their history
    return len(new)


def check_move(review_round: ReviewRound, to_state: str, on: datetime.date) -> None:
    """Raises ValidationError if the round may not move to `to_state` on `on` (`procedure.check_move`,
    with the facts it needs read here: only those the move asks for)."""
    last = review_round.steps.order_by("-on", "-pk").first()
    surveyed = procedure.needs_every_household_surveyed(review_round.state, to_state)
    open_complaints = review_round.complaints.filter(resolved_on__isnull=True)
    agreed = procedure.needs_every_result_agreed(review_round.state, to_state)
    procedure.check_move(
        procedure.Move(
            procedure=review_round.procedure,
            state=review_round.state,
            to_state=to_state,
            on=on,
            today=today(),
            last_step_on=last.on if last else None,
            listed=review_round.reviews.exists() if surveyed else True,
            not_surveyed=review_round.reviews.filter(computed_category="").count() if surveyed else 0,
            posting_ends_on=review_round.posting_ends_on,
            open_complaints=open_complaints.count() if procedure.ends_posting(review_round.state) else 0,
            villages_without_meeting=villages_without_meeting(review_round) if agreed else (),
            results_sent_back=review_round.reviews.filter(sent_back_by__isnull=False).count()
            if agreed
            else 0,
        )
    )


@transaction.atomic
def move_round(
    *,
    review_round: ReviewRound,
    to_state: str,
    by,
    on: datetime.date | None = None,
    note: str = "",
    posting_ends_on: datetime.date | None = None,
    decision_number: str = "",
    decision_on: datetime.date | None = None,
    decision_signer: str = "",
) -> RoundStep:
    """Moves the round to the next legal step and records who did it and when. The approval records
    the commune chairman's decision (number and date required, signer) and issues the certificates."""
    _require_writer(by)
    if to_state == State.APPROVED:
        # Certificates are numbered per commune and year: one approval of the commune at a time. The
        # commune is locked before the round, as imports and the opening of a round lock it.
        lock_commune(review_round.commune)
    review_round = _locked_round(review_round.pk)
    on = on or today()
    check_move(review_round, to_state, on)
    if to_state == State.PUBLIC_POSTING:
        review_round.posting_ends_on = procedure.posting_ends_on(on, posting_ends_on)
    if to_state == State.APPROVED:
        procedure.check_decision(
            decision_number, decision_on, today=today(), posting_ends_on=review_round.posting_ends_on
        )
        review_round.decided_on = decision_on
        review_round.decision_number = decision_number.strip()
        review_round.decision_signer = decision_signer.strip()
    review_round.state = to_state
    review_round.save()
    if to_state == State.APPROVED:
        count_decision(review_round)
        issue_certificates(review_round)
    return RoundStep.objects.create(round=review_round, state=to_state, on=on, by=by, note=note.strip())


def count_decision(review_round: ReviewRound) -> None:
    """Marks which reviews count in the figures of the round's lists once it is decided: for each of its
    households, the latest decided review for those lists (an ad-hoc decision replaces the periodic
    one; a decision dated earlier than one already made does not). Call inside the transaction that
    decides."""
    year = review_round.list_year
    reviews = (
        HouseholdReview.objects.decided()
        .in_year(year)
        .filter(household__in=review_round.reviews.values("household"))
    )
    counting: dict[int, int] = {}
    for pk, household in reviews.effective_first().values_list("pk", "household"):
        counting.setdefault(household, pk)
    reviews.filter(counting_year=year).update(counting_year=None)
    pks = list(counting.values())
    for start in range(0, len(pks), BULK_BATCH):
        HouseholdReview.objects.filter(pk__in=pks[start : start + BULK_BATCH]).update(counting_year=year)


# Surveys ----------------------------------------------------------------------------------------


def preview(
    *, review: HouseholdReview, monthly_income_per_person, deprived: Iterable[str], a_points=None
) -> poverty.Classification:
    """The category the answers give, without saving (the survey form shows it as the officer ticks)."""
    return poverty.classify(
        review.round.standard_definition,
        review.household.area_type,
        monthly_income_per_person,
        deprived,
        a_points=a_points,
    )


@transaction.atomic
def record_survey(
    *,
    review: HouseholdReview,
    monthly_income_per_person: int | None,
    deprived: Iterable[str],
    a_points: int | None = None,
    evidence: str = "",
    facts: "HouseholdFacts | None" = None,
    by,
    on: datetime.date | None = None,
) -> poverty.Classification:
    """Saves the survey answers, the household facts (if given: else they stay as recorded) and the
    category the answers give. The computed category is never typed."""
    _require_writer(by)
    review.round = _locked_round(review.round_id)
    review.sent_back_by_id = HouseholdReview.objects.values_list("sent_back_by", flat=True).get(pk=review.pk)
    if not review.accepts_answers:
        raise ValidationError(
            _(
                "Survey answers can only be entered while the round is at the survey step, or for a "
                "result its village meeting sent back."
            )
        )
    deprived = sorted(set(deprived))
    try:
        result = preview(
            review=review,
            monthly_income_per_person=monthly_income_per_person,
            deprived=deprived,
            a_points=a_points,
        )
    except poverty.ClassificationError as error:
        raise ValidationError(str(error)) from error
    if facts is not None:
        facts.check(result.category)
        review.ethnic_minority = facts.ethnic_minority
        review.no_working_capacity = facts.no_working_capacity
        review.meritorious = facts.meritorious
    review.monthly_income_per_person = monthly_income_per_person
    review.a_points = a_points
    review.evidence = evidence.strip()
    review.apply(result)
    review.surveyed_on = on or today()
    review.surveyed_by = by
    review.save()
    _replace_rows(review.deprivations, Deprivation, "indicator", deprived, review)
    if facts is not None:
        _replace_rows(review.causes, PovertyCause, "cause", facts.causes, review)
        _replace_rows(review.supports, SupportReceived, "support", facts.supports, review)
    return result


def _replace_rows(related, model, field: str, keys: Iterable[str], review: HouseholdReview) -> None:
    """The review's rows of `model` become one per key of `keys`: others deleted, new ones added."""
    keys = sorted(set(keys))
    related.exclude(**{f"{field}__in": keys}).delete()
    existing = set(related.values_list(field, flat=True))
    model.objects.bulk_create([model(review=review, **{field: key}) for key in keys if key not in existing])


@transaction.atomic
def set_final_category(*, review: HouseholdReview, category: str, reason: str, by) -> HouseholdReview:
    """The village meeting or a complaint changed the category: record the final one and why.

    An empty category, or the computed one, returns the household to its computed category.
    """
    _require_writer(by)
    review.round = _locked_round(review.round_id)
    if not review.round.accepts_final_categories:
        raise ValidationError(
            _("The final category is set by the village meeting, or after a complaint during the posting.")
        )
    if not review.is_surveyed:
        raise ValidationError(_("Survey the household first."))
    if category and category != review.computed_category and not reason.strip():
        raise ValidationError(_("Give the reason the meeting or the complaint changed the category."))
    review.apply(final=category, reason=reason)
    review.final_set_by = by
    review.save(update_fields=["final_category", "final_reason", "category", "final_set_by"])
    return review


def _open_ad_hoc_round(*, household: Household, requested_on: datetime.date, by, note: str) -> ReviewRound:
    """The ad-hoc review an accepted request opens, at the survey: decided within 15 days of the
    monthly review that takes it up. Call inside the transaction that accepts the request."""
    # Two acceptances at once (of two requests): the second waits here, then finds the review.
    Household.objects.select_for_update(no_key=True).get(pk=household.pk)
    pending = ReviewRound.objects.filter(kind=ReviewRound.Kind.AD_HOC, reviews__household=household).exclude(
        state__in=ReviewRound.DECIDED_STATES
    )
    if pending.exists():
        raise ValidationError(_("This household already has an ad-hoc review in progress."))
    try:  # an ad-hoc review applies the standard in force on its date
        standard = poverty.standard_for_year(procedure.list_year(ReviewRound.Kind.AD_HOC, requested_on.year))
    except poverty.ClassificationError as error:
        raise ValidationError(str(error)) from error
    review_round = ReviewRound(
        commune=household.commune,
        year=requested_on.year,
        kind=ReviewRound.Kind.AD_HOC,
        standard=standard.key,
        requested_on=requested_on,
        state=State.SURVEY,
    )
    review_round.full_clean()
    review_round.save()
    RoundStep.objects.create(round=review_round, state=State.PREPARATION, on=requested_on, by=by, note=note)
    RoundStep.objects.create(round=review_round, state=State.SURVEY, on=requested_on, by=by)
    HouseholdReview.objects.create(round=review_round, household=household)
    return review_round


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


@transaction.atomic
def record_complaint(*, complaint: Complaint, by) -> Complaint:
    _require_writer(by)
    if complaint.round.state != State.PUBLIC_POSTING:
        raise ValidationError(_("Complaints are recorded during the public posting."))
    complaint.full_clean()
    complaint.save()
    return complaint


@transaction.atomic
def resolve_complaint(
    *, complaint: Complaint, outcome: str, by, on: datetime.date | None = None
) -> Complaint:
    """Closes the complaint with its outcome, on `on` (today by default)."""
    _require_writer(by)
    complaint.outcome, complaint.resolved_on = outcome.strip(), on or today()
    complaint.full_clean()
    complaint.save(update_fields=["outcome", "resolved_on"])
    return complaint


# Applications for recognition (Decree 30/2025) ---------------------------------------------------

ApplicationState = StatusApplication.State
ApplicationKind = StatusApplication.Kind


def _latest_list(household: Household, on: datetime.date) -> tuple[str, int] | None:
    """The household's category on `on`: that of its latest decided review counting in that year or
    before, with the year it counts in."""
    return (
        HouseholdReview.objects.counting()
        .filter(household=household, counting_year__lte=on.year)
        .order_by("-counting_year")
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
    _require_writer(by)
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
                % {"name": person, "date": _date(requested_on)}
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
    _require_writer(by)
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
    _require_writer(by)
    application = _locked_application(application.pk)
    if application.state != ApplicationState.POSTED:
        raise ValidationError(_("Complaints are recorded while the application is posted."))
    if received_on > today():
        raise ValidationError(_("The date of a step cannot be in the future."))
    if not application.posting_starts_on <= received_on <= application.posting_ends_on:
        raise ValidationError(
            _("A complaint is received while the posting runs (%(start)s – %(end)s).")
            % {"start": _date(application.posting_starts_on), "end": _date(application.posting_ends_on)}
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
    _require_writer(by)
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


# Requests (form 01, form 04) and the Phiếu A screening --------------------------------------------


def _locked_request(pk: int) -> ReviewRequest:
    """The request as it is now, locked until the transaction ends: a second press waits, then refuses."""
    return ReviewRequest.objects.select_for_update().get(pk=pk)


def _check_pending(request: ReviewRequest) -> None:
    if not request.is_pending:
        raise ValidationError(
            _("This request was already decided: %(outcome)s on %(date)s.")
            % {"outcome": request.get_outcome_display().lower(), "date": _date(request.decided_on)},
            code="already_decided",
        )


def _check_request_date(request: ReviewRequest, on: datetime.date) -> None:
    if on > today():
        raise ValidationError(_("The date cannot be in the future."))
    if on < request.received_on:
        raise ValidationError(
            _("The date cannot come before the request was received (%(date)s).")
            % {"date": _date(request.received_on)}
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
    _require_writer(by)
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
            % {"date": _date(earlier.received_on)},
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
    _require_writer(by)
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
    _require_writer(by)
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
        request.review_round = _open_ad_hoc_round(
            household=request.household,
            requested_on=request.received_on,
            by=by,
            note=_("Request (%(form)s) of %(date)s")
            % {"form": request.get_form_display(), "date": _date(request.received_on)}
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
    _require_writer(by)
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


# Household facts and the recognition ----------------------------------------------------------


@dataclass(frozen=True)
class HouseholdFacts:
    """The facts recorded with a household's review beside its answers (DOMAIN.md §4a)."""

    ethnic_minority: bool = False
    no_working_capacity: bool = False
    meritorious: bool = False
    causes: tuple[str, ...] = ()
    supports: tuple[str, ...] = ()

    @classmethod
    def of(cls, review: HouseholdReview) -> "HouseholdFacts":
        """The facts recorded with `review` (its causes and supports prefetched or read here)."""
        return cls(
            ethnic_minority=review.ethnic_minority,
            no_working_capacity=review.no_working_capacity,
            meritorious=review.meritorious,
            causes=tuple(sorted(c.cause for c in review.causes.all())),
            supports=tuple(sorted(s.support for s in review.supports.all())),
        )

    def as_values(self) -> dict:
        """The facts as plain values, as an import's record of the values before keeps them."""
        return {**vars(self), "causes": list(self.causes), "supports": list(self.supports)}

    def check(self, category: str) -> None:
        """Unknown choices are refused; causes of poverty belong to poor and near-poor households."""
        if set(self.causes) - set(CauseOfPoverty.values) or set(self.supports) - set(SupportKind.values):
            raise ValidationError(_("Choose the causes and the support from the lists."))
        if self.causes and category not in (poverty.POOR, poverty.NEAR_POOR):
            raise ValidationError(
                _("Causes of poverty are recorded for poor and near-poor households only: clear them.")
            )


def issue_certificates(review_round: ReviewRound) -> list[Certificate]:
    """Numbers a certificate for each poor and near-poor household the round's decision recognises,
    after the commune's last number of the year, in the order of the list (village, household code).
    Households that already have theirs keep it. Call inside the transaction that approves, with the
    commune locked."""
    year = review_round.list_year
    last = Certificate.objects.filter(commune=review_round.commune, year=year).aggregate(
        last=models.Max("number")
    )["last"]
    reviews = (
        review_round.reviews.filter(category__in=(poverty.POOR, poverty.NEAR_POOR), certificate__isnull=True)
        .order_by("household__village__name", "household__code", "pk")
        .only("pk")
    )
    certificates = [
        Certificate(
            review=review,
            commune=review_round.commune,
            year=year,
            number=number,
            issued_on=review_round.decided_on,
        )
        for number, review in enumerate(reviews, start=(last or 0) + 1)
    ]
    return Certificate.objects.bulk_create(certificates, batch_size=BULK_BATCH)


# Village meetings -------------------------------------------------------------------------------


def reviews_awaiting_meeting(review_round: ReviewRound, village):
    """The reviews of `village` in the round that no meeting has agreed yet: all of them before its
    first meeting, then those a meeting sent back (and any listed after it)."""
    return (
        review_round.reviews.filter(household__village=village)
        .exclude(meeting_results__agreed=True)
        .select_related("household")
        .order_by("household__code", "pk")
    )


def villages_without_meeting(review_round: ReviewRound) -> tuple[str, ...]:
    """Names of the villages with a household of the round no meeting has voted on."""
    names = (
        review_round.reviews.filter(meeting_results__isnull=True)
        .order_by("household__village__name")
        .values_list("household__village__name", flat=True)
        .distinct()
    )
    return tuple(names)


def village_rows(review_round) -> list[dict]:
    """Per village of the round: its results, how many await a meeting or were sent back, and its
    meetings. Two queries whatever the number of villages and households."""
    agreed = MeetingResult.objects.filter(review=OuterRef("pk"), agreed=True)
    counts = (
        review_round.reviews.values("household__village", "household__village__name")
        .annotate(
            listed=Count("pk"),
            awaiting=Count("pk", filter=~Exists(agreed)),
            sent_back=Count("pk", filter=Q(sent_back_by__isnull=False)),
        )
        .order_by("household__village__name")
    )
    meetings: dict[int, list] = {}
    for meeting in review_round.meetings.order_by("held_on", "pk"):
        meetings.setdefault(meeting.village_id, []).append(meeting)
    return [
        {
            "village_id": row["household__village"],
            "name": row["household__village__name"],
            "listed": row["listed"],
            "awaiting": row["awaiting"],
            "sent_back": row["sent_back"],
            "meetings": meetings.get(row["household__village"], []),
        }
        for row in counts
    ]


@transaction.atomic
def record_meeting(
    *,
    meeting: VillageMeeting,
    agreeing: dict[int, int],
    by,
) -> VillageMeeting:
    """Records the village meeting `meeting` (unsaved, with its round and village) and the number
    agreeing with each result awaiting it (`agreeing`, by review id). A result agreed by fewer than
    `procedure.MEETING_AGREEMENT_SHARE` of those present goes back to the survey: its review is marked
    as sent back by this meeting until a later meeting of the village agrees it."""
    _require_writer(by)
    review_round = _locked_round(meeting.round_id)  # a second press waits, then finds nothing awaiting
    if review_round.state != State.VILLAGE_MEETING:
        raise ValidationError(
            _("Village meetings are recorded while the round is at the village meeting step.")
        )
    awaiting = list(reviews_awaiting_meeting(review_round, meeting.village))
    if not awaiting:
        raise ValidationError(
            _("The meetings of %(village)s already agreed every result of the village.")
            % {"village": meeting.village.name},
            code="already_met",
        )
    if set(agreeing) != {review.pk for review in awaiting}:
        raise ValidationError(
            _("The results awaiting this meeting changed meanwhile: open the form again."), code="stale"
        )
    survey = review_round.steps.filter(state=State.SURVEY).order_by("on", "pk").first()
    previous = review_round.meetings.filter(village=meeting.village).order_by("-held_on").first()
    procedure.check_meeting(
        procedure.Meeting(
            held_on=meeting.held_on,
            today=today(),
            present=meeting.present,
            agreeing=tuple(agreeing.values()),
            survey_from=survey.on if survey else None,
            after=previous.held_on if previous else None,
            copy_received_on=meeting.commune_copy_received_on,
        )
    )
    meeting.round, meeting.recorded_by = review_round, by
    meeting.chair_name, meeting.secretary_name = meeting.chair_name.strip(), meeting.secretary_name.strip()
    meeting.full_clean()
    meeting.save()
    results = []
    for review in awaiting:
        result = MeetingResult(
            meeting=meeting, review=review, category=review.category, agreeing=agreeing[review.pk]
        )
        result.decide()
        results.append(result)
    MeetingResult.objects.bulk_create(results)
    # The meeting's results are the record of what it sent back: the mark is not in the reviews' history.
    voted = HouseholdReview.objects.filter(pk__in=[result.review_id for result in results])
    voted.filter(pk__in=[r.review_id for r in results if not r.agreed]).update(sent_back_by=meeting)
    voted.filter(pk__in=[r.review_id for r in results if r.agreed]).update(sent_back_by=None)
    return meeting


@transaction.atomic
def record_minutes_received(*, meeting: VillageMeeting, on: datetime.date, by) -> VillageMeeting:
    """The commune received its copy of the meeting's minutes on `on`."""
    _require_writer(by)
    meeting = VillageMeeting.objects.select_for_update().select_related("round").get(pk=meeting.pk)
    if meeting.round.is_decided:
        raise ValidationError(_("The round is decided: its records are read-only."))
    if meeting.commune_copy_received_on:
        raise ValidationError(
            _("The commune's copy of these minutes was received on %(date)s.")
            % {"date": _date(meeting.commune_copy_received_on)}
        )
    if not meeting.held_on <= on <= today():
        raise ValidationError(
            _("The commune's copy of the minutes is received after the meeting, and not in the future.")
        )
    meeting.commune_copy_received_on = on
    meeting.save(update_fields=["commune_copy_received_on"])
    return meeting


# Many rows at once (imports) ----------------------------------------------------------------------

BULK_BATCH = 500


def bulk_save(model, *, create=(), update=(), fields=(), delete=None, by=None, reason="") -> list:
    """The one place where imports write many rows: deletes `delete` (a queryset), creates `create`,
    updates `fields` of `update`, in batches. Callers validate first, with the models' clean() and
    the checks the pages make. Models with a change history get one history row per record written,
    by `by` with `reason`, as a page edit would."""
    if delete is not None:
        delete.delete()
    create, update = list(create), list(update)
    if not hasattr(model._meta, "simple_history_manager_attribute"):
        created = model.objects.bulk_create(create, batch_size=BULK_BATCH) if create else []
        if update:
            model.objects.bulk_update(update, list(fields), batch_size=BULK_BATCH)
        return created
    history = {"batch_size": BULK_BATCH, "default_user": by, "default_change_reason": reason}
    created = bulk_create_with_history(create, model, **history) if create else []
    if update:
        bulk_update_with_history(update, model, list(fields), **history)
    return created
