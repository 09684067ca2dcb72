"""The review procedure as code (DOMAIN.md §4, Decision 24/2021/QĐ-TTg). Pure: no database.

The steps of each kind of review round and the moves between them (before and after the two-level
government of 1 July 2025), the year whose lists a round makes, the legal window of the periodic
review, the ad-hoc review's deadline, the public posting in working days, and the rule of a move
from facts the caller reads. `ReviewRound` and `households.services` read it; a number DOMAIN.md
marks *(to confirm)* is one named definition here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Kind(models.TextChoices):
    PERIODIC = "periodic", gettext_lazy("Periodic review")
    AD_HOC = "ad_hoc", gettext_lazy("Ad-hoc review")


class State(models.TextChoices):
    PREPARATION = "preparation", gettext_lazy("Preparation")
    SURVEY = "survey", gettext_lazy("Survey")
    VILLAGE_MEETING = "village_meeting", gettext_lazy("Village meeting")
    PUBLIC_POSTING = "public_posting", gettext_lazy("Public posting")
    DISTRICT_OPINION = "district_opinion", gettext_lazy("District chairman's opinion")
    APPROVED = "approved", gettext_lazy("Approved by the commune")
    REPORTED = "reported", gettext_lazy("Reported to the upper level")


# Once approved, the round is the commune's decision: read-only.
DECIDED_STATES = (State.APPROVED, State.REPORTED)
# The periodic review runs 1 September – 14 December (Decision 24/2021/QĐ-TTg).
PERIOD_START = (9, 1)
PERIOD_END = (12, 14)
# Decision 24/2021/QĐ-TTg: ad-hoc requests are taken up by the monthly review that starts on the
# 15th, and decided within 15 days counted from that start.
MONTHLY_REVIEW_DAY = 15
AD_HOC_DEADLINE_DAYS = 15
# Public posting of the results, in working days (to confirm, DOMAIN.md §4).
POSTING_WORKING_DAYS = 3
# Decree 131/2025/NĐ-CP: the district level ends; a round that starts from this day is decided by the
# commune, which reports to the province, without asking the district chairman's opinion first.
TWO_LEVEL_GOVERNMENT_FROM = datetime.date(2025, 7, 1)


def list_year(kind: str, year: int) -> int:
    """The year whose lists a round makes: the periodic review held in late `year` makes those of
    the next year; an ad-hoc review, held during `year`, amends that year's."""
    return year + 1 if kind == Kind.PERIODIC else year


# A village meeting agrees a household's result when at least this share of those present agree
# (Circular 07/2021: "ít nhất 50%"); below it the household goes back to the survey.
MEETING_AGREEMENT_SHARE = Fraction(1, 2)
# Room for a village's whole population in the meeting's counts (a positive small integer).
MAX_PRESENT = 32767


@dataclass(frozen=True)
class Procedure:
    """The legal steps of a kind of round, in order: `moves[state]` are the steps that may follow
    `state` (only these are offered). `deadline_days`: calendar days from the start of the monthly
    review that takes up the request (`taken_up_on`) to the decision."""

    kind: Kind
    moves: dict[State, tuple[State, ...]]
    deadline_days: int | None = None
    reported_to: str = gettext_lazy("Reported to the province")

    def allowed_moves(self, state: str) -> tuple[State, ...]:
        return self.moves[state]

    def deadline(self, requested_on: datetime.date | None) -> datetime.date | None:
        if self.deadline_days is None or requested_on is None:
            return None
        return decided_by(requested_on, self.deadline_days)

    def label(self, state: str) -> str:
        """The step's name in this procedure: who the decided round is reported to differs."""
        return self.reported_to if state == State.REPORTED else State(state).label

    def steps(self) -> list[State]:
        """The steps in their legal order, from preparation to the report."""
        order, state = [State.PREPARATION], State.PREPARATION
        while self.moves[state]:
            state = self.moves[state][0]
            order.append(state)
        return order


def _steps(*, district_opinion: bool) -> dict[State, tuple[State, ...]]:
    """Survey, village meeting (which may send households back to the survey), posting, decision and
    report; before the two-level government, the district chairman's opinion came before the decision."""
    after_posting = State.DISTRICT_OPINION if district_opinion else State.APPROVED
    moves = {
        State.PREPARATION: (State.SURVEY,),
        State.SURVEY: (State.VILLAGE_MEETING,),
        State.VILLAGE_MEETING: (State.PUBLIC_POSTING, State.SURVEY),
        State.PUBLIC_POSTING: (after_posting,),
        State.APPROVED: (State.REPORTED,),
        State.REPORTED: (),
    }
    if district_opinion:
        moves[State.DISTRICT_OPINION] = (State.APPROVED,)
    return moves


