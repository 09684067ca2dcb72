"""An action pressed twice at the same moment (two users, a double click) is done once: the other press
waits for it and is told so, never a server error. An import cut off by a lost connection keeps nothing."""

import contextlib
import datetime
import html
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from assistance import services as plan_services
from assistance.models import Activity, Beneficiary, Plan
from assistance.tests.conftest import add_line
from communes.models import Role
from households import application_services, meeting_services, request_services, services
from households.imports import steps
from households.models import (
    Household,
    ImportChange,
    ImportRecord,
    Member,
    Person,
    ReviewRequest,
    ReviewRound,
    StatusApplication,
    VillageMeeting,
)
from households.tests.helpers import make_household, open_survey, survey_as, to_meeting
from households.tests.test_review_imports import HEADERS as REVIEW_HEADERS
from households.tests.workbooks import household_rows, xlsx_upload
from tests.databases import terminate
from tests.fixtures import make_user

# How long the first press waits, at its first write, for the second press to get there too.
WAIT_SECONDS = 0.5


@pytest.fixture
def officers(department_officer):
    """Two users of the department who may do every action below."""
    return department_officer, make_user("officer2", Role.DEPARTMENT_OFFICER, all_communes=True)


def _client(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _at_once(monkeypatch, presses, *, before_write):
    """Runs the two `presses` (callables returning a response) in two threads started together, each
    on its own connection. `before_write` (object, attribute name) is the action's first write after
    it read the state: each thread waits there once for the other, up to WAIT_SECONDS. Without a lock
    both read, then write together (the race, made certain); with one, the second press waits on the
    lock and the first goes on alone once the wait is over."""
    target, name = before_write
    original = getattr(target, name)
    meet = threading.Barrier(2, timeout=WAIT_SECONDS)
    waited = set()

    def write(*args, **kwargs):
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            with contextlib.suppress(threading.BrokenBarrierError):
                meet.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, write)
    start = threading.Barrier(2)
    responses = [None, None]

    def run(index):
        try:
            start.wait()
            responses[index] = presses[index]()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


# The actions ---------------------------------------------------------------------------------------
# Each builds its own records (the loops below run them one after the other in one database) and
# says how two users press it, its first write after reading the state, what the one who did it and
# the one refused read on the page they get, and what the database holds after both.


@dataclass
class Action:
    presses: list[Callable]  # each user's press(client), following the redirect to the page shown
    before_write: tuple  # (object, attribute name)
    done: str
    refused: str
    check: Callable[[], bool]


def open_round(geography, officers):
    mh = geography["muong_hoong"]
    url = reverse("households:commune_rounds", args=[mh.pk])
    return Action(
        presses=[lambda client: client.post(url, {"year": 2023}, follow=True)] * 2,
        before_write=(ReviewRound, "save"),
        done="Đã mở đợt rà soát.",
        refused="đã có đợt rà soát định kỳ cuối năm 2023.",
        check=lambda: ReviewRound.objects.filter(commune=mh, year=2023).count() == 1,
    )


def record_request(geography, officers):
    mh = geography["muong_hoong"]
    household = make_household(mh, "A1")
    url = reverse("households:household_request", args=[household.pk])
    return Action(
        presses=[
            lambda client: client.post(url, {"form": "form_04", "received_on": "01/10/2025"}, follow=True)
        ]
        * 2,
        before_write=(ReviewRequest, "save"),
        done="Đã ghi nhận đơn đề nghị.",
        refused="đã có một đơn theo mẫu này đang chờ giải quyết",
        check=lambda: ReviewRequest.objects.filter(household=household).count() == 1,
    )


def accept_request(geography, officers):
    """Accepting a form 04 request opens one ad-hoc review, however many presses."""
    mh = geography["muong_hoong"]
    household = make_household(mh, "A2")
    request = request_services.record_request(
        commune=mh,
        household=household,
        form="form_04",
        received_on=datetime.date(2025, 10, 1),
        by=officers[0],
    )
    url = reverse("households:request_accept", args=[request.pk])
    return Action(
        presses=[lambda client: client.post(url, {"on": "02/10/2025"}, follow=True)] * 2,
        before_write=(ReviewRound, "save"),
        done="Đã mở rà soát thường xuyên",
        refused="Đơn này đã được giải quyết",
        check=lambda: ReviewRound.objects.filter(reviews__household=household).count() == 1,
    )


