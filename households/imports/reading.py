"""What both importers share: the report, the base importer (counting, recording the changes,
writing through services.bulk_save with the change history), and the messages of model checks put
on the columns they are about. The generic reading and parsing is core.spreadsheets'."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from communes.models import Commune, Village
from core.spreadsheets import MAX_UPLOAD_BYTES, TableReader
from households import services
from households.models import ImportChange, ImportRecord

BATCH = 500  # households (or reviews) validated and written together
MAX_LISTED_REJECTIONS = 500  # rows listed in the report; all are counted


@dataclass
class Report:
    """What a dry run found, or an import did: counts, and each rejected row with its column and reason."""

    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    members_new: int = 0
    members_updated: int = 0
    matched_by_name: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    converted: Counter = field(default_factory=Counter)  # legacy encoding → cells converted from it
    rejections: list[dict] = field(default_factory=list)
    rejected_rows: set[int] = field(default_factory=set)

    @property
    def rejected(self) -> int:
        return len(self.rejected_rows)

    def reject(self, row: int, column: str, reason: str) -> None:
        self.rejected_rows.add(row)
        if len(self.rejections) < MAX_LISTED_REJECTIONS:
            self.rejections.append({"row": row, "column": column, "reason": reason})

    def as_json(self) -> dict:
        return {
            "rows": self.rows,
            "members_new": self.members_new,
            "members_updated": self.members_updated,
            "matched_by_name": self.matched_by_name,
            "unknown_columns": self.unknown_columns,
            "converted": dict(self.converted),
            "rejections": sorted(self.rejections, key=lambda r: r["row"]),
        }

    def summary(self) -> str:
        return _(
            "%(rows)s rows: %(new)s new, %(updated)s updated, %(unchanged)s unchanged, "
            "%(rejected)s rows rejected."
        ) % {
            "rows": self.rows,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }


class Importer:
    """What both imports share: reading, counting, recording, writing in batches."""

    kind: str

    def __init__(
        self,
        *,
        commune: Commune,
        user,
        write: bool = False,
        record: ImportRecord | None = None,
        max_bytes: int = MAX_UPLOAD_BYTES,
    ):
        self.commune, self.user, self.write, self.record = commune, user, write, record
        self.max_bytes = max_bytes
        self.report = Report()
        self._changes: list[ImportChange] = []

    def read(self, source) -> TableReader:
        """The file's rows, counting in the report the cells converted from a legacy encoding."""
        return TableReader(source, self.columns, max_bytes=self.max_bytes, converted=self.report.converted)

    def save(self, model, **rows) -> list:
        """services.bulk_save, each history row naming the user and this import."""
        return services.bulk_save(model, by=self.user, reason=self.reason, **rows)

    @property
    def reason(self) -> str:
        if self.record is None:
            return ""
        with translation.override("vi"):
            reason = _("Import %(id)s of the file “%(name)s”") % {
                "id": self.record.pk,
                "name": self.record.file_name,
            }
        return reason[:100]  # django-simple-history's change reason column

    @property
    def writing(self) -> bool:
        """Writes stop at the first rejected row: the transaction will be rolled back anyway."""
        return self.write and not self.report.rejected

    def change(self, row: int, action: str, obj, label: str, before: dict | None = None) -> None:
        if self.record is not None and self.writing:
            self._changes.append(
                ImportChange(
                    record=self.record,
                    row=row,
                    action=action,
                    model=obj._meta.model_name,
                    object_id=obj.pk,
                    label=label[:255],
                    before=before or {},
                )
            )

    def flush_changes(self) -> None:
        if self._changes and self.writing:
            self.save(ImportChange, create=self._changes)
        self._changes = []


def jsonable(value):
    """A value as ImportChange.before keeps it (and as the page shows it)."""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Village):
        return value.name
    return value


def validation_errors(error: ValidationError, reader: TableReader, fields: dict[str, str]) -> list:
    """(column header, message) for each message, on the column of the field it is about."""
    found = []
    for name, messages in error.message_dict.items():
        column = reader.header(fields[name]) if name in fields else ""
        found += [(column, message) for message in messages]
    return found
