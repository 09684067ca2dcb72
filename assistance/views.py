from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assistance import services
from assistance.access import (
    activities_for,
    assignments_for,
    can_approve_plans,
    can_manage_assignments,
    can_write_missions,
    can_write_plans,
    get_activity_for,
    get_assignment_for,
    get_finding_for,
    get_mission_for,
    get_participant_for,
    get_plan_for,
    missions_for,
    plans_for,
)
from assistance.forms import (
    ActivityForm,
    ApproveForm,
    AssignmentForm,
    CommunicationForm,
    EnrolForm,
    EventForm,
    FindingForm,
    FollowUpForm,
    GivenItemForm,
    HouseholdFilterForm,
    LabourNeedForm,
    MissionForm,
    OutcomeForm,
    ParticipantForm,
    PlanForm,
    SpendingForm,
    StatusForm,
    poor_first,
)
from assistance.models import (
    Activity,
    LabourNeed,
    Mission,
    OutcomeStep,
    Plan,
    Spending,
)
from communes.access import communes_for, profile_of
from communes.models import today
from core import history
from households.forms import AsOfForm
from households.models import Category, Household
from households.summaries import with_latest_poverty_rate

PAGE_SIZE = 50
DASHBOARD_ROWS = 10


def _form_page(request, form, *, title, crumbs, back, submit=None, intro=None, extra=None):
    """One template for every simple create/edit page: heading, breadcrumbs, the form, Cancel."""
    context = {
        "form": form,
        "title": title,
        "crumbs": crumbs,
        "back": back,
        "submit": submit or _("Save"),
        "intro": intro,
    }
    return render(request, "assistance/form.html", {**context, **(extra or {})})


