"""Household facts recorded with each review: the groups (ethnic minority, no working capacity,
meritorious family), the causes of poverty and the support received; through the survey page, the
import and the export, and counted in the summary tables (d) and (f)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from households import services, summaries
from households.models import HouseholdReview, PovertyCause, SupportReceived, is_ethnic_minority
from households.tests.helpers import ANSWERS, decide, make_household, open_survey, writer
from households.tests.test_imports import check, record_of, run
from households.tests.workbooks import upload

pytestmark = pytest.mark.django_db
Facts = services.HouseholdFacts


@pytest.mark.parametrize(
    ("ethnicity", "minority"),
    [
        ("Kinh", False),
        ("kinh ", False),
        ("KINH", False),
        ("", False),
        ("Xơ Đăng", True),
        ("Giẻ Triêng", True),
    ],
)
def test_every_ethnicity_but_the_kinh_is_a_minority(ethnicity, minority):
    assert is_ethnic_minority(ethnicity) is minority


@pytest.fixture
def survey_round(geography):
    commune = geography["muong_hoong"]
    households = [make_household(commune, code, ethnicity="Xơ Đăng") for code in ("F1", "F2", "F3")]
    return open_survey(commune, 2022, households)


def _review(survey_round, code) -> HouseholdReview:
    return survey_round.reviews.select_related("household", "round").get(household__code=code)


def test_the_survey_page_records_the_facts(survey_round, client_of, muong_hoong_officer):
    review = _review(survey_round, "F1")
    client = client_of(muong_hoong_officer)
    url = reverse("households:survey", args=[review.pk])
    form = client.get(url).context["form"]
    assert form.initial["ethnic_minority"] is True  # suggested by the household's ethnicity
    data = {
        "monthly_income_per_person": 1_000_000,
        "deprived": ["health_insurance", "hygienic_latrine", "nutrition"],
        "meritorious": "on",
        "causes": ["capital", "land"],
        "supports": ["health_insurance", "credit"],
        "save": "",
    }
    assert client.post(url, data).status_code == 302
    review.refresh_from_db()
    assert (review.category, review.ethnic_minority, review.no_working_capacity, review.meritorious) == (
        "poor",
        False,
        False,
        True,
    )
    assert Facts.of(review) == Facts(
        meritorious=True, causes=("capital", "land"), supports=("credit", "health_insurance")
    )
    data |= {"causes": ["land"], "supports": [], "ethnic_minority": "on"}
    client.post(url, data)
    review.refresh_from_db()
    assert Facts.of(review) == Facts(ethnic_minority=True, meritorious=True, causes=("land",))


def test_the_survey_page_refuses_causes_for_a_household_above_the_line(
    survey_round, client_of, muong_hoong_officer
):
    review = _review(survey_round, "F2")
    url = reverse("households:survey", args=[review.pk])
    data = {"monthly_income_per_person": 3_000_000, "causes": ["capital"], "save": ""}
    response = client_of(muong_hoong_officer).post(url, data)
    assert response.status_code == 200
    assert "Nguyên nhân nghèo chỉ ghi cho hộ nghèo, hộ cận nghèo" in response.content.decode()
    assert not PovertyCause.objects.exists()


def test_the_survey_page_refuses_a_cause_not_in_the_catalogue(survey_round, client_of, muong_hoong_officer):
    review = _review(survey_round, "F2")
    url = reverse("households:survey", args=[review.pk])
    data = {"monthly_income_per_person": 1_000_000, "causes": ["laziness"], "save": ""}
    response = client_of(muong_hoong_officer).post(url, data)
    assert response.status_code == 200 and response.context["form"].errors["causes"]
    assert not PovertyCause.objects.exists()


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (Facts(causes=("laziness",)), "Chọn nguyên nhân nghèo và hỗ trợ trong danh mục"),
        (Facts(supports=("cash",)), "Chọn nguyên nhân nghèo và hỗ trợ trong danh mục"),
        (Facts(causes=("capital",)), "chỉ ghi cho hộ nghèo, hộ cận nghèo"),
    ],
)
def test_the_service_refuses_facts_out_of_the_rules(survey_round, facts, message):
    review = _review(survey_round, "F3")
    with translation.override("vi"), pytest.raises(ValidationError, match=message):
        services.record_survey(review=review, by=writer(), facts=facts, **ANSWERS["average"])
    assert not SupportReceived.objects.exists() and not PovertyCause.objects.exists()


def test_a_viewer_sees_the_facts_but_cannot_record_them(survey_round, client_of, viewer):
    review = _review(survey_round, "F1")
    services.record_survey(
        review=review,
        by=writer(),
        facts=Facts(no_working_capacity=True, causes=("illness",)),
        **ANSWERS["poor"],
    )
    for code in ("F2", "F3"):
        services.record_survey(review=_review(survey_round, code), by=writer(), **ANSWERS["average"])
    decide(survey_round)
    client = client_of(viewer)
    page = client.get(reverse("households:survey", args=[review.pk])).content.decode()
    assert "Hộ không có khả năng lao động" in page and "Ốm đau, bệnh nặng hoặc tai nạn" in page
    assert client.post(reverse("households:survey", args=[review.pk]), {"save": ""}).status_code == 403


# Import and export --------------------------------------------------------------------------------


def _workbook(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def _sheet(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


def test_the_facts_go_out_and_back_in_unchanged(survey_round, client_of, muong_hoong_officer):
    services.record_survey(
        review=_review(survey_round, "F1"),
        by=writer(),
        facts=Facts(ethnic_minority=True, causes=("capital", "labour"), supports=("tuition",)),
        **ANSWERS["poor"],
    )
    services.record_survey(
        review=_review(survey_round, "F2"), by=writer(), facts=Facts(meritorious=True), **ANSWERS["average"]
    )
    services.record_survey(review=_review(survey_round, "F3"), by=writer(), **ANSWERS["near_poor"])
    client = client_of(muong_hoong_officer)
    rows = _sheet(client.get(reverse("households:round_xlsx", args=[survey_round.pk])))
    headers = list(rows[0])
    first = dict(zip(headers, rows[1], strict=False))
    assert first["Mã hộ"] == "F1" and first["Hộ dân tộc thiểu số"] == "x"
    assert first["Nguyên nhân nghèo"] == "Thiếu lao động; Thiếu vốn sản xuất"
    assert first["Hỗ trợ đã nhận"] == "Hỗ trợ học phí"
    record = record_of(
        check(client, survey_round.commune, upload(_workbook(rows), "kq.xlsx"), "reviews", 2022)
    )
    assert (record.unchanged, record.rejected) == (3, 0), record.report
    # Edited in the file: a cause not in the catalogue is refused with the row; F2's support written
    # as people write it is read.
    position = {header: index for index, header in enumerate(headers)}
    wrong = [list(row) for row in rows]
    wrong[1][position["Nguyên nhân nghèo"]] = "Thiếu vốn sản xuất; Lười lao động"
    record = record_of(
        check(client, survey_round.commune, upload(_workbook(wrong), "kq.xlsx"), "reviews", 2022)
    )
    assert record.rejected == 1 and "Lười lao động" in str(record.report)
    edited = [list(row) for row in rows]
    edited[2][position["Hỗ trợ đã nhận"]] = "bhyt;  Vay vốn tín dụng ưu đãi"
    record = record_of(
        check(client, survey_round.commune, upload(_workbook(edited), "kq.xlsx"), "reviews", 2022)
    )
    assert (record.updated, record.rejected) == (1, 0), record.report
    run(client, record)
    assert Facts.of(_review(survey_round, "F2")).supports == ("credit", "health_insurance")
    assert Facts.of(_review(survey_round, "F1")) == Facts(
        ethnic_minority=True, causes=("capital", "labour"), supports=("tuition",)
    )


def test_a_file_without_the_facts_columns_leaves_them_as_recorded(
    survey_round, client_of, muong_hoong_officer
):
    review = _review(survey_round, "F1")
    services.record_survey(
        review=review, by=writer(), facts=Facts(meritorious=True, causes=("land",)), **ANSWERS["poor"]
    )
    client = client_of(muong_hoong_officer)
    rows = _sheet(client.get(reverse("households:round_xlsx", args=[survey_round.pk])))
    without = [row[: rows[0].index("Hộ dân tộc thiểu số")] for row in rows[:2]]
    without[1] = (*without[1][:3], 1_100_000, *without[1][4:])  # the income changed, nothing else
    record = record_of(
        check(client, survey_round.commune, upload(_workbook(without), "kq.xlsx"), "reviews", 2022)
    )
    assert (record.updated, record.rejected) == (1, 0), record.report
    run(client, record)
    review.refresh_from_db()
    assert review.monthly_income_per_person == 1_100_000
    assert Facts.of(review) == Facts(meritorious=True, causes=("land",))


def test_the_import_refuses_causes_for_a_household_above_the_line(
    survey_round, client_of, muong_hoong_officer
):
    client = client_of(muong_hoong_officer)
    rows = _sheet(client.get(reverse("households:round_xlsx", args=[survey_round.pk])))
    headers = list(rows[0])
    row = [""] * len(headers)
    row[headers.index("Mã hộ")] = "F3"
    row[headers.index("Thu nhập bình quân đầu người/tháng (đồng)")] = "3.000.000"
    row[headers.index("Nguyên nhân nghèo")] = "Thiếu vốn sản xuất"
    record = record_of(
        check(client, survey_round.commune, upload(_workbook([headers, row]), "kq.xlsx"), "reviews", 2022)
    )
    assert record.rejected == 1 and "hộ nghèo, hộ cận nghèo" in str(record.report)


# Summary tables (d) and (f) -----------------------------------------------------------------------


def _decided_with_facts(commune, rows):
    """The decided review of late 2023, which makes the lists of 2024: rows of (code, category, facts)."""
    households = [make_household(commune, code) for code, _category, _facts in rows]
    review_round = open_survey(commune, 2023, households)
    for (code, category, facts), review in zip(
        rows,
        review_round.reviews.select_related("household", "round").order_by("household__code"),
        strict=True,
    ):
        assert review.household.code == code
        services.record_survey(review=review, by=writer(), facts=facts, **ANSWERS[category])
    return decide(review_round)


ROWS = [
    ("S1", "poor", Facts(ethnic_minority=True, causes=("capital", "land"))),
    ("S2", "poor", Facts(ethnic_minority=True, meritorious=True, causes=("capital",))),
    ("S3", "poor", Facts(no_working_capacity=True, causes=("illness",))),
    ("S4", "poor", Facts()),
    ("S5", "near_poor", Facts(ethnic_minority=True, causes=("capital",))),
    ("S6", "near_poor", Facts(meritorious=True)),
    ("S7", "average", Facts(ethnic_minority=True, meritorious=True, no_working_capacity=True)),
]


def test_the_summary_counts_the_poor_and_near_poor_by_group_and_cause(geography):
    commune = geography["muong_hoong"]
    _decided_with_facts(commune, ROWS)
    summary = summaries.summary(2024, commune=commune)
    with translation.override("en"):
        groups = {
            str(row.label): (row.poor, row.poor_rate, row.near_poor, row.near_poor_rate)
            for row in summary.groups
        }
        causes = {
            str(row.label): (row.poor, row.poor_rate, row.near_poor, row.near_poor_rate)
            for row in summary.causes
        }
    # Of 4 poor and 2 near-poor households; the average household counts in neither.
    assert groups == {
        "Ethnic-minority households": (2, Decimal("50.0"), 1, Decimal("50.0")),
        "Households without working capacity": (1, Decimal("25.0"), 0, Decimal("0.0")),
        "Households of people with meritorious service": (1, Decimal("25.0"), 1, Decimal("50.0")),
    }
    assert causes["Lack of capital"] == (2, Decimal("50.0"), 1, Decimal("50.0"))
    assert causes["Lack of land for production"] == (1, Decimal("25.0"), 0, Decimal("0.0"))
    assert causes["Illness or accident"] == (1, Decimal("25.0"), 0, Decimal("0.0"))
    assert causes["Many dependants"] == (0, Decimal("0.0"), 0, Decimal("0.0"))
    assert len(summary.causes) == 9


def test_the_summary_page_print_and_workbook_show_tables_d_and_f(geography, client_of, department_officer):
    commune = geography["muong_hoong"]
    _decided_with_facts(commune, ROWS)
    client = client_of(department_officer)
    page = client.get(
        reverse("households:commune_summary", args=[commune.pk]), {"year": 2024}
    ).content.decode()
    assert "Hộ nghèo, hộ cận nghèo theo nhóm đối tượng" in page and "Thiếu vốn sản xuất" in page
    printed = client.get(reverse("households:commune_summary_document", args=[commune.pk]), {"year": 2024})
    assert "V. Hộ nghèo, hộ cận nghèo theo nguyên nhân nghèo" in printed.content.decode()
    response = client.get(reverse("households:commune_summary_xlsx", args=[commune.pk]), {"year": 2024})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    groups = list(workbook["Theo nhóm"].iter_rows(values_only=True))
    assert groups[1] == ("Hộ dân tộc thiểu số", 2, 50.0, 1, 50.0)
    causes = list(workbook["Nguyên nhân nghèo"].iter_rows(values_only=True))
    assert ("Thiếu vốn sản xuất", 2, 50.0, 1, 50.0) in causes


@pytest.mark.parametrize("extra", [0, 12])
def test_the_summary_tables_run_a_constant_number_of_queries(
    geography, client_of, department_officer, django_assert_num_queries, extra
):
    from households.tests.test_summaries import COMMUNE_SUMMARY_QUERIES

    commune = geography["muong_hoong"]
    more = [
        (f"T{n:02d}", "poor", Facts(ethnic_minority=True, causes=("capital", "skills"))) for n in range(extra)
    ]
    _decided_with_facts(commune, ROWS + more)
    client = client_of(department_officer)
    with django_assert_num_queries(COMMUNE_SUMMARY_QUERIES):
        response = client.get(reverse("households:commune_summary", args=[commune.pk]), {"year": 2024})
    assert response.context["groups"][0].poor == 2 + extra


def test_a_survey_saved_without_facts_leaves_them_as_recorded(survey_round):
    review = _review(survey_round, "F1")
    services.record_survey(
        review=review, by=writer(), facts=Facts(meritorious=True, causes=("land",)), **ANSWERS["poor"]
    )
    services.record_survey(review=review, by=writer(), **ANSWERS["near_poor"])
    review.refresh_from_db()
    assert review.category == "near_poor"
    assert Facts.of(review) == Facts(meritorious=True, causes=("land",))
