"""The assistance part of the demo scenario (DOMAIN.md §7), made through the same services as the pages.

Kon Tum DOLISA is assigned to help Mường Hoong and Ngọc Linh in 2022–2023 (working group led by
Deputy Director Bạch Thị Mân); its survey of 15–17/8/2022 finds the needs; the agreed support is
two plans (one per commune, the unit the records were made in) with the six lines of the report,
including the two livelihood models of 441.000.000 đ; part of it is carried out.

The report gives the amounts of the livelihood models only: the other lines' budgets, the
vouchers, the items' unit costs and the follow-up figures are demo values. Beneficiaries are the
households the registry already has in the commune (poor and near-poor first); with none, no one is
enrolled. Running it again changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model

from assistance import services
from assistance.catalogue import load_ntp_2021_2025
from assistance.forms import poor_first
from assistance.models import (
    Activity,
    Assignment,
    CommunicationRecord,
    Event,
    Finding,
    FollowUp,
    GivenItem,
    Mission,
    Plan,
    Project,
)
from communes import demo as communes_demo
from communes.models import Commune, Organisation
from households.models import Household

D = datetime.date
DOLISA = "Sở Lao động - Thương binh và Xã hội tỉnh Kon Tum"
APPROVED_ON = D(2022, 8, 22)  # the date of the report that lists the agreed support
MODEL_HOUSEHOLDS = 12

MISSION = {
    "start_date": D(2022, 8, 15),
    "end_date": D(2022, 8, 17),
    "outside_members": "Đại diện Phòng Lao động - Thương binh và Xã hội huyện Đắk Glei\n"
    "Đại diện UBND xã Mường Hoong\nĐại diện UBND xã Ngọc Linh",
    "purpose": "Khảo sát, nắm tình hình thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững "
    "và nhu cầu hỗ trợ của hai xã Mường Hoong, Ngọc Linh, huyện Đắk Glei.",
    "assessed": "Công tác huy động, phân bổ nguồn lực; công tác chỉ đạo, điều hành; việc triển khai "
    "các chính sách, dự án của Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2022.",
}

# (topic code, sub-project code or None, text, village name or None) per commune
FINDINGS = {
    communes_demo.MUONG_HOONG["code"]: [
        ("DA2", None, "Cần đa dạng hóa sinh kế, nhân rộng mô hình chăn nuôi bò sinh sản.", "Làng Mới"),
        (
            "DA6",
            None,
            "Người dân chưa nắm đầy đủ chính sách của Chương trình: cần tăng cường truyền thông.",
            None,
        ),
        (
            "DA7",
            None,
            "Năng lực rà soát hộ nghèo, hộ cận nghèo và xác định hộ làm nông, lâm, ngư nghiệp có mức sống "
            "trung bình năm 2022 còn hạn chế.",
            None,
        ),
        (
            "DA4",
            "TDA3",
            "Lao động từ 18 tuổi trở lên chưa có việc làm hoặc việc làm không ổn định có nhu cầu tư vấn "
            "việc làm trong nước và đi làm việc ở nước ngoài theo hợp đồng.",
            None,
        ),
    ],
    communes_demo.NGOC_LINH_OLD["code"]: [
        ("DA2", None, "Cần mô hình sinh kế phù hợp: chăn nuôi trâu sinh sản.", None),
        ("DA6", None, "Cần tờ rơi, buổi nói chuyện về chính sách giảm nghèo bằng tiếng địa phương.", None),
        ("DA7", None, "Ban chỉ đạo rà soát và rà soát viên thôn cần được tập huấn nghiệp vụ.", None),
        (
            "DA4",
            "TDA3",
            "Doanh nghiệp có nhu cầu tuyển lao động; người lao động cần tư vấn, giới thiệu việc làm.",
            None,
        ),
    ],
}

PLANS = {
    communes_demo.MUONG_HOONG["code"]: {
        "title": "Kế hoạch hỗ trợ xã Mường Hoong năm 2022 - 2023",
        "lines": [
            {
                "kind": Activity.Kind.TRAINING_CLASS,
                "title": "Tập huấn rà soát hộ nghèo, hộ cận nghèo cho Ban chỉ đạo rà soát và rà soát viên "
                "thôn của hai xã Mường Hoong và Ngọc Linh",
                "project": ("DA7", None),
                "planned_quantity": 1,
                "quantity_unit": "lớp",
                "planned_on": D(2022, 9, 15),
                "planned_amount": 30_000_000,
                "responsible_unit": "Phòng Bảo trợ xã hội",
                "findings": ["DA7"],
            },
            {
                "kind": Activity.Kind.INSPECTION,
                "title": "Kiểm tra thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững và công tác "
                "rà soát hộ nghèo tại huyện Đắk Glei và hai xã",
                "project": ("DA7", None),
                "planned_quantity": 1,
                "quantity_unit": "cuộc",
                "planned_on": D(2022, 10, 1),
                "planned_precision": Activity.Precision.QUARTER,
                "planned_amount": 15_000_000,
                "responsible_unit": "Phòng Bảo trợ xã hội",
                "findings": [],
            },
            {
                "kind": Activity.Kind.LIVELIHOOD_MODEL,
                "title": "Mô hình chăn nuôi bò sinh sản",
                "project": ("DA2", None),
                "planned_quantity": 1,
                "quantity_unit": "mô hình",
                "planned_on": D(2022, 10, 1),
                "planned_precision": Activity.Precision.QUARTER,
                "planned_amount": 221_000_000,
                "responsible_unit": "UBND xã Mường Hoong",
                "village": "Làng Mới",
                "findings": ["DA2"],
            },
        ],
    },
    communes_demo.NGOC_LINH_OLD["code"]: {
        "title": "Kế hoạch hỗ trợ xã Ngọc Linh năm 2022 - 2023",
        "lines": [
            {
                "kind": Activity.Kind.LIVELIHOOD_MODEL,
                "title": "Mô hình chăn nuôi trâu sinh sản",
                "project": ("DA2", None),
                "planned_quantity": 1,
                "quantity_unit": "mô hình",
                "planned_on": D(2023, 1, 1),
                "planned_precision": Activity.Precision.QUARTER,
                "planned_amount": 220_000_000,
                "responsible_unit": "UBND xã Ngọc Linh",
                "findings": ["DA2"],
            },
            {
                "kind": Activity.Kind.JOB_CONFERENCE,
                "title": "Hội nghị tư vấn việc làm, học nghề và đi làm việc ở nước ngoài theo hợp đồng",
                "project": ("DA4", "TDA3"),
                "planned_quantity": 1,
                "quantity_unit": "hội nghị",
                "planned_on": D(2022, 11, 10),
                "planned_amount": 40_000_000,
                "responsible_unit": "Phòng Lao động - Việc làm",
                "findings": ["DA4"],
            },
            {
                "kind": Activity.Kind.COMMUNICATION,
                "title": "Truyền thông chính sách của Chương trình (tờ rơi, nói chuyện chuyên đề) tại hai xã",
                "project": ("DA6", None),
                "planned_quantity": 500,
                "quantity_unit": "tờ rơi",
                "planned_on": D(2022, 9, 20),
                "planned_amount": 20_000_000,
                "responsible_unit": "Phòng Bảo trợ xã hội",
                "findings": ["DA6"],
            },
        ],
    },
}


def _project(code, sub=None):
    project = Project.objects.get(programme__code="CTMTQG-GNBV-2021-2025", parent=None, code=code)
    return project.sub_projects.get(code=sub) if sub else project


def _user(username):
    return get_user_model().objects.get(username=username)


def seed_assignment(dolisa, communes, leader, members):
    assignment, _ = Assignment.objects.get_or_create(
        organisation=dolisa,
        from_year=2022,
        to_year=2023,
        defaults={
            "working_group": "Tổ công tác giúp đỡ xã Mường Hoong và xã Ngọc Linh",
            "leader": leader,
            "notes": "Phân công giúp đỡ năm 2022 và giai đoạn 2022 - 2023.",
        },
    )
    assignment.communes.set(communes)
    assignment.members.set(members)
    return assignment


def seed_mission(communes, leader, members):
    mission, _ = Mission.objects.get_or_create(
        start_date=MISSION["start_date"], end_date=MISSION["end_date"], defaults={**MISSION, "leader": leader}
    )
    mission.communes.set(communes)
    mission.members.set(members)
    for commune in communes:
        for code, sub, text, village in FINDINGS[commune.code]:
            Finding.objects.get_or_create(
                mission=mission,
                commune=commune,
                text=text,
                defaults={
                    "topic": _project(code, sub),
                    "village": commune.villages.get(name=village) if village else None,
                },
            )
    return mission


def seed_plan(commune, mission, dolisa, by):
    spec = PLANS[commune.code]
    plan, created = Plan.objects.get_or_create(
        commune=commune,
        title=spec["title"],
        defaults={"mission": mission, "organisation": dolisa, "from_year": 2022, "to_year": 2023},
    )
    if created:
        plan.created_by = by
        plan.save(update_fields=["created_by"])
        for line in spec["lines"]:
            fields = {
                key: value for key, value in line.items() if key not in {"project", "findings", "village"}
            }
            activity = Activity(
                **fields,
                project=_project(*line["project"]),
                village=commune.villages.get(name=line["village"]) if line.get("village") else None,
            )
            findings = mission.findings.filter(commune=commune, topic__code__in=line["findings"])
            services.add_activity(plan=plan, activity=activity, findings=findings, by=by)
    if plan.is_draft:
        services.approve_plan(plan=plan, by=by, on=APPROVED_ON)
    return Plan.objects.get(pk=plan.pk)


def _spend(activity, *, on, amount, voucher, note, by):
    if not activity.spendings.filter(voucher_number=voucher).exists():
        services.record_spending(
            activity=activity, spent_on=on, amount=amount, voucher_number=voucher, note=note, by=by
        )


def carry_out_muong_hoong(plan, by):
    training = plan.activities.get(kind=Activity.Kind.TRAINING_CLASS)
    Event.objects.get_or_create(
        activity=training,
        held_on=D(2022, 9, 15),
        defaults={
            "place": "Hội trường UBND xã Mường Hoong",
            "participant_count": 46,
            "officers_trained": "Ban chỉ đạo rà soát xã Mường Hoong\nBan chỉ đạo rà soát xã Ngọc Linh\n"
            "Rà soát viên các thôn của hai xã",
            "result_notes": "Học viên nắm được quy trình rà soát, cách chấm điểm phiếu B1, B2.",
        },
    )
    _spend(
        training, on=D(2022, 9, 16), amount=28_500_000, voucher="PC-2022-091", note="Chi tổ chức lớp", by=by
    )
    services.set_activity_status(activity=training, status=Activity.Status.DONE, by=by)

    cows = plan.activities.get(kind=Activity.Kind.LIVELIHOOD_MODEL)
    GivenItem.objects.get_or_create(
        activity=cows, name="Bò cái sinh sản", defaults={"count": 13, "unit": "con", "unit_cost": 17_000_000}
    )
    households = list(poor_first(Household.objects.filter(commune=plan.commune)))
    priority = [h for h in households if h.village_id == cows.village_id]
    others = [h for h in households if h.village_id != cows.village_id]
    chosen = (priority + others)[:MODEL_HOUSEHOLDS]
    if not cows.beneficiaries.exists():  # enrolling them again is refused
        services.enrol_households(activity=cows, households=chosen, enrolled_on=D(2022, 11, 1), by=by)
    _spend(
        cows, on=D(2022, 11, 1), amount=204_000_000, voucher="PC-2022-117", note="Mua 12 con bò giống", by=by
    )
    services.set_activity_status(activity=cows, status=Activity.Status.IN_PROGRESS, by=by)
    FollowUp.objects.get_or_create(
        activity=cows,
        visited_on=D(2023, 3, 15),
        defaults={
            "animals_alive": 12,
            "animals_born": 2,
            "animals_passed_on": 0,
            "notes": "Bò khỏe, các hộ làm chuồng trại đúng hướng dẫn.",
        },
    )
    FollowUp.objects.get_or_create(
        activity=cows,
        visited_on=D(2023, 9, 20),
        defaults={
            "animals_alive": 12,
            "animals_born": 5,
            "animals_passed_on": 2,
            "notes": "Hai con bê đầu tiên đã luân chuyển cho hộ tiếp theo trong thôn.",
        },
    )


def carry_out_ngoc_linh(plan, by):
    buffaloes = plan.activities.get(kind=Activity.Kind.LIVELIHOOD_MODEL)
    GivenItem.objects.get_or_create(
        activity=buffaloes,
        name="Trâu cái sinh sản",
        defaults={"count": 11, "unit": "con", "unit_cost": 20_000_000},
    )
    communication = plan.activities.get(kind=Activity.Kind.COMMUNICATION)
    CommunicationRecord.objects.get_or_create(
        activity=communication,
        kind=CommunicationRecord.Kind.LEAFLET,
        held_on=D(2022, 9, 20),
        defaults={"count": 500, "audience": "Người dân hai xã Mường Hoong, Ngọc Linh"},
    )
    CommunicationRecord.objects.get_or_create(
        activity=communication,
        kind=CommunicationRecord.Kind.TALK,
        held_on=D(2022, 9, 21),
        defaults={"count": 4, "audience": "Hộ nghèo, hộ cận nghèo các thôn"},
    )
    _spend(
        communication, on=D(2022, 9, 22), amount=18_000_000, voucher="PC-2022-095", note="In tờ rơi", by=by
    )
    services.set_activity_status(activity=communication, status=Activity.Status.DONE, by=by)


def seed():
    load_ntp_2021_2025()
    dolisa = Organisation.objects.get(full_name=DOLISA)
    communes = [
        Commune.objects.get(code=communes_demo.MUONG_HOONG["code"]),
        Commune.objects.get(code=communes_demo.NGOC_LINH_OLD["code"]),
    ]
    leader = _user("btman")
    members = [_user("nvhung"), _user("ttlan")]
    seed_assignment(dolisa, communes, leader, members)
    mission = seed_mission(communes, leader, members)
    muong_hoong, ngoc_linh = (seed_plan(commune, mission, dolisa, leader) for commune in communes)
    carry_out_muong_hoong(muong_hoong, leader)
    carry_out_ngoc_linh(ngoc_linh, leader)
