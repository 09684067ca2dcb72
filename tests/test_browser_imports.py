import re

import pytest
from playwright.sync_api import expect

from communes import demo
from communes.models import Commune
from households.tests.workbooks import HOUSEHOLD_HEADERS, household_rows, xlsx_bytes
from tests.test_browser_households import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def upload(page, commune, path):
    page.goto("/households/imports/new/")
    page.get_by_label("Nội dung tệp").select_option("households")
    page.locator("#id_commune").select_option(str(commune.pk))
    page.locator("#id_file").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra tệp (nhập thử)").click()


def test_an_officer_uploads_sees_the_rejected_row_fixes_it_imports_and_sees_the_households(page, tmp_path):
    demo.seed()
    muong_hoong = Commune.objects.get(code=demo.MUONG_HOONG["code"])
    rows = list(household_rows(3))
    rows[2][2] = "Làng Cũ"  # row 4: no such village
    bad = tmp_path / "ho-gia-dinh.xlsx"
    bad.write_bytes(xlsx_bytes(HOUSEHOLD_HEADERS, rows))
    sign_in(page, demo.DEMO_USERNAME, demo.DEMO_PASSWORD)

    upload(page, muong_hoong, bad)
    expect(page.get_by_role("heading", level=1)).to_have_text("ho-gia-dinh.xlsx")
    rejected = page.locator("table.data").first
    expect(rejected).to_contain_text("Làng Cũ")
    expect(rejected.locator("tbody tr")).to_have_count(1)
    expect(rejected.locator("tbody tr td").first).to_have_text("4")
    expect(page.get_by_role("button", name="Nhập các dòng này")).to_have_count(0)
    expect(page.locator(".notice")).to_contain_text("họ tên chủ hộ")

    rows[2][2] = "Làng Mới"
    fixed = tmp_path / "ho-gia-dinh-da-sua.xlsx"
    fixed.write_bytes(xlsx_bytes(HOUSEHOLD_HEADERS, rows))
    upload(page, muong_hoong, fixed)
    expect(page.locator(".cards")).to_contain_text("3")
    page.get_by_role("button", name="Nhập các dòng này").click()
    expect(page.locator(".message.success")).to_contain_text("3 mới")
    page.get_by_role("link", name="Xem danh sách hộ của xã").click()
    expect(page).to_have_url(re.compile(r"/households/\?commune="))
    for number in (1, 2, 3):
        expect(page.get_by_role("link", name=f"Y Hộ {number}", exact=True)).to_be_visible()
    page.screenshot(path=str(tmp_path / "households.png"), full_page=True)
