"""Citizen ID numbers in templates, as `households.access.citizen_id_as_shown` shows them."""

from django import template

from households.access import citizen_id_as_shown

register = template.Library()


@register.simple_tag(takes_context=True)
def citizen_id(context, value=""):
    """`{% citizen_id person.citizen_id as shown %}`: what the signed-in user is shown of the number;
    `{% citizen_id as shown %}` is None when they are shown no ID numbers (no column)."""
    return citizen_id_as_shown(context["request"].user, value)
