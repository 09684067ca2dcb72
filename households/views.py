from collections import Counter, defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from communes.access import communes_for, get_commune_for, sees_all_communes
from communes.models import Commune, District, Province, Village, today
from core import history
from households import poverty, services, summaries
from households.access import (
    can_write,
    citizen_id_as_shown,
    get_farm_average_for,
    get_household_for,
    get_member_for,
    get_review_for,
    get_round_for,
    households_for,
    rounds_for,
)
from households.forms import (
    AdHocRequestForm,
    AsOfForm,
    ComplaintForm,
    EndMembershipForm,
    FarmAverageDecisionForm,
    FarmAverageRequestForm,
    FinalCategoryForm,
    HouseholdFilterForm,
    HouseholdForm,
    MemberEditForm,
    MoveMemberForm,
    MoveRoundForm,
    OpenRoundForm,
    PersonForm,
    SummaryForm,
    SurveyForm,
)
from households.models import (
    Category,
    Deprivation,
    FarmAverageRecord,
    Household,
    HouseholdReview,
    Member,
    Person,
    ReviewRound,
)

PAGE_SIZE = 50
TRANSITION_LABELS = {
    poverty.NEWLY_POOR: gettext_lazy("Newly poor"),
    poverty.ESCAPED_POVERTY: gettext_lazy("Escaped poverty"),
    poverty.POOR_TO_NEAR_POOR: gettext_lazy("Poor → near-poor"),
    poverty.FELL_BACK: gettext_lazy("Near-poor → poor (fell back)"),
    poverty.ESCAPED_NEAR_POVERTY: gettext_lazy("Escaped near-poverty"),
    poverty.NEWLY_NEAR_POOR: gettext_lazy("Newly near-poor"),
    poverty.UNCHANGED: gettext_lazy("Unchanged"),
}


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# Households ---------------------------------------------------------------------------------------


def _member_counts():
    current = (
        Member.objects.current()
        .filter(household=OuterRef("pk"))
        .order_by()
        .values("household")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(current), 0)


def filtered_households(request):
    """The filter form and the households it selects, in list order: the list page and its Excel export
    share it. The columns shown are added to a page's or a chunk's households only (`with_columns`)."""
    scoped = households_for(request.user)
    years = summaries.years_with_decisions(scoped)
    form = HouseholdFilterForm(
        request.GET or None,
        communes=communes_for(request.user),
        years=years,
        every_commune=sees_all_communes(request.user),
    )
    households = scoped.order_by("commune__name", "village__name", "code", "pk")
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year")
    if data.get("q"):
        households = households.search(data["q"])
    if data.get("commune"):
        households = households.filter(commune=data["commune"])
    if data.get("village"):
        households = households.filter(village=data["village"])
    if data.get("livelihood"):
        households = households.filter(main_livelihood=data["livelihood"])
    if data.get("category"):
        if year:
            households = households.existing_in(year)
        households = households.in_category(data["category"], year)
    if data.get("indicator"):
        reviews = HouseholdReview.objects.counting(year)
        households = households.filter(
            pk__in=Deprivation.objects.filter(review__in=reviews, indicator=data["indicator"]).values(
                "review__household"
            )
        )
    if data.get("farm_average"):
        recognised = FarmAverageRecord.objects.filter(recognised=True)
        if year:
            recognised = recognised.filter(requested_on__year=year)
        households = households.filter(pk__in=recognised.values("household"))
    return form, households


def with_columns(households):
    """What the list shows of each household; correlated subqueries, so only for a page or a chunk."""
    return households.select_related("village", "commune").with_latest_category()


