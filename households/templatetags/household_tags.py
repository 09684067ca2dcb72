"""Labels and figures of the review in templates: categories, transitions, rates."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from households import poverty, procedure
from households.models import Category

register = template.Library()


@register.filter
def category_label(value) -> str:
    if not value:
        return ""
    try:
        return Category(value).label
    except ValueError:
        return value


@register.simple_tag
def category_badge(value):
    if not value:
        return "—"
    return format_html('<span class="category category-{}">{}</span>', value, category_label(value))


@register.filter
def lists_label(list_year) -> str:
    """2023 → "lists of 2023 (review of late 2022)"."""
    return procedure.lists_label(int(list_year)) if list_year else ""


@register.filter
def transition_label(value) -> str:
    return poverty.TRANSITION_LABELS.get(value, "") if value else ""


@register.filter
def percent(value) -> str:
    """45.3 → "45,3 %" (the locale's decimal separator); None → "—"."""
    if value is None:
        return "—"
    return f"{number_format(value, 1)} %"


@register.filter
def points(value) -> str:
    """A change of rate in percentage points, signed: +2,5 / −3,1."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{number_format(abs(value), 1)}"


@register.filter
def user_name(user) -> str:
    """A user's full name, else their username; "—" for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()
