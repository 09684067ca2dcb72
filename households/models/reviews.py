"""The annual review: rounds and their steps, complaints, each household's review and deprivations."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Commune, today
from core.fields import user_stamp
from households import poverty, procedure
from households.models.registry import Household, Person


class Category(models.TextChoices):
    """The four outcomes of the review, in DOMAIN.md's words."""

    POOR = "poor", _("Poor")
    NEAR_POOR = "near_poor", _("Near-poor")
    AVERAGE = "average", _("Average living standard")
    NOT_POOR = "not_poor", _("Not poor")


class ReviewRoundQuerySet(models.QuerySet):
    def in_communes(self, communes):
        return self.filter(commune__in=communes)

    def overdue(self, on: datetime.date | None = None):
        """Ad-hoc reviews not decided by their 15-day deadline."""
        on = on or today()
        return self.filter(
            kind=ReviewRound.Kind.AD_HOC, requested_on__lt=procedure.overdue_if_requested_before(on)
        ).exclude(state__in=ReviewRound.DECIDED_STATES)


class ReviewRound(models.Model):
    """A commune's review of its households: the periodic one of a year, or an ad-hoc one on request.

    Its states are the legal steps of `households.procedure`; each move is kept as a `RoundStep` with
    its date and who recorded it. Once decided (approved, then reported) the round is read-only.
    """

    Kind = procedure.Kind
    State = procedure.State
    DECIDED_STATES = procedure.DECIDED_STATES

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="review_rounds", verbose_name=_("commune")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("The year the review is held (the year of the request, for an ad-hoc review).")
    )
    list_year = models.PositiveSmallIntegerField(
        _("lists of year"),
        editable=False,
        help_text=_("The year whose lists the review makes: the next year for the periodic review."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PERIODIC)
    standard = models.CharField(
        _("poverty standard"),
        max_length=32,
        help_text=_("Recorded with the round, so a past year never changes when a new standard comes."),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PREPARATION)
    requested_on = models.DateField(
        _("requested on"),
        null=True,
        blank=True,
        help_text=_("Ad-hoc review: the date of the household's request."),
    )
    posting_ends_on = models.DateField(_("public posting ends on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    lists_every_household = models.BooleanField(
        _("lists every household"),
        null=True,
        blank=True,
        help_text=_(
            "How the households to review were listed: empty until listed; no: the current poor and "
            "near-poor lists and the accepted requests (Appendix I); yes: every household, the "
            "commune's choice."
        ),
    )
    # The commune chairman's decision that recognises the lists (DOMAIN.md §4 step 5); its date is
    # `decided_on`. Required at the approval (services.move_round); older rounds may lack it.
    decision_number = models.CharField(
        _("decision number"), max_length=40, blank=True, help_text=_("For example 125/QĐ-UBND.")
    )
    decision_signer = models.CharField(_("signed by"), max_length=120, blank=True)

    objects = ReviewRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["-year", "commune"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year"],
                condition=Q(kind="periodic"),
                name="one_periodic_review_per_commune_year",
            ),
            models.CheckConstraint(
                condition=Q(kind="periodic") | Q(requested_on__isnull=False),
                name="ad_hoc_review_has_request_date",
            ),
            models.CheckConstraint(
                condition=Q(kind="periodic", list_year=models.F("year") + 1)
                | Q(kind="ad_hoc", list_year=models.F("year")),
                name="round_makes_the_lists_of_its_year",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=False) | ~Q(state__in=["approved", "reported"]),
                name="decided_round_has_decision_date",
            ),
        ]

    def __str__(self):
        return f"{self.commune} · {self.lists_label} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("households:round", args=[self.pk])

    def clean(self):
        super().clean()
        if self.year:
            self.list_year = procedure.list_year(self.kind, self.year)
        try:
            standard = poverty.get_standard(self.standard)
        except poverty.ClassificationError as error:
            raise ValidationError({"standard": str(error)}) from error
        if self.year and not standard.covers(self.list_year):
            raise ValidationError(
                {
                    "standard": _("%(standard)s does not cover the %(lists)s.")
                    % {"standard": standard, "lists": self.lists_label}
                }
            )
        if self.kind == self.Kind.AD_HOC and not self.requested_on:
            raise ValidationError({"requested_on": _("An ad-hoc review needs the date of the request.")})

    @property
    def standard_definition(self) -> poverty.Standard:
        return poverty.get_standard(self.standard)

    @property
    def is_decided(self) -> bool:
        return self.state in self.DECIDED_STATES

    @property
    def lists_counted_in_commune(self) -> bool:
        """Whether the commune still holds its households at the end of the lists' year: a year's
        figures (summaries, report tables) count the households on the register then, so the lists of
        a commune merged during their year are counted in its successor's figures."""
        return self.commune.is_active_on(datetime.date(self.list_year, 12, 31))

    @property
    def accepts_answers(self) -> bool:
        """Survey answers are entered during the survey."""
        return self.state == self.State.SURVEY

    @property
    def accepts_final_categories(self) -> bool:
        """The meeting, or a complaint during the posting, may change a household's category."""
        return self.state in (self.State.VILLAGE_MEETING, self.State.PUBLIC_POSTING)

    @property
    def results_posted(self) -> bool:
        """The public posting has started: the posted list of results exists."""
        return self.state in (self.State.PUBLIC_POSTING, self.State.DISTRICT_OPINION, *self.DECIDED_STATES)

    @property
    def accepts_households(self) -> bool:
        return self.state in (self.State.PREPARATION, self.State.SURVEY)

    @property
    def lists_label(self) -> str:
        """The lists it makes and the review that makes them: "lists of 2023 (review of late 2022)"."""
        return self._lists_label(self.list_year)

    def _lists_label(self, list_year: int) -> str:
        if self.kind == self.Kind.AD_HOC and self.requested_on:
            return _("lists of %(list_year)s (ad-hoc review requested on %(date)s)") % {
                "list_year": list_year,
                "date": self.requested_on.strftime("%d/%m/%Y"),
            }
        return procedure.lists_label(list_year)

    @property
    def procedure(self) -> procedure.Procedure:
        """The legal steps it follows: those in force when it started."""
        return procedure.procedure_for(self.kind, self.year, self.requested_on)

    def allowed_moves(self) -> tuple[str, ...]:
        return self.procedure.allowed_moves(self.state)

    def state_label(self) -> str:
        return self.procedure.label(self.state)

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        return procedure.periodic_window(self.year)

    @property
    def deadline(self) -> datetime.date | None:
        return self.procedure.deadline(self.requested_on)

    @property
    def is_overdue(self) -> bool:
        return procedure.is_overdue(self.deadline, self.state, today())


