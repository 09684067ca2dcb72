"""Village meetings (họp dân) of a review round, one per village, and the vote on each household's
result (DOMAIN.md §4 step 3)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communes.models import Village
from core.fields import user_stamp
from households import procedure
from households.models.reviews import Category, HouseholdReview, ReviewRound


class Attendee(models.TextChoices):
    """Who takes part in a village meeting (Circular 07/2021): one catalogue, ticked per meeting."""

    VILLAGE_HEAD = "village_head", _("Village head")
    REVIEW_BOARD = "review_board", _("Commune review steering committee")
    POVERTY_OFFICER = "poverty_officer", _("Commune poverty reduction officer")
    PARTY_CELL = "party_cell", _("Village party cell")
    MASS_ORGANISATIONS = "mass_organisations", _("Mass organisations")
    REVIEWERS = "reviewers", _("Reviewers")
    HOUSEHOLD_REPRESENTATIVES = "household_representatives", _("Household representatives")


class VillageMeetingQuerySet(models.QuerySet):
    def in_rounds(self, rounds):
        return self.filter(round__in=rounds)


class VillageMeeting(models.Model):
    """A meeting of one village on the results of its households in a round. The minutes are made in
    two copies: one kept in the village, one sent to the commune (`commune_copy_received_on`)."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("round")
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="review_meetings", verbose_name=_("village")
    )
    held_on = models.DateField(_("held on"))
    chair_name = models.CharField(_("chaired by (village head)"), max_length=120)
    secretary_name = models.CharField(_("secretary"), max_length=120, blank=True)
    attendees = models.JSONField(_("taking part"), default=list, blank=True)
    fatherland_front_invited = models.BooleanField(_("Fatherland Front invited to supervise"), default=False)
    present = models.PositiveSmallIntegerField(_("number present"))
    commune_copy_received_on = models.DateField(
        _("commune's copy of the minutes received on"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = user_stamp(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = VillageMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("village meeting")
        verbose_name_plural = _("village meetings")
        ordering = ["round", "village__name", "held_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(present__gte=1), name="village_meeting_has_someone_present"),
            models.CheckConstraint(
                condition=Q(commune_copy_received_on__isnull=True)
                | Q(commune_copy_received_on__gte=models.F("held_on")),
                name="minutes_received_after_the_meeting",
            ),
        ]

    def __str__(self):
        return f"{self.village} · {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("households:meeting", args=[self.pk])

    def clean(self):
        super().clean()
        unknown = set(self.attendees or []) - set(Attendee.values)
        if not isinstance(self.attendees, list) or unknown:
            raise ValidationError({"attendees": _("Choose who took part from the list.")})

    @property
    def attendee_labels(self) -> list[str]:
        return [str(Attendee(key).label) for key in Attendee.values if key in self.attendees]


class MeetingResult(models.Model):
    """How many of those present agreed with a household's result. Below
    `procedure.MEETING_AGREEMENT_SHARE` the result is not agreed: the household goes back to the survey
    (`HouseholdReview.sent_back_by`) until a later meeting of its village agrees it."""

    meeting = models.ForeignKey(
        VillageMeeting, on_delete=models.CASCADE, related_name="results", verbose_name=_("meeting")
    )
    review = models.ForeignKey(
        HouseholdReview, on_delete=models.CASCADE, related_name="meeting_results", verbose_name=_("review")
    )
    category = models.CharField(_("result put to the meeting"), max_length=16, choices=Category.choices)
    agreeing = models.PositiveSmallIntegerField(_("number agreeing"))
    agreed = models.BooleanField(_("agreed"), editable=False)

    class Meta:
        verbose_name = _("meeting result")
        verbose_name_plural = _("meeting results")
        ordering = ["meeting", "review__household__code"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "review"], name="one_result_per_review_per_meeting"),
        ]

    def __str__(self):
        return f"{self.review.household} · {self.agreeing}/{self.meeting.present}"

    def decide(self) -> None:
        self.agreed = procedure.is_agreed(self.agreeing, self.meeting.present)