def _errors_to_form(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


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
    return _form_page(
        request,
        form,
        title=_("Edit assignment") if assignment else _("New assignment"),
        crumbs=[(_("Assignments"), reverse("assistance:assignment_list"))],
        back=reverse("assistance:assignment_list"),
    )


def assignment_create(request):
    if not can_manage_assignments(request.user):
        raise PermissionDenied
    return _assignment_form(request, None)


def assignment_edit(request, pk):
    return _assignment_form(request, get_assignment_for(request.user, pk, write=True))


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
            "totals": activities.aggregate(planned=Sum("planned_amount", filter=~Q(status="cancelled"))),
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
    return _form_page(
        request,
        form,
        title=_("Edit survey mission") if mission else _("New survey mission"),
        crumbs=crumbs,
        back=mission.get_absolute_url() if mission else reverse("assistance:mission_list"),
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
    return _form_page(
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


# ------------------------------------------------------------------------------------------------
# Plans


def plan_list(request):
    plans = plans_for(request.user)
    state = request.GET.get("state")
    if state in Plan.State.values:
        plans = plans.filter(state=state)
    activities = Activity.objects.filter(plan__in=plans.values("pk"))
    page = Paginator(
        plans.with_progress()
        .select_related("commune", "mission")
        .order_by("-from_year", "commune__name", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "assistance/plan_list.html",
        {
            "page": page,
            "state": state,
            "states": Plan.State.choices,
            "budget_by_kind": activities.budget_by_kind(),
            "can_edit": can_write_plans(request.user),
            "query": f"state={state}" if state in Plan.State.values else "",
        },
    )


def plan_detail(request, pk):
    """The plan with its money: per line, per kind and in total, every total from the database.
    Seven queries whatever the number of lines (see test_pages)."""
    plan = get_plan_for(request.user, pk)
    totals = Plan.objects.with_progress().select_related("approved_by").get(pk=plan.pk)
    activities = plan.activities.with_money().select_related("project__parent", "village")
    return render(
        request,
        "assistance/plan_detail.html",
        {
            "plan": plan,
            "totals": totals,
            "activities": activities,
            "budget_by_kind": plan.activities.budget_by_kind(),
            "amendments": plan.amendments.select_related("made_by"),
            "can_edit": can_write_plans(request.user),
            "can_approve": can_approve_plans(request.user),
            "approve_form": ApproveForm(initial={"approved_on": today()}),
        },
    )


def _plan_form(request, plan):
    communes = communes_for(request.user)
    initial = {}
    if plan is None:
        initial = {"from_year": today().year, "to_year": today().year}
        mission = request.GET.get("mission")
        if mission and mission.isdigit():
            initial["mission"] = mission
        commune = request.GET.get("commune")
        if commune and commune.isdigit():
            initial["commune"] = commune
        profile = profile_of(request.user)
        if profile and profile.organisation_id:
            initial["organisation"] = profile.organisation_id
    form = PlanForm(
        request.POST or None,
        instance=plan,
        initial=initial,
        communes=communes,
        missions=Mission.objects.in_communes(communes).order_by("-start_date"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.save_draft_plan(plan=form.instance, by=request.user)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(plan)
    crumbs = [(_("Support plans"), reverse("assistance:plan_list"))]
    if plan:
        crumbs.append((plan.title, plan.get_absolute_url()))
    return _form_page(
        request,
        form,
        title=_("Edit plan") if plan else _("New support plan"),
        crumbs=crumbs,
        back=plan.get_absolute_url() if plan else reverse("assistance:plan_list"),
        intro=None
        if plan
        else _("A new plan is a draft: add its activities, then the department approves it."),
    )


def plan_create(request):
    if not can_write_plans(request.user):
        raise PermissionDenied
    return _plan_form(request, None)


def plan_edit(request, pk):
    return _plan_form(request, get_plan_for(request.user, pk, write=True))


@require_POST
def plan_approve(request, pk):
    plan = get_plan_for(request.user, pk, write=True, approve=True)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(plan)
    try:
        services.approve_plan(
            plan=plan,
            by=request.user,
            on=form.cleaned_data["approved_on"],
            decision_number=form.cleaned_data["decision_number"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The plan was approved. From now on it changes only through amendments."))
    return redirect(plan)


@require_POST
def plan_close(request, pk):
    plan = get_plan_for(request.user, pk, write=True, approve=True)
    try:
        services.close_plan(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The plan was closed."))
    return redirect(plan)


def activity_create(request, pk):
    plan = get_plan_for(request.user, pk, write=True, approve=False)
    if not plan.is_draft and not can_approve_plans(request.user):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, plan=plan, initial={"planned_quantity": 1})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_activity(
                plan=plan,
                activity=form.instance,
                findings=form.cleaned_data["findings"],
                by=request.user,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The activity was added to the plan."))
            if "add_another" in request.POST:
                return redirect(request.path)
            return redirect(plan)
    return _form_page(
        request,
        form,
        title=_("Amend the plan: add an activity") if form.amending else _("Add an activity"),
        crumbs=[(_("Support plans"), reverse("assistance:plan_list")), (plan.title, plan.get_absolute_url())],
        back=plan.get_absolute_url(),
        intro=_("This plan is approved: the new line is recorded as an amendment.")
        if form.amending
        else None,
        extra={"add_another": not form.amending},
    )


def activity_edit(request, pk):
    activity = get_activity_for(request.user, pk, write=True)
    plan = activity.plan
    if not plan.is_draft and not can_approve_plans(request.user):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, instance=activity, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            if form.amending:
                services.amend_activity(
                    activity=activity,
                    changes=form.planned_changes(),
                    findings=form.cleaned_data["findings"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            else:
                services.update_draft_activity(
                    activity=form.instance, findings=form.cleaned_data["findings"], by=request.user
                )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request, _("The plan was amended.") if form.amending else _("The activity was saved.")
            )
            return redirect(plan)
    return _form_page(
        request,
        form,
        title=_("Amend the plan: %(title)s") % {"title": activity.title}
        if form.amending
        else _("Edit activity"),
        crumbs=[(_("Support plans"), reverse("assistance:plan_list")), (plan.title, plan.get_absolute_url())],
        back=plan.get_absolute_url(),
        intro=_("This plan is approved: your change is recorded as an amendment with its reason.")
        if form.amending
        else None,
    )


@require_POST
def activity_delete(request, pk):
    activity = get_activity_for(request.user, pk, write=True)
    try:
        services.delete_draft_activity(activity=activity, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The activity was removed from the draft plan."))
    return redirect(activity.plan)


def activity_detail(request, pk):
    activity = get_activity_for(request.user, pk)
    money = Activity.objects.with_money().get(pk=activity.pk)
    context = {
        "activity": activity,
        "plan": activity.plan,
        "money": money,
        "spendings": activity.spendings.select_related("recorded_by"),
        "findings": activity.findings.select_related("topic__parent", "village"),
        "can_edit": can_write_plans(request.user) and activity.plan.state == Plan.State.APPROVED,
        "can_approve": can_approve_plans(request.user),
        "status_form": StatusForm(initial={"status": activity.status}),
        "events": activity.events.all(),
        "communications": activity.communications.all(),
    }
    if activity.kind == Activity.Kind.LIVELIHOOD_MODEL:
        context.update(_livelihood_context(activity))
    if activity.kind == Activity.Kind.JOB_CONFERENCE:
        context["participants"] = activity.participants.select_related(
            "member__person", "member__household"
        ).prefetch_related(Prefetch("steps", queryset=OutcomeStep.objects.order_by("on", "pk")), "offers")
        context["labour_needs"] = LabourNeed.objects.filter(commune=activity.plan.commune)
    return render(request, "assistance/activity_detail.html", context)


def _livelihood_context(activity):
    items = activity.items.all()
    beneficiaries = activity.beneficiaries.aggregate(
        households=Count("pk"), poor=Count("pk", filter=Q(category_when_enrolled=Category.POOR))
    )
    follow_ups = activity.follow_ups.select_related("household")
    latest = follow_ups.order_by("-visited_on", "-pk").first()
    return {
        "items": items,
        "items_total": items.aggregate(total=Sum(F("count") * F("unit_cost")))["total"] or 0,
        "beneficiary_households": poor_first(
            Household.objects.filter(livelihood_support__activity=activity).select_related("village")
        ).annotate(enrolled_on=F("livelihood_support__enrolled_on")),  # the join of the filter above
        "beneficiary_counts": beneficiaries,
        "follow_ups": follow_ups,
        "latest_follow_up": latest,
        "follow_up_totals": follow_ups.aggregate(
            born=Sum("animals_born"), passed_on=Sum("animals_passed_on")
        ),
    }


@require_POST
def activity_status(request, pk):
    activity = get_activity_for(request.user, pk, write=True)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_activity_status(
                activity=activity,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["cancel_reason"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The status was saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(activity)


def _activity_crumbs(activity):
    return [
        (_("Support plans"), reverse("assistance:plan_list")),
        (activity.plan.title, activity.plan.get_absolute_url()),
        (activity.title, activity.get_absolute_url()),
    ]


def spending_create(request, pk):
    activity = get_activity_for(request.user, pk, write=True)
    form = SpendingForm(request.POST or None, initial={"spent_on": today()})
    over_plan = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_spending(
                activity=activity,
                spent_on=data["spent_on"],
                amount=data["amount"],
                voucher_number=data["voucher_number"],
                note=data["note"],
                by=request.user,
                allow_over_plan=data["confirm_over_plan"],
            )
        except ValidationError as error:
            over_plan = getattr(error, "code", None) == "over_plan"
            form.add_error("confirm_over_plan" if over_plan else None, error)
        else:
            messages.success(request, _("The spending was recorded."))
            return redirect(activity)
    money = Activity.objects.with_money().get(pk=activity.pk)
    return _form_page(
        request,
        form,
        title=_("Record spending: %(title)s") % {"title": activity.title},
        crumbs=_activity_crumbs(activity),
        back=activity.get_absolute_url(),
        extra={"money": money, "over_plan": over_plan},
    )


def _activity_child_form(request, activity, form, *, title, kinds=None):
    if kinds and activity.kind not in kinds:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        if "add_another" in request.POST:
            return redirect(request.path)
        return redirect(activity)
    return _form_page(
        request,
        form,
        title=title,
        crumbs=_activity_crumbs(activity),
        back=activity.get_absolute_url(),
        extra={"add_another": True},
    )


def item_create(request, pk):
    activity = get_activity_for(request.user, pk, write=True)
    form = GivenItemForm(request.POST or None)
    form.instance.activity = activity
    return _activity_child_form(
        request, activity, form, title=_("What the model gives"), kinds=[Activity.Kind.LIVELIHOOD_MODEL]
    )


def follow_up_create(request, pk):
    activity = get_activity_for(request.user, pk, write=True)
    form = FollowUpForm(request.POST or None, activity=activity, initial={"visited_on": today()})
    return _activity_child_form(
        request, activity, form, title=_("New follow-up visit"), kinds=[Activity.Kind.LIVELIHOOD_MODEL]
    )


def event_create(request, pk):
    activity = get_activity_for(request.user, pk, write=True)
    form = EventForm(request.POST or None, activity=activity)
    kinds = [
        Activity.Kind.TRAINING_CLASS,
        Activity.Kind.INSPECTION,
        Activity.Kind.JOB_CONFERENCE,
        Activity.Kind.OTHER,
    ]
    return _activity_child_form(request, activity, form, title=_("Record what was held"), kinds=kinds)


def communication_create(request, pk):
    activity = get_activity_for(request.user, pk, write=True)
    form = CommunicationForm(request.POST or None, activity=activity)
    return _activity_child_form(
        request, activity, form, title=_("Record communication"), kinds=[Activity.Kind.COMMUNICATION]
    )


def beneficiary_choose(request, pk):
    """Households of the plan's commune, poor and near-poor first, each with its category."""
    activity = get_activity_for(request.user, pk, write=True)
    if activity.kind != Activity.Kind.LIVELIHOOD_MODEL:
        raise PermissionDenied
    commune = activity.plan.commune
    filters = HouseholdFilterForm(request.GET or None, commune=commune)
    form = EnrolForm(request.POST or None, activity=activity, initial={"enrolled_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            enrolled = services.enrol_households(
                activity=activity,
                households=form.cleaned_data["households"],
                enrolled_on=form.cleaned_data["enrolled_on"],
                by=request.user,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("%(count)s households enrolled.") % {"count": len(enrolled)})
            return redirect(activity)
    households = filters.filter(
        poor_first(Household.objects.filter(commune=commune).exclude(livelihood_support__activity=activity))
    ).select_related("village")
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assistance/beneficiary_choose.html",
        {
            "activity": activity,
            "plan": activity.plan,
            "filters": filters,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "crumbs": _activity_crumbs(activity),
        },
    )


def participant_create(request, pk):
    activity = get_activity_for(request.user, pk, write=True)
    if activity.kind != Activity.Kind.JOB_CONFERENCE:
        raise PermissionDenied
    form = ParticipantForm(request.POST or None, activity=activity)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_participant(
                activity=activity,
                member=data["member"],
                full_name=data["full_name"],
                birth_year=data["birth_year"],
                offers=data["offers"],
                by=request.user,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The participant was added."))
            if "add_another" in request.POST:
                return redirect(request.path)
            return redirect(activity)
    return _form_page(
        request,
        form,
        title=_("New participant"),
        crumbs=_activity_crumbs(activity),
        back=activity.get_absolute_url(),
        extra={"add_another": True},
    )


def outcome_create(request, pk):
    participant = get_participant_for(request.user, pk, write=True)
    activity = participant.activity
    form = OutcomeForm(request.POST or None, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_outcome(
                participant=participant,
                outcome=data["outcome"],
                on=data["on"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The outcome was recorded."))
            return redirect(activity)
    return _form_page(
        request,
        form,
        title=_("Outcome for %(name)s") % {"name": participant.name},
        crumbs=_activity_crumbs(activity),
        back=activity.get_absolute_url(),
        intro=_(
            "Outcomes only move forward: counselled, referred to training, placed in a job, registered "
            "for work abroad, departed, returned."
        ),
        extra={"steps": participant.steps.all()},
    )


def upcoming_list(request):
    activities = (
        activities_for(request.user)
        .filter(plan__state=Plan.State.APPROVED)
        .open()
        .select_related("plan__commune")
        .order_by(F("planned_on").asc(nulls_last=True), "pk")
    )
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assistance/upcoming_list.html", {"page": page, "today": today()})


# ------------------------------------------------------------------------------------------------
# History


def plan_history(request, pk):
    """Every recorded change to the plan, its activities and their spending."""
    plan = get_plan_for(request.user, pk)
    activities = Activity.history.filter(plan_id=plan.pk)
    titles = dict(activities.order_by("history_date").values_list("id", "title"))
    spendings = Spending.history.filter(activity_id__in=set(titles))

    def label(row):
        model = type(row).instance_type
        if model is Activity:
            return _("Activity: %(title)s") % {"title": row.title}
        if model is Spending:
            return _("Spending %(voucher)s: %(title)s") % {
                "voucher": row.voucher_number,
                "title": titles.get(row.activity_id, ""),
            }
        return _("Plan: %(title)s") % {"title": row.title}

    entries = history.changes(Plan.history.filter(id=plan.pk), activities, spendings, label=label)
    return render(
        request,
        "assistance/plan_history.html",
        {"plan": plan, "entries": entries, "as_of_form": AsOfForm()},
    )


def plan_as_of(request, pk):
    """The plan as recorded at the end of a past day: its state, lines, planned and spent money."""
    plan = get_plan_for(request.user, pk)
    form = AsOfForm(request.GET or None)
    on = (form.cleaned_data["on"] if form.is_valid() else None) or today()
    moment = history.end_of(on)
    past = Plan.history.as_of(moment).filter(id=plan.pk).first()
    activities = list(Activity.history.as_of(moment).filter(plan_id=plan.pk).order_by("position", "id"))
    spent: dict[int, int] = {}
    for spending in Spending.history.as_of(moment).filter(activity_id__in=[a.pk for a in activities]):
        spent[spending.activity_id] = spent.get(spending.activity_id, 0) + spending.amount
    rows = [{"activity": a, "spent": spent.get(a.pk, 0)} for a in activities]
    counted = [row for row in rows if row["activity"].status != Activity.Status.CANCELLED]
    first = Plan.history.filter(id=plan.pk).order_by("history_date").first()
    return render(
        request,
        "assistance/plan_as_of.html",
        {
            "plan": plan,
            "past": past,
            "on": on,
            "form": form,
            "rows": rows,
            "planned_total": sum(row["activity"].planned_amount for row in counted),
            "spent_total": sum(row["spent"] for row in rows),
            "recorded_since": first.history_date if first else None,
        },
    )
