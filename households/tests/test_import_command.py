"""The import command: the same checks and report as the pages, for files too large to upload."""

import io

import pytest
from django.core.management import CommandError, call_command

from households.models import Household, ImportRecord
from households.tests.workbooks import HOUSEHOLD_HEADERS, csv_upload, household_rows, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def command(*args):
    out = io.StringIO()
    call_command("import_households", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def big_file(tmp_path):
    path = tmp_path / "ho-gia-dinh.xlsx"
    path.write_bytes(xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(600)))
    return path


def test_a_dry_run_reports_and_changes_nothing(big_file, muong_hoong_officer):
    out = command(str(big_file), "--commune", "23305", "--user", "mh_officer", "--dry-run")
    assert "1200 rows" in out and "600 new" in out and "rows/s" in out
    assert not Household.objects.exists() and not ImportRecord.objects.exists()


def test_the_command_imports_records_and_a_second_run_changes_nothing(big_file, muong_hoong_officer):
    out = command(str(big_file), "--commune", "23305", "--user", "mh_officer")
    assert "Imported" in out and Household.objects.count() == 600
    record = ImportRecord.objects.get()
    assert record.status == ImportRecord.Status.IMPORTED and record.new == 600 and len(record.checksum) == 64
    assert record.changes.count() == 600 + 1200
    out = command(str(big_file), "--commune", "23305", "--user", "mh_officer")
    assert "600 unchanged" in out and Household.objects.count() == 600


def test_a_rejected_row_stops_the_command_with_its_row_and_reason(tmp_path, muong_hoong_officer):
    rows = list(household_rows(3))
    rows[4][2] = "Thôn 99"
    path = tmp_path / "loi.csv"
    path.write_bytes(csv_upload(HOUSEHOLD_HEADERS, rows).read())
    with pytest.raises(CommandError, match="nothing was imported|không có dòng nào|không nhập"):
        command(str(path), "--commune", "23305", "--user", "mh_officer")
    assert not Household.objects.exists()
    record = ImportRecord.objects.get()
    assert record.status == ImportRecord.Status.REJECTED and record.rejected == 1
    assert record.report["rejections"][0]["row"] == 6
