"""Paper 8 (DOMAIN.md §4, Decision 24/2021 and Decree 30/2025): for the applications of a commune taken
up by one monthly review (from the 15th), per kind, the posted list and the chairman's decision with its
list as annex; and the written refusal of one application. Print page, PDF and (tables) XLSX; always
Vietnamese; ID numbers at most masked."""

import datetime

from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from communes.access import get_commune_for
from core import documents
from core.spreadsheets import xlsx_sheets_response
from households import procedure
from households.access import applications_for, citizen_id_as_shown, get_application_for
from households.models import Member, Relation, StatusApplication

Kind = StatusApplication.Kind
State = StatusApplication.State

# The papers' wording, by kind, then shared (to confirm: Form 02 of the decision, the legal bases, the
# refusal's wording).
APPLICATION_PAPERS = {
    Kind.FARM_HOUSEHOLD: {
        "subject": "hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp và diêm nghiệp có mức sống trung bình",
        "who": "Họ và tên chủ hộ",
        "unit": "hộ",
        "slug": "ho-nong-nghiep",
        "basis": (
            "Căn cứ Quyết định số 24/2021/QĐ-TTg ngày 16 tháng 7 năm 2021 của Thủ tướng Chính phủ quy định "
            "quy trình rà soát hộ nghèo, hộ cận nghèo hằng năm và quy trình xác định hộ làm nông nghiệp, "
            "lâm nghiệp, ngư nghiệp và diêm nghiệp có mức sống trung bình;"
        ),
    },
    Kind.LOW_INCOME_WORKER: {
        "subject": "người lao động có thu nhập thấp",
        "who": "Họ và tên người lao động",
        "unit": "người",
        "slug": "lao-dong-thu-nhap-thap",
        "basis": "Căn cứ Nghị định số 30/2025/NĐ-CP của Chính phủ;",
    },
}
PAPERS = {
    "list_kind": "Danh sách niêm yết",
    "decision_kind": "Quyết định",
    "decision_symbol": "QĐ-UBND",
    "refusal_kind": "Thông báo",
    "refusal_symbol": "TB-UBND",
    "law_basis": "Căn cứ Luật Tổ chức chính quyền địa phương;",
    "proposal": "Xét đề nghị của công chức phụ trách công tác giảm nghèo xã.",
    "chairman": "Chủ tịch",
    "on_behalf": "TM. Ủy ban nhân dân",
}


