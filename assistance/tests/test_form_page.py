"""The one form page (core.pages.form_page, templates/form.html) of communes and assistance."""

from django.urls import reverse

from communes.models import Commune


def test_the_commune_form_sends_its_lock_token_hidden_and_never_as_a_labelled_row(
    client_of, department_officer, geography
):
    commune = geography["muong_hoong"]
    page = client_of(department_officer).get(reverse("communes:edit", args=[commune.pk])).content.decode()
    assert 'type="hidden" name="opened_as"' in page
    assert 'for="id_opened_as"' not in page
    assert "Opened as" not in page
    assert f'href="{commune.get_absolute_url()}">{commune.name}</a>' in page  # the breadcrumb
    assert f'<a href="{commune.get_absolute_url()}">' in page.split('class="actions"')[1]  # Cancel


def test_a_new_commune_is_created_from_the_shared_form_page(client_of, department_officer, geography):
    client = client_of(department_officer)
    page = client.get(reverse("communes:create")).content.decode()
    assert 'for="id_opened_as"' not in page
    response = client.post(
        reverse("communes:create"),
        {
            "code": "99999",
            "name": "  Xã   Mới ",
            "kind": "commune",
            "province": geography["muong_hoong"].province_id,
            "area_type": "rural",
        },
    )
    created = Commune.objects.get(code="99999")
    assert response.status_code == 302 and created.name == "Xã Mới"


def test_an_assistance_edit_form_hides_its_lock_token_too(client_of, department_officer, mission):
    page = client_of(department_officer).get(reverse("assistance:mission_edit", args=[mission.pk]))
    html = page.content.decode()
    assert 'type="hidden" name="opened_as"' in html and 'for="id_opened_as"' not in html
