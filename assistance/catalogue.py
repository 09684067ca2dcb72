"""The national target programme for sustainable poverty reduction 2021–2025 (DOMAIN.md §5), as data.

Loaded by migration 0002 and again (unchanged) by the demo seed and the tests, since tests that
flush the database lose migration data. The 2026–2035 programme is added the same way: new rows.
Entries marked `to_confirm` come from secondary sources and say so in the interface.
"""

NTP_2021_2025 = {
    "code": "CTMTQG-GNBV-2021-2025",
    "name": "Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021 - 2025",
    "decision": "Quyết định số 90/QĐ-TTg ngày 18/01/2022",
    "start_year": 2021,
    "end_year": 2025,
    # code, name, to_confirm, sub-projects [(code, name, to_confirm)]
    "projects": [
        (
            "DA1",
            "Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo, "
            "các xã đặc biệt khó khăn vùng bãi ngang, ven biển và hải đảo",
            False,
            [],
        ),
        ("DA2", "Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo", False, []),
        (
            "DA3",
            "Hỗ trợ phát triển sản xuất, cải thiện dinh dưỡng",
            False,
            [
                ("TDA1", "Hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp", True),
                ("TDA2", "Cải thiện dinh dưỡng", True),
            ],
        ),
        (
            "DA4",
            "Phát triển giáo dục nghề nghiệp, việc làm bền vững",
            False,
            [
                ("TDA1", "Phát triển giáo dục nghề nghiệp vùng nghèo, vùng khó khăn", False),
                ("TDA2", "Hỗ trợ người lao động đi làm việc ở nước ngoài theo hợp đồng", True),
                ("TDA3", "Hỗ trợ việc làm bền vững (tư vấn việc làm, thông tin thị trường lao động)", False),
            ],
        ),
        ("DA5", "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo trên địa bàn các huyện nghèo", False, []),
        ("DA6", "Truyền thông và giảm nghèo về thông tin", False, []),
        ("DA7", "Nâng cao năng lực và giám sát, đánh giá Chương trình", False, []),
    ],
}


def load_programme(Programme, Project, data=NTP_2021_2025):
    """Creates or updates the programme and its projects; running it again changes nothing.

    Takes the model classes so that a migration can pass its historical models.
    """
    fields = {key: data[key] for key in ("name", "decision", "start_year", "end_year")}
    programme, _ = Programme.objects.update_or_create(code=data["code"], defaults=fields)
    for position, (code, name, to_confirm, subs) in enumerate(data["projects"], start=1):
        project, _ = Project.objects.update_or_create(
            programme=programme,
            parent=None,
            code=code,
            defaults={"name": name, "to_confirm": to_confirm, "position": position},
        )
        for sub_position, (sub_code, sub_name, sub_confirm) in enumerate(subs, start=1):
            Project.objects.update_or_create(
                programme=programme,
                parent=project,
                code=sub_code,
                defaults={"name": sub_name, "to_confirm": sub_confirm, "position": sub_position},
            )
    return programme


def load_ntp_2021_2025():
    from assistance.models import Programme, Project

    return load_programme(Programme, Project)
