"""Applications for recognition (Decree 30/2025): farm households of average living standard and
low-income workers. The list with each application's step and deadline, its page with the next
step, the household's request form, the candidates the reviews suggest, and the list as XLSX."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communes.models import today
from core.pages import add_errors, error_messages, form_page
from core.spreadsheets import xlsx_response
from households import application_services, pagination, poverty
from households.access import (
    applications_for,
    can_write,
    get_application_complaint_for,
    get_application_for,
    get_household_for,
    households_for,
)
from households.forms import (
    ApplicationComplaintForm,
    ApplicationFilterForm,
    ApplicationForm,
    ApplicationMoveForm,
    ComplaintRecheckForm,
)
from households.models import (
    FARM_LIVELIHOODS,
    Category,
    HouseholdReview,
    Member,
    StatusApplication,
)

State = StatusApplication.State


def _listed(user, data):
    form = ApplicationFilterForm(data or None)
    applications = form.filter(applications_for(user)).select_related(
        "household__village", "household__commune", "person"
    )
    return form, applications.order_by("-requested_on", "pk")


def application_list(request):
    form, applications = _listed(request.user, request.GET)
    page = Paginator(applications, pagination.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "households/application_list.html",
        {
            "form": form,
            "page": page,
            "overdue": applications_for(request.user).overdue().count(),
            "query": pagination.query_without_page(request),
            "can_write": can_write(request.user),
        },
    )


def applications_xlsx(request):
    """The list as filtered, with each application's step, dates and deadline."""
    _form, applications = _listed(request.user, request.GET)
    with translation.override("vi"):
        headers = [
            str(h)
            for h in (
                _("Kind"),
                _("Code"),
                _("Head of household"),
                _("Worker"),
                _("Village"),
                _("Commune"),
                _("Requested on"),
                _("Income per person per month"),
                _("Meets the criteria"),
                _("Step"),
                _("Posting starts on"),
                _("Posting ends on"),
                _("Deadline"),
                _("Overdue"),
                _("Decided on"),
                _("Decision number"),
                _("Reason for the refusal"),
            )
        ]

        def date(value):
            return value.strftime("%d/%m/%Y") if value else ""

        def rows():
            for application in applications.iterator(chunk_size=1000):
                yield [
                    str(application.get_kind_display()),
                    application.household.code,
                    application.household.head_name,
                    application.person.full_name if application.person_id else "",
                    application.household.village.name,
                    application.household.commune.name,
                    date(application.requested_on),
                    application.monthly_income_per_person,
                    _("yes") if application.eligible else _("no"),
                    str(application.get_state_display()),
                    date(application.posting_starts_on),
                    date(application.posting_ends_on),
                    date(application.deadline),
                    _("yes") if application.is_overdue else "",
                    date(application.decided_on),
                    application.decision_number,
                    application.refusal_reason,
                ]

        return xlsx_response(
            "ho-nong-nghiep-lao-dong-thu-nhap-thap.xlsx", headers, rows(), sheet_title="Hồ sơ"
        )


def _band_of_average(field: str = "monthly_income_per_person") -> Q:
    """Reviews whose income per person is at most the average upper bound of their standard, where
    the law sets the band (as `poverty.is_low_income_household`): one condition per standard and area."""
    within = Q(pk__in=[])
    for standard in poverty.STANDARDS.values():
        if standard.average_band_in_law:
            for area, upper in standard.average_upper_bounds.items():
                within |= Q(
                    round__standard=standard.key,
                    household__area_type=area,
                    **{f"{field}__lte": upper},
                )
    return within


