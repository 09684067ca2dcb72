"""Paper 2 of a review (Circular 07/2021): the minutes of a village meeting, made in two copies (one kept
in the village, one sent to the commune), for one meeting or for all meetings of a round in one
document. Always Vietnamese."""

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse

from core import documents
from households import procedure
from households.access import get_meeting_for, get_round_for
from households.models import MeetingResult

# The wording of the minutes' template, Circular 07/2021 (to confirm: exact heading and copy marks): the
# heading names the commune over the village, and each copy says who keeps it.
MINUTES = {
    "kind": "Biên bản",
    "subject": "Họp dân thống nhất kết quả rà soát hộ nghèo, hộ cận nghèo năm {year}",
    "parent": "UBND {unit}",
    "copies": ("Bản lưu tại thôn", "Bản gửi Ủy ban nhân dân xã"),
}


def _heading(meeting) -> dict:
    """The commune's committee (abbreviated, as Decree 30/2020 allows) over the village."""
    committee = documents.commune_committee(meeting.round.commune)
    parent = MINUTES["parent"].format(unit=committee["unit"])
    return {"parent": {"short_name": parent, "full_name": ""}, "full_name": meeting.village.name}


def minutes_sheets(meetings) -> list[dict]:
    """Each meeting's two copies, in the order of `meetings`, each with its heading and place line."""
    sheets = []
    for meeting in meetings:
        issuer = _heading(meeting)
        place_date = documents.place_and_date(meeting.village.name, meeting.held_on)
        for copy in MINUTES["copies"]:
            sheets.append({"meeting": meeting, "copy": copy, "issuer": issuer, "place_date": place_date})
    return sheets


def _with_results(meetings: list) -> list:
    """One query for the results of all `meetings`, with their households, in code order."""
    results = MeetingResult.objects.select_related("review__household").order_by(
        "review__household__code", "pk"
    )
    prefetch_related_objects(meetings, Prefetch("results", queryset=results, to_attr="ordered_results"))
    return meetings


def _response(request, review_round, meetings, *, one, back_url, pdf_url, filename):
    context = {
        "round": review_round,
        "meeting": meetings[0] if one else None,
        "sheets": minutes_sheets(_with_results(meetings)),
        "subject": MINUTES["subject"].format(year=review_round.year),
        "minutes": MINUTES,
        "share": procedure.agreement_percent(),
        "back_url": back_url,
        "pdf_url": pdf_url,
    }
    return documents.document_response(
        request, "households/print_meeting_minutes.html", context, pdf_filename=filename
    )


def meeting_minutes(request, pk, as_pdf=False):
    """The two copies of a meeting's minutes (or their PDF), signed by the secretary and the chair."""
    meeting = get_meeting_for(request.user, pk)
    review_round = meeting.round
    return _response(
        request,
        review_round,
        [meeting],
        one=True,
        back_url=meeting.get_absolute_url(),
        pdf_url=reverse("households:meeting_minutes_pdf", args=[meeting.pk]),
        filename=f"bien-ban-hop-dan-{review_round.commune.code}-{review_round.year}-{meeting.pk}.pdf"
        if as_pdf
        else None,
    )


def round_minutes(request, pk, as_pdf=False):
    """All minutes of a round in one document, village by village, each in its two copies."""
    review_round = get_round_for(request.user, pk)
    meetings = list(review_round.meetings.select_related("village"))  # by village, then date
    for meeting in meetings:
        meeting.round = review_round  # the heading reads the round's commune: no query per meeting
    return _response(
        request,
        review_round,
        meetings,
        one=False,
        back_url=review_round.get_absolute_url(),
        pdf_url=reverse("households:round_minutes_pdf", args=[review_round.pk]),
        filename=f"bien-ban-hop-dan-{review_round.commune.code}-{review_round.year}.pdf" if as_pdf else None,
    )
