"""Papers 2 and 8 made from the demo (both communes): every one renders as a PDF on A4 with embedded
fonts and its Vietnamese text, tables as XLSX; another commune's paper is a 404, a viewer gets no ID
numbers; the application pages link their papers; query counts constant in the number of applications."""

import datetime
import io
import time

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from communes import demo as communes_demo
from communes.models import Commune, Role
from households.models import Household, ReviewRound, StatusApplication
from tests.fixtures import demo_for_the_module, make_user
from tests.pdfs import assert_a4_with_embedded_fonts, pdf_text

pytestmark = pytest.mark.django_db
Kind = StatusApplication.Kind
AUGUST = {"year": 2022, "month": 8}  # the demo's monthly review of 15 August 2022


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_the_module(django_db_blocker):
        yield


@pytest.fixture
def communes(demo):
    return [
        Commune.objects.get(code=data["code"])
        for data in (communes_demo.MUONG_HOONG, communes_demo.NGOC_LINH_OLD)
    ]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session["refreshed_at"] = int(time.time())  # no session refresh in the counted queries
    session.save()
    return client


@pytest.fixture
def officer(communes):
    return signed_in(make_user("papers_officer", Role.DEPARTMENT_OFFICER, all_communes=True))


def month_url(name, commune, kind, **month):
    month = month or AUGUST
    return reverse(f"households:application_{name}", args=[commune.pk, kind, month["year"], month["month"]])


def test_every_paper_of_the_demo_renders_as_a_pdf_with_its_vietnamese_text(communes, officer):
    for commune in communes:
        committee = f"ỦY BAN NHÂN DÂN XÃ {commune.name.upper()}"
        review_round = ReviewRound.objects.filter(commune=commune, meetings__isnull=False).order_by("-year")[
            0
        ]
        meeting = review_round.meetings.select_related("village").first()
        head = meeting.results.select_related("review__household").first().review.household.head_name
        expected = {
            reverse("households:round_minutes_pdf", args=[review_round.pk]): [
                "BIÊN BẢN",
                "Bản lưu tại thôn",
                "Bản gửi Ủy ban nhân dân xã",
                f"UBND XÃ {commune.name.upper()}",
                meeting.village.name.upper(),
                head,
            ],
        }
        for kind in Kind.values:
            applications = StatusApplication.objects.filter(household__commune=commune, kind=kind)
            recognised = applications.filter(state="recognised").select_related("household", "person")[0]
            name = recognised.person.full_name if recognised.person_id else recognised.household.head_name
            expected[month_url("posted_pdf", commune, kind)] = [committee, "DANH SÁCH NIÊM YẾT", name]
            expected[month_url("decision_pdf", commune, kind)] = [
                committee,
                "QUYẾT ĐỊNH",
                f"Số: {recognised.decision_number}",
                "CHỦ TỊCH",
                name,
            ]
            refused = applications.get(state="refused")
            expected[reverse("households:application_refusal_pdf", args=[refused.pk])] = [
                committee,
                "THÔNG BÁO",
                "Về việc không công nhận",
                refused.refusal_reason[:40],
            ]
        for url, texts in expected.items():
            reader, text = pdf_text(officer.get(url))
            assert_a4_with_embedded_fonts(reader)
            for wanted in texts:
                assert wanted in text, (url, wanted)


def test_the_round_minutes_pdf_holds_two_copies_of_every_meeting(communes, officer):
    review_round = ReviewRound.objects.filter(commune=communes[0], meetings__isnull=False).order_by("-year")[
        0
    ]
    _reader, text = pdf_text(officer.get(reverse("households:round_minutes_pdf", args=[review_round.pk])))
    meetings = review_round.meetings.count()
    assert text.count("Bản lưu tại thôn") == text.count("Bản gửi Ủy ban nhân dân xã") == meetings


