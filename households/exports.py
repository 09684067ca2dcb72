"""Lists back out to Excel: the rows the user sees on the page, with the filters applied.

Workbooks are written row by row (`core.spreadsheets.xlsx_response`, write-only) from querysets read
in chunks, so memory stays flat. Citizen ID numbers as households.access.citizen_id_as_shown shows them.
The household and review-result exports use the import columns, so a file exported can be imported.
"""

import itertools

from django.db.models import Prefetch

from communes.models import AreaType
from core.documents import in_vietnamese
from core.spreadsheets import xlsx_response
from households.access import citizen_id_as_shown, get_round_for, households_for
from households.forms import HouseholdFilterForm
from households.imports.columns import (
    CHOICE_SEPARATOR,
    FACT_FLAG_COLUMNS,
    HOUSEHOLD_COLUMNS,
    choice_label_vi,
    review_columns,
)
from households.models import (
    Category,
    CauseOfPoverty,
    Household,
    Livelihood,
    Member,
    Relation,
    Sex,
    SupportKind,
)

CHUNK = 1000


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _label(choices, value) -> str:
    return choice_label_vi(choices, value) if value else ""


@in_vietnamese
def households_xlsx(request):
    """One row per current member (a household without members has one row), as the import reads it."""
    scoped = households_for(request.user)
    households = HouseholdFilterForm.for_user(request.GET, request.user, scoped).filter(scoped)
    headers = [c.header for c in HOUSEHOLD_COLUMNS] + ["Phân loại gần nhất", "Danh sách năm"]

    def chunks():
        """The households in list order, CHUNK at a time with their columns and current members: the
        sorted ids are read from one cursor, the columns per chunk (per-row subqueries on a chunk only)."""
        ids = households.values_list("pk", flat=True).iterator(chunk_size=CHUNK)
        while chunk := list(itertools.islice(ids, CHUNK)):
            rows = HouseholdFilterForm.with_columns(Household.objects.filter(pk__in=chunk)).prefetch_related(
                Prefetch(
                    "members",
                    queryset=Member.objects.current().select_related("person").order_by("joined_on", "pk"),
                    to_attr="current_members",
                )
            )
            by_pk = {household.pk: household for household in rows}
            yield [by_pk[pk] for pk in chunk]

    def rows():
        for household in itertools.chain.from_iterable(chunks()):
            base = [
                household.code,
                household.head_name,
                household.village.name,
                household.commune.name,
                household.address,
                _label(AreaType, household.area_type),
                household.ethnicity,
                _label(Livelihood, household.main_livelihood),
                _date(household.registered_on),
            ]
            tail = [_label(Category, household.latest_category), household.latest_category_year or ""]
            members = sorted(household.current_members, key=lambda m: (m.relation != Relation.HEAD, m.pk))
            if not members:
                yield base + [""] * 8 + tail
            for member in members:
                person = member.person
                identifier = citizen_id_as_shown(request.user, person.citizen_id) or ""
                yield (
                    base
                    + [
                        person.full_name,
                        _label(Relation, member.relation),
                        _label(Sex, person.sex),
                        person.birth_year,
                        identifier,
                        citizen_id_as_shown(request.user, person.health_insurance_card) or "",
                        _date(member.joined_on),
                        member.pk,
                    ]
                    + tail
                )

    return xlsx_response("ho-gia-dinh.xlsx", headers, rows(), sheet_title="Hộ gia đình")


@in_vietnamese
def round_results_xlsx(request, pk):
    """A round's results in the review import's columns, with the computed and final categories."""
    review_round = get_round_for(request.user, pk)
    standard = review_round.standard_definition
    columns = review_columns(standard)
    headers = [c.header for c in columns] + [
        "Phân loại theo tiêu chí",
        "Phân loại cuối cùng",
        "Lý do",
        "Phân loại",
    ]
    reviews = (
        review_round.reviews.select_related("household__village")
        .prefetch_related("deprivations", "causes", "supports")
        .order_by("household__village__name", "household__code")
    )

    def rows():
        for review in reviews.iterator(chunk_size=CHUNK):
            deprived = set(review.deprived_keys)
            yield [
                review.household.code,
                review.household.head_name,
                review.household.village.name,
                review.monthly_income_per_person,
                review.a_points,
                *["x" if i.key in deprived else "" for i in standard.indicators],
                review.evidence,
                _date(review.surveyed_on),
                *["x" if getattr(review, c.key) else "" for c in FACT_FLAG_COLUMNS],
                CHOICE_SEPARATOR.join(sorted(_label(CauseOfPoverty, c.cause) for c in review.causes.all())),
                CHOICE_SEPARATOR.join(sorted(_label(SupportKind, s.support) for s in review.supports.all())),
                _label(Category, review.computed_category),
                _label(Category, review.final_category),
                review.final_reason,
                _label(Category, review.category),
            ]

    name = f"ket-qua-ra-soat-{review_round.commune.code}-ds-{review_round.list_year}.xlsx"
    return xlsx_response(name, headers, rows(), sheet_title=f"Danh sách năm {review_round.list_year}")
