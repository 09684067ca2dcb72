"""Bringing households with their members, and a year's review results, in from Excel or CSV.

One pass over the file does both steps: the dry run (`write=False`) validates every row against the
database and counts what would happen; the import (`write=True`, inside one transaction, see
`import_file`) makes the same decisions and writes them in batches. Rows are read in openpyxl's
read-only mode and handled `BATCH` households at a time (a few queries per batch), so memory holds
one batch plus the keys seen so far, whatever the file size.

Rules are the pages' rules: households, people and memberships are checked with the models'
`clean_fields()`/`clean()` (the membership and citizen-ID uniqueness checks run once per batch
instead of once per row), and review results are classified by `poverty.classify`, as
`services.record_survey` does. Writes go through `services.bulk_save` only.
"""

import datetime
import hashlib
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import AreaType, Commune, Village, today
from core.spreadsheets import (
    MAX_UPLOAD_BYTES,
    Column,
    SpreadsheetError,
    header_key,
    match_headers,
    parse_date,
    parse_whole_number,
    parse_yes_no,
    read_table,
)
from core.text import fold
from households import poverty, services
from households.models import (
    Deprivation,
    Household,
    HouseholdReview,
    ImportChange,
    ImportRecord,
    Livelihood,
    Member,
    Person,
    Relation,
    ReviewRound,
    Sex,
)

BATCH = 500  # households (or reviews) validated and written together
MAX_LISTED_REJECTIONS = 500  # rows listed in the report; all are counted
IMPORTS_DIR = "imports"
KEEP_CHECKED_FILE = datetime.timedelta(hours=24)
# A citizen ID as exports show it to roles that may not read it: "0xx…789" keeps the recorded one.
MASKED_ID = re.compile(r"^\dx+…?\d*$")

MATCHING_RULE = gettext_lazy(
    "Existing households are found by commune and household code; a row whose code is not found is "
    "matched by the head's name and the village, if exactly one household has them. Members are found "
    "among the household's current members by the member key of an exported file, then by citizen ID "
    "number, then by full name and year of birth, then by full name alone if only one member has it; "
    "two rows with the same name are two people. "
    "Empty cells keep what is recorded; members missing from the file stay as they are."
)


# Columns ------------------------------------------------------------------------------------------

HOUSEHOLD_COLUMNS = [
    Column("code", "Mã hộ", required=True, aliases=("Mã hộ gia đình", "Household code")),
    Column(
        "head_name", "Họ tên chủ hộ", required=True, aliases=("Chủ hộ", "Tên chủ hộ", "Head of household")
    ),
    Column("village", "Thôn, làng", required=True, aliases=("Thôn", "Làng", "Bản", "Thôn/làng", "Village")),
    Column("commune", "Xã", aliases=("Commune",)),
    Column("address", "Địa chỉ", aliases=("Address",)),
    Column("area_type", "Khu vực", aliases=("Area type",)),
    Column("ethnicity", "Dân tộc", aliases=("Ethnicity",)),
    Column("main_livelihood", "Sinh kế chính", aliases=("Main livelihood",)),
    Column("registered_on", "Ngày đăng ký hộ", aliases=("Ngày đăng ký", "Registered on")),
    Column("full_name", "Họ tên thành viên", aliases=("Thành viên", "Họ và tên", "Member")),
    Column("relation", "Quan hệ với chủ hộ", aliases=("Quan hệ", "Relation to the head")),
    Column("sex", "Giới tính", aliases=("Sex",)),
    Column("birth_year", "Năm sinh", aliases=("Year of birth",)),
    Column(
        "citizen_id",
        "Số định danh cá nhân",
        aliases=("Số CCCD", "CCCD", "Căn cước công dân", "Số căn cước", "Citizen ID number"),
    ),
    Column("health_insurance_card", "Số thẻ BHYT", aliases=("Thẻ BHYT", "Health-insurance card")),
    Column("joined_on", "Ngày vào hộ", aliases=("Joined on",)),
    # Exports write it so that a file goes round: members with the same name and year stay apart.
    Column("member_key", "Mã thành viên", aliases=("Member key",)),
]
HOUSEHOLD_FIELDS = ["code", "head_name", "village", "address", "area_type", "ethnicity", "main_livelihood",
                    "registered_on"]  # fmt: skip
PERSON_FIELDS = ["full_name", "sex", "birth_year", "citizen_id", "health_insurance_card"]
MEMBER_FIELDS = ["relation", "joined_on"]

