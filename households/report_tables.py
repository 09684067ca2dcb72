"""The report tables of a year's review (Circular 07/2021, DOMAIN.md §4a), for a commune, a district
(lists up to 2025: districts were abolished on 1/7/2025) or a province: (a) households and persons
by category, (b) the changes of the poor and of the near-poor list, (c) deprivations by indicator,
(d) by group, (e) by ethnicity, (f) by cause of poverty.

The figures are the summaries' (`summaries.summary(…, report=True)`), so the tables, the summary pages
and the printed summary agree. Each table's number, title and headings are one constant below."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404, render
from django.utils import translation

from communes.access import communes_for, get_commune_for
from communes.models import District, Organisation, Province, today
from core import documents
from core.spreadsheets import xlsx_sheets_response
from households import poverty, summaries
from households.access import households_for
from households.forms import SummaryForm
from households.models import Household, ReviewRound

REPORT_SYMBOL = "BC"  # báo cáo


@dataclass(frozen=True)
class Table:
    """A template's number, title (with {year}) and headings: a heading is text, or (group, sub-headings).
    `unit` marks where the unit's column goes (Thôn / Xã / Huyện)."""

    number: str
    title: str
    sheet: str
    headings: tuple


UNIT = object()
HOUSEHOLDS_AND_PERSONS = ("Số hộ", "Tỷ lệ (%)", "Số nhân khẩu", "Tỷ lệ (%)")
AMONG = ("Số hộ", "Tỷ lệ (%)")

# Numbering, titles and headings of Circular 07/2021's report templates (to confirm).
TABLE_A = Table(
    "Biểu 01",
    "Kết quả rà soát hộ nghèo, hộ cận nghèo (danh sách năm {year})",
    "01 Kết quả rà soát",
    (
        "TT",
        UNIT,
        "Tổng số hộ",
        "Tổng số nhân khẩu",
        ("Hộ nghèo", HOUSEHOLDS_AND_PERSONS),
        ("Hộ cận nghèo", HOUSEHOLDS_AND_PERSONS),
        "Hộ có mức sống trung bình",
        "Chưa rà soát",
    ),
)
TABLE_B_POOR = Table(
    "Biểu 02a",
    "Diễn biến hộ nghèo năm {year}",
    "02a Diễn biến hộ nghèo",
    (
        "TT",
        UNIT,
        "Số hộ nghèo đầu kỳ",
        ("Số hộ nghèo giảm", ("Thoát nghèo", "Thoát nghèo, thành hộ cận nghèo", "Giảm khác")),
        (
            "Số hộ nghèo tăng",
            ("Từ hộ cận nghèo thành hộ nghèo", "Hộ nghèo phát sinh", "Tái nghèo", "Tăng khác"),
        ),
        "Số hộ nghèo cuối kỳ",
    ),
)
TABLE_B_NEAR_POOR = Table(
    "Biểu 02b",
    "Diễn biến hộ cận nghèo năm {year}",
    "02b Diễn biến hộ cận nghèo",
    (
        "TT",
        UNIT,
        "Số hộ cận nghèo đầu kỳ",
        ("Số hộ cận nghèo giảm", ("Thoát cận nghèo", "Chuyển thành hộ nghèo", "Giảm khác")),
        ("Số hộ cận nghèo tăng", ("Từ hộ nghèo thành hộ cận nghèo", "Hộ cận nghèo phát sinh", "Tăng khác")),
        "Số hộ cận nghèo cuối kỳ",
    ),
)
TABLE_C = Table(
    "Biểu 03",
    "Hộ nghèo, hộ cận nghèo thiếu hụt các dịch vụ xã hội cơ bản (danh sách năm {year})",
    "03 Thiếu hụt",
    ("TT", "Chiều thiếu hụt", "Chỉ số", ("Hộ nghèo", AMONG), ("Hộ cận nghèo", AMONG)),
)
TABLE_D = Table(
    "Biểu 04",
    "Hộ nghèo, hộ cận nghèo theo nhóm đối tượng (danh sách năm {year})",
    "04 Nhóm đối tượng",
    ("TT", "Nhóm đối tượng", ("Hộ nghèo", AMONG), ("Hộ cận nghèo", AMONG)),
)
TABLE_E = Table(
    "Biểu 05",
    "Hộ nghèo, hộ cận nghèo theo dân tộc (danh sách năm {year})",
    "05 Dân tộc",
    (
        "TT",
        "Dân tộc",
        "Tổng số hộ",
        "Tổng số nhân khẩu",
        ("Hộ nghèo", HOUSEHOLDS_AND_PERSONS),
        ("Hộ cận nghèo", HOUSEHOLDS_AND_PERSONS),
    ),
)
TABLE_F = Table(
    "Biểu 06",
    "Hộ nghèo, hộ cận nghèo theo nguyên nhân nghèo (danh sách năm {year})",
    "06 Nguyên nhân nghèo",
    ("TT", "Nguyên nhân nghèo", ("Hộ nghèo", AMONG), ("Hộ cận nghèo", AMONG)),
)
# The unit of the rows of tables (a) and (b), by level; and the words naming a unit in the text.
UNIT_HEADINGS = {"commune": "Thôn", "district": "Xã", "province": "Huyện", "province_communes": "Xã"}
DISTRICT_WORDS = {"district": "huyện", "urban_district": "quận", "town": "thị xã", "city": "thành phố"}
PROVINCE_WORDS = {"province": "tỉnh", "city": "thành phố"}
# Columns of table (b): the near-poor list has no re-poverty (tái nghèo is of the poor list).
POOR_CHANGES = summaries.CHANGE_COLUMNS
NEAR_POOR_CHANGES = tuple(column for column in summaries.CHANGE_COLUMNS if column != "re_poor")