# (kind, started before the two-level government) → its procedure. An ad-hoc review has its
# village meeting too (DOMAIN.md §4).
PROCEDURES = {
    (Kind.PERIODIC, True): Procedure(
        Kind.PERIODIC, _steps(district_opinion=True), reported_to=gettext_lazy("Reported to the district")
    ),
    (Kind.PERIODIC, False): Procedure(Kind.PERIODIC, _steps(district_opinion=False)),
    (Kind.AD_HOC, True): Procedure(
        Kind.AD_HOC,
        _steps(district_opinion=True),
        deadline_days=AD_HOC_DEADLINE_DAYS,
        reported_to=gettext_lazy("Reported to the district"),
    ),
    (Kind.AD_HOC, False): Procedure(
        Kind.AD_HOC, _steps(district_opinion=False), deadline_days=AD_HOC_DEADLINE_DAYS
    ),
}


def starts_on(kind: str, year: int, requested_on: datetime.date | None) -> datetime.date:
    """The day a round's procedure starts: the periodic window's first day, or the monthly review that
    takes up the ad-hoc request."""
    if kind == Kind.PERIODIC or requested_on is None:
        return periodic_window(year)[0]
    return taken_up_on(requested_on)


def procedure_for(kind: str, year: int, requested_on: datetime.date | None = None) -> Procedure:
    """The steps a round follows: those in force on the day it starts."""
    return PROCEDURES[(Kind(kind), starts_on(kind, year, requested_on) < TWO_LEVEL_GOVERNMENT_FROM)]


def lists_label(list_year: int) -> str:
    """How a year of figures is named: the lists of a year, made by the review of late the year before."""
    return _("lists of %(list_year)s (review of late %(year)s)") % {
        "list_year": list_year,
        "year": list_year - 1,
    }


def list_year_choice(list_year: int) -> str:
    """A list year offered under the label "Lists of": "2023 (review of late 2022)"."""
    return _("%(list_year)s (review of late %(year)s)") % {"list_year": list_year, "year": list_year - 1}


def periodic_window(year: int) -> tuple[datetime.date, datetime.date]:
    """The legal period of the periodic review of `year`, both days included."""
    return datetime.date(year, *PERIOD_START), datetime.date(year, *PERIOD_END)


def is_overdue(deadline: datetime.date | None, state: str, on: datetime.date) -> bool:
    """A round past its deadline on `on` and not decided yet."""
    return deadline is not None and state not in DECIDED_STATES and deadline < on


def _monthly_review_on_or_after(date: datetime.date) -> datetime.date:
    if date.day <= MONTHLY_REVIEW_DAY:
        return date.replace(day=MONTHLY_REVIEW_DAY)
    next_month = date.replace(day=28) + datetime.timedelta(days=4)
    return next_month.replace(day=MONTHLY_REVIEW_DAY)


def taken_up_on(requested_on: datetime.date) -> datetime.date:
    """The start of the monthly review that takes up a request: the 15th of its month, or of the
    next month for a request after the 15th."""
    return _monthly_review_on_or_after(requested_on)


def decided_by(requested_on: datetime.date, days: int) -> datetime.date:
    """The last day to decide a request (an ad-hoc review, an application): `days` calendar days
    after the monthly review that takes it up starts."""
    return taken_up_on(requested_on) + datetime.timedelta(days=days)


def overdue_if_requested_before(on: datetime.date, days: int = AD_HOC_DEADLINE_DAYS) -> datetime.date:
    """A request (of an ad-hoc review, or an application with `days` = APPLICATION_DECISION_DAYS)
    made before this date and not decided is overdue on `on`: its monthly review started more than
    `days` days before `on`. Requests from this date on are taken up on or after the first monthly
    review that is not yet that old."""
    first_in_time = _monthly_review_on_or_after(on - datetime.timedelta(days=days))
    month_before = first_in_time.replace(day=1) - datetime.timedelta(days=1)
    return month_before.replace(day=MONTHLY_REVIEW_DAY + 1)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """`days` working days (Monday–Friday; public holidays are not known here) after `start`."""
    date = start
    while days > 0:
        date += datetime.timedelta(days=1)
        if date.weekday() < 5:
            days -= 1
    return date