def list_households(geography, officers):
    """In a commune of its own: the button that lists every household of the commune."""
    commune = geography["ngoc_linh_old"]
    for code in ("L1", "L2"):
        make_household(commune, code, village_name="Thôn 1")
    review_round = services.open_round(
        commune=commune, year=2022, by=officers[0], on=datetime.date(2022, 9, 1)
    )
    url = reverse("households:round_list_households", args=[review_round.pk])
    return Action(
        presses=[lambda client: client.post(url, {"every": "1"}, follow=True)] * 2,
        before_write=(services, "bulk_create_with_history"),
        done="Đã đưa 2 hộ vào danh sách rà soát.",
        refused="Các hộ đã có trong danh sách của đợt rà soát này.",
        check=lambda: review_round.reviews.count() == 2,
    )


def _plan(mh, by, kind):
    plan = Plan.objects.create(commune=mh, title="Kế hoạch hỗ trợ", from_year=2022, to_year=2023)
    return plan, add_line(plan, by=by, kind=kind)


def approve_plan(geography, officers):
    mh = geography["muong_hoong"]
    plan, _line = _plan(mh, officers[0], Activity.Kind.TRAINING_CLASS)
    url = reverse("assistance:plan_approve", args=[plan.pk])
    return Action(
        presses=[lambda client: client.post(url, {"approved_on": "22/08/2022"}, follow=True)] * 2,
        before_write=(Plan, "save"),
        done="Đã phê duyệt kế hoạch.",
        refused="Kế hoạch này đã được phê duyệt.",
        check=lambda: Plan.objects.get(pk=plan.pk).version == 1 and not plan.amendments.exists(),
    )


def enrol_households(geography, officers):
    mh = geography["muong_hoong"]
    plan, model = _plan(mh, officers[0], Activity.Kind.LIVELIHOOD_MODEL)
    plan_services.approve_plan(plan=plan, by=officers[0], on=datetime.date(2022, 8, 22))
    chosen = {
        "households": [make_household(mh, code).pk for code in ("E1", "E2")],
        "enrolled_on": "01/10/2022",
    }
    url = reverse("assistance:beneficiary_choose", args=[model.pk])
    return Action(
        presses=[lambda client: client.post(url, chosen, follow=True)] * 2,
        before_write=(Beneficiary.objects, "bulk_create"),
        done="Đã đưa 2 hộ vào mô hình.",
        refused="Các hộ này đã tham gia mô hình.",
        check=lambda: model.beneficiaries.count() == 2,
    )


def _dry_run(mh, user, start):
    upload = xlsx_upload(rows=household_rows(3, start=start))
    return steps.check_upload(uploaded=upload, kind="households", commune=mh, user=user)


def import_households(geography, officers):
    """Each user imports their own dry run of the same file: the second finds the households."""
    mh = geography["muong_hoong"]
    records = [_dry_run(mh, user, start=1) for user in officers]

    def check():
        counts = ImportRecord.objects.filter(
            pk__in=[r.pk for r in records], status=ImportRecord.Status.IMPORTED
        )
        households = Household.objects.filter(code__in=["H00001", "H00002", "H00003"])
        return households.count() == 3 and sorted(counts.values_list("new", "unchanged")) == [(0, 3), (3, 0)]

    urls = [reverse("households:import_run", args=[record.pk]) for record in records]
    return Action(
        presses=[lambda client, url=url: client.post(url, follow=True) for url in urls],
        before_write=(services, "bulk_save"),
        done="Đã nhập. 6 dòng: 3 mới",
        refused="Đã nhập. 6 dòng: 0 mới, 0 cập nhật, 3 không đổi",
        check=check,
    )


