"""Importing households with members from Excel/CSV: bad files, tolerant headers, dry run, all or nothing."""

import html
import io
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from households.imports import steps
from households.imports.columns import HOUSEHOLD_COLUMNS
from households.models import Household, ImportChange, ImportRecord, Member, Person
from households.tests.helpers import make_household, make_person
from households.tests.workbooks import (
    HOUSEHOLD_HEADERS,
    csv_upload,
    household_rows,
    password_protected,
    upload,
    xlsx_bytes,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


def check(client, commune, uploaded, kind="households", year=""):
    return client.post(
        reverse("households:import_new"),
        {"kind": kind, "commune": commune.pk, "year": year, "file": uploaded},
    )


def record_of(response) -> ImportRecord:
    assert response.status_code == 302, response.content.decode()[:3000]
    return ImportRecord.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def run(client, record):
    return client.post(reverse("households:import_run", args=[record.pk]), follow=True)


def counts():
    return Household.objects.count(), Person.objects.count(), Member.objects.count()


@pytest.fixture
def mh(geography):
    return geography["muong_hoong"]


# The two steps ------------------------------------------------------------------------------------


def test_a_dry_run_shows_what_would_happen_and_changes_nothing(client_of, muong_hoong_officer, mh):
    client = client_of(muong_hoong_officer)
    record = record_of(check(client, mh, xlsx_upload(rows=household_rows(3))))
    assert counts() == (0, 0, 0)
    assert (record.rows, record.new, record.updated, record.unchanged, record.rejected) == (6, 3, 0, 0, 0)
    assert record.report["members_new"] == 6
    assert record.status == ImportRecord.Status.CHECKED
    assert steps.stored_path(record) is not None
    response = client.get(record.get_absolute_url())
    page = html.unescape(response.content.decode())
    assert reverse("households:import_run", args=[record.pk]) in page
    assert str(response.context["matching_rule"]) in page


def test_the_import_creates_households_with_members_records_them_and_deletes_the_file(
    client_of, muong_hoong_officer, mh
):
    client = client_of(muong_hoong_officer)
    record = record_of(check(client, mh, xlsx_upload(rows=household_rows(3))))
    path = steps.stored_path(record)
    run(client, record)
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.IMPORTED and record.imported_at
    assert counts() == (3, 6, 6)
    household = Household.objects.get(code="H00001")
    assert household.village.name == "Làng Mới" and household.registered_on.isoformat() == "2015-02-05"
    assert household.area_type == mh.area_type and household.head_name_folded == "y ho 1"
    head = household.members.get(relation="head").person
    assert (head.full_name, head.sex, head.birth_year) == ("Y Hộ 1", "male", 1980)
    assert head.full_name_folded == "y ho 1"
    assert record.changes.filter(action="created", model="household").count() == 3
    assert record.changes.filter(action="created", model="member").count() == 6
    assert record.created_by == muong_hoong_officer and len(record.checksum) == 64
    assert not path.exists() and record.stored_name == ""


def test_reimporting_the_same_file_changes_nothing(client_of, muong_hoong_officer, mh):
    client = client_of(muong_hoong_officer)
    content = xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(4))
    run(client, record_of(check(client, mh, upload(content))))
    before = list(Household.objects.values_list("pk", "updated_at").order_by("pk"))
    second = record_of(check(client, mh, upload(content)))
    assert (second.new, second.updated, second.unchanged, second.rejected) == (0, 0, 4, 0)
    run(client, second)
    second.refresh_from_db()
    assert second.status == ImportRecord.Status.IMPORTED
    assert counts() == (4, 8, 8)
    assert list(Household.objects.values_list("pk", "updated_at").order_by("pk")) == before
    assert not second.changes.exists()


def test_changed_rows_update_the_household_and_keep_the_values_before(client_of, muong_hoong_officer, mh):
    client = client_of(muong_hoong_officer)
    run(client, record_of(check(client, mh, xlsx_upload(rows=household_rows(2)))))
    rows = list(household_rows(2))
    rows[0][3] = "Giẻ Triêng"  # ethnicity of H00001
    rows[1][9] = 1983  # the spouse's year of birth
    record = record_of(check(client, mh, xlsx_upload(rows=rows)))
    assert (record.new, record.updated, record.unchanged) == (0, 1, 1)
    run(client, record)
    assert Household.objects.get(code="H00001").ethnicity == "Giẻ Triêng"
    assert Person.objects.get(full_name="Y Vợ 1").birth_year == 1983
    change = ImportChange.objects.get(record=record, model="household")
    assert change.before == {"ethnicity": "Xơ Đăng"} and change.row == 2


