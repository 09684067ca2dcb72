"""Review rounds and their steps, complaints, and the survey of each household."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from communes.access import get_commune_for
from communes.models import today
from core.pages import error_messages
from households import meeting_services, pagination, poverty, services
from households.access import can_write, get_review_for, get_round_for, rounds_for
from households.forms import (
    ComplaintForm,
    ComplaintRecheckForm,
    FinalCategoryForm,
    MoveRoundForm,
    OpenRoundForm,
    SurveyForm,
)
from households.models import (
    Category,
    CauseOfPoverty,
    HouseholdReview,
    ReviewRequest,
    ReviewRound,
    SupportKind,
    households_on_lists,
    is_ethnic_minority,
)
from households.models.requests import LISTED_CATEGORIES

# Review rounds ------------------------------------------------------------------------------------


def round_list(request):
    rounds = (
        rounds_for(request.user)
        .select_related("commune")
        .annotate(
            listed=Count("reviews"),
            surveyed=Count("reviews", filter=~Q(reviews__computed_category="")),
        )
        .order_by("-list_year", "commune__name", "kind", "-requested_on")
    )
    page = Paginator(rounds, pagination.PAGE_SIZE).get_page(request.GET.get("page"))
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
        {"page": page, "overdue": overdue, "query": pagination.query_without_page(request), "today": today()},
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
                    commune=commune,
                    year=form.cleaned_data["year"],
                    on=form.cleaned_data["on"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error("on" if error.code == "future" else "year", error)
            else:
                messages.success(request, _("The review round was opened."))
                return redirect(review_round)
    rounds = commune.review_rounds.annotate(
        listed=Count("reviews"), surveyed=Count("reviews", filter=~Q(reviews__computed_category=""))
    ).order_by("-list_year", "kind", "-requested_on")
    return render(
        request,
        "households/commune_rounds.html",
        {"commune": commune, "rounds": rounds, "form": form, "can_write": can_write(request.user)},
    )


def _to_review(review_round) -> dict:
    """The two ways to list a periodic round's households, counted: the Appendix I list (the current
    poor and near-poor lists, the accepted requests feeding the round, each household once) and every
    household on the register; and the commune's requests still pending."""
    feeding = ReviewRequest.objects.feeding(review_round).filter(household=OuterRef("pk"))
    counts = (
        households_on_lists(review_round)
        .annotate(has_request=Exists(feeding))
        .aggregate(
            every=Count("pk"),
            poor=Count("pk", filter=Q(list_category=Category.POOR)),
            near_poor=Count("pk", filter=Q(list_category=Category.NEAR_POOR)),
            requested=Count("pk", filter=Q(has_request=True)),
            to_review=Count("pk", filter=Q(list_category__in=LISTED_CATEGORIES) | Q(has_request=True)),
        )
    )
    counts["pending"] = ReviewRequest.objects.filter(
        commune=review_round.commune_id, outcome=ReviewRequest.Outcome.PENDING
    ).count()
    return counts


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
    steps_in_law = review_round.procedure
    moves = list(review_round.allowed_moves()) if write else []
    move_form = MoveRoundForm(
        initial={"to_state": moves[0] if moves else None}, approval=ReviewRound.State.APPROVED in moves
    )
    if moves:
        move_form.fields["to_state"].choices = [(state, steps_in_law.label(state)) for state in moves]
    steps = list(review_round.steps.select_related("by"))
    for step in steps:
        step.label = steps_in_law.label(step.state)
    return render(
        request,
        "households/round_detail.html",
        {
            "round": review_round,
            "standard": review_round.standard_definition,
            "steps": steps,
            "page": Paginator(reviews, pagination.PAGE_SIZE).get_page(request.GET.get("page")),
            "counts": [(Category(c), totals[c]) for c in Category.values],
            "surveyed": totals["surveyed"],
            "left": totals["listed"] - totals["surveyed"],
            "moves": moves,
            "move_form": move_form,
            "complaints": review_round.complaints.select_related("household"),
            "villages": meeting_services.village_rows(review_round),
            "complaint_form": ComplaintForm(review_round=review_round, initial={"received_on": today()})
            if write and review_round.state == ReviewRound.State.PUBLIC_POSTING
            else None,
            "can_write": write,
            "requests": review_round.requests.select_related("household").order_by("received_on", "pk"),
            "to_review": _to_review(review_round) if review_round.kind == ReviewRound.Kind.PERIODIC else None,
            "all_states": [(state, steps_in_law.label(state)) for state in steps_in_law.steps()],
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
                decision_number=form.cleaned_data["decision_number"],
                decision_on=form.cleaned_data["decision_on"],
                decision_signer=form.cleaned_data["decision_signer"],
                by=request.user,
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            review_round.refresh_from_db()
            messages.success(
                request, _("The round is now at: %(state)s.") % {"state": review_round.state_label()}
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(review_round)


@require_POST
def round_list_households(request, pk):
    """The two buttons of the round page: the Appendix I list (the default), or every household."""
    review_round = get_round_for(request.user, pk, write=True)
    try:
        added = services.list_households(
            review_round=review_round, every_household="every" in request.POST, by=request.user
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("%(count)s households were listed for review.") % {"count": added})
    return redirect(review_round)


@require_POST
def complaint_add(request, pk):
    review_round = get_round_for(request.user, pk, write=True)
    form = ComplaintForm(request.POST, review_round=review_round)
    if form.is_valid():
        try:
            services.record_complaint(complaint=form.instance, by=request.user)
        except ValidationError as error:
            error_messages(request, error)
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
    form = ComplaintRecheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the re-check found, and its date."))
        return redirect(review_round)
    try:
        services.resolve_complaint(complaint=complaint, **form.cleaned_data, by=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The complaint was closed."))
    return redirect(review_round)


# Survey -------------------------------------------------------------------------------------------


def _survey_initial(review, facts: services.HouseholdFacts):
    return {
        "monthly_income_per_person": review.monthly_income_per_person,
        "a_points": review.a_points,
        "deprived": review.deprived_keys,
        "evidence": review.evidence,
        "surveyed_on": review.surveyed_on,
        **vars(facts),
        # Until the survey says otherwise, the household's ethnicity suggests the fact.
        "ethnic_minority": facts.ethnic_minority
        if review.is_surveyed
        else is_ethnic_minority(review.household.ethnicity),
    }


def _facts(form) -> services.HouseholdFacts:
    data = form.cleaned_data
    return services.HouseholdFacts(
        ethnic_minority=data["ethnic_minority"],
        no_working_capacity=data["no_working_capacity"],
        meritorious=data["meritorious"],
        causes=tuple(data["causes"]),
        supports=tuple(data["supports"]),
    )


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
    facts = services.HouseholdFacts.of(review)
    form = SurveyForm(initial=_survey_initial(review, facts), standard=standard)
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
                        facts=_facts(form),
                        by=request.user,
                        on=form.cleaned_data["surveyed_on"],
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
            "facts": facts,
            "cause_labels": [CauseOfPoverty(key).label for key in facts.causes],
            "support_labels": [SupportKind(key).label for key in facts.supports],
            "final_form": final_form,
            "result": result,
            "error": error,
            "editable": write and review.accepts_answers,
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
