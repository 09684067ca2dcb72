"""Importing a year's review results: income, the twelve indicators by their Vietnamese names, evidence."""

import pytest
from django.urls import reverse

from households.models import Deprivation, HouseholdReview, ImportRecord
from households.tests.helpers import make_household, open_survey, survey_as
from households.tests.test_imports import check, record_of, run
from households.tests.workbooks import upload, xlsx_bytes, xlsx_upload

pytestmark = pytest.mark.django_db
INDICATORS = [
    "Việc làm", "Người phụ thuộc trong hộ gia đình", "Dinh dưỡng", "Bảo hiểm y tế",
    "Trình độ giáo dục của người lớn", "Tình trạng đi học của trẻ em", "Chất lượng nhà ở",
    "Diện tích nhà ở bình quân đầu người", "Nguồn nước sinh hoạt", "Nhà tiêu hợp vệ sinh",
    "Sử dụng dịch vụ viễn thông", "Phương tiện phục vụ tiếp cận thông tin",
]  # fmt: skip
HEADERS = ["Mã hộ", "Họ tên chủ hộ", "Thôn, làng", "Thu nhập bình quân đầu người/tháng (đồng)", *INDICATORS,
           "Ghi chú, minh chứng"]  # fmt: skip


def result(code, income, deprived=(), evidence="", head="", village=""):
    return [code, head, village, income, *["x" if name in deprived else "" for name in INDICATORS], evidence]


@pytest.fixture
def survey_round(geography):
    mh = geography["muong_hoong"]
    households = [make_household(mh, code) for code in ("R1", "R2", "R3")]
    return open_survey(mh, 2022, households[:2])


def test_results_are_classified_by_the_rule_and_listed_households_added(
    client_of, muong_hoong_officer, survey_round
):
    client = client_of(muong_hoong_officer)
    rows = [
        result("R1", "1.000.000", ["Bảo hiểm y tế", "Nhà tiêu hợp vệ sinh", "Dinh dưỡng"], "Phiếu B2"),
        result("R2", 1_200_000, ["Nhà tiêu hợp vệ sinh"]),
        result("R3", "2.000.000"),
    ]
    record = record_of(check(client, survey_round.commune, xlsx_upload(HEADERS, rows), "reviews", 2022))
    assert (record.new, record.updated, record.rejected) == (3, 0, 0), record.report
    assert not Deprivation.objects.exists()
    run(client, record)
    reviews = {r.household.code: r for r in survey_round.reviews.select_related("household")}
    assert {code: r.category for code, r in reviews.items()} == {
        "R1": "poor",
        "R2": "near_poor",
        "R3": "average",
    }
    assert sorted(reviews["R1"].deprived_keys) == ["health_insurance", "hygienic_latrine", "nutrition"]
    assert reviews["R1"].evidence == "Phiếu B2" and reviews["R1"].surveyed_by == muong_hoong_officer
    again = record_of(check(client, survey_round.commune, xlsx_upload(HEADERS, rows), "reviews", 2022))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)


def test_changed_results_are_recomputed_and_recorded_with_the_values_before(
    client_of, muong_hoong_officer, survey_round
):
    review = survey_round.reviews.get(household__code="R1")
    survey_as(review, "poor")
    client = client_of(muong_hoong_officer)
    rows = [result("R1", "2.500.000")]
    record = record_of(check(client, survey_round.commune, xlsx_upload(HEADERS, rows), "reviews", 2022))
    assert record.updated == 1
    run(client, record)
    review.refresh_from_db()
    assert review.category == "not_poor" and not review.deprivations.exists()
    change = record.changes.get()
    assert change.before["monthly_income_per_person"] == 1_000_000


def test_bad_result_rows_are_rejected_with_their_column(client_of, muong_hoong_officer, survey_round):
    rows = [result("R1", "một triệu"), result("NONE", 1), result("R2", ""), result("", "", head="Hộ R3",
            village="Làng Mới")]  # fmt: skip
    rows[3][3] = 900_000  # found by the head's name and village
    record = record_of(
        check(
            client_of(muong_hoong_officer), survey_round.commune, xlsx_upload(HEADERS, rows), "reviews", 2022
        )
    )
    found = {(r["row"], r["column"]) for r in record.report["rejections"]}
    assert found == {(2, HEADERS[3]), (3, "Mã hộ"), (4, HEADERS[3])}
    assert record.new == 1 and record.report["matched_by_name"] == 1
    assert not HouseholdReview.objects.exclude(computed_category="").exists()


def test_results_need_every_indicator_column_and_a_round_at_the_survey_step(
    client_of, muong_hoong_officer, survey_round, geography
):
    client = client_of(muong_hoong_officer)
    response = check(
        client, survey_round.commune, xlsx_upload(HEADERS[:5], [["R1", "", "", 1, ""]]), "reviews", 2022
    )
    assert "Người phụ thuộc" in response.context["form"].errors["file"][0]
    response = check(client, survey_round.commune, xlsx_upload(HEADERS, [result("R1", 1)]), "reviews", 2023)
    assert "2023" in response.context["form"].errors["file"][0]
    assert not ImportRecord.objects.exists()


def test_the_results_template_names_the_indicators_in_vietnamese(client_of, muong_hoong_officer):
    import io

    import openpyxl

    response = client_of(muong_hoong_officer).get(
        reverse("households:import_template", args=["reviews"]) + "?year=2022"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == HEADERS[:4] and headers[5:17] == INDICATORS


def test_the_header_match_takes_indicator_names_without_diacritics(
    client_of, muong_hoong_officer, survey_round
):
    from core.text import fold

    headers = [fold(h).upper() for h in HEADERS]
    content = xlsx_bytes(headers, [result("R1", 1_000_000, INDICATORS[:3])])
    record = record_of(
        check(client_of(muong_hoong_officer), survey_round.commune, upload(content), "reviews", 2022)
    )
    assert (record.new, record.rejected) == (1, 0)