def test_a_household_is_matched_by_head_and_village_when_its_code_is_new(client_of, muong_hoong_officer, mh):
    existing = make_household(mh, "OLD-7", head_name="Y Hộ 1")
    client = client_of(muong_hoong_officer)
    record = record_of(check(client, mh, xlsx_upload(rows=household_rows(1))))
    assert (record.new, record.updated) == (0, 1)
    assert record.report["matched_by_name"] == 1
    run(client, record)
    existing.refresh_from_db()
    assert existing.code == "H00001" and Household.objects.count() == 1


def test_a_rejected_row_is_listed_with_its_number_column_and_reason_and_blocks_the_import(
    client_of, muong_hoong_officer, mh
):
    rows = list(household_rows(3))
    rows[3][2] = "Thôn 99"  # row 5: H00002's village
    rows[4][9] = "năm 1980"  # row 6: not a year
    client = client_of(muong_hoong_officer)
    record = record_of(check(client, mh, xlsx_upload(rows=rows)))
    assert record.rejected == 2 and record.new == 1
    found = {(r["row"], r["column"]) for r in record.report["rejections"]}
    assert found == {(5, "Thôn, làng"), (6, "Năm sinh")}
    reasons = " ".join(r["reason"] for r in record.report["rejections"])
    assert "Thôn 99" in reasons
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Thôn 99" in page and 'action="/households/imports/' not in page
    run(client, record)
    assert counts() == (0, 0, 0)
    assert ImportRecord.objects.get(pk=record.pk).status == ImportRecord.Status.CHECKED


def test_the_import_is_all_or_nothing_when_row_9999_of_10000_is_bad(
    muong_hoong_officer, mh, django_db_blocker
):
    rows = list(household_rows(5000))  # 10,000 rows after the header
    rows[9997][9] = "?"  # spreadsheet row 9,999
    content = xlsx_bytes(HOUSEHOLD_HEADERS, rows)
    record = ImportRecord.objects.create(
        kind="households", commune=mh, file_name="big.xlsx", checksum="-", created_by=muong_hoong_officer
    )
    with pytest.raises(steps.ImportFailed) as failure:
        steps.import_file(
            source=upload(content), kind="households", commune=mh, user=muong_hoong_officer, record=record
        )
    assert [r["row"] for r in failure.value.report.rejections] == [9999]
    assert counts() == (0, 0, 0) and not ImportChange.objects.exists()


def test_a_row_that_became_invalid_after_the_dry_run_rolls_everything_back(
    client_of, muong_hoong_officer, mh
):
    rows = list(household_rows(3))
    rows[5][10] = "062182000123"  # the last spouse's citizen ID (female, born 1982)
    client = client_of(muong_hoong_officer)
    record = record_of(check(client, mh, xlsx_upload(rows=rows)))
    assert record.rejected == 0
    elsewhere = make_household(mh, "OTHER", village_name="Thôn 1")
    Member.objects.create(
        household=elsewhere,
        person=make_person("Y Khác", birth_year=1982, citizen_id="062182000123"),
        relation="head",
    )
    page = run(client, record).content.decode()
    assert Household.objects.count() == 1  # only the other household
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.CHECKED and record.rejected == 1
    assert "OTHER" in page


