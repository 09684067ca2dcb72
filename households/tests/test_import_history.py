"""An import keeps the change history as a page edit does: who, when, which import, old and new values."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import Household, HouseholdReview, Member, Person
from households.tests.helpers import make_household, open_survey
from households.tests.test_imports import check, record_of, run
from households.tests.test_review_imports import HEADERS, result
from households.tests.workbooks import household_rows, xlsx_upload

pytestmark = pytest.mark.django_db


def _yesterday(*histories):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    moment = timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(9)))
    for history in histories:
        history.update(history_date=moment)
    return yesterday


def test_an_import_that_creates_and_updates_households_writes_their_history(
    client_of, muong_hoong_officer, geography
):
    muong_hoong_officer.first_name = "A Dũng"
    muong_hoong_officer.save()
    client = client_of(muong_hoong_officer)
    mh = geography["muong_hoong"]
    first = record_of(check(client, mh, xlsx_upload(rows=household_rows(2))))
    run(client, first)
    yesterday = _yesterday(Household.history.all(), Person.history.all(), Member.history.all())
    rows = list(household_rows(3))
    rows[0][3] = "Giẻ Triêng"  # ethnicity of H00001
    rows[1][9] = 1983  # the spouse's year of birth
    second = record_of(check(client, mh, xlsx_upload(rows=rows, name="cap-nhat.xlsx")))
    assert (second.new, second.updated, second.unchanged) == (1, 1, 1)
    run(client, second)

    household = Household.objects.get(code="H00001")
    page = client.get(reverse("households:history", args=[household.pk]))
    entries = page.context["entries"]
    changed = [(e.who, e.kind, c.label, c.old, c.new) for e in entries if e.kind == "~" for c in e.changes]
    assert ("A Dũng", "~", "Dân tộc", "Xơ Đăng", "Giẻ Triêng") in changed
    assert ("A Dũng", "~", "Năm sinh", "1982", "1983") in changed
    created = [e for e in entries if e.kind == "+"]
    assert len(created) == 5 and {e.who for e in created} == {"A Dũng"}  # household, 2 people, 2 members
    reasons = set(Household.history.filter(id=household.pk).values_list("history_change_reason", flat=True))
    assert reasons == {
        f"Nhập từ tệp “ho-gia-dinh.xlsx” (lần nhập {first.pk})",
        f"Nhập từ tệp “cap-nhat.xlsx” (lần nhập {second.pk})",
    }
    new = Household.objects.get(code="H00003")
    assert {h.history_user for h in new.history.all()} == {muong_hoong_officer}
    assert Person.history.filter(full_name="Y Vợ 3", history_type="+").count() == 1

    url = reverse("households:as_of", args=[household.pk])
    then = client.get(url, {"on": yesterday.strftime("%d/%m/%Y")}).context
    now = client.get(url).context
    assert (then["past"].ethnicity, now["past"].ethnicity) == ("Xơ Đăng", "Giẻ Triêng")
    assert [r["person"].birth_year for r in then["current_members"]] == [1980, 1982]
    assert [r["person"].birth_year for r in now["current_members"]] == [1980, 1983]
    new_url = reverse("households:as_of", args=[new.pk])
    assert client.get(new_url, {"on": yesterday.strftime("%d/%m/%Y")}).context["past"] is None
    assert [r["person"].full_name for r in client.get(new_url).context["current_members"]] == [
        "Y Hộ 3",
        "Y Vợ 3",
    ]


def test_imported_review_results_are_in_the_reviews_history(client_of, muong_hoong_officer, geography):
    mh = geography["muong_hoong"]
    survey_round = open_survey(mh, 2022, [make_household(mh, "R1")])
    client = client_of(muong_hoong_officer)
    rows = [result("R1", "1.000.000", ["Bảo hiểm y tế", "Dinh dưỡng"]), result("R2", 1)]
    make_household(mh, "R2")
    run(client, record_of(check(client, mh, xlsx_upload(HEADERS, rows), "reviews", 2022)))
    surveyed = HouseholdReview.history.filter(round=survey_round).exclude(computed_category="")
    assert sorted(surveyed.values_list("household__code", "history_type")) == [("R1", "~"), ("R2", "+")]
    assert {h.history_user for h in surveyed} == {muong_hoong_officer}
