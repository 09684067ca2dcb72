"""Template filters loaded everywhere (a builtin in settings)."""

from django import template

from core.logging import masked
from core.money import format_dong

register = template.Library()


@register.filter
def dong(value):
    """441000000 → "441.000.000 đ"; empty → "—"."""
    try:
        return format_dong(value)
    except (TypeError, ValueError):
        return value


@register.filter
def figures(value):
    """441000000 → "441.000.000" (a table whose header says the unit, "đồng"); empty → "—"."""
    try:
        return format_dong(value).removesuffix(" đ")
    except (TypeError, ValueError):
        return value


@register.filter
def masked_ids(value):
    """Every run of 12 digits (a citizen ID number) in a text echoed from the request, masked."""
    return masked(str(value))
