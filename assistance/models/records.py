"""What was carried out, by kind of activity; job counselling's participants and their outcomes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assistance.models.missions import LabourNeed
from assistance.models.plans import Activity
from communes.models import today
from households.models import Household, Member

User = settings.AUTH_USER_MODEL


class Event(models.Model):
    """A training class, inspection or conference held for an activity."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="events", verbose_name=_("activity")
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255)
    participant_count = models.PositiveIntegerField(_("participants"), default=0)
    officers_trained = models.TextField(
        _("officers trained or met"), blank=True, help_text=_("Names and posts, one per line.")
    )
    result_notes = models.TextField(_("results"), blank=True)

    class Meta:
        verbose_name = _("event held")
        verbose_name_plural = _("events held")
        ordering = ["activity", "held_on", "pk"]

    def __str__(self):
        return f"{self.activity} · {self.held_on:%d/%m/%Y}"


class CommunicationRecord(models.Model):
    class Kind(models.TextChoices):
        LEAFLET = "leaflet", _("Leaflets")
        TALK = "talk", _("Talks")
        BROADCAST = "broadcast", _("Loudspeaker or radio broadcasts")
        POSTER = "poster", _("Posters and banners")
        OTHER = "other", _("Other")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="communications", verbose_name=_("activity")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    count = models.PositiveIntegerField(_("count"))
    audience = models.CharField(_("audience"), max_length=255, blank=True)
    held_on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("communication record")
        verbose_name_plural = _("communication records")
        ordering = ["activity", "held_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(count__gt=0), name="communication_count_positive")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.count}"


class GivenItem(models.Model):
    """What a livelihood model gives: animals, seeds, tools, with count and unit cost."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="items", verbose_name=_("activity")
    )
    name = models.CharField(_("item"), max_length=255)
    count = models.PositiveIntegerField(_("count"))
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    unit_cost = models.PositiveBigIntegerField(_("unit cost (đồng)"))

    class Meta:
        verbose_name = _("item given")
        verbose_name_plural = _("items given")
        ordering = ["activity", "pk"]
        constraints = [models.CheckConstraint(condition=Q(count__gt=0), name="given_item_count_positive")]

    def __str__(self):
        return f"{self.name} × {self.count}"

    @property
    def total(self) -> int:
        return self.count * self.unit_cost


class Beneficiary(models.Model):
    """A household of the plan's commune that receives a livelihood model's support."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="beneficiaries", verbose_name=_("activity")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="livelihood_support", verbose_name=_("household")
    )
    enrolled_on = models.DateField(_("enrolled on"), default=today)
    category_when_enrolled = models.CharField(
        _("category when enrolled"), max_length=16, blank=True, help_text=_("From the latest decided review.")
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("beneficiary household")
        verbose_name_plural = _("beneficiary households")
        ordering = ["activity", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "household"], name="household_once_per_model"),
        ]

    def __str__(self):
        return str(self.household)

    def clean(self):
        super().clean()
        if self.household_id and self.activity_id:
            if self.household.commune_id != self.activity.plan.commune_id:
                raise ValidationError(
                    {"household": _("This household does not live in the plan's commune.")},
                    code="outside_commune",
                )
            if "beneficiaries" not in self.activity.recorded:
                raise ValidationError(_("Beneficiary households belong to livelihood models."))


class FollowUp(models.Model):
    """A visit to a livelihood model: how the animals are doing."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("activity")
    )
    visited_on = models.DateField(_("visited on"))
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household visited"),
    )
    animals_alive = models.PositiveIntegerField(_("animals alive"), default=0)
    animals_born = models.PositiveIntegerField(_("animals born"), default=0)
    animals_passed_on = models.PositiveIntegerField(_("passed on to the next household"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["activity", "visited_on", "pk"]

    def __str__(self):
        return f"{self.activity} · {self.visited_on:%d/%m/%Y}"


# ---------------------------------------------------------------------------------------------
# Job counselling: participants and the outcome the department follows


class Outcome(models.TextChoices):
    """In the order a participant can move through them (see services.check_outcome_move)."""

    COUNSELLED = "counselled", _("Counselled")
    REFERRED_TRAINING = "referred_training", _("Referred to vocational training")
    PLACED_VIETNAM = "placed_vietnam", _("Placed in a job in Vietnam")
    REGISTERED_ABROAD = "registered_abroad", _("Registered for contract work abroad")
    DEPARTED = "departed", pgettext_lazy("worker abroad", "Departed")
    RETURNED = "returned", pgettext_lazy("worker abroad", "Returned")


class Participant(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="participants", verbose_name=_("activity")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household member"),
        help_text=_("Choose from the registry, or write the name below."),
    )
    full_name = models.CharField(_("full name"), max_length=120, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True, editable=False
    )
    outcome_on = models.DateField(_("since"), null=True, blank=True, editable=False)
    offers = models.ManyToManyField(
        LabourNeed, blank=True, related_name="offered_to", verbose_name=_("jobs offered")
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["activity", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(full_name=""), name="participant_is_named"
            ),
            models.UniqueConstraint(
                fields=["activity", "member"],
                condition=Q(member__isnull=False),
                name="member_once_per_activity",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.member.person.full_name if self.member_id else self.full_name

    def clean(self):
        super().clean()
        if not self.member_id and not self.full_name.strip():
            raise ValidationError(
                {
                    "full_name": _(
                        "Choose a household member from the registry or write the participant's name."
                    )
                }
            )


class OutcomeStep(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="steps", verbose_name=_("participant")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("outcome step")
        verbose_name_plural = _("outcome steps")
        ordering = ["participant", "on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "outcome"], name="outcome_once_per_participant"),
        ]

    def __str__(self):
        return f"{self.participant} · {self.get_outcome_display()}"
