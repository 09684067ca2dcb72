"""The review procedure as a table of cases: steps of each kind, windows, deadlines, working days, moves.

Pure code: no database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from households import procedure
from households.procedure import PROCEDURES, Kind, Move, State

PERIODIC, AD_HOC = Kind.PERIODIC, Kind.AD_HOC

D = datetime.date


@pytest.fixture(autouse=True)
def in_english():
    """The reasons are matched in English (the installation speaks Vietnamese)."""
    with translation.override("en"):
        yield


# In November 2022: Monday 7, Thursday 10, Friday 11, Saturday 12, Sunday 13, Monday 14.


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2022, 11, 7), 0, D(2022, 11, 7)),  # no working day: the day itself
        (D(2022, 11, 7), 1, D(2022, 11, 8)),  # Monday → Tuesday
        (D(2022, 11, 7), 3, D(2022, 11, 10)),  # within the week
        (D(2022, 11, 10), 1, D(2022, 11, 11)),  # Thursday → Friday
        (D(2022, 11, 10), 3, D(2022, 11, 15)),  # over the weekend: Fri, Mon, Tue
        (D(2022, 11, 11), 1, D(2022, 11, 14)),  # Friday → Monday
        (D(2022, 11, 12), 1, D(2022, 11, 14)),  # from a Saturday: Monday is the first working day
        (D(2022, 11, 13), 1, D(2022, 11, 14)),  # from a Sunday, the same
        (D(2022, 11, 11), 5, D(2022, 11, 18)),  # a whole working week
        (D(2022, 12, 30), 1, D(2023, 1, 2)),  # over the new year (holidays are not known)
    ],
)
def test_working_days_skip_weekends(start, days, expected):
    assert procedure.add_working_days(start, days) == expected


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "expected"),
    [
        (D(2022, 11, 10), None, D(2022, 11, 15)),  # 3 working days after Thursday
        (D(2022, 11, 10), D(2022, 11, 20), D(2022, 11, 20)),  # a date given is kept
        (D(2022, 11, 10), D(2022, 11, 10), D(2022, 11, 10)),  # it may end the day it starts
    ],
)
def test_the_public_posting_ends_after_its_working_days_or_on_the_date_given(starts_on, ends_on, expected):
    assert procedure.posting_ends_on(starts_on, ends_on) == expected


def test_the_public_posting_cannot_end_before_it_starts():
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        procedure.posting_ends_on(D(2022, 11, 10), D(2022, 11, 9))


@pytest.mark.parametrize(
    ("year", "start", "end"),
    [(2021, D(2021, 9, 1), D(2021, 12, 14)), (2024, D(2024, 9, 1), D(2024, 12, 14))],
)
def test_the_periodic_review_runs_from_1_september_to_14_december(year, start, end):
    assert procedure.periodic_window(year) == (start, end)


@pytest.mark.parametrize(
    ("kind", "requested_on", "taken_up_on", "deadline"),
    [
        (Kind.AD_HOC, D(2024, 3, 3), D(2024, 3, 15), D(2024, 3, 30)),  # waits for the month's review
        (Kind.AD_HOC, D(2024, 3, 15), D(2024, 3, 15), D(2024, 3, 30)),
        (Kind.AD_HOC, D(2024, 3, 16), D(2024, 4, 15), D(2024, 4, 30)),
        (Kind.AD_HOC, D(2024, 3, 28), D(2024, 4, 15), D(2024, 4, 30)),  # next month's review
        (Kind.AD_HOC, D(2024, 1, 31), D(2024, 2, 15), D(2024, 3, 1)),  # a leap year's February
        (Kind.AD_HOC, D(2024, 12, 20), D(2025, 1, 15), D(2025, 1, 30)),  # over the year's end
        (Kind.AD_HOC, None, None, None),
        (Kind.PERIODIC, D(2024, 3, 15), None, None),  # the periodic review has a window, not a deadline
    ],
)
def test_an_ad_hoc_review_is_decided_within_15_days_of_the_monthly_review_that_takes_it_up(
    kind, requested_on, taken_up_on, deadline
):
    if taken_up_on is not None:
        assert procedure.taken_up_on(requested_on) == taken_up_on
    assert PROCEDURES[kind].deadline(requested_on) == deadline


@pytest.mark.parametrize(
    ("deadline", "state", "on", "overdue"),
    [
        (D(2024, 3, 30), State.SURVEY, D(2024, 3, 30), False),  # the deadline day itself is in time
        (D(2024, 3, 30), State.SURVEY, D(2024, 3, 31), True),
        (D(2024, 3, 30), State.PUBLIC_POSTING, D(2024, 4, 30), True),
        (D(2024, 3, 30), State.APPROVED, D(2024, 4, 30), False),  # decided: never overdue
        (D(2024, 3, 30), State.REPORTED, D(2024, 4, 30), False),
        (None, State.SURVEY, D(2024, 4, 30), False),
    ],
)
def test_a_round_is_overdue_after_its_deadline_until_decided(deadline, state, on, overdue):
    assert procedure.is_overdue(deadline, state, on) is overdue


@pytest.mark.parametrize(
    ("on", "cutoff"),
    [
        (D(2024, 3, 30), D(2024, 2, 16)),  # the March review's deadline is today: not overdue yet
        (D(2024, 3, 31), D(2024, 3, 16)),
        (D(2024, 4, 29), D(2024, 3, 16)),
        (D(2024, 1, 10), D(2023, 12, 16)),  # over the year's end
    ],
)
def test_the_overdue_requests_are_those_whose_monthly_review_began_over_15_days_ago(on, cutoff):
    assert procedure.overdue_if_requested_before(on) == cutoff
    # Every request of the two months around the cutoff agrees with its own deadline.
    day = cutoff - datetime.timedelta(days=45)
    while day < cutoff + datetime.timedelta(days=45):
        assert (day < cutoff) is (PROCEDURES[Kind.AD_HOC].deadline(day) < on), day
        day += datetime.timedelta(days=1)


# Every pair (kind, state) → the steps that may follow, in the order they are offered.
MOVES = [
    (PERIODIC, State.PREPARATION, (State.SURVEY,)),
    (PERIODIC, State.SURVEY, (State.VILLAGE_MEETING,)),
    (PERIODIC, State.VILLAGE_MEETING, (State.PUBLIC_POSTING, State.SURVEY)),
    (PERIODIC, State.PUBLIC_POSTING, (State.APPROVED,)),
    (PERIODIC, State.APPROVED, (State.REPORTED,)),
    (PERIODIC, State.REPORTED, ()),
    (AD_HOC, State.PREPARATION, (State.SURVEY,)),
    (AD_HOC, State.SURVEY, (State.VILLAGE_MEETING,)),
    (AD_HOC, State.VILLAGE_MEETING, (State.PUBLIC_POSTING, State.SURVEY)),
    (AD_HOC, State.PUBLIC_POSTING, (State.APPROVED,)),
    (AD_HOC, State.APPROVED, (State.REPORTED,)),
    (AD_HOC, State.REPORTED, ()),
]


@pytest.mark.parametrize(("kind", "state", "moves"), MOVES)
def test_each_step_allows_only_the_legal_next_steps(kind, state, moves):
    assert PROCEDURES[kind].allowed_moves(state) == moves


def test_the_table_covers_every_step_of_each_kind():
    assert {(kind, state) for kind, state, _ in MOVES} == {
        (kind, state) for kind, rules in PROCEDURES.items() for state in rules.moves
    }
    assert set(PROCEDURES[PERIODIC].moves) == set(PROCEDURES[AD_HOC].moves) == set(State)


@pytest.mark.parametrize(
    ("kind", "state", "to_state"),
    [(kind, state, to_state) for kind, state, moves in MOVES for to_state in State if to_state not in moves],
)
def test_every_other_move_is_refused(kind, state, to_state):
    with pytest.raises(ValidationError, match="cannot move from"):
        procedure.check_move(Move(kind, state, to_state, on=D(2022, 11, 10), today=D(2022, 11, 10)))


TODAY = D(2022, 11, 10)
TO_POSTING = {"state": State.VILLAGE_MEETING, "to_state": State.PUBLIC_POSTING}


def move(kind=PERIODIC, state=State.SURVEY, to_state=State.VILLAGE_MEETING, **facts):
    return Move(kind, state, to_state, **{"on": TODAY, "today": TODAY, **facts})


@pytest.mark.parametrize(
    ("case", "refused_with"),
    [
        (move(), None),
        (move(on=TODAY + datetime.timedelta(days=1)), "cannot be in the future"),
        (move(last_step_on=TODAY), None),  # the same day as the previous step
        (move(last_step_on=TODAY + datetime.timedelta(days=1)), "before the previous one"),
        (move(listed=False), "List the households"),
        (move(not_surveyed=2), "2 listed households are not surveyed yet"),
        (move(kind=AD_HOC, not_surveyed=1), "not surveyed yet"),
        # Back to the survey from the meeting: nothing to check about the survey.
        (move(state=State.VILLAGE_MEETING, to_state=State.SURVEY, not_surveyed=5), None),
        (move(state=State.PUBLIC_POSTING, to_state=State.APPROVED, posting_ends_on=TODAY), None),
        (
            move(state=State.PUBLIC_POSTING, to_state=State.APPROVED, posting_ends_on=D(2022, 11, 11)),
            "runs until 11/11/2022",
        ),
        (move(state=State.PUBLIC_POSTING, to_state=State.APPROVED, open_complaints=1), "still open"),
        # The first reason is given: the date before the survey, the posting before the complaints.
        (move(on=TODAY + datetime.timedelta(days=1), not_surveyed=2), "cannot be in the future"),
        (
            move(
                state=State.PUBLIC_POSTING,
                to_state=State.APPROVED,
                posting_ends_on=D(2022, 11, 11),
                open_complaints=1,
            ),
            "runs until",
        ),
        # The posting needs every village's meeting, and no result sent back (villages said first).
        (move(**TO_POSTING), None),
        (
            move(**TO_POSTING, villages_without_meeting=("Thôn 1",)),
            "not held their village meeting yet: Thôn 1",
        ),
        (move(**TO_POSTING, villages_without_meeting=("Làng Mới", "Thôn 2")), "yet: Làng Mới, Thôn 2."),
        (move(**TO_POSTING, results_sent_back=2), "2 results were sent back"),
        (move(kind=AD_HOC, **TO_POSTING, results_sent_back=1), "1 results were sent back"),
        # The villages without a meeting are said first.
        (move(**TO_POSTING, villages_without_meeting=("Thôn 3",), results_sent_back=1), "Thôn 3"),
        # Back to the survey: the meetings are not asked for.
        (
            move(state=State.VILLAGE_MEETING, to_state=State.SURVEY, villages_without_meeting=("Thôn 1",)),
            None,
        ),
    ],
)
def test_a_move_is_checked_against_its_date_the_survey_the_posting_the_complaints_and_the_meetings(
    case, refused_with
):
    if refused_with is None:
        procedure.check_move(case)
    else:
        with pytest.raises(ValidationError, match=refused_with):
            procedure.check_move(case)


@pytest.mark.parametrize(
    ("state", "to_state", "needed"),
    [
        (State.SURVEY, State.VILLAGE_MEETING, True),
        (State.SURVEY, State.PUBLIC_POSTING, False),  # not a legal move of any round now
        (State.VILLAGE_MEETING, State.PUBLIC_POSTING, False),
        (State.VILLAGE_MEETING, State.SURVEY, False),
        (State.PREPARATION, State.SURVEY, False),
    ],
)
def test_leaving_the_survey_needs_every_household_surveyed(state, to_state, needed):
    assert procedure.needs_every_household_surveyed(state, to_state) is needed


# Village meetings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("present", "agreeing", "agreed"),
    [
        (10, 10, True),
        (10, 5, True),  # exactly half is enough: "at least 50 %"
        (10, 4, False),
        (10, 0, False),
        (1, 1, True),
        (1, 0, False),
        (3, 2, True),
        (3, 1, False),  # a third is under half
        (2, 1, True),
        (7, 4, True),
        (7, 3, False),  # 3 × 2 = 6 < 7
        (41, 21, True),
        (41, 20, False),
    ],
)
def test_a_result_is_agreed_by_at_least_half_of_those_present(present, agreeing, agreed):
    assert procedure.is_agreed(agreeing, present) is agreed
    assert (agreeing * 2 >= present) is agreed  # the same rule in integers: no rounding at the boundary


def meeting(**facts):
    return procedure.Meeting(
        **{
            "held_on": TODAY,
            "today": TODAY,
            "present": 10,
            "agreeing": (5, 10),
            "survey_from": D(2022, 9, 10),
            **facts,
        }
    )


@pytest.mark.parametrize(
    ("case", "refused_with"),
    [
        (meeting(), None),
        (meeting(held_on=D(2022, 9, 10)), None),  # the day the survey started
        (meeting(agreeing=(0, 10)), None),  # a result nobody agrees is recorded (and sent back)
        (meeting(held_on=TODAY + datetime.timedelta(days=1)), "cannot be dated in the future"),
        (meeting(held_on=D(2022, 9, 9)), "before the survey started \\(10/09/2022\\)"),
        (meeting(after=D(2022, 11, 1), held_on=D(2022, 10, 31)), "before the meeting that sent them"),
        (meeting(after=TODAY), None),  # a re-meeting the same day, after the answers were entered again
        (meeting(present=0, agreeing=(0,)), "At least one person"),
        (meeting(agreeing=(11,)), "between 0 and the 10 present"),
        (meeting(agreeing=(-1,)), "between 0 and the 10 present"),
        (meeting(agreeing=()), "No household result"),
        (meeting(copy_received_on=TODAY), None),
        (meeting(copy_received_on=TODAY - datetime.timedelta(days=1)), "received after the meeting"),
        (meeting(copy_received_on=TODAY + datetime.timedelta(days=1)), "not in the future"),
    ],
)
def test_a_meeting_is_checked_against_its_dates_and_its_numbers(case, refused_with):
    if refused_with is None:
        procedure.check_meeting(case)
    else:
        with pytest.raises(ValidationError, match=refused_with):
            procedure.check_meeting(case)


def test_a_meeting_says_every_reason_at_once():
    with pytest.raises(ValidationError) as refused:
        procedure.check_meeting(meeting(held_on=TODAY + datetime.timedelta(days=1), agreeing=(12,)))
    assert len(refused.value.messages) == 2


@pytest.mark.parametrize(
    ("state", "to_state", "needed"),
    [
        (State.VILLAGE_MEETING, State.PUBLIC_POSTING, True),
        (State.VILLAGE_MEETING, State.SURVEY, False),
        (State.SURVEY, State.VILLAGE_MEETING, False),
        (State.PUBLIC_POSTING, State.APPROVED, False),
    ],
)
def test_leaving_the_meetings_needs_every_result_agreed(state, to_state, needed):
    assert procedure.needs_every_result_agreed(state, to_state) is needed
