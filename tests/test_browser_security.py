"""Two officers edit the same household in two browsers: the second save is refused, showing what
the first changed, and what the second typed is still there; then the history names both."""

import re

import pytest
from playwright.sync_api import expect

from communes import demo
from communes.models import Commune, Role
from households.tests.helpers import make_household
from tests.fixtures import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(browser, live_server, username):
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/sign-in/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/$"))
    return context, page


def test_a_save_over_another_officers_newer_save_is_refused_and_nothing_is_lost(browser, live_server):
    demo.seed_geography()
    commune = Commune.objects.get(code=demo.MUONG_HOONG["code"])
    household = make_household(commune, "01001", head_name="A Thiết")
    for username, role, name in (
        ("first", Role.COMMUNE_OFFICER, "A Dũng"),
        ("second", Role.DEPARTMENT_OFFICER, "Bạch Thị Mân"),
    ):
        user = make_user(username, role, communes=[commune])
        user.first_name = name
        user.save()
    first_context, first = signed_in(browser, live_server, "first")
    second_context, second = signed_in(browser, live_server, "second")
    edit = f"/households/{household.pk}/edit/"
    first.goto(edit)
    second.goto(edit)

    first.get_by_label("Địa chỉ").fill("Thôn 1")
    first.locator("main form button.primary").click()
    expect(first.locator(".message.success")).to_be_visible()

    second.get_by_label("Chủ hộ").fill("A Thiết Lâm")
    second.locator("main form button.primary").click()
    expect(second.get_by_text("Người khác đã lưu bản ghi này")).to_be_visible()
    changes = second.locator("table.changes")
    expect(changes).to_contain_text("Địa chỉ")
    expect(changes).to_contain_text("Thôn 1")
    expect(second.get_by_label("Chủ hộ")).to_have_value("A Thiết Lâm")

    second.locator("main form button.primary").click()  # having seen the change
    expect(second.locator(".message.success")).to_be_visible()
    second.goto(f"/households/{household.pk}/history/")
    expect(second.locator("table.history")).to_contain_text("A Thiết → A Thiết Lâm")
    expect(second.locator("table.history")).to_contain_text("Bạch Thị Mân")
    expect(second.locator("table.history")).to_contain_text("A Dũng")
    first_context.close()
    second_context.close()
