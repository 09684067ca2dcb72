"""Recognition on application (Decree 30/2025): farm households of average living standard and
low-income workers. The deadlines and the rule of each move as tables, the services with their
refusals (said in Vietnamese), the pages, the candidates the reviews suggest, and query counts."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from households import application_services, poverty, procedure, services
from households.models import Member, Person, StatusApplication
from households.tests.helpers import decided_lists, make_household, make_person, writer

State = StatusApplication.State
Kind = StatusApplication.Kind
D = datetime.date
# 96.000.000 đ over 12 months shared by 4: 2.000.000 đ a person a month, of average living standard
# in a rural commune under Decree 07/2021 (line 1.500.000 đ, upper bound 2.250.000 đ).
AVERAGE_INCOME = {"income_12_months": 96_000_000, "member_count": 4}


# Deadlines ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested_on", "taken_up_on", "deadline"),
    [
        (D(2025, 3, 3), D(2025, 3, 15), D(2025, 3, 30)),  # the 3rd: this month's review
        (D(2025, 3, 15), D(2025, 3, 15), D(2025, 3, 30)),  # the 15th: the review that starts that day
        (D(2025, 3, 28), D(2025, 4, 15), D(2025, 4, 30)),  # the 28th: next month's review
        (D(2025, 12, 28), D(2026, 1, 15), D(2026, 1, 30)),  # across the year
        (D(2025, 1, 31), D(2025, 2, 15), D(2025, 3, 2)),  # 15 calendar days, through a short February
    ],
)
def test_an_application_is_decided_15_days_after_the_monthly_review_that_takes_it_up(
    requested_on, taken_up_on, deadline
):
    assert procedure.taken_up_on(requested_on) == taken_up_on
    assert procedure.application_deadline(requested_on) == deadline


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (D(2025, 3, 17), D(2025, 3, 24)),  # Monday: the 5 working days run over the weekend
        (D(2025, 3, 14), D(2025, 3, 21)),  # Friday: Monday to Friday of the next week
        (D(2025, 3, 15), D(2025, 3, 21)),  # Saturday: the weekend counts for nothing
        (D(2025, 3, 16), D(2025, 3, 21)),  # Sunday
        (D(2025, 3, 19), D(2025, 3, 26)),  # Wednesday
    ],
)
def test_the_posting_lasts_5_working_days(starts_on, ends_on):
    assert procedure.application_posting_ends_on(starts_on) == ends_on


@pytest.mark.parametrize(
    ("received_on", "due_on"),
    [
        (D(2025, 3, 17), D(2025, 3, 20)),  # Monday → Thursday
        (D(2025, 3, 20), D(2025, 3, 25)),  # Thursday → Tuesday, over the weekend
        (D(2025, 3, 22), D(2025, 3, 26)),  # Saturday → Wednesday
    ],
)
def test_a_complaint_is_re_checked_within_3_working_days(received_on, due_on):
    assert procedure.recheck_due_on(received_on) == due_on


@pytest.mark.parametrize(
    ("requested_on", "state", "on", "overdue"),
    [
        (D(2025, 3, 3), State.POSTED, D(2025, 3, 30), False),  # the deadline itself
        (D(2025, 3, 3), State.POSTED, D(2025, 3, 31), True),
        (D(2025, 3, 28), State.REQUESTED, D(2025, 4, 15), False),  # taken up only on 15 April
        (D(2025, 3, 28), State.RECHECKED, D(2025, 5, 1), True),
        (D(2025, 3, 3), State.RECOGNISED, D(2025, 6, 1), False),  # decided: never overdue
        (D(2025, 3, 3), State.REFUSED, D(2025, 6, 1), False),
    ],
)
def test_an_application_not_decided_by_its_deadline_is_overdue(requested_on, state, on, overdue):
    assert procedure.application_is_overdue(requested_on, state, on) is overdue


def test_the_overdue_list_agrees_with_the_rule_for_every_request_date(geography):
    household = make_household(geography["muong_hoong"], "O1")
    start = D(2025, 1, 1)
    StatusApplication.objects.bulk_create(
        StatusApplication(
            household=household,
            requested_on=start + datetime.timedelta(days=n),
            standard="decree_07_2021",
            income_12_months=1,
            member_count=1,
            monthly_income_per_person=0,
        )
        for n in range(120)
    )
    for on in (D(2025, 2, 14), D(2025, 2, 15), D(2025, 3, 1), D(2025, 3, 31), D(2025, 4, 16)):
        listed = set(StatusApplication.objects.overdue(on).values_list("requested_on", flat=True))
        expected = {
            a.requested_on
            for a in StatusApplication.objects.all()
            if procedure.application_is_overdue(a.requested_on, a.state, on)
        }
        assert listed == expected, on


# The rule of each move --------------------------------------------------------------------------

TODAY = D(2025, 6, 30)
REQUESTED_ON = D(2025, 3, 3)  # taken up on 15 March, decided by 30 March
POSTED_UNTIL = D(2025, 3, 24)  # posted on Monday 17 March


def move(state, to_state, on, **facts):
    defaults = {"requested_on": REQUESTED_ON, "today": TODAY}
    if state != State.REQUESTED:
        defaults |= {"last_step_on": D(2025, 3, 17), "posting_ends_on": POSTED_UNTIL}
    return procedure.ApplicationMove(state=state, to_state=to_state, on=on, **(defaults | facts))


@pytest.mark.parametrize(
    ("the_move", "refusal"),
    [
        (move(State.REQUESTED, State.POSTED, D(2025, 3, 17)), None),
        (move(State.REQUESTED, State.POSTED, D(2025, 3, 15)), None),  # the monthly review's first day
        (move(State.REQUESTED, State.POSTED, D(2025, 3, 14)), "takes up this application from 15/03/2025"),
        (move(State.REQUESTED, State.POSTED, D(2025, 3, 1)), "cannot come before the previous one"),
        (move(State.REQUESTED, State.POSTED, D(2025, 7, 1)), "cannot be in the future"),
        (
            move(State.REQUESTED, State.RECOGNISED, D(2025, 3, 20), decision_number="1"),
            "Post the application",
        ),
        (move(State.REQUESTED, State.RECHECKED, D(2025, 3, 20)), "Post the application"),
        (move(State.REQUESTED, State.REFUSED, D(2025, 3, 20), reason="Thu nhập vượt chuẩn"), None),
        (move(State.REQUESTED, State.REFUSED, D(2025, 3, 20), reason="  "), "in writing with its reason"),
        (move(State.POSTED, State.POSTED, D(2025, 3, 20)), "cannot move from"),
        (move(State.POSTED, State.RECHECKED, D(2025, 3, 21)), "runs until 24/03/2025"),
        (move(State.POSTED, State.RECHECKED, D(2025, 3, 24)), None),
        (
            move(State.POSTED, State.RECHECKED, D(2025, 3, 24), open_complaints=1),
            "1 complaints are still open",
        ),
        (
            move(State.POSTED, State.RECOGNISED, D(2025, 3, 21), decision_number="1"),
            "the decision comes after",
        ),
        (
            move(State.POSTED, State.RECOGNISED, D(2025, 3, 25), decision_number="1", open_complaints=2),
            "2 complaints are still open",
        ),
        (move(State.POSTED, State.RECOGNISED, D(2025, 3, 25), decision_number="1"), "end of the posting"),
        (move(State.POSTED, State.REFUSED, D(2025, 3, 21), reason="x"), "the decision comes after"),
        (
            move(
                State.RECHECKED,
                State.RECOGNISED,
                D(2025, 3, 26),
                last_step_on=D(2025, 3, 25),
                decision_number="12",
            ),
            None,
        ),
        (
            move(State.RECHECKED, State.RECOGNISED, D(2025, 3, 26), last_step_on=D(2025, 3, 25)),
            "number of the chairman's decision",
        ),
        (
            move(
                State.RECHECKED,
                State.RECOGNISED,
                D(2025, 3, 26),
                last_step_on=D(2025, 3, 25),
                decision_number="12",
                eligible=False,
            ),
            "does not meet the criteria",
        ),
        (
            move(
                State.RECHECKED,
                State.RECOGNISED,
                D(2025, 3, 24),
                last_step_on=D(2025, 3, 25),
                decision_number="1",
            ),
            r"cannot come before the previous one \(25/03/2025\)",
        ),
        (move(State.RECHECKED, State.REFUSED, D(2025, 3, 26), reason="Không đủ điều kiện"), None),
        # Overdue is late, not refused: the chairman still decides.
        (move(State.RECHECKED, State.REFUSED, D(2025, 5, 26), reason="Không đủ điều kiện"), None),
        (move(State.RECOGNISED, State.REFUSED, D(2025, 3, 27), reason="x"), "already decided"),
        (move(State.REFUSED, State.RECOGNISED, D(2025, 3, 27), decision_number="1"), "already decided"),
    ],
)
def test_each_move_of_an_application_follows_the_rule(english, the_move, refusal):
    if refusal is None:
        procedure.check_application_move(the_move)
    else:
        with pytest.raises(ValidationError, match=refusal):
            procedure.check_application_move(the_move)


# Who meets the criteria -------------------------------------------------------------------------

DECREE_07 = poverty.DECREE_07_2021


@pytest.mark.parametrize(
    ("farm", "income", "eligible"),
    [
        (True, 1_500_000, False),  # at the line: the household is reviewed for the lists instead
        (True, 1_500_001, True),
        (True, 2_250_000, True),  # the upper bound is included
        (True, 2_250_001, False),
        (False, 2_000_000, False),  # a trader's household
    ],
)
def test_a_farm_household_of_average_living_standard(farm, income, eligible):
    assessment = poverty.assess_farm_household(
        DECREE_07, poverty.RURAL, farm_livelihood=farm, monthly_income_per_person=income
    )
    assert assessment.eligible is eligible and assessment.reasons


@pytest.mark.parametrize(
    ("income", "of_working_age", "working", "eligible"),
    [
        (2_250_000, True, True, True),
        (2_250_001, True, True, False),
        (1_400_000, True, True, False),  # under the line: the household is near-poor or poor
        (2_000_000, False, True, False),
        (2_000_000, True, False, False),
    ],
)
def test_a_low_income_worker(income, of_working_age, working, eligible):
    assessment = poverty.assess_low_income_worker(
        DECREE_07,
        poverty.RURAL,
        monthly_income_per_person=income,
        of_working_age=of_working_age,
        working=working,
    )
    assert assessment.eligible is eligible


def test_no_status_is_assessed_under_a_standard_without_an_average_band():
    with pytest.raises(poverty.ClassificationError):
        poverty.assess_farm_household(
            poverty.DECREE_351_2025, poverty.RURAL, farm_livelihood=True, monthly_income_per_person=2_500_000
        )
    with pytest.raises(poverty.ClassificationError):
        poverty.assess_low_income_worker(
            poverty.DECREE_351_2025,
            poverty.RURAL,
            monthly_income_per_person=2_500_000,
            of_working_age=True,
            working=True,
        )


# Services ---------------------------------------------------------------------------------------


@pytest.fixture
def farm(geography):
    return make_household(geography["muong_hoong"], "N1", main_livelihood="agriculture")


@pytest.fixture
def worker(farm):
    person = make_person("Y Hoa", birth_year=1995, employment=Person.Employment.SELF_EMPLOYED)
    Member.objects.create(household=farm, person=person, relation="child")
    return person


def apply(household, requested_on=REQUESTED_ON, **fields):
    return application_services.record_application(
        household=household, requested_on=requested_on, by=writer(), **(AVERAGE_INCOME | fields)
    )


def step(application, to_state, on, **fields):
    return application_services.move_application(
        application=application, to_state=to_state, on=on, by=writer(), **fields
    )


def test_a_farm_household_is_recognised_through_every_step(farm):
    application = apply(farm)
    assert application.eligible and application.monthly_income_per_person == 2_000_000
    assert application.deadline == D(2025, 3, 30)
    step(application, State.POSTED, D(2025, 3, 17))
    application.refresh_from_db()
    assert application.posting_ends_on == D(2025, 3, 24)
    complaint = application_services.record_application_complaint(
        application=application, received_on=D(2025, 3, 20), content="Hộ có xe tải", by=writer()
    )
    assert complaint.due_on == D(2025, 3, 25)
    with pytest.raises(ValidationError, match="khiếu nại chưa được phúc tra"):
        step(application, State.RECHECKED, D(2025, 3, 24))
    application_services.recheck_application_complaint(
        complaint=complaint, outcome="Xe của người khác", on=D(2025, 3, 24), by=writer()
    )
    complaint.refresh_from_db()
    assert not complaint.is_late
    step(application, State.RECHECKED, D(2025, 3, 24))
    step(application, State.RECOGNISED, D(2025, 3, 26), decision_number=" 45/QĐ-UBND ")
    application.refresh_from_db()
    assert (application.state, application.decision_number, application.decided_on) == (
        State.RECOGNISED,
        "45/QĐ-UBND",
        D(2025, 3, 26),
    )
    assert not application.is_overdue
    assert list(StatusApplication.objects.recognised()) == [application]


@pytest.mark.parametrize(
    ("to_state", "on", "fields", "refusal"),
    [
        (
            State.RECOGNISED,
            D(2025, 3, 21),
            {"decision_number": "1"},
            "Đang niêm yết công khai đến 24/03/2025",
        ),
        (State.REFUSED, D(2025, 3, 25), {"reason": ""}, "bằng văn bản, nêu rõ lý do"),
        (State.RECHECKED, D(2025, 3, 21), {}, "Đang niêm yết công khai đến 24/03/2025"),
    ],
)
def test_a_refused_move_says_why_in_vietnamese(farm, to_state, on, fields, refusal):
    application = apply(farm)
    step(application, State.POSTED, D(2025, 3, 17))
    with pytest.raises(ValidationError, match=refusal):
        step(application, to_state, on, **fields)
    application.refresh_from_db()
    assert application.state == State.POSTED and application.decided_on is None


def test_a_refusal_is_written_with_its_reason_and_decides_once(farm):
    application = apply(farm, income_12_months=200_000_000)  # 4.166.666 đ: above the band
    assert not application.eligible
    assert "2.250.000" in application.assessment
    step(application, State.REFUSED, D(2025, 3, 20), reason="Thu nhập bình quân vượt mức sống trung bình.")
    application.refresh_from_db()
    assert application.state == State.REFUSED and application.refusal_reason.startswith("Thu nhập")
    with pytest.raises(ValidationError, match="Xã đã quyết định"):
        step(application, State.REFUSED, D(2025, 3, 21), reason="lần nữa")


def test_an_application_that_does_not_meet_the_criteria_cannot_be_recognised(geography):
    trader = make_household(geography["muong_hoong"], "T1", main_livelihood="trade")
    application = apply(trader)
    assert not application.eligible
    step(application, State.POSTED, D(2025, 3, 17))
    step(application, State.RECHECKED, D(2025, 3, 24))
    with pytest.raises(ValidationError, match="không đủ điều kiện"):
        step(application, State.RECOGNISED, D(2025, 3, 25), decision_number="1")


def test_a_complaint_is_received_while_the_posting_runs_and_re_checked_once(farm):
    application = apply(farm)
    with pytest.raises(ValidationError, match="trong thời gian niêm yết"):
        application_services.record_application_complaint(
            application=application, received_on=D(2025, 3, 20), content="x", by=writer()
        )
    step(application, State.POSTED, D(2025, 3, 17))
    with pytest.raises(ValidationError, match="17/03/2025 – 24/03/2025"):
        application_services.record_application_complaint(
            application=application, received_on=D(2025, 3, 25), content="x", by=writer()
        )
    complaint = application_services.record_application_complaint(
        application=application, received_on=D(2025, 3, 18), content="Khiếu nại", by=writer()
    )
    with pytest.raises(ValidationError, match="kết quả phúc tra"):
        application_services.recheck_application_complaint(
            complaint=complaint, outcome=" ", on=D(2025, 3, 19), by=writer()
        )
    with pytest.raises(ValidationError):
        application_services.recheck_application_complaint(
            complaint=complaint, outcome="Đúng", on=D(2025, 3, 17), by=writer()
        )
    # Late (due on 21 March): recorded with its true date, and shown as late.
    application_services.recheck_application_complaint(
        complaint=complaint, outcome="Đúng", on=D(2025, 3, 26), by=writer()
    )
    complaint.refresh_from_db()
    assert complaint.is_late
    with pytest.raises(ValidationError, match="đã được phúc tra"):
        application_services.recheck_application_complaint(
            complaint=complaint, outcome="Lại", on=D(2025, 3, 27), by=writer()
        )


def test_a_low_income_worker_applies_among_the_current_members(farm, worker):
    application = apply(farm, kind=Kind.LOW_INCOME_WORKER, person=worker)
    assert application.eligible and application.person == worker
    with pytest.raises(ValidationError, match="đang được xem xét"):
        apply(farm, kind=Kind.LOW_INCOME_WORKER, person=worker, requested_on=D(2025, 3, 5))
    # Another member may apply meanwhile, and the household for itself.
    sister = make_person("Y Lan", birth_year=1998, employment=Person.Employment.SELF_EMPLOYED)
    Member.objects.create(household=farm, person=sister, relation="child")
    assert apply(farm, kind=Kind.LOW_INCOME_WORKER, person=sister).person == sister
    assert apply(farm).person is None


def test_a_worker_recognised_this_year_cannot_be_recognised_again(farm, worker):
    application = apply(farm, kind=Kind.LOW_INCOME_WORKER, person=worker)
    for to_state, on, fields in (
        (State.POSTED, D(2025, 3, 17), {}),
        (State.RECHECKED, D(2025, 3, 24), {}),
        (State.RECOGNISED, D(2025, 3, 25), {"decision_number": "7/QĐ-UBND"}),
    ):
        step(application, to_state, on, **fields)
    with pytest.raises(ValidationError, match="2025"):
        apply(farm, kind=Kind.LOW_INCOME_WORKER, person=worker, requested_on=D(2025, 5, 2))


def test_a_worker_must_be_a_current_member_of_the_household(geography, farm, worker):
    other = make_household(geography["muong_hoong"], "N2")
    with pytest.raises(ValidationError, match="không phải là thành viên"):
        apply(other, kind=Kind.LOW_INCOME_WORKER, person=worker)
    member = worker.memberships.get()
    services.end_membership(member=member, on=D(2025, 2, 1), by=writer())
    with pytest.raises(ValidationError, match="không phải là thành viên"):
        apply(farm, kind=Kind.LOW_INCOME_WORKER, person=worker)
    with pytest.raises(ValidationError):
        apply(farm, kind=Kind.LOW_INCOME_WORKER, person=None)


@pytest.mark.parametrize("category", ["poor", "near_poor"])
def test_a_worker_of_a_poor_or_near_poor_household_is_refused(geography, farm, worker, category):
    decided_lists(geography["muong_hoong"], 2025, {farm: category})
    with pytest.raises(ValidationError, match="không phải là người lao động có thu nhập thấp"):
        apply(farm, kind=Kind.LOW_INCOME_WORKER, person=worker)
    with pytest.raises(ValidationError, match="form 04|mẫu 04"):
        apply(farm)
    assert not StatusApplication.objects.exists()


def test_a_worker_of_a_household_of_average_living_standard_applies(geography, farm, worker):
    decided_lists(geography["muong_hoong"], 2025, {farm: "average"})
    assert apply(farm, kind=Kind.LOW_INCOME_WORKER, person=worker).eligible


@pytest.mark.parametrize("kind", [Kind.FARM_HOUSEHOLD, Kind.LOW_INCOME_WORKER])
def test_no_application_is_assessed_under_decree_351(farm, worker, kind):
    with pytest.raises(ValidationError, match="không có khoảng mức sống trung bình"):
        apply(farm, requested_on=D(2027, 3, 3), kind=kind, person=worker)


def test_a_student_applies_but_does_not_meet_the_criteria(farm):
    student = make_person("Y Thu", birth_year=2006, employment=Person.Employment.STUDENT)
    Member.objects.create(household=farm, person=student, relation="child")
    application = apply(farm, kind=Kind.LOW_INCOME_WORKER, person=student)
    assert not application.eligible


def test_a_read_only_role_cannot_apply_or_move(farm, viewer):
    with pytest.raises(PermissionDenied):
        application_services.record_application(
            household=farm, requested_on=REQUESTED_ON, by=viewer, **AVERAGE_INCOME
        )
    application = apply(farm)
    with pytest.raises(PermissionDenied):
        application_services.move_application(
            application=application, to_state=State.POSTED, on=D(2025, 3, 17), by=viewer
        )


# Pages ------------------------------------------------------------------------------------------


def test_the_household_page_records_a_worker_chosen_among_its_members(
    geography, farm, worker, client_of, muong_hoong_officer
):
    client = client_of(muong_hoong_officer)
    url = reverse("households:application_request", args=[farm.pk])
    stranger = make_person("A Khách")
    base = {"kind": "low_income_worker", "requested_on": "03/03/2025", **AVERAGE_INCOME}
    response = client.post(url, {**base, "person": stranger.pk})
    assert response.status_code == 200 and "person" in response.context["form"].errors
    response = client.post(url, base)
    assert response.status_code == 200 and "person" in response.context["form"].errors
    response = client.post(url, {**base, "person": worker.pk})
    application = StatusApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
    assert application.person == worker
    page = client.get(farm.get_absolute_url()).content.decode()
    assert application.get_absolute_url() in page
    # The same request again is said on the form, not a 500.
    response = client.post(url, {**base, "person": worker.pk})
    assert response.status_code == 200 and "đang được xem xét" in response.content.decode()


def test_the_application_page_takes_it_through_its_steps(farm, client_of, muong_hoong_officer):
    application = apply(farm)
    client = client_of(muong_hoong_officer)
    move_url = reverse("households:application_move", args=[application.pk])
    page = client.get(application.get_absolute_url())
    assert page.status_code == 200 and "30/03/2025" in page.content.decode()
    client.post(move_url, {"to_state": "posted", "on": "17/03/2025"})
    complaint_url = reverse("households:application_complaint_add", args=[application.pk])
    client.post(complaint_url, {"received_on": "18/03/2025", "content": "Khiếu nại"})
    complaint = application.complaints.get()
    response = client.post(move_url, {"to_state": "rechecked", "on": "24/03/2025"}, follow=True)
    assert "khiếu nại chưa được phúc tra" in response.content.decode()
    recheck_url = reverse("households:application_complaint_recheck", args=[application.pk, complaint.pk])
    client.post(recheck_url, {"outcome": "Không có căn cứ", "on": "19/03/2025"})
    client.post(move_url, {"to_state": "rechecked", "on": "24/03/2025"})
    response = client.post(move_url, {"to_state": "recognised", "on": "25/03/2025"}, follow=True)
    assert "số quyết định" in response.content.decode()
    client.post(move_url, {"to_state": "recognised", "on": "25/03/2025", "decision_number": "9/QĐ-UBND"})
    response = client.post(move_url, {"to_state": "recognised", "on": "25/03/2025", "decision_number": "9"})
    application.refresh_from_db()
    assert application.state == State.RECOGNISED and application.decision_number == "9/QĐ-UBND"
    assert "Xã đã quyết định" in client.get(response["Location"]).content.decode()


def test_a_complaint_of_another_application_is_not_found_through_this_one(
    farm, client_of, muong_hoong_officer
):
    first, second = apply(farm), apply(farm, kind=Kind.LOW_INCOME_WORKER, person=_member_of(farm))
    for application in (first, second):
        StatusApplication.objects.filter(pk=application.pk).update(
            state=State.POSTED, posting_starts_on=D(2025, 3, 17), posting_ends_on=D(2025, 3, 24)
        )
    complaint = second.complaints.create(received_on=D(2025, 3, 18), content="x")
    url = reverse("households:application_complaint_recheck", args=[first.pk, complaint.pk])
    assert client_of(muong_hoong_officer).post(url, {"outcome": "y", "on": "19/03/2025"}).status_code == 404


def _member_of(household):
    person = make_person("Y Mai", birth_year=1990, employment=Person.Employment.SELF_EMPLOYED)
    Member.objects.create(household=household, person=person, relation="spouse")
    return person


def test_the_list_filters_by_kind_and_step_and_shows_the_overdue(farm, worker, client_of, department_officer):
    overdue = apply(farm)  # requested 3 March 2025: long past its deadline
    step(overdue, State.POSTED, D(2025, 3, 17))
    refused = apply(farm, kind=Kind.LOW_INCOME_WORKER, person=worker)
    step(refused, State.REFUSED, D(2025, 3, 20), reason="Không đủ điều kiện")
    client = client_of(department_officer)
    url = reverse("households:applications")

    def listed(**query):
        return list(client.get(url, query).context["page"].object_list)

    assert set(listed()) == {overdue, refused}
    assert listed(kind="low_income_worker") == [refused]
    assert listed(step="posted") == [overdue]
    assert listed(step="overdue") == [overdue]
    assert listed(step="refused", kind="farm_household") == []
    assert client.get(url).context["overdue"] == 1
    response = client.get(reverse("households:applications_xlsx"), {"kind": "farm_household"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Loại" and len(rows) == 2
    assert rows[1][1] == farm.code and rows[1][9] == "Đã niêm yết" and rows[1][12] == "30/03/2025"
    assert rows[1][13] == "có"


def test_the_candidates_are_the_latest_reviews_suggestions_only(geography, client_of, department_officer):
    commune = geography["muong_hoong"]
    farm_average = make_household(commune, "C1", main_livelihood="agriculture")
    trader_average = make_household(commune, "C2", main_livelihood="trade")
    poor = make_household(commune, "C3", main_livelihood="agriculture")
    rich = make_household(commune, "C4", main_livelihood="agriculture")
    worker = make_person("Y Công", birth_year=1990, employment=Person.Employment.SELF_EMPLOYED)
    student = make_person("Y Học", birth_year=2008, employment=Person.Employment.STUDENT)
    for household, person in (
        (trader_average, worker),
        (trader_average, student),
        (poor, make_person("A Nghèo")),
    ):
        Member.objects.create(household=household, person=person, relation="child")
    decided_lists(
        commune, 2024, {farm_average: "poor", trader_average: "average", poor: "average", rich: "average"}
    )
    decided_lists(commune, 2025, {farm_average: "average", poor: "poor", rich: "not_poor"})
    response = client_of(department_officer).get(reverse("households:application_candidates"))
    rows = {row["review"].household: row for row in response.context["rows"]}
    assert set(rows) == {farm_average, trader_average}
    assert rows[farm_average]["farm"] and rows[farm_average]["workers"] == []
    assert not rows[trader_average]["farm"] and rows[trader_average]["workers"] == [worker]
    assert not StatusApplication.objects.exists()  # a suggestion recognises no one


# Query counts -----------------------------------------------------------------------------------

# Session, user, profile and the issuing body (4); the page's count, its applications with their
# households, villages, communes and workers, and the overdue count (3).
LIST_QUERIES = 4 + 3
# Session, user, profile and the issuing body (4); the application with its household, commune,
# village, worker and who recorded and decided, its complaints (2).
DETAIL_QUERIES = 4 + 2
# Session, user, profile and the issuing body (4); the page's count, its latest reviews with their
# rounds and households, the members of those households with their people (3).
CANDIDATE_QUERIES = 4 + 3


@pytest.mark.parametrize("count", [1, 12])
def test_the_list_runs_a_constant_number_of_queries(
    geography, client_of, department_officer, django_assert_num_queries, count
):
    for n in range(count):
        household = make_household(geography["muong_hoong"], f"L{n}", main_livelihood="agriculture")
        person = _member_of(household)
        apply(household)
        apply(household, kind=Kind.LOW_INCOME_WORKER, person=person)
    client = client_of(department_officer)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("households:applications"))
    assert response.context["page"].paginator.count == 2 * count


@pytest.mark.parametrize("complaints", [1, 6])
def test_the_application_page_runs_a_constant_number_of_queries(
    farm, worker, client_of, department_officer, django_assert_num_queries, complaints
):
    application = apply(farm, kind=Kind.LOW_INCOME_WORKER, person=worker)
    step(application, State.POSTED, D(2025, 3, 17))
    for n in range(complaints):
        application.complaints.create(received_on=D(2025, 3, 18), content=f"Khiếu nại {n}")
    client = client_of(department_officer)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(application.get_absolute_url())
    assert len(response.context["complaints"]) == complaints


@pytest.mark.parametrize("households", [2, 15])
def test_the_candidates_page_runs_a_constant_number_of_queries(
    geography, client_of, department_officer, django_assert_num_queries, households
):
    commune = geography["muong_hoong"]
    listed = {}
    for n in range(households):
        household = make_household(commune, f"K{n}", main_livelihood="agriculture")
        _member_of(household)
        listed[household] = "average"
    decided_lists(commune, 2025, listed)
    client = client_of(department_officer)
    with django_assert_num_queries(CANDIDATE_QUERIES):
        response = client.get(reverse("households:application_candidates"))
    assert len(response.context["rows"]) == households


def test_every_refusal_of_the_procedure_is_translated():
    """The messages of the rule, in the interface's language."""
    with translation.override("vi"):
        for application_move in (
            move(State.REQUESTED, State.POSTED, D(2025, 3, 14)),
            move(State.POSTED, State.RECHECKED, D(2025, 3, 24), open_complaints=1),
            move(State.RECHECKED, State.RECOGNISED, D(2025, 3, 26), last_step_on=D(2025, 3, 25)),
        ):
            with pytest.raises(ValidationError) as refused:
                procedure.check_application_move(application_move)
            with translation.override("en"):
                try:
                    procedure.check_application_move(application_move)
                except ValidationError as error:
                    english = error.messages
            assert refused.value.messages != english
