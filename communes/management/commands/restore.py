from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backups


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by `manage.py backup`. Everything since is lost."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file")
        parser.add_argument(
            "--yes", action="store_true", help="confirm that the current data is to be replaced"
        )

    def handle(self, *args, file, yes, **options):
        if not yes:
            raise CommandError(
                "This replaces all current data with the backup. Run again with --yes to confirm."
            )
        try:
            backups.restore(Path(file))
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the database from {file}.")
