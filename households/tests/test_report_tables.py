"""The report tables of the review (paper 7): the changes of the lists add up, persons and rates, the
workbook, the PDF, access by commune, district and province, and constant query counts."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from communes.models import District
from households import poverty, report_tables, summaries
from households.models import Household, Member
from households.tests.helpers import decided_lists, make_household, make_person
from scenario.generator import generate_province
from tests.pdfs import A4_POINTS, fonts_of, page_size, pdf_text

pytestmark = pytest.mark.django_db

TABLES = [
    report_tables.TABLE_A,
    report_tables.TABLE_B_POOR,
    report_tables.TABLE_B_NEAR_POOR,
    report_tables.TABLE_C,
    report_tables.TABLE_D,
    report_tables.TABLE_E,
    report_tables.TABLE_F,
]


def assert_changes_add_up(figures: summaries.Figures) -> int:
    """end = start − decreases + increases, for both lists; the start and end are the lists' counts.
    Returns the households that moved, so a test can tell it checked something."""
    moved = 0
    for list_category, before, after in (
        (poverty.POOR, figures.previous.poor, figures.poor),
        (poverty.NEAR_POOR, figures.previous.near_poor, figures.near_poor),
    ):
        row = figures.change_row(list_category)
        decreases = sum(row[c] for c in summaries.DECREASES)
        increases = sum(row[c] for c in summaries.INCREASES)
        assert row["end"] == row["start"] - decreases + increases, (list_category, row)
        assert (row["start"], row["end"]) == (before, after)
        moved += decreases + increases
    return moved


def test_the_changes_of_the_lists_add_up_on_a_generated_province(geography):
    generate_province(communes=3, households=150, years=3, seed=11, code="93", progress=lambda text: None)
    households = Household.objects.filter(commune__province__code="93")
    # Some households leave the register and some arrive (moved in, split): the "other" columns.
    leaving = households.filter(reviews__counting_year=2024, reviews__category=poverty.POOR)
    arriving = households.filter(reviews__counting_year=2025, reviews__category=poverty.POOR)
    Household.objects.filter(pk__in=list(leaving.values_list("pk", flat=True)[:3])).update(
        ended_on=datetime.date(2025, 6, 1)
    )
    Household.objects.filter(pk__in=list(arriving.values_list("pk", flat=True)[:2])).update(
        registered_on=datetime.date(2025, 3, 1)
    )
    moved = 0
    for commune in {h.commune for h in households.select_related("commune")}:
        summary = summaries.summary(2025, commune=commune, report=True)
        moved += assert_changes_add_up(summary.total)
        for _village, figures in summary.rows:
            assert_changes_add_up(figures)
    province = summaries.summary(2025, area=households, report=True)
    assert assert_changes_add_up(province.total) == moved > 0
    poor = province.total.change_row(poverty.POOR)
    assert poor["other_decrease"] >= 3 and poor["other_increase"] >= 1


def test_the_province_page_shows_rows_that_add_up(geography, client_of, department_officer):
    generate_province(communes=2, households=60, years=2, seed=5, code="94", progress=lambda text: None)
    province = Household.objects.filter(commune__province__code="94").first().commune.province
    response = client_of(department_officer).get(
        reverse("households:province_report_tables", args=[province.pk]), {"year": 2025}
    )
    assert response.status_code == 200
    tables = {t["table"]: t for t in response.context["tables"]}
    for table, columns in (
        (report_tables.TABLE_B_POOR, report_tables.POOR_CHANGES),
        (report_tables.TABLE_B_NEAR_POOR, report_tables.NEAR_POOR_CHANGES),
    ):
        for row in [*tables[table]["rows"], tables[table]["total"]]:
            cells = dict(zip(columns, row[2:], strict=True))
            decreases = sum(cells.get(c, 0) for c in summaries.DECREASES)
            increases = sum(cells.get(c, 0) for c in summaries.INCREASES)
            assert cells["end"] == cells["start"] - decreases + increases
    # Lists of 2025: the province's rows are its districts.
    assert [row[1] for row in tables[report_tables.TABLE_A]["rows"]][0].startswith("Huyện ")


@pytest.fixture
def reviewed(geography):
    """Mường Hoong: H1 poor of 3 persons (a fourth left in 2022), H2 near-poor of 2, H3 average of 1;
    in 2022 H1 and H2 were poor."""
    commune = geography["muong_hoong"]
    h1, h2, h3 = (make_household(commune, code, ethnicity="Xơ Đăng") for code in ("H1", "H2", "H3"))
    h1.head_name = "Bạch Thị Mân"
    h1.save()
    for household, persons in ((h1, 3), (h2, 2), (h3, 1)):
        for n in range(persons):
            person = make_person(
                f"{household.code} người {n}", citizen_id=f"06219000{household.pk:02d}{n:02d}"
            )
            Member.objects.create(household=household, person=person, relation="head" if n == 0 else "child")
    Member.objects.create(
        household=h1,
        person=make_person("Người đã chuyển đi"),
        relation="child",
        left_on=datetime.date(2022, 5, 1),
    )
    decided_lists(commune, 2022, {h1: "poor", h2: "poor", h3: "average"})
    decided_lists(commune, 2023, {h1: "poor", h2: "near_poor", h3: "average"})
    return commune


def _commune_tables(client, commune, suffix="", **params):
    name = f"households:commune_report_tables{suffix}"
    return client.get(reverse(name, args=[commune.pk]), {"year": 2023, **params})


def test_households_and_persons_by_category_with_rates(reviewed, client_of, department_officer):
    response = _commune_tables(client_of(department_officer), reviewed)
    total = response.context["total"]
    assert (total.households, total.all_persons) == (3, 6)
    assert (total.poor, total.poor_persons, total.near_poor, total.near_poor_persons) == (1, 3, 1, 2)
    assert total.poor_rate == Decimal("33.3") and total.poor_persons_rate == Decimal("50.0")
    table_a = response.context["tables"][0]
    assert table_a["total"] == ["", "Tổng cộng", 3, 6, 1, Decimal("33.3"), 3, Decimal("50.0")] + [
        1,
        Decimal("33.3"),
        2,
        Decimal("33.3"),
        1,
        0,
    ]
    poor = total.change_row(poverty.POOR)
    assert (poor["start"], poor["to_other_list"], poor["end"]) == (2, 1, 1)
    ethnicity = response.context["tables"][5]["rows"]
    assert ethnicity == [
        [1, "Xơ Đăng", 3, 6, 1, Decimal("33.3"), 3, Decimal("50.0"), 1, Decimal("33.3"), 2, Decimal("33.3")]
    ]
    page = response.content.decode()
    assert "Biểu 02a" in page and "Số hộ nghèo đầu kỳ" in page and "33,3" in page


def test_the_workbook_has_one_sheet_per_table_with_numbers(reviewed, client_of, department_officer):
    response = _commune_tables(client_of(department_officer), reviewed, "_xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [table.sheet for table in TABLES]
    sheet = workbook["01 Kết quả rà soát"]
    rows = list(sheet.values)
    assert rows[0][:4] == ("TT", "Thôn", "Tổng số hộ", "Tổng số nhân khẩu")
    assert rows[0][4] == "Hộ nghèo: Số hộ"
    assert rows[-1][1:6] == ("Tổng cộng", 3, 6, 1, 33.3)


def test_the_pdf_is_a4_landscape_with_fonts_embedded_and_the_vietnamese_text(
    reviewed, client_of, department_officer
):
    reader, text = pdf_text(_commune_tables(client_of(department_officer), reviewed, "_pdf"))
    assert all(page_size(page) == A4_POINTS[::-1] for page in reader.pages)
    assert all("+" in name and "Liberation-Serif" in name for name in fonts_of(reader))
    for words in (
        "ỦY BAN NHÂN DÂN XÃ MƯỜNG HOONG",
        "Biểu 01. Kết quả rà soát hộ nghèo, hộ cận nghèo (danh sách năm 2023)",
        "Số hộ nghèo đầu kỳ",
        "Thoát cận nghèo",
        "xã Mường Hoong",
        "Xơ Đăng",
    ):
        assert words in text, words


def test_another_communes_district_or_province_tables_do_not_exist(
    reviewed, geography, client_of, muong_hoong_officer, other_commune_officer
):
    client = client_of(other_commune_officer)
    assert _commune_tables(client, reviewed).status_code == 404
    assert _commune_tables(client, reviewed, "_pdf").status_code == 404
    elsewhere = District.objects.create(code="612", name="Tu Mơ Rông", province=reviewed.province)
    own = client_of(muong_hoong_officer)
    assert own.get(reverse("households:district_report_tables", args=[elsewhere.pk])).status_code == 404
    merged_province = geography["ngoc_linh_new"].province
    assert own.get(reverse("households:province_report_tables", args=[merged_province.pk])).status_code == 404
    assert (
        own.get(reverse("households:district_report_tables", args=[reviewed.district_id])).status_code == 200
    )


def test_a_district_has_no_tables_for_lists_after_2025(reviewed, client_of, department_officer):
    response = client_of(department_officer).get(
        reverse("households:district_report_tables_xlsx", args=[reviewed.district_id]), {"year": 2026}
    )
    assert response.status_code == 404
    assert "1 July 2025" in response.content.decode() or "01/7/2025" in response.content.decode()


def test_the_district_tables_default_to_its_last_lists(reviewed, client_of, department_officer):
    decided_lists(reviewed, 2026, {Household.objects.get(code="H1"): "poor"})
    response = client_of(department_officer).get(
        reverse("households:district_report_tables", args=[reviewed.district_id])
    )
    assert response.status_code == 200 and response.context["year"] == 2023


def test_a_viewer_sees_the_tables_which_hold_no_id_numbers(reviewed, client_of, viewer):
    """The tables count households and persons: there is no ID number in them, for any role."""
    for suffix in ("", "_xlsx"):
        response = _commune_tables(client_of(viewer), reviewed, suffix)
        assert response.status_code == 200
    page = _commune_tables(client_of(viewer), reviewed).content.decode()
    assert not re.search(r"(?<!\d)06219\d{7}(?!\d)", page)


def test_the_papers_are_linked_from_the_round_and_the_summaries(reviewed, client_of, department_officer):
    client = client_of(department_officer)
    review_round = reviewed.review_rounds.get(list_year=2023)
    tables_url = reverse("households:commune_report_tables", args=[reviewed.pk])
    assert (
        f"{tables_url}?year=2023"
        in client.get(reverse("households:round", args=[review_round.pk])).content.decode()
    )
    summary = client.get(
        reverse("households:commune_summary", args=[reviewed.pk]), {"year": 2023}
    ).content.decode()
    assert f"{tables_url}?year=2023" in summary
    area = client.get(reverse("households:summary"), {"year": 2023}).content.decode()
    assert reverse("households:province_report_tables", args=[reviewed.province_id]) in area
    assert reverse("households:district_report_tables", args=[reviewed.district_id]) in area


def _many_households(commune, count):
    households = [
        make_household(commune, f"M{n:04d}", ethnicity=["Xơ Đăng", "Kinh"][n % 2]) for n in range(count)
    ]
    for n, household in enumerate(households):
        Member.objects.create(household=household, person=make_person(f"Người {n}"), relation="head")
    decided_lists(commune, 2022, {h: ("poor" if n % 2 else "near_poor") for n, h in enumerate(households)})
    decided_lists(commune, 2023, {h: ("poor" if n % 3 else "average") for n, h in enumerate(households)})


# Session, user and profile (3): a print page has no header naming the issuing body.
PAGE = 3
# + the commune, the years (year choices), this and last year by village and its persons (2), the
# village names, the indicator counts, groups, causes (tables c, d, f), by ethnicity and its persons
# (table e, 2), the round's signer.
COMMUNE_QUERIES = PAGE + 11
# + the province, the years, this and last year by commune and its persons (2), the communes with
# district and province, indicators, groups, causes, by ethnicity and its persons (2), the issuing
# body (the user's organisation).
PROVINCE_QUERIES = PAGE + 11


@pytest.mark.parametrize("count", [5, 120])
def test_the_report_tables_run_a_constant_number_of_queries(
    geography, client_of, department_officer, django_assert_num_queries, count
):
    commune = geography["muong_hoong"]
    _many_households(commune, count)
    client = client_of(department_officer)
    with django_assert_num_queries(COMMUNE_QUERIES):
        response = _commune_tables(client, commune)
    assert response.context["total"].households == count
    assert response.context["total"].all_persons == count
    with django_assert_num_queries(PROVINCE_QUERIES):
        response = client.get(
            reverse("households:province_report_tables", args=[commune.province_id]), {"year": 2023}
        )
    assert response.context["total"].households == count


def test_the_merged_commune_reports_to_the_province_by_commune(geography, client_of, department_officer):
    """Xã Ngọc Linh (Quảng Ngãi, formed on 1/7/2025) has no district: its lists of 2026 are reported
    to the province, whose tables are by commune."""
    merged = geography["ngoc_linh_new"]
    decided_lists(
        merged, 2026, {make_household(merged, "NL1", village_name=merged.villages.first().name): "poor"}
    )
    client = client_of(department_officer)
    page = client.get(reverse("households:commune_report_tables", args=[merged.pk]), {"year": 2026})
    assert page.context["unit_name"] == f"xã Ngọc Linh, tỉnh {merged.province.name}"
    assert page.context["report_to"] == f"UBND tỉnh {merged.province.name}"
    province = client.get(
        reverse("households:province_report_tables", args=[merged.province_id]), {"year": 2026}
    )
    rows = province.context["tables"][0]["rows"]
    assert province.context["tables"][0]["head"][0][1]["text"] == "Xã"
    assert [row[1:5] for row in rows] == [["Xã Ngọc Linh", 1, 0, 1]]


P, N, A = poverty.POOR, poverty.NEAR_POOR, poverty.AVERAGE


@pytest.mark.parametrize(
    ("list_category", "previous", "current", "before", "now", "poor_before", "columns"),
    [
        (P, P, P, True, True, False, ("start", "end")),
        (P, P, A, True, True, False, ("start", "escaped")),
        (P, P, N, True, True, False, ("start", "to_other_list")),
        (P, P, None, True, True, False, ("start", "other_decrease")),  # not reviewed this year
        (P, P, P, True, False, False, ("start", "other_decrease")),  # left the register
        (P, N, P, True, True, False, ("from_other_list", "end")),
        (P, A, P, True, True, False, ("newly", "end")),
        (P, A, P, True, True, True, ("re_poor", "end")),
        (P, None, P, False, True, False, ("other_increase", "end")),  # a new household
        (N, N, P, True, True, False, ("start", "to_other_list")),
        (N, P, N, True, True, False, ("from_other_list", "end")),
        (N, A, N, True, True, True, ("newly", "end")),  # re-poverty is of the poor list only
        (N, A, A, True, True, False, ()),
    ],
)
def test_each_household_falls_in_one_column_of_the_changes(
    list_category, previous, current, before, now, poor_before, columns
):
    moves = summaries.list_moves(
        list_category, previous, current, before=before, now=now, poor_before=poor_before
    )
    assert sorted(moves) == sorted(columns)
