"""Plan activities and conference participants out to Excel (write-only, rows read in chunks)."""

from django.core.exceptions import PermissionDenied
from django.utils import translation

from assistance.access import get_activity_for, get_plan_for
from assistance.models import Activity
from core.spreadsheets import xlsx_response
from households.access import citizen_id_as_shown

CHUNK = 1000


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def plan_activities_xlsx(request, pk):
    plan = get_plan_for(request.user, pk)
    activities = plan.activities.with_money().select_related("project", "village").order_by("position", "pk")
    headers = ["STT", "Loại hoạt động", "Nội dung", "Dự án", "Thôn ưu tiên", "Đơn vị thực hiện", "Số lượng",
               "Đơn vị tính", "Thời gian dự kiến", "Kinh phí kế hoạch (đồng)", "Đã chi (đồng)",
               "Còn lại (đồng)", "Nguồn vốn", "Trạng thái"]  # fmt: skip

    def rows():
        with translation.override("vi"):
            for activity in activities.iterator(chunk_size=CHUNK):
                planned = _date(activity.planned_on)
                if activity.planned_on and activity.planned_precision == Activity.Precision.QUARTER:
                    planned = f"Quý {activity.planned_quarter}/{activity.planned_on.year}"
                yield [
                    activity.position,
                    activity.get_kind_display(),
                    activity.title,
                    str(activity.project) if activity.project_id else "",
                    activity.village.name if activity.village_id else "",
                    activity.responsible_unit,
                    activity.planned_quantity,
                    activity.quantity_unit,
                    planned,
                    activity.planned_amount,
                    activity.spent,
                    activity.remaining,
                    activity.get_funding_source_display(),
                    activity.get_status_display(),
                ]

    return xlsx_response(f"hoat-dong-ke-hoach-{plan.pk}.xlsx", headers, rows(), sheet_title="Hoạt động")


def participants_xlsx(request, pk):
    activity = get_activity_for(request.user, pk)
    if "participants" not in activity.recorded:
        raise PermissionDenied
    participants = activity.participants.select_related("member__person", "member__household__village")
    headers = [
        "STT",
        "Họ tên",
        "Năm sinh",
        "Mã hộ",
        "Thôn, làng",
        "Số định danh cá nhân",
        "Kết quả",
        "Từ ngày",
    ]

    def rows():
        with translation.override("vi"):
            for number, participant in enumerate(participants.iterator(chunk_size=CHUNK), start=1):
                member = participant.member
                person = member.person if member else None
                identifier = citizen_id_as_shown(request.user, person.citizen_id) if person else ""
                yield [
                    number,
                    participant.name,
                    person.birth_year if person else participant.birth_year,
                    member.household.code if member else "",
                    member.household.village.name if member else "",
                    identifier or "",
                    participant.get_outcome_display(),
                    _date(participant.outcome_on),
                ]

    return xlsx_response(f"nguoi-tham-du-{activity.pk}.xlsx", headers, rows(), sheet_title="Người tham dự")