def _month_of(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The requests the monthly review of the 15th of `month` takes up: after the previous month's
    15th, up to this month's (`procedure.taken_up_on`)."""
    try:
        review_day = datetime.date(year, month, procedure.MONTHLY_REVIEW_DAY)
    except ValueError as error:
        raise Http404 from error
    previous = (review_day.replace(day=1) - datetime.timedelta(days=1)).replace(
        day=procedure.MONTHLY_REVIEW_DAY
    )
    return previous, review_day


def _kind(kind: str) -> str:
    if kind not in APPLICATION_PAPERS:
        raise Http404
    return kind


def month_applications(user, commune, kind: str, year: int, month: int):
    """The commune's applications of `kind` taken up by the review of `month`, with their household,
    village, worker and current head (for the ID number): 2 queries."""
    after, up_to = _month_of(year, month)
    heads = Member.objects.current().filter(relation=Relation.HEAD).select_related("person")
    return (
        applications_for(user)
        .filter(household__commune=commune, kind=kind, requested_on__gt=after, requested_on__lte=up_to)
        .select_related("household__village", "person")
        .prefetch_related(Prefetch("household__members", queryset=heads, to_attr="heads"))
        .order_by("household__village__name", "household__code", "pk")
    )


def _shown_id(user, application) -> str:
    if application.person_id:
        number = application.person.citizen_id
    else:
        heads = application.household.heads
        number = heads[0].person.citizen_id if heads else ""
    return citizen_id_as_shown(user, number, masked_at_most=True) or ""


def _name(application) -> str:
    return application.person.full_name if application.person_id else application.household.head_name


def _rows(user, applications) -> list[dict]:
    return [
        {
            "application": a,
            "name": _name(a),
            "id_number": _shown_id(user, a),
            "village": a.household.village.name,
        }
        for a in applications
    ]


def _month_context(request, pk, kind, year, month) -> dict:
    commune = get_commune_for(request.user, pk)
    kind = _kind(kind)
    return {
        "commune": commune,
        "kind": kind,
        "year": year,
        "month": month,
        "wording": APPLICATION_PAPERS[kind],
        "papers": PAPERS,
        "issuer": documents.commune_committee(commune),
        "applications": month_applications(request.user, commune, kind, year, month),
        "posting_days": procedure.APPLICATION_POSTING_WORKING_DAYS,
        **_chairman(),
        "urls": {
            name: reverse(f"households:application_{name}", args=[commune.pk, kind, year, month])
            for name in ("posted", "posted_pdf", "posted_xlsx", "decision", "decision_pdf", "decision_xlsx")
        },
    }


def _chairman() -> dict:
    """The signature block of the commune's papers: the chairman signs for the committee; the name is
    written by hand (the app records who entered the decision, not who signed it)."""
    return {
        "signer_on_behalf": PAPERS["on_behalf"].upper(),
        "signer_title": PAPERS["chairman"],
        "signer_name": "",
    }


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


# The posted list ------------------------------------------------------------------------------------


def _posted_context(request, pk, kind, year, month) -> dict:
    context = _month_context(request, pk, kind, year, month)
    posted = [a for a in context["applications"] if a.posting_starts_on]
    issuer = context["issuer"]
    first = min((a.posting_starts_on for a in posted), default=None)
    context["rows"] = _rows(request.user, posted)
    context["place_date"] = (
        documents.place_and_date(issuer["place_name"], first)
        if first
        else documents.undated(issuer["place_name"], year)
    )
    return context


def application_posted(request, pk, kind, year, month, as_pdf=False):
    """The list posted at the commune office and the village halls for 5 working days."""
    with translation.override("vi"):
        context = _posted_context(request, pk, kind, year, month)
    slug = context["wording"]["slug"]
    filename = (
        f"danh-sach-niem-yet-{slug}-{context['commune'].code}-{year}-{month:02d}.pdf" if as_pdf else None
    )
    return documents.document_response(
        request, "households/print_application_list.html", context, pdf_filename=filename
    )


POSTED_HEADERS = [
    "TT",
    "Họ và tên",
    "Thôn",
    "Ngày nộp đơn",
    "Thu nhập bình quân (đồng/người/tháng)",
    "Niêm yết từ ngày",
    "Đến ngày",
    "Ghi chú",
]


def application_posted_xlsx(request, pk, kind, year, month):
    with translation.override("vi"):
        context = _posted_context(request, pk, kind, year, month)
        rows = [
            [
                n,
                row["name"],
                row["village"],
                _date(row["application"].requested_on),
                row["application"].monthly_income_per_person,
                _date(row["application"].posting_starts_on),
                _date(row["application"].posting_ends_on),
                "",
            ]
            for n, row in enumerate(context["rows"], start=1)
        ]
        headers = [context["wording"]["who"] if h == "Họ và tên" else h for h in POSTED_HEADERS]
    slug = context["wording"]["slug"]
    return xlsx_sheets_response(
        f"danh-sach-niem-yet-{slug}-{context['commune'].code}-{year}-{month:02d}.xlsx",
        [("Danh sách niêm yết", headers, rows)],
    )


# The chairman's decision ----------------------------------------------------------------------------


def _decision_context(request, pk, kind, year, month) -> dict:
    """The recognised applications of the month, one decision per decision number (the demo's and a
    commune's practice may number each household's decision apart)."""
    context = _month_context(request, pk, kind, year, month)
    recognised = [a for a in context["applications"] if a.state == State.RECOGNISED]
    decisions: dict[str, list] = {}
    for application in sorted(recognised, key=lambda a: (a.decided_on, a.decision_number)):
        decisions.setdefault(application.decision_number, []).append(application)
    issuer = context["issuer"]
    context["decisions"] = [
        {
            "number": documents.document_number(number, PAPERS["decision_symbol"]),
            "decided_on": max(a.decided_on for a in applications),
            "place_date": documents.place_and_date(
                issuer["place_name"], max(a.decided_on for a in applications)
            ),
            "rows": _rows(request.user, applications),
        }
        for number, applications in decisions.items()
    ]
    return context


def application_decision(request, pk, kind, year, month, as_pdf=False):
    """The chairman's decision(s) recognising the month's applications, each with its list as annex."""
    with translation.override("vi"):
        context = _decision_context(request, pk, kind, year, month)
    slug = context["wording"]["slug"]
    filename = f"quyet-dinh-{slug}-{context['commune'].code}-{year}-{month:02d}.pdf" if as_pdf else None
    return documents.document_response(
        request, "households/print_application_decision.html", context, pdf_filename=filename
    )


DECISION_HEADERS = [
    "Quyết định số",
    "Ngày",
    "TT",
    "Họ và tên",
    "Số định danh cá nhân (che)",
    "Thôn",
    "Thu nhập bình quân (đồng/người/tháng)",
    "Ghi chú",
]


def application_decision_xlsx(request, pk, kind, year, month):
    with translation.override("vi"):
        context = _decision_context(request, pk, kind, year, month)
        rows = [
            [
                decision["number"],
                _date(decision["decided_on"]),
                n,
                row["name"],
                row["id_number"],
                row["village"],
                row["application"].monthly_income_per_person,
                "",
            ]
            for decision in context["decisions"]
            for n, row in enumerate(decision["rows"], start=1)
        ]
        headers = [context["wording"]["who"] if h == "Họ và tên" else h for h in DECISION_HEADERS]
    slug = context["wording"]["slug"]
    return xlsx_sheets_response(
        f"quyet-dinh-{slug}-{context['commune'].code}-{year}-{month:02d}.xlsx",
        [("Danh sách kèm theo", headers, rows)],
    )


# The written refusal --------------------------------------------------------------------------------


def application_refusal(request, pk, as_pdf=False):
    """The commune's written answer to a refused application, with its reason."""
    application = get_application_for(request.user, pk)
    if application.state != State.REFUSED:
        raise Http404
    commune = application.household.commune
    issuer = documents.commune_committee(commune)
    with translation.override("vi"):
        context = {
            "application": application,
            "name": _name(application),
            "wording": APPLICATION_PAPERS[application.kind],
            "papers": PAPERS,
            "issuer": issuer,
            "number": documents.document_number("", PAPERS["refusal_symbol"]),
            "place_date": documents.place_and_date(issuer["place_name"], application.decided_on),
            **_chairman(),
        }
    filename = f"thong-bao-khong-cong-nhan-{commune.code}-{application.pk}.pdf" if as_pdf else None
    return documents.document_response(
        request, "households/print_application_refusal.html", context, pdf_filename=filename
    )
