"""Who sees which communes, and who may change them: the one place that decides it.

Out of a user's scope → 404 (the record does not exist for them); in scope but read-only → 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from communes.models import Commune, Role, Village, profile_of

EDITORS_OF_COMMUNES = {Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_OFFICER}


def sees_all_communes(user) -> bool:
    profile = profile_of(user)
    if user.is_superuser:
        return True
    return bool(profile) and (profile.role == Role.DEPARTMENT_ADMIN or profile.all_communes)


def commune_ids_for(user) -> set[int] | None:
    """Ids of the communes the user works on, with their predecessors (their history); None means all."""
    if sees_all_communes(user):
        return None
    profile = profile_of(user)
    if profile is None:
        return set()
    scope = Q(pk__in=profile.communes.values("pk"))
    if profile.role == Role.DISTRICT_OFFICER and profile.district_id:
        scope |= Q(district_id=profile.district_id)
    return Commune.with_predecessors(set(Commune.objects.filter(scope).values_list("pk", flat=True)))


def communes_for(user):
    ids = commune_ids_for(user)
    communes = Commune.objects.all()
    return communes if ids is None else communes.filter(pk__in=ids)


def villages_for(user):
    return Village.objects.filter(commune__in=communes_for(user))


def can_edit_communes(user) -> bool:
    profile = profile_of(user)
    return user.is_superuser or (profile is not None and profile.role in EDITORS_OF_COMMUNES)


def get_commune_for(user, pk, *, write: bool = False) -> Commune:
    commune = get_object_or_404(communes_for(user).select_related("province", "district"), pk=pk)
    if write and not can_edit_communes(user):
        raise PermissionDenied
    return commune
