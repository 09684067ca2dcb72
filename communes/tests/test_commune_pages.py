import pytest
from django.urls import reverse

from communes.models import Commune


def test_list_shows_current_units_by_default(client_of, department_officer, geography):
    response = client_of(department_officer).get(reverse("communes:list"))
    assert [(c.name, c.province.name) for c in response.context["page"]] == [("Ngọc Linh", "Quảng Ngãi")]
    assert "hình thành từ" in response.content.decode()


def test_list_of_all_units_shows_end_dates_and_successors(client_of, department_officer, geography):
    page = client_of(department_officer).get(reverse("communes:list"), {"status": "all"}).content.decode()
    assert "Mường Hoong" in page
    assert "01/07/2025" in page
    new = geography["ngoc_linh_new"]
    assert f'href="{new.get_absolute_url()}"' in page


@pytest.mark.parametrize("query", ["muong hoong", "MUONG  HOONG", "Mường Hoong", "muong", "hoong", "23305"])
def test_search_finds_mường_hoong_without_diacritics(client_of, department_officer, geography, query):
    response = client_of(department_officer).get(reverse("communes:list"), {"q": query, "status": "all"})
    assert [c.name for c in response.context["page"]] == ["Mường Hoong"]


def test_search_without_match_says_so(client_of, department_officer, geography):
    response = client_of(department_officer).get(reverse("communes:list"), {"q": "hà nội", "status": "all"})
    assert response.context["page"].paginator.count == 0
    assert "Không có xã nào" in response.content.decode()


def test_filter_by_district_and_flag(client_of, department_officer, geography):
    old = geography["muong_hoong"]
    response = client_of(department_officer).get(
        reverse("communes:list"),
        {"district": old.district_id, "status": "all", "extremely_disadvantaged": "on"},
    )
    assert {c.name for c in response.context["page"]} == {"Mường Hoong", "Ngọc Linh"}
    assert all(c.district_id == old.district_id for c in response.context["page"])


def test_bad_filter_values_do_not_break_the_list(client_of, department_officer, geography):
    response = client_of(department_officer).get(
        reverse("communes:list"), {"district": "abc", "status": "nonsense", "page": "999", "q": "x" * 500}
    )
    assert response.status_code == 200


def test_detail_of_a_merged_commune_points_to_its_successor(client_of, department_officer, geography):
    old = geography["muong_hoong"]
    page = client_of(department_officer).get(old.get_absolute_url()).content.decode()
    assert "Làng Mới" in page
    assert "Đắk Glei" in page
    assert geography["ngoc_linh_new"].get_absolute_url() in page
    assert "01/07/2025" in page


def test_detail_of_the_new_commune_lists_its_predecessors(client_of, department_officer, geography):
    new = geography["ngoc_linh_new"]
    page = client_of(department_officer).get(new.get_absolute_url()).content.decode()
    assert geography["muong_hoong"].get_absolute_url() in page
    assert geography["ngoc_linh_old"].get_absolute_url() in page
    assert "Làng Mới" in page


def test_list_runs_the_same_queries_for_few_and_many_communes(
    client_of, department_officer, geography, django_assert_max_num_queries
):
    client = client_of(department_officer)
    # session, user, profile, issuing body, count, page, successors, predecessors, filter choices (2)
    with django_assert_max_num_queries(10):
        client.get(reverse("communes:list"), {"status": "all"})
    province = geography["muong_hoong"].province
    Commune.objects.bulk_create(
        Commune(code=str(30000 + i), name=f"Xã {i}", province=province) for i in range(60)
    )
    with django_assert_max_num_queries(10):
        response = client.get(reverse("communes:list"), {"status": "all"})
    assert len(response.context["page"].object_list) == 50


def test_commune_officer_sees_only_their_commune_and_its_history(client_of, muong_hoong_officer, geography):
    client = client_of(muong_hoong_officer)
    response = client.get(reverse("communes:list"), {"status": "all"})
    assert [c.name for c in response.context["page"]] == ["Mường Hoong"]
    assert client.get(geography["ngoc_linh_old"].get_absolute_url()).status_code == 404
    assert client.get(geography["muong_hoong"].get_absolute_url()).status_code == 200


def test_officer_of_the_new_commune_sees_the_communes_it_was_formed_from(client_of, geography):
    from communes.models import Role
    from tests.fixtures import make_user

    officer = make_user("new_officer", Role.COMMUNE_OFFICER, communes=[geography["ngoc_linh_new"]])
    response = client_of(officer).get(reverse("communes:list"), {"status": "all"})
    assert len(response.context["page"].object_list) == 3


def test_user_without_profile_sees_no_commune(client_of, geography, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    client = client_of(user)
    assert client.get(reverse("communes:list")).context["page"].paginator.count == 0
    assert client.get(geography["muong_hoong"].get_absolute_url()).status_code == 404
    assert "Chưa có xã nào" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("actor", ["viewer", "muong_hoong_officer"])
def test_read_only_roles_cannot_create_or_edit_communes(client_of, geography, actor, request):
    client = client_of(request.getfixturevalue(actor))
    commune = geography["muong_hoong"]
    assert client.get(reverse("communes:create")).status_code == 403
    assert client.get(reverse("communes:edit", args=[commune.pk])).status_code == 403
    response = client.post(reverse("communes:edit", args=[commune.pk]), {"name": "Hacked"})
    assert response.status_code == 403
    assert "Không được phép" in response.content.decode()
    commune.refresh_from_db()
    assert commune.name == "Mường Hoong"


def test_missing_commune_is_404(client_of, department_officer):
    assert client_of(department_officer).get("/communes/999999/").status_code == 404