def _name(words: dict, unit, capital: bool) -> str:
    """ "xã Mường Hoong" in a sentence, "Xã Mường Hoong" heading a row; a name that already says what
    it is ("Huyện 1") is kept as it is."""
    word = words.get(unit.kind, next(iter(words.values())))
    if unit.name.lower().startswith(f"{word} "):
        return unit.name
    return f"{word[0].upper() + word[1:] if capital else word} {unit.name}"


def commune_name(commune, capital: bool = False) -> str:
    return _name(documents.UNIT_WORDS, commune, capital)


def district_name(district, capital: bool = False) -> str:
    if district is None:
        return "Không thuộc huyện"
    return _name(DISTRICT_WORDS, district, capital)


def province_name(province, capital: bool = False) -> str:
    return _name(PROVINCE_WORDS, province, capital)


def heading_rows(headings: tuple, unit_heading: str) -> list[list[dict]]:
    """The two rows of a table's head: a group spans its sub-headings, a single heading both rows."""
    top, below = [], []
    for heading in headings:
        if isinstance(heading, tuple):
            group, subs = heading
            top.append({"text": group, "colspan": len(subs), "rowspan": 1})
            below += [{"text": sub, "colspan": 1, "rowspan": 1} for sub in subs]
        else:
            top.append({"text": unit_heading if heading is UNIT else heading, "colspan": 1, "rowspan": 2})
    return [top, below]


def flat_headings(headings: tuple, unit_heading: str) -> list[str]:
    """The headings in one row, a group's name before each of its sub-headings (a workbook's head)."""
    flat = []
    for heading in headings:
        if isinstance(heading, tuple):
            flat += [f"{heading[0]}: {sub}" for sub in heading[1]]
        else:
            flat.append(unit_heading if heading is UNIT else heading)
    return flat


def _figure_cells(f: summaries.Figures) -> list:
    return [
        f.households,
        f.all_persons,
        f.poor,
        f.poor_rate,
        f.poor_persons,
        f.poor_persons_rate,
        f.near_poor,
        f.near_poor_rate,
        f.near_poor_persons,
        f.near_poor_persons_rate,
    ]