# Files people bring --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "uploaded, message",
    [
        (upload(b"%PDF-1.4 not a table", "danh-sach.pdf"), ".xlsx"),
        (upload(b"", "rong.xlsx"), ""),
        (upload(b"", "rong.csv"), ""),
        (xlsx_upload(rows=household_rows(1), formula_at="F2"), "F2"),
        (xlsx_upload(rows=household_rows(1), merge="A1:B1"), "1"),
        (xlsx_upload(["Họ tên chủ hộ", "Dân tộc"], [["A", "B"]]), "Mã hộ"),
        (upload(b"\n\n ,,\n", "trong.csv"), ""),
    ],
    ids=["wrong type", "empty xlsx", "empty csv", "formula", "merged header", "missing column", "blank csv"],
)
def test_a_bad_file_gets_a_clear_message_and_changes_nothing(
    client_of, muong_hoong_officer, mh, uploaded, message
):
    response = check(client_of(muong_hoong_officer), mh, uploaded)
    assert response.status_code == 200
    error = response.context["form"].errors["file"][0]
    assert message in error
    assert "Traceback" not in response.content.decode()
    assert not ImportRecord.objects.exists() and counts() == (0, 0, 0)


def test_a_header_without_rows_imports_nothing(client_of, muong_hoong_officer, mh):
    record = record_of(check(client_of(muong_hoong_officer), mh, xlsx_upload(HOUSEHOLD_HEADERS, [])))
    assert (record.rows, record.new) == (0, 0)


def test_a_password_protected_workbook_is_refused_with_a_message(client_of, muong_hoong_officer, mh):
    content = password_protected(xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(1)))
    response = check(client_of(muong_hoong_officer), mh, upload(content, "mat-khau.xlsx"))
    assert "password" in response.context["form"].errors["file"][0].lower() or "mật khẩu" in (
        response.context["form"].errors["file"][0].lower()
    )
    assert not ImportRecord.objects.exists()


def test_a_file_over_10_mb_is_refused_before_reading(client_of, muong_hoong_officer, mh):
    big = upload(b"PK\x03\x04" + b"0" * (10 * 1024 * 1024), "lon.xlsx")
    response = check(client_of(muong_hoong_officer), mh, big)
    assert "10 MB" in response.context["form"].errors["file"][0]
    assert not ImportRecord.objects.exists() and not list(Path(steps.imports_dir()).iterdir())


def test_headers_match_whatever_their_case_diacritics_and_spacing(client_of, muong_hoong_officer, mh):
    headers = ["MA HO", "ho ten  chu ho", "Thon/lang", "Ho ten thanh vien", "quan he voi chu ho",
               "GIOI TINH", "nam sinh", "Ghi chú riêng"]  # fmt: skip
    rows = [["X1", "A Lực", "làng mới", "A Lực", "chu ho", "nam", "1990", "bỏ qua"]]
    record = record_of(check(client_of(muong_hoong_officer), mh, xlsx_upload(headers, rows)))
    assert (record.new, record.rejected) == (1, 0)
    assert record.report["unknown_columns"] == ["Ghi chú riêng"]


def test_csv_in_utf8_with_or_without_bom_and_text_dates_and_numbers(client_of, muong_hoong_officer, mh):
    client = client_of(muong_hoong_officer)
    rows = [["C1", "Đinh Văn Á", "Làng Mới", "Xơ Đăng", "Lâm nghiệp", "5/2/2015", "Đinh Văn Á", "Chủ hộ",
             "Nam", "1.980", ""]]  # fmt: skip
    for bom in (True, False):
        record = record_of(check(client, mh, csv_upload(HOUSEHOLD_HEADERS, rows, bom=bom)))
        assert (record.new, record.rejected) == (1, 0), record.report
    run(client, record)
    household = Household.objects.get(code="C1")
    assert household.main_livelihood == "forestry" and household.registered_on.day == 5
    assert household.members.get().person.birth_year == 1980


def test_the_checked_in_samples_import(client_of, muong_hoong_officer, mh):
    client = client_of(muong_hoong_officer)
    for name in ("ho-gia-dinh.xlsx", "ho-gia-dinh.csv"):
        content = (SAMPLES / name).read_bytes()
        record = record_of(check(client, mh, upload(content, name)))
        assert record.rejected == 0 and record.rows == 5, (name, record.report)
    run(client, record)
    assert Household.objects.filter(commune=mh).count() == 2 and Member.objects.count() == 5
    for name, message in (("cong-thuc.xlsx", "C3"), ("tieu-de-gop-o.xlsx", "1")):
        response = check(client, mh, upload((SAMPLES / name).read_bytes(), name))
        assert message in response.context["form"].errors["file"][0]


