"""Papers 1, 3 and 6 of a review (Circular 07/2021/TT-BLĐTBXH; DOMAIN.md §4a): the list of households
to review (Appendix I), the posted list of results with the re-check record of each complaint, and the
written refusal of a request. Each list has one source of rows for its print page, PDF and XLSX; a
paper's wording is in one constant (to confirm against the official templates)."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from core import documents
from core.spreadsheets import xlsx_response
from households.access import citizen_id_as_shown, get_request_for, get_round_for
from households.models import (
    Category,
    Member,
    Relation,
    ReviewRequest,
    ReviewRound,
    households_on_lists,
    households_to_review,
    list_category,
)

# The wording of each paper (to confirm against Circular 07/2021 and Decision 24/2021).
TO_REVIEW = {  # paper 1, Appendix I
    "kind": "Danh sách",
    "subject": "Hộ gia đình thuộc diện rà soát hộ nghèo, hộ cận nghèo năm {year}",
    "on_list": {
        Category.POOR: "Trong danh sách hộ nghèo",
        Category.NEAR_POOR: "Trong danh sách hộ cận nghèo",
    },
    "forms": {ReviewRequest.Form.REVIEW: "mẫu số 01", ReviewRequest.Form.ESCAPE: "mẫu số 04"},
    "request": "Đơn đề nghị ({form}) ngày {date}",
    "every_household": "Rà soát toàn bộ hộ (xã lựa chọn)",
    "headers": [
        "STT",
        "Thôn",
        "Mã hộ",
        "Chủ hộ",
        "Địa chỉ",
        "Lý do đưa vào danh sách rà soát",
        "Số định danh cá nhân (che)",
        "Phân loại hiện tại",
    ],
}
POSTED_RESULTS = {  # paper 3, the posted list of results
    "kind": "Danh sách niêm yết",
    "subject": "Kết quả rà soát hộ nghèo, hộ cận nghèo năm {year}",
    "where": "Niêm yết tại trụ sở Ủy ban nhân dân xã và nhà văn hóa thôn",
    "headers": [
        "STT",
        "Thôn",
        "Mã hộ",
        "Chủ hộ",
        "Phân loại trước rà soát",
        "Thu nhập bình quân (đồng/người/tháng)",
        "Điểm phiếu B1",
        "Số chỉ số thiếu hụt",
        "Kết quả rà soát",
        "Ghi chú",
    ],
}
COMPLAINT_RECORD = {  # paper 3, the record of the re-check of a complaint (biên bản phúc tra)
    "kind": "Biên bản",
    "subject": "Phúc tra kết quả rà soát hộ nghèo, hộ cận nghèo năm {year}",
    "signers": ("ĐẠI DIỆN HỘ GIA ĐÌNH", "ĐẠI DIỆN TỔ PHÚC TRA"),
}
REFUSAL = {  # paper 6, the written refusal of a request
    "kind": "Thông báo",
    "subject": "Về việc không chấp nhận đơn đề nghị {form}",
    "forms": {
        ReviewRequest.Form.REVIEW: "rà soát hộ nghèo, hộ cận nghèo (mẫu số 01)",
        ReviewRequest.Form.ESCAPE: "công nhận thoát nghèo, thoát cận nghèo (mẫu số 04)",
    },
    "symbol": "TB-UBND",
    "appeal": "Trường hợp không đồng ý, ông (bà) có quyền khiếu nại theo quy định của pháp luật.",
}
# The commune chairman signs the commune committee's papers (Decree 30/2020: "TM." for a collective body).
CHAIRMAN = {"signer_on_behalf": "TM. ỦY BAN NHÂN DÂN", "signer_title": "CHỦ TỊCH"}
CHUNK = 1000


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _category(value) -> str:
    return str(Category(value).label) if value else ""


def _village(request, review_round):
    """The village of `?village=`, which must be one of the round's commune; None: the whole commune."""
    pk = request.GET.get("village")
    if not pk:
        return None
    if not pk.isdigit():
        raise Http404
    return get_object_or_404(review_round.commune.villages, pk=pk)


def _address(household, commune) -> str:
    """A household's address as a letter writes it: the register's, else its village and commune."""
    return household.address or f"{household.village.name}, {documents.commune_committee(commune)['unit']}"


def _heads():
    heads = Member.objects.current().filter(relation=Relation.HEAD).select_related("person")
    return Prefetch("members", queryset=heads, to_attr="heads")