def _workbook(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_lists_open_as_xlsx_with_masked_id_numbers(communes, officer):
    commune = communes[0]
    posted = _workbook(officer.get(month_url("posted_xlsx", commune, Kind.FARM_HOUSEHOLD))).active
    rows = list(posted.iter_rows(values_only=True))
    assert rows[0][1] == "Họ và tên chủ hộ" and len(rows) == 3  # the two farm households posted in August
    decision = _workbook(officer.get(month_url("decision_xlsx", commune, Kind.LOW_INCOME_WORKER))).active
    header, row = list(decision.iter_rows(values_only=True))
    assert header[3] == "Họ và tên người lao động" and row[0] == "125/QĐ-UBND"
    worker = StatusApplication.objects.get(
        household__commune=commune, kind=Kind.LOW_INCOME_WORKER, state="recognised"
    )
    number = worker.person.citizen_id
    assert row[4] == f"{number[0]}xx…{number[-3:]}"


def test_another_communes_officer_gets_404_and_a_viewer_no_id_numbers(communes):
    muong_hoong, ngoc_linh = communes
    client = signed_in(make_user("mh_papers", Role.COMMUNE_OFFICER, communes=[muong_hoong]))
    refused = StatusApplication.objects.filter(household__commune=ngoc_linh, state="refused")[0]
    for url in (
        month_url("posted", ngoc_linh, Kind.FARM_HOUSEHOLD),
        month_url("decision_pdf", ngoc_linh, Kind.LOW_INCOME_WORKER),
        month_url("decision_xlsx", ngoc_linh, Kind.FARM_HOUSEHOLD),
        reverse("households:application_refusal", args=[refused.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(month_url("decision", muong_hoong, "not_a_kind")).status_code == 404
    assert (
        client.get(month_url("decision", muong_hoong, Kind.FARM_HOUSEHOLD, year=2022, month=13)).status_code
        == 404
    )
    recognised = StatusApplication.objects.filter(household__commune=muong_hoong, state="recognised")[0]
    assert client.get(reverse("households:application_refusal", args=[recognised.pk])).status_code == 404
    viewer = signed_in(make_user("papers_viewer", Role.VIEWER, all_communes=True))
    page = viewer.get(month_url("decision", muong_hoong, Kind.LOW_INCOME_WORKER)).content.decode()
    worker = StatusApplication.objects.get(
        household__commune=muong_hoong, kind=Kind.LOW_INCOME_WORKER, state="recognised"
    )
    number = worker.person.citizen_id
    assert worker.person.full_name in page and number not in page and f"{number[0]}xx…" not in page


def test_the_application_pages_link_their_papers(communes, officer):
    commune = communes[0]
    refused = StatusApplication.objects.filter(household__commune=commune, state="refused")[0]
    page = officer.get(refused.get_absolute_url()).content.decode()
    assert reverse("households:application_refusal_pdf", args=[refused.pk]) in page
    recognised = StatusApplication.objects.filter(household__commune=commune, state="recognised")[0]
    page = officer.get(recognised.get_absolute_url()).content.decode()
    assert month_url("decision_pdf", commune, recognised.kind) in page
    assert month_url("posted_pdf", commune, recognised.kind) in page
    listing = officer.get(reverse("households:applications")).content.decode()
    assert month_url("decision", commune, Kind.LOW_INCOME_WORKER) in listing
    assert reverse("households:application_refusal", args=[refused.pk]) in listing


# Session, user and profile (3: a printed document has no site header), the commune (1: an officer of
# all communes reads no list of them), the applications of the month with their households, villages
# and workers, the households' current heads with their people (2).
MONTH_PAPER_QUERIES = 3 + 1 + 2


@pytest.mark.parametrize("more", [0, 30])
@pytest.mark.parametrize("paper", ["posted", "decision"])
def test_the_month_papers_run_a_constant_number_of_queries(
    communes, officer, django_assert_num_queries, more, paper
):
    commune = communes[0]
    households = Household.objects.filter(commune=commune, applications__isnull=True).order_by("pk")[:more]
    day = datetime.date(2022, 8, 10)
    StatusApplication.objects.bulk_create(
        StatusApplication(
            household=household,
            requested_on=day,
            standard="decree_07_2021",
            income_12_months=60_000_000,
            member_count=3,
            monthly_income_per_person=1_666_666,
            eligible=True,
            state="recognised",
            posting_starts_on=datetime.date(2022, 8, 15),
            posting_ends_on=datetime.date(2022, 8, 22),
            decided_on=datetime.date(2022, 8, 29),
            decision_number="130/QĐ-UBND",
        )
        for household in households
    )
    with django_assert_num_queries(MONTH_PAPER_QUERIES):
        page = officer.get(month_url(paper, commune, Kind.FARM_HOUSEHOLD))
    rows = (
        page.context["rows"]
        if paper == "posted"
        else [r for d in page.context["decisions"] for r in d["rows"]]
    )
    assert len(rows) == 2 + more