def posting_ends_on(starts_on: datetime.date, ends_on: datetime.date | None = None) -> datetime.date:
    """The last day of the public posting: `ends_on` if given, else POSTING_WORKING_DAYS working days
    after it starts."""
    ends_on = ends_on or add_working_days(starts_on, POSTING_WORKING_DAYS)
    if ends_on < starts_on:
        raise ValidationError(_("The posting cannot end before it starts."))
    return ends_on


def needs_every_household_surveyed(state: str, to_state: str) -> bool:
    """Leaving the survey for the village meeting needs every listed household surveyed."""
    return state == State.SURVEY and to_state == State.VILLAGE_MEETING


def ends_posting(state: str) -> bool:
    """Leaving the posting (for the district's opinion or the decision) needs it over and every
    complaint re-checked."""
    return state == State.PUBLIC_POSTING


def needs_every_result_agreed(state: str, to_state: str) -> bool:
    """Leaving the village meetings for the public posting needs every village's meeting to have
    agreed every result."""
    return state == State.VILLAGE_MEETING and to_state == State.PUBLIC_POSTING


def date_text(value: datetime.date) -> str:
    """dd/mm/yyyy, as messages say a date."""
    return value.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Move:
    """A move of a round with the facts the rule needs, as the caller read them: `listed` and
    `not_surveyed` matter only when `needs_every_household_surveyed`, `posting_ends_on` and
    `open_complaints` only when the posting ends, `villages_without_meeting` and `results_sent_back`
    only when `needs_every_result_agreed`."""

    procedure: Procedure
    state: str
    to_state: str
    on: datetime.date
    today: datetime.date
    last_step_on: datetime.date | None = None
    listed: bool = True
    not_surveyed: int = 0
    posting_ends_on: datetime.date | None = None
    open_complaints: int = 0
    villages_without_meeting: tuple[str, ...] = ()
    results_sent_back: int = 0


def check_move(move: Move) -> None:
    """Raises ValidationError (the first reason, for the user) if the move is not allowed."""
    procedure = move.procedure
    if move.to_state not in procedure.allowed_moves(move.state):
        raise ValidationError(
            _("A review round cannot move from “%(from)s” to “%(to)s”.")
            % {"from": procedure.label(move.state), "to": procedure.label(move.to_state)}
        )
    if move.on > move.today:
        raise ValidationError(_("The date of a step cannot be in the future."))
    if move.last_step_on and move.on < move.last_step_on:
        raise ValidationError(
            _("This step cannot come before the previous one (%(date)s).")
            % {"date": date_text(move.last_step_on)}
        )
    if needs_every_household_surveyed(move.state, move.to_state):
        if not move.listed:
            raise ValidationError(_("List the households to review first."))
        if move.not_surveyed:
            raise ValidationError(
                _("%(count)s listed households are not surveyed yet.") % {"count": move.not_surveyed}
            )
    if needs_every_result_agreed(move.state, move.to_state):
        if move.villages_without_meeting:
            raise ValidationError(
                _("These villages have not held their village meeting yet: %(villages)s.")
                % {"villages": ", ".join(move.villages_without_meeting)}
            )
        if move.results_sent_back:
            raise ValidationError(
                _(
                    "%(count)s results were sent back to the survey by their village meeting: a later "
                    "meeting of the village must agree them first."
                )
                % {"count": move.results_sent_back}
            )
    if ends_posting(move.state):
        if move.posting_ends_on and move.on < move.posting_ends_on:
            raise ValidationError(
                _("The public posting runs until %(date)s: the results can move on after it.")
                % {"date": date_text(move.posting_ends_on)}
            )
        if move.open_complaints:
            raise ValidationError(
                _("%(count)s complaints are still open: re-check them before the results move on.")
                % {"count": move.open_complaints}
            )