# The indicators' names as the commune's forms write them (DOMAIN.md §3); the last two are Decree
# 351/2025's as reported (to confirm).
INDICATOR_HEADERS = {
    "employment": "Việc làm",
    "dependants": "Người phụ thuộc trong hộ gia đình",
    "nutrition": "Dinh dưỡng",
    "health_insurance": "Bảo hiểm y tế",
    "adult_education": "Trình độ giáo dục của người lớn",
    "child_school_attendance": "Tình trạng đi học của trẻ em",
    "housing_quality": "Chất lượng nhà ở",
    "housing_area_per_capita": "Diện tích nhà ở bình quân đầu người",
    "domestic_water": "Nguồn nước sinh hoạt",
    "hygienic_latrine": "Nhà tiêu hợp vệ sinh",
    "telecom_services": "Sử dụng dịch vụ viễn thông",
    "information_means": "Phương tiện phục vụ tiếp cận thông tin",
    "digital_services": "Sử dụng dịch vụ số",
    "household_waste": "Rác thải sinh hoạt",
}


def review_columns(standard: poverty.Standard) -> list[Column]:
    with translation.override("en"):
        indicators = [
            Column(i.key, INDICATOR_HEADERS.get(i.key, str(i.name)), required=True, aliases=(str(i.name),))
            for i in standard.indicators
        ]
    return [
        Column("code", "Mã hộ", required=True, aliases=("Mã hộ gia đình", "Household code")),
        Column("head_name", "Họ tên chủ hộ", aliases=("Chủ hộ", "Tên chủ hộ", "Head of household")),
        Column("village", "Thôn, làng", aliases=("Thôn", "Làng", "Bản", "Thôn/làng", "Village")),
        Column(
            "income",
            "Thu nhập bình quân đầu người/tháng (đồng)",
            required=True,
            aliases=("Thu nhập bình quân đầu người", "Thu nhập bình quân", "Thu nhập", "Income per person"),
        ),
        Column("a_points", "Điểm A", aliases=("Điểm A (mẫu B2)", "A points")),
        *indicators,
        Column("evidence", "Ghi chú, minh chứng", aliases=("Minh chứng", "Ghi chú", "Evidence notes")),
        Column("surveyed_on", "Ngày rà soát", aliases=("Ngày khảo sát", "Surveyed on")),
    ]


def _choice_lookup(choices, *extra) -> dict[str, str]:
    """Every way a value may be written (key, Vietnamese label, English label) → the stored key."""
    lookup = {}
    for value, label in choices:
        lookup[header_key(value)] = value
        for language in ("en", "vi"):
            with translation.override(language):
                lookup[header_key(str(label))] = value
    for value, names in extra:
        for name in names:
            lookup[header_key(name)] = value
    return lookup


def _choice_label_vi(choices_class, value) -> str:
    if not value:
        return ""
    with translation.override("vi"):
        return str(choices_class(value).label)


# The report -----------------------------------------------------------------------------------------


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


class RowError(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


# Reading rows ---------------------------------------------------------------------------------------


class _Reader:
    """Matches the header row, then gives each non-empty row as {column key: raw value}."""

    def __init__(self, source, columns: list[Column], *, max_bytes: int = MAX_UPLOAD_BYTES):
        self.columns = {c.key: c for c in columns}
        headers, self._rows = read_table(source, max_bytes=max_bytes)
        match = match_headers(headers, columns)
        if match.missing:
            raise SpreadsheetError(
                _("Required columns are missing: %(columns)s. Download the template to see them.")
                % {"columns": ", ".join(f"“{c.header}”" for c in match.missing)}
            )
        self.positions = match.positions
        self.headers = headers
        self.unknown = match.unknown

    def header(self, key: str) -> str:
        position = self.positions.get(key)
        return str(self.headers[position]) if position is not None else self.columns[key].header

    def __iter__(self) -> Iterator[tuple[int, dict]]:
        for number, values in self._rows:  # read_table already took the header row
            row = {
                key: (values[position].strip() if isinstance(values[position], str) else values[position])
                if position < len(values)
                else None
                for key, position in self.positions.items()
            }
            if all(v is None or v == "" for v in row.values()):
                continue
            yield number, row


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


class _Parser:
    """Turns raw cells into field values, collecting (column, reason) for the cells it cannot read."""

    def __init__(self, reader: _Reader):
        self.reader = reader
        self.errors: list[tuple[str, str]] = []

    def fail(self, key: str, reason: str) -> None:
        self.errors.append((self.reader.header(key), reason))

    def text(self, row, key) -> str:
        return _text(row.get(key))

    def number(self, row, key) -> int | None:
        try:
            return parse_whole_number(row.get(key), label=self.reader.header(key))
        except SpreadsheetError as error:
            self.fail(key, str(error))
            return None

    def date(self, row, key) -> datetime.date | None:
        try:
            return parse_date(row.get(key), label=self.reader.header(key))
        except SpreadsheetError as error:
            self.fail(key, str(error))
            return None

    def choice(self, row, key, lookup: dict[str, str], choices) -> str:
        value = self.text(row, key)
        if not value:
            return ""
        found = lookup.get(header_key(value))
        if found is None:
            with translation.override("vi"):
                allowed = ", ".join(str(label) for _value, label in choices)
            self.fail(
                key,
                _("%(label)s: “%(value)s” is not one of: %(choices)s.")
                % {"label": self.reader.header(key), "value": value, "choices": allowed},
            )
            return ""
        return found


def _validation_errors(error: ValidationError, reader: _Reader, fields: dict[str, str]) -> list:
    """(column header, message) for each message, on the column of the field it is about."""
    found = []
    for name, messages in error.message_dict.items():
        column = reader.header(fields[name]) if name in fields else ""
        found += [(column, message) for message in messages]
    return found


# Households ------------------------------------------------------------------------------------------

SEXES = _choice_lookup(Sex.choices, (Sex.MALE, ("M", "Nam giới", "Trai")), (Sex.FEMALE, ("F", "Nu", "Gái")))
RELATIONS = _choice_lookup(
    Relation.choices,
    (Relation.HEAD, ("Chủ hộ", "Chu ho")),
    (Relation.SPOUSE, ("Vợ", "Chồng")),
    (Relation.CHILD, ("Con", "Con trai", "Con gái", "Con đẻ")),
    (Relation.PARENT, ("Bố", "Mẹ", "Cha")),
    (Relation.GRANDCHILD, ("Cháu",)),
    (Relation.SIBLING, ("Anh", "Chị", "Em")),
)
LIVELIHOODS = _choice_lookup(Livelihood.choices)
AREA_TYPES = _choice_lookup(AreaType.choices)


@dataclass
class _MemberRow:
    row: int
    person: dict
    member: dict
    key: int | None = None  # the Member's id, as exported


@dataclass
class _HouseholdGroup:
    code: str
    row: int
    fields: dict
    members: list[_MemberRow] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)


