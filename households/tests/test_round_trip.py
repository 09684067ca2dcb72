"""An exported household file imports back unchanged: the demo's communes and a generated one."""

import io
import random

import openpyxl
import pytest
from django.urls import reverse

from assistance import demo as assistance_demo
from communes import demo as communes_demo
from communes.generator import generate_geography
from communes.models import Commune
from core.generation import Run
from households import demo as households_demo
from households.generator import generate_households
from households.models import Household, Member, Person
from households.tests.helpers import make_household, make_person
from households.tests.test_imports import check, record_of
from households.tests.workbooks import upload, xlsx_upload

pytestmark = pytest.mark.django_db


def exported(client, commune) -> bytes:
    response = client.get(reverse("households:export") + f"?commune={commune.pk}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def counts(record):
    return record.rows > 0, record.new, record.updated, record.rejected


def with_head_renamed(content: bytes) -> tuple[bytes, str]:
    """The file with the first household's head renamed, on the household row and the member row."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    code, head = sheet.cell(2, 1).value, sheet.cell(2, headers.index("Họ tên chủ hộ") + 1).value
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == code:
            row[headers.index("Họ tên chủ hộ")].value = head + " Mới"
            if row[headers.index("Họ tên thành viên")].value == head:
                row[headers.index("Họ tên thành viên")].value = head + " Mới"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), code


def assert_goes_round(client, commune, *, members=True):
    content = exported(client, commune)
    people = sorted(Person.objects.values_list("pk", "full_name", "birth_year", "citizen_id"))
    record = record_of(check(client, commune, upload(content, "xuat.xlsx")))
    assert counts(record) == (True, 0, 0, 0), record.report["rejections"][:5]
    assert record.unchanged == Household.objects.filter(commune=commune).count()
    renamed, code = with_head_renamed(content)
    record = record_of(check(client, commune, upload(renamed, "sua.xlsx")))
    assert counts(record) == (True, 0, 1, 0), record.report["rejections"][:5]
    assert record.report["members_new"] == 0 and record.report["members_updated"] == int(members)
    assert sorted(Person.objects.values_list("pk", "full_name", "birth_year", "citizen_id")) == people
    assert Household.objects.filter(commune=commune, code=code).exists()


def test_the_export_of_every_demo_commune_imports_back_unchanged(client_of, department_admin):
    communes_demo.seed()
    households_demo.seed()
    assistance_demo.seed()
    client = client_of(department_admin)
    communes = Commune.objects.filter(households__isnull=False).distinct()
    assert communes.count() == 3
    # Since the merger the old communes' households have no current members (their export holds the
    # households alone); the merged commune's, where the members now live, go round with them.
    for commune in communes:
        assert_goes_round(client, commune, members=commune.predecessors.exists())


def test_the_export_of_a_generated_commune_imports_back_unchanged(client_of, department_admin):
    run = Run(random=random.Random(7), years=[2025], progress=lambda message: None)
    generate_households(
        run, generate_geography(run, code="T9", communes=1), households=300, province_code="T9"
    )
    assert_goes_round(client_of(department_admin), Commune.objects.get(province__code="T9"))


def test_twins_with_the_same_name_stay_two_people(client_of, department_admin, geography):
    mh = geography["muong_hoong"]
    household = make_household(mh, "03013", head_name="A Lâm")
    for name in ("A Lâm", "A Nguyên", "A Nguyên"):
        relation = "head" if name == "A Lâm" else "child"
        person = make_person(name, birth_year=1990 if relation == "head" else 2021, sex="male")
        Member.objects.create(household=household, person=person, relation=relation)
    client = client_of(department_admin)
    assert_goes_round(client, mh)
    # A file without member keys (typed by hand) matches each twin once.
    rows = [
        ["03013", "A Lâm", household.village.name, "", "", "", "A Lâm", "Chủ hộ", "Nam", 1990, ""],
        ["03013", "", "", "", "", "", "A Nguyên", "Con", "Nam", 2021, ""],
        ["03013", "", "", "", "", "", "A Nguyên", "Con", "Nam", 2021, ""],
    ]
    record = record_of(check(client, mh, xlsx_upload(rows=rows)))
    assert (record.new, record.updated, record.unchanged, record.rejected) == (0, 0, 1, 0), record.report
