"""Households with their members, from Excel or CSV: one row per member, a household's rows together.

One pass over the file does both steps: the dry run (`write=False`) validates every row against the
database and counts what would happen; the import (`write=True`, inside the transaction of
`steps.import_file`) makes the same decisions and writes them in batches. Rows are read in openpyxl's
read-only mode and handled `BATCH` households at a time (a few queries per batch), so memory holds
one batch plus the keys seen so far, whatever the file size.

Households, people and memberships are checked with the models' `clean_fields()`/`clean()` (the
membership and citizen-ID uniqueness checks run once per batch instead of once per row).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import AreaType, Village
from core import citizen_id
from core.spreadsheets import RowParser, header_key
from core.text import fold
from households.access import persons_to_change_for
from households.imports.columns import (
    AREA_TYPES,
    HOUSEHOLD_COLUMNS,
    HOUSEHOLD_FIELDS,
    LIVELIHOODS,
    MEMBER_FIELDS,
    PERSON_FIELDS,
    RELATIONS,
    SEXES,
)
from households.imports.reading import BATCH, Importer, Report, jsonable, validation_errors
from households.models import Household, ImportChange, ImportRecord, Livelihood, Member, Person, Relation, Sex

# An identity number as exports show it to roles that may not read it ("0xx…789", "Dxx…012"): the cell
# keeps the recorded one.
MASKED = re.compile(r"^\wx+…?\w*$")

MATCHING_RULE = gettext_lazy(
    "Existing households are found by commune and household code; a row whose code is not found is "
    "matched by the head's name and the village, if exactly one household has them. Members are found "
    "among the household's current members by the member key of an exported file, then by citizen ID "
    "number, then by full name and year of birth, then by full name alone if only one member has it; "
    "two rows with the same name are two people. "
    "Otherwise a citizen ID number of someone living in no household adds them, if the last household "
    "they lived in is in your communes; the number of anyone else is refused. "
    "Empty cells keep what is recorded; members missing from the file stay as they are."
)


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class PlannedMember:
    """What a member row will do: "new" (person and membership), "new_membership" (a person of the
    user's communes living in no household), "updated" or "same"; `before` holds the changed fields'
    values."""

    action: str
    row: int
    person: Person
    member: Member
    before: dict


class HouseholdImporter(Importer):
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
        self.reader = self.read(source)
        self.report.unknown_columns = self.reader.unknown
        batch: list[_HouseholdGroup] = []
        group: _HouseholdGroup | None = None
        for number, row in self.reader:
            self.report.rows += 1
            parser = RowParser(self.reader)
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

    def _household_fields(self, row, parser: RowParser) -> dict:
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

    def _member_row(self, number, row, parser: RowParser) -> _MemberRow | None:
        full_name = parser.text(row, "full_name")
        if not full_name:
            return None
        identifier, card = (
            "" if MASKED.match(value) else value
            for value in (parser.text(row, "citizen_id"), parser.text(row, "health_insurance_card"))
        )
        person = {
            "full_name": full_name,
            "sex": parser.choice(row, "sex", SEXES, Sex.choices),
            "birth_year": parser.number(row, "birth_year"),
            "citizen_id": citizen_id.normalise(identifier),
            "health_insurance_card": card,
        }
        member = {
            "relation": parser.choice(row, "relation", RELATIONS, Relation.choices),
            "joined_on": parser.date(row, "joined_on"),
        }
        return _MemberRow(number, person, member, parser.number(row, "member_key"))

    def _start_group(self, number, row, parser: RowParser) -> _HouseholdGroup:
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

    def _continue_group(self, group: _HouseholdGroup, number, row, parser: RowParser) -> None:
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
        people, self.in_scope = {}, set()
        if identifiers:
            for person in Person.objects.filter(citizen_id__in=identifiers).prefetch_related(
                models_current_memberships()
            ):
                people[person.citizen_id] = person
            # Anyone else's ID number only says "taken", not by whom.
            self.in_scope = set(
                persons_to_change_for(self.user)
                .filter(citizen_id__in=identifiers)
                .values_list("pk", flat=True)
            )
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
        elif household_changes or any(p.action != "same" for p in planned_members):
            self.report.updated += 1
            self.report.matched_by_name += by_head
        else:
            self.report.unchanged += 1
            self.report.matched_by_name += by_head
        for planned in planned_members:
            if planned.action in ("new", "new_membership"):
                self.report.members_new += 1
            elif planned.action == "updated":
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
                changes[key] = jsonable(getattr(household, key))
                setattr(household, key, value)
        household.commune = self.commune
        if group.errors:
            return changes, household
        try:
            household.clean_fields(exclude=["head_name_folded", "commune"])
            household.clean()
        except ValidationError as error:
            mapping = {k: k for k in HOUSEHOLD_FIELDS} | {"__all__": "code"}
            group.errors += [(group.row, c, m) for c, m in validation_errors(error, self.reader, mapping)]
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
            if person.pk not in self.in_scope:
                errors.append((header("citizen_id"), _("Another person already has this citizen ID number.")))
            elif lives_in is not None:
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
                before[key] = jsonable(getattr(member, key))
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
                errors += validation_errors(error, self.reader, fields)
        if errors:
            group.errors += [(member_row.row, column, reason) for column, reason in errors]
            return None
        return PlannedMember(action, member_row.row, person, member, before)

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
        for member in writes.new_members:
            # Assigned again now that they have ids: setting the ids alone would drop the cached
            # household and person, and the change log would fetch each one again.
            member.household, member.person = member.household, member.person
        self.save(Member, create=writes.new_members)
        self.save(Member, update=writes.changed_members, fields=MEMBER_FIELDS)
        # After the memberships: a person joining a household is changed there (access.times_in).
        for person in writes.changed_people:
            person.full_name_folded = fold(person.full_name)
        self.save(Person, update=writes.changed_people, fields=[*PERSON_FIELDS, "full_name_folded"])
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
        for planned in planned_members:
            member, before = planned.member, planned.before
            member.household = household
            if planned.action == "new":
                self.new_people.append(planned.person)
            elif before and any(k in PERSON_FIELDS for k in before):
                self.changed_people.append(planned.person)
            if planned.action in ("new", "new_membership"):
                self.new_members.append(member)
                self.log.append((planned.row, ImportChange.Action.CREATED, member, {}))
            elif before:
                if any(k in MEMBER_FIELDS for k in before):
                    self.changed_members.append(member)
                self.log.append((planned.row, ImportChange.Action.UPDATED, member, before))


def models_current_memberships():
    return Prefetch(
        "memberships",
        queryset=Member.objects.current().select_related("household"),
        to_attr="current_memberships",
    )
