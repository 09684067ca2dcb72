"""The printed support plan: content equal to the plan page, the PDF (opens, A4, page count, Vietnamese
text intact), its XLSX twin, scope and fixed query counts."""

import datetime
import io
import re
import time

import openpyxl
import pytest
from django.urls import reverse

from assistance import services
from assistance.models import Activity, Plan
from communes.models import Organisation, Profile
from core import pdf
from tests.pdfs import A4_POINTS, assert_a4_with_embedded_fonts, page_size, pdf_text

D = datetime.date


@pytest.fixture
def dolisa(geography):
    committee = Organisation.objects.create(
        full_name="Ủy ban nhân dân tỉnh Kon Tum", short_name="UBND tỉnh Kon Tum"
    )
    return Organisation.objects.create(
        full_name="Sở Lao động - Thương binh và Xã hội tỉnh Kon Tum",
        short_name="SLĐTBXH",
        parent=committee,
        place_name="Kon Tum",
    )


@pytest.fixture
def deputy_director(department_officer, dolisa):
    department_officer.first_name = "Bạch Thị Mân"
    department_officer.save()
    Profile.objects.filter(user=department_officer).update(job_title="Phó Giám đốc", organisation=dolisa)
    department_officer.refresh_from_db()
    return department_officer


@pytest.fixture
def plan(make_plan, line, deputy_director, dolisa, mission, catalogue, geography):
    made = make_plan(
        title="Kế hoạch hỗ trợ xã Mường Hoong năm 2022 - 2023", organisation=dolisa, mission=mission
    )
    mission.findings.create(
        commune=geography["muong_hoong"], topic=catalogue["DA2"], text="Cần nhân rộng mô hình bò sinh sản."
    )
    line(made, by=deputy_director, kind=Activity.Kind.TRAINING_CLASS, amount=30_000_000, title="Lớp tập huấn")
    line(made, by=deputy_director, kind=Activity.Kind.INSPECTION, amount=15_000_000, title="Kiểm tra")
    line(
        made,
        by=deputy_director,
        kind=Activity.Kind.LIVELIHOOD_MODEL,
        amount=396_000_000,
        title="Mô hình chăn nuôi bò sinh sản",
        quantity_unit="mô hình",
    )
    return made


def approve(plan, by):
    services.approve_plan(plan=plan, by=by, on=D(2022, 8, 22))
    plan.refresh_from_db()
    return plan


def test_the_printed_plan_has_the_heading_the_table_by_kind_and_the_total_in_words(
    client_of, deputy_director, plan
):
    approve(plan, deputy_director)
    page = (
        client_of(deputy_director).get(reverse("assistance:plan_document", args=[plan.pk])).content.decode()
    )
    for expected in [
        "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI TỈNH KON TUM",
        "UBND TỈNH KON TUM",  # Decree 30 allows the parent body abbreviated
        "/KH-SLĐTBXH",
        "Kon Tum, ngày 22 tháng 8 năm 2022",
        "Hỗ trợ xã Mường Hoong năm 2022 - 2023",
        "Cần nhân rộng mô hình bò sinh sản.",
        "Lớp tập huấn",
        "Mô hình sinh kế",
        "441.000.000 đồng (Bằng chữ: Bốn trăm bốn mươi mốt triệu đồng)",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Bạch Thị Mân",
    ]:
        assert expected in page, expected


def test_the_printed_totals_equal_the_plan_page(client_of, deputy_director, plan):
    approve(plan, deputy_director)
    cows = plan.activities.get(kind=Activity.Kind.LIVELIHOOD_MODEL)
    services.record_spending(
        activity=cows,
        spent_on=D(2022, 11, 1),
        amount=204_000_000,
        voucher_number="PC-117",
        by=deputy_director,
    )
    client = client_of(deputy_director)
    page = client.get(plan.get_absolute_url())
    document = client.get(reverse("assistance:plan_document", args=[plan.pk]))
    totals = page.context["totals"]
    assert document.context["plan"].planned == totals.planned == 441_000_000
    assert document.context["plan"].spent == totals.spent == 204_000_000
    by_kind = {row["kind"]: row["planned"] for row in page.context["budget_by_kind"]}
    assert {g["kind"]: g["planned"] for g in document.context["groups"]} == by_kind
    text = document.content.decode()
    assert 'id="doc-total">441.000.000<' in text
    assert 'id="doc-spent">204.000.000<' in text
    assert "IV. Tiến độ thực hiện" in text


