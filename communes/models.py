import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import FoldedCharField
from core.text import fold


def today() -> datetime.date:
    return timezone.localdate()


def existing_on(date: datetime.date) -> Q:
    """Units and bodies established by `date` (or always) and not dissolved by it."""
    return (Q(established_on__isnull=True) | Q(established_on__lte=date)) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=date)
    )


class UnitQuerySet(models.QuerySet):
    def active_on(self, date: datetime.date):
        return self.filter(existing_on(date))

    def current(self):
        return self.active_on(today())

    def search(self, text: str):
        words = fold(text).split()
        query = self
        for word in words:
            query = query.filter(Q(name_folded__contains=word) | Q(code__startswith=word))
        return query


class Unit(models.Model):
    """A unit of government that comes into being on one date and may end on another.

    `dissolved_on` is the first day the unit no longer exists (the date a merger takes effect);
    a merged unit points to its successor(s), and records made in it keep pointing at it.
    """

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_folded = FoldedCharField(source="name")
    established_on = models.DateField(_("established on"), null=True, blank=True)
    dissolved_on = models.DateField(
        _("dissolved on"), null=True, blank=True, help_text=_("First day the unit no longer exists.")
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def is_active_on(self, date: datetime.date) -> bool:
        started = self.established_on is None or self.established_on <= date
        not_ended = self.dissolved_on is None or self.dissolved_on > date
        return started and not_ended

    @property
    def is_current(self) -> bool:
        return self.is_active_on(today())

    def clean(self):
        super().clean()
        if self.established_on and self.dissolved_on and self.dissolved_on <= self.established_on:
            raise ValidationError(
                {"dissolved_on": _("The end date must be after the date it was established.")}
            )

    @classmethod
    def with_predecessors(cls, ids: set[int]) -> set[int]:
        """`ids` and the ids of every unit that led to them, however many mergers back."""
        links = cls.successors.through.objects
        name = cls._meta.model_name
        found, frontier = set(ids), set(ids)
        while frontier:
            older = links.filter(**{f"to_{name}_id__in": frontier}).values_list(f"from_{name}_id", flat=True)
            frontier = set(older) - found
            found |= frontier
        return found

    @classmethod
    def dates_in_order(cls, name: str):
        return models.CheckConstraint(
            condition=Q(established_on__isnull=True)
            | Q(dissolved_on__isnull=True)
            | Q(dissolved_on__gt=models.F("established_on")),
            name=f"{name}_dates_in_order",
        )


class Province(Unit):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("Centrally-run city")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PROVINCE)
    successors = models.ManyToManyField(
        "self", symmetrical=False, related_name="predecessors", blank=True, verbose_name=_("successors")
    )

    class Meta(Unit.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [Unit.dates_in_order("province")]


class District(Unit):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        URBAN_DISTRICT = "urban_district", _("Urban district")
        TOWN = "town", _("Town")
        CITY = "city", _("Provincial city")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DISTRICT)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("province")
    )
    successors = models.ManyToManyField(
        "self", symmetrical=False, related_name="predecessors", blank=True, verbose_name=_("successors")
    )

    class Meta(Unit.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [Unit.dates_in_order("district")]


class AreaType(models.TextChoices):
    RURAL = "rural", _("Rural")
    URBAN = "urban", _("Urban")


class Commune(Unit):
    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        WARD = "ward", _("Ward")
        TOWNSHIP = "township", _("Township")
        SPECIAL_ZONE = "special_zone", _("Special zone")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COMMUNE)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="communes",
        null=True,
        blank=True,
        verbose_name=_("district"),
        help_text=_("Empty for communes made after the district level was abolished (1 July 2025)."),
    )
    area_type = models.CharField(
        _("area type"), max_length=8, choices=AreaType.choices, default=AreaType.RURAL
    )
    extremely_disadvantaged = models.BooleanField(_("extremely disadvantaged"), default=False)
    ethnic_minority_area = models.BooleanField(_("ethnic-minority area"), default=False)
    successors = models.ManyToManyField(
        "self", symmetrical=False, related_name="predecessors", blank=True, verbose_name=_("successors")
    )

    class Meta(Unit.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [Unit.dates_in_order("commune")]

    def get_absolute_url(self):
        return reverse("communes:detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.district_id and self.province_id and self.district.province_id != self.province_id:
            raise ValidationError({"district": _("This district is in another province.")})


class Village(Unit):
    class Kind(models.TextChoices):
        VILLAGE = "village", _("Village (thôn)")
        HAMLET = "hamlet", _("Village (làng)")
        BAN = "ban", _("Village (bản)")
        RESIDENTIAL_GROUP = "residential_group", _("Residential group")

    code = models.CharField(_("code"), max_length=16, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.VILLAGE)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="villages", verbose_name=_("commune")
    )
    successors = models.ManyToManyField(
        "self", symmetrical=False, related_name="predecessors", blank=True, verbose_name=_("successors")
    )

    class Meta(Unit.Meta):
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            Unit.dates_in_order("village"),
            models.UniqueConstraint(fields=["commune", "name"], name="village_name_unique_in_commune"),
        ]


def profile_of(user) -> "Profile | None":
    """The user's profile; None for an anonymous visitor, no one, or a user without a profile."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


class OrganisationQuerySet(models.QuerySet):
    def issuer_for(self, user, *, on: datetime.date, named: "Organisation | None" = None):
        """The body that issues a page or a document of `user` on `on`, one rule for all of them: the
        body named on the record itself (a plan's "issued by") when there is one; else the user's own
        body while it exists on that day; else the one that runs this installation. A body dissolved
        by a reorganisation issues nothing after it. One query at most, none when the answer came
        loaded with the user (`select_related("profile__organisation")`)."""
        if named is not None:
            return named
        profile = profile_of(user)
        own_id = profile.organisation_id if profile else None
        if own_id and Profile.organisation.is_cached(profile):
            if profile.organisation.is_active_on(on):
                return profile.organisation
            own_id = None
        wanted = Q(is_home=True)
        if own_id:
            wanted |= Q(pk=own_id) & existing_on(on)
        # The user's own body sorts before the home one (False < True); at most two rows.
        return self.filter(wanted).select_related("parent").order_by("is_home").first()


class Organisation(models.Model):
    """An issuing body (the department, its parent): data, because names and parents change."""

    full_name = models.CharField(_("full name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent body"),
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("province")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    place_name = models.CharField(
        _("place name in dates"),
        max_length=64,
        blank=True,
        help_text=_('As in "Kon Tum, ngày 22 tháng 8 năm 2022".'),
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    is_home = models.BooleanField(
        _("runs this installation"),
        default=False,
        help_text=_("Its name is shown in the header of every page. Only one body can be marked."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_home"], condition=Q(is_home=True), name="one_home_organisation"
            ),
            Unit.dates_in_order("organisation"),
        ]

    def __str__(self):
        return self.full_name

    def is_active_on(self, date: datetime.date) -> bool:
        started = self.established_on is None or self.established_on <= date
        return started and (self.dissolved_on is None or self.dissolved_on > date)


class Role(models.TextChoices):
    DEPARTMENT_ADMIN = "department_admin", _("Department administrator")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    VIEWER = "viewer", _("Viewer")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("organisation")
    )
    all_communes = models.BooleanField(
        _("works on all communes"),
        default=False,
        help_text=_("For department staff who cover the whole province."),
    )
    communes = models.ManyToManyField(Commune, blank=True, related_name="staff", verbose_name=_("communes"))
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("district"),
        help_text=_("For district officers: they work on every commune of this district."),
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.get_role_display()})"