def check_decision(
    number: str,
    decided_on: datetime.date | None,
    *,
    today: datetime.date,
    posting_ends_on: datetime.date | None = None,
) -> None:
    """The approval records the commune chairman's decision: its number and date are required."""
    if not number.strip():
        raise ValidationError(
            _("Enter the number of the commune chairman's decision (for example 125/QĐ-UBND).")
        )
    if decided_on is None:
        raise ValidationError(_("Enter the date of the commune chairman's decision."))
    if decided_on > today:
        raise ValidationError(_("The decision cannot be dated in the future."))
    if posting_ends_on and decided_on < posting_ends_on:
        raise ValidationError(
            _("The decision cannot be dated before the public posting ends (%(date)s).")
            % {"date": date_text(posting_ends_on)}
        )


# Village meetings -------------------------------------------------------------------------------


def agreement_percent() -> str:
    """MEETING_AGREEMENT_SHARE as the minutes and the pages say it: "50"."""
    return f"{float(MEETING_AGREEMENT_SHARE * 100):g}"


def is_agreed(agreeing: int, present: int) -> bool:
    """A household's result stands when at least MEETING_AGREEMENT_SHARE of those present agree."""
    return agreeing >= MEETING_AGREEMENT_SHARE * present


@dataclass(frozen=True)
class Meeting:
    """A village meeting as recorded, with the facts its rule needs: `survey_from` the day the round's
    survey started, `after` the day of the meeting that sent the results back (a re-meeting), and
    `agreeing` the number agreeing with each result put to it."""

    held_on: datetime.date
    today: datetime.date
    present: int
    agreeing: tuple[int, ...]
    survey_from: datetime.date | None = None
    after: datetime.date | None = None
    copy_received_on: datetime.date | None = None


def check_meeting(meeting: Meeting) -> None:
    """Raises ValidationError (every reason, for the user) if the meeting cannot be recorded so."""
    errors = []
    if meeting.held_on > meeting.today:
        errors.append(_("The meeting cannot be dated in the future."))
    if meeting.survey_from and meeting.held_on < meeting.survey_from:
        errors.append(
            _("The meeting cannot come before the survey started (%(date)s).")
            % {"date": date_text(meeting.survey_from)}
        )
    if meeting.after and meeting.held_on < meeting.after:
        errors.append(
            _("A meeting on the results sent back cannot come before the meeting that sent them (%(date)s).")
            % {"date": date_text(meeting.after)}
        )
    if meeting.present < 1:
        errors.append(_("At least one person must be present at the meeting."))
    elif any(not 0 <= agreeing <= meeting.present for agreeing in meeting.agreeing):
        errors.append(
            _("The number agreeing with a result is between 0 and the %(present)s present.")
            % {"present": meeting.present}
        )
    if not meeting.agreeing:
        errors.append(_("No household result of this village is waiting for its meeting."))
    if meeting.copy_received_on and not meeting.held_on <= meeting.copy_received_on <= meeting.today:
        errors.append(
            _("The commune's copy of the minutes is received after the meeting, and not in the future.")
        )
    if errors:
        raise ValidationError(errors)


# Recognition on application (Decree 30/2025, DOMAIN.md §4) ---------------------------------------
# Farm, forestry, fishery and salt households of average living standard, and low-income workers:
# the application is taken up by the monthly review from the 15th (`taken_up_on`), posted for 5
# working days, each complaint re-checked within 3 working days, and decided by the commune chairman
# within 15 days from the start of that monthly review, or refused in writing with the reason.
APPLICATION_POSTING_WORKING_DAYS = 5
COMPLAINT_RECHECK_WORKING_DAYS = 3
APPLICATION_DECISION_DAYS = 15


class ApplicationKind(models.TextChoices):
    FARM_HOUSEHOLD = "farm_household", gettext_lazy("Farm household of average living standard")
    LOW_INCOME_WORKER = "low_income_worker", gettext_lazy("Low-income worker")


class ApplicationState(models.TextChoices):
    REQUESTED = "requested", gettext_lazy("Requested")
    POSTED = "posted", gettext_lazy("Posted")
    RECHECKED = "rechecked", gettext_lazy("Posting over, complaints re-checked")
    RECOGNISED = "recognised", gettext_lazy("Recognised")
    REFUSED = "refused", gettext_lazy("Refused in writing")


