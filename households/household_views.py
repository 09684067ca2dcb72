"""Households and their members: the list, the record, its history and its state on a past day."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from communes.access import communes_for
from communes.models import Commune, Village, today
from core import history
from core.pages import form_page
from households import pagination, poverty, services
from households.access import (
    IDENTITY_NUMBERS,
    can_write,
    citizen_id_as_shown,
    during,
    get_household_for,
    get_member_for,
    households_for,
    times_in,
)
from households.forms import (
    AsOfForm,
    EndMembershipForm,
    HouseholdFilterForm,
    HouseholdForm,
    MemberEditForm,
    MoveMemberForm,
    PersonForm,
    RequestForm,
)
from households.models import Household, HouseholdReview, Member, Person, ReviewRound
from households.pagination import VillagePaginator

# Households ---------------------------------------------------------------------------------------


def _list_columns(households):
    """What the list shows of each household of a page, with its current members counted."""
    current = (
        Member.objects.current()
        .filter(household=OuterRef("pk"))
        .order_by()
        .values("household")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return HouseholdFilterForm.with_columns(households).annotate(member_count=Coalesce(Subquery(current), 0))


def household_list(request):
    scoped = households_for(request.user)
    form = HouseholdFilterForm.for_user(request.GET, request.user, scoped)
    paginator = VillagePaginator(form.filter(scoped), pagination.PAGE_SIZE, columns=_list_columns)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "households/list.html",
        {
            "form": form,
            "page": page,
            "query": pagination.query_without_page(request),
            "can_write": can_write(request.user),
        },
    )


def _timeline(household):
    """Each list year's decided category, the reviews behind it, and the move from the previous lists;
    a household carried over by a merger continues the timeline of its old record."""
    reviews = (
        HouseholdReview.objects.filter(household__in=household.record_ids)
        .select_related("round", "surveyed_by", "certificate")
        .prefetch_related("deprivations")
        .order_by("-round__list_year", "-round__decided_on", "-pk")
    )
    years: dict[int, dict] = {}
    for review in reviews:
        entry = years.setdefault(
            review.round.list_year, {"year": review.round.list_year, "reviews": [], "category": None}
        )
        entry["reviews"].append(review)
        if entry["category"] is None and review.round.is_decided and review.category:
            entry["category"] = review.category
    for year, entry in years.items():
        previous = years.get(year - 1, {}).get("category")
        poor_before = any(e["category"] == poverty.POOR for y, e in years.items() if y < year - 1)
        entry["transition"] = poverty.transition(previous, entry["category"], poor_before=poor_before)
    return list(years.values())


def household_detail(request, pk):
    household = get_household_for(request.user, pk)
    members = household.members.select_related("person").order_by("left_on", "joined_on", "pk")
    return render(
        request,
        "households/detail.html",
        {
            "household": household,
            "current_members": [m for m in members if m.left_on is None],
            "past_members": [m for m in members if m.left_on is not None],
            "timeline": _timeline(household),
            # The records before and after a commune merger, those the user sees (one query).
            "merger_records": households_for(request.user)
            .filter(Q(pk=household.carried_from_id) | Q(carried_from=household))
            .select_related("commune"),
            "applications": household.applications.select_related("person"),
            "can_write": can_write(request.user),
            "review_requests": household.review_requests.select_related("review_round"),
            "request_form": RequestForm(),
        },
    )


def household_create(request):
    if not can_write(request.user):
        raise PermissionDenied
    form = HouseholdForm(request.POST or None, communes=communes_for(request.user))
    if request.method == "POST" and form.is_valid() and _saved(form):
        messages.success(request, _("Household %(household)s was created.") % {"household": form.instance})
        return redirect(form.instance)
    return _household_form_page(request, form, None)


def household_edit(request, pk):
    household = get_household_for(request.user, pk, write=True)
    form = HouseholdForm(request.POST or None, instance=household, communes=communes_for(request.user))
    if request.method == "POST" and form.is_valid() and _saved(form):
        messages.success(request, _("Household %(household)s was saved.") % {"household": household})
        return redirect(household)
    return _household_form_page(request, form, household)


def _saved(form) -> bool:
    """Saves the household, unless another page or an import gave the code to another household
    since the form checked it: then the form says so, as its own check does."""
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:
        form.add_error("code", _("Another household of this commune has this code."))
        return False
    return True


def _household_form_page(request, form, household):
    crumbs = [(_("Households"), reverse("households:list"))]
    if household:
        crumbs.append((household.code, household.get_absolute_url()))
    return form_page(
        request,
        form,
        title=_("Edit household") if household else _("New household"),
        crumbs=crumbs,
        back=household.get_absolute_url() if household else reverse("households:list"),
        section="households",
    )


def _for_household(household, title: str, **kwargs) -> dict:
    """The form page of a household's record: its crumbs, a line naming it, Cancel back to it."""
    return {
        "title": title,
        "crumbs": [
            (_("Households"), reverse("households:list")),
            (household.code, household.get_absolute_url()),
        ],
        "back": household.get_absolute_url(),
        "lead": _("Household of %(name)s (%(code)s)") % {"name": household.head_name, "code": household.code},
        "section": "households",
        **kwargs,
    }


