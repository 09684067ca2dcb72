"""A commune merger, on the register: the households of the former communes carry on in the new one.

`communes.services.apply_merger` ends the old communes and carries their villages over; the
households follow here. Each one becomes a new record of the new commune from the merger date
(`Household.carried_from`), its current members moving with it, while the old record ends that day
with its reviews, lists and papers as they were: history stays true, and the new commune's first
review reads each household's previous category through the link.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from communes.models import Commune, Village
from core.text import fold
from households.models import Household, Member
from households.procedure import date_text
from households.services import lock_commune, require_writer

REASON = "Sáp nhập xã"  # the history's reason on every row the carry-over writes


@dataclass(frozen=True)
class CarriedOver:
    households: int
    members: int


def carried_code(household: Household) -> str:
    """The household's code in the new commune: its old code after its old commune's code, unique
    among the former communes' households and traceable to the old record."""
    return f"{household.commune.code}-{household.code}"


def carried_address(household: Household, commune: Commune) -> str:
    """The household's address in the new commune: an address ending in its old commune ("…, xã Mường
    Hoong") ends in the new one; any other is kept as written."""
    before, comma, last = household.address.rpartition(",")
    with translation.override("vi"):
        old_commune = f"{household.commune.get_kind_display()} {household.commune.name}"
        new_commune = f"{commune.get_kind_display().lower()} {commune.name}"
    return f"{before}, {new_commune}" if comma and fold(last) == fold(old_commune) else household.address


@transaction.atomic
def carry_households_over(*, commune: Commune, on: datetime.date | None = None, by) -> CarriedOver:
    """Carries the households of `commune`'s predecessors, on the register the day before `on` (by
    default the day `commune` was established), over to `commune` on `on`, with their current members.
    Households carried over already are left alone, so running it again carries nothing twice."""
    require_writer(by)
    predecessors = list(commune.predecessors.all())
    if not predecessors:
        raise ValidationError(
            _("%(commune)s was not formed by a merger: it has no former communes to carry households from.")
            % {"commune": commune},
            code="no_predecessors",
        )
    on = on or commune.established_on
    if on is None:
        raise ValidationError(_("Enter the date of the merger."), code="no_date")
    lock_commune(commune)  # two runs at once: the second waits, then finds the households carried over
    villages = _successor_villages(predecessors, commune)
    households = list(
        Household.objects.filter(commune__in=predecessors, carried_to__isnull=True)
        .filter(Q(registered_on__isnull=True) | Q(registered_on__lt=on))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .select_related("commune")
        .order_by("commune__code", "code")
    )
    members = list(
        Member.objects.current().filter(household__in=households).order_by("household", "joined_on", "pk")
    )
    late = [member for member in members if member.joined_on and member.joined_on >= on]
    if late:
        raise ValidationError(
            _("%(count)s members joined their household on or after %(date)s: correct their dates first.")
            % {"count": len(late), "date": date_text(on)},
            code="joined_after",
        )
    missing = {household.village_id for household in households} - set(villages)
    if missing:
        names = ", ".join(sorted(str(village) for village in Village.objects.filter(pk__in=missing)))
        raise ValidationError(
            _("These villages have no successor in %(commune)s: %(villages)s.")
            % {"commune": commune, "villages": names},
            code="no_village",
        )
    carried = bulk_create_with_history(
        [
            Household(
                commune=commune,
                village_id=villages[old.village_id],
                code=carried_code(old),
                head_name=old.head_name,
                address=carried_address(old, commune),
                area_type=old.area_type or commune.area_type,
                ethnicity=old.ethnicity,
                main_livelihood=old.main_livelihood,
                registered_on=on,
                ended_on=old.ended_on,
                carried_from=old,
            )
            for old in households
        ],
        Household,
        default_user=by,
        default_change_reason=REASON,
    )
    for old in households:
        old.ended_on = on
    bulk_update_with_history(
        households, Household, ["ended_on"], default_user=by, default_change_reason=REASON
    )
    # The old memberships end before the new ones start: a person lives in one household at a time.
    for member in members:
        member.left_on = on
    bulk_update_with_history(members, Member, ["left_on"], default_user=by, default_change_reason=REASON)
    new_household = {household.carried_from_id: household for household in carried}
    bulk_create_with_history(
        [
            Member(
                household=new_household[member.household_id],
                person_id=member.person_id,
                relation=member.relation,
                joined_on=on,
            )
            for member in members
        ],
        Member,
        default_user=by,
        default_change_reason=REASON,
    )
    return CarriedOver(households=len(carried), members=len(members))


def _successor_villages(predecessors: list[Commune], commune: Commune) -> dict[int, int]:
    """{old village id: its successor's id in `commune`}."""
    links = Village.successors.through.objects.filter(
        from_village__commune__in=predecessors, to_village__commune=commune
    )
    return dict(links.values_list("from_village_id", "to_village_id"))
