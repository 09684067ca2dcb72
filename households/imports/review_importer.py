"""A year's review results from Excel or CSV: one row per household, into the commune's periodic round.

As the household import: one pass for the dry run and the import, `BATCH` rows at a time. Results are
classified by `poverty.classify` and the category set by `HouseholdReview.apply`, as
`services.record_survey` does.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from communes.models import Commune, Village, today
from core.spreadsheets import RowParser, SpreadsheetError, cell_text, header_key, parse_yes_no
from core.text import fold
from households import poverty, services
from households.imports.columns import (
    CAUSES,
    FACT_COLUMNS,
    FACT_FLAG_COLUMNS,
    SUPPORTS,
    review_columns,
)
from households.imports.reading import BATCH, Importer, Report, jsonable
from households.models import (
    CauseOfPoverty,
    Deprivation,
    Household,
    HouseholdReview,
    ImportChange,
    ImportRecord,
    PovertyCause,
    ReviewRound,
    SupportKind,
    SupportReceived,
)


@dataclass(frozen=True)
class ReviewChange:
    """A row's new or changed review, the indicators it is deprived in, and the values before."""

    review: HouseholdReview
    deprived: list[str]
    before: dict
    facts: services.HouseholdFacts | None = None  # None: the file has no facts columns


def periodic_round_for(commune: Commune, year: int, *, lock: bool = False) -> ReviewRound:
    """The round a year's results go into: the commune's periodic review, at the survey step. Locked,
    it cannot move to its next step while the results are written."""
    rounds = ReviewRound.objects.filter(commune=commune, year=year, kind=ReviewRound.Kind.PERIODIC)
    review_round = (rounds.select_for_update() if lock else rounds).first()
    if review_round is None:
        raise SpreadsheetError(
            _("%(commune)s has no periodic review of late %(year)s: open it first.")
            % {"commune": commune.name, "year": year}
        )
    if not review_round.accepts_answers:
        raise SpreadsheetError(
            _(
                "The review of late %(year)s of %(commune)s is at the step “%(step)s”: "
                "results are imported at the survey step."
            )
            % {"year": year, "commune": commune.name, "step": review_round.state_label()}
        )
    return review_round


REVIEW_FIELDS = ["monthly_income_per_person", "a_points", "evidence", "computed_category", "category",
                 "final_category", "final_reason", "surveyed_on", "surveyed_by"]  # fmt: skip
FLAG_FIELDS = [column.key for column in FACT_FLAG_COLUMNS]


def _choices_in(parser: RowParser, row, key: str, lookup: dict[str, str], choices) -> tuple[str, ...]:
    """The choices written in one cell, separated by ";" or new lines: each read as `RowParser.choice`."""
    parts = [part.strip() for part in parser.text(row, key).replace("\n", ";").split(";") if part.strip()]
    return tuple(
        sorted({found for part in parts if (found := parser.choice({key: part}, key, lookup, choices))})
    )


class ReviewImporter(Importer):
    kind = ImportRecord.Kind.REVIEWS

    def __init__(self, *, year: int, **kwargs):
        super().__init__(**kwargs)
        self.year = year
        self.round = periodic_round_for(self.commune, year, lock=self.writing)
        self.standard = self.round.standard_definition
        self.columns = review_columns(self.standard)
        self.villages = {header_key(v.name): v for v in Village.objects.filter(commune=self.commune)}
        self.seen: dict[int, int] = {}  # household id → row
        self.today = today()
        self.writes_facts = False  # set once the file is read: whether it has the facts columns

    def run(self, source, *, progress: Callable[[int], None] | None = None) -> Report:
        self.reader = self.read(source)
        self.report.unknown_columns = self.reader.unknown
        self.writes_facts = any(column.key in self.reader.positions for column in FACT_COLUMNS)
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
        codes = {cell_text(row.get("code")) for _n, row in batch}
        households = {
            h.code: h
            for h in Household.objects.filter(commune=self.commune, code__in=codes).select_related("village")
        }
        names = Q()
        for _n, row in batch:
            village = self.villages.get(header_key(cell_text(row.get("village"))))
            if cell_text(row.get("code")) not in households and village and row.get("head_name"):
                names |= Q(head_name_folded=fold(cell_text(row["head_name"])), village=village)
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
        new_reviews, changed_reviews, deprivations, facts, log = [], [], [], [], []
        for number, row in batch:
            decided = self._decide(number, row, households, by_name, reviews)
            if decided is None:
                continue
            (changed_reviews if decided.review.pk else new_reviews).append(decided.review)
            deprivations.append((decided.review, decided.deprived))
            if decided.facts is not None:
                facts.append((decided.review, decided.facts))
            log.append((number, decided.review, decided.before))
        if self.writing:
            fields = REVIEW_FIELDS + FLAG_FIELDS if self.writes_facts else REVIEW_FIELDS
            self.save(HouseholdReview, create=new_reviews)
            self.save(HouseholdReview, update=changed_reviews, fields=fields)
            self.save(
                Deprivation,
                delete=Deprivation.objects.filter(review__in=[r.pk for r in changed_reviews]),
                create=[Deprivation(review=r, indicator=key) for r, keys in deprivations for key in keys],
            )
            if self.writes_facts:
                changed = [r.pk for r in changed_reviews]
                self.save(
                    PovertyCause,
                    delete=PovertyCause.objects.filter(review__in=changed),
                    create=[PovertyCause(review=r, cause=key) for r, f in facts for key in f.causes],
                )
                self.save(
                    SupportReceived,
                    delete=SupportReceived.objects.filter(review__in=changed),
                    create=[SupportReceived(review=r, support=key) for r, f in facts for key in f.supports],
                )
            for number, review, before in log:
                self.change(
                    number,
                    ImportChange.Action.CREATED if not before else ImportChange.Action.UPDATED,
                    review,
                    f"{review.household.code} · {self.year}",
                    before,
                )
        self.flush_changes()

    def _decide(self, number, row, households, by_name, reviews):
        parser = RowParser(self.reader)
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
        facts = self._facts(parser, row, result)
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
            if facts is not None:
                old |= services.HouseholdFacts.of(review).as_values()
                new |= facts.as_values()
            if surveyed_on and surveyed_on != review.surveyed_on:
                old["surveyed_on"], new["surveyed_on"] = jsonable(review.surveyed_on), jsonable(surveyed_on)
            before = {k: v for k, v in old.items() if v != new[k]}
            action = "updated" if before else "same"
        review.household = household
        if action == "same":
            self.report.unchanged += 1
            return None
        self.report.new += action == "new"
        self.report.updated += action == "updated"
        review.monthly_income_per_person, review.a_points, review.evidence = income, a_points, evidence
        if facts is not None:
            for name in FLAG_FIELDS:
                setattr(review, name, getattr(facts, name))
        review.apply(result)
        review.surveyed_on = surveyed_on or review.surveyed_on or self.today
        review.surveyed_by = self.user
        return ReviewChange(review, deprived, before, facts)

    def _facts(self, parser: RowParser, row, result) -> services.HouseholdFacts | None:
        """The row's household facts, None when the file has no facts columns (they stay as they are)."""
        if not self.writes_facts:
            return None
        facts = services.HouseholdFacts(
            **{name: parse_yes_no(row.get(name)) for name in FLAG_FIELDS},
            causes=_choices_in(parser, row, "causes", CAUSES, CauseOfPoverty.choices),
            supports=_choices_in(parser, row, "supports", SUPPORTS, SupportKind.choices),
        )
        if result is not None:
            try:
                facts.check(result.category)
            except ValidationError as error:
                parser.fail("causes", error.messages[0])
        return facts
