import re

import pytest
from playwright.sync_api import expect

from communes import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username, password):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_demo_user_signs_in_switches_language_and_opens_a_commune(page):
    demo.seed()
    sign_in(page, demo.DEMO_USERNAME, demo.DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator(".brand-name")).to_have_text("Sở Nông nghiệp và Môi trường tỉnh Quảng Ngãi")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    page.get_by_role("link", name="Communes").first.click()
    page.get_by_label("Search").fill("muong hoong")
    page.get_by_label("Units").select_option("all")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Commune Mường Hoong").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mường Hoong")
    expect(page.locator("body")).to_contain_text("Làng Mới")
    expect(page.locator("body")).to_contain_text("01/07/2025")

    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_role("link", name=re.compile("Ngọc Linh.*Quảng Ngãi")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Xã\s+Ngọc Linh"))
    expect(page.locator("dl.facts")).to_contain_text("Mường Hoong")
