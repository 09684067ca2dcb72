"""Village meetings of a review round: record one (with the vote on each result), read it, record the
commune's copy of its minutes (the minutes themselves: `meeting_papers`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communes.models import Village, today
from core.pages import error_messages
from households import meeting_services, procedure
from households.access import can_write, get_meeting_for, get_round_for
from households.forms import MeetingForm, MinutesReceivedForm
from households.models import Attendee, VillageMeeting


def meeting_new(request, pk, village_pk):
    """The form lists the village's results awaiting a meeting, each with its number agreeing."""
    review_round = get_round_for(request.user, pk, write=True)
    village = get_object_or_404(
        Village.objects.filter(households__reviews__round=review_round).distinct(), pk=village_pk
    )
    reviews = meeting_services.reviews_awaiting_meeting(review_round, village)
    form = MeetingForm(
        request.POST or None,
        instance=VillageMeeting(round=review_round, village=village),
        reviews=reviews,
        initial={"held_on": today(), "attendees": Attendee.values},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_services.record_meeting(
                meeting=form.instance, agreeing=form.agreeing, by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            sent_back = meeting.results.filter(agreed=False).count()
            messages.success(request, _("The village meeting was recorded."))
            if sent_back:
                messages.warning(
                    request,
                    _(
                        "%(count)s results were not agreed by %(share)s%% of those present: "
                        "back to the survey."
                    )
                    % {"count": sent_back, "share": procedure.agreement_percent()},
                )
            return redirect(meeting)
    return render(
        request,
        "households/meeting_form.html",
        {
            "round": review_round,
            "village": village,
            "form": form,
            "previous": review_round.meetings.filter(village=village).order_by("held_on", "pk"),
            "open": review_round.state == review_round.State.VILLAGE_MEETING,
            "share": procedure.agreement_percent(),
        },
    )


def _results(meeting):
    return meeting.results.select_related("review__household").order_by("review__household__code", "pk")


def meeting_detail(request, pk):
    meeting = get_meeting_for(request.user, pk)
    writable = can_write(request.user) and not meeting.round.is_decided
    return render(
        request,
        "households/meeting_detail.html",
        {
            "meeting": meeting,
            "round": meeting.round,
            "results": _results(meeting),
            "received_form": MinutesReceivedForm()
            if writable and not meeting.commune_copy_received_on
            else None,
        },
    )


@require_POST
def meeting_minutes_received(request, pk):
    meeting = get_meeting_for(request.user, pk, write=True)
    form = MinutesReceivedForm(request.POST)
    if form.is_valid():
        try:
            meeting_services.record_minutes_received(
                meeting=meeting, on=form.cleaned_data["on"], by=request.user
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("The commune's copy of the minutes was recorded as received."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(meeting)
