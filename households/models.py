import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communes.models import AreaType, Commune, Village, today
from core import citizen_id
from core.fields import FoldedCharField
from core.text import fold


class Livelihood(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture")
    FORESTRY = "forestry", _("Forestry")
    FISHERY = "fishery", _("Fishery")
    SALT_MAKING = "salt_making", _("Salt-making")
    WAGE_WORK = "wage_work", _("Wage work")
    TRADE = "trade", _("Trade and services")
    OTHER = "other", _("Other")


FARM_LIVELIHOODS = [Livelihood.AGRICULTURE, Livelihood.FORESTRY, Livelihood.FISHERY, Livelihood.SALT_MAKING]


class HouseholdQuerySet(models.QuerySet):
    def in_communes(self, communes):
        return self.filter(commune__in=communes)

    def search(self, text: str):
        query = self
        for word in fold(text).split():
            query = query.filter(Q(head_name_folded__contains=word) | Q(code__icontains=word))
        return query

    def with_latest_category(self):
        """Annotates `latest_category` and `latest_category_year`: the household's category in the
        latest decided (approved or reported) review, or None if it was never reviewed."""
        latest = (
            HouseholdReview.objects.decided()
            .filter(household=models.OuterRef("pk"))
            .order_by("-round__year", "-pk")
        )
        return self.annotate(
            latest_category=models.Subquery(latest.values("category")[:1]),
            latest_category_year=models.Subquery(latest.values("round__year")[:1]),
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
        help_text=_("Taken from the commune if left empty."),
    )
    ethnicity = models.CharField(_("ethnicity"), max_length=64, blank=True)
    main_livelihood = models.CharField(
        _("main livelihood"), max_length=16, choices=Livelihood.choices, default=Livelihood.AGRICULTURE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["commune", "code"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "code"], name="household_code_unique_in_commune"),
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

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id"], condition=~Q(citizen_id=""), name="citizen_id_unique_when_known"
            ),
            models.CheckConstraint(condition=Q(birth_year__gte=1900), name="person_birth_year_after_1900"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def masked_citizen_id(self) -> str:
        return citizen_id.mask(self.citizen_id)

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

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(left_on__isnull=True), name="person_in_one_household_at_a_time"
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


class ReviewRound(models.Model):
    """A commune's review of its households: the periodic one of a year, or an ad-hoc one on request."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Periodic review")
        AD_HOC = "ad_hoc", _("Ad-hoc review")

    class State(models.TextChoices):
        PREPARATION = "preparation", _("Preparation")
        SURVEY = "survey", _("Survey")
        VILLAGE_MEETING = "village_meeting", _("Village meeting")
        PUBLIC_POSTING = "public_posting", _("Public posting")
        APPROVED = "approved", _("Approved by the commune")
        REPORTED = "reported", _("Reported to the upper level")

    DECIDED_STATES = (State.APPROVED, State.REPORTED)

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
        ]

    def __str__(self):
        return f"{self.commune} · {self.year} · {self.get_kind_display()}"


class HouseholdReviewQuerySet(models.QuerySet):
    def decided(self):
        return self.filter(round__state__in=ReviewRound.DECIDED_STATES)


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
    evidence = models.TextField(_("evidence notes"), blank=True)

    objects = HouseholdReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("household review")
        verbose_name_plural = _("household reviews")
        ordering = ["round", "household"]
        constraints = [
            models.UniqueConstraint(fields=["round", "household"], name="one_review_per_household_per_round"),
        ]

    def __str__(self):
        return f"{self.household} · {self.round.year}"


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