def member_add(request, pk):
    household = get_household_for(request.user, pk, write=True)
    form = PersonForm(request.POST or None, instance=Person())
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(
                household=household,
                person=form.save(commit=False),
                relation=form.cleaned_data["relation"],
                joined_on=form.cleaned_data["joined_on"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s was added to the household.") % {"name": form.instance})
            return redirect(household)
    return form_page(
        request, form, **_for_household(household, _("Add a member"), extra={"autocomplete_off": True})
    )


def member_edit(request, pk):
    member = get_member_for(request.user, pk, write=True)
    form = MemberEditForm(
        request.POST or None,
        instance=member.person,
        initial={"relation": member.relation, "joined_on": member.joined_on},
        shown_to=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_member(
                member=member,
                person=form.save(commit=False),
                relation=form.cleaned_data["relation"],
                joined_on=form.cleaned_data["joined_on"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": member.person})
            return redirect(member.household)
    return form_page(
        request, form, **_for_household(member.household, _("Edit member"), extra={"autocomplete_off": True})
    )


def member_move(request, pk):
    member = get_member_for(request.user, pk, write=True)
    if member.left_on is not None:
        raise PermissionDenied
    form = MoveMemberForm(
        request.POST or None, households=households_for(request.user), exclude=member.household
    )
    end_form = EndMembershipForm(request.POST if "end" in request.POST else None, prefix="end")
    if request.method == "POST" and "end" in request.POST:
        if end_form.is_valid():
            try:
                services.end_membership(member=member, on=end_form.cleaned_data["on"], by=request.user)
            except ValidationError as error:
                end_form.add_error(None, error)
            else:
                messages.success(request, _("%(name)s left the household.") % {"name": member.person})
                return redirect(member.household)
    elif request.method == "POST" and form.is_valid():
        try:
            moved = services.move_member(
                member=member,
                to_household=form.cleaned_data["to_household"],
                on=form.cleaned_data["on"],
                relation=form.cleaned_data["relation"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s moved to household %(household)s.")
                % {"name": member.person, "household": moved.household},
            )
            return redirect(moved.household)
    return render(
        request, "households/member_move.html", {"form": form, "end_form": end_form, "member": member}
    )


# History ------------------------------------------------------------------------------------------


def _citizen_id_in_history(user):
    """A citizen ID number recorded in the past, as the user sees one on every page."""

    def shown(value):
        as_shown = citizen_id_as_shown(user, value or "")
        if as_shown is None:
            return _("(not shown)") if value else "—"
        return as_shown or "—"

    return shown


def household_history(request, pk):
    """Every recorded change to the household, its members, their personal data and its reviews."""
    household = get_household_for(request.user, pk)
    members = Member.history.filter(household_id=household.pk)
    # A member's personal data as changed while they lived here, not after they moved on, and
    # named as they were then.
    times = times_in(members.values("person_id"), {household.pk})
    persons = Person.history.filter(during(times))
    names = Person.history.filter(during(times, since=False)).order_by("history_date")
    names = dict(names.values_list("id", "full_name"))
    reviews = HouseholdReview.history.filter(household_id=household.pk)
    # Every round the reviews were ever in, with the commune its name shows: one query for all.
    rounds = ReviewRound.objects.select_related("commune").filter(pk__in=reviews.values("round_id")).in_bulk()
    kinds = {
        Household: _("Household"),
        Member: _("Membership"),
        Person: _("Member"),
        HouseholdReview: _("Review"),
    }

    def label(row):
        model = type(row).instance_type
        if model is Member:
            return f"{kinds[model]}: {names.get(row.person_id, '')}"
        if model is Person:
            return f"{kinds[model]}: {row.full_name}"
        if model is HouseholdReview:
            review_round = rounds.get(row.round_id)
            return f"{kinds[model]}: {review_round.lists_label if review_round else ''}"
        return f"{kinds[model]}: {row.head_name} ({row.code})"

    entries = history.changes(
        Household.history.filter(id=household.pk),
        members,
        persons,
        reviews,
        hidden=dict.fromkeys(IDENTITY_NUMBERS, _citizen_id_in_history(request.user)),
        label=label,
        known={
            ReviewRound: rounds,
            Person: names,
            Household: {household.pk: household},
            Commune: {household.commune_id: household.commune},
            Village: {household.village_id: household.village},
        },
    )
    return render(
        request,
        "households/history.html",
        {"household": household, "entries": entries, "as_of_form": AsOfForm()},
    )


def household_as_of(request, pk):
    """The household as it was recorded at the end of a past day: its details, members and categories."""
    household = get_household_for(request.user, pk)
    form = AsOfForm(request.GET or None)
    on = (form.cleaned_data["on"] if form.is_valid() else None) or today()
    moment = history.end_of(on)
    past = Household.history.as_of(moment).filter(id=household.pk).first()
    members = list(Member.history.as_of(moment).filter(household_id=household.pk).order_by("joined_on", "pk"))
    people = {p.pk: p for p in Person.history.as_of(moment).filter(id__in=[m.person_id for m in members])}
    reviews = list(HouseholdReview.history.as_of(moment).filter(household_id=household.pk))
    rounds = ReviewRound.objects.in_bulk({review.round_id for review in reviews})
    rows = []
    for member in members:
        person = people.get(member.person_id)
        if person is None:
            continue
        rows.append({"member": member, "person": person})
    categories = sorted(
        ({"round": rounds[r.round_id], "review": r} for r in reviews if r.round_id in rounds),
        key=lambda entry: (entry["round"].list_year, entry["round"].pk),
        reverse=True,
    )
    first = Household.history.filter(id=household.pk).order_by("history_date").first()
    return render(
        request,
        "households/as_of.html",
        {
            "household": household,
            "past": past,
            "on": on,
            "form": form,
            "current_members": [
                row for row in rows if row["member"].left_on is None or row["member"].left_on > on
            ],
            "categories": categories,
            "recorded_since": first.history_date if first else None,
        },
    )
