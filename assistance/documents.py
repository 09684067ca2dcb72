"""Printable documents of the assistance app (A4, Decree 30/2020): the commune's support plan and
the survey mission's report. Each is a print page, a PDF made on the server and an XLSX of its tables;
every view starts with the access helper of its record, like the pages."""

import mimetypes
from pathlib import Path

from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from assistance.access import get_mission_for, get_plan_for
from assistance.forms import MissionPhotoForm
from assistance.models import Activity, Assignment, Finding, Mission, MissionPhoto, Plan
from communes.access import communes_for
from communes.models import Organisation, today
from core import documents
from core.spreadsheets import xlsx_response, xlsx_sheets_response

KIND_ORDER = {kind: index for index, kind in enumerate(Activity.Kind.values)}
PLAN_SYMBOL = "KH"  # kế hoạch
REPORT_SYMBOL = "BC"  # báo cáo


def _plan_with_everything(plan: Plan) -> Plan:
    """The plan with its totals (computed by the database) and all the heading needs: one query."""
    return (
        Plan.objects.with_progress()
        .select_related(
            "commune__district",
            "commune__province",
            "mission__leader__profile",
            "organisation__parent",
            "signer__profile",
            "approved_by__profile",
        )
        .get(pk=plan.pk)
    )


def _plan_groups(plan: Plan):
    """Counted activities grouped by kind, in the catalogue order of kinds, each group with its
    planned total from `budget_by_kind` (the database's sums, as on the plan page)."""
    activities = sorted(
        plan.activities.with_money().select_related("project__parent", "village"),
        key=lambda activity: (KIND_ORDER[activity.kind], activity.position, activity.pk),
    )
    totals = {row["kind"]: row for row in plan.activities.budget_by_kind()}
    groups, cancelled = [], []
    for activity in activities:
        # "Central budget (national target programme)" → "Central budget": the column is narrow.
        activity.source_label = activity.get_funding_source_display().split(" (")[0]
        if activity.status == Activity.Status.CANCELLED:
            cancelled.append(activity)
            continue
        if not groups or groups[-1]["kind"] != activity.kind:
            groups.append(
                {
                    "kind": activity.kind,
                    "label": activity.get_kind_display(),
                    "number": documents.roman(len(groups) + 1),
                    "activities": [],
                    "planned": totals[activity.kind]["planned"],
                    "spent": totals[activity.kind]["spent"],
                }
            )
        groups[-1]["activities"].append(activity)
    return groups, cancelled


def _assignment_for(plan: Plan) -> Assignment | None:
    if not plan.organisation_id:
        return None
    return (
        Assignment.objects.filter(
            organisation=plan.organisation_id,
            communes=plan.commune_id,
            from_year__lte=plan.to_year,
            to_year__gte=plan.from_year,
        )
        .select_related("leader__profile")
        .order_by("-from_year", "-pk")
        .first()
    )


def plan_document_context(plan: Plan) -> dict:
    plan = _plan_with_everything(plan)
    groups, cancelled = _plan_groups(plan)
    findings = []
    if plan.mission_id:
        findings = list(
            Finding.objects.filter(mission=plan.mission_id, commune=plan.commune_id)
            .select_related("topic__parent", "village")
            .order_by("topic__position", "pk")
        )
    issuer = Organisation.objects.issuer_for(
        plan.signer or plan.approved_by, on=plan.approved_on or today(), named=plan.organisation
    )
    if plan.approved_on:
        place_date = documents.place_and_date(issuer.place_name if issuer else "", plan.approved_on)
    else:
        place_date = documents.undated(issuer.place_name if issuer else "", plan.from_year)
    subject = plan.title
    if subject.lower().startswith("kế hoạch "):
        subject = subject[len("kế hoạch ") :]
    return {
        "plan": plan,
        "issuer": issuer,
        "number": documents.document_number(plan.number, PLAN_SYMBOL, issuer),
        "place_date": place_date,
        "subject": subject[:1].upper() + subject[1:],
        "assignment": _assignment_for(plan),
        "findings": findings,
        "groups": groups,
        "cancelled": cancelled,
        "total_in_words": documents.amount_in_words(plan.planned),
        "show_progress": plan.state != Plan.State.DRAFT,
        "progress_on": today(),
        **documents.signer_context(plan.signer or plan.approved_by),
    }


def plan_document(request, pk, as_pdf=False):
    """The support plan as an official document: 9 queries whatever the number of activities
    (see tests/test_documents.py)."""
    plan = get_plan_for(request.user, pk)
    context = plan_document_context(plan)
    return documents.document_response(
        request,
        "assistance/print_plan.html",
        context,
        pdf_filename=f"ke-hoach-{plan.pk}.pdf" if as_pdf else None,
    )


PLAN_COLUMNS = [
    "Nhóm hoạt động",
    "TT",
    "Nội dung hoạt động",
    "Dự án",
    "Số lượng",
    "Đơn vị tính",
    "Đơn vị thực hiện",
    "Thời gian",
    "Kinh phí (đồng)",
    "Nguồn kinh phí",
    "Đã chi (đồng)",
    "Tình trạng",
]


def _when(activity) -> str:
    if not activity.planned_on:
        return ""
    if activity.planned_precision == Activity.Precision.QUARTER:
        return f"Quý {documents.roman(activity.planned_quarter)}/{activity.planned_on.year}"
    return activity.planned_on.strftime("%d/%m/%Y")


