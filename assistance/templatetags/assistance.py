from django import template

from assistance.models import Assignment
from communes.models import today

register = template.Library()


@register.simple_tag
def assignments_of(commune):
    """The commune's assignments, latest first, each marked `is_current` for this year."""
    year = today().year
    assignments = list(
        Assignment.objects.filter(communes=commune)
        .select_related("organisation", "leader")
        .prefetch_related("members")
        .order_by("-from_year", "-pk")
    )
    for assignment in assignments:
        assignment.is_current = assignment.covers(year)
    return assignments
