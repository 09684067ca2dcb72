"""Printable documents of the assistance app (A4, Decree 30/2020): the commune's support plan and
the survey mission's report. Each is a print page, a PDF made on the server and an XLSX of its tables;
every view starts with the access helper of its record, like the pages."""

from django.utils import translation

from assistance.access import get_plan_for
from assistance.models import Activity, Assignment, Finding, Plan
from communes.models import today
from core import documents
from core.spreadsheets import xlsx_response

KIND_ORDER = {kind: index for index, kind in enumerate(Activity.Kind.values)}
PLAN_SYMBOL = "KH"  # kế hoạch


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
    issuer = plan.organisation
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
