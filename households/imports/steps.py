"""The two steps of an import and the file kept between them.

Step one (`check_upload`) runs the dry run on the upload and keeps the file under MEDIA_ROOT/imports
with its checksum; step two (`run_checked`) imports that file, if unchanged, in ONE transaction
(`import_file`): nothing is kept if any row is rejected. The command runs `dry_run` or
`import_server_file` on a file on the server.
"""

import datetime
import hashlib
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import Commune
from core.spreadsheets import MAX_UPLOAD_BYTES
from households import services
from households.imports.household_importer import HouseholdImporter
from households.imports.reading import Report
from households.imports.review_importer import ReviewImporter
from households.models import ImportRecord

IMPORTS_DIR = "imports"
KEEP_CHECKED_FILE = datetime.timedelta(hours=24)


def imports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / IMPORTS_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(uploaded) -> tuple[str, str]:
    """Saves the upload under a random name; returns (stored name, SHA-256 checksum)."""
    suffix = ".csv" if (uploaded.name or "").lower().endswith((".csv", ".txt")) else ".xlsx"
    stored_name = secrets.token_hex(16) + suffix
    digest = hashlib.sha256()
    uploaded.seek(0)
    with open(imports_dir() / stored_name, "xb") as out:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            out.write(chunk)
    uploaded.seek(0)
    return stored_name, digest.hexdigest()


def stored_path(record: ImportRecord) -> Path | None:
    """The kept file, only if its name is one this module made (never a path from elsewhere)."""
    if not re.fullmatch(r"[0-9a-f]{32}\.(xlsx|csv)", record.stored_name or ""):
        return None
    path = imports_dir() / record.stored_name
    return path if path.is_file() else None


def checksum_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def importer_for(kind, *, commune, user, year=None, write=False, record=None, max_bytes=MAX_UPLOAD_BYTES):
    options = {"commune": commune, "user": user, "write": write, "record": record, "max_bytes": max_bytes}
    if kind == ImportRecord.Kind.REVIEWS:
        return ReviewImporter(year=year, **options)
    return HouseholdImporter(**options)


def _fill(record: ImportRecord, report: Report) -> None:
    record.rows, record.new, record.updated = report.rows, report.new, report.updated
    record.unchanged, record.rejected = report.unchanged, report.rejected
    record.report = report.as_json()


def dry_run(
    *, source, kind: str, commune: Commune, user, year=None, progress=None, max_bytes=MAX_UPLOAD_BYTES
) -> Report:
    """Validates every row; changes nothing."""
    importer = importer_for(kind, commune=commune, user=user, year=year, max_bytes=max_bytes)
    return importer.run(source, progress=progress)


def check_upload(*, uploaded, kind: str, commune: Commune, user, year: int | None = None) -> ImportRecord:
    """Step one from the page: a dry run of the upload, kept with its checksum for step two."""
    report = importer_for(kind, commune=commune, user=user, year=year).run(uploaded)
    stored_name, checksum = store_upload(uploaded)
    record = ImportRecord(
        kind=kind,
        commune=commune,
        year=year if kind == ImportRecord.Kind.REVIEWS else None,
        file_name=Path(uploaded.name or "").name[:255],
        checksum=checksum,
        size=uploaded.size or 0,
        stored_name=stored_name,
        created_by=user,
    )
    _fill(record, report)
    record.save()
    return record


class ImportFailed(Exception):
    def __init__(self, message: str, report: Report | None = None):
        super().__init__(message)
        self.report = report