APPLICATION_DECIDED_STATES = (ApplicationState.RECOGNISED, ApplicationState.REFUSED)
# A refusal may come without a posting (the application does not meet the criteria); a recognition
# only after the posting and the re-check of its complaints.
APPLICATION_MOVES: dict[str, tuple[str, ...]] = {
    ApplicationState.REQUESTED: (ApplicationState.POSTED, ApplicationState.REFUSED),
    ApplicationState.POSTED: (ApplicationState.RECHECKED,),
    ApplicationState.RECHECKED: (ApplicationState.RECOGNISED, ApplicationState.REFUSED),
    ApplicationState.RECOGNISED: (),
    ApplicationState.REFUSED: (),
}


def application_deadline(requested_on: datetime.date) -> datetime.date:
    """The day by which the chairman decides: 15 days from the monthly review that takes it up."""
    return decided_by(requested_on, APPLICATION_DECISION_DAYS)


def application_posting_ends_on(starts_on: datetime.date) -> datetime.date:
    return add_working_days(starts_on, APPLICATION_POSTING_WORKING_DAYS)


def recheck_due_on(received_on: datetime.date) -> datetime.date:
    """The last day to re-check a complaint received on `received_on`."""
    return add_working_days(received_on, COMPLAINT_RECHECK_WORKING_DAYS)


def application_is_overdue(requested_on: datetime.date, state: str, on: datetime.date) -> bool:
    return state not in APPLICATION_DECIDED_STATES and application_deadline(requested_on) < on


@dataclass(frozen=True)
class ApplicationMove:
    """A move of an application with the facts the rule needs, as the caller read them."""

    state: str
    to_state: str
    on: datetime.date
    today: datetime.date
    requested_on: datetime.date
    last_step_on: datetime.date | None = None
    posting_ends_on: datetime.date | None = None
    open_complaints: int = 0
    eligible: bool = True
    decision_number: str = ""
    reason: str = ""


def _check_posting_over(move: ApplicationMove, deciding: bool) -> None:
    if move.posting_ends_on and move.on < move.posting_ends_on:
        message = (
            _("The posting runs until %(date)s: the decision comes after it.")
            if deciding
            else _("The posting runs until %(date)s: it cannot be closed before.")
        )
        raise ValidationError(message % {"date": date_text(move.posting_ends_on)})
    if move.open_complaints:
        raise ValidationError(
            _("%(count)s complaints are still open: re-check them first.") % {"count": move.open_complaints}
        )


def check_application_move(move: ApplicationMove) -> None:
    """Raises ValidationError (the first reason, for the user) if the application may not move."""
    State = ApplicationState
    if move.state in APPLICATION_DECIDED_STATES:
        raise ValidationError(_("The commune already decided on this application."))
    if move.on > move.today:
        raise ValidationError(_("The date of a step cannot be in the future."))
    if move.on < (move.last_step_on or move.requested_on):
        raise ValidationError(
            _("This step cannot come before the previous one (%(date)s).")
            % {"date": date_text(move.last_step_on or move.requested_on)}
        )
    deciding = move.to_state in APPLICATION_DECIDED_STATES
    if move.to_state == State.REFUSED and not move.reason.strip():
        raise ValidationError(_("A refusal is given in writing with its reason."))
    if move.to_state not in APPLICATION_MOVES[move.state]:
        if move.state == State.POSTED and move.to_state != State.POSTED:
            _check_posting_over(move, deciding)
            raise ValidationError(_("Record the end of the posting and the re-check of complaints first."))
        if move.state == State.REQUESTED and move.to_state in (State.RECHECKED, State.RECOGNISED):
            raise ValidationError(
                _("Post the application for %(days)s working days first.")
                % {"days": APPLICATION_POSTING_WORKING_DAYS}
            )
        raise ValidationError(
            _("An application cannot move from “%(from)s” to “%(to)s”.")
            % {"from": State(move.state).label, "to": State(move.to_state).label}
        )
    if move.to_state == State.POSTED and move.on < taken_up_on(move.requested_on):
        raise ValidationError(
            _(
                "The monthly review takes up this application from %(date)s: "
                "the posting starts then at the earliest."
            )
            % {"date": date_text(taken_up_on(move.requested_on))}
        )
    if move.to_state == State.RECHECKED:
        _check_posting_over(move, deciding=False)
    if move.to_state == State.RECOGNISED:
        if not move.eligible:
            raise ValidationError(_("This application does not meet the criteria: it can only be refused."))
        if not move.decision_number.strip():
            raise ValidationError(_("Give the number of the chairman's decision."))
