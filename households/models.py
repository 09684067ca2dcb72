import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import AreaType, Commune, Village, today
from core import citizen_id
from core.fields import FoldedCharField
from core.text import fold
from households import poverty, procedure


class Livelihood(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture")
    FORESTRY = "forestry", _("Forestry")
    FISHERY = "fishery", _("Fishery")
    SALT_MAKING = "salt_making", _("Salt-making")
    WAGE_WORK = "wage_work", _("Wage work")
    TRADE = "trade", _("Trade and services")
    OTHER = "other", _("Other")


FARM_LIVELIHOODS = [Livelihood.AGRICULTURE, Livelihood.FORESTRY, Livelihood.FISHERY, Livelihood.SALT_MAKING]


def on_register_in(year: int) -> Q:
    """A household is on the register at the end of `year`."""
    end = datetime.date(year, 12, 31)
    return (Q(registered_on__isnull=True) | Q(registered_on__lte=end)) & (
        Q(ended_on__isnull=True) | Q(ended_on__gt=end)
    )


class HouseholdQuerySet(models.QuerySet):
    def in_communes(self, communes):
        return self.filter(commune__in=communes)

    def existing_in(self, year: int):
        """Households on the register at the end of `year` (the denominator of that year's rates)."""
        return self.filter(on_register_in(year))

    def with_category_in(self, year: int, name: str = "year_category", *, alias: bool = False):
        """Annotates `name`: the category that counts in `year` (None if not reviewed); `name`_review: its id.

        A join on the one review per household that counts in the year (`counting_year`), so filters
        and aggregates over a whole province stay one pass. With `alias=True` they are only usable in
        filters and aggregates (not selected, not grouped by).
        """
        relation = f"{name}_counting"
        query = self.alias(
            **{relation: models.FilteredRelation("reviews", condition=Q(reviews__counting_year=year))}
        )
        expressions = {name: models.F(f"{relation}__category"), f"{name}_review": models.F(f"{relation}__pk")}
        return query.alias(**expressions) if alias else query.annotate(**expressions)

    def in_category(self, category: str, year: int | None = None):
        """Households whose latest category (the one that counts in `year`, if given) is `category`;
        "none": households with no decided review (in `year`). Set-based: no subquery per household."""
        counting = HouseholdReview.objects.counting(year)
        if not year:
            later = HouseholdReview.objects.filter(
                household=models.OuterRef("household"), counting_year__gt=models.OuterRef("counting_year")
            )
            counting = counting.exclude(models.Exists(later))
        if category == "none":
            return self.exclude(pk__in=counting.values("household"))
        return self.filter(pk__in=counting.filter(category=category).values("household"))

    def search(self, text: str):
        query = self
        for word in fold(text).split():
            query = query.filter(Q(head_name_folded__contains=word) | Q(code__icontains=word))
        return query

    def with_latest_category(self):
        """Annotates `latest_category` and `latest_category_year`: the household's category in the
        latest decided (approved or reported) review, or None if it was never reviewed."""
        latest = (
            HouseholdReview.objects.counting()
            .filter(household=models.OuterRef("pk"))
            .order_by("-counting_year")
        )
        return self.annotate(
            latest_category=models.Subquery(latest.values("category")[:1]),
            latest_category_year=models.Subquery(latest.values("counting_year")[:1]),
        )


class Household(models.Model):
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="households", verbose_name=_("commune")
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="households", verbose_name=_("village")
    )
    code = models.CharField(_("household code"), max_length=32)
    head_name = models.CharField(_("head of household"), max_length=120)
    head_name_folded = FoldedCharField(source="head_name")
    address = models.CharField(_("address"), max_length=255, blank=True)
    area_type = models.CharField(
        _("area type"),
        max_length=8,
        choices=AreaType.choices,
        blank=True,
        help_text=_("Taken from the commune if left empty."),
    )
    ethnicity = models.CharField(_("ethnicity"), max_length=64, blank=True)
    main_livelihood = models.CharField(
        _("main livelihood"), max_length=16, choices=Livelihood.choices, default=Livelihood.AGRICULTURE
    )
    registered_on = models.DateField(
        _("registered on"), null=True, blank=True, help_text=_("When the household was formed or moved in.")
    )
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_(
            "First day it is no longer a household of the commune (moved away, merged with another)."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["commune", "code"]
        indexes = [
            # The household list counts households by commune and village (see pagination.VillagePaginator).
            models.Index(fields=["commune", "village"], name="household_commune_village"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["commune", "code"], name="household_code_unique_in_commune"),
            models.CheckConstraint(
                condition=Q(registered_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gt=models.F("registered_on")),
                name="household_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.head_name}"

    def get_absolute_url(self):
        return reverse("households:detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.village_id and self.commune_id and self.village.commune_id != self.commune_id:
            raise ValidationError({"village": _("This village is not in the household's commune.")})
        if not self.area_type and self.commune_id:
            self.area_type = self.commune.area_type
        if self.registered_on and self.ended_on and self.ended_on <= self.registered_on:
            raise ValidationError({"ended_on": _("The end date must be after the registration date.")})

    @property
    def is_farm(self) -> bool:
        return self.main_livelihood in FARM_LIVELIHOODS


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Person(models.Model):
    """A person, whatever household they live in over the years (see Member)."""

    class School(models.TextChoices):
        NOT_APPLICABLE = "n/a", _("Not of school age")
        ATTENDING = "attending", _("Attends school")
        NOT_ATTENDING = "not_attending", _("Does not attend school")

    class Employment(models.TextChoices):
        NOT_WORKING_AGE = "not_working_age", _("Not of working age")
        EMPLOYED_CONTRACT = "employed_contract", _("Employed with a labour contract")
        EMPLOYED_NO_CONTRACT = "employed_no_contract", _("Wage work without a labour contract")
        SELF_EMPLOYED = "self_employed", _("Self-employed, own farm or business")
        UNEMPLOYED = "unemployed", _("Unemployed")
        STUDENT = "student", _("Student or in training")
        UNABLE = "unable", _("Unable to work")

    full_name = models.CharField(_("full name"), max_length=120)
    full_name_folded = FoldedCharField(source="full_name")
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    citizen_id = models.CharField(
        _("citizen ID number"),
        max_length=12,
        blank=True,
        help_text=_("12 digits. Shown masked outside the record."),
    )
    health_insurance_card = models.CharField(_("health-insurance card"), max_length=20, blank=True)
    school = models.CharField(
        _("school attendance"), max_length=16, choices=School.choices, default=School.NOT_APPLICABLE
    )
    employment = models.CharField(
        _("employment status"), max_length=24, choices=Employment.choices, default=Employment.NOT_WORKING_AGE
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id"],
                condition=~Q(citizen_id=""),
                name="citizen_id_unique_when_known",
                violation_error_message=_("Another person already has this citizen ID number."),
            ),
            models.CheckConstraint(condition=Q(birth_year__gte=1900), name="person_birth_year_after_1900"),
        ]

    def __str__(self):
        return self.full_name

    def age_in(self, year: int) -> int:
        return year - self.birth_year

    def clean(self):
        super().clean()
        if self.birth_year and self.birth_year > today().year:
            raise ValidationError({"birth_year": _("The year of birth cannot be in the future.")})
        if self.citizen_id:
            self.citizen_id = citizen_id.normalise(self.citizen_id)
            try:
                citizen_id.validate(
                    self.citizen_id,
                    birth_year=self.birth_year,
                    female=self.sex == Sex.FEMALE if self.sex else None,
                )
            except ValidationError as error:
                raise ValidationError({"citizen_id": error.messages}) from error


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relative")


class MemberQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_on__isnull=True)

    def on(self, date: datetime.date):
        return self.filter(
            Q(joined_on__isnull=True) | Q(joined_on__lte=date), Q(left_on__isnull=True) | Q(left_on__gt=date)
        )


class Member(models.Model):
    """A person's membership of a household, from one date to another: moving keeps the history."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    relation = models.CharField(_("relation to the head"), max_length=16, choices=Relation.choices)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(
        _("left on"), null=True, blank=True, help_text=_("First day no longer in the household.")
    )

    objects = MemberQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(left_on__isnull=True),
                name="person_in_one_household_at_a_time",
                violation_error_message=_(
                    "This person already lives in another household: record the move first."
                ),
            ),
            models.CheckConstraint(
                condition=Q(joined_on__isnull=True)
                | Q(left_on__isnull=True)
                | Q(left_on__gt=models.F("joined_on")),
                name="member_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_relation_display()})"

    def clean(self):
        super().clean()
        if self.left_on is None and self.person_id:
            elsewhere = Member.objects.current().filter(person_id=self.person_id).exclude(pk=self.pk)
            if elsewhere.exists():
                raise ValidationError(
                    _("%(person)s already lives in household %(household)s: record the move there first.")
                    % {"person": self.person, "household": elsewhere.first().household}
                )


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
    MOVES = {kind: rules.moves for kind, rules in procedure.PROCEDURES.items()}

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="review_rounds", verbose_name=_("commune")
    )
    year = models.PositiveSmallIntegerField(_("year"))
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
                condition=Q(decided_on__isnull=False) | ~Q(state__in=["approved", "reported"]),
                name="decided_round_has_decision_date",
            ),
        ]

    def __str__(self):
        return f"{self.commune} · {self.year} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("households:round", args=[self.pk])

    def clean(self):
        super().clean()
        try:
            standard = poverty.get_standard(self.standard)
        except poverty.ClassificationError as error:
            raise ValidationError({"standard": str(error)}) from error
        if self.year and not standard.covers(self.year):
            raise ValidationError(
                {
                    "standard": _("%(standard)s does not cover %(year)s.")
                    % {"standard": standard, "year": self.year}
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
    def accepts_answers(self) -> bool:
        """Survey answers are entered during the survey."""
        return self.state == self.State.SURVEY

    @property
    def accepts_final_categories(self) -> bool:
        """The meeting, or a complaint during the posting, may change a household's category."""
        return self.state in (self.State.VILLAGE_MEETING, self.State.PUBLIC_POSTING)

    @property
    def accepts_households(self) -> bool:
        return self.state in (self.State.PREPARATION, self.State.SURVEY)

    def allowed_moves(self) -> tuple[str, ...]:
        return procedure.PROCEDURES[self.kind].allowed_moves(self.state)

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        return procedure.periodic_window(self.year)

    @property
    def deadline(self) -> datetime.date | None:
        return procedure.PROCEDURES[self.kind].deadline(self.requested_on)

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
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
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

    def in_year(self, year: int):
        return self.filter(round__year=year)

    def effective_first(self):
        """The review that counts for a year first: the latest decided (an ad-hoc one after the periodic)."""
        return self.order_by(models.F("round__decided_on").desc(nulls_last=True), "-pk")

    def counting(self, year: int | None = None):
        """Per household, the one review whose category counts in `year`'s figures (see
        `counting_year`); without a year, those of every year."""
        return self.filter(counting_year=year) if year else self.filter(counting_year__isnull=False)


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
    a_points = models.PositiveSmallIntegerField(_("A points (form B2)"), null=True, blank=True)
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
        _("counts in the figures of year"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Set when the round is decided; cleared when a later decision of the same year (an ad-hoc "
            "review) replaces this one. Summaries and lists read it instead of ranking the reviews again."
        ),
    )
    evidence = models.TextField(_("evidence notes"), blank=True)
    surveyed_on = models.DateField(_("surveyed on"), null=True, blank=True)
    surveyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("surveyed by"),
    )
    final_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("final category set by"),
    )

    objects = HouseholdReviewQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["counting_year"])

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
        return f"{self.household} · {self.round.year}"

    def get_absolute_url(self):
        return reverse("households:survey", args=[self.pk])

    @property
    def is_surveyed(self) -> bool:
        return bool(self.computed_category)

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
        not_workers = {Person.Employment.NOT_WORKING_AGE, Person.Employment.UNABLE, Person.Employment.STUDENT}
        return [
            member.person
            for member in self.household.members.on(on).select_related("person")
            if member.person.age_in(self.round.year) >= poverty.WORKING_AGE_FROM
            and member.person.employment not in not_workers
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


class FarmAverageRecord(models.Model):
    """A request to be recognised as a household in agriculture, forestry, fishery or salt-making with an
    average living standard (DOMAIN.md §4): income of the previous 12 months without state social
    assistance; the commune decides, and the state then co-pays the members' health insurance."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="farm_average_records", verbose_name=_("household")
    )
    requested_on = models.DateField(_("requested on"))
    standard = models.CharField(_("poverty standard"), max_length=32)
    income_12_months = models.PositiveBigIntegerField(
        _("income of the previous 12 months (đồng)"), help_text=_("Without state social assistance.")
    )
    member_count = models.PositiveSmallIntegerField(
        _("members"), validators=[MinValueValidator(1)], help_text=_("Members sharing that income.")
    )
    monthly_income_per_person = models.PositiveBigIntegerField(
        _("income per person per month (đồng)"), editable=False
    )
    eligible = models.BooleanField(
        _("meets the criteria"),
        editable=False,
        default=False,
        help_text=_("Farm livelihood and an income of average living standard, computed by the rule."),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recognised = models.BooleanField(_("recognised by the commune"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision recorded by"),
    )

    class Meta:
        verbose_name = _("farm household of average living standard")
        verbose_name_plural = _("farm households of average living standard")
        ordering = ["-requested_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(member_count__gte=1), name="farm_average_has_members"),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True, recognised__isnull=True)
                | Q(decided_on__isnull=False, recognised__isnull=False),
                name="farm_average_decision_has_date_and_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.household} · {self.requested_on:%d/%m/%Y}"

    @property
    def year(self) -> int:
        return self.requested_on.year


class ImportRecord(models.Model):
    """A file brought in from Excel or CSV: who, when, which file, what the dry run found, what it changed.

    Between the dry run and the import the file is kept under MEDIA_ROOT/imports with a random name
    (never a name or path from the browser) and its checksum; it is deleted once imported or expired.
    """

    class Kind(models.TextChoices):
        HOUSEHOLDS = "households", _("Households and members")
        REVIEWS = "reviews", _("Review results of a year")

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked (dry run), not imported")
        IMPORTED = "imported", _("Imported")
        EXPIRED = "expired", _("Expired without import")
        REJECTED = "rejected", _("Rejected rows: nothing imported")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="imports", verbose_name=_("commune")
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CHECKED)
    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    stored_name = models.CharField(_("stored file"), max_length=80, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    new = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected rows"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} · {self.commune}"

    def get_absolute_url(self):
        return reverse("households:import_detail", args=[self.pk])


class ImportChange(models.Model):
    """One record an import created or changed, with the row it came from and the values before."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")

    record = models.ForeignKey(
        ImportRecord, on_delete=models.CASCADE, related_name="changes", verbose_name=_("import")
    )
    row = models.PositiveIntegerField(_("row"))
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    model = models.CharField(_("record kind"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("record id"))
    label = models.CharField(_("record"), max_length=255)
    before = models.JSONField(_("values before"), default=dict, blank=True)

    class Meta:
        verbose_name = _("imported change")
        verbose_name_plural = _("imported changes")
        ordering = ["record", "row", "pk"]

    def __str__(self):
        return f"{self.record_id} · {self.row} · {self.label}"
