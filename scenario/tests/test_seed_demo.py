import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from assistance import demo as assistance_demo
from communes import demo
from communes.models import Commune, Organisation
from households import demo as households_demo


def snapshot():
    """Every row of every model of the project, as values."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in {"communes", "households", "assistance", "auth"}:
            rows[model._meta.label] = sorted(map(repr, model.objects.values_list()))
    return rows


@pytest.mark.django_db
def test_seed_demo_loads_the_scenario_and_a_second_run_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    muong_hoong = Commune.objects.get(name="Mường Hoong")
    assert muong_hoong.district.name == "Đắk Glei"
    assert muong_hoong.province.name == "Kon Tum"
    assert muong_hoong.villages.filter(name="Làng Mới").exists()
    new = Commune.objects.get(code=demo.NGOC_LINH_NEW["code"])
    assert new.province.name == "Quảng Ngãi" and new.district is None
    assert {c.name for c in new.predecessors.all()} == {"Mường Hoong", "Ngọc Linh"}
    assert Organisation.objects.get(is_home=True).parent.full_name == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    request = RequestFactory().post("/sign-in/")
    assert authenticate(request, username=demo.DEMO_USERNAME, password=demo.DEMO_PASSWORD) is not None
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first


@pytest.mark.django_db
def test_seed_demo_refuses_production_without_force(settings, monkeypatch):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not Commune.objects.exists()
    # With --force it seeds (the other suites seed the whole demo that way; the geography is enough here).
    monkeypatch.setattr(households_demo, "seed", lambda: None)
    monkeypatch.setattr(assistance_demo, "seed", lambda: None)
    call_command("seed_demo", "--force")
    assert Commune.objects.count() == 3
