"""Template filters loaded everywhere (a builtin in settings)."""

from django import template

from core.money import format_dong

register = template.Library()


@register.filter
def dong(value):
    """441000000 → "441.000.000 đ"; empty → "—"."""
    try:
        return format_dong(value)
    except (TypeError, ValueError):
        return value