def _head_id(user, household) -> str:
    head = household.heads[0].person if household.heads else None
    return (citizen_id_as_shown(user, head.citizen_id, masked_at_most=True) or "") if head else ""


def _paper_context(request, review_round, village) -> dict:
    return {
        "round": review_round,
        "village": village,
        "issuer": documents.commune_committee(review_round.commune),
        "shows_ids": citizen_id_as_shown(request.user) is not None,
        "query": f"?village={village.pk}" if village else "",
        **CHAIRMAN,
        "signer_name": review_round.decision_signer,
    }


def _filename(stem: str, review_round, village, extension: str) -> str:
    where = f"-thon-{village.pk}" if village else ""
    return f"{stem}-{review_round.commune.code}-{review_round.year}{where}.{extension}"


# Paper 1: the list of households to review (Appendix I) ----------------------------------------------


@dataclass(frozen=True)
class ToReviewRow:
    number: int
    village: str
    code: str
    head_name: str
    address: str
    reason: str
    citizen_id: str
    category: str

    def cells(self) -> list:
        return [self.number, self.village, self.code, self.head_name, self.address, self.reason]


def to_review_rows(review_round, *, user, village=None):
    """The households to review, by village, each with why it is on the list: once the round is listed,
    the households it lists; before, those the current lists and the accepted requests make. Four
    queries (whether listed, the households, their heads, their requests feeding the round), read CHUNK
    at a time."""
    if review_round.reviews.exists():
        households = households_on_lists(review_round).filter(reviews__round=review_round)
    else:
        households = households_to_review(review_round)
    if village is not None:
        households = households.filter(village=village)
    households = (
        households.select_related("village")
        .prefetch_related(
            _heads(),
            Prefetch(
                "review_requests",
                queryset=ReviewRequest.objects.feeding(review_round).order_by("received_on", "pk"),
                to_attr="feeding_requests",
            ),
        )
        .order_by("village__name", "code")
    )
    for number, household in enumerate(households.iterator(chunk_size=CHUNK), start=1):
        on_list = TO_REVIEW["on_list"].get(household.list_category)
        reasons = [on_list] if on_list else []
        reasons += [
            TO_REVIEW["request"].format(form=TO_REVIEW["forms"][r.form], date=_date(r.received_on))
            for r in household.feeding_requests
        ]
        yield ToReviewRow(
            number=number,
            village=household.village.name,
            code=household.code,
            head_name=household.head_name,
            address=household.address,
            reason="; ".join(reasons) or TO_REVIEW["every_household"],
            citizen_id=_head_id(user, household),
            category=_category(household.list_category),
        )


@documents.in_vietnamese
def round_to_review(request, pk, as_pdf=False):
    """Paper 1 as a print page or PDF: 8 queries whatever the number of households (test_list_papers)."""
    review_round = get_round_for(request.user, pk)
    village = _village(request, review_round)
    context = _paper_context(request, review_round, village) | {
        "paper": TO_REVIEW,
        "subject": TO_REVIEW["subject"].format(year=review_round.year),
        "rows": list(to_review_rows(review_round, user=request.user, village=village)),
        "place_date": documents.undated(review_round.commune.name, review_round.year),
    }
    filename = _filename("danh-sach-ho-ra-soat", review_round, village, "pdf") if as_pdf else None
    return documents.document_response(
        request, "households/print_to_review.html", context, pdf_filename=filename
    )


@documents.in_vietnamese
def round_to_review_xlsx(request, pk):
    """Paper 1's table, with the print's rows."""
    review_round = get_round_for(request.user, pk)
    village = _village(request, review_round)
    rows = (
        [*row.cells(), row.citizen_id, row.category]
        for row in to_review_rows(review_round, user=request.user, village=village)
    )
    name = _filename("danh-sach-ho-ra-soat", review_round, village, "xlsx")
    return xlsx_response(name, TO_REVIEW["headers"], rows, sheet_title="Danh sách hộ rà soát")


# Paper 3: the posted list of results, the re-check record of each complaint --------------------------


def posting_started_on(review_round):
    """The date the round moved to the public posting (the latest, if recorded twice), or None."""
    steps = review_round.steps.filter(state=ReviewRound.State.PUBLIC_POSTING).order_by("-on", "-pk")
    return steps.values_list("on", flat=True).first()


def posted_results(review_round, village=None):
    """The round's results by village and household code, each with the category of the lists the
    round starts from (`before`) and its deprivations counted: one query."""
    reviews = review_round.reviews.annotate(
        deprivation_count=Count("deprivations"), before=list_category(review_round, household="household")
    ).select_related("household__village")
    if village is not None:
        reviews = reviews.filter(household__village=village)
    return reviews.order_by("household__village__name", "household__code")


