from django.urls import reverse

from communes.forms import CommuneForm


def form_data(commune, **changes):
    form = CommuneForm(instance=commune)
    data = {name: form[name].value() for name in form.fields}
    data = {
        name: ("on" if value is True else "" if value in (None, False) else value)
        for name, value in data.items()
    }
    data.update(changes)
    return data


def test_saving_over_a_newer_save_is_refused_showing_what_changed(client_of, department_officer, geography):
    commune = geography["muong_hoong"]
    client = client_of(department_officer)
    url = reverse("communes:edit", args=[commune.pk])
    mine = form_data(commune, name="Mường Hoong (my edit)")

    commune.name = "Mường Hoong (their edit)"
    commune.ethnic_minority_area = False
    commune.save()

    response = client.post(url, mine)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Người khác đã lưu bản ghi này" in page
    assert 'value="Mường Hoong (my edit)"' in page  # nothing typed is lost
    changes = [
        (str(label), before, after) for label, before, after in response.context["form"].changes_since_opened
    ]
    assert changes == [
        ("Tên", "Mường Hoong", "Mường Hoong (their edit)"),
        ("Vùng đồng bào DTTS", "có", "không"),
    ]
    commune.refresh_from_db()
    assert commune.name == "Mường Hoong (their edit)"

    # Having seen the changes, the user saves again and it goes through.
    again = response.context["form"].data.copy()
    assert client.post(url, again).status_code == 302
    commune.refresh_from_db()
    assert commune.name == "Mường Hoong (my edit)"


def test_saving_an_unchanged_record_goes_through(client_of, department_officer, geography):
    commune = geography["muong_hoong"]
    response = client_of(department_officer).post(
        reverse("communes:edit", args=[commune.pk]), form_data(commune, name="Mường Hoong mới")
    )
    assert response.status_code == 302


def test_a_tampered_token_is_treated_as_stale(client_of, department_officer, geography):
    commune = geography["muong_hoong"]
    data = form_data(commune, name="X", opened_as="forged")
    response = client_of(department_officer).post(reverse("communes:edit", args=[commune.pk]), data)
    assert response.status_code == 200
    commune.refresh_from_db()
    assert commune.name == "Mường Hoong"
