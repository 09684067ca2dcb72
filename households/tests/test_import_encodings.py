"""What a commune officer sees importing damaged workbooks and files typed in TCVN3 or VNI, and
searching names typed decomposed (NFD)."""

import html
import io
import unicodedata

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.tests.test_hostile_files import billion_laughs, with_parts, zip_bomb
from core.text import fold
from households.models import Household, Person
from households.tests.helpers import make_household
from households.tests.test_imports import check, record_of, run
from households.tests.workbooks import HOUSEHOLD_HEADERS, upload, xlsx_upload

pytestmark = pytest.mark.django_db

# Two households as a commune typed them in TCVN3 (.VnTime): "Nguyễn Văn Hùng", "Đinh Thị Lê".
TCVN3_ROWS = [
    ["H001", "NguyÔn V¨n Hïng", "Lµng Míi", "Xơ Đăng", "N«ng nghiÖp", "05/02/2015", "NguyÔn V¨n Hïng",
     "Chñ hé", "Nam", 1980, ""],
    ["H002", "§inh ThÞ Lª", "Lµng Míi", "", "", "", "§inh ThÞ Lª", "Chñ hé", "N÷", 1985, ""],
]  # fmt: skip


def test_damaged_and_hostile_workbooks_get_a_message_on_the_page_not_an_error(
    client_of, muong_hoong_officer, geography
):
    client = client_of(muong_hoong_officer)
    damaged = {
        "damaged sheet": with_parts(xl__worksheets__sheet1_xml=b"<worksheet><sheetData><row r="),
        "damaged workbook part": with_parts(xl__workbook_xml=b"<workbook><sheets><sheet"),
        "zip bomb": zip_bomb(),
        "billion laughs": billion_laughs(),
    }
    for label, uploaded in damaged.items():
        response = check(client, geography["muong_hoong"], uploaded)
        assert response.status_code == 200, label
        assert "Sổ tính" in html.unescape(str(response.context["form"].errors["file"])), label
    assert not Household.objects.exists()


def test_a_workbook_typed_in_tcvn3_is_converted_and_the_dry_run_says_so(
    client_of, muong_hoong_officer, geography
):
    client = client_of(muong_hoong_officer)
    record = record_of(check(client, geography["muong_hoong"], xlsx_upload(rows=TCVN3_ROWS)))
    assert record.rejected == 0, record.report["rejections"]
    assert record.report["converted"] == {"TCVN3": 10}
    page = html.unescape(client.get(record.get_absolute_url()).content.decode())
    assert "Đã chuyển từ bảng mã cũ TCVN3 sang Unicode: 10 ô." in page
    run(client, record)
    assert sorted(Household.objects.values_list("head_name", "village__name")) == [
        ("Nguyễn Văn Hùng", "Làng Mới"),
        ("Đinh Thị Lê", "Làng Mới"),
    ]
    assert Household.objects.get(code="H002").members.get().person.sex == "female"


def test_a_csv_saved_from_a_vni_sheet_is_converted(client_of, muong_hoong_officer, geography):
    # Excel's plain "CSV" writes the sheet's Windows-1252 characters, which VNI fonts draw as Vietnamese.
    headers = ",".join(fold(header).replace(",", "") for header in HOUSEHOLD_HEADERS)
    row = "H003,Ñaøo Thò Lan,Laøng Môùi,,,,Ñaøo Thò Lan,Chuû hoä,Nöõ,1990,"
    client = client_of(muong_hoong_officer)
    uploaded = upload(f"{headers}\r\n{row}\r\n".encode("cp1252"), "ho.csv")
    record = record_of(check(client, geography["muong_hoong"], uploaded))
    assert record.report["converted"] == {"VNI": 5}
    run(client, record)
    household = Household.objects.get(code="H003")
    assert (household.head_name, household.village.name) == ("Đào Thị Lan", "Làng Mới")


def test_a_name_typed_decomposed_is_stored_composed_and_found_either_way(
    client_of, muong_hoong_officer, department_admin, geography
):
    client = client_of(muong_hoong_officer)
    mh = geography["muong_hoong"]
    household = make_household(mh, "H010", head_name="Lò Văn Mường")
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Mường")
    typed = {"full_name": decomposed, "birth_year": 1990, "sex": "female", "relation": "spouse"}
    typed |= {"school": "n/a", "employment": "self_employed"}
    response = client.post(reverse("households:member_add", args=[household.pk]), typed)
    assert response.status_code == 302, response.context["form"].errors
    assert Person.objects.filter(full_name="Nguyễn Thị Mường").exists()
    for typed in ("Mường", unicodedata.normalize("NFD", "Mường"), "muong"):
        listed = client.get(reverse("households:list"), {"q": typed}).context["page"].object_list
        assert [h.code for h in listed] == ["H010"], typed
    admin = client_of(department_admin)
    for typed in ("Lò Văn", unicodedata.normalize("NFD", "Lò Văn")):
        found = (
            admin.get(reverse("admin:households_household_changelist"), {"q": typed})
            .context["cl"]
            .result_list
        )
        assert [h.code for h in found] == ["H010"], typed


def test_the_command_refuses_a_zip_bomb_and_reports_tcvn3_cells(tmp_path, muong_hoong_officer):
    bomb = tmp_path / "bom.xlsx"
    bomb.write_bytes(zip_bomb().read())
    options = ["--commune", "23305", "--user", "mh_officer", "--dry-run"]
    with pytest.raises(CommandError, match="được nén|compressed"):
        call_command("import_households", str(bomb), *options)
    typed = tmp_path / "tcvn3.xlsx"
    typed.write_bytes(xlsx_upload(rows=TCVN3_ROWS).read())
    out = io.StringIO()
    call_command("import_households", str(typed), *options, stdout=out)
    assert "Converted from TCVN3 to Unicode: 10 cells." in out.getvalue()
