import datetime

from django.urls import reverse

from communes.forms import CommuneForm
from communes.models import Commune, District, Province


def valid_data(geography, **changes):
    province = geography["muong_hoong"].province
    data = {
        "code": "23311",
        "name": "Đắk Choong",
        "kind": "commune",
        "province": province.pk,
        "district": geography["muong_hoong"].district_id,
        "area_type": "rural",
        "extremely_disadvantaged": "on",
        "established_on": "",
        "dissolved_on": "",
    }
    data.update(changes)
    return data


def test_officer_creates_a_commune(client_of, department_officer, geography):
    response = client_of(department_officer).post(reverse("communes:create"), valid_data(geography))
    commune = Commune.objects.get(code="23311")
    assert response.status_code == 302
    assert response["Location"] == commune.get_absolute_url()
    assert commune.extremely_disadvantaged and not commune.ethnic_minority_area
    assert commune.name_folded == "dak choong"


def test_dates_are_entered_as_day_month_year(client_of, department_officer, geography):
    data = valid_data(geography, established_on="05/02/2022", dissolved_on="01/07/2025")
    client_of(department_officer).post(reverse("communes:create"), data)
    commune = Commune.objects.get(code="23311")
    assert commune.established_on == datetime.date(2022, 2, 5)
    assert commune.dissolved_on == datetime.date(2025, 7, 1)


def errors_of(response):
    return {name: [str(e) for e in errors] for name, errors in response.context["form"].errors.items()}


def test_form_errors_are_in_vietnamese_and_keep_what_was_typed(client_of, department_officer, geography):
    data = valid_data(geography, code="23305", name="  ", established_on="31/02/2022")
    response = client_of(department_officer).post(reverse("communes:create"), data)
    assert response.status_code == 200
    errors = errors_of(response)
    assert errors["code"] == ["Đã có một xã với mã này."]
    assert errors["name"] == ["Trường này là bắt buộc."]
    assert errors["established_on"] == ["Nhập một ngày hợp lệ."]
    page = response.content.decode()
    assert 'value="31/02/2022"' in page
    assert "Vui lòng sửa các lỗi dưới đây." in page


def test_code_must_be_digits(client_of, department_officer, geography):
    response = client_of(department_officer).post(
        reverse("communes:create"), valid_data(geography, code="XA-1")
    )
    assert errors_of(response)["code"] == ["Mã chính thức chỉ gồm chữ số, ví dụ 23305."]


def test_district_must_be_in_the_communes_province(client_of, department_officer, geography):
    elsewhere = Province.objects.create(code="01", name="Hà Nội")
    response = client_of(department_officer).post(
        reverse("communes:create"), valid_data(geography, province=elsewhere.pk)
    )
    assert errors_of(response)["district"] == ["Huyện này thuộc tỉnh khác."]


def test_end_date_must_follow_start_date(client_of, department_officer, geography):
    data = valid_data(geography, established_on="01/07/2025", dissolved_on="01/07/2025")
    response = client_of(department_officer).post(reverse("communes:create"), data)
    assert errors_of(response)["dissolved_on"] == ["Ngày kết thúc phải sau ngày thành lập."]
    assert not Commune.objects.filter(code="23311").exists()


def test_commune_without_district_is_the_two_level_shape(client_of, department_officer, geography):
    client_of(department_officer).post(reverse("communes:create"), valid_data(geography, district=""))
    assert Commune.objects.get(code="23311").district is None


def test_edit_keeps_the_record_and_changes_flags(client_of, department_officer, geography):
    commune = geography["muong_hoong"]
    data = valid_data(
        geography,
        code=commune.code,
        name="Mường Hoong",
        extremely_disadvantaged="",
        dissolved_on="01/07/2025",
        opened_as=CommuneForm(instance=commune).initial["opened_as"],
    )
    response = client_of(department_officer).post(reverse("communes:edit", args=[commune.pk]), data)
    assert response.status_code == 302
    commune.refresh_from_db()
    assert commune.extremely_disadvantaged is False
    assert District.objects.count() == 1
