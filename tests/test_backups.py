"""A backup restores the data exactly as it was, on SQLite and on PostgreSQL."""

import pytest
from django.core.management import CommandError, call_command

from communes import demo
from communes.models import Commune, Village

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_then_restore_brings_the_data_back(tmp_path, capsys):
    demo.seed_geography()
    before = sorted(Village.objects.values_list("commune__name", "name"))
    target = tmp_path / "nightly.backup"
    call_command("backup", "--output", str(target))
    assert "Backed up to" in capsys.readouterr().out
    assert target.stat().st_size > 0

    Village.objects.all().delete()
    Commune.objects.filter(code="23300").update(name="Changed after the backup")

    call_command("restore", str(target), "--yes")
    assert sorted(Village.objects.values_list("commune__name", "name")) == before
    assert Commune.objects.get(code="23300").name == "Ngọc Linh"


def test_restore_needs_confirmation_and_an_existing_file(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.dump"), "--yes")


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database")
    demo.seed_geography()
    with pytest.raises(CommandError):
        call_command("restore", str(junk), "--yes")
    assert Commune.objects.count() == 3


def test_a_backup_is_readable_by_its_owner_only(tmp_path):
    demo.seed_geography()
    target = tmp_path / "new-folder" / "nightly.backup"
    call_command("backup", "--output", str(target))
    assert target.stat().st_mode & 0o777 == 0o600
    assert target.parent.stat().st_mode & 0o777 == 0o700


def test_restore_refuses_a_backup_of_another_schema_version(tmp_path):
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    demo.seed_geography()
    target = tmp_path / "nightly.backup"
    call_command("backup", "--output", str(target))
    # This installation moves on by one migration after the backup was made.
    MigrationRecorder(connection).record_applied("communes", "9999_from_a_later_version")
    with pytest.raises(CommandError, match="another schema version"):
        call_command("restore", str(target), "--yes")
    assert Commune.objects.count() == 3
    MigrationRecorder(connection).record_unapplied("communes", "9999_from_a_later_version")
    call_command("restore", str(target), "--yes")
    assert Commune.objects.count() == 3
