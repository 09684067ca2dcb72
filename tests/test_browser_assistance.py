"""A department officer records the seed's survey and agreed support through the pages (not the admin),
from a database with only the geography and the users, and sees 441.000.000 đ of livelihood models."""

import re

import pytest
from playwright.sync_api import expect

from assistance.catalogue import load_ntp_2021_2025
from assistance.models import Plan, Project
from tests.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def project(code, sub=None):
    found = Project.objects.get(parent=None, code=code)
    return str((found.sub_projects.get(code=sub) if sub else found).pk)


def sign_in(page, username):
    page.goto("/sign-in/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def add_finding(page, commune, topic, text, village=None, *, another=True):
    page.locator("#id_commune").select_option(str(commune.pk))
    if village:
        page.locator("#id_village").select_option(str(village.pk))
    page.locator("#id_topic").select_option(topic)
    page.locator("#id_text").fill(text)
    page.get_by_role("button", name="Lưu và thêm tiếp" if another else "Lưu", exact=True).click()


def add_line(
    page, *, kind, title, topic, quantity, unit, amount, date=None, quarter=None, village=None, last=False
):
    page.locator("#id_kind").select_option(kind)
    page.locator("#id_title").fill(title)
    page.locator("#id_project").select_option(topic)
    page.locator("#id_planned_quantity").fill(str(quantity))
    page.locator("#id_quantity_unit").fill(unit)
    if date:
        page.locator("#id_planned_on").fill(date)
    if quarter:
        page.locator("#id_planned_quarter").select_option(quarter[0])
        page.locator("#id_planned_year").fill(quarter[1])
    if village:
        page.locator("#id_village").select_option(str(village.pk))
    page.locator("#id_planned_amount").fill(amount)
    page.get_by_role("button", name="Lưu" if last else "Lưu và thêm tiếp", exact=True).click()
    expect(page.locator(".message").first).to_contain_text("Đã thêm hoạt động")


def make_plan(page, mission_url, commune, title):
    page.goto(mission_url)
    page.get_by_role("link", name="Thêm kế hoạch hỗ trợ").click()
    page.locator("#id_commune").select_option(str(commune.pk))
    page.locator("#id_title").fill(title)
    page.locator("#id_from_year").fill("2022")
    page.locator("#id_to_year").fill("2023")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".notice")).to_contain_text("Dự thảo")
    page.get_by_role("link", name="Thêm hoạt động").click()


def approve(page):
    page.get_by_label("Ngày phê duyệt").fill("22/08/2022")
    page.get_by_role("button", name="Phê duyệt kế hoạch").click()
    expect(page.locator(".message").first).to_contain_text("Đã phê duyệt kế hoạch")


def test_officer_records_the_survey_and_the_agreed_plans(page, geography, department_officer):
    load_ntp_2021_2025()  # flushing tests lose the migration's catalogue
    muong_hoong, ngoc_linh = geography["muong_hoong"], geography["ngoc_linh_old"]
    lang_moi = muong_hoong.villages.get(name="Làng Mới")
    sign_in(page, department_officer.username)

    page.get_by_role("navigation", name="Chính").get_by_role("link", name="Khảo sát").click()
    page.get_by_role("link", name="Thêm đợt khảo sát").click()
    page.get_by_label("Từ ngày").fill("15/08/2022")
    page.get_by_label("Đến ngày").fill("17/08/2022")
    page.get_by_label("Thành viên khác").fill("Phòng Lao động - Thương binh và Xã hội huyện Đắk Glei")
    page.get_by_label("Mường Hoong (Đắk Glei)").check()
    page.get_by_label("Ngọc Linh (Đắk Glei)").check()
    page.get_by_label("Mục đích").fill("Khảo sát nhu cầu hỗ trợ hai xã")
    page.get_by_label("Nội dung đánh giá").fill(
        "Huy động, phân bổ nguồn lực; chỉ đạo; thực hiện Chương trình năm 2022"
    )
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Khảo sát 15/08/2022–17/08/2022")
    mission_url = page.url

    page.get_by_role("link", name="Thêm kết quả khảo sát").click()
    add_finding(page, muong_hoong, project("DA2"), "Nhân rộng mô hình chăn nuôi bò", lang_moi)
    add_finding(page, muong_hoong, project("DA7"), "Năng lực rà soát còn hạn chế")
    add_finding(page, ngoc_linh, project("DA2"), "Cần mô hình chăn nuôi trâu")
    add_finding(page, ngoc_linh, project("DA4", "TDA3"), "Lao động cần tư vấn việc làm", another=False)
    expect(page.locator("table").first).to_contain_text("Làng Mới")

    make_plan(page, mission_url, muong_hoong, "Kế hoạch hỗ trợ xã Mường Hoong")
    add_line(
        page,
        kind="training_class",
        title="Tập huấn rà soát hộ nghèo hai xã",
        topic=project("DA7"),
        quantity=1,
        unit="lớp",
        amount="30.000.000",
        date="15/09/2022",
    )
    add_line(
        page,
        kind="inspection",
        title="Kiểm tra Chương trình tại huyện và hai xã",
        topic=project("DA7"),
        quantity=1,
        unit="cuộc",
        amount="15.000.000",
        quarter=("4", "2022"),
    )
    page.get_by_label(re.compile("Nhân rộng mô hình chăn nuôi bò")).check()
    add_line(
        page,
        kind="livelihood_model",
        title="Mô hình chăn nuôi bò sinh sản",
        topic=project("DA2"),
        quantity=1,
        unit="mô hình",
        amount="221.000.000",
        quarter=("4", "2022"),
        village=lang_moi,
        last=True,
    )
    expect(page.locator("#total-planned")).to_have_text("266.000.000 đ")
    approve(page)

    make_plan(page, mission_url, ngoc_linh, "Kế hoạch hỗ trợ xã Ngọc Linh")
    add_line(
        page,
        kind="livelihood_model",
        title="Mô hình chăn nuôi trâu sinh sản",
        topic=project("DA2"),
        quantity=1,
        unit="mô hình",
        amount="220.000.000",
        quarter=("1", "2023"),
    )
    add_line(
        page,
        kind="job_conference",
        title="Hội nghị tư vấn việc làm, học nghề, đi làm việc ở nước ngoài",
        topic=project("DA4", "TDA3"),
        quantity=1,
        unit="hội nghị",
        amount="40.000.000",
        date="10/11/2022",
    )
    add_line(
        page,
        kind="communication",
        title="Tờ rơi, nói chuyện chuyên đề về chính sách",
        topic=project("DA6"),
        quantity=500,
        unit="tờ rơi",
        amount="20.000.000",
        date="20/09/2022",
        last=True,
    )
    approve(page)

    page.goto(mission_url)
    livelihood = page.locator("tr[data-kind=livelihood_model]")
    expect(livelihood).to_contain_text("Mô hình sinh kế")
    expect(livelihood.locator("td").first).to_have_text("441.000.000 đ")
    assert Plan.objects.filter(state=Plan.State.APPROVED).count() == 2
    assert Plan.objects.get(commune=muong_hoong).activities.get(kind="livelihood_model").village == lang_moi
