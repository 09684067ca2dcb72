"""Imports households with members (or a year's review results) from a large .xlsx/.csv on the server.

The same dry run, rules, single transaction and ImportRecord as the import pages, without the upload
size limit, with a progress display.
"""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from communes.models import Commune
from core.spreadsheets import SpreadsheetError
from households.imports import steps
from households.imports.reading import Report
from households.models import ImportRecord


class Command(BaseCommand):
    help = (
        "Import households with members (or, with --reviews --year, a year's review results) from an "
        ".xlsx or UTF-8 .csv file into a commune: every row is checked first; nothing is saved if any "
        "row is rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--commune", required=True, help="Commune code, e.g. 23305.")
        parser.add_argument("--user", required=True, help="Username recorded as the importer.")
        parser.add_argument("--reviews", action="store_true", help="The file holds review results.")
        parser.add_argument("--year", type=int, help="Year of the review (with --reviews).")
        parser.add_argument("--dry-run", action="store_true", help="Check every row, change nothing.")
        parser.add_argument("--max-mb", type=int, default=500, help="Largest file accepted (MB).")

    def handle(self, *args, path: Path, commune, user, reviews, year, dry_run, max_mb, **options):
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        try:
            commune = Commune.objects.get(code=commune)
        except Commune.DoesNotExist:
            raise CommandError(f"No commune with code {commune}.") from None
        try:
            user = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {user}.") from None
        kind = ImportRecord.Kind.REVIEWS if reviews else ImportRecord.Kind.HOUSEHOLDS
        if reviews and not year:
            raise CommandError("--reviews needs --year.")
        total = self._count_rows(path)
        self.started = time.monotonic()
        options = {
            "kind": kind,
            "commune": commune,
            "user": user,
            "year": year,
            "progress": lambda done: self._progress(done, total),
            "max_bytes": max_mb * 1024 * 1024,
        }
        try:
            if dry_run:
                with File(open(path, "rb"), name=path.name) as source:
                    report = steps.dry_run(source=source, **options)
            else:
                report = steps.import_server_file(path=path, **options)
        except steps.ImportFailed as failure:
            self.stdout.write("")
            if failure.report:
                self._report(failure.report)
            raise CommandError(str(failure)) from None
        except SpreadsheetError as error:
            raise CommandError(str(error)) from None
        self.stdout.write("")
        self._report(report)
        seconds = time.monotonic() - self.started
        verb = "Checked (dry run, nothing saved)" if dry_run else "Imported"
        self.stdout.write(
            f"{verb}: {report.summary()} {seconds:.1f} s, {report.rows / max(seconds, 0.001):.0f} rows/s."
        )

    def _count_rows(self, path: Path) -> int | None:
        if path.suffix.lower() == ".csv":
            with open(path, "rb") as source:
                return max(sum(1 for _line in source) - 1, 0)
        return None  # an .xlsx's dimension may be missing or wrong: show rows done only

    def _progress(self, done: int, total: int | None) -> None:
        rate = done / max(time.monotonic() - self.started, 0.001)
        if total:
            filled = int(30 * min(done / total, 1))
            bar = "█" * filled + "·" * (30 - filled)
            self.stdout.write(f"\r[{bar}] {done}/{total} rows, {rate:.0f} rows/s", ending="")
        else:
            self.stdout.write(f"\r{done} rows, {rate:.0f} rows/s", ending="")
        self.stdout.flush()

    def _report(self, report: Report) -> None:
        if report.unknown_columns:
            self.stdout.write("Columns not used: " + ", ".join(report.unknown_columns))
        for encoding, count in report.converted.items():
            self.stdout.write(f"Converted from {encoding} to Unicode: {count} cells.")
        for rejection in sorted(report.rejections, key=lambda r: r["row"]):
            self.stdout.write(f"Row {rejection['row']} · {rejection['column']}: {rejection['reason']}")
