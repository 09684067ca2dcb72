"""The review procedure as a table of cases: steps of each kind, windows, deadlines, working days, moves.

Pure code: no database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from households import poverty, procedure
from households.procedure import PROCEDURES, Kind, Move, State

PERIODIC, AD_HOC = Kind.PERIODIC, Kind.AD_HOC
# The procedures before and after the two-level government (1 July 2025).
OLD, NEW = True, False

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
    assert procedure.procedure_for(kind, 2024, requested_on).deadline(requested_on) == deadline


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
        assert (day < cutoff) is (procedure.procedure_for(AD_HOC, day.year, day).deadline(day) < on), day
        day += datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("kind", "year", "list_year", "standard"),
    [
        # The periodic review held in late N makes the lists of N + 1, under the standard of N + 1.
        (PERIODIC, 2021, 2022, poverty.DECREE_07_2021),  # the baseline of the 2022–2025 period
        (PERIODIC, 2024, 2025, poverty.DECREE_07_2021),
        (PERIODIC, 2025, 2026, poverty.DECREE_07_2021),
        (PERIODIC, 2026, 2027, poverty.DECREE_351_2025),  # the first review under Decree 351
        (PERIODIC, 2029, 2030, poverty.DECREE_351_2025),
        # An ad-hoc review amends the lists in use, under the standard in force on its date.
        (AD_HOC, 2022, 2022, poverty.DECREE_07_2021),
        (AD_HOC, 2026, 2026, poverty.DECREE_07_2021),
        (AD_HOC, 2027, 2027, poverty.DECREE_351_2025),
    ],
)
def test_a_round_makes_the_lists_of_its_list_year_under_that_years_standard(kind, year, list_year, standard):
    assert procedure.list_year(kind, year) == list_year
    assert poverty.standard_for_year(list_year) is standard


@pytest.mark.parametrize("year", [2020, 2030])
def test_a_review_whose_lists_no_standard_covers_is_refused(year):
    with pytest.raises(poverty.ClassificationError, match="No poverty standard"):
        poverty.standard_for_year(procedure.list_year(PERIODIC, year))


def test_lists_are_named_by_their_year_and_the_review_that_made_them():
    assert procedure.lists_label(2023) == "lists of 2023 (review of late 2022)"


@pytest.mark.parametrize(
    ("kind", "year", "requested_on", "old"),
    [
        (PERIODIC, 2021, None, OLD),
        (PERIODIC, 2024, None, OLD),  # lists of 2025: the district chairman was still asked
        (PERIODIC, 2025, None, NEW),  # lists of 2026: the review starts on 1 September 2025
        (PERIODIC, 2026, None, NEW),
        (AD_HOC, 2025, D(2025, 6, 3), OLD),  # taken up on 15 June 2025
        (AD_HOC, 2025, D(2025, 6, 15), OLD),
        (AD_HOC, 2025, D(2025, 6, 16), NEW),  # taken up on 15 July 2025
        (AD_HOC, 2025, D(2025, 7, 1), NEW),
        (AD_HOC, 2027, D(2027, 3, 28), NEW),
    ],
)
def test_a_round_follows_the_procedure_in_force_when_it_starts(kind, year, requested_on, old):
    assert procedure.procedure_for(kind, year, requested_on) is PROCEDURES[(kind, old)]


# Every (kind, before the two-level government, state) → the steps that may follow, in the order
# they are offered.
MOVES = [
    *[
        (kind, age, state, moves)
        for kind in (PERIODIC, AD_HOC)
        for age, state, moves in [
            (OLD, State.PREPARATION, (State.SURVEY,)),
            (OLD, State.SURVEY, (State.VILLAGE_MEETING,)),
            (OLD, State.VILLAGE_MEETING, (State.PUBLIC_POSTING, State.SURVEY)),
            (OLD, State.PUBLIC_POSTING, (State.DISTRICT_OPINION,)),  # the district chairman's opinion
            (OLD, State.DISTRICT_OPINION, (State.APPROVED,)),  # then the commune chairman decides
            (OLD, State.APPROVED, (State.REPORTED,)),
            (OLD, State.REPORTED, ()),
            (NEW, State.PREPARATION, (State.SURVEY,)),
            (NEW, State.SURVEY, (State.VILLAGE_MEETING,)),
            (NEW, State.VILLAGE_MEETING, (State.PUBLIC_POSTING, State.SURVEY)),
            (NEW, State.PUBLIC_POSTING, (State.APPROVED,)),  # the commune decides
            (NEW, State.APPROVED, (State.REPORTED,)),  # and reports to the province
            (NEW, State.REPORTED, ()),
        ]
    ]
]


@pytest.mark.parametrize(("kind", "old", "state", "moves"), MOVES)
def test_each_step_allows_only_the_legal_next_steps(kind, old, state, moves):
    assert PROCEDURES[(kind, old)].allowed_moves(state) == moves


def test_the_table_covers_every_step_of_each_procedure():
    assert {(kind, old, state) for kind, old, state, _ in MOVES} == {
        (kind, old, state) for (kind, old), rules in PROCEDURES.items() for state in rules.moves
    }
    assert set(PROCEDURES[(PERIODIC, OLD)].moves) == set(State)
    assert set(PROCEDURES[(PERIODIC, NEW)].moves) == set(State) - {State.DISTRICT_OPINION}


@pytest.mark.parametrize(
    ("old", "steps", "reported_to"),
    [
        (
            OLD,
            [
                "preparation",
                "survey",
                "village_meeting",
                "public_posting",
                "district_opinion",
                "approved",
                "reported",
            ],
            "Reported to the district",
        ),
        (
            NEW,
            ["preparation", "survey", "village_meeting", "public_posting", "approved", "reported"],
            "Reported to the province",
        ),
    ],
)
def test_the_steps_are_shown_in_their_legal_order(old, steps, reported_to):
    rules = PROCEDURES[(PERIODIC, old)]
    assert rules.steps() == steps
    assert rules.label(State.REPORTED) == reported_to


@pytest.mark.parametrize(
    ("kind", "old", "state", "to_state"),
    [
        (kind, old, state, to_state)
        for kind, old, state, moves in MOVES
        for to_state in State
        if to_state not in moves
    ],
)
def test_every_other_move_is_refused(kind, old, state, to_state):
    with pytest.raises(ValidationError, match="cannot move from"):
        procedure.check_move(
            Move(PROCEDURES[(kind, old)], state, to_state, on=D(2022, 11, 10), today=D(2022, 11, 10))
        )


TODAY = D(2022, 11, 10)
TO_POSTING = {"state": State.VILLAGE_MEETING, "to_state": State.PUBLIC_POSTING}


def move(kind=PERIODIC, state=State.SURVEY, to_state=State.VILLAGE_MEETING, old=NEW, **facts):
    return Move(PROCEDURES[(kind, old)], state, to_state, **{"on": TODAY, "today": TODAY, **facts})


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
        # Before the two-level government, the posting ends into the district chairman's opinion.
        (
            move(state=State.PUBLIC_POSTING, to_state=State.DISTRICT_OPINION, old=OLD, open_complaints=1),
            "still open",
        ),
        (
            move(
                state=State.PUBLIC_POSTING,
                to_state=State.DISTRICT_OPINION,
                old=OLD,
                posting_ends_on=D(2022, 11, 11),
            ),
            "runs until 11/11/2022",
        ),
        (move(state=State.DISTRICT_OPINION, to_state=State.APPROVED, old=OLD, open_complaints=1), None),
        (move(state=State.PUBLIC_POSTING, to_state=State.APPROVED, old=OLD), "cannot move from"),
        (move(state=State.PUBLIC_POSTING, to_state=State.DISTRICT_OPINION), "cannot move from"),
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
