import pytest
from django.contrib.auth.models import Group


@pytest.mark.django_db
@pytest.mark.parametrize("huge", [2**63, 2**70, -(2**70)])
def test_in_lookup_with_an_id_no_column_can_hold_finds_nothing_instead_of_failing(huge):
    group = Group.objects.create(name="Cán bộ xã")
    assert list(Group.objects.filter(pk__in=[huge])) == []
    assert Group.objects.filter(pk__in=[huge, group.pk]).get() == group
