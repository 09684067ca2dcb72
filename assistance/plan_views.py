"""Support plans: list, detail, create and edit, approve and close, history and as-of."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assistance import services
from assistance.access import (
    can_approve_plans,
    can_write_plans,
    get_plan_for,
    plans_for,
)
from assistance.forms import (
    ApproveForm,
    PlanForm,
)
from assistance.models import (
    Activity,
    Mission,
    Plan,
    Spending,
)
from communes.access import communes_for, profile_of
from communes.models import today
from core import history
from core.pages import PAGE_SIZE, add_errors, form_page
from households.forms import AsOfForm

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
            add_errors(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(plan)
    crumbs = [(_("Support plans"), reverse("assistance:plan_list"))]
    if plan:
        crumbs.append((plan.title, plan.get_absolute_url()))
    return form_page(
        request,
        form,
        title=_("Edit plan") if plan else _("New support plan"),
        crumbs=crumbs,
        back=plan.get_absolute_url() if plan else reverse("assistance:plan_list"),
        intro=None
        if plan
        else _("A new plan is a draft: add its activities, then the department approves it."),
        section="plans",
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
    recorded = Activity.history.as_of(moment).filter(plan_id=plan.pk)
    activities = list(recorded.order_by("position", "id"))
    spent: dict[int, int] = {}
    for spending in Spending.history.as_of(moment).filter(activity_id__in=[a.pk for a in activities]):
        spent[spending.activity_id] = spent.get(spending.activity_id, 0) + spending.amount
    rows = [{"activity": a, "spent": spent.get(a.pk, 0)} for a in activities]
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
            "planned_total": recorded.counted().aggregate(total=Sum("planned_amount"))["total"] or 0,
            "spent_total": sum(row["spent"] for row in rows),
            "recorded_since": first.history_date if first else None,
        },
    )
