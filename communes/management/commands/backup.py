import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core import backups


class Command(BaseCommand):
    help = (
        "Back up the whole database to a file (SQLite: an online copy; PostgreSQL: pg_dump custom format). "
        "Restore it with `manage.py restore FILE --yes`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="file to write; default backups/commune-assist-<time>.<sqlite3|dump>"
        )

    def handle(self, *args, output, **options):
        if output:
            destination = Path(output)
        else:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            destination = Path("backups") / f"commune-assist-{stamp}{backups.default_suffix()}"
        try:
            written = backups.backup(destination)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        digest = hashlib.sha256(written.read_bytes()).hexdigest()
        self.stdout.write(
            f"Backed up to {written} ({written.stat().st_size:,} bytes, sha256 {digest[:16]}…)."
        )
