"""Changes of records as people read them, from django-simple-history's historical tables.

`changes(histories)` pairs each historical row with the previous row of the same record and lists what
changed (field, old → new), newest first, in a fixed number of queries whatever the number of rows.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KINDS = {
    "+": gettext_lazy("created"),
    "~": gettext_lazy("changed"),
    "-": gettext_lazy("deleted"),
}
# Not shown: bookkeeping columns and search copies of other fields.
SKIPPED = {"id"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    kind: str
    record: str
    changes: list[Change] = field(default_factory=list)

    @property
    def kind_label(self):
        return KINDS[self.kind]


def end_of(day: datetime.date) -> datetime.datetime:
    """The last moment of `day` in the installation's time zone: "as of 22/8/2022" includes that day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _fields(historical_model):
    """The fields of the record that its history keeps (a model may exclude derived ones)."""
    tracked = {f.name for f in historical_model._meta.concrete_fields}
    return [
        f
        for f in historical_model.instance_type._meta.concrete_fields
        if f.name in tracked
        and f.name not in SKIPPED
        and not f.name.endswith("_folded")
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


class _Shown:
    """Formats stored values: choice labels, yes / no, dates, numbers, related records' names (the
    related records are fetched once per model)."""

    def __init__(self, hidden: dict):
        self.hidden = hidden
        self.related: dict[type, dict] = {}

    def prefetch(self, historical_model, rows):
        for f in _fields(historical_model):
            if f.is_relation:
                ids = {getattr(row, f.attname) for row in rows} - {None}
                known = self.related.setdefault(f.related_model, {})
                missing = ids - set(known)
                if missing:
                    known.update(f.related_model._default_manager.in_bulk(missing))

    def __call__(self, f, value) -> str:
        if f.name in self.hidden:
            return self.hidden[f.name](value)
        if value is None or value == "":
            return "—"
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(f, models.BooleanField):
            return _("yes") if value else _("no")
        if f.is_relation:
            related = self.related.get(f.related_model, {}).get(value)
            return str(related) if related is not None else f"#{value}"
        if isinstance(value, datetime.datetime):
            return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        if isinstance(value, datetime.date):
            return formats.date_format(value, "SHORT_DATE_FORMAT")
        if isinstance(value, int):
            # Money in đồng with its dots (12.000.000); years and counts as they are.
            return formats.number_format(value, force_grouping=abs(value) >= 10_000)
        return str(value)


def changes(*histories, hidden: dict | None = None, label=str, known: dict | None = None) -> list[Entry]:
    """Entries for the historical rows of `histories` (querysets of `Model.history`), newest first.

    `hidden`: field name → function giving what the user may see of a value (citizen ID numbers).
    `label(row)`: the record's name in the list, e.g. "Member: Y Nhung".
    `known`: model → {pk: record} already read, whose names then need no query.
    """
    shown = _Shown(hidden or {})
    for model, records in (known or {}).items():
        shown.related[model] = dict(records)
    entries = []
    for history in histories:
        rows = list(history.select_related("history_user").order_by("id", "history_date", "history_id"))
        if not rows:
            continue
        shown.prefetch(history.model, rows)
        previous = {}
        for row in rows:
            before = previous.get(row.id)
            entry = Entry(
                when=row.history_date,
                who=_who(row.history_user),
                kind=row.history_type,
                record=label(row),
            )
            for f in _fields(history.model):
                new = getattr(row, f.attname)
                old = getattr(before, f.attname) if before is not None else None
                if row.history_type == "+" and new in (None, ""):
                    continue
                if row.history_type == "-" or (before is not None and old == new):
                    continue
                entry.changes.append(
                    Change(str(f.verbose_name).capitalize(), shown(f, old) if before else "", shown(f, new))
                )
            if entry.changes or row.history_type != "~":
                entries.append(entry)
            previous[row.id] = row
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _who(user) -> str:
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()