class RoundStep(models.Model):
    """A move of a review round into a state: when it happened and who recorded it."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="steps", verbose_name=_("round")
    )
    state = models.CharField(_("step"), max_length=20, choices=ReviewRound.State.choices)
    on = models.DateField(_("date"))
    by = user_stamp(_("recorded by"))
    note = models.TextField(_("note"), blank=True, help_text=_("Minutes, participants, decision number…"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["round", "on", "pk"]

    def __str__(self):
        return f"{self.get_state_display()} · {self.on:%d/%m/%Y}"


class Complaint(models.Model):
    """A complaint about the posted results; the round cannot be approved while one is open."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="complaints", verbose_name=_("round")
    )
    household = models.ForeignKey(
        "Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("household concerned"),
    )
    received_on = models.DateField(_("received on"))
    content = models.TextField(_("complaint"))
    outcome = models.TextField(_("outcome of the re-check"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["round", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("received_on")),
                name="complaint_resolved_after_received",
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.received_on:%d/%m/%Y}"

    def clean(self):
        super().clean()
        if self.resolved_on and not self.outcome.strip():
            raise ValidationError({"outcome": _("Say what the re-check found before closing the complaint.")})
        if self.resolved_on and self.received_on and self.resolved_on < self.received_on:
            raise ValidationError(
                {"resolved_on": _("A complaint cannot be resolved before it was received.")}
            )


class HouseholdReviewQuerySet(models.QuerySet):
    def decided(self):
        return self.filter(round__state__in=ReviewRound.DECIDED_STATES)

    def in_year(self, list_year: int):
        """The reviews of rounds that make the lists of `list_year`."""
        return self.filter(round__list_year=list_year)

    def effective_first(self):
        """The review that counts for a year first: the latest decided (an ad-hoc one after the periodic)."""
        return self.order_by(models.F("round__decided_on").desc(nulls_last=True), "-pk")

    def of_household(self, outer: str = "pk"):
        """In a subquery: the reviews of the outer query's household (`outer` names it), or of the
        household it was carried over from by a commune merger, whose lists it continues."""
        carried_from = "carried_from" if outer == "pk" else f"{outer}__carried_from"
        return self.filter(Q(household=models.OuterRef(outer)) | Q(household=models.OuterRef(carried_from)))

    def counting(self, year: int | None = None):
        """Per household, the one review whose category counts in `year`'s figures (see
        `counting_year`); without a year, those of every year."""
        return self.filter(counting_year=year) if year else self.filter(counting_year__isnull=False)

    def latest_lists_first(self, up_to: int | None = None):
        """The counting reviews of the lists up to the year `up_to` (all, without it), the latest
        lists first: a household's first one is its category in the lists in use that year."""
        counting = self.counting()
        if up_to is not None:
            counting = counting.filter(counting_year__lte=up_to)
        return counting.order_by("-counting_year")


class HouseholdReview(models.Model):
    """One household's answers in one round, its computed category and, if changed, the final one."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("round")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("household")
    )
    monthly_income_per_person = models.PositiveBigIntegerField(
        _("income per person per month (đồng)"), null=True, blank=True
    )
    a_points = models.PositiveSmallIntegerField(_("A points (form B1)"), null=True, blank=True)
    computed_category = models.CharField(
        _("computed category"), max_length=16, choices=Category.choices, blank=True, editable=False
    )
    final_category = models.CharField(
        _("final category"), max_length=16, choices=Category.choices, blank=True
    )
    final_reason = models.TextField(_("reason for the final category"), blank=True)
    category = models.CharField(
        _("category"),
        max_length=16,
        choices=Category.choices,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("The final category if the meeting or a complaint changed it, else the computed one."),
    )
    counting_year = models.PositiveSmallIntegerField(
        _("counts in the lists of year"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The round's list year, set when it is decided; cleared when a later decision for the same "
            "lists (an ad-hoc review) replaces this one. Summaries and lists read it instead of ranking "
            "the reviews again."
        ),
    )
    evidence = models.TextField(_("evidence notes"), blank=True)
    # Household facts the lists and report tables carry (DOMAIN.md §4a, table d): recorded each year,
    # since they change. Causes of poverty and support received are rows (households.models.facts).
    ethnic_minority = models.BooleanField(_("ethnic-minority household"), default=False)
    no_working_capacity = models.BooleanField(_("household without working capacity"), default=False)
    meritorious = models.BooleanField(_("household of people with meritorious service"), default=False)
    surveyed_on = models.DateField(_("surveyed on"), null=True, blank=True)
    surveyed_by = user_stamp(_("surveyed by"))
    final_set_by = user_stamp(_("final category set by"))
    sent_back_by = models.ForeignKey(
        "VillageMeeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="sent_back",
        verbose_name=_("sent back to the survey by"),
        help_text=_("The village meeting that did not agree the result; cleared when a later one agrees it."),
    )

    objects = HouseholdReviewQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["counting_year", "sent_back_by"])

    class Meta:
        verbose_name = _("household review")
        verbose_name_plural = _("household reviews")
        ordering = ["round", "household"]
        constraints = [
            models.UniqueConstraint(fields=["round", "household"], name="one_review_per_household_per_round"),
            models.UniqueConstraint(
                fields=["household", "counting_year"], name="one_counting_review_per_household_and_year"
            ),
            models.CheckConstraint(
                condition=Q(final_category="") | ~Q(final_reason=""),
                name="final_category_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(final_category="", category=models.F("computed_category"))
                | (~Q(final_category="") & Q(category=models.F("final_category"))),
                name="category_is_final_else_computed",
            ),
        ]
        indexes = [
            # A year's figures read the counting reviews from the index alone (PostgreSQL covers category).
            models.Index(
                fields=["counting_year", "household"], include=["category"], name="counting_reviews_of_year"
            ),
        ]

    def __str__(self):
        return f"{self.household} · {self.round.list_year}"

    def get_absolute_url(self):
        return reverse("households:survey", args=[self.pk])

    @property
    def is_surveyed(self) -> bool:
        return bool(self.computed_category)

    @property
    def accepts_answers(self) -> bool:
        """During the survey; and at the village meeting step for a result its meeting sent back."""
        return self.round.accepts_answers or (
            self.round.state == ReviewRound.State.VILLAGE_MEETING and self.sent_back_by_id is not None
        )

    @property
    def deprived_keys(self) -> list[str]:
        return [d.indicator for d in self.deprivations.all()]

    def classification(self) -> poverty.Classification | None:
        if not self.is_surveyed:
            return None
        return poverty.classify(
            self.round.standard_definition,
            self.household.area_type,
            self.monthly_income_per_person,
            self.deprived_keys,
            a_points=self.a_points,
        )

    def apply(
        self, result: poverty.Classification | None = None, *, final: str | None = None, reason: str = ""
    ) -> None:
        """Takes the category the answers give (`result`) or the one the meeting or a complaint set
        (`final`, with its reason), and the category that follows: the final one if it differs from
        the computed one, else the computed one. The computed category is never typed."""
        if result is not None:
            self.computed_category = result.category
        if final is not None:
            self.final_category, self.final_reason = final, reason.strip()
        if self.final_category in ("", self.computed_category):
            self.final_category, self.final_reason = "", ""
        self.category = self.final_category or self.computed_category

    @property
    def has_low_income_workers(self) -> bool:
        return self.is_surveyed and poverty.is_low_income_household(
            self.round.standard_definition,
            self.household.area_type,
            self.category,
            self.monthly_income_per_person,
        )

    def low_income_workers(self) -> list["Person"]:
        """Decree 30/2025: working-age members of a household neither poor nor near-poor, under the cap."""
        if not self.has_low_income_workers:
            return []
        on = self.round.decided_on or datetime.date(self.round.year, 12, 31)
        return [
            member.person
            for member in self.household.members.on(on).select_related("person")
            if member.person.is_of_working_age(self.round.year) and member.person.is_working
        ]


class Deprivation(models.Model):
    """An indicator of the round's standard in which the household is deprived (key as in DOMAIN.md)."""

    review = models.ForeignKey(
        HouseholdReview, on_delete=models.CASCADE, related_name="deprivations", verbose_name=_("review")
    )
    indicator = models.CharField(_("indicator"), max_length=40)

    class Meta:
        verbose_name = _("deprivation")
        verbose_name_plural = _("deprivations")
        constraints = [
            models.UniqueConstraint(fields=["review", "indicator"], name="indicator_once_per_review"),
        ]

    def __str__(self):
        return self.indicator

    @property
    def indicator_name(self) -> str:
        try:
            return str(self.review.round.standard_definition.indicator(self.indicator).name)
        except poverty.ClassificationError:
            return self.indicator
