"""Writes and reads of the village meetings (họp dân): a meeting per village of a round, its vote on
each result, the minutes' copy received. Permissions as in `households.services`."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from communes.models import today
from households import procedure
from households.models import (
    HouseholdReview,
    MeetingResult,
    ReviewRound,
    VillageMeeting,
)
from households.procedure import date_text
from households.services import (
    State,
    locked_round,
    require_writer,
)

# Village meetings -------------------------------------------------------------------------------


def reviews_awaiting_meeting(review_round: ReviewRound, village):
    """The reviews of `village` in the round that no meeting has agreed yet: all of them before its
    first meeting, then those a meeting sent back (and any listed after it)."""
    return (
        review_round.reviews.filter(household__village=village)
        .exclude(meeting_results__agreed=True)
        .select_related("household")
        .order_by("household__code", "pk")
    )


def village_rows(review_round) -> list[dict]:
    """Per village of the round: its results, how many await a meeting or were sent back, and its
    meetings. Two queries whatever the number of villages and households."""
    agreed = MeetingResult.objects.filter(review=OuterRef("pk"), agreed=True)
    counts = (
        review_round.reviews.values("household__village", "household__village__name")
        .annotate(
            listed=Count("pk"),
            awaiting=Count("pk", filter=~Exists(agreed)),
            sent_back=Count("pk", filter=Q(sent_back_by__isnull=False)),
        )
        .order_by("household__village__name")
    )
    meetings: dict[int, list] = {}
    for meeting in review_round.meetings.order_by("held_on", "pk"):
        meetings.setdefault(meeting.village_id, []).append(meeting)
    return [
        {
            "village_id": row["household__village"],
            "name": row["household__village__name"],
            "listed": row["listed"],
            "awaiting": row["awaiting"],
            "sent_back": row["sent_back"],
            "meetings": meetings.get(row["household__village"], []),
        }
        for row in counts
    ]


@transaction.atomic
def record_meeting(
    *,
    meeting: VillageMeeting,
    agreeing: dict[int, int],
    by,
) -> VillageMeeting:
    """Records the village meeting `meeting` (unsaved, with its round and village) and the number
    agreeing with each result awaiting it (`agreeing`, by review id). A result agreed by fewer than
    `procedure.MEETING_AGREEMENT_SHARE` of those present goes back to the survey: its review is marked
    as sent back by this meeting until a later meeting of the village agrees it."""
    require_writer(by)
    review_round = locked_round(meeting.round_id)  # a second press waits, then finds nothing awaiting
    if review_round.state != State.VILLAGE_MEETING:
        raise ValidationError(
            _("Village meetings are recorded while the round is at the village meeting step.")
        )
    awaiting = list(reviews_awaiting_meeting(review_round, meeting.village))
    if not awaiting:
        raise ValidationError(
            _("The meetings of %(village)s already agreed every result of the village.")
            % {"village": meeting.village.name},
            code="already_met",
        )
    if set(agreeing) != {review.pk for review in awaiting}:
        raise ValidationError(
            _("The results awaiting this meeting changed meanwhile: open the form again."), code="stale"
        )
    survey = review_round.steps.filter(state=State.SURVEY).order_by("on", "pk").first()
    previous = review_round.meetings.filter(village=meeting.village).order_by("-held_on").first()
    procedure.check_meeting(
        procedure.Meeting(
            held_on=meeting.held_on,
            today=today(),
            present=meeting.present,
            agreeing=tuple(agreeing.values()),
            survey_from=survey.on if survey else None,
            after=previous.held_on if previous else None,
            copy_received_on=meeting.commune_copy_received_on,
        )
    )
    meeting.round, meeting.recorded_by = review_round, by
    meeting.chair_name, meeting.secretary_name = meeting.chair_name.strip(), meeting.secretary_name.strip()
    meeting.full_clean()
    meeting.save()
    results = []
    for review in awaiting:
        result = MeetingResult(
            meeting=meeting, review=review, category=review.category, agreeing=agreeing[review.pk]
        )
        result.decide()
        results.append(result)
    MeetingResult.objects.bulk_create(results)
    # The meeting's results are the record of what it sent back: the mark is not in the reviews' history.
    voted = HouseholdReview.objects.filter(pk__in=[result.review_id for result in results])
    voted.filter(pk__in=[r.review_id for r in results if not r.agreed]).update(sent_back_by=meeting)
    voted.filter(pk__in=[r.review_id for r in results if r.agreed]).update(sent_back_by=None)
    return meeting


@transaction.atomic
def record_minutes_received(*, meeting: VillageMeeting, on: datetime.date, by) -> VillageMeeting:
    """The commune received its copy of the meeting's minutes on `on`."""
    require_writer(by)
    meeting = VillageMeeting.objects.select_for_update().select_related("round").get(pk=meeting.pk)
    if meeting.round.is_decided:
        raise ValidationError(_("The round is decided: its records are read-only."))
    if meeting.commune_copy_received_on:
        raise ValidationError(
            _("The commune's copy of these minutes was received on %(date)s.")
            % {"date": date_text(meeting.commune_copy_received_on)}
        )
    if not meeting.held_on <= on <= today():
        raise ValidationError(
            _("The commune's copy of the minutes is received after the meeting, and not in the future.")
        )
    meeting.commune_copy_received_on = on
    meeting.save(update_fields=["commune_copy_received_on"])
    return meeting
