"""A commune officer of Mường Hoong carries a whole periodic review through the pages, in Vietnamese:
the requests, the list to review, the survey in two villages, the village meetings (one result sent
back and agreed by a second meeting), the posting with an upheld complaint, the district chairman's
opinion, the decision and its three lists with the certificates; beside it, an ad-hoc review from a
form 04 request and a farm household's application (Decree 30/2025), each to its decision.

Dates: the periodic review held in late 2024 (it makes the lists of 2025) started before 1 July 2025,
so it follows the procedure before the two-level government: after the posting the commune asks the
district chairman's opinion, then its chairman decides. The ad-hoc review and the application of
March 2025 (taken up by the monthly review of 15 March 2025) follow the same, with their 15-day
deadline. Every date is fixed in the past: the app refuses future dates and steps out of order.
The lists of 2024 (the review of late 2023) are seeded in Python: clicking them adds nothing."""

import pytest
from playwright.sync_api import expect

from households.models import HouseholdReview, Livelihood
from households.tests.helpers import decided_lists, make_household, survey_as
from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def success(page, text):
    expect(page.locator(".message.success")).to_contain_text(text)


def submit_step(page, state, on, **fields):
    """The "Record this step" form of a round's page or an application's: the next step, its date and
    the fields it asks."""
    form = page.locator("form[action$='/move/']")
    form.locator("#id_to_state").select_option(state)
    form.locator("#id_on").fill(on)
    for name, value in fields.items():
        form.locator(f"#id_{name}").fill(value)
    form.get_by_role("button", name="Ghi nhận bước này").click()


STEPS = {
    "survey": "Khảo sát, chấm điểm",
    "village_meeting": "Họp dân",
    "public_posting": "Niêm yết công khai",
    "district_opinion": "Xin ý kiến Chủ tịch UBND huyện",
    "approved": "Chủ tịch UBND xã phê duyệt",
}


def record_step(page, state, on, *, refused=None, **fields):
    """The round page's next step on `on`, with the `fields` it asks. The page then says the round is
    at that step and shows it as the current one, or, `refused`, says why and stays where it was."""
    current = page.locator("ol.steps li.current").inner_text()
    submit_step(page, state, on, **fields)
    if refused:
        expect(page.locator(".message.error")).to_contain_text(refused)
        expect(page.locator("ol.steps li.current")).to_have_text(current)
    else:
        success(page, f"Đợt rà soát chuyển sang bước: {STEPS[state]}.")
        expect(page.locator("ol.steps li.current")).to_have_text(STEPS[state])


def survey(page, head_name, category, income, deprived=()):
    """Answers the survey of the household named `head_name` and saves it once the preview (the
    server's rule, asked as the officer types) shows `category`: saving while a preview is still on its
    way would be a second request at once, which the test database (SQLite) cannot always take."""
    page.get_by_role("link", name=head_name, exact=True).click()
    page.locator("#id_monthly_income_per_person").fill(str(income))
    for key in page.locator("input[name=deprived]:checked").all():
        key.uncheck()
    for key in deprived:
        page.locator(f"input[name=deprived][value={key}]").check()
    expect(page.locator("#category-preview .category")).to_have_text(category)
    page.locator("button[name=save]").click()
    success(page, category)


def meetings(page):
    return page.locator("section", has=page.get_by_role("heading", name="Họp dân", exact=True))


def record_meeting(page, village, agreeing: dict, *, held_on, again=False):
    """The meeting of `village` from the round page: 10 present, `agreeing` by household code."""
    row = meetings(page).locator("tr", has_text=village)
    row.get_by_role("link", name="Ghi cuộc họp lại" if again else "Ghi kết quả họp dân").click()
    page.locator("#id_held_on").fill(held_on)
    page.locator("#id_chair_name").fill(f"Trưởng thôn {village}")
    page.locator("#id_present").fill("10")
    for code, count in agreeing.items():
        page.locator("tr", has_text=code).locator("input[name^=agreeing_]").fill(str(count))
    page.get_by_role("button", name="Ghi kết quả họp dân").click()
    success(page, "Đã ghi nhận cuộc họp dân.")


def record_request(page, household, received_on, form="form_01"):
    page.goto(household.get_absolute_url())
    request_form = page.locator("form[action$='/requests/new/']")
    request_form.locator("#id_form").select_option(form)
    request_form.locator("#id_received_on").fill(received_on)
    request_form.get_by_role("button", name="Ghi nhận đề nghị", exact=True).click()
    success(page, "Đã ghi nhận đơn đề nghị.")


