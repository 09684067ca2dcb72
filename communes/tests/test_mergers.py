import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from communes.models import Commune, Province, Village
from communes.services import apply_merger

JULY_2025 = datetime.date(2025, 7, 1)


@pytest.fixture
def province(db):
    return Province.objects.create(code="62", name="Kon Tum")


def commune(province, code, name, *villages):
    made = Commune.objects.create(code=code, name=name, province=province)
    for village in villages:
        Village.objects.create(commune=made, name=village)
    return made


def test_merger_ends_old_units_and_links_the_new_one(province):
    a = commune(province, "1", "Đắk Choong", "Thôn 1", "Thôn 2")
    b = commune(province, "2", "Xốp", "Thôn 1")
    new = Commune(code="3", name="Xốp", province=province)
    carried = apply_merger(old_units=[a, b], new_unit=new, on=JULY_2025)
    a.refresh_from_db()
    assert a.dissolved_on == JULY_2025 and not a.is_current
    assert new.established_on == JULY_2025 and new.is_current
    assert set(new.predecessors.all()) == {a, b}
    assert sorted(v.name for v in carried) == ["Thôn 1", "Thôn 1 (Xốp)", "Thôn 2"]
    old_village = a.villages.get(name="Thôn 1")
    assert old_village.dissolved_on == JULY_2025
    assert old_village.successors.get().commune == new
    assert list(Commune.objects.current()) == [new]
    assert set(Commune.objects.active_on(datetime.date(2025, 6, 30))) == {a, b}


def test_merger_into_an_existing_unit(province):
    a = commune(province, "1", "Đắk Nhoong")
    target = commune(province, "2", "Đắk Plô")
    apply_merger(old_units=[a], new_unit=target, on=JULY_2025)
    assert list(target.predecessors.all()) == [a]
    assert target.dissolved_on is None


def test_merger_refuses_a_unit_that_already_ended(province):
    a = commune(province, "1", "A")
    apply_merger(old_units=[a], new_unit=Commune(code="2", name="B", province=province), on=JULY_2025)
    with pytest.raises(ValidationError, match="đã kết thúc ngày 01/07/2025"):
        apply_merger(old_units=[a], new_unit=Commune(code="3", name="C", province=province), on=JULY_2025)
    assert not Commune.objects.filter(code="3").exists()


def test_merger_refuses_a_loop(province):
    a = commune(province, "1", "A")
    b = Commune(code="2", name="B", province=province)
    apply_merger(old_units=[a], new_unit=b, on=JULY_2025)
    a.dissolved_on = None  # pretend A lived on, to reach the loop check
    a.save()
    with pytest.raises(ValidationError, match="vòng lặp"):
        apply_merger(old_units=[b], new_unit=a, on=datetime.date(2026, 1, 1))


def test_merger_refuses_a_unit_into_itself_and_a_date_before_it_existed(province):
    a = commune(province, "1", "A")
    with pytest.raises(ValidationError, match="chính nó"):
        apply_merger(old_units=[a], new_unit=a, on=JULY_2025)
    young = Commune.objects.create(code="5", name="Young", province=province, established_on=JULY_2025)
    with pytest.raises(ValidationError, match="chỉ mới được thành lập"):
        apply_merger(old_units=[young], new_unit=Commune(code="6", name="N", province=province), on=JULY_2025)


def test_merger_is_one_transaction(province):
    a = commune(province, "1", "A", "Thôn 1")
    b = commune(province, "2", "B")
    b.dissolved_on = datetime.date(2024, 1, 1)
    b.save()
    with pytest.raises(ValidationError):
        apply_merger(old_units=[a, b], new_unit=Commune(code="3", name="C", province=province), on=JULY_2025)
    a.refresh_from_db()
    assert a.dissolved_on is None
    assert Village.objects.count() == 1


def test_command_merges_and_prints_a_summary(province, capsys):
    commune(province, "23305", "Mường Hoong", "Làng Mới")
    commune(province, "23308", "Ngọc Linh")
    qn = Province.objects.create(code="51", name="Quảng Ngãi")
    call_command(
        "apply_merger",
        "--old",
        "23305",
        "23308",
        "--new",
        "23300",
        "--new-name",
        "Ngọc Linh",
        "--province",
        "51",
        "--date",
        "01/07/2025",
    )
    assert (
        "Merged Mường Hoong, Ngọc Linh into Ngọc Linh (23300) on 01/07/2025; 1 villages"
        in capsys.readouterr().out
    )
    new = Commune.objects.get(code="23300")
    assert new.province == qn and new.district is None
    assert new.villages.get().name == "Làng Mới"


def test_command_dry_run_changes_nothing(province, capsys):
    commune(province, "1", "A")
    call_command(
        "apply_merger",
        "--old",
        "1",
        "--new",
        "2",
        "--new-name",
        "B",
        "--province",
        "62",
        "--date",
        "2025-07-01",
        "--dry-run",
    )
    assert "Would merge A into B" in capsys.readouterr().out
    assert Commune.objects.get(code="1").dissolved_on is None
    assert not Commune.objects.filter(code="2").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--old", "404", "--new", "2", "--date", "01/07/2025"], "No commune with code 404"),
        (["--old", "1", "--new", "2", "--date", "01/07/2025"], "give --new-name"),
        (["--old", "1", "--new", "2", "--new-name", "B", "--date", "01/07/2025"], "Give --province"),
        (["--old", "1", "--new", "1", "--date", "01/07/2025"], "chính nó"),
    ],
)
def test_command_refuses_bad_requests_clearly(province, arguments, message):
    commune(province, "1", "A")
    with pytest.raises(CommandError, match=message):
        call_command("apply_merger", *arguments)


def test_command_refuses_a_bad_date(province):
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("apply_merger", "--old", "1", "--new", "2", "--date", "2025/31/12")
