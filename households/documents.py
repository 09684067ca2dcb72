"""The printed summary of a commune's annual review (A4, Decree 30/2020): households by village and
category with rates, deprived indicators, transitions, the list of poor and near-poor households (ID
numbers masked) and the district and province roll-up. The figures come from `summaries.summary`, as
the summary pages' do, so the document and the pages always agree."""

from django.db.models import Case, Prefetch, When
from django.utils import translation

from communes.access import get_commune_for
from communes.models import Organisation, today
from core import documents
from core.spreadsheets import xlsx_sheets_response
from households import access, summaries
from households.access import citizen_id_as_shown
from households.forms import SummaryForm
from households.models import Category, Household, Member, Relation

REPORT_SYMBOL = "BC"  # báo cáo
LISTED = [Category.POOR, Category.NEAR_POOR]


def listed_households(commune, year: int, *, user):
    """Poor and near-poor households of the lists of `year`, with the previous lists' category and their
    current head.

    The printed list shows ID numbers masked, or not at all to roles that see none (viewers)."""
    heads = Member.objects.current().filter(relation=Relation.HEAD).select_related("person")
    households = (
        Household.objects.filter(commune=commune)
        .existing_in(year)
        .with_category_in(year)
        .with_category_in(year - 1, "previous_category")
        .filter(year_category__in=LISTED)
        .select_related("village")
        .prefetch_related(Prefetch("members", queryset=heads, to_attr="heads"))
        .order_by(Case(When(year_category=Category.POOR, then=0), default=1), "village__name", "code")
    )
    rows = []
    for household in households:
        head = household.heads[0].person if household.heads else None
        shown = citizen_id_as_shown(user, head.citizen_id, masked_at_most=True) if head else ""
        household.masked_id = shown or ""
        rows.append(household)
    return rows


def summary_document_context(request, commune) -> dict:
    """The summary page's figures, with the user's communes of the commune's district and province
    (what the area summary page shows for them) rolled up."""
    year = SummaryForm.for_households(request.GET, Household.objects.filter(commune=commune)).chosen_year
    area = access.households_for(request.user).filter(commune__province=commune.province_id)
    summary = summaries.summary(year, commune=commune, area=area)
    issuer = Organisation.objects.issuer_for(request.user, on=today())
    return {
        **vars(summary),
        "households": listed_households(commune, year, user=request.user),
        "roll_up": summary.roll_up(),
        "issuer": issuer,
        "number": documents.document_number("", REPORT_SYMBOL, issuer),
        "place_date": documents.undated(issuer.place_name if issuer else "", today().year),
        **documents.signer_context(request.user),
    }


def commune_summary_document(request, pk, as_pdf=False):
    """15 queries whatever the number of households and villages (see tests/test_documents.py)."""
    commune = get_commune_for(request.user, pk)
    with translation.override("vi"):
        context = summary_document_context(request, commune)
    filename = f"tong-hop-ra-soat-{commune.code}-{context['year']}.pdf" if as_pdf else None
    return documents.document_response(
        request, "households/print_commune_summary.html", context, pdf_filename=filename
    )


FIGURE_HEADERS = [
    "Tổng số hộ",
    "Hộ nghèo",
    "Tỷ lệ hộ nghèo (%)",
    "Tăng/giảm (điểm %)",
    "Hộ cận nghèo",
    "Tỷ lệ hộ cận nghèo (%)",
    "Tăng/giảm (điểm %)",
    "Hộ có mức sống trung bình",
    "Chưa rà soát",
]


def _figure_cells(figures) -> list:
    number = _float
    return [
        figures.households,
        figures.poor,
        number(figures.poor_rate),
        number(figures.poor_rate_change),
        figures.near_poor,
        number(figures.near_poor_rate),
        number(figures.near_poor_rate_change),
        figures.average,
        figures.not_reviewed,
    ]


def commune_summary_xlsx(request, pk):
    """The document's tables, one sheet each, with numbers a spreadsheet can compute with."""
    commune = get_commune_for(request.user, pk)
    with translation.override("vi"):
        context = summary_document_context(request, commune)
        villages = [[village.name, *_figure_cells(f)] for village, f in context["rows"]]
        villages.append(["Tổng cộng", *_figure_cells(context["total"])])
        roll = context["roll_up"]
        units = [[f"Xã {c.name}", *_figure_cells(f)] for c, f in roll["communes"]]
        if roll["district"]:
            units.append([f"Huyện {roll['district'][0].name}", *_figure_cells(roll["district"][1])])
        units.append([f"Tỉnh {roll['province'][0].name}", *_figure_cells(roll["province"][1])])
        sheets = [
            ("Theo thôn", ["Thôn", *FIGURE_HEADERS], villages),
            (
                "Biến động",
                ["Nội dung", "Số hộ"],
                [[str(label), count] for label, count in context["transitions"]],
            ),
            (
                "Chỉ số thiếu hụt",
                [
                    "Chiều thiếu hụt",
                    "Chỉ số",
                    "Hộ nghèo",
                    "Tỷ lệ trong hộ nghèo (%)",
                    "Hộ cận nghèo",
                    "Tỷ lệ trong hộ cận nghèo (%)",
                ],
                [
                    [
                        str(r.indicator.dimension),
                        str(r.indicator.name),
                        r.poor,
                        _float(r.poor_rate),
                        r.near_poor,
                        _float(r.near_poor_rate),
                    ]
                    for r in context["indicators"]
                ],
            ),
            ("Theo nhóm", ["Nhóm đối tượng", *SHARE_HEADERS], _share_cells(context["groups"])),
            ("Nguyên nhân nghèo", ["Nguyên nhân nghèo", *SHARE_HEADERS], _share_cells(context["causes"])),
            (
                "Danh sách hộ",
                [
                    "Mã hộ",
                    "Chủ hộ",
                    "Số định danh (che)",
                    "Thôn",
                    f"Danh sách năm {context['year']}",
                    f"Danh sách năm {context['year'] - 1}",
                ],
                [
                    [
                        h.code,
                        h.head_name,
                        h.masked_id,
                        h.village.name,
                        str(Category(h.year_category).label),
                        str(Category(h.previous_category).label) if h.previous_category else "",
                    ]
                    for h in context["households"]
                ],
            ),
            ("Tổng hợp", ["Đơn vị", *FIGURE_HEADERS], units),
        ]
        return xlsx_sheets_response(f"tong-hop-ra-soat-{commune.code}-{context['year']}.xlsx", sheets)


SHARE_HEADERS = ["Hộ nghèo", "Tỷ lệ trong hộ nghèo (%)", "Hộ cận nghèo", "Tỷ lệ trong hộ cận nghèo (%)"]


def _share_cells(rows) -> list[list]:
    return [[str(r.label), r.poor, _float(r.poor_rate), r.near_poor, _float(r.near_poor_rate)] for r in rows]


def _float(value):
    return float(value) if value is not None else None