def test_the_template_has_every_column_a_note_and_a_sample_row_that_imports(
    client_of, muong_hoong_officer, mh
):
    client = client_of(muong_hoong_officer)
    response = client.get(reverse("households:import_template", args=["households"]))
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header for c in HOUSEHOLD_COLUMNS]
    assert sheet["A1"].comment is not None and sheet["A2"].value == "MH-001"
    record = record_of(check(client, mh, upload(content, "mau.xlsx")))
    assert (record.new, record.rejected) == (1, 0)


# Who may ---------------------------------------------------------------------------------------------


def test_an_outsider_gets_404_and_a_viewer_cannot_import(
    client_of, muong_hoong_officer, other_commune_officer, viewer, mh
):
    record = record_of(check(client_of(muong_hoong_officer), mh, xlsx_upload(rows=household_rows(1))))
    outsider = client_of(other_commune_officer)
    assert outsider.get(record.get_absolute_url()).status_code == 404
    assert outsider.post(reverse("households:import_run", args=[record.pk])).status_code == 404
    response = check(outsider, mh, xlsx_upload(rows=household_rows(1)))
    assert "commune" in response.context["form"].errors
    reader = client_of(viewer)
    assert reader.get(record.get_absolute_url()).status_code == 200
    assert reader.get(reverse("households:import_new")).status_code == 403
    assert reader.post(reverse("households:import_run", args=[record.pk])).status_code == 403
    assert counts() == (0, 0, 0)


def test_only_the_uploader_carries_a_dry_run_through(client_of, muong_hoong_officer, department_officer, mh):
    record = record_of(check(client_of(muong_hoong_officer), mh, xlsx_upload(rows=household_rows(1))))
    assert (
        client_of(department_officer).post(reverse("households:import_run", args=[record.pk])).status_code
        == 403
    )


def test_a_kept_file_that_changed_is_not_imported(client_of, muong_hoong_officer, mh):
    client = client_of(muong_hoong_officer)
    record = record_of(check(client, mh, xlsx_upload(rows=household_rows(1))))
    steps.stored_path(record).write_bytes(xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(2)))
    run(client, record)
    assert counts() == (0, 0, 0)


def test_a_stored_name_that_is_not_ours_is_never_opened(mh, muong_hoong_officer):
    record = ImportRecord(stored_name="../../config/settings.py", commune=mh)
    assert steps.stored_path(record) is None


def test_files_of_dry_runs_not_imported_expire(client_of, muong_hoong_officer, mh):
    record = record_of(check(client_of(muong_hoong_officer), mh, xlsx_upload(rows=household_rows(1))))
    path = steps.stored_path(record)
    assert steps.expire_checked_files(now=record.created_at + steps.KEEP_CHECKED_FILE * 2) == 1
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.EXPIRED and not path.exists()


# Query counts ------------------------------------------------------------------------------------------


def _imports(user, mh, count):
    for number in range(count):
        ImportRecord.objects.create(
            kind="households", commune=mh, file_name=f"f{number}.xlsx", checksum="0" * 64, created_by=user
        )


def test_the_list_of_imports_runs_a_fixed_number_of_queries(
    client_of, muong_hoong_officer, mh, django_assert_num_queries
):
    client = client_of(muong_hoong_officer)
    _imports(muong_hoong_officer, mh, 2)
    # session, user, profile (twice: scope and can_write), scope (communes + predecessors), count, page
    with django_assert_num_queries(8) as small:
        client.get(reverse("households:imports"))
    _imports(muong_hoong_officer, mh, 20)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("households:imports"))


def test_the_import_page_runs_a_fixed_number_of_queries(
    client_of, muong_hoong_officer, mh, django_assert_max_num_queries
):
    client = client_of(muong_hoong_officer)
    small = record_of(check(client, mh, xlsx_upload(rows=household_rows(2))))
    run(client, small)
    large = record_of(check(client, mh, xlsx_upload(rows=household_rows(40, start=10))))
    run(client, large)
    # session, user, profile, scope, the record with its commune and uploader, its changes
    with django_assert_max_num_queries(10) as first:
        client.get(small.get_absolute_url())
    expected = len(first.captured_queries)
    with django_assert_max_num_queries(expected):
        client.get(large.get_absolute_url())