def import_one_person_in_two_communes(geography, officers):
    """Two communes import the same person (one citizen ID), new to both: a unique value no lock of a
    commune guards, so the second import is refused and may be pressed again."""
    records = [
        steps.check_upload(
            uploaded=xlsx_upload(rows=[[code, "Y Một", village, "Xơ Đăng", "Nông nghiệp", "05/02/2015",
                                        "Y Một", "Chủ hộ", "Nam", 1980, "062080000123"]]),
            kind="households", commune=geography[commune], user=user,
        )
        for code, commune, village, user in (
            ("P1", "muong_hoong", "Làng Mới", officers[0]), ("P2", "ngoc_linh_old", "Thôn 1", officers[1])
        )
    ]  # fmt: skip
    urls = [reverse("households:import_run", args=[record.pk]) for record in records]

    def check():
        statuses = ImportRecord.objects.filter(pk__in=[r.pk for r in records]).values_list(
            "status", flat=True
        )
        return Person.objects.filter(citizen_id="062080000123").count() == 1 and sorted(statuses) == [
            ImportRecord.Status.CHECKED,
            ImportRecord.Status.IMPORTED,
        ]

    return Action(
        presses=[lambda client, url=url: client.post(url, follow=True) for url in urls],
        before_write=(services, "bulk_save"),
        done="Đã nhập. 1 dòng: 1 mới",
        refused="Trong lúc nhập tệp, người khác đã lưu một số hồ sơ trong tệp: chưa nhập gì.",
        check=check,
    )


def import_twice(geography, officers):
    """One user presses Import twice on one dry run."""
    mh = geography["muong_hoong"]
    record = _dry_run(mh, officers[0], start=11)
    url = reverse("households:import_run", args=[record.pk])
    return Action(
        presses=[lambda client: client.post(url, follow=True)] * 2,
        before_write=(services, "bulk_save"),
        done="Đã nhập. 6 dòng: 3 mới",
        refused="Tệp này đã được nhập.",
        check=lambda: Household.objects.filter(code__in=["H00011", "H00012", "H00013"]).count() == 3,
    )


def _at_the_meeting_step(commune, code, village_name, by):
    review_round = open_survey(
        commune, 2024, [make_household(commune, code, village_name=village_name)], by=by
    )
    survey_as(review_round.reviews.select_related("household", "round").get(), "poor", by=by)
    return to_meeting(review_round, by=by, on=datetime.date(2024, 11, 1), meetings=False)


def record_meeting(geography, officers):
    review_round = _at_the_meeting_step(geography["muong_hoong"], "V1", "Thôn 2", officers[0])
    review = review_round.reviews.get()
    village = review.household.village
    url = reverse("households:meeting_new", args=[review_round.pk, village.pk])
    data = {"held_on": "02/11/2024", "chair_name": "A Blong", "present": "10", f"agreeing_{review.pk}": "6"}
    return Action(
        presses=[lambda client: client.post(url, data, follow=True)] * 2,
        before_write=(VillageMeeting, "save"),
        done="Đã ghi nhận cuộc họp dân.",
        refused="Các cuộc họp dân của Thôn 2 đã thống nhất mọi kết quả của thôn.",
        check=lambda: review_round.meetings.count() == 1 and review.meeting_results.count() == 1,
    )


def record_minutes_received(geography, officers):
    review_round = _at_the_meeting_step(geography["ngoc_linh_old"], "V2", "Thôn 4", officers[0])
    review = review_round.reviews.get()
    meeting = meeting_services.record_meeting(
        meeting=VillageMeeting(
            round=review_round,
            village=review.household.village,
            held_on=datetime.date(2024, 11, 2),
            chair_name="A Lâm",
            present=8,
        ),
        agreeing={review.pk: 8},
        by=officers[0],
    )
    url = reverse("households:meeting_minutes_received", args=[meeting.pk])
    return Action(
        presses=[lambda client: client.post(url, {"on": "04/11/2024"}, follow=True)] * 2,
        before_write=(VillageMeeting, "save"),
        done="Đã ghi nhận xã nhận được bản biên bản họp dân.",
        refused="Xã đã nhận bản biên bản này ngày 04/11/2024.",
        check=lambda: (
            VillageMeeting.objects.get(pk=meeting.pk).commune_copy_received_on == datetime.date(2024, 11, 4)
        ),
    )