class _Importer:
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


def _jsonable(value):
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Village):
        return value.name
    return value


class HouseholdImporter(_Importer):
    kind = ImportRecord.Kind.HOUSEHOLDS
    columns = HOUSEHOLD_COLUMNS

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        villages = Village.objects.filter(commune=self.commune).order_by(
            F("dissolved_on").asc(nulls_last=True)
        )
        # A current village wins over a dissolved one with the same folded name.
        self.villages = {header_key(v.name): v for v in villages}
        self.commune.area_type  # noqa: B018 - loaded once for Household.clean()
        self.seen_codes: dict[str, int] = {}
        self.seen_ids: dict[str, int] = {}
        self.matched: dict[int, int] = {}  # existing household id → row that matched it
        self.created: set[int] = set()

    def run(self, source, *, progress: Callable[[int], None] | None = None) -> Report:
        self.reader = _Reader(source, self.columns, max_bytes=self.max_bytes)
        self.report.unknown_columns = self.reader.unknown
        batch: list[_HouseholdGroup] = []
        group: _HouseholdGroup | None = None
        for number, row in self.reader:
            self.report.rows += 1
            parser = _Parser(self.reader)
            code = parser.text(row, "code")
            if group is None or code != group.code or not code:
                if group is not None:
                    batch.append(group)
                if len(batch) >= BATCH:
                    self._handle(batch)
                    batch = []
                    if progress:
                        progress(self.report.rows)
                group = self._start_group(number, row, parser)
            else:
                self._continue_group(group, number, row, parser)
        if group is not None:
            batch.append(group)
        self._handle(batch)
        if progress:
            progress(self.report.rows)
        return self.report

    # Parsing

    def _household_fields(self, row, parser: _Parser) -> dict:
        fields = {
            "code": parser.text(row, "code"),
            "head_name": parser.text(row, "head_name"),
            "address": parser.text(row, "address"),
            "ethnicity": parser.text(row, "ethnicity"),
            "area_type": parser.choice(row, "area_type", AREA_TYPES, AreaType.choices),
            "main_livelihood": parser.choice(row, "main_livelihood", LIVELIHOODS, Livelihood.choices),
            "registered_on": parser.date(row, "registered_on"),
        }
        village_name = parser.text(row, "village")
        if village_name:
            village = self.villages.get(header_key(village_name))
            if village is None:
                parser.fail(
                    "village",
                    _("%(commune)s has no village “%(village)s”.")
                    % {"commune": self.commune.name, "village": village_name},
                )
            fields["village"] = village
        commune_name = parser.text(row, "commune")
        if commune_name and header_key(commune_name) not in {
            header_key(self.commune.name),
            header_key(self.commune.code),
        }:
            parser.fail(
                "commune",
                _("This row is for the commune “%(given)s”, not %(commune)s.")
                % {"given": commune_name, "commune": self.commune.name},
            )
        return fields

    def _member_row(self, number, row, parser: _Parser) -> _MemberRow | None:
        full_name = parser.text(row, "full_name")
        if not full_name:
            return None
        identifier = parser.text(row, "citizen_id")
        if MASKED_ID.match(identifier):
            identifier = ""
        person = {
            "full_name": full_name,
            "sex": parser.choice(row, "sex", SEXES, Sex.choices),
            "birth_year": parser.number(row, "birth_year"),
            "citizen_id": re.sub(r"[\s.-]", "", identifier),
            "health_insurance_card": parser.text(row, "health_insurance_card"),
        }
        member = {
            "relation": parser.choice(row, "relation", RELATIONS, Relation.choices),
            "joined_on": parser.date(row, "joined_on"),
        }
        return _MemberRow(number, person, member, parser.number(row, "member_key"))

    def _start_group(self, number, row, parser: _Parser) -> _HouseholdGroup:
        fields = self._household_fields(row, parser)
        code = fields["code"]
        group = _HouseholdGroup(code=code, row=number, fields=fields, rows=[number])
        if not code:
            parser.fail("code", _("The household code is empty."))
        elif code in self.seen_codes:
            parser.fail(
                "code",
                _(
                    "Household %(code)s already came at row %(row)s: "
                    "a household's rows must follow each other."
                )
                % {"code": code, "row": self.seen_codes[code]},
            )
        else:
            self.seen_codes[code] = number
        if not fields["head_name"]:
            parser.fail("head_name", _("This cell is required on a household's first row."))
        if "village" not in fields:
            parser.fail("village", _("This cell is required on a household's first row."))
        member = self._member_row(number, row, parser)
        if member:
            group.members.append(member)
        group.errors += [(number, column, reason) for column, reason in parser.errors]
        return group

    def _continue_group(self, group: _HouseholdGroup, number, row, parser: _Parser) -> None:
        """A further member row: household cells may repeat the first row's, or be empty."""
        group.rows.append(number)
        fields = self._household_fields(row, parser)
        for key, value in fields.items():
            if value and not group.fields.get(key):
                group.fields[key] = value
            elif value and value != group.fields[key]:
                parser.fail(
                    key,
                    _("This differs from row %(row)s of the same household.") % {"row": group.row},
                )
        member = self._member_row(number, row, parser)
        if member:
            group.members.append(member)
        group.errors += [(number, column, reason) for column, reason in parser.errors]

    # Deciding, batch by batch

    def _handle(self, batch: list[_HouseholdGroup]) -> None:
        if not batch:
            return
        by_code = {
            h.code: h
            for h in Household.objects.filter(
                commune=self.commune, code__in=[g.code for g in batch if g.code]
            ).select_related("village")
        }
        by_name: dict[tuple, list[Household]] = {}
        unmatched = [g for g in batch if g.code not in by_code and g.fields.get("village")]
        if unmatched:
            for household in Household.objects.filter(
                commune=self.commune,
                head_name_folded__in={fold(g.fields["head_name"]) for g in unmatched},
                village__in={g.fields["village"] for g in unmatched},
            ).select_related("village"):
                by_name.setdefault((household.head_name_folded, household.village_id), []).append(household)
        plans = []
        for group in batch:
            existing, by_head = by_code.get(group.code), False
            if existing is None and group.fields.get("village"):
                found = [
                    h
                    for h in by_name.get((fold(group.fields["head_name"]), group.fields["village"].pk), [])
                    if h.pk not in self.created
                ]
                if len(found) == 1:
                    existing, by_head = found[0], True
            if existing is not None and existing.pk in self.matched:
                group.errors.append(
                    (
                        group.row,
                        self.reader.header("code"),
                        _("This household was already matched by row %(row)s.")
                        % {"row": self.matched[existing.pk]},
                    )
                )
            elif existing is not None:
                self.matched[existing.pk] = group.row
            plans.append((group, existing, by_head))
        household_ids = [e.pk for _g, e, _b in plans if e is not None]
        current = {}
        for member in Member.objects.current().filter(household__in=household_ids).select_related("person"):
            current.setdefault(member.household_id, []).append(member)
        identifiers = {m.person["citizen_id"] for g in batch for m in g.members if m.person["citizen_id"]}
        people = {}
        if identifiers:
            for person in Person.objects.filter(citizen_id__in=identifiers).prefetch_related(
                models_current_memberships()
            ):
                people[person.citizen_id] = person
        writes = _Writes()
        for group, existing, by_head in plans:
            self._decide(group, existing, by_head, current.get(existing.pk, []) if existing else [], people,
                         writes)  # fmt: skip
        if self.writing:
            self._save(writes)
        self.flush_changes()

    def _decide(self, group, existing, by_head, current, people, writes) -> None:
        household_changes, household = self._household(group, existing)
        planned_members = []
        # Members a row names by key are not matched by name to another row.
        used: set[int] = set()
        keyed = {m.key for m in group.members}
        for member_row in group.members:
            planned = self._member(group, member_row, household, current, people, used, keyed)
            if planned is not None:
                planned_members.append(planned)
        if group.errors:
            for row, column, reason in group.errors:
                self.report.reject(row, column, reason)
            return
        if existing is None:
            self.report.new += 1
        elif household_changes or any(p[0] != "same" for p in planned_members):
            self.report.updated += 1
            self.report.matched_by_name += by_head
        else:
            self.report.unchanged += 1
            self.report.matched_by_name += by_head
        for action, _row, _person, _member, _before in planned_members:
            if action in ("new", "new_membership"):
                self.report.members_new += 1
            elif action == "updated":
                self.report.members_updated += 1
        writes.add(group, household, existing is None, household_changes, planned_members)

    def _household(self, group: _HouseholdGroup, existing: Household | None):
        fields = group.fields
        if existing is None:
            household = Household(
                commune=self.commune, **{k: v for k, v in fields.items() if v or k == "code"}
            )
            for key in ("address", "ethnicity", "area_type"):
                setattr(household, key, fields.get(key) or "")
            if not fields.get("main_livelihood"):
                household.main_livelihood = Livelihood.AGRICULTURE
            changes = {}
        else:
            household = existing
            changes = {}
            for key in HOUSEHOLD_FIELDS:
                value = fields.get(key)
                if value in (None, "") or value == getattr(household, key):
                    continue
                changes[key] = _jsonable(getattr(household, key))
                setattr(household, key, value)
        household.commune = self.commune
        if group.errors:
            return changes, household
        try:
            household.clean_fields(exclude=["head_name_folded", "commune"])
            household.clean()
        except ValidationError as error:
            mapping = {k: k for k in HOUSEHOLD_FIELDS} | {"__all__": "code"}
            group.errors += [(group.row, c, m) for c, m in _validation_errors(error, self.reader, mapping)]
        return changes, household

    def _member(self, group, member_row: _MemberRow, household, current, people, used, keyed):
        values, header = member_row.person, self.reader.header
        identifier = values["citizen_id"]
        errors = []
        if identifier:
            if identifier in self.seen_ids:
                errors.append(
                    (
                        header("citizen_id"),
                        _("This citizen ID number is also at row %(row)s.")
                        % {"row": self.seen_ids[identifier]},
                    )
                )
            self.seen_ids.setdefault(identifier, member_row.row)
        member = None
        if member_row.key is not None:
            member = next((m for m in current if m.pk == member_row.key), None)
        if member is None and identifier:
            member = next((m for m in current if m.person.citizen_id == identifier), None)
        if member is not None and member.pk in used:
            errors.append((header("full_name"), _("This member is already on another row of the household.")))
        if member is None:
            folded = fold(values["full_name"])
            same_name = [
                m
                for m in current
                if m.person.full_name_folded == folded and m.pk not in used and m.pk not in keyed
            ]
            # A row with an ID number is not matched by name to a member recorded with another one.
            fits = [m for m in same_name if not identifier or not m.person.citizen_id]
            member = next((m for m in fits if m.person.birth_year == values["birth_year"]), None)
            if member is None and len(same_name) == 1 and fits:
                member = fits[0]
        person, action, before = None, "new", {}
        if member is not None:
            used.add(member.pk)
            person, action = member.person, "same"
        elif identifier and identifier in people:
            person = people[identifier]
            lives_in = person.current_memberships[0].household if person.current_memberships else None
            if lives_in is not None:
                errors.append(
                    (
                        header("citizen_id"),
                        _(
                            "This citizen ID number is %(name)s's, who lives in household %(code)s: "
                            "record the move there first."
                        )
                        % {"name": person.full_name, "code": lives_in.code},
                    )
                )
            action = "new_membership"
        if person is None:
            person = Person(**{k: v for k, v in values.items() if v not in (None, "")})
            for key in ("citizen_id", "health_insurance_card"):
                setattr(person, key, values[key] or "")
        else:
            for key in PERSON_FIELDS:
                value = values[key]
                if value in (None, "") or value == getattr(person, key):
                    continue
                before[key] = getattr(person, key)
                setattr(person, key, value)
        if member is None:
            member = Member(person=person, **{k: v for k, v in member_row.member.items() if v})
        else:
            for key in MEMBER_FIELDS:
                value = member_row.member[key]
                if value in (None, "") or value == getattr(member, key):
                    continue
                before[key] = _jsonable(getattr(member, key))
                setattr(member, key, value)
        if action == "same" and before:
            action = "updated"
        unreadable = any(row == member_row.row for row, _column, _reason in group.errors)
        if not member.relation:
            errors.append((header("relation"), _("Give the member's relation to the head.")))
        elif not unreadable:
            try:
                person.clean_fields(exclude=["full_name_folded"])
                person.clean()
                member.clean_fields(exclude=["household", "person"])
            except ValidationError as error:
                fields = {k: k for k in PERSON_FIELDS + MEMBER_FIELDS}
                errors += _validation_errors(error, self.reader, fields)
        if errors:
            group.errors += [(member_row.row, column, reason) for column, reason in errors]
            return None
        return action, member_row.row, person, member, before

    def _save(self, writes: "_Writes") -> None:
        now = timezone.now()
        new_households = self.save(Household, create=writes.new_households)
        for household in new_households:
            self.created.add(household.pk)
        for household in writes.changed_households:
            household.head_name_folded = fold(household.head_name)
            household.updated_at = now
        self.save(
            Household,
            update=writes.changed_households,
            fields=[*HOUSEHOLD_FIELDS, "head_name_folded", "updated_at"],
        )
        self.save(Person, create=writes.new_people)
        for person in writes.changed_people:
            person.full_name_folded = fold(person.full_name)
        self.save(Person, update=writes.changed_people, fields=[*PERSON_FIELDS, "full_name_folded"])
        for member in writes.new_members:
            member.household_id, member.person_id = member.household.pk, member.person.pk
        self.save(Member, create=writes.new_members)
        self.save(Member, update=writes.changed_members, fields=MEMBER_FIELDS)
        for row, action, obj, before in writes.log:
            label = str(
                obj.code if isinstance(obj, Household) else f"{obj.person.full_name} · {obj.household.code}"
            )
            self.change(row, action, obj, label, before)