def _numbered(rows: list[list]) -> list[list]:
    return [[number, *row] for number, row in enumerate(rows, start=1)]


def tables(summary: summaries.Summary, units: list[tuple[str, summaries.Figures]], unit_heading: str) -> list:
    """The six tables (b in two) as {table, head, flat, rows, total}: the cells the page, the PDF
    and the workbook all show. `units`: (name, figures) of the rows of tables (a) and (b)."""
    total = summary.total

    def of_units(cells) -> tuple[list, list]:
        return _numbered([[name, *cells(f)] for name, f in units]), ["", "Tổng cộng", *cells(total)]

    def changes(columns, list_category):
        return lambda f: [f.change_row(list_category)[column] for column in columns]

    def shares(rows):
        return _numbered([[str(r.label), r.poor, r.poor_rate, r.near_poor, r.near_poor_rate] for r in rows])

    built = [
        (TABLE_A, *of_units(lambda f: [*_figure_cells(f), f.average, f.not_reviewed])),
        (TABLE_B_POOR, *of_units(changes(POOR_CHANGES, poverty.POOR))),
        (TABLE_B_NEAR_POOR, *of_units(changes(NEAR_POOR_CHANGES, poverty.NEAR_POOR))),
        (
            TABLE_C,
            _numbered(
                [
                    [
                        str(r.indicator.dimension),
                        str(r.indicator.name),
                        r.poor,
                        r.poor_rate,
                        r.near_poor,
                        r.near_poor_rate,
                    ]
                    for r in summary.indicators
                ]
            ),
            None,
        ),
        (TABLE_D, shares(summary.groups), None),
        (
            TABLE_E,
            _numbered([[name or "Chưa ghi", *_figure_cells(f)] for name, f in summary.ethnicities]),
            ["", "Tổng cộng", *_figure_cells(total)],
        ),
        (TABLE_F, shares(summary.causes), None),
    ]
    return [
        {
            "table": table,
            "title": table.title.format(year=summary.year),
            "head": heading_rows(table.headings, unit_heading),
            "flat": flat_headings(table.headings, unit_heading),
            "rows": rows,
            "total": total_row,
        }
        for table, rows, total_row in built
    ]


def _answer(request, context: dict, filename: str, as_format: str):
    if as_format == "xlsx":
        sheets = [
            (
                t["table"].sheet,
                t["flat"],
                [[_cell(v) for v in row] for row in [*t["rows"], t["total"]] if row],
            )
            for t in context["tables"]
        ]
        return xlsx_sheets_response(f"{filename}.xlsx", sheets)
    pdf_filename = f"{filename}.pdf" if as_format == "pdf" else None
    return documents.document_response(
        request, "households/print_report_tables.html", context, pdf_filename=pdf_filename
    )


def _cell(value):
    """Rates as numbers a spreadsheet computes with."""
    return float(value) if hasattr(value, "quantize") else value


def _year(request, households) -> int:
    return SummaryForm.for_households(request.GET, households).chosen_year


def commune_report_tables(request, pk, as_format="html"):
    """A constant number of queries whatever the number of households (test_report_tables.py)."""
    commune = get_commune_for(request.user, pk)
    year = _year(request, Household.objects.filter(commune=commune))
    with translation.override("vi"):
        summary = summaries.summary(year, commune=commune, report=True)
        decided = (
            ReviewRound.objects.filter(commune=commune, list_year=year, kind=ReviewRound.Kind.PERIODIC)
            .order_by("-pk")
            .values_list("decision_signer", flat=True)
            .first()
        )
        # Up to the lists of 2025 the commune reported to its district, since then to the province.
        above = commune.district if commune.district and year <= summaries.LAST_DISTRICT_LIST_YEAR else None
        place = [commune_name(commune), *([district_name(above)] if above else [])]
        context = {
            **vars(summary),
            "level": "commune",
            "unit_name": ", ".join([*place, province_name(commune.province)]),
            "tables": tables(summary, [(v.name, f) for v, f in summary.rows], UNIT_HEADINGS["commune"]),
            "issuer": documents.commune_committee(commune),
            "number": documents.document_number("", f"{REPORT_SYMBOL}-UBND"),
            "place_date": documents.undated(commune.name, today().year),
            "signer_on_behalf": "TM. ỦY BAN NHÂN DÂN",
            "signer_title": "CHỦ TỊCH",
            "signer_name": decided or "",
            "report_to": f"UBND {district_name(above) if above else province_name(commune.province)}",
        }
        return _answer(request, context, f"bieu-bao-cao-{commune.code}-{year}", as_format)