def record_application(geography, officers):
    household = make_household(geography["muong_hoong"], "D1", main_livelihood="agriculture")
    url = reverse("households:application_request", args=[household.pk])
    data = {
        "kind": "farm_household",
        "requested_on": "03/03/2025",
        "income_12_months": 96_000_000,
        "member_count": 4,
    }
    return Action(
        presses=[lambda client: client.post(url, data, follow=True)] * 2,
        before_write=(StatusApplication, "save"),
        done="Đã ghi nhận đơn đề nghị: đủ điều kiện",
        refused="Đã có một đơn đề nghị loại này đang được xem xét.",
        check=lambda: StatusApplication.objects.filter(household=household).count() == 1,
    )


def recognise_application(geography, officers):
    household = make_household(geography["muong_hoong"], "D2", main_livelihood="agriculture")
    application = application_services.record_application(
        household=household,
        requested_on=datetime.date(2025, 3, 3),
        income_12_months=96_000_000,
        member_count=4,
        by=officers[0],
    )
    for state, on in (("posted", datetime.date(2025, 3, 17)), ("rechecked", datetime.date(2025, 3, 24))):
        application_services.move_application(application=application, to_state=state, on=on, by=officers[0])
    url = reverse("households:application_move", args=[application.pk])
    data = {"to_state": "recognised", "on": "25/03/2025", "decision_number": "8/QĐ-UBND"}
    return Action(
        presses=[lambda client: client.post(url, data, follow=True)] * 2,
        before_write=(StatusApplication, "save"),
        done="Đã ghi nhận bước.",
        refused="Xã đã quyết định về đơn đề nghị này.",
        check=lambda: StatusApplication.objects.filter(pk=application.pk, state="recognised").exists(),
    )


# Pressed again by one user (a page left open, Back then the button again), and at once by two.
PRESSED_AGAIN = [
    open_round,
    record_request,
    accept_request,
    list_households,
    approve_plan,
    enrol_households,
    import_twice,
    record_meeting,
    record_minutes_received,
    record_application,
    recognise_application,
]
PRESSED_AT_ONCE = [*PRESSED_AGAIN, import_households, import_one_person_in_two_communes]


def _what_each_read(action, responses) -> list[tuple[int, bool, bool]]:
    """Each press's page: its status, whether it says the action was done, and that it was refused."""
    pages = [html.unescape(response.content.decode()) for response in responses]
    return [
        (r.status_code, action.done in page, action.refused in page)
        for r, page in zip(responses, pages, strict=True)
    ]


def test_an_action_pressed_again_says_it_is_done(geography, officers):
    client = _client(officers[0])
    read = {}
    for build in PRESSED_AGAIN:
        action = build(geography, officers)
        responses = [action.presses[0](client) for _ in range(2)]
        read[build.__name__] = (_what_each_read(action, responses), action.check())
    assert read == {name: ([(200, True, False), (200, False, True)], True) for name in read}


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3",
    reason="SQLite's test database is in memory, where a second thread fails at once on a table lock "
    "('database table is locked') instead of waiting, as writers do on the file database (IMMEDIATE "
    "transactions); the test above checks the second press there",
)
@pytest.mark.django_db(transaction=True)
def test_an_action_pressed_twice_at_once_is_done_once(geography, officers, monkeypatch):
    read = {}
    for build in PRESSED_AT_ONCE:
        action = build(geography, officers)
        users = [officers[0]] * 2 if build is import_twice else officers  # a double click: one user
        clients = [_client(user) for user in users]
        with monkeypatch.context() as patch:
            responses = _at_once(
                patch,
                [
                    lambda p=press, c=client: p(c)
                    for press, client in zip(action.presses, clients, strict=True)
                ],
                before_write=action.before_write,
            )
        read[build.__name__] = (sorted(_what_each_read(action, responses)), action.check())
    assert read == {name: ([(200, False, True), (200, True, False)], True) for name in read}