class _Writes:
    """One batch's records to create and update, and the log of what changed (for ImportChange)."""

    def __init__(self):
        self.new_households, self.changed_households = [], []
        self.new_people, self.changed_people = [], []
        self.new_members, self.changed_members = [], []
        self.log = []

    def add(self, group, household, is_new, household_changes, planned_members) -> None:
        if is_new:
            self.new_households.append(household)
            self.log.append((group.row, ImportChange.Action.CREATED, household, {}))
        elif household_changes:
            self.changed_households.append(household)
            self.log.append((group.row, ImportChange.Action.UPDATED, household, household_changes))
        for action, row, person, member, before in planned_members:
            member.household = household
            if action == "new":
                self.new_people.append(person)
            elif before and any(k in PERSON_FIELDS for k in before):
                self.changed_people.append(person)
            if action in ("new", "new_membership"):
                self.new_members.append(member)
                self.log.append((row, ImportChange.Action.CREATED, member, {}))
            elif before:
                if any(k in MEMBER_FIELDS for k in before):
                    self.changed_members.append(member)
                self.log.append((row, ImportChange.Action.UPDATED, member, before))


def models_current_memberships():
    from django.db.models import Prefetch

    return Prefetch(
        "memberships",
        queryset=Member.objects.current().select_related("household"),
        to_attr="current_memberships",
    )


