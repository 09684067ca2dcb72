"""Writes that span several records: memberships, review rounds and their steps, surveys, the household
facts and the recognition, and the bulk writes of imports. Requests, village meetings and
applications have their own modules (`request_services`, `meeting_services`,
`application_services`), which share the helpers here.

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
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from communes.models import Commune, today
from households import poverty, procedure
from households.access import can_write
from households.models import (
    CauseOfPoverty,
    Certificate,
    Complaint,
    Deprivation,
    Household,
    HouseholdReview,
    Member,
    Person,
    PovertyCause,
    ReviewRound,
    RoundStep,
    SupportKind,
    SupportReceived,
    households_to_review,
)
from households.procedure import date_text

State = ReviewRound.State


def require_writer(user) -> None:
    """Households, members, reviews and requests are written by the writer roles only."""
    if user is None or not can_write(user):
        raise PermissionDenied


# Members ----------------------------------------------------------------------------------------


@transaction.atomic
def add_member(
    *, household: Household, person: Person, relation: str, joined_on: datetime.date | None = None, by
) -> Member:
    """Records a new person (or an existing one with no current household) as a member."""
    require_writer(by)
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
    require_writer(by)
    member.relation, member.joined_on = relation, joined_on
    person.full_clean()
    member.full_clean()
    person.save()
    member.save(update_fields=["relation", "joined_on"])
    return member


@transaction.atomic
def end_membership(*, member: Member, on: datetime.date, by) -> Member:
    """The person left the household on `on` (moved out of the commune, died…); the record stays."""
    require_writer(by)
    if member.left_on is not None:
        raise ValidationError(_("This membership already ended."))
    member.left_on = on
    member.full_clean()
    member.save(update_fields=["left_on"])
    return member


@transaction.atomic
def move_member(*, member: Member, to_household: Household, on: datetime.date, relation: str, by) -> Member:
    """Ends the membership on `on` and starts one in `to_household` the same day: history is kept."""
    require_writer(by)
    if member.household_id == to_household.pk:
        raise ValidationError(_("The person already lives in this household."))
    if member.joined_on and on <= member.joined_on:
        raise ValidationError(
            _("The move must come after the person joined the household (%(date)s).")
            % {"date": date_text(member.joined_on)}
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


def locked_round(pk: int) -> ReviewRound:
    """The round as it is now in the database, locked until the transaction ends: a round that moves
    on meanwhile cannot take answers or households meant for an earlier step."""
    return ReviewRound.objects.select_for_update().get(pk=pk)


@transaction.atomic
def open_round(*, commune: Commune, year: int, by, on: datetime.date | None = None) -> ReviewRound:
    """The periodic review of `commune` held in late `year`, under the standard of the lists it makes
    (those of the next year)."""
    require_writer(by)
    on = on or today()
    if on > today():
        raise ValidationError(_("The date of a step cannot be in the future."), code="future")
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
    require_writer(by)
    review_round = locked_round(review_round.pk)  # two presses at once: the second finds them listed
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
    require_writer(by)
    if to_state == State.APPROVED:
        # Certificates are numbered per commune and year: one approval of the commune at a time. The
        # commune is locked before the round, as imports and the opening of a round lock it.
        lock_commune(review_round.commune)
    review_round = locked_round(review_round.pk)
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
    require_writer(by)
    review.round = locked_round(review.round_id)
    review.sent_back_by_id = HouseholdReview.objects.values_list("sent_back_by", flat=True).get(pk=review.pk)
    if not review.accepts_answers:
        raise ValidationError(
            _(
                "Survey answers can only be entered while the round is at the survey step, or for a "
                "result its village meeting sent back."
            )
        )
    on = on or today()
    _check_survey_date(review.round, on)
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
    review.surveyed_on = on
    review.surveyed_by = by
    review.save()
    _replace_rows(review.deprivations, Deprivation, "indicator", deprived, review)
    if facts is not None:
        _replace_rows(review.causes, PovertyCause, "cause", facts.causes, review)
        _replace_rows(review.supports, SupportReceived, "support", facts.supports, review)
    return result


def _check_survey_date(review_round: ReviewRound, on: datetime.date) -> None:
    """A visit is dated between the start of the round's survey and today: forms filled in the
    village are often entered later, with the day of the visit."""
    if on > today():
        raise ValidationError(_("The survey cannot be dated in the future."))
    survey_steps = review_round.steps.filter(state=State.SURVEY).order_by("on")
    started = survey_steps.values_list("on", flat=True).first()
    if started and on < started:
        raise ValidationError(
            _("The survey cannot be dated before the round's survey started (%(date)s).")
            % {"date": date_text(started)}
        )


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
    require_writer(by)
    review.round = locked_round(review.round_id)
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


def open_ad_hoc_round(*, household: Household, requested_on: datetime.date, by, note: str) -> ReviewRound:
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
def record_complaint(*, complaint: Complaint, by) -> Complaint:
    require_writer(by)
    if complaint.round.state != State.PUBLIC_POSTING:
        raise ValidationError(_("Complaints are recorded during the public posting."))
    complaint.full_clean()
    complaint.save()
    return complaint


@transaction.atomic
def resolve_complaint(
    *, complaint: Complaint, outcome: str, by, on: datetime.date | None = None
) -> Complaint:
    """Closes the complaint with its outcome, on `on` (today by default; a past round entered
    afterwards gives the day of its re-check)."""
    require_writer(by)
    on = on or today()
    if on > today():
        raise ValidationError(_("The date of a step cannot be in the future."))
    complaint.outcome, complaint.resolved_on = outcome.strip(), on
    complaint.full_clean()
    complaint.save(update_fields=["outcome", "resolved_on"])
    return complaint


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


# Village meetings ---------------------------------------------------------------------------


def villages_without_meeting(review_round: ReviewRound) -> tuple[str, ...]:
    """Names of the villages with a household of the round no meeting has voted on."""
    names = (
        review_round.reviews.filter(meeting_results__isnull=True)
        .order_by("household__village__name")
        .values_list("household__village__name", flat=True)
        .distinct()
    )
    return tuple(names)


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
