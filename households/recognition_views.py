"""The commune chairman's decision of a round: its three lists, on a page and in a workbook."""

from django.shortcuts import render
from django.utils import translation

from core.spreadsheets import xlsx_sheets_response
from households import poverty
from households.access import get_round_for
from households.imports.columns import choice_label_vi
from households.models import Category
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


def round_recognition_xlsx(request, pk):
    """The three lists, a sheet each, in Vietnamese whatever the interface language."""
    review_round = get_round_for(request.user, pk)
    with translation.override("vi"):
        headers = [
            "STT",
            "Mã hộ",
            "Họ tên chủ hộ",
            "Thôn, làng",
            "Dân tộc",
            "Phân loại trước",
            "Phân loại",
            "Số giấy chứng nhận",
            "Hộ dân tộc thiểu số",
            "Hộ không có khả năng lao động",
            "Hộ có người có công",
            "Nguyên nhân nghèo",
        ]
        sheets = []
        for entry in recognition_lists(review_round):
            rows = [
                [
                    index,
                    review.household.code,
                    review.household.head_name,
                    review.household.village.name,
                    review.household.ethnicity,
                    choice_label_vi(Category, review.previous_category),
                    choice_label_vi(Category, review.category),
                    review.certificate.code if hasattr(review, "certificate") else "",
                    _yes(review.ethnic_minority),
                    _yes(review.no_working_capacity),
                    _yes(review.meritorious),
                    "; ".join(str(cause.get_cause_display()) for cause in review.causes.all()),
                ]
                for index, review in enumerate(entry.reviews, start=1)
            ]
            sheets.append((SHEET_TITLES[entry.key], headers, rows))
        name = f"cong-nhan-{review_round.commune.code}-{review_round.year}-{review_round.pk}.xlsx"
        return xlsx_sheets_response(name, sheets)