# Review results ---------------------------------------------------------------------------------------


def periodic_round_for(commune: Commune, year: int) -> ReviewRound:
    """The round a year's results go into: the commune's periodic review, at the survey step."""
    review_round = ReviewRound.objects.filter(
        commune=commune, year=year, kind=ReviewRound.Kind.PERIODIC
    ).first()
    if review_round is None:
        raise SpreadsheetError(
            _("%(commune)s has no periodic review for %(year)s: open it first.")
            % {"commune": commune.name, "year": year}
        )
    if not review_round.accepts_answers:
        raise SpreadsheetError(
            _(
                "The %(year)s review of %(commune)s is at the step “%(step)s”: "
                "results are imported at the survey step."
            )
            % {"year": year, "commune": commune.name, "step": review_round.get_state_display()}
        )
    return review_round


REVIEW_FIELDS = ["monthly_income_per_person", "a_points", "evidence", "computed_category", "category",
                 "final_category", "final_reason", "surveyed_on", "surveyed_by"]  # fmt: skip


class ReviewImporter(_Importer):
    kind = ImportRecord.Kind.REVIEWS

    def __init__(self, *, year: int, **kwargs):
        super().__init__(**kwargs)
        self.year = year
        self.round = periodic_round_for(self.commune, year)
        self.standard = self.round.standard_definition
        self.columns = review_columns(self.standard)
        self.villages = {header_key(v.name): v for v in Village.objects.filter(commune=self.commune)}
        self.seen: dict[int, int] = {}  # household id → row
        self.today = today()

    def run(self, source, *, progress: Callable[[int], None] | None = None) -> Report:
        self.reader = _Reader(source, self.columns, max_bytes=self.max_bytes)
        self.report.unknown_columns = self.reader.unknown
        batch = []
        for number, row in self.reader:
            self.report.rows += 1
            batch.append((number, row))
            if len(batch) >= BATCH:
                self._handle(batch)
                batch = []
                if progress:
                    progress(self.report.rows)
        self._handle(batch)
        if progress:
            progress(self.report.rows)
        return self.report

    def _handle(self, batch) -> None:
        if not batch:
            return
        codes = {_text(row.get("code")) for _n, row in batch}
        households = {
            h.code: h
            for h in Household.objects.filter(commune=self.commune, code__in=codes).select_related("village")
        }
        names = Q()
        for _n, row in batch:
            village = self.villages.get(header_key(_text(row.get("village"))))
            if _text(row.get("code")) not in households and village and row.get("head_name"):
                names |= Q(head_name_folded=fold(_text(row["head_name"])), village=village)
        by_name: dict[tuple, list] = {}
        if names:
            for household in Household.objects.filter(names, commune=self.commune):
                by_name.setdefault((household.head_name_folded, household.village_id), []).append(household)
        reviews = {
            r.household_id: r
            for r in self.round.reviews.filter(
                household__in=[h.pk for h in households.values()]
                + [h.pk for found in by_name.values() for h in found]
            ).prefetch_related("deprivations")
        }
        new_reviews, changed_reviews, deprivations, log = [], [], [], []
        for number, row in batch:
            decided = self._decide(number, row, households, by_name, reviews)
            if decided is None:
                continue
            action, review, deprived, before = decided
            (changed_reviews if review.pk else new_reviews).append(review)
            deprivations.append((review, deprived))
            log.append((number, action, review, before))
        if self.writing:
            self.save(HouseholdReview, create=new_reviews)
            self.save(HouseholdReview, update=changed_reviews, fields=REVIEW_FIELDS)
            self.save(
                Deprivation,
                delete=Deprivation.objects.filter(review__in=[r.pk for r in changed_reviews]),
                create=[Deprivation(review=r, indicator=key) for r, keys in deprivations for key in keys],
            )
            for number, _action, review, before in log:
                self.change(
                    number,
                    ImportChange.Action.CREATED if not before else ImportChange.Action.UPDATED,
                    review,
                    f"{review.household.code} · {self.year}",
                    before,
                )
        self.flush_changes()

    def _decide(self, number, row, households, by_name, reviews):
        parser = _Parser(self.reader)
        code = parser.text(row, "code")
        household = households.get(code)
        if household is None:
            village = self.villages.get(header_key(parser.text(row, "village")))
            found = by_name.get((fold(parser.text(row, "head_name")), village.pk if village else None), [])
            if len(found) == 1:
                household = found[0]
                self.report.matched_by_name += 1
        if household is None:
            parser.fail(
                "code",
                _("No household of %(commune)s has the code “%(code)s”: import the households first.")
                % {"commune": self.commune.name, "code": code},
            )
        elif household.pk in self.seen:
            parser.fail(
                "code",
                _("This household's results are also at row %(row)s.") % {"row": self.seen[household.pk]},
            )
        else:
            self.seen[household.pk] = number
        income = parser.number(row, "income")
        a_points = parser.number(row, "a_points")
        surveyed_on = parser.date(row, "surveyed_on")
        evidence = (
            parser.text(row, "evidence") if row.get("evidence") is None else str(row["evidence"]).strip()
        )
        deprived = sorted(i.key for i in self.standard.indicators if parse_yes_no(row.get(i.key)))
        result = None
        if household is not None and not parser.errors:
            try:
                result = poverty.classify(
                    self.standard, household.area_type, income, deprived, a_points=a_points
                )
            except poverty.ClassificationError as error:
                parser.fail("a_points" if a_points is not None else "income", str(error))
        if surveyed_on and surveyed_on > self.today:
            parser.fail("surveyed_on", _("The survey date cannot be in the future."))
        if parser.errors:
            for column, reason in parser.errors:
                self.report.reject(number, column, reason)
            return None
        review = reviews.get(household.pk)
        before = {}
        if review is None or not review.is_surveyed:
            action = "new"
            if review is None:
                review = HouseholdReview(round=self.round, household=household)
        else:
            old = {
                "monthly_income_per_person": review.monthly_income_per_person,
                "a_points": review.a_points,
                "evidence": review.evidence,
                "deprived": sorted(review.deprived_keys),
            }
            new = {"monthly_income_per_person": income, "a_points": a_points, "evidence": evidence,
                   "deprived": deprived}  # fmt: skip
            if surveyed_on and surveyed_on != review.surveyed_on:
                old["surveyed_on"], new["surveyed_on"] = _jsonable(review.surveyed_on), _jsonable(surveyed_on)
            before = {k: v for k, v in old.items() if v != new[k]}
            action = "updated" if before else "same"
        review.household = household
        if action == "same":
            self.report.unchanged += 1
            return None
        self.report.new += action == "new"
        self.report.updated += action == "updated"
        review.monthly_income_per_person, review.a_points, review.evidence = income, a_points, evidence
        review.apply(result)
        review.surveyed_on = surveyed_on or review.surveyed_on or self.today
        review.surveyed_by = self.user
        return action, review, deprived, before