def plan_xlsx(request, pk):
    """The activity table of the printed plan, as numbers a spreadsheet can add up."""
    plan = get_plan_for(request.user, pk)
    with translation.override("vi"):
        context = plan_document_context(plan)
        rows = []
        for group in context["groups"]:
            for activity in group["activities"]:
                rows.append(_activity_row(group["label"], activity))
        for activity in context["cancelled"]:
            rows.append(_activity_row(activity.get_kind_display(), activity))
        rows.append(
            ["Tổng cộng", "", "", "", "", "", "", "", context["plan"].planned, "", context["plan"].spent, ""]
        )
    return xlsx_response(f"ke-hoach-{plan.pk}.xlsx", PLAN_COLUMNS, rows, sheet_title="Kế hoạch")


def _activity_row(group: str, activity) -> list:
    project = ""
    if activity.project_id:
        project = activity.project.code
        if activity.project.parent_id:
            project = f"{activity.project.parent.code} · {project}"
    return [
        group,
        activity.position,
        activity.title,
        project,
        activity.planned_quantity,
        activity.quantity_unit,
        activity.responsible_unit,
        _when(activity),
        activity.planned_amount,
        activity.get_funding_source_display(),
        activity.spent,
        activity.get_status_display(),
    ]


# ---------------------------------------------------------------------------------------------
# The survey mission's report


def mission_report_context(request, mission: Mission) -> dict:
    communes = communes_for(request.user)
    visited = list(mission.communes.select_related("district", "province").order_by("name"))
    findings = list(
        mission.findings.filter(commune__in=communes)
        .select_related("commune", "village", "topic__parent")
        .order_by("commune__name", "topic__position", "pk")
    )
    by_commune = [
        {"commune": commune, "findings": [f for f in findings if f.commune_id == commune.pk]}
        for commune in visited
        if any(f.commune_id == commune.pk for f in findings)
    ]
    plans = list(
        mission.plans.filter(commune__in=communes)
        .with_progress()
        .select_related("commune")
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=Activity.objects.counted().select_related("village").order_by("position", "pk"),
                to_attr="agreed",
            )
        )
        .order_by("commune__name", "pk")
    )
    for number, plan in enumerate(plans, start=1):
        plan.number_in_report = documents.roman(number)
    total = sum(plan.planned for plan in plans)  # each plan's total comes from the database
    leader = mission.leader
    issuer = Organisation.objects.issuer_for(leader or request.user, on=mission.end_date)
    photos = list(mission.photos.order_by("uploaded_at", "pk"))
    return {
        "mission": mission,
        "issuer": issuer,
        "number": documents.document_number("", REPORT_SYMBOL, issuer),
        "place_date": documents.undated(issuer.place_name if issuer else "", mission.end_date.year),
        "visited": visited,
        "members": list(mission.members.select_related("profile").order_by("first_name", "username")),
        "by_commune": by_commune,
        "plans": plans,
        "total": total,
        "total_in_words": documents.amount_in_words(total),
        "photos": photos,
        **documents.signer_context(leader),
    }


def mission_report(request, pk, as_pdf=False):
    """The survey report: 11 queries whatever the number of findings, plans and photos
    (see tests/test_documents.py)."""
    mission = get_mission_for(request.user, pk)
    mission = Mission.objects.select_related("leader__profile__organisation__parent").get(pk=mission.pk)
    with translation.override("vi"):
        context = mission_report_context(request, mission)
    files = {photo.get_absolute_url(): Path(photo.image.path) for photo in context["photos"]}
    return documents.document_response(
        request,
        "assistance/print_mission.html",
        context,
        pdf_filename=f"bao-cao-khao-sat-{mission.pk}.pdf" if as_pdf else None,
        files=files,
    )


def mission_xlsx(request, pk):
    mission = get_mission_for(request.user, pk)
    mission = Mission.objects.select_related("leader__profile__organisation__parent").get(pk=mission.pk)
    with translation.override("vi"):
        context = mission_report_context(request, mission)
        findings = [
            [
                group["commune"].name,
                finding.village.name if finding.village_id else "",
                str(finding.topic),
                finding.text,
            ]
            for group in context["by_commune"]
            for finding in group["findings"]
        ]
        agreed = [
            [
                plan.commune.name,
                plan.title,
                activity.get_kind_display(),
                activity.title,
                activity.planned_quantity,
                activity.quantity_unit,
                _when(activity),
                activity.planned_amount,
            ]
            for plan in context["plans"]
            for activity in plan.agreed
        ]
        agreed.append(["Tổng cộng", "", "", "", "", "", "", context["total"]])
        return xlsx_sheets_response(
            f"bao-cao-khao-sat-{mission.pk}.xlsx",
            [
                ("Kết quả khảo sát", ["Xã", "Thôn", "Nội dung", "Nhu cầu"], findings),
                (
                    "Nội dung thống nhất",
                    [
                        "Xã",
                        "Kế hoạch",
                        "Nhóm",
                        "Hoạt động",
                        "Số lượng",
                        "Đơn vị tính",
                        "Thời gian",
                        "Kinh phí (đồng)",
                    ],
                    agreed,
                ),
            ],
        )


def mission_photo(request, pk):
    """A mission's photo, only to those who may see the mission: media files are never public."""
    photo = get_object_or_404(MissionPhoto.objects.only("mission_id", "image"), pk=pk)
    get_mission_for(request.user, photo.mission_id)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=mimetypes.guess_type(photo.image.name)[0] or "image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def mission_photo_add(request, pk):
    mission = get_mission_for(request.user, pk, write=True)
    form = MissionPhotoForm(request.POST or None, request.FILES or None, mission=mission)
    if request.method == "POST" and form.is_valid():
        photo = form.save(commit=False)
        photo.uploaded_by = request.user
        photo.save()
        messages.success(request, _("The photo was added."))
        if "add_another" in request.POST:
            return redirect(request.path)
        return redirect(mission)
    return render(
        request,
        "assistance/mission_photo_form.html",
        {"form": form, "mission": mission, "photos": mission.photos.all()},
    )
