"""The register: households, the people in them and their memberships over time."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import AreaType, Commune, Village, today
from core import citizen_id
from core.fields import FoldedCharField
from core.text import fold
from households import poverty


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


def _reviews():
    """The reviews' model, which is defined over the register (households.models.reviews)."""
    return Household.reviews.rel.related_model


class HouseholdQuerySet(models.QuerySet):
    def in_communes(self, communes):
        return self.filter(commune__in=communes)

    def existing_in(self, year: int):
        """Households on the register at the end of `year` (the denominator of that year's rates)."""
        return self.filter(on_register_in(year))

    def with_category_in(self, year: int, name: str = "year_category", *, alias: bool = False):
        """Annotates `name`: the category that counts in `year` (None if not reviewed); `name`_review: its id.

        A join on the one review per household that counts in the year (`counting_year`), so filters
        and aggregates over a whole province stay one pass. A household carried over by a commune
        merger with no review of its own counting in the year has that of its old record (a second
        join). With `alias=True` they are only usable in filters and aggregates (not selected, not
        grouped by).
        """
        own, carried = f"{name}_counting", f"{name}_carried"
        query = self.alias(
            **{
                own: models.FilteredRelation("reviews", condition=Q(reviews__counting_year=year)),
                carried: models.FilteredRelation(
                    "carried_from__reviews", condition=Q(carried_from__reviews__counting_year=year)
                ),
            }
        )
        expressions = {
            name: Coalesce(f"{own}__category", f"{carried}__category"),
            f"{name}_review": Coalesce(f"{own}__pk", f"{carried}__pk"),
        }
        return query.alias(**expressions) if alias else query.annotate(**expressions)

    def in_category(self, category: str, year: int | None = None):
        """Households whose latest category (the one that counts in `year`, if given) is `category`;
        "none": households with no decided review (in `year`). Set-based: no subquery per household.
        A household carried over by a merger with no counting review of its own (in `year`) has its old
        record's."""
        counting = _reviews().objects.counting(year)
        counted = counting.values("household")
        if category == "none":
            return self.exclude(pk__in=counted).exclude(carried_from__in=counted)
        if not year:
            later = _reviews().objects.filter(
                household=models.OuterRef("household"), counting_year__gt=models.OuterRef("counting_year")
            )
            counting = counting.exclude(models.Exists(later))
        matching = counting.filter(category=category).values("household")
        return self.filter(Q(pk__in=matching) | (Q(carried_from__in=matching) & ~Q(pk__in=counted)))

    def search(self, text: str):
        query = self
        for word in fold(text).split():
            query = query.filter(Q(head_name_folded__contains=word) | Q(code__icontains=word))
        return query

    def with_latest_category(self):
        """Annotates `latest_category` and `latest_category_year`: the household's category in the
        latest decided (approved or reported) review, or None if it was never reviewed (its old
        record's, for a household carried over by a merger)."""
        latest = _reviews().objects.of_household().latest_lists_first()
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
    # A commune merger carries each household over to the new commune as a new record from the merger
    # date (households.merger_services): the old one keeps its commune, reviews and lists.
    carried_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("carried over from"),
        help_text=_("The household of the former commune this one continues after a merger."),
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
    def record_ids(self) -> list[int]:
        """Its id, then that of the record it was carried over from by a merger (whose lists it continues)."""
        return [self.pk] + ([self.carried_from_id] if self.carried_from_id else [])

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

    # Not at work whatever their age: no job for the low-income worker's support (Decree 30/2025).
    NOT_WORKING = frozenset({Employment.NOT_WORKING_AGE, Employment.UNABLE, Employment.STUDENT})

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

    def is_of_working_age(self, year: int) -> bool:
        return self.age_in(year) >= poverty.WORKING_AGE_FROM

    @property
    def is_working(self) -> bool:
        return self.employment not in self.NOT_WORKING

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
