import re

import pytest
from playwright.sync_api import expect

from communes import demo
from communes.models import Commune
from communes.models import today as local_today
from households.tests.helpers import make_household, open_survey, survey_as
from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def record_step(page, state):
    page.locator("#id_to_state").select_option(state)
    if state == "public_posting":
        page.locator("#id_posting_ends_on").fill(local_today().strftime("%d/%m/%Y"))
    if state == "approved":  # the commune chairman's decision is recorded with the approval
        page.locator("#id_decision_number").fill("125/QĐ-UBND")
        page.locator("#id_decision_on").fill(local_today().strftime("%d/%m/%Y"))
    page.locator("form[action$='/move/'] button[type=submit]").click()
    expect(page.locator(".message.success")).to_be_visible()


def test_an_officer_surveys_a_household_approves_the_round_and_sees_the_summary_change(page):
    demo.seed()
    muong_hoong = Commune.objects.get(code=demo.MUONG_HOONG["code"])
    households = [make_household(muong_hoong, f"0100{n}", head_name=f"A Hộ {n}") for n in range(1, 4)]
    review_round = open_survey(muong_hoong, 2022, households)
    for review in review_round.reviews.select_related("household", "round").order_by("household__code")[:2]:
        survey_as(review, "near_poor")

    sign_in(page, demo.DEMO_USERNAME, demo.DEMO_PASSWORD)
    page.goto(muong_hoong.get_absolute_url())
    page.get_by_role("link", name="Tóm tắt kết quả rà soát").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mường Hoong")
    expect(page.locator(".cards")).to_contain_text("0 · 0,0 %")  # nothing decided yet

    page.goto(muong_hoong.get_absolute_url())
    page.get_by_role("link", name="Các đợt rà soát").click()
    page.get_by_role("link", name=re.compile("Rà soát định kỳ")).click()
    expect(page.locator("p.lists")).to_have_text("Danh sách năm 2023 (rà soát cuối năm 2022)")
    page.get_by_role("link", name="A Hộ 3").click()

    page.locator("#id_monthly_income_per_person").fill("1200000")
    for key in ("nutrition", "health_insurance", "hygienic_latrine"):
        page.locator(f"input[name=deprived][value={key}]").check()
    # The category appears as the officer ticks, from the server's rule.
    expect(page.locator("#category-preview .category")).to_have_text("Hộ nghèo")
    page.locator("button[name=save]").click()
    expect(page.locator(".message.success")).to_contain_text("Hộ nghèo")

    page.goto(review_round.get_absolute_url())
    record_step(page, "village_meeting")
    # The village's meeting agrees every result (the form lists them), then the round moves on.
    page.get_by_role("link", name="Ghi kết quả họp dân").click()
    page.locator("#id_chair_name").fill("A Blong")
    page.locator("#id_present").fill("12")
    for field in page.locator("input[name^=agreeing_]").all():
        field.fill("9")
    page.get_by_role("button", name="Ghi kết quả họp dân").click()
    expect(page.locator(".message.success")).to_contain_text("Đã ghi nhận cuộc họp dân")
    page.goto(review_round.get_absolute_url())
    # A review of 2022, before the two-level government: the district chairman's opinion first.
    for state in ("public_posting", "district_opinion", "approved"):
        record_step(page, state)
    expect(page.locator("dl.facts").first).to_contain_text("Chủ tịch UBND xã phê duyệt")
    page.get_by_role("link", name="Ba danh sách được công nhận, kèm số giấy chứng nhận").click()
    expect(page.locator("main")).to_contain_text("125/QĐ-UBND")
    expect(page.locator("main")).to_contain_text("1/GCN-HN.HCN")

    page.goto(f"/households/communes/{muong_hoong.pk}/summary/?year=2023")
    expect(page.locator(".cards")).to_contain_text("1 · 33,3 %")
    page.screenshot(path="/tmp/hh_browser_summary.png", full_page=True)

    # On a phone the pages scroll down, never sideways: wide tables scroll inside themselves, long
    # labels wrap, and the hidden column labels stay within their table.
    page.set_viewport_size({"width": 360, "height": 800})
    for path in (review_round.get_absolute_url(), households[0].get_absolute_url()):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