def import_file(
    *,
    source,
    kind: str,
    commune: Commune,
    user,
    year=None,
    record: ImportRecord,
    progress=None,
    max_bytes=MAX_UPLOAD_BYTES,
) -> Report:
    """Step two: the same pass, writing, in ONE transaction; nothing is kept if any row is rejected."""
    with transaction.atomic():
        record = ImportRecord.objects.select_for_update().get(pk=record.pk)
        if record.status == ImportRecord.Status.IMPORTED:
            raise ImportFailed(_("This file was already imported."))
        services.lock_commune(commune)  # the next import waits, then matches what this one wrote
        importer = importer_for(
            kind, commune=commune, user=user, year=year, write=True, record=record, max_bytes=max_bytes
        )
        try:
            report = importer.run(source, progress=progress)
        except IntegrityError as error:
            # Another import or page saved one of these records (a citizen ID in another commune)
            # since this import read them: nothing is kept, and the next run will match it.
            raise ImportFailed(
                _(
                    "Some of these records were saved by someone else while the file was imported: "
                    "nothing was imported. Press “Import these rows” again."
                )
            ) from error
        if report.rejected:
            transaction.set_rollback(True)
            raise ImportFailed(
                _("%(count)s rows are rejected: nothing was imported. Fix them and try again.")
                % {"count": report.rejected},
                report,
            )
        _fill(record, report)
        record.status = ImportRecord.Status.IMPORTED
        record.imported_at = timezone.now()
        record.save()
    return report


def import_server_file(
    *, path: Path, kind: str, commune: Commune, user, year=None, progress=None, max_bytes=MAX_UPLOAD_BYTES
) -> Report:
    """The command's import of a file on the server: recorded, then imported as `import_file` does; a
    file refused for its rejected rows stays recorded with them."""
    record = ImportRecord.objects.create(
        kind=kind,
        commune=commune,
        year=year if kind == ImportRecord.Kind.REVIEWS else None,
        file_name=path.name,
        checksum=checksum_of(path),
        size=path.stat().st_size,
        created_by=user,
    )
    with File(open(path, "rb"), name=path.name) as source:
        try:
            return import_file(
                source=source, kind=kind, commune=commune, user=user, year=year, record=record,
                progress=progress, max_bytes=max_bytes,
            )  # fmt: skip
        except ImportFailed as failure:
            if failure.report is not None:
                record_rejection(record, failure.report)
            raise


def record_rejection(record: ImportRecord, report: Report) -> None:
    """An import refused for its rejected rows stays recorded, with them."""
    _fill(record, report)
    record.status = ImportRecord.Status.REJECTED
    record.save()


def run_checked(*, record: ImportRecord, user) -> Report:
    """Step two from the page: the file kept at step one, if unchanged, imported; then deleted."""
    if record.status == ImportRecord.Status.IMPORTED:  # pressed again: its file is gone
        raise ImportFailed(_("This file was already imported."))
    path = stored_path(record)
    if path is None or record.status != ImportRecord.Status.CHECKED:
        raise ImportFailed(_("The file of this dry run is no longer kept: upload it again."))
    if checksum_of(path) != record.checksum:
        raise ImportFailed(_("The kept file changed since the dry run: upload it again."))
    with File(open(path, "rb"), name=record.file_name) as source:
        try:
            report = import_file(
                source=source, kind=record.kind, commune=record.commune, user=user, year=record.year,
                record=record,
            )  # fmt: skip
        except ImportFailed as failure:
            if failure.report is not None:
                _fill(record, failure.report)
                record.save(update_fields=["rows", "new", "updated", "unchanged", "rejected", "report"])
            raise
    path.unlink(missing_ok=True)
    ImportRecord.objects.filter(pk=record.pk).update(stored_name="")
    return report


def expire_checked_files(now=None) -> int:
    """Deletes the files of dry runs not imported within KEEP_CHECKED_FILE; returns how many."""
    now = now or timezone.now()
    stale = ImportRecord.objects.filter(
        status=ImportRecord.Status.CHECKED, created_at__lt=now - KEEP_CHECKED_FILE
    )
    count = 0
    for record in stale:
        path = stored_path(record)
        if path is not None:
            path.unlink(missing_ok=True)
        count += 1
    stale.update(status=ImportRecord.Status.EXPIRED, stored_name="")
    return count
