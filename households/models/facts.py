"""What the lists of a year carry beside the category (DOMAIN.md §4a): the causes of poverty and the
support received, recorded with each household review; and the certificate issued to each household
the commune chairman's decision recognises as poor or near-poor.

The multi-choice facts are rows (one per cause, one per support), as `Deprivation` is, so the
summaries count them with one GROUP BY on any database.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.models import Commune
from core.text import fold
from households.models.reviews import HouseholdReview

# The certificate's number as the template writes it ("Số …/GCN-HN.HCN", DOMAIN.md §4): the wording
# of the template is to confirm, so it is written here only.
CERTIFICATE_NUMBER_FORMAT = "{number}/GCN-HN.HCN"


# The majority ethnic group; every other of the 54 is an ethnic minority.
MAJORITY_ETHNICITY = "Kinh"


def is_ethnic_minority(ethnicity: str) -> bool:
    """Whether the ethnicity written on the register is a minority one (unknown: not said to be)."""
    folded = fold(ethnicity or "").strip()
    return bool(folded) and folded != fold(MAJORITY_ETHNICITY)


class CauseOfPoverty(models.TextChoices):
    """The catalogue of causes of poverty (wording to confirm: the local review forms' usual list)."""

    LAND = "land", _("Lack of land for production")
    CAPITAL = "capital", _("Lack of capital")
    MEANS = "means", _("Lack of means of production")
    LABOUR = "labour", _("Lack of labour")
    SKILLS = "skills", _("Lack of skills or know-how")
    NO_JOB = "no_job", _("Able to work but without a job")
    ILLNESS = "illness", _("Illness or accident")
    DEPENDANTS = "dependants", _("Many dependants")
    OTHER = "other", _("Other cause")


class SupportKind(models.TextChoices):
    """The catalogue of the support a household received."""

    HEALTH_INSURANCE = "health_insurance", _("Health insurance")
    TUITION = "tuition", _("Tuition support")
    CREDIT = "credit", _("Preferential credit")
    HOUSING = "housing", _("Housing support")
    PRODUCTION = "production", _("Production support")
    OTHER = "other", _("Other support")


class PovertyCause(models.Model):
    """A cause of poverty of a poor or near-poor household in a review."""

    review = models.ForeignKey(
        HouseholdReview, on_delete=models.CASCADE, related_name="causes", verbose_name=_("review")
    )
    cause = models.CharField(_("cause of poverty"), max_length=16, choices=CauseOfPoverty.choices)

    class Meta:
        verbose_name = _("cause of poverty")
        verbose_name_plural = _("causes of poverty")
        constraints = [
            models.UniqueConstraint(fields=["review", "cause"], name="cause_once_per_review"),
            models.CheckConstraint(condition=Q(cause__in=CauseOfPoverty.values), name="cause_in_catalogue"),
        ]

    def __str__(self):
        return self.get_cause_display()


class SupportReceived(models.Model):
    """A kind of support the household received, as recorded in a review."""

    review = models.ForeignKey(
        HouseholdReview, on_delete=models.CASCADE, related_name="supports", verbose_name=_("review")
    )
    support = models.CharField(_("support received"), max_length=16, choices=SupportKind.choices)

    class Meta:
        verbose_name = _("support received")
        verbose_name_plural = _("support received")
        constraints = [
            models.UniqueConstraint(fields=["review", "support"], name="support_once_per_review"),
            models.CheckConstraint(condition=Q(support__in=SupportKind.values), name="support_in_catalogue"),
        ]

    def __str__(self):
        return self.get_support_display()


class Certificate(models.Model):
    """The certificate of a poor or near-poor household recognised by the commune chairman's decision:
    numbered from 1 in each commune and year, in the order of the list (village, household code)."""

    review = models.OneToOneField(
        HouseholdReview, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("review")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    year = models.PositiveSmallIntegerField(_("lists of year"))
    number = models.PositiveIntegerField(_("number"))
    issued_on = models.DateField(_("issued on"))

    class Meta:
        verbose_name = _("certificate of poor or near-poor household")
        verbose_name_plural = _("certificates of poor or near-poor households")
        ordering = ["commune", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year", "number"], name="certificate_number_unique_in_commune_year"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="certificate_number_from_one"),
        ]

    def __str__(self):
        return self.code

    @property
    def code(self) -> str:
        return CERTIFICATE_NUMBER_FORMAT.format(number=self.number)
