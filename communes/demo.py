"""The demo scenario of DOMAIN.md §7: Kon Tum DOLISA helps Mường Hoong and Ngọc Linh (2022–2023),
and both communes become the new Xã Ngọc Linh of Quảng Ngãi on 1/7/2025.

Codes marked (to confirm) follow DOMAIN.md; the new commune's code is a demo value.
"""

import datetime

from django.contrib.auth import get_user_model

from communes.models import Commune, District, Organisation, Profile, Province, Role, Village
from communes.services import apply_merger

MERGER_DATE = datetime.date(2025, 7, 1)  # Resolution 1677/NQ-UBTVQH15 (to confirm)
REORGANISATION_DATE = datetime.date(2025, 3, 1)

KON_TUM = {"code": "62", "name": "Kon Tum"}
QUANG_NGAI = {"code": "51", "name": "Quảng Ngãi"}
DAK_GLEI = {"code": "611", "name": "Đắk Glei"}  # (to confirm)
MUONG_HOONG = {"code": "23305", "name": "Mường Hoong"}  # (to confirm)
NGOC_LINH_OLD = {"code": "23308", "name": "Ngọc Linh"}  # (to confirm)
NGOC_LINH_NEW = {"code": "23300", "name": "Ngọc Linh"}  # demo code for the commune formed on 1/7/2025
VILLAGES = {
    MUONG_HOONG["code"]: [
        ("Làng Mới", Village.Kind.HAMLET),
        ("Thôn 1", Village.Kind.VILLAGE),
        ("Thôn 2", Village.Kind.VILLAGE),
        ("Thôn 3", Village.Kind.VILLAGE),
    ],
    NGOC_LINH_OLD["code"]: [
        ("Thôn 1", Village.Kind.VILLAGE),
        ("Thôn 2", Village.Kind.VILLAGE),
        ("Thôn 3", Village.Kind.VILLAGE),
        ("Thôn 4", Village.Kind.VILLAGE),
    ],
}

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-2022-kontum"
# Full names go whole into first_name: Vietnamese names read family name first.
STAFF = [
    # username, full name, job title, role
    ("btman", "Bạch Thị Mân", "Phó Giám đốc", Role.DEPARTMENT_OFFICER),
    ("nvhung", "Nguyễn Văn Hùng", "Trưởng phòng Bảo trợ xã hội", Role.DEPARTMENT_OFFICER),
    ("ttlan", "Trần Thị Lan", "Chuyên viên", Role.DEPARTMENT_OFFICER),
]


def _unit(model, data, **fields):
    unit, _ = model.objects.update_or_create(code=data["code"], defaults={"name": data["name"], **fields})
    return unit


def _organisation(full_name, **fields):
    organisation, _ = Organisation.objects.update_or_create(full_name=full_name, defaults=fields)
    return organisation


def seed_geography():
    kon_tum = _unit(Province, KON_TUM, dissolved_on=MERGER_DATE)
    quang_ngai = _unit(Province, QUANG_NGAI)
    kon_tum.successors.set([quang_ngai])
    dak_glei = _unit(District, DAK_GLEI, province=kon_tum, dissolved_on=MERGER_DATE)
    flags = {"extremely_disadvantaged": True, "ethnic_minority_area": True}
    old = [
        _unit(Commune, MUONG_HOONG, province=kon_tum, district=dak_glei, **flags),
        _unit(Commune, NGOC_LINH_OLD, province=kon_tum, district=dak_glei, **flags),
    ]
    for commune in old:
        for name, kind in VILLAGES[commune.code]:
            Village.objects.get_or_create(commune=commune, name=name, defaults={"kind": kind})
    if not Commune.objects.filter(code=NGOC_LINH_NEW["code"]).exists():
        new = Commune(province=quang_ngai, **NGOC_LINH_NEW, **flags)
        apply_merger(old_units=old, new_unit=new, on=MERGER_DATE)


def seed_organisations():
    ministry = _organisation(
        "Bộ Lao động - Thương binh và Xã hội", short_name="Bộ LĐTBXH", dissolved_on=REORGANISATION_DATE
    )
    kon_tum = Province.objects.get(code=KON_TUM["code"])
    quang_ngai = Province.objects.get(code=QUANG_NGAI["code"])
    kon_tum_committee = _organisation(
        "Ủy ban nhân dân tỉnh Kon Tum",
        short_name="UBND tỉnh Kon Tum",
        province=kon_tum,
        dissolved_on=MERGER_DATE,
    )
    _organisation(
        "Sở Lao động - Thương binh và Xã hội tỉnh Kon Tum",
        short_name="SLĐTBXH",
        parent=kon_tum_committee,
        province=kon_tum,
        place_name="Kon Tum",
        address="Kon Tum",
        dissolved_on=REORGANISATION_DATE,
    )
    quang_ngai_committee = _organisation(
        "Ủy ban nhân dân tỉnh Quảng Ngãi", short_name="UBND tỉnh Quảng Ngãi", province=quang_ngai
    )
    home = _organisation(
        "Sở Nông nghiệp và Môi trường tỉnh Quảng Ngãi",
        short_name="SNNMT",
        parent=quang_ngai_committee,
        province=quang_ngai,
        place_name="Quảng Ngãi",
        address="Quảng Ngãi",
        established_on=REORGANISATION_DATE,
        is_home=True,
    )
    return ministry, home


def seed_users():
    User = get_user_model()
    dolisa = Organisation.objects.get(full_name="Sở Lao động - Thương binh và Xã hội tỉnh Kon Tum")
    demo, created = User.objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"first_name": "Người dùng thử", "is_staff": True, "is_superuser": True},
    )
    if created:
        demo.set_password(DEMO_PASSWORD)
        demo.save()
    Profile.objects.update_or_create(
        user=demo, defaults={"role": Role.DEPARTMENT_ADMIN, "all_communes": True, "job_title": "Quản trị"}
    )
    for username, full_name, job_title, role in STAFF:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": full_name})
        if created:
            user.set_unusable_password()
            user.save()
        Profile.objects.update_or_create(
            user=user,
            defaults={"role": role, "job_title": job_title, "organisation": dolisa, "all_communes": True},
        )


def seed():
    seed_geography()
    seed_organisations()
    seed_users()
