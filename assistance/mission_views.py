"""Survey missions, their findings and the labour needs they recorded."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assistance.access import (
    can_write_missions,
    can_write_plans,
    get_finding_for,
    get_mission_for,
    missions_for,
)
from assistance.forms import (
    FindingForm,
    LabourNeedForm,
    MissionForm,
)
from assistance.models import (
    Activity,
)
from communes.access import communes_for
from core.pages import PAGE_SIZE, form_page

# ------------------------------------------------------------------------------------------------
# Survey missions


def mission_list(request):
    missions = (
        missions_for(request.user)
        .select_related("leader")
        .prefetch_related("communes")
        .annotate(finding_count=Count("findings"))
        .order_by("-start_date", "-pk")
    )
    page = Paginator(missions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "assistance/mission_list.html", {"page": page, "can_edit": can_write_missions(request.user)}
    )


def mission_detail(request, pk):
    mission = get_mission_for(request.user, pk)
    communes = communes_for(request.user)
    findings = (
        mission.findings.filter(commune__in=communes)
        .select_related("commune", "village", "topic__parent")
        .order_by("commune__name", "topic__position", "pk")
    )
    plans = mission.plans.filter(commune__in=communes).with_progress().select_related("commune")
    activities = Activity.objects.filter(plan__in=plans.values("pk"))
    return render(
        request,
        "assistance/mission_detail.html",
        {
            "mission": mission,
            "visited": mission.communes.select_related("district").order_by("name"),
            "members": mission.members.select_related("profile"),
            "findings": findings,
            "labour_needs": mission.labour_needs.filter(commune__in=communes).select_related("commune"),
            "photos": mission.photos.all(),
            "plans": plans,
            "budget_by_kind": activities.budget_by_kind(),
            "totals": activities.counted().aggregate(planned=Sum("planned_amount")),
            "can_edit": can_write_missions(request.user),
            "can_plan": can_write_plans(request.user),
        },
    )


def _mission_form(request, mission):
    form = MissionForm(request.POST or None, instance=mission, communes=communes_for(request.user))
    if request.method == "POST" and form.is_valid():
        mission = form.save()
        messages.success(request, _("The survey mission was saved."))
        return redirect(mission)
    crumbs = [(_("Survey missions"), reverse("assistance:mission_list"))]
    if mission:
        crumbs.append((str(mission), mission.get_absolute_url()))
    return form_page(
        request,
        form,
        title=_("Edit survey mission") if mission else _("New survey mission"),
        crumbs=crumbs,
        back=mission.get_absolute_url() if mission else reverse("assistance:mission_list"),
        section="missions",
    )


def mission_create(request):
    if not can_write_missions(request.user):
        raise PermissionDenied
    return _mission_form(request, None)


def mission_edit(request, pk):
    return _mission_form(request, get_mission_for(request.user, pk, write=True))


def _mission_child_form(request, mission, form, *, title):
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        if "add_another" in request.POST:
            return redirect(request.path)
        return redirect(mission)
    return form_page(
        request,
        form,
        title=title,
        crumbs=[
            (_("Survey missions"), reverse("assistance:mission_list")),
            (str(mission), mission.get_absolute_url()),
        ],
        back=mission.get_absolute_url(),
        extra={"add_another": True},
    )


def finding_create(request, pk):
    mission = get_mission_for(request.user, pk, write=True)
    form = FindingForm(request.POST or None, mission=mission, communes=communes_for(request.user))
    return _mission_child_form(request, mission, form, title=_("New finding"))


def finding_edit(request, pk):
    finding = get_finding_for(request.user, pk, write=True)
    mission = finding.mission
    form = FindingForm(
        request.POST or None, instance=finding, mission=mission, communes=communes_for(request.user)
    )
    return _mission_child_form(request, mission, form, title=_("Edit finding"))


def labour_need_create(request, pk):
    mission = get_mission_for(request.user, pk, write=True)
    form = LabourNeedForm(request.POST or None, mission=mission, communes=communes_for(request.user))
    return _mission_child_form(request, mission, form, title=_("New labour need of an enterprise"))
