"""The review procedure as code (DOMAIN.md §4, Decision 24/2021/QĐ-TTg). Pure: no database.

The steps of each kind of review round and the moves between them, the legal window of the periodic
review, the ad-hoc review's deadline, the public posting in working days, and the rule of a move
from facts the caller reads. `ReviewRound` and `households.services` read it; a number DOMAIN.md
marks *(to confirm)* is one named definition here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Procedure:
    """The legal steps of a kind of round, in order: `moves[state]` are the steps that may follow
    `state` (only these are offered). `deadline_days`: calendar days from the start of the monthly
    review that takes up the request (`taken_up_on`) to the decision."""

    kind: Kind
    moves: dict[State, tuple[State, ...]]
    deadline_days: int | None = None

    def allowed_moves(self, state: str) -> tuple[State, ...]:
        return self.moves[state]

    def deadline(self, requested_on: datetime.date | None) -> datetime.date | None:
        if self.deadline_days is None or requested_on is None:
            return None
        return taken_up_on(requested_on) + datetime.timedelta(days=self.deadline_days)


PROCEDURES = {
    # The village meeting may send households back to the survey.
    Kind.PERIODIC: Procedure(
        Kind.PERIODIC,
        {
            State.PREPARATION: (State.SURVEY,),
            State.SURVEY: (State.VILLAGE_MEETING,),
            State.VILLAGE_MEETING: (State.PUBLIC_POSTING, State.SURVEY),
            State.PUBLIC_POSTING: (State.APPROVED,),
            State.APPROVED: (State.REPORTED,),
            State.REPORTED: (),
        },
    ),
    # An ad-hoc review has its village meeting too (DOMAIN.md §4), which may send it back to the survey.
    Kind.AD_HOC: Procedure(
        Kind.AD_HOC,
        {
            State.PREPARATION: (State.SURVEY,),
            State.SURVEY: (State.VILLAGE_MEETING,),
            State.VILLAGE_MEETING: (State.PUBLIC_POSTING, State.SURVEY),
            State.PUBLIC_POSTING: (State.APPROVED,),
            State.APPROVED: (State.REPORTED,),
            State.REPORTED: (),
        },
        deadline_days=AD_HOC_DEADLINE_DAYS,
    ),
}


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


def _date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Move:
    """A move of a round with the facts the rule needs, as the caller read them: `listed` and
    `not_surveyed` matter only when `needs_every_household_surveyed`, `open_complaints` only for the
    approval."""

    kind: str
    state: str
    to_state: str
    on: datetime.date
    today: datetime.date
    last_step_on: datetime.date | None = None
    listed: bool = True
    not_surveyed: int = 0
    posting_ends_on: datetime.date | None = None
    open_complaints: int = 0


def check_move(move: Move) -> None:
    """Raises ValidationError (the first reason, for the user) if the move is not allowed."""
    if move.to_state not in PROCEDURES[move.kind].allowed_moves(move.state):
        raise ValidationError(
            _("A review round cannot move from “%(from)s” to “%(to)s”.")
            % {"from": State(move.state).label, "to": State(move.to_state).label}
        )
    if move.on > move.today:
        raise ValidationError(_("The date of a step cannot be in the future."))
    if move.last_step_on and move.on < move.last_step_on:
        raise ValidationError(
            _("This step cannot come before the previous one (%(date)s).")
            % {"date": _date(move.last_step_on)}
        )
    if needs_every_household_surveyed(move.state, move.to_state):
        if not move.listed:
            raise ValidationError(_("List the households to review first."))
        if move.not_surveyed:
            raise ValidationError(
                _("%(count)s listed households are not surveyed yet.") % {"count": move.not_surveyed}
            )
    if move.to_state == State.APPROVED:
        if move.posting_ends_on and move.on < move.posting_ends_on:
            raise ValidationError(
                _("The public posting runs until %(date)s: the results can be approved after it.")
                % {"date": _date(move.posting_ends_on)}
            )
        if move.open_complaints:
            raise ValidationError(
                _("%(count)s complaints are still open: re-check them before approval.")
                % {"count": move.open_complaints}
            )


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
    return taken_up_on(requested_on) + datetime.timedelta(days=APPLICATION_DECISION_DAYS)


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
        raise ValidationError(message % {"date": _date(move.posting_ends_on)})
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
            % {"date": _date(move.last_step_on or move.requested_on)}
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
            % {"date": _date(taken_up_on(move.requested_on))}
        )
    if move.to_state == State.RECHECKED:
        _check_posting_over(move, deciding=False)
    if move.to_state == State.RECOGNISED:
        if not move.eligible:
            raise ValidationError(_("This application does not meet the criteria: it can only be refused."))
        if not move.decision_number.strip():
            raise ValidationError(_("Give the number of the chairman's decision."))