def application_candidates(request):
    """What the latest decided reviews suggest: farm households of average living standard, and the
    working members of households neither poor nor near-poor under the cap. Only an application
    and the chairman's decision recognise them."""
    later = HouseholdReview.objects.filter(
        household=OuterRef("household"), counting_year__gt=OuterRef("counting_year")
    )
    pending = StatusApplication.objects.pending().filter(household=OuterRef("household"))
    latest = (
        HouseholdReview.objects.counting()
        .filter(household__in=households_for(request.user))
        .exclude(Exists(later))
        .filter(category__in=[Category.AVERAGE, Category.NOT_POOR])
        .filter(_band_of_average())
        .annotate(applied=Exists(pending))
        .select_related("round", "household__village", "household__commune")
        .order_by("household__commune__name", "household__village__name", "household__code")
    )
    page = Paginator(latest, pagination.PAGE_SIZE).get_page(request.GET.get("page"))
    reviews = list(page.object_list)
    members = (
        Member.objects.filter(household__in=[r.household_id for r in reviews])
        .select_related("person")
        .order_by("joined_on", "pk")
    )
    by_household: dict[int, list] = {}
    for member in members:
        by_household.setdefault(member.household_id, []).append(member)
    rows = []
    for review in reviews:
        on = review.round.decided_on
        workers = [
            m.person
            for m in by_household.get(review.household_id, [])
            if (m.joined_on is None or m.joined_on <= on)
            and (m.left_on is None or m.left_on > on)
            and m.person.is_of_working_age(review.round.year)
            and m.person.is_working
        ]
        farm = review.category == Category.AVERAGE and review.household.main_livelihood in FARM_LIVELIHOODS
        rows.append({"review": review, "farm": farm, "workers": workers})
    return render(
        request,
        "households/application_candidates.html",
        {"page": page, "rows": rows, "query": pagination.query_without_page(request)},
    )


def application_request(request, pk):
    household = get_household_for(request.user, pk, write=True)
    form = ApplicationForm(
        request.POST or None,
        household=household,
        initial={"member_count": household.members.current().count() or 1, "kind": request.GET.get("kind")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = application_services.record_application(
                household=household, **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if application.eligible:
                messages.success(request, _("The application was recorded: it meets the criteria."))
            else:
                messages.warning(request, _("The application was recorded: it does not meet the criteria."))
            return redirect(application)
    return form_page(
        request,
        form,
        title=_("Application for recognition (Decree 30/2025)"),
        crumbs=[
            (_("Households"), reverse("households:list")),
            (household.code, household.get_absolute_url()),
        ],
        back=household.get_absolute_url(),
        lead=_("Household of %(name)s (%(code)s)") % {"name": household.head_name, "code": household.code}
        + f" · {household.get_main_livelihood_display()}",
        submit=_("Record the application"),
        section="households",
    )


def application_detail(request, pk):
    application = get_application_for(request.user, pk)
    write = can_write(request.user)
    moves = [State(state) for state in application.allowed_moves()] if write else []
    move_form = ApplicationMoveForm(initial={"to_state": moves[0] if moves else None, "on": today()})
    move_form.fields["to_state"].choices = [(state.value, state.label) for state in moves]
    posted = write and application.state == State.POSTED
    return render(
        request,
        "households/application_detail.html",
        {
            "application": application,
            "complaints": application.complaints.all(),
            "moves": moves,
            "move_form": move_form,
            "complaint_form": ApplicationComplaintForm() if posted else None,
            "recheck_form": ComplaintRecheckForm() if write else None,
            "can_write": write,
            "states": [State.REQUESTED, State.POSTED, State.RECHECKED],
        },
    )


@require_POST
def application_move(request, pk):
    application = get_application_for(request.user, pk, write=True)
    form = ApplicationMoveForm(request.POST)
    if form.is_valid():
        try:
            application_services.move_application(
                application=application, **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("The step was recorded."))
    else:
        messages.error(request, _("Choose the next step and its date."))
    return redirect(application)


@require_POST
def application_complaint_add(request, pk):
    application = get_application_for(request.user, pk, write=True)
    form = ApplicationComplaintForm(request.POST)
    if form.is_valid():
        try:
            application_services.record_application_complaint(
                application=application, **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("The complaint was recorded: re-check it within 3 working days."))
    else:
        messages.error(request, _("Give the date the complaint was received and what it says."))
    return redirect(application)


@require_POST
def application_complaint_recheck(request, pk, complaint_pk):
    complaint = get_application_complaint_for(request.user, pk, complaint_pk, write=True)
    form = ComplaintRecheckForm(request.POST)
    if form.is_valid():
        try:
            application_services.recheck_application_complaint(
                complaint=complaint, **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("The re-check was recorded."))
    else:
        messages.error(request, _("Say what the re-check found, and its date."))
    return redirect(complaint.application)