def _posted_results_or_404(request, pk):
    review_round = get_round_for(request.user, pk)
    if not review_round.results_posted:
        raise Http404("The results of this round are not posted yet.")
    return review_round, _village(request, review_round)


@documents.in_vietnamese
def round_posted_results(request, pk, as_pdf=False):
    """Paper 3 as a print page or PDF: 6 queries whatever the number of households (test_list_papers)."""
    review_round, village = _posted_results_or_404(request, pk)
    starts_on = posting_started_on(review_round)
    context = _paper_context(request, review_round, village) | {
        "paper": POSTED_RESULTS,
        "subject": POSTED_RESULTS["subject"].format(year=review_round.year),
        "reviews": list(posted_results(review_round, village)),
        "starts_on": starts_on,
        "place_date": documents.place_and_date(review_round.commune.name, starts_on)
        if starts_on
        else documents.undated(review_round.commune.name, review_round.year),
    }
    filename = _filename("niem-yet-ket-qua-ra-soat", review_round, village, "pdf") if as_pdf else None
    return documents.document_response(
        request, "households/print_posted_results.html", context, pdf_filename=filename
    )


@documents.in_vietnamese
def round_posted_results_xlsx(request, pk):
    review_round, village = _posted_results_or_404(request, pk)
    rows = (
        [
            number,
            review.household.village.name,
            review.household.code,
            review.household.head_name,
            _category(review.before),
            review.monthly_income_per_person,
            review.a_points,
            review.deprivation_count,
            _category(review.category),
            review.final_reason,
        ]
        for number, review in enumerate(posted_results(review_round, village).iterator(CHUNK), start=1)
    )
    name = _filename("niem-yet-ket-qua-ra-soat", review_round, village, "xlsx")
    return xlsx_response(name, POSTED_RESULTS["headers"], rows, sheet_title="Niêm yết kết quả")


@documents.in_vietnamese
def complaint_record(request, pk, complaint_pk, as_pdf=False):
    """The re-check record of one complaint; dated by hand while the complaint is open."""
    review_round = get_round_for(request.user, pk)
    complaint = get_object_or_404(
        review_round.complaints.select_related("household__village"), pk=complaint_pk
    )
    review = None
    if complaint.household_id:
        review = posted_results(review_round).filter(household=complaint.household_id).first()
    place = review_round.commune.name
    context = {
        "round": review_round,
        "complaint": complaint,
        "review": review,
        "address": _address(complaint.household, review_round.commune) if complaint.household_id else "",
        "paper": COMPLAINT_RECORD,
        "subject": COMPLAINT_RECORD["subject"].format(year=review_round.year),
        "issuer": documents.commune_committee(review_round.commune),
        "place_date": documents.place_and_date(place, complaint.resolved_on)
        if complaint.resolved_on
        else documents.undated(place, review_round.year),
    }
    code = review_round.commune.code
    filename = f"bien-ban-phuc-tra-{code}-{review_round.year}-{complaint.pk}.pdf" if as_pdf else None
    return documents.document_response(
        request, "households/print_complaint_record.html", context, pdf_filename=filename
    )


# Paper 6: the written refusal of a request ---------------------------------------------------------------


@documents.in_vietnamese
def request_refusal(request, pk, as_pdf=False):
    """The commune committee's letter to the applicant with the reason of the refusal."""
    review_request = get_request_for(request.user, pk)
    if review_request.outcome != ReviewRequest.Outcome.REFUSED:
        raise Http404("This request was not refused.")
    commune = review_request.commune
    household = review_request.household
    context = {
        "request_": review_request,
        "paper": REFUSAL,
        "subject": REFUSAL["subject"].format(form=REFUSAL["forms"][review_request.form]),
        "paper_form": REFUSAL["forms"][review_request.form],
        "address": _address(household, commune) if household else review_request.applicant_address,
        "issuer": documents.commune_committee(commune),
        "number": documents.document_number("", REFUSAL["symbol"]),
        "place_date": documents.place_and_date(commune.name, review_request.decided_on),
        **CHAIRMAN,
        "signer_name": "",
    }
    filename = f"thong-bao-tu-choi-{commune.code}-{review_request.pk}.pdf" if as_pdf else None
    return documents.document_response(
        request, "households/print_request_refusal.html", context, pdf_filename=filename
    )