class VillagePaginator(Paginator):
    """Pages of households in list order (commune name, village name, code) that stay fast deep
    into a province: an OFFSET of 100,000 sorts and skips 100,000 rows. One grouped count says how
    many households each village holds; a page then reads only the villages it spans."""

    @cached_property
    def groups(self) -> list[tuple[list[Q], int]]:
        """[(filters of the villages sharing one (commune name, village name), households)] in list
        order. Names are ranked by the database, whose collation orders the list."""
        counts = list(self.object_list.order_by().values_list("commune", "village").annotate(n=Count("pk")))
        commune_rank = _name_ranks(Commune.objects.filter(pk__in={c for c, _v, _n in counts}))
        village_rank = _name_ranks(Village.objects.filter(pk__in={v for _c, v, _n in counts}))
        filters, households = defaultdict(list), Counter()
        for commune, village, n in counts:
            key = (commune_rank[commune], village_rank[village])
            filters[key].append(Q(commune=commune, village=village))
            households[key] += n
        return [(filters[key], households[key]) for key in sorted(filters)]

    @cached_property
    def count(self) -> int:
        return sum(n for _filters, n in self.groups)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        spanned, before, seen = Q(), 0, 0
        for filters, n in self.groups:
            if seen + n <= bottom:
                before = seen = seen + n
                continue
            if seen >= top:
                break
            for village in filters:
                spanned |= village
            seen += n
        rows = []
        if spanned:
            households = self.object_list.filter(spanned)[bottom - before : top - before]
            rows = list(with_columns(households).annotate(member_count=_member_counts()))
        return self._get_page(rows, number, self)


def _name_ranks(units) -> dict[int, int]:
    """Each unit's place in name order, equal names sharing a place."""
    ranks, rank, previous = {}, -1, None
    for pk, name in units.order_by("name").values_list("pk", "name"):
        if name != previous:
            rank, previous = rank + 1, name
        ranks[pk] = rank
    return ranks


def household_list(request):
    form, households = filtered_households(request)
    page = VillagePaginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "households/list.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "can_write": can_write(request.user),
        },
    )


def _timeline(household):
    """Each year's decided category, the reviews behind it, and the move from the previous year."""
    reviews = (
        household.reviews.select_related("round", "surveyed_by")
        .prefetch_related("deprivations")
        .order_by("-round__year", "-round__decided_on", "-pk")
    )
    years: dict[int, dict] = {}
    for review in reviews:
        entry = years.setdefault(
            review.round.year, {"year": review.round.year, "reviews": [], "category": None}
        )
        entry["reviews"].append(review)
        if entry["category"] is None and review.round.is_decided and review.category:
            entry["category"] = review.category
    for year, entry in years.items():
        previous = years.get(year - 1, {}).get("category")
        entry["transition"] = poverty.transition(previous, entry["category"])
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
            "farm_average_records": household.farm_average_records.all(),
            "can_write": can_write(request.user),
            "ad_hoc_form": AdHocRequestForm(),
        },
    )


def household_create(request):
    if not can_write(request.user):
        raise PermissionDenied
    form = HouseholdForm(request.POST or None, communes=communes_for(request.user))
    if request.method == "POST" and form.is_valid():
        household = form.save()
        messages.success(request, _("Household %(household)s was created.") % {"household": household})
        return redirect(household)
    return render(request, "households/form.html", {"form": form, "household": None})