def _area_context(request, households, year: int, level: str, unit_name: str, units, unit_heading) -> dict:
    issuer = Organisation.objects.issuer_for(request.user, on=today())
    summary = summaries.summary(year, area=households, report=True)
    return {
        **vars(summary),
        "level": level,
        "unit_name": unit_name,
        "tables": tables(summary, units(summary), unit_heading),
        "issuer": issuer,
        "number": documents.document_number("", REPORT_SYMBOL, issuer),
        "place_date": documents.undated(issuer.place_name if issuer else "", today().year),
        **documents.signer_context(request.user),
    }


def district_report_tables(request, pk, as_format="html"):
    """A district's communes (those the user sees), for the lists up to 2025 only."""
    district = get_object_or_404(
        District.objects.filter(communes__in=communes_for(request.user))
        .distinct()
        .select_related("province"),
        pk=pk,
    )
    households = households_for(request.user).filter(commune__district=district)
    # The latest lists a district made, unless a year is asked for: a later one gets the reason.
    asked = request.GET.get("year", "")
    years = summaries.years_with_decisions(households)
    if asked.isdigit() and int(asked) > summaries.LAST_DISTRICT_LIST_YEAR:
        year = int(asked)
    else:
        form = SummaryForm(request.GET or None, years=years)
        chosen = form.cleaned_data.get("year") if form.is_valid() else None
        earlier = [y for y in years if y <= summaries.LAST_DISTRICT_LIST_YEAR]
        year = chosen or next(iter(earlier), min(years, default=today().year))
    if year > summaries.LAST_DISTRICT_LIST_YEAR:
        return render(
            request,
            "households/report_tables_no_district.html",
            {"district": district, "year": year, "last_year": summaries.LAST_DISTRICT_LIST_YEAR},
            status=404,
        )
    with translation.override("vi"):
        context = _area_context(
            request,
            households,
            year,
            "district",
            f"{district_name(district)}, {province_name(district.province)}",
            lambda s: [(commune_name(c, capital=True), f) for c, f in s.communes],
            UNIT_HEADINGS["district"],
        )
        context["district"] = district
        return _answer(request, context, f"bieu-bao-cao-huyen-{district.code}-{year}", as_format)


def province_report_tables(request, pk, as_format="html"):
    """A province's districts (lists up to 2025) or communes (later lists), of what the user sees."""
    province = get_object_or_404(
        Province.objects.filter(communes__in=communes_for(request.user)).distinct(), pk=pk
    )
    households = households_for(request.user).filter(commune__province=province)
    year = _year(request, households)
    by_district = year <= summaries.LAST_DISTRICT_LIST_YEAR

    def units(summary):
        if by_district:
            return [(district_name(d, capital=True), f) for d, f in summary.districts]
        return [(commune_name(c, capital=True), f) for c, f in summary.communes]

    with translation.override("vi"):
        heading = UNIT_HEADINGS["province" if by_district else "province_communes"]
        context = _area_context(
            request, households, year, "province", province_name(province), units, heading
        )
        context["province"] = province
        return _answer(request, context, f"bieu-bao-cao-tinh-{province.code}-{year}", as_format)
