"""The dashboard and the assignments; missions, plans and activities have their own modules."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assistance.access import (
    assignments_for,
    can_manage_assignments,
    can_write_plans,
    get_assignment_for,
)
from assistance.forms import (
    AssignmentForm,
)
from assistance.models import (
    Activity,
    Mission,
    Plan,
)
from communes.access import communes_for, profile_of
from communes.models import today
from core.pages import PAGE_SIZE, form_page
from households.summaries import with_latest_poverty_rate

DASHBOARD_ROWS = 10


# ------------------------------------------------------------------------------------------------
# Dashboard


def dashboard(request):
    """The home page: the user's current plans with progress, activities to carry out, latest
    missions and each commune's latest poverty rate. A fixed number of queries, whatever the data."""
    communes = communes_for(request.user)
    plans = (
        Plan.objects.in_communes(communes)
        .current()
        .with_progress()
        .select_related("commune")
        .order_by("-from_year", "commune__name", "pk")[: DASHBOARD_ROWS * 2]
    )
    upcoming = (
        Activity.objects.in_communes(communes)
        .filter(plan__state=Plan.State.APPROVED)
        .open()
        .select_related("plan__commune")
        .order_by(F("planned_on").asc(nulls_last=True), "pk")[:DASHBOARD_ROWS]
    )
    missions = (
        Mission.objects.in_communes(communes)
        .select_related("leader")
        .prefetch_related("communes")
        .order_by("-start_date", "-pk")[:5]
    )
    with_activity = Q(dissolved_on__isnull=True) | Q(pk__in=Plan.objects.values("commune"))
    commune_rows = with_latest_poverty_rate(
        communes.filter(with_activity).select_related("province", "district").prefetch_related("predecessors")
    ).order_by("dissolved_on", "name")[:100]
    return render(
        request,
        "home.html",
        {
            "profile": profile_of(request.user),
            "plans": plans,
            "upcoming": upcoming,
            "missions": missions,
            "communes": commune_rows,
            "today": today(),
            "can_write_plans": can_write_plans(request.user),
        },
    )


# ------------------------------------------------------------------------------------------------
# Assignments


def assignment_list(request):
    assignments = (
        assignments_for(request.user)
        .select_related("organisation", "leader")
        .prefetch_related("communes", "members")
        .order_by("-from_year", "-pk")
    )
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assistance/assignment_list.html",
        {"page": page, "can_edit": can_manage_assignments(request.user), "year": today().year},
    )


def _assignment_form(request, assignment):
    form = AssignmentForm(request.POST or None, instance=assignment, communes=communes_for(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The assignment was saved."))
        return redirect("assistance:assignment_list")
    return form_page(
        request,
        form,
        title=_("Edit assignment") if assignment else _("New assignment"),
        crumbs=[(_("Assignments"), reverse("assistance:assignment_list"))],
        back=reverse("assistance:assignment_list"),
        section="assignments",
    )


def assignment_create(request):
    if not can_manage_assignments(request.user):
        raise PermissionDenied
    return _assignment_form(request, None)


def assignment_edit(request, pk):
    return _assignment_form(request, get_assignment_for(request.user, pk, write=True))
