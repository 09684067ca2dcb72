"""Writes that span several records: memberships, review rounds and their steps, surveys, requests.

Views, the admin and the demo seed call these, so the rules hold whoever writes.

Permissions, as in every services module: a service checks that the actor (`by`, keyword-only) may
do the action by role and raises PermissionDenied; the caller (a view through the access helpers,
the scoped admin, a command) has already resolved the objects within the actor's scope.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from communes.models import Commune, today
from households import poverty, procedure
from households.access import can_write
from households.models import (
    ApplicationComplaint,
    Category,
    Complaint,
    Deprivation,
    Household,
    HouseholdReview,
    Member,
    Person,
    ReviewRound,
    RoundStep,
    StatusApplication,
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
    """The periodic review of `commune` for `year`, under the standard that covers that year."""
    _require_writer(by)
    on = on or today()
    try:
        standard = poverty.standard_for_year(year)
    except poverty.ClassificationError as error:
        raise ValidationError(str(error)) from error
    lock_commune(commune)  # two presses at once: the second finds the round the first opened
    if ReviewRound.objects.filter(commune=commune, year=year, kind=ReviewRound.Kind.PERIODIC).exists():
        raise ValidationError(
            _("%(commune)s already has its periodic review for %(year)s.")
            % {"commune": commune, "year": year}
        )
    review_round = ReviewRound(commune=commune, year=year, standard=standard.key, state=State.PREPARATION)
    review_round.full_clean()
    review_round.save()
    RoundStep.objects.create(round=review_round, state=State.PREPARATION, on=on, by=by)
    return review_round


@transaction.atomic
def list_households(*, review_round: ReviewRound, households: Iterable[Household] | None = None, by) -> int:
    """Adds households to the round (by default every household of the commune on the register that
    year); returns how many were added. Households already listed are left as they are; when all
    of them are, it refuses (`already_listed`): the button was pressed again, or twice at once."""
    _require_writer(by)
    review_round = _locked_round(review_round.pk)  # two presses at once: the second finds them listed
    if not review_round.accepts_households:
        raise ValidationError(_("Households can only be listed during preparation or the survey."))
    if households is None:
        households = Household.objects.filter(commune=review_round.commune).existing_in(review_round.year)
    listed = set(review_round.reviews.values_list("household_id", flat=True))
    new = [
        HouseholdReview(round=review_round, household=household)
        for household in households
        if household.pk not in listed and household.commune_id == review_round.commune_id
    ]
    if listed and not new:
        raise ValidationError(_("The households are already listed for this round."), code="already_listed")
    bulk_create_with_history(new, HouseholdReview)  # one insert for the rows, one for their history
    return len(new)


def check_move(review_round: ReviewRound, to_state: str, on: datetime.date) -> None:
    """Raises ValidationError if the round may not move to `to_state` on `on` (`procedure.check_move`,
    with the facts it needs read here: only those the move asks for)."""
    last = review_round.steps.order_by("-on", "-pk").first()
    surveyed = procedure.needs_every_household_surveyed(review_round.state, to_state)
    open_complaints = review_round.complaints.filter(resolved_on__isnull=True)
    procedure.check_move(
        procedure.Move(
            kind=review_round.kind,
            state=review_round.state,
            to_state=to_state,
            on=on,
            today=today(),
            last_step_on=last.on if last else None,
            listed=review_round.reviews.exists() if surveyed else True,
            not_surveyed=review_round.reviews.filter(computed_category="").count() if surveyed else 0,
            posting_ends_on=review_round.posting_ends_on,
            open_complaints=open_complaints.count() if to_state == State.APPROVED else 0,
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
) -> RoundStep:
    """Moves the round to the next legal step and records who did it and when."""
    _require_writer(by)
    review_round = _locked_round(review_round.pk)
    on = on or today()
    check_move(review_round, to_state, on)
    if to_state == State.PUBLIC_POSTING:
        review_round.posting_ends_on = procedure.posting_ends_on(on, posting_ends_on)
    if to_state == State.APPROVED:
        review_round.decided_on = on
    review_round.state = to_state
    review_round.save()
    if to_state == State.APPROVED:
        count_decision(review_round)
    return RoundStep.objects.create(round=review_round, state=to_state, on=on, by=by, note=note.strip())


def count_decision(review_round: ReviewRound) -> None:
    """Marks which reviews count in the year's figures once `review_round` is decided: for each of its
    households, the latest decided review of the year (an ad-hoc decision replaces the periodic one; a
    decision dated earlier than one already made does not). Call inside the transaction that decides."""
    year = review_round.year
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
    by,
    on: datetime.date | None = None,
) -> poverty.Classification:
    """Saves the survey answers and the category they give. The computed category is never typed."""
    _require_writer(by)
    review.round = _locked_round(review.round_id)
    if not review.round.accepts_answers:
        raise ValidationError(_("Survey answers can only be entered while the round is at the survey step."))
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
    review.monthly_income_per_person = monthly_income_per_person
    review.a_points = a_points
    review.evidence = evidence.strip()
    review.apply(result)
    review.surveyed_on = on or today()
    review.surveyed_by = by
    review.save()
    review.deprivations.exclude(indicator__in=deprived).delete()
    existing = set(review.deprivations.values_list("indicator", flat=True))
    Deprivation.objects.bulk_create(
        [Deprivation(review=review, indicator=key) for key in deprived if key not in existing]
    )
    return result


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


@transaction.atomic
def request_ad_hoc_review(
    *, household: Household, requested_on: datetime.date, by, note: str = ""
) -> ReviewRound:
    """A household's request (form 04) for a review during the year: decided within 15 days."""
    _require_writer(by)
    if requested_on > today():
        raise ValidationError(_("The request date cannot be in the future."))
    # Two presses at once: the second waits here, then finds the review the first opened.
    Household.objects.select_for_update(no_key=True).get(pk=household.pk)
    pending = ReviewRound.objects.filter(kind=ReviewRound.Kind.AD_HOC, reviews__household=household).exclude(
        state__in=ReviewRound.DECIDED_STATES
    )
    if pending.exists():
        raise ValidationError(_("This household already has an ad-hoc review in progress."))
    try:
        standard = poverty.standard_for_year(requested_on.year)
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
    RoundStep.objects.create(
        round=review_round,
        state=State.PREPARATION,
        on=requested_on,
        by=by,
        note=note.strip() or _("Request (form 04)"),
    )
    RoundStep.objects.create(round=review_round, state=State.SURVEY, on=requested_on, by=by)
    HouseholdReview.objects.create(round=review_round, household=household)
    return review_round


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
