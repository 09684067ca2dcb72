"""Who sees and changes households and reviews: every decision of this app is one function here.

Scope follows `communes.access.communes_for(user)`: outside it → 404; in scope but the role may not
write → 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404

from communes.access import commune_ids_for, communes_for, profile_of, sees_all_communes
from communes.models import Role
from core import citizen_id
from households.models import (
    ApplicationComplaint,
    Household,
    HouseholdReview,
    ImportRecord,
    Member,
    Person,
    ReviewRequest,
    ReviewRound,
    StatusApplication,
    VillageMeeting,
)

# Enter households, members and surveys, and record the steps of a review.
WRITERS = {Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER}
# Need the full citizen ID numbers to check who is who: the commune staff who enter them, and the
# administrator. The other writers see them masked; viewers (read-only) see no ID number at all.
CITIZEN_ID_READERS = {Role.DEPARTMENT_ADMIN, Role.COMMUNE_OFFICER}
# The numbers that say who a person is, each shown as `citizen_id_as_shown` decides.
IDENTITY_NUMBERS = ("citizen_id", "health_insurance_card")


def _role(user) -> str | None:
    profile = profile_of(user)
    return profile.role if profile else None


def can_write(user) -> bool:
    return user.is_superuser or _role(user) in WRITERS


def can_see_citizen_ids(user) -> bool:
    """Whether edit forms give this user the recorded number to read and retype (else: leave empty to
    keep it). Every display of a number asks `citizen_id_as_shown`."""
    return user.is_superuser or _role(user) in CITIZEN_ID_READERS


def citizen_id_as_shown(user, value: str = "", *, masked_at_most: bool = False) -> str | None:
    """What `user` is shown of the citizen ID number `value` (or another of IDENTITY_NUMBERS, the
    health-insurance card number), wherever it is shown (pages, history,
    exports, documents, admin): the number to CITIZEN_ID_READERS, "0xx…789" to the other writers,
    None to read-only roles, who are shown no ID numbers at all (`citizen_id_as_shown(user) is None`:
    no column either). "" when no number is recorded.

    `masked_at_most`: lists read beyond the record (the printed list of poor households and its sheet,
    the admin's list of people) mask the number for every role."""
    if not can_write(user):
        return None
    if can_see_citizen_ids(user) and not masked_at_most:
        return value
    return citizen_id.mask(value)


def households_for(user):
    ids = commune_ids_for(user)
    # Every household has a commune: filtering on all of them would only slow province-wide lists.
    return Household.objects.all() if ids is None else Household.objects.in_communes(ids)


def members_for(user):
    return Member.objects.filter(household__in=households_for(user))


def persons_for(user):
    """People who are or were members of a household in scope."""
    return Person.objects.filter(pk__in=members_for(user).values("person"))


def persons_to_change_for(user):
    """People whose personal data the user may change (or an import may match): those whose household
    is in scope, the one they live in or, living in none, the last one they lived in. Someone who
    moved to another commune is that commune's. Someone never in a household is of every commune's
    users together: of those who see them all."""
    memberships = Member.objects.filter(person=OuterRef("pk")).order_by(
        F("left_on").desc(nulls_first=True), "-pk"
    )
    in_scope = Q(household__in=households_for(user))
    if sees_all_communes(user):
        in_scope |= Q(household__isnull=True)
    return Person.objects.annotate(household=Subquery(memberships.values("household")[:1])).filter(in_scope)


def rounds_for(user):
    return ReviewRound.objects.in_communes(communes_for(user))


def _checked(obj, user, write: bool):
    if write and not can_write(user):
        raise PermissionDenied
    return obj


def get_household_for(user, pk, *, write: bool = False) -> Household:
    household = get_object_or_404(households_for(user).select_related("commune", "village"), pk=pk)
    return _checked(household, user, write)


def get_member_for(user, pk, *, write: bool = False) -> Member:
    """A membership in scope; writing through an ended one needs the person to be the user's still."""
    member = get_object_or_404(
        members_for(user).select_related("person", "household__commune", "household__village"),
        pk=pk,
    )
    if write and member.left_on and not persons_to_change_for(user).filter(pk=member.person_id).exists():
        raise PermissionDenied
    return _checked(member, user, write)


def get_round_for(user, pk, *, write: bool = False) -> ReviewRound:
    review_round = get_object_or_404(rounds_for(user).select_related("commune__district"), pk=pk)
    return _checked(review_round, user, write)


def reviews_for(user):
    return HouseholdReview.objects.filter(round__in=rounds_for(user))


def get_review_for(user, pk, *, write: bool = False) -> HouseholdReview:
    review = get_object_or_404(
        reviews_for(user).select_related(
            "round__commune", "household__village", "household__commune", "surveyed_by", "final_set_by"
        ),
        pk=pk,
    )
    return _checked(review, user, write)


def meetings_for(user):
    return VillageMeeting.objects.in_rounds(rounds_for(user))


def get_meeting_for(user, pk, *, write: bool = False) -> VillageMeeting:
    meeting = get_object_or_404(
        meetings_for(user).select_related("round__commune__district", "village", "recorded_by"), pk=pk
    )
    return _checked(meeting, user, write)


def applications_for(user):
    """Applications for recognition (Decree 30/2025) of households in scope."""
    return StatusApplication.objects.filter(household__in=households_for(user))


def get_application_for(user, pk, *, write: bool = False) -> StatusApplication:
    application = get_object_or_404(
        applications_for(user).select_related(
            "household__commune", "household__village", "person", "recorded_by", "decided_by"
        ),
        pk=pk,
    )
    return _checked(application, user, write)


def get_application_complaint_for(user, pk, complaint_pk, *, write: bool = False) -> ApplicationComplaint:
    """A complaint about an application in scope, found through that application (`pk`)."""
    application = get_application_for(user, pk, write=write)
    complaint = get_object_or_404(application.complaints, pk=complaint_pk)
    complaint.application = application
    return complaint


def requests_for(user):
    return ReviewRequest.objects.in_communes(communes_for(user))


def get_request_for(user, pk, *, write: bool = False) -> ReviewRequest:
    request = get_object_or_404(
        requests_for(user).select_related(
            "commune", "household__village", "review_round", "received_by", "decided_by"
        ),
        pk=pk,
    )
    return _checked(request, user, write)


def imports_for(user):
    return ImportRecord.objects.filter(commune__in=communes_for(user))


def get_import_for(user, pk, *, write: bool = False) -> ImportRecord:
    """An import of a commune in scope; only its uploader (a writer) may carry the dry run through."""
    record = get_object_or_404(imports_for(user).select_related("commune", "created_by"), pk=pk)
    if write and (not can_write(user) or record.created_by_id != user.pk):
        raise PermissionDenied
    return record


def times_in(person_ids, household_ids: set[int]) -> list[tuple]:
    """When each of the people belonged to one of the households, as (person id, from,
    until): from the recording of such a membership (from the start for a person's first household,
    where they were recorded: None) until their next membership was recorded (None for their last
    household: a person living in none still belongs to it). History pages show a person's changes
    made in these times only (`during`), never those made after the person moved to a commune
    outside the user's."""
    starts = Member.history.filter(person_id__in=person_ids, history_type="+").order_by("history_date")
    joined: dict[int, list] = {}
    for person, household, on in starts.values_list("person_id", "household_id", "history_date"):
        joined.setdefault(person, []).append((household, on))
    times = []
    for person, memberships in joined.items():
        for index, (household, on) in enumerate(memberships):
            if household in household_ids:
                until = memberships[index + 1][1] if index + 1 < len(memberships) else None
                times.append((person, on if index else None, until))
    return times


def during(times, *, at="history_date", person="id", since=True) -> Q:
    """A filter on records of changes (`at` their time, `person` the person's id) made in `times`;
    `since=False`: also those made before (what the person was on joining)."""
    found = Q(pk__in=[])
    for person_id, start, until in times:
        window = Q(**{person: person_id})
        if start and since:
            window &= Q(**{f"{at}__gte": start})
        if until:
            window &= Q(**{f"{at}__lt": until})
        found |= window
    return found
