import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communes.models import Commune, Unit, Village


@transaction.atomic
def apply_merger(*, old_units: list[Unit], new_unit: Unit, on: datetime.date) -> list[Village]:
    """Ends `old_units` on `on` and makes `new_unit` (existing from that day) their successor.

    Villages of merged communes carry on under the new commune as successor villages, so a
    household surveyed in 2022 keeps its 2022 village and commune. Returns the new villages.
    """
    if not old_units:
        raise ValidationError(_("Name at least one unit to merge."))
    if any(type(old) is not type(new_unit) for old in old_units):
        raise ValidationError(_("Only units of the same level can be merged."))
    if new_unit.pk and any(old.pk == new_unit.pk for old in old_units):
        raise ValidationError(_("A unit cannot be merged into itself."))
    if new_unit.pk:
        descendants_loop = [old for old in old_units if new_unit.pk in type(old).with_predecessors({old.pk})]
        if descendants_loop:
            raise ValidationError(
                _("%(new)s is already a predecessor of %(old)s: this merger would make a loop.")
                % {"new": new_unit, "old": descendants_loop[0]}
            )
        if not new_unit.is_active_on(on):
            raise ValidationError(
                _("%(new)s does not exist on %(date)s.") % {"new": new_unit, "date": on.strftime("%d/%m/%Y")}
            )
    for old in old_units:
        if old.dissolved_on is not None:
            raise ValidationError(
                _("%(old)s already ended on %(date)s: mergers cannot overlap.")
                % {"old": old, "date": old.dissolved_on.strftime("%d/%m/%Y")}
            )
        if old.established_on and old.established_on >= on:
            raise ValidationError(
                _("%(old)s was only established on %(date)s.")
                % {"old": old, "date": old.established_on.strftime("%d/%m/%Y")}
            )
    if new_unit.pk is None:
        new_unit.established_on = on
    new_unit.full_clean()
    new_unit.save()
    for old in old_units:
        old.dissolved_on = on
        old.save(update_fields=["dissolved_on"])
        old.successors.add(new_unit)
    if isinstance(new_unit, Commune):
        return _carry_villages_over(old_units, new_unit, on)
    return []


def _carry_villages_over(
    old_communes: list[Commune], new_commune: Commune, on: datetime.date
) -> list[Village]:
    carried = []
    taken = set(new_commune.villages.values_list("name", flat=True))
    for old_commune in old_communes:
        for village in old_commune.villages.active_on(on - datetime.timedelta(days=1)):
            name = village.name
            if name in taken:
                name = f"{village.name} ({old_commune.name})"
            taken.add(name)
            successor = Village.objects.create(
                commune=new_commune, name=name, code=village.code, kind=village.kind, established_on=on
            )
            village.dissolved_on = on
            village.save(update_fields=["dissolved_on"])
            village.successors.add(successor)
            carried.append(successor)
    return carried
