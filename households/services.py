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
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from communes.models import Commune, today
from households import poverty, procedure
from households.access import can_write
from households.models import (
    Complaint,
    Deprivation,
    FarmAverageRecord,
    Household,
    HouseholdReview,
    MeetingResult,
    Member,
    Person,
    ReviewRound,
    RoundStep,
    VillageMeeting,
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
    agreed = procedure.needs_every_result_agreed(review_round.state, to_state)
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


# Farm households of average living standard -----------------------------------------------------


@transaction.atomic
def record_farm_average_request(
    *, household: Household, requested_on: datetime.date, income_12_months: int, member_count: int, by
) -> FarmAverageRecord:
    """Records the request and computes whether it meets the criteria; the commune decides after."""
    _require_writer(by)
    if member_count < 1:
        raise ValidationError(_("A household has at least one member."))
    try:
        standard = poverty.standard_for_year(requested_on.year)
    except poverty.ClassificationError as error:
        raise ValidationError(str(error)) from error
    if not standard.average_band_in_law:
        raise ValidationError(
            _("%(standard)s sets no band of average living standard: no request is assessed against it.")
            % {"standard": standard}
        )
    monthly = income_12_months // 12 // member_count
    result = poverty.classify(standard, household.area_type, monthly, [])
    record = FarmAverageRecord(
        household=household,
        requested_on=requested_on,
        standard=standard.key,
        income_12_months=income_12_months,
        member_count=member_count,
        monthly_income_per_person=monthly,
        eligible=household.is_farm and result.category == poverty.AVERAGE,
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def decide_farm_average(
    *, record: FarmAverageRecord, recognised: bool, on: datetime.date, by
) -> FarmAverageRecord:
    _require_writer(by)
    # A second press waits here, then refuses.
    record = FarmAverageRecord.objects.select_for_update().get(pk=record.pk)
    if record.decided_on is not None:
        raise ValidationError(_("The commune already decided on this request."))
    if recognised and not record.eligible:
        raise ValidationError(_("This household does not meet the criteria: it cannot be recognised."))
    if on < record.requested_on:
        raise ValidationError(_("The decision cannot come before the request."))
    record.decided_on, record.recognised, record.decided_by = on, recognised, by
    record.save(update_fields=["decided_on", "recognised", "decided_by"])
    return record


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