# Files between the two steps, and the two steps ----------------------------------------------------


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
        importer = importer_for(
            kind, commune=commune, user=user, year=year, write=True, record=record, max_bytes=max_bytes
        )
        report = importer.run(source, progress=progress)
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


def record_rejection(record: ImportRecord, report: Report) -> None:
    """An import refused for its rejected rows stays recorded, with them."""
    _fill(record, report)
    record.status = ImportRecord.Status.REJECTED
    record.save()


def run_checked(*, record: ImportRecord, user) -> Report:
    """Step two from the page: the file kept at step one, if unchanged, imported; then deleted."""
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


# Templates ---------------------------------------------------------------------------------------------

HOUSEHOLD_NOTES = {
    "code": "Bắt buộc. Mã hộ trong xã; các dòng của cùng một hộ phải liền nhau.",
    "head_name": "Bắt buộc ở dòng đầu của hộ.",
    "village": "Bắt buộc ở dòng đầu của hộ: tên thôn, làng như trong phần mềm.",
    "area_type": "Nông thôn hoặc Thành thị; để trống thì lấy theo xã.",
    "main_livelihood": "Ví dụ: Nông nghiệp, Lâm nghiệp, Làm thuê…",
    "registered_on": "dd/mm/yyyy",
    "full_name": "Mỗi thành viên một dòng; để trống nếu dòng chỉ có thông tin hộ.",
    "relation": "Chủ hộ, Vợ/chồng, Con, Bố/mẹ, Cháu, Anh/chị/em, Người thân khác.",
    "sex": "Nam hoặc Nữ.",
    "citizen_id": "12 chữ số.",
    "joined_on": "dd/mm/yyyy",
    "member_key": "Phần mềm ghi khi xuất tệp; giữ nguyên khi sửa tệp xuất, để trống với thành viên mới.",
}
HOUSEHOLD_SAMPLE = {
    "code": "MH-001",
    "head_name": "A Blong",
    "village": "Làng Mới",
    "address": "Làng Mới",
    "area_type": "Nông thôn",
    "ethnicity": "Xơ Đăng",
    "main_livelihood": "Nông nghiệp",
    "registered_on": "01/01/2015",
    "full_name": "A Blong",
    "relation": "Chủ hộ",
    "sex": "Nam",
    "birth_year": 1985,
    "citizen_id": "",
    "health_insurance_card": "",
    "joined_on": "",
    "member_key": "",
}
GENERAL_NOTES = [
    "Dòng đầu là tiêu đề cột; tên cột không phân biệt hoa thường, dấu và khoảng trắng.",
    "Số viết liền hoặc có dấu chấm ngăn cách (1.500.000); ngày viết dd/mm/yyyy.",
    "Không dùng công thức, không gộp ô ở dòng tiêu đề; tệp tối đa 10 MB.",
    "Hộ đã có được tìm theo mã hộ trong xã, sau đó theo họ tên chủ hộ và thôn.",
    "Ô để trống giữ nguyên thông tin đã có. Nhập thử trước, sau đó mới nhập thật.",
]


