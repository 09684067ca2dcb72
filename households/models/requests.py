"""Requests of households (Form 01: to be reviewed; Form 04: to be recognised as having escaped
poverty), the Phiếu A screening of an applicant, and the list of households to review that the current
lists and the accepted requests make (Circular 07/2021/TT-BLĐTBXH, Appendix I; DOMAIN.md §4)."""

from django.db import models
from django.db.models import Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communes.models import Commune
from core.fields import user_stamp
from households.models.registry import Household
from households.models.reviews import Category, HouseholdReview, ReviewRound

# The categories whose households are on the current lists, and so on the list to review.
LISTED_CATEGORIES = (Category.POOR, Category.NEAR_POOR)


class ReviewRequestQuerySet(models.QuerySet):
    def in_communes(self, communes):
        return self.filter(commune__in=communes)

    def feeding(self, review_round: ReviewRound):
        """The accepted requests on the round's list to review."""
        return self.filter(review_round=review_round, outcome=ReviewRequest.Outcome.ACCEPTED)


class ReviewRequest(models.Model):
    """A request received by the commune: from a household of the register or, before one is recorded,
    from a person named with their address. Accepted, it feeds the periodic round in preparation or
    survey, or opens an ad-hoc round; a refusal is written with its reason."""

    class Form(models.TextChoices):
        REVIEW = "form_01", _("Form 01: to be reviewed")
        ESCAPE = "form_04", _("Form 04: to be recognised as having escaped poverty")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="review_requests", verbose_name=_("commune")
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_requests",
        verbose_name=_("household"),
    )
    applicant_name = models.CharField(
        _("applicant"), max_length=120, blank=True, help_text=_("When the household is not in the register.")
    )
    applicant_address = models.CharField(_("applicant's address"), max_length=255, blank=True)
    form = models.CharField(_("form"), max_length=8, choices=Form.choices)
    received_on = models.DateField(_("received on"))
    received_by = user_stamp(_("recorded by"))
    received_by_other = models.CharField(
        _("received by"),
        max_length=120,
        blank=True,
        help_text=_("When someone other than the person recording it received it (a village head…)."),
    )
    note = models.TextField(_("note"), blank=True)
    screened_on = models.DateField(_("screened on (Phiếu A)"), null=True, blank=True)
    survey_follows = models.BooleanField(
        _("the full survey follows"),
        null=True,
        blank=True,
        help_text=_("The result of the Phiếu A screening: whether the household is surveyed (B1/B2)."),
    )
    screening_notes = models.TextField(_("screening notes"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING, db_index=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = user_stamp(_("decision recorded by"))
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)
    review_round = models.ForeignKey(
        ReviewRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("review round"),
        help_text=_("The periodic round whose list it feeds, or the ad-hoc round it opened."),
    )

    objects = ReviewRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False) | ~Q(applicant_name=""),
                name="request_names_its_applicant",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="refused") | ~Q(refusal_reason=""), name="refused_request_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(outcome="pending", decided_on__isnull=True)
                | (~Q(outcome="pending") & Q(decided_on__isnull=False)),
                name="decided_request_has_date",
            ),
            models.CheckConstraint(
                condition=Q(screened_on__isnull=True, survey_follows__isnull=True)
                | Q(screened_on__isnull=False, survey_follows__isnull=False),
                name="screening_has_date_and_result",
            ),
            models.CheckConstraint(
                # survey_follows = true alone would be NULL, which a CHECK lets through, when not screened.
                condition=~Q(outcome="accepted", form="form_01")
                | Q(survey_follows__isnull=False, survey_follows=True),
                name="accepted_form_01_was_screened",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="accepted") | Q(household__isnull=False),
                name="accepted_request_has_household",
            ),
            # A double press, or the same paper entered twice, finds the first one still pending.
            models.UniqueConstraint(
                fields=["household", "form"],
                condition=Q(outcome="pending"),
                name="one_pending_request_per_household_and_form",
            ),
        ]

    def __str__(self):
        return f"{self.applicant} · {self.get_form_display()} · {self.received_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("households:request", args=[self.pk])

    @property
    def applicant(self) -> str:
        return self.household.head_name if self.household_id else self.applicant_name

    @property
    def is_pending(self) -> bool:
        return self.outcome == self.Outcome.PENDING

    @property
    def needs_screening(self) -> bool:
        """Form 01 is accepted only after a Phiếu A screening that says the survey follows."""
        return self.form == self.Form.REVIEW and self.survey_follows is not True


def list_category(review_round: ReviewRound, household: str = "pk"):
    """Per household (the outer query's `household` field), its category on the lists the round
    starts from: that of its latest counting review of a year up to the round's (not this round's own
    result), or None; a household carried over by a merger starts from its old record's lists."""
    latest = (
        HouseholdReview.objects.of_household(household)
        .latest_lists_first(up_to=review_round.year)
        .exclude(round=review_round)
    )
    return Subquery(latest.values("category")[:1])


def households_on_lists(review_round: ReviewRound):
    """The commune's households on the register in the round's year, annotated with `list_category`."""
    return (
        Household.objects.filter(commune=review_round.commune)
        .existing_in(review_round.year)
        .annotate(list_category=list_category(review_round))
    )


def households_to_review(review_round: ReviewRound):
    """Appendix I: the households on the current poor and near-poor lists plus those of the accepted
    requests feeding the round (each once)."""
    requested = ReviewRequest.objects.feeding(review_round).values("household")
    return households_on_lists(review_round).filter(
        Q(list_category__in=LISTED_CATEGORIES) | Q(pk__in=requested)
    )
