"""Lists out to Excel: the filters applied, IDs masked for roles that may not read them, round trips."""

import io

import openpyxl
import pytest
from django.urls import reverse

from households.models import Household, Member, Person
from households.tests.helpers import make_household, open_survey, survey_as
from households.tests.test_imports import check, record_of, run
from households.tests.workbooks import household_rows, upload, xlsx_upload

pytestmark = pytest.mark.django_db
FULL_ID = "062080012345"  # a man born in 1980, as "Y Hộ 1"
CARD = "DK2626200012345"  # his health-insurance card


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def registry(geography, client_of, muong_hoong_officer):
    client = client_of(muong_hoong_officer)
    run(client, record_of(check(client, geography["muong_hoong"], xlsx_upload(rows=household_rows(3)))))
    head = Person.objects.get(full_name="Y Hộ 1")
    head.citizen_id, head.health_insurance_card = FULL_ID, CARD
    head.save()
    make_household(geography["ngoc_linh_old"], "NL-1", village_name="Thôn 1")
    return geography


def test_export_then_import_gives_the_same_data(registry, client_of, department_admin):
    client = client_of(department_admin)
    rows = sheet_of(client.get(reverse("households:export") + f"?commune={registry['muong_hoong'].pk}"))
    assert len(rows) == 1 + 6 and FULL_ID in rows[1]
    content = io.BytesIO()
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(content)
    before = sorted(
        Household.objects.values_list("code", "head_name", "village__name", "ethnicity", "registered_on")
    )
    people = sorted(Person.objects.values_list("full_name", "birth_year", "sex", "citizen_id"))
    record = record_of(check(client, registry["muong_hoong"], upload(content.getvalue(), "xuat.xlsx")))
    assert (record.new, record.updated, record.unchanged, record.rejected) == (0, 0, 3, 0), record.report
    assert set(record.report["unknown_columns"]) == {"Phân loại gần nhất", "Danh sách năm"}
    run(client, record)
    assert (
        sorted(
            Household.objects.values_list("code", "head_name", "village__name", "ethnicity", "registered_on")
        )
        == before
    )
    assert sorted(Person.objects.values_list("full_name", "birth_year", "sex", "citizen_id")) == people
    # Into an empty database the same file gives the same households and members.
    Member.objects.all().delete()
    Person.objects.all().delete()
    Household.objects.filter(commune=registry["muong_hoong"]).delete()
    run(client, record_of(check(client, registry["muong_hoong"], upload(content.getvalue(), "xuat.xlsx"))))
    assert (
        sorted(
            Household.objects.values_list("code", "head_name", "village__name", "ethnicity", "registered_on")
        )
        == before
    )
    assert sorted(Person.objects.values_list("full_name", "birth_year", "sex", "citizen_id")) == people


def test_a_viewer_gets_no_id_numbers_and_only_the_filtered_rows(registry, client_of, viewer):
    """As on the pages: read-only roles are shown no ID number, neither full nor masked."""
    rows = sheet_of(client_of(viewer).get(reverse("households:export") + "?q=y+ho+1"))
    assert FULL_ID not in str(rows) and "0xx…345" not in str(rows)
    assert CARD not in str(rows) and "Dxx…345" not in str(rows)
    assert rows[1][rows[0].index("Số định danh cá nhân")] is None
    assert {row[0] for row in rows[1:]} == {"H00001"}


def test_a_department_officer_gets_masked_id_numbers(registry, client_of, department_officer):
    rows = sheet_of(client_of(department_officer).get(reverse("households:export") + "?q=y+ho+1"))
    assert FULL_ID not in str(rows) and "0xx…345" in rows[1]
    assert CARD not in str(rows) and "Dxx…345" in rows[1]


def test_a_masked_id_in_a_file_keeps_the_recorded_one(
    registry, client_of, muong_hoong_officer, department_officer
):
    rows = sheet_of(client_of(department_officer).get(reverse("households:export") + "?q=y+ho+1"))
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    client = client_of(muong_hoong_officer)
    record = record_of(check(client, registry["muong_hoong"], upload(content.getvalue(), "xuat.xlsx")))
    assert (record.unchanged, record.rejected) == (1, 0)
    head = Person.objects.get(full_name="Y Hộ 1")
    assert (head.citizen_id, head.health_insurance_card) == (FULL_ID, CARD)


def test_an_officer_exports_only_the_households_of_their_communes(registry, client_of, other_commune_officer):
    rows = sheet_of(client_of(other_commune_officer).get(reverse("households:export")))
    assert [row[0] for row in rows[1:]] == ["NL-1"]


def test_the_household_export_runs_a_fixed_number_of_queries(
    registry, client_of, department_admin, django_assert_num_queries
):
    client = client_of(department_admin)
    # session, user, profile (scope and IDs), years with decisions, the sorted household ids; then per
    # chunk of 1,000 households their columns and their members (one chunk here, and below)
    with django_assert_num_queries(7) as small:
        sheet_of(client.get(reverse("households:export")))
    expected = len(small.captured_queries)  # read now: the next request empties the query log
    client2 = client_of(department_admin)
    run(
        client2,
        record_of(check(client2, registry["muong_hoong"], xlsx_upload(rows=household_rows(30, start=10)))),
    )
    with django_assert_num_queries(expected):
        rows = sheet_of(client.get(reverse("households:export")))
    assert len(rows) > 60


def test_round_results_export_reads_back_as_the_same_results(
    geography, client_of, muong_hoong_officer, viewer, other_commune_officer
):
    mh = geography["muong_hoong"]
    households = [make_household(mh, code) for code in ("R1", "R2")]
    review_round = open_survey(mh, 2022, households)
    for review, category in zip(
        review_round.reviews.order_by("household__code"), ("poor", "near_poor"), strict=True
    ):
        survey_as(review, category)
    url = reverse("households:round_xlsx", args=[review_round.pk])
    assert client_of(other_commune_officer).get(url).status_code == 404
    rows = sheet_of(client_of(viewer).get(url))
    assert rows[0][5] == "Việc làm" and rows[1][-1] == "Hộ nghèo"
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    client = client_of(muong_hoong_officer)
    record = record_of(check(client, mh, upload(content.getvalue(), "kq.xlsx"), "reviews", 2022))
    assert (record.unchanged, record.rejected) == (2, 0), record.report


def test_the_commune_export_follows_the_filter(geography, client_of, department_officer):
    rows = sheet_of(client_of(department_officer).get(reverse("communes:export") + "?status=dissolved"))
    assert {row[1] for row in rows[1:]} == {"Mường Hoong", "Ngọc Linh"}
    assert all(row[9] for row in rows[1:])
