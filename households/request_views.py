"""Requests (form 01, form 04): the commune's list, a request's page with its Phiếu A screening, and
its acceptance or refusal."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communes.access import get_commune_for
from core.pages import error_messages
from households import pagination, request_services
from households.access import can_write, get_household_for, get_request_for, households_for
from households.forms import (
    AcceptRequestForm,
    ApplicantRequestForm,
    RefuseRequestForm,
    RequestFilterForm,
    RequestForm,
    ScreeningForm,
)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_POST
def household_request(request, pk):
    """The household page's form: records the request, pending, and shows it."""
    household = get_household_for(request.user, pk, write=True)
    form = RequestForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(household)
    try:
        recorded = request_services.record_request(
            commune=household.commune, household=household, **form.cleaned_data, by=request.user
        )
    except ValidationError as error:
        error_messages(request, error)
        return redirect(household)
    messages.success(request, _("The request was recorded."))
    return redirect(recorded)


def commune_requests(request, pk):
    """The commune's requests, by outcome; a writer records here the request of a person whose
    household is not in the register yet."""
    commune = get_commune_for(request.user, pk)
    write = can_write(request.user)
    form = ApplicantRequestForm(request.POST or None)
    if request.method == "POST":
        if not write:
            raise PermissionDenied
        if form.is_valid():
            try:
                recorded = request_services.record_request(
                    commune=commune, **form.cleaned_data, by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The request was recorded."))
                return redirect(recorded)
    filters = RequestFilterForm(request.GET or None)
    requests = commune.review_requests.select_related("household__village", "review_round", "received_by")
    if filters.is_valid() and filters.cleaned_data["outcome"]:
        requests = requests.filter(outcome=filters.cleaned_data["outcome"])
    return render(
        request,
        "households/requests.html",
        {
            "commune": commune,
            "filters": filters,
            "page": Paginator(requests, pagination.PAGE_SIZE).get_page(request.GET.get("page")),
            "query": pagination.query_without_page(request),
            "form": form,
            "can_write": write,
        },
    )


def request_detail(request, pk):
    review_request = get_request_for(request.user, pk)
    write = can_write(request.user) and review_request.is_pending
    return render(
        request,
        "households/request_detail.html",
        {
            "request_": review_request,
            "can_write": write,
            # Three forms on one page, each with its date: ids of their own, so each label names its field.
            "screening_form": ScreeningForm(auto_id="screening_%s")
            if write and review_request.form == "form_01"
            else None,
            "accept_form": AcceptRequestForm(auto_id="accept_%s") if write else None,
            "refuse_form": RefuseRequestForm(auto_id="refuse_%s") if write else None,
        },
    )


@require_POST
def request_screen(request, pk):
    review_request = get_request_for(request.user, pk, write=True)
    form = ScreeningForm(request.POST)
    if form.is_valid():
        try:
            screened = request_services.record_screening(
                request=review_request, **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            if screened.is_pending:
                messages.success(request, _("The screening was recorded: the full survey follows."))
            else:
                messages.warning(request, _("The screening was recorded: the request is refused."))
    else:
        _form_errors(request, form)
    return redirect(review_request)


@require_POST
def request_accept(request, pk):
    review_request = get_request_for(request.user, pk, write=True)
    form = AcceptRequestForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(review_request)
    household = None
    if code := form.cleaned_data["household_code"].strip():
        household = households_for(request.user).filter(commune=review_request.commune_id, code=code).first()
        if household is None:
            messages.error(request, _("No household of this commune has the code %(code)s.") % {"code": code})
            return redirect(review_request)
    try:
        accepted = request_services.accept_request(
            request=review_request, on=form.cleaned_data["on"], household=household, by=request.user
        )
    except ValidationError as error:
        error_messages(request, error)
        return redirect(review_request)
    review_round = accepted.review_round
    if review_round.kind == review_round.Kind.AD_HOC:
        messages.success(
            request,
            _("Ad-hoc review opened: decide it by %(date)s.")
            % {"date": review_round.deadline.strftime("%d/%m/%Y")},
        )
    else:
        messages.success(
            request, _("The request was accepted: the household is on the list of the periodic review.")
        )
    return redirect(review_round)


@require_POST
def request_refuse(request, pk):
    review_request = get_request_for(request.user, pk, write=True)
    form = RefuseRequestForm(request.POST)
    if form.is_valid():
        try:
            request_services.refuse_request(
                request=review_request,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
                by=request.user,
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("The refusal was recorded with its reason."))
    else:
        _form_errors(request, form)
    return redirect(review_request)
