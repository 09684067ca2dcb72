import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from core.money import format_dong
from core.text import fold


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (441_000_000, "441.000.000 đ"),
        (221000000, "221.000.000 đ"),
        (0, "0 đ"),
        (999, "999 đ"),
        (1000, "1.000 đ"),
        (-1_500_000, "-1.500.000 đ"),
        (1_234_567_890_123, "1.234.567.890.123 đ"),
        (Decimal("1500000"), "1.500.000 đ"),
        ("220000000", "220.000.000 đ"),
        (None, "—"),
    ],
)
def test_money_is_whole_dong_with_dots(amount, shown):
    assert format_dong(amount) == shown


def test_money_refuses_fractions_of_a_dong():
    with pytest.raises(ValueError):
        format_dong(Decimal("10.5"))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_money_filter_in_templates_in_every_language(language):
    with translation.override(language):
        assert Template("{{ amount|dong }}").render(Context({"amount": 441000000})) == "441.000.000 đ"


def test_money_filter_leaves_text_that_is_not_money_alone():
    assert Template("{{ amount|dong }}").render(Context({"amount": "n/a"})) == "n/a"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_are_day_month_year_in_every_language(language):
    template = Template(
        '{{ day|date:"SHORT_DATE_FORMAT" }} · {{ day }} · {{ moment|date:"SHORT_DATETIME_FORMAT" }}'
    )
    moment = datetime.datetime(2022, 8, 15, 1, 30, tzinfo=datetime.UTC)
    with translation.override(language), timezone.override("Asia/Ho_Chi_Minh"):
        rendered = template.render(Context({"day": datetime.date(2022, 8, 5), "moment": moment}))
    assert rendered == "05/08/2022 · 05/08/2022 · 15/08/2022 08:30"


def test_time_zone_is_ho_chi_minh(settings):
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Mường Hoong", "muong hoong"),
        ("Ngọc Linh", "ngoc linh"),
        ("Đắk Glei", "dak glei"),
        ("  LÀNG   Mới ", "lang moi"),
        ("ắ ằ ẳ ẵ ặ ề ữ ự ỹ", "a a a a a e u u y"),
        ("", ""),
    ],
)
def test_fold_removes_diacritics_case_and_extra_spaces(text, folded):
    assert fold(text) == folded