def test_a_page_read_before_another_users_change_is_refused_on_what_the_database_holds(geography, officers):
    """The services read the round or the activity again once locked, not as the page found it."""
    mh, by = geography["muong_hoong"], officers[0]
    make_household(mh, "S1")
    review_round = services.open_round(commune=mh, year=2022, by=by, on=datetime.date(2022, 9, 1))
    ReviewRound.objects.filter(pk=review_round.pk).update(state=ReviewRound.State.VILLAGE_MEETING)
    with pytest.raises(ValidationError, match="Chỉ lập danh sách hộ trong bước chuẩn bị"):
        services.list_households(review_round=review_round, by=by)
    _plan_of_model, model = _plan(mh, by, Activity.Kind.LIVELIHOOD_MODEL)
    Activity.objects.filter(pk=model.pk).update(status=Activity.Status.CANCELLED, cancel_reason="bỏ")
    with pytest.raises(ValidationError, match="Hoạt động này đã bị hủy"):
        plan_services.enrol_households(
            activity=model, households=Household.objects.all(), enrolled_on=datetime.date(2022, 10, 1), by=by
        )
    assert not review_round.reviews.exists() and not model.beneficiaries.exists()
    request = application_services.record_application(
        household=Household.objects.get(code="S1"),
        requested_on=datetime.date(2022, 10, 1),
        income_12_months=30_000_000,
        member_count=4,
        by=by,
    )
    StatusApplication.objects.filter(pk=request.pk).update(
        state=StatusApplication.State.REFUSED,
        decided_on=datetime.date(2022, 10, 10),
        refusal_reason="Thu nhập",
    )
    with pytest.raises(ValidationError, match="Xã đã quyết định"):
        application_services.move_application(
            application=request,
            to_state=StatusApplication.State.REFUSED,
            on=datetime.date(2022, 10, 12),
            reason="Thu nhập",
            by=by,
        )


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="a row lock seen from a second connection; SQLite locks the whole file for every writer",
)
@pytest.mark.django_db(transaction=True)  # the import's own transaction, seen from a second connection
def test_a_round_cannot_move_on_while_its_results_are_imported(geography, department_officer, monkeypatch):
    mh = geography["muong_hoong"]
    review_round = open_survey(mh, 2022, [make_household(mh, "R1")], by=department_officer)
    results = xlsx_upload(REVIEW_HEADERS, [["R1", "", "", 2_500_000, *[""] * 12, ""]])
    record = steps.check_upload(
        uploaded=results, kind="reviews", commune=mh, user=department_officer, year=2022
    )
    original, locked = services.bulk_save, []

    def try_to_move_the_round_meanwhile(*args, **kwargs):
        def move():
            try:
                with transaction.atomic():
                    ReviewRound.objects.select_for_update(nowait=True).get(pk=review_round.pk)
                locked.append(False)
            except OperationalError:  # "could not obtain lock": move_round would wait here
                locked.append(True)
            finally:
                connections.close_all()

        mover = threading.Thread(target=move)
        mover.start()
        mover.join()
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "bulk_save", try_to_move_the_round_meanwhile)
    page = html.unescape(
        _client(department_officer)
        .post(reverse("households:import_run", args=[record.pk]), follow=True)
        .content.decode()
    )
    assert "Đã nhập" in page and locked and all(locked)


# A lost connection -----------------------------------------------------------------------------------


def _drop_connection():
    """As a database restart does: on PostgreSQL the server ends the connection, and the next query
    fails; SQLite has no server, so the next write fails as a disk error would."""
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        terminate(connection.connection.info.backend_pid)
    else:
        raise OperationalError("disk I/O error")


@pytest.mark.django_db(transaction=True)  # the import's own transaction, as in production
def test_an_import_cut_off_by_a_lost_connection_keeps_nothing_and_can_be_run_again(
    geography, department_officer, monkeypatch
):
    record = _dry_run(geography["muong_hoong"], department_officer, start=1)
    client = _client(department_officer)
    url = reverse("households:import_run", args=[record.pk])
    original, calls = services.bulk_save, []

    def cut_off_after_the_households(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 3:  # the households and their history are written, the people are next
            _drop_connection()
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "bulk_save", cut_off_after_the_households)
    response = client.post(url)
    assert calls[:3] == [Household, Household, Person]
    assert response.status_code == 503 and "Tạm thời không kết nối được" in response.content.decode()
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.CHECKED and record.imported_at is None
    written = [Household.objects, Household.history, Person.objects, Member.objects, ImportChange.objects]
    assert [manager.count() for manager in written] == [0, 0, 0, 0, 0]

    monkeypatch.undo()
    assert client.get(record.get_absolute_url()).status_code == 200  # the next request works
    page = html.unescape(client.post(url, follow=True).content.decode())
    assert "Đã nhập. 6 dòng: 3 mới" in page
    assert Household.objects.count() == 3