def template_columns(kind: str, standard: poverty.Standard) -> tuple[list[Column], dict, dict]:
    if kind == ImportRecord.Kind.REVIEWS:
        columns = review_columns(standard)
        notes = {
            "code": "Bắt buộc: mã hộ đã có trong xã.",
            "income": "Đồng/người/tháng, ví dụ 1.200.000.",
            "a_points": "Điểm A theo mẫu B2, nếu có.",
            "surveyed_on": "dd/mm/yyyy",
        }
        notes |= {i.key: "Ghi x nếu hộ thiếu hụt chỉ số này." for i in standard.indicators}
        sample = {"code": "MH-001", "head_name": "A Blong", "village": "Làng Mới", "income": "1.200.000",
                  "health_insurance": "x", "hygienic_latrine": "x", "nutrition": "x",
                  "evidence": "Phiếu B2 ngày 20/09"}  # fmt: skip
        return columns, notes, sample
    return HOUSEHOLD_COLUMNS, HOUSEHOLD_NOTES, HOUSEHOLD_SAMPLE


def template_workbook(kind: str, standard: poverty.Standard, out) -> None:
    """The expected columns (a note on each header cell), a sample row, and a sheet of instructions."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    columns, notes, sample = template_columns(kind, standard)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Dữ liệu"
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        note = ("Bắt buộc. " if column.required else "") + notes.get(column.key, "")
        if note.strip():
            cell.comment = Comment(note.strip(), "commune-assist")
        sheet.cell(row=2, column=index, value=sample.get(column.key, ""))
        sheet.column_dimensions[cell.column_letter].width = max(12, len(column.header) + 2)
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(["Hướng dẫn nhập dữ liệu"])
    guide["A1"].font = Font(bold=True)
    for line in GENERAL_NOTES:
        guide.append([line])
    guide.append([])
    guide.append(["Cột", "Bắt buộc", "Ghi chú"])
    for column in columns:
        guide.append([column.header, "x" if column.required else "", notes.get(column.key, "")])
    guide.column_dimensions["A"].width = 40
    guide.column_dimensions["C"].width = 70
    workbook.save(out)