def test_a_draft_is_undated_with_a_blank_number_and_no_progress(client_of, deputy_director, plan):
    text = (
        client_of(deputy_director).get(reverse("assistance:plan_document", args=[plan.pk])).content.decode()
    )
    assert "Tiến độ thực hiện" not in text
    assert "Kon Tum, ngày\u00a0" in text and "năm 2022" in text


def test_the_plan_keeps_its_number_and_the_signer_chosen(client_of, deputy_director, plan, department_admin):
    Plan.objects.filter(pk=plan.pk).update(number="12/KH-SLĐTBXH", signer=deputy_director)
    text = (
        client_of(department_admin).get(reverse("assistance:plan_document", args=[plan.pk])).content.decode()
    )
    assert "Số: 12/KH-SLĐTBXH" in text
    assert "Bạch Thị Mân" in text


def test_cancelled_lines_are_not_in_the_plan_total(client_of, deputy_director, plan):
    approve(plan, deputy_director)
    services.set_activity_status(
        activity=plan.activities.get(kind=Activity.Kind.INSPECTION),
        status=Activity.Status.CANCELLED,
        reason="Gộp với đợt kiểm tra của tỉnh",
        by=deputy_director,
    )
    response = client_of(deputy_director).get(reverse("assistance:plan_document", args=[plan.pk]))
    assert response.context["plan"].planned == 426_000_000
    assert "Bốn trăm hai mươi sáu triệu đồng" in response.content.decode()
    assert "đã hủy: Gộp với đợt kiểm tra của tỉnh" in response.content.decode()


def test_the_plan_pdf_is_a4_with_its_vietnamese_title_intact(client_of, deputy_director, plan):
    approve(plan, deputy_director)
    response = client_of(deputy_director).get(reverse("assistance:plan_document_pdf", args=[plan.pk]))
    reader, text = pdf_text(response)
    assert_a4_with_embedded_fonts(reader)
    for expected in [
        "KẾ HOẠCH",
        "Hỗ trợ xã Mường Hoong năm 2022 - 2023",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Bằng chữ: Bốn trăm bốn mươi mốt triệu đồng",
    ]:
        assert expected in text, expected


# 60 lines of ~80 characters: the plan table and, once approved, the progress table, with the
# heading and closing; measured with the vendored Liberation Serif (same on every machine).
EXPECTED_PAGES_FOR_60 = 11


def test_a_plan_of_60_activities_prints_on_the_expected_number_of_pages(client_of, deputy_director, plan):
    for number in range(57):
        Activity.objects.create(
            plan=plan,
            position=number + 4,
            kind=list(Activity.Kind.values)[number % 6],
            title=f"Hoạt động hỗ trợ số {number + 4}: tập huấn, truyền thông về giảm nghèo bền vững",
            responsible_unit="Phòng Bảo trợ xã hội",
            quantity_unit="lớp",
            planned_on=D(2022, 9, 15),
            planned_amount=1_000_000,
        )
    approve(plan, deputy_director)
    started = time.perf_counter()
    response = client_of(deputy_director).get(reverse("assistance:plan_document_pdf", args=[plan.pk]))
    seconds = time.perf_counter() - started
    reader, text = pdf_text(response)
    assert len(reader.pages) == EXPECTED_PAGES_FOR_60
    assert all(page_size(p) == A4_POINTS for p in reader.pages)
    assert "Nội dung hoạt động" in reader.pages[2].extract_text()  # the header repeats on later pages
    assert "Bốn trăm chín mươi tám triệu đồng" in text  # 441 + 57 million
    assert seconds < 60, seconds
    print(f"60-activity plan: {len(reader.pages)} pages in {seconds:.2f} s")


