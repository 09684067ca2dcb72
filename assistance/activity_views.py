"""A plan's activities and what was carried out for them: spending, items, beneficiaries, events,
communication, participants and their outcomes."""

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
    can_approve_plans,
    can_write_plans,
    get_activity_for,
    get_participant_for,
    get_plan_for,
)
from assistance.forms import (
    ActivityForm,
    CommunicationForm,
    EnrolForm,
    EventForm,
    FollowUpForm,
    GivenItemForm,
    HouseholdFilterForm,
    OutcomeForm,
    ParticipantForm,
    SpendingForm,
    StatusForm,
    poor_first,
)
from assistance.models import (
    Activity,
    LabourNeed,
    OutcomeStep,
    Plan,
)
from communes.models import today
from core.pages import PAGE_SIZE, add_errors, form_page
from households.models import Category, Household


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
            add_errors(form, error)
        else:
            messages.success(request, _("The activity was added to the plan."))
            if "add_another" in request.POST:
                return redirect(request.path)
            return redirect(plan)
    return form_page(
        request,
        form,
        title=_("Amend the plan: add an activity") if form.amending else _("Add an activity"),
        crumbs=[(_("Support plans"), reverse("assistance:plan_list")), (plan.title, plan.get_absolute_url())],
        back=plan.get_absolute_url(),
        intro=_("This plan is approved: the new line is recorded as an amendment.")
        if form.amending
        else None,
        section="plans",
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
            add_errors(form, error)
        else:
            messages.success(
                request, _("The plan was amended.") if form.amending else _("The activity was saved.")
            )
            return redirect(plan)
    return form_page(
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
        section="plans",
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
    if "items" in activity.recorded:
        context.update(_livelihood_context(activity))
    if "participants" in activity.recorded:
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
    if not (over_plan or form["confirm_over_plan"].value()):
        del form.fields["confirm_over_plan"]  # asked for once the spending goes over the plan
    money = Activity.objects.with_money().get(pk=activity.pk)
    return form_page(
        request,
        form,
        title=_("Record spending: %(title)s") % {"title": activity.title},
        crumbs=_activity_crumbs(activity),
        back=activity.get_absolute_url(),
        extra={"money": money, "before_form": "assistance/_money_so_far.html"},
    )


def _activity_child_form(request, activity, form, *, title, record):
    if record not in activity.recorded:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        if "add_another" in request.POST:
            return redirect(request.path)
        return redirect(activity)
    return form_page(
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
    return _activity_child_form(request, activity, form, title=_("What the model gives"), record="items")


def follow_up_create(request, pk):
    activity = get_activity_for(request.user, pk, write=True)
    form = FollowUpForm(request.POST or None, activity=activity, initial={"visited_on": today()})
    return _activity_child_form(request, activity, form, title=_("New follow-up visit"), record="follow_ups")


def event_create(request, pk):
    activity = get_activity_for(request.user, pk, write=True)
    form = EventForm(request.POST or None, activity=activity)
    return _activity_child_form(request, activity, form, title=_("Record what was held"), record="events")


def communication_create(request, pk):
    activity = get_activity_for(request.user, pk, write=True)
    form = CommunicationForm(request.POST or None, activity=activity)
    return _activity_child_form(
        request, activity, form, title=_("Record communication"), record="communications"
    )


def beneficiary_choose(request, pk):
    """Households of the plan's commune, poor and near-poor first, each with its category."""
    activity = get_activity_for(request.user, pk, write=True)
    if "beneficiaries" not in activity.recorded:
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
            add_errors(form, error)
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
    if "participants" not in activity.recorded:
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
            add_errors(form, error)
        else:
            messages.success(request, _("The participant was added."))
            if "add_another" in request.POST:
                return redirect(request.path)
            return redirect(activity)
    return form_page(
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
            add_errors(form, error)
        else:
            messages.success(request, _("The outcome was recorded."))
            return redirect(activity)
    return form_page(
        request,
        form,
        title=_("Outcome for %(name)s") % {"name": participant.name},
        crumbs=_activity_crumbs(activity),
        back=activity.get_absolute_url(),
        intro=_(
            "Outcomes only move forward: counselled, referred to training, placed in a job, registered "
            "for work abroad, departed, returned."
        ),
        extra={"steps": participant.steps.all(), "before_form": "assistance/_outcomes_so_far.html"},
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