def test_an_officer_carries_a_periodic_review_from_the_requests_to_the_certificates(
    page, geography, muong_hoong_officer
):
    commune = geography["muong_hoong"]
    lang_moi = {
        code: make_household(commune, code, head_name=f"A Hộ {code}") for code in ("MH01", "MH02", "MH03")
    }
    thon_1 = {
        code: make_household(commune, code, village_name="Thôn 1", head_name=f"Y Hộ {code}")
        for code in ("MH04", "MH05", "MH06")
    }
    farm = make_household(
        commune, "MH07", village_name="Thôn 2", head_name="A Nông", main_livelihood=Livelihood.AGRICULTURE
    )
    households = lang_moi | thon_1
    # The lists of 2024: MH01 and MH05 poor, MH02 and MH06 near-poor.
    categories = {"MH01": "poor", "MH02": "near_poor", "MH05": "poor", "MH06": "near_poor"}
    decided_lists(commune, 2024, {households[code]: category for code, category in categories.items()})

    sign_in(page, muong_hoong_officer.username)

    # The review of late 2024 opened on its own date, from the commune's rounds.
    page.goto(commune.get_absolute_url())
    page.get_by_role("link", name="Các đợt rà soát").click()
    page.locator("#id_year").fill("2024")
    page.locator("#id_on").fill("02/09/2024")
    page.get_by_role("button", name="Mở đợt rà soát định kỳ").click()
    success(page, "Đã mở đợt rà soát.")
    expect(page.locator("p.lists")).to_have_text("Danh sách năm 2025 (rà soát cuối năm 2024)")
    round_url = page.url

    # Two requests (form 01): MH03's screened by Phiếu A and accepted, MH04's refused with its reason.
    record_request(page, households["MH03"], "03/09/2024")
    screening = page.locator("form[action$='/screening/']")
    screening.locator("[name=on]").fill("04/09/2024")
    screening.locator("[name=survey_follows]").select_option("yes")
    screening.get_by_role("button", name="Ghi kết quả rà soát nhanh").click()
    success(page, "tiếp tục rà soát đầy đủ")
    accept = page.locator("form[action$='/accept/']")
    accept.locator("[name=on]").fill("05/09/2024")
    accept.get_by_role("button", name="Chấp nhận đơn").click()
    success(page, "hộ được đưa vào danh sách của đợt rà soát định kỳ")
    expect(page).to_have_url(round_url)

    record_request(page, households["MH04"], "03/09/2024")
    refuse = page.locator("form[action$='/refuse/']")
    refuse.locator("[name=on]").fill("05/09/2024")
    refuse.locator("[name=reason]").fill("Thu nhập bình quân cao hơn chuẩn cận nghèo.")
    refuse.get_by_role("button", name="Từ chối đơn").click()
    success(page, "Đã ghi nhận việc từ chối cùng lý do.")
    expect(page.locator("dl.facts")).to_contain_text("Thu nhập bình quân cao hơn chuẩn cận nghèo.")

    # The list to review (Appendix I): the lists of 2024 and the accepted request.
    page.goto(round_url)
    to_review = page.locator(
        "section", has=page.get_by_role("heading", name="Đơn đề nghị và danh sách hộ rà soát")
    )
    for term, count in (
        ("Trong danh sách hộ nghèo", "2"),
        ("Trong danh sách hộ cận nghèo", "2"),
        ("Có đơn đề nghị đã chấp nhận", "1"),
        ("Cần rà soát theo danh sách và đơn đề nghị", "5"),
        ("Toàn bộ hộ trong sổ theo dõi", "7"),
        ("Đơn đang chờ giải quyết", "0"),
    ):
        expect(to_review.locator(f"dt:text-is('{term}') + dd")).to_have_text(count)
    page.get_by_role("button", name="Lập danh sách hộ nghèo, hộ cận nghèo và hộ có đơn đã chấp nhận").click()
    success(page, "Đã đưa 5 hộ vào danh sách rà soát.")
    expect(page.locator("dl.facts").first).to_contain_text("0 hộ đã khảo sát, còn 5 hộ")
    record_step(page, "survey", "10/09/2024")

    # The survey in two villages: two households clicked, the others seeded.
    survey(page, "A Hộ MH03", "Hộ nghèo", 1_000_000, ("nutrition", "health_insurance", "hygienic_latrine"))
    page.goto(round_url)
    survey(page, "Y Hộ MH05", "Hộ cận nghèo", 1_200_000, ("hygienic_latrine",))
    reviews = {
        r.household.code: r
        for r in HouseholdReview.objects.filter(round__year=2024).select_related("household", "round")
    }
    for code, category in {"MH01": "near_poor", "MH02": "not_poor", "MH06": "not_poor"}.items():
        survey_as(reviews[code], category, by=muong_hoong_officer)
    page.goto(round_url)
    expect(page.locator("dl.facts").first).to_contain_text("5 hộ đã khảo sát, còn 0 hộ")
    record_step(page, "village_meeting", "01/11/2024")

    # Both villages meet; Thôn 1 does not agree MH05's result: back to the survey.
    record_meeting(page, "Làng Mới", {"MH01": 8, "MH02": 7, "MH03": 9}, held_on="05/11/2024")
    page.goto(round_url)
    record_meeting(page, "Thôn 1", {"MH05": 3, "MH06": 8}, held_on="05/11/2024")
    expect(page.locator(".message.warning")).to_contain_text("1 kết quả không được ít nhất 50%")
    page.goto(round_url)
    record_step(page, "public_posting", "08/11/2024", refused="1 kết quả bị họp dân trả lại để rà soát lại")
    # The meetings' table counts the result Thôn 1 sent back.
    expect(meetings(page).locator("tr", has_text="Thôn 1").locator("strong")).to_have_text("1")

    # MH05 surveyed again (poorer than first recorded), agreed by a second meeting of Thôn 1.
    survey(page, "Y Hộ MH05", "Hộ nghèo", 1_000_000, ("nutrition", "health_insurance", "hygienic_latrine"))
    expect(page.locator("p.notice")).to_contain_text("Họp dân không thống nhất kết quả này")
    page.goto(round_url)
    record_meeting(page, "Thôn 1", {"MH05": 9}, held_on="12/11/2024", again=True)
    page.goto(round_url)
    expect(meetings(page).locator("tr", has_text="Thôn 1")).to_contain_text("05/11/2024, 12/11/2024")
    record_step(page, "public_posting", "15/11/2024")  # 3 working days: until Wednesday 20/11/2024
    expect(page.locator("dl.facts").first).to_contain_text("20/11/2024")

    # A complaint during the posting: MH02 lost its harvest; the re-check makes it near-poor.
    complaint = page.locator("form[action$='/complaints/']")
    complaint.locator("#id_household").select_option(str(households["MH02"].pk))
    complaint.locator("#id_received_on").fill("18/11/2024")
    complaint.locator("#id_content").fill("Hộ mất mùa, thu nhập thấp hơn kết quả khảo sát.")
    complaint.get_by_role("button", name="Ghi nhận", exact=True).click()
    success(page, "Đã ghi nhận khiếu nại.")
    record_step(page, "district_opinion", "21/11/2024", refused="1 khiếu nại")
    page.get_by_role("link", name="A Hộ MH02", exact=True).click()
    page.locator("#id_final_category").select_option("near_poor")
    page.locator("#id_final_reason").fill("Phúc tra khiếu nại: mất mùa, thu nhập dưới chuẩn.")
    page.locator("button[name=final]").click()
    success(page, "Đã ghi nhận phân loại cuối cùng.")
    page.goto(round_url)
    page.locator("input[id^=outcome-]").fill("Có cơ sở: hộ chuyển thành hộ cận nghèo.")
    page.get_by_label("Ngày phúc tra").fill("20/11/2024")
    page.get_by_role("button", name="Kết thúc").click()
    success(page, "Đã kết thúc khiếu nại.")
    complaints = page.locator("section", has=page.get_by_role("heading", name="Khiếu nại"))
    expect(complaints.locator("tbody tr")).to_contain_text("hộ chuyển thành hộ cận nghèo. (20/11/2024)")

    # The district chairman's opinion (before the two-level government), then the decision.
    record_step(page, "district_opinion", "21/11/2024")
    record_step(page, "approved", "02/12/2024", decision_number="215/QĐ-UBND", decision_on="02/12/2024")
    expect(page.locator("dl.facts").first).to_contain_text("đã quyết định: chỉ xem")
    # The results: MH03 and MH05 poor, MH01 and MH02 (after the complaint) near-poor, MH06 not poor.
    expect(page.locator(".cards .figure")).to_have_text(
        ["Hộ nghèo2", "Hộ cận nghèo2", "Hộ có mức sống trung bình0", "Hộ không nghèo1"]
    )
    page.screenshot(path="/tmp/round_1280.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path="/tmp/round_360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") == 360  # wide tables scroll, not the page
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Ba danh sách được công nhận, kèm số giấy chứng nhận").click()
    main = page.locator("main")
    expect(main.locator("dl.facts")).to_contain_text("215/QĐ-UBND")
    lists = main.locator("section")
    expect(lists).to_have_count(3)
    # 1. Poor and near-poor after the review, numbered by village then code; 2. escaped poverty
    # (MH01: poor → near-poor); 3. escaped near-poverty (MH06).
    poor_and_near = lists.nth(0)
    expect(poor_and_near.locator("tbody tr")).to_have_count(4)
    for number, code in enumerate(("MH01", "MH02", "MH03", "MH05"), start=1):
        expect(poor_and_near.locator("tr", has_text=code)).to_contain_text(f"{number}/GCN-HN.HCN")
    expect(lists.nth(1)).to_contain_text("MH01")
    expect(lists.nth(2).locator("tbody tr")).to_have_count(1)
    expect(lists.nth(2)).to_contain_text("MH06")
    page.screenshot(path="/tmp/round_recognition_1280.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path="/tmp/round_recognition_360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") == 360  # wide tables scroll, not the page
    page.set_viewport_size({"width": 1280, "height": 900})

    # An ad-hoc review: MH05, poor on the lists of 2025, asks to be recognised as having escaped
    # (form 04) in March 2025, when no periodic review is open.
    record_request(page, households["MH05"], "03/03/2025", form="form_04")
    accept = page.locator("form[action$='/accept/']")
    accept.locator("[name=on]").fill("04/03/2025")
    accept.get_by_role("button", name="Chấp nhận đơn").click()
    success(page, "Đã mở rà soát thường xuyên: cần quyết định trước ngày 30/03/2025.")
    expect(page.locator("h1")).to_contain_text("Rà soát thường xuyên")
    ad_hoc_url = page.url
    survey(page, "Y Hộ MH05", "Hộ có mức sống trung bình", 2_000_000)
    page.goto(ad_hoc_url)
    record_step(page, "village_meeting", "17/03/2025")
    record_meeting(page, "Thôn 1", {"MH05": 8}, held_on="18/03/2025")
    page.goto(ad_hoc_url)
    record_step(page, "public_posting", "19/03/2025")  # 3 working days: until 24/03/2025
    record_step(page, "district_opinion", "21/03/2025", refused="Niêm yết công khai đến hết ngày 24/03/2025")
    record_step(page, "district_opinion", "25/03/2025")
    record_step(page, "approved", "27/03/2025", decision_number="31/QĐ-UBND", decision_on="27/03/2025")
    page.get_by_role("link", name="Ba danh sách được công nhận, kèm số giấy chứng nhận").click()
    expect(page.locator("main dl.facts")).to_contain_text("31/QĐ-UBND")
    expect(page.locator("main section").nth(1)).to_contain_text("MH05")  # escaped poverty

    # A farm household of average living standard applies (Decree 30/2025): 96 million đồng over
    # 12 months for 4 members is 2.000.000 đ a person a month, above the rural line, within the band.
    page.goto(farm.get_absolute_url())
    page.get_by_role("link", name="Ghi nhận đơn đề nghị").click()
    page.locator("#id_requested_on").fill("03/03/2025")
    page.locator("#id_income_12_months").fill("96000000")
    page.locator("#id_member_count").fill("4")
    page.get_by_role("button", name="Ghi nhận đơn đề nghị").click()
    success(page, "đủ điều kiện theo tiêu chí")
    application_url = page.url

    def move_application(state, on, refused=None, **fields):
        submit_step(page, state, on, **fields)
        expect(page).to_have_url(application_url)
        if refused:
            expect(page.locator(".message.error")).to_contain_text(refused)
        else:
            success(page, "Đã ghi nhận bước.")

    move_application("posted", "17/03/2025")  # from the monthly review of 15/03: 5 working days, to 24/03
    expect(page.locator("ol.steps li.current")).to_have_text("Đã niêm yết")
    move_application("rechecked", "21/03/2025", refused="Đang niêm yết công khai đến 24/03/2025")
    page.locator("#id_received_on").fill("20/03/2025")
    page.locator("#id_content").fill("Hộ có thêm thu nhập từ làm thuê.")
    page.get_by_role("button", name="Ghi nhận khiếu nại").click()
    success(page, "Đã ghi nhận khiếu nại")
    page.get_by_label("Kết quả phúc tra").fill("Không có cơ sở: thu nhập làm thuê đã tính trong 12 tháng.")
    page.get_by_label("Ngày phúc tra").fill("21/03/2025")
    page.get_by_role("button", name="Ghi nhận kết quả phúc tra").click()
    success(page, "Đã ghi nhận kết quả phúc tra.")
    move_application("rechecked", "25/03/2025")
    move_application("recognised", "27/03/2025", decision_number="32/QĐ-UBND")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("17/03/2025 – 24/03/2025")
    expect(facts).to_contain_text("Được công nhận")
    expect(facts).to_contain_text("32/QĐ-UBND")

    # The commune's rounds: the periodic review and the ad-hoc one, both decided.
    page.goto(commune.get_absolute_url())
    page.get_by_role("link", name="Các đợt rà soát").click()
    rows = page.locator("table.data tbody tr")
    expect(rows.filter(has_text="Rà soát thường xuyên")).to_contain_text("27/03/2025")
    expect(
        rows.filter(has_text="danh sách năm 2025 (rà soát cuối năm 2024)").filter(has_text="Rà soát định kỳ")
    ).to_contain_text("02/12/2024")