def test_no_pdf_engine_gives_a_clear_page_not_a_500(client_of, deputy_director, plan, monkeypatch):
    def missing():
        raise pdf.PdfEngineMissing("libpango-1.0-0: cannot open shared object file")

    monkeypatch.setattr(pdf, "_weasyprint", missing)
    response = client_of(deputy_director).get(reverse("assistance:plan_document_pdf", args=[plan.pk]))
    assert response.status_code == 503
    assert "Không thể tạo tệp PDF" in response.content.decode()


def test_the_plan_table_downloads_as_xlsx_with_numbers(client_of, deputy_director, plan):
    response = client_of(deputy_director).get(reverse("assistance:plan_xlsx", args=[plan.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "Nội dung hoạt động"
    assert rows[-1][0] == "Tổng cộng" and rows[-1][8] == 441_000_000
    assert {row[2] for row in rows[1:-1]} == {"Lớp tập huấn", "Kiểm tra", "Mô hình chăn nuôi bò sinh sản"}


@pytest.mark.parametrize("name", ["plan_document", "plan_document_pdf", "plan_xlsx"])
def test_a_plan_of_another_commune_does_not_exist_for_its_documents(
    client_of, other_commune_officer, plan, name
):
    assert (
        client_of(other_commune_officer).get(reverse(f"assistance:{name}", args=[plan.pk])).status_code == 404
    )


def test_viewers_and_the_commune_may_print_the_plan(client_of, viewer, muong_hoong_officer, plan):
    url = reverse("assistance:plan_document", args=[plan.pk])
    assert client_of(viewer).get(url).status_code == 200
    assert client_of(muong_hoong_officer).get(url).status_code == 200


def test_the_plan_page_links_to_its_document(client_of, deputy_director, plan):
    page = client_of(deputy_director).get(plan.get_absolute_url()).content.decode()
    assert reverse("assistance:plan_document", args=[plan.pk]) in page


def test_the_printed_plan_runs_the_same_queries_whatever_the_number_of_lines(
    client_of, deputy_director, plan, django_assert_num_queries
):
    approve(plan, deputy_director)
    client = client_of(deputy_director)
    url = reverse("assistance:plan_document", args=[plan.pk])
    client.get(url)
    # session, user, profile (scope), plan, plan with totals and heading, lines with money, planned per
    # kind, spent per kind, findings, assignment.
    with django_assert_num_queries(10):
        client.get(url)
    for number in range(10):
        line_activity = Activity(
            kind=Activity.Kind.COMMUNICATION,
            title=f"Tờ rơi {number}",
            planned_amount=1_000_000,
            quantity_unit="tờ",
        )
        services.add_activity(plan=plan, activity=line_activity, by=deputy_director, reason="thêm")
    with django_assert_num_queries(10):
        response = client.get(url)
    assert sum(len(group["activities"]) for group in response.context["groups"]) == 13


def test_the_plan_form_records_issuer_number_and_signer(client_of, deputy_director, plan, dolisa):
    client = client_of(deputy_director)
    edit_page = client.get(reverse("assistance:plan_edit", args=[plan.pk])).content.decode()
    opened_as = re.search(r'name="opened_as" value="([^"]*)"', edit_page).group(1)  # the edit lock's token
    response = client.post(
        reverse("assistance:plan_edit", args=[plan.pk]),
        {
            "opened_as": opened_as,
            "commune": plan.commune_id,
            "organisation": dolisa.pk,
            "title": plan.title,
            "number": "12/KH-SLĐTBXH",
            "from_year": 2022,
            "to_year": 2023,
            "signer": deputy_director.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    plan.refresh_from_db()
    assert (plan.organisation, plan.number, plan.signer) == (dolisa, "12/KH-SLĐTBXH", deputy_director)