def household_edit(request, pk):
    household = get_household_for(request.user, pk, write=True)
    form = HouseholdForm(request.POST or None, instance=household, communes=communes_for(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Household %(household)s was saved.") % {"household": household})
        return redirect(household)
    return render(request, "households/form.html", {"form": form, "household": household})


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
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s was added to the household.") % {"name": form.instance})
            return redirect(household)
    return render(
        request, "households/member_form.html", {"form": form, "household": household, "member": None}
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
        form.save()
        member.relation, member.joined_on = form.cleaned_data["relation"], form.cleaned_data["joined_on"]
        try:
            member.full_clean()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            member.save(update_fields=["relation", "joined_on"])
            messages.success(request, _("%(name)s was saved.") % {"name": member.person})
            return redirect(member.household)
    return render(
        request,
        "households/member_form.html",
        {"form": form, "household": member.household, "member": member},
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
                services.end_membership(member=member, on=end_form.cleaned_data["on"])
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


@require_POST
def ad_hoc_request(request, pk):
    household = get_household_for(request.user, pk, write=True)
    form = AdHocRequestForm(request.POST)
    if form.is_valid():
        try:
            review_round = services.request_ad_hoc_review(
                household=household,
                requested_on=form.cleaned_data["requested_on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request,
                _("Ad-hoc review opened: decide it by %(date)s.")
                % {"date": review_round.deadline.strftime("%d/%m/%Y")},
            )
            return redirect(review_round)
    else:
        messages.error(request, _("Enter a valid request date."))
    return redirect(household)


# Review rounds ------------------------------------------------------------------------------------


def round_list(request):
    rounds = (
        rounds_for(request.user)
        .select_related("commune")
        .annotate(
            listed=Count("reviews"),
            surveyed=Count("reviews", filter=~Q(reviews__computed_category="")),
        )
        .order_by("-year", "commune__name", "kind", "-requested_on")
    )
    page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    overdue = (
        rounds_for(request.user)
        .overdue()
        .select_related("commune")
        .prefetch_related(Prefetch("reviews", queryset=HouseholdReview.objects.select_related("household")))
        .order_by("requested_on")
    )
    return render(
        request,
        "households/round_list.html",
        {"page": page, "overdue": overdue, "query": _query_without_page(request), "today": today()},
    )


def commune_rounds(request, pk):
    commune = get_commune_for(request.user, pk)
    form = OpenRoundForm(request.POST or None)
    if request.method == "POST":
        if not can_write(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                review_round = services.open_round(
                    commune=commune, year=form.cleaned_data["year"], by=request.user
                )
            except ValidationError as error:
                form.add_error("year", error)
            else:
                messages.success(request, _("The review round was opened."))
                return redirect(review_round)
    rounds = commune.review_rounds.annotate(
        listed=Count("reviews"), surveyed=Count("reviews", filter=~Q(reviews__computed_category=""))
    ).order_by("-year", "kind", "-requested_on")
    return render(
        request,
        "households/commune_rounds.html",
        {"commune": commune, "rounds": rounds, "form": form, "can_write": can_write(request.user)},
    )


def round_detail(request, pk):
    review_round = get_round_for(request.user, pk)
    reviews = (
        review_round.reviews.select_related("household__village", "surveyed_by")
        .annotate(deprivation_count=Count("deprivations"))
        .order_by("household__village__name", "household__code")
    )
    totals = review_round.reviews.aggregate(
        listed=Count("pk"),
        surveyed=Count("pk", filter=~Q(computed_category="")),
        **{category: Count("pk", filter=Q(category=category)) for category in Category.values},
    )
    write = can_write(request.user)
    moves = [ReviewRound.State(state) for state in review_round.allowed_moves()] if write else []
    move_form = MoveRoundForm(initial={"to_state": moves[0] if moves else None})
    if moves:
        move_form.fields["to_state"].choices = [(state.value, state.label) for state in moves]
    return render(
        request,
        "households/round_detail.html",
        {
            "round": review_round,
            "standard": review_round.standard_definition,
            "steps": review_round.steps.select_related("by"),
            "page": Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page")),
            "counts": [(Category(c), totals[c]) for c in Category.values],
            "surveyed": totals["surveyed"],
            "left": totals["listed"] - totals["surveyed"],
            "moves": moves,
            "move_form": move_form,
            "complaints": review_round.complaints.select_related("household"),
            "complaint_form": ComplaintForm(review_round=review_round, initial={"received_on": today()})
            if write and review_round.state == ReviewRound.State.PUBLIC_POSTING
            else None,
            "can_write": write,
            "all_states": [
                ReviewRound.State(state)
                for state in ReviewRound.State.values
                if state in ReviewRound.MOVES[review_round.kind]
            ],
        },
    )


@require_POST
def round_move(request, pk):
    review_round = get_round_for(request.user, pk, write=True)
    form = MoveRoundForm(request.POST)
    if form.is_valid():
        try:
            services.move_round(
                review_round=review_round,
                to_state=form.cleaned_data["to_state"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                posting_ends_on=form.cleaned_data["posting_ends_on"],
                by=request.user,
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            review_round.refresh_from_db()
            messages.success(
                request, _("The round is now at: %(state)s.") % {"state": review_round.get_state_display()}
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(review_round)


@require_POST
def round_list_households(request, pk):
    review_round = get_round_for(request.user, pk, write=True)
    try:
        added = services.list_households(review_round=review_round)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("%(count)s households were listed for review.") % {"count": added})
    return redirect(review_round)


@require_POST
def complaint_add(request, pk):
    review_round = get_round_for(request.user, pk, write=True)
    form = ComplaintForm(request.POST, review_round=review_round)
    if form.is_valid():
        try:
            services.record_complaint(complaint=form.instance)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The complaint was recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(review_round)


@require_POST
def complaint_resolve(request, pk, complaint_pk):
    review_round = get_round_for(request.user, pk, write=True)
    complaint = get_object_or_404(review_round.complaints, pk=complaint_pk)
    complaint.outcome = request.POST.get("outcome", "").strip()
    complaint.resolved_on = today()
    try:
        complaint.full_clean()
    except ValidationError as error:
        _errors(request, error)
    else:
        complaint.save(update_fields=["outcome", "resolved_on"])
        messages.success(request, _("The complaint was closed."))
    return redirect(review_round)


# Survey -------------------------------------------------------------------------------------------


def _survey_initial(review):
    return {
        "monthly_income_per_person": review.monthly_income_per_person,
        "a_points": review.a_points,
        "deprived": review.deprived_keys,
        "evidence": review.evidence,
    }


def _preview_from(form, review):
    """The category the answers in `form` give, or the error that prevents it."""
    if not form.is_valid():
        return None, None
    try:
        result = services.preview(
            review=review,
            monthly_income_per_person=form.cleaned_data["monthly_income_per_person"],
            deprived=form.cleaned_data["deprived"],
            a_points=form.cleaned_data["a_points"],
        )
    except poverty.ClassificationError as error:
        return None, str(error)
    return result, None


def survey(request, pk):
    review = get_review_for(request.user, pk)
    review_round = review.round
    standard = review_round.standard_definition
    write = can_write(request.user)
    form = SurveyForm(initial=_survey_initial(review), standard=standard)
    final_form = FinalCategoryForm(
        initial={"final_category": review.final_category, "final_reason": review.final_reason}
    )
    result = error = None
    if request.method == "POST":
        if not write:
            raise PermissionDenied
        if "final" in request.POST:
            final_form = FinalCategoryForm(request.POST)
            if final_form.is_valid():
                try:
                    services.set_final_category(
                        review=review,
                        category=final_form.cleaned_data["final_category"],
                        reason=final_form.cleaned_data["final_reason"],
                        by=request.user,
                    )
                except ValidationError as failure:
                    final_form.add_error(None, failure)
                else:
                    messages.success(request, _("The final category was recorded."))
                    return redirect(review)
        else:
            form = SurveyForm(request.POST, standard=standard)
            result, error = _preview_from(form, review)
            if "save" in request.POST and form.is_valid():
                try:
                    services.record_survey(
                        review=review,
                        monthly_income_per_person=form.cleaned_data["monthly_income_per_person"],
                        a_points=form.cleaned_data["a_points"],
                        deprived=form.cleaned_data["deprived"],
                        evidence=form.cleaned_data["evidence"],
                        by=request.user,
                    )
                except ValidationError as failure:
                    form.add_error(None, failure)
                else:
                    messages.success(
                        request,
                        _("Survey of %(household)s saved: %(category)s.")
                        % {"household": review.household, "category": review.get_category_display()},
                    )
                    return redirect(review)
    elif review.is_surveyed:
        result = review.classification()
    next_review = (
        review_round.reviews.filter(computed_category="")
        .exclude(pk=review.pk)
        .order_by("household__code")
        .first()
        if review_round.accepts_answers
        else None
    )
    return render(
        request,
        "households/survey.html",
        {
            "review": review,
            "round": review_round,
            "household": review.household,
            "standard": standard,
            "form": form,
            "final_form": final_form,
            "result": result,
            "error": error,
            "editable": write and review_round.accepts_answers,
            "final_editable": write and review_round.accepts_final_categories and review.is_surveyed,
            "low_income_workers": review.low_income_workers() if review_round.is_decided else [],
            "next_review": next_review,
        },
    )


@require_GET
def survey_preview(request, pk):
    """The category for the answers in the query string: the survey page asks as the officer ticks."""
    review = get_review_for(request.user, pk)
    form = SurveyForm(request.GET, standard=review.round.standard_definition)
    result, error = _preview_from(form, review)
    if result is None and error is None:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    return render(request, "households/_category_preview.html", {"result": result, "error": error})


# Summaries ----------------------------------------------------------------------------------------


def _summary_year(request, households):
    years = summaries.years_with_decisions(households)
    form = SummaryForm(request.GET or None, years=years)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return form, year or (years[0] if years else today().year), years


def _indicator_rows(standard, counts: dict, households: int):
    return [
        {
            "indicator": indicator,
            "count": counts.get(indicator.key, 0),
            "rate": summaries._rate(counts.get(indicator.key, 0), households),
        }
        for indicator in standard.indicators
    ]


def commune_summary_figures(commune, year: int) -> dict:
    """The commune's figures of `year` as the summary page shows them; the printed summary uses the
    same function, so both always agree."""
    households = Household.objects.filter(commune=commune)
    by_village = summaries.figures_by(households, year, ("village",))
    total = summaries.total(by_village.values())
    villages = Village.objects.filter(pk__in=[key[0] for key in by_village]).order_by("name")
    indicators = summaries.indicator_counts(households, year).get((), {})
    try:
        standard = poverty.standard_for_year(year)
    except poverty.ClassificationError:
        standard = poverty.DECREE_07_2021
    return {
        "commune": commune,
        "year": year,
        "total": total,
        "rows": [(village, by_village[(village.pk,)]) for village in villages],
        "indicators": _indicator_rows(standard, indicators, total.households),
        "standard": standard,
        "transitions": _transition_rows(total),
    }


def commune_summary(request, pk):
    commune = get_commune_for(request.user, pk)
    form, year, years = _summary_year(request, Household.objects.filter(commune=commune))
    return render(
        request, "households/commune_summary.html", {"form": form, **commune_summary_figures(commune, year)}
    )


def _transition_rows(figures):
    return [
        (TRANSITION_LABELS[kind], figures.transitions.get(kind, 0)) for kind in summaries.COUNTED_TRANSITIONS
    ]


def area_summary(request):
    """Per commune, district and province, counted in the database; and rolled up to today's communes
    along the successor links of merged communes."""
    households = households_for(request.user)
    form, year, years = _summary_year(request, households)
    by_commune = summaries.figures_by(households, year, ("commune",))
    total = summaries.total(by_commune.values())
    commune_objects = {
        c.pk: c
        for c in Commune.objects.filter(pk__in=[k[0] for k in by_commune])
        .select_related("district", "province")
        .prefetch_related(
            Prefetch(
                "successors",
                queryset=Commune.objects.select_related("province").prefetch_related(
                    Prefetch("successors", queryset=Commune.objects.select_related("province"))
                ),
            )
        )
    }
    by_district: dict[District | None, summaries.Figures] = {}
    by_province: dict[Province, summaries.Figures] = {}
    today_units: dict[int, dict] = {}
    for (commune_pk,), figures in by_commune.items():
        commune = commune_objects[commune_pk]
        by_district.setdefault(commune.district, summaries.Figures()).add(figures)
        by_province.setdefault(commune.province, summaries.Figures()).add(figures)
        unit = _today_unit(commune)
        entry = today_units.setdefault(unit.pk, {"unit": unit, "figures": summaries.Figures(), "from": []})
        entry["figures"].add(figures)
        if unit.pk != commune_pk:
            entry["from"].append(commune)
    return render(
        request,
        "households/area_summary.html",
        {
            "form": form,
            "year": year,
            "total": total,
            "communes": sorted(
                ((commune_objects[k[0]], f) for k, f in by_commune.items()), key=lambda item: item[0].name
            ),
            "districts": sorted(by_district.items(), key=lambda item: item[0].name if item[0] else ""),
            "provinces": sorted(by_province.items(), key=lambda item: item[0].name),
            "today_units": sorted(today_units.values(), key=lambda entry: entry["unit"].name),
            "transitions": _transition_rows(total),
        },
    )


def _today_unit(commune):
    """The commune that carries on `commune` today: follow single successor links (a split stays put)."""
    seen = {commune.pk}
    while True:
        successors = list(commune.successors.all())
        if len(successors) != 1 or successors[0].pk in seen:
            return commune
        commune = successors[0]
        seen.add(commune.pk)


# Farm households of average living standard ------------------------------------------------------


def farm_average_list(request):
    records = (
        FarmAverageRecord.objects.filter(household__in=households_for(request.user))
        .select_related("household__village", "household__commune", "decided_by")
        .order_by("-requested_on", "pk")
    )
    year = request.GET.get("year", "")
    if year.isdigit() and 2000 <= int(year) <= 2100:
        records = records.filter(requested_on__year=int(year))
    status = request.GET.get("status", "recognised")
    if status == "recognised":
        records = records.filter(recognised=True)
    elif status == "pending":
        records = records.filter(decided_on__isnull=True)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "households/farm_average_list.html",
        {
            "page": page,
            "status": status,
            "year": year,
            "query": _query_without_page(request),
            "can_write": can_write(request.user),
        },
    )


def farm_average_request(request, pk):
    household = get_household_for(request.user, pk, write=True)
    form = FarmAverageRequestForm(
        request.POST or None, initial={"member_count": household.members.current().count() or 1}
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_farm_average_request(household=household, **form.cleaned_data)
        except (ValidationError, poverty.ClassificationError) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            if record.eligible:
                messages.success(request, _("The request was recorded: it meets the criteria."))
            else:
                messages.warning(request, _("The request was recorded: it does not meet the criteria."))
            return redirect(household)
    return render(request, "households/farm_average_form.html", {"form": form, "household": household})


@require_POST
def farm_average_decide(request, pk):
    record = get_farm_average_for(request.user, pk, write=True)
    form = FarmAverageDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_farm_average(
                record=record,
                recognised=form.cleaned_data["recognised"],
                on=form.cleaned_data["on"],
                by=request.user,
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The commune's decision was recorded."))
    else:
        messages.error(request, _("Choose the decision and its date."))
    return redirect(record.household)


# History ------------------------------------------------------------------------------------------


def _citizen_id_in_history(user):
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
    person_ids = set(members.values_list("person_id", flat=True))
    persons = Person.history.filter(id__in=person_ids)
    names = dict(persons.order_by("history_date").values_list("id", "full_name"))
    rounds = {r.pk: r for r in ReviewRound.objects.filter(reviews__household=household).distinct()}
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
            return f"{kinds[model]}: {review_round.year if review_round else ''}"
        return f"{kinds[model]}: {row.head_name} ({row.code})"

    entries = history.changes(
        Household.history.filter(id=household.pk),
        members,
        persons,
        HouseholdReview.history.filter(household_id=household.pk),
        hidden={"citizen_id": _citizen_id_in_history(request.user)},
        label=label,
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
        key=lambda entry: (entry["round"].year, entry["round"].pk),
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
