"""The commune chairman's decision of a round: its three lists, on a page and in a workbook (a row
per member, the twin of the decision's annexes)."""

from django.shortcuts import render
from django.utils import translation

from core.spreadsheets import xlsx_sheets_response
from households import decision, poverty
from households.access import get_round_for
from households.imports.columns import choice_label_vi
from households.models import Category, Relation, Sex
from households.recognition import recognition_lists


def round_recognition(request, pk):
    review_round = get_round_for(request.user, pk)
    return render(
        request,
        "households/recognition.html",
        {"round": review_round, "lists": recognition_lists(review_round)},
    )


# A sheet's title holds 31 characters: the lists' names, shortened.
SHEET_TITLES = {
    poverty.POOR_AND_NEAR_POOR_LIST: "1. Hộ nghèo, hộ cận nghèo",
    poverty.ESCAPED_POVERTY_LIST: "2. Hộ thoát nghèo",
    poverty.ESCAPED_NEAR_POVERTY_LIST: "3. Hộ thoát cận nghèo",
}


def _yes(value: bool) -> str:
    return "x" if value else ""


HOUSEHOLD_HEADERS = [
    "STT",
    "Mã hộ",
    "Họ tên chủ hộ",
    "Thôn, làng",
    "Dân tộc",
    "Phân loại trước",
    "Phân loại",
    "Số giấy chứng nhận",
    "Điểm B1",
    "Số chỉ số thiếu hụt (B2)",
    "Hộ dân tộc thiểu số",
    "Hộ không có khả năng lao động",
    "Hộ có người có công",
    "Nguyên nhân nghèo",
]
MEMBER_HEADERS = ["Họ và tên thành viên", "Quan hệ với chủ hộ", "Năm sinh", "Giới tính"]
MEMBER_ID_HEADER = "Số định danh cá nhân (che)"


def _household_cells(index, review) -> list:
    return [
        index,
        review.household.code,
        review.household.head_name,
        review.household.village.name,
        review.household.ethnicity,
        choice_label_vi(Category, review.previous_category),
        choice_label_vi(Category, review.category),
        review.certificate.code if hasattr(review, "certificate") else "",
        review.a_points,
        len(review.deprivations.all()),
        _yes(review.ethnic_minority),
        _yes(review.no_working_capacity),
        _yes(review.meritorious),
        "; ".join(str(cause.get_cause_display()) for cause in review.causes.all()),
    ]


def _member_rows(index, review, show_ids: bool) -> list[list]:
    """The household's row with its first member, then a row per other member under the household
    code (the decision's annexes as a table: one row a person)."""
    household = _household_cells(index, review)
    blank = [""] * len(household)
    blank[1] = review.household.code
    rows = []
    for number, member in enumerate(review.household.listed_members or [None]):
        cells = household if number == 0 else list(blank)
        if member is not None:
            person = member.person
            cells = cells + [
                person.full_name,
                choice_label_vi(Relation, member.relation),
                person.birth_year,
                choice_label_vi(Sex, person.sex),
            ]
            cells += [member.shown_id] if show_ids else []
        rows.append(cells)
    return rows


def round_recognition_xlsx(request, pk):
    """The three lists, a sheet each, a row per member, in Vietnamese whatever the interface language;
    ID numbers at most masked, as in the decision's annexes."""
    review_round = get_round_for(request.user, pk)
    with translation.override("vi"):
        context = decision.decision_context(review_round, request.user)
        show_ids = context["show_ids"]
        headers = HOUSEHOLD_HEADERS + MEMBER_HEADERS + ([MEMBER_ID_HEADER] if show_ids else [])
        sheets = []
        for annex in context["annexes"]:
            rows = [
                row
                for index, review in enumerate(annex["reviews"], start=1)
                for row in _member_rows(index, review, show_ids)
            ]
            sheets.append((SHEET_TITLES[annex["key"]], headers, rows))
        name = f"cong-nhan-{review_round.commune.code}-{review_round.year}-{review_round.pk}.xlsx"
        return xlsx_sheets_response(name, sheets)
