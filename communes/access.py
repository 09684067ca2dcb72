"""Who sees which communes, and who may change them: the one place that decides it.

Out of a user's scope → 404 (the record does not exist for them); in scope but read-only → 403.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from communes.models import Commune, Profile, Role, Village, profile_of

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


def profiles_for(user):
    """The accounts a staff member reads (in the admin): their own, and those whose communes all lie within
    theirs (a colleague of their commune, a commune officer of their district), which is every account
    for those who see all communes. No one reads the account of someone who sees more than they do."""
    ids = commune_ids_for(user)
    if ids is None:
        return Profile.objects.all()
    outside = Commune.objects.exclude(pk__in=ids)
    within = (
        Profile.objects.filter(Q(communes__isnull=False) | Q(district__isnull=False))
        .filter(all_communes=False, user__is_superuser=False)
        .exclude(role=Role.DEPARTMENT_ADMIN)
        .exclude(communes__in=outside)
        .exclude(district__communes__in=outside)
    )
    return Profile.objects.filter(Q(user=user) | Q(pk__in=within.values("pk")))


def users_for(user):
    return get_user_model().objects.filter(Q(pk=user.pk) | Q(profile__in=profiles_for(user)))
