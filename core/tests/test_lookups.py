import pytest

from communes.models import Commune


@pytest.mark.parametrize("huge", [2**63, 2**70, -(2**70)])
def test_in_lookup_with_an_id_no_column_can_hold_finds_nothing_instead_of_failing(geography, huge):
    assert list(Commune.objects.filter(pk__in=[huge])) == []
    assert Commune.objects.filter(pk__in=[huge, geography["muong_hoong"].pk]).get().name == "Mường Hoong"
