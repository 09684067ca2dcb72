"""Assignments of the department to communes, and survey missions with what they found."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assistance.models.programmes import Project
from communes.models import Commune, Organisation, Village, today

User = settings.AUTH_USER_MODEL


def _in_communes(queryset, communes, path="communes"):
    """Rows linked to at least one of `communes` through the many-to-many `path`, without duplicates."""
    through = queryset.model._meta.get_field(path).remote_field.through
    own = queryset.model._meta.model_name
    return queryset.filter(
        models.Exists(through.objects.filter(**{own: OuterRef("pk"), "commune__in": communes}))
    )


class AssignmentQuerySet(models.QuerySet):
    def in_communes(self, communes):
        return _in_communes(self, communes)

    def current(self, year: int | None = None):
        year = year or today().year
        return self.filter(from_year__lte=year, to_year__gte=year)


class Assignment(models.Model):
    """A decision assigning a unit (the department) to help communes for some years."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("assigned unit")
    )
    communes = models.ManyToManyField(Commune, related_name="assignments", verbose_name=_("communes"))
    from_year = models.PositiveSmallIntegerField(_("from year"))
    to_year = models.PositiveSmallIntegerField(_("to year"))
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    working_group = models.CharField(_("working group"), max_length=255, blank=True)
    leader = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_assignments",
        verbose_name=_("leader"),
    )
    members = models.ManyToManyField(User, blank=True, related_name="assignments", verbose_name=_("members"))
    notes = models.TextField(_("notes"), blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-from_year", "-decision_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(to_year__gte=F("from_year")), name="assignment_years_in_order")
        ]

    def __str__(self):
        return f"{self.organisation} · {self.from_year}–{self.to_year}"

    def covers(self, year: int) -> bool:
        return self.from_year <= year <= self.to_year

    def clean(self):
        super().clean()
        if self.from_year and self.to_year and self.to_year < self.from_year:
            raise ValidationError({"to_year": _("The last year cannot be before the first year.")})


class MissionQuerySet(models.QuerySet):
    def in_communes(self, communes):
        return _in_communes(self, communes)


class Mission(models.Model):
    """A survey mission (đoàn khảo sát) to one or more communes."""

    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    leader = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_missions",
        verbose_name=_("leader"),
    )
    members = models.ManyToManyField(
        User, blank=True, related_name="missions", verbose_name=_("staff members")
    )
    outside_members = models.TextField(
        _("other members"),
        blank=True,
        help_text=_("People from outside the department, one per line, e.g. district officers."),
    )
    communes = models.ManyToManyField(Commune, related_name="missions", verbose_name=_("communes visited"))
    purpose = models.TextField(_("purpose"))
    assessed = models.TextField(_("what was assessed"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey mission")
        verbose_name_plural = _("survey missions")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="mission_dates_in_order")
        ]

    def __str__(self):
        return _("Survey %(start)s–%(end)s") % {
            "start": self.start_date.strftime("%d/%m/%Y"),
            "end": self.end_date.strftime("%d/%m/%Y"),
        }

    def get_absolute_url(self):
        return reverse("assistance:mission_detail", args=[self.pk])

    @property
    def outside_member_list(self) -> list[str]:
        return [line.strip() for line in self.outside_members.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The mission cannot end before it starts.")})


def mission_photo_path(photo, filename: str) -> str:
    """A random name: the uploader's file name is not trusted nor kept on disk."""
    extension = PHOTO_FORMATS.get(getattr(photo, "_format", ""), "jpg")
    return f"missions/{photo.mission_id}/{uuid.uuid4().hex}.{extension}"


# Pillow's format name → the file extension stored.
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PHOTO_MAX_BYTES = 8 * 1024 * 1024
# The largest phone cameras take 50 MP; a small file can declare far more and inflate when decoded.
PHOTO_MAX_PIXELS = 60_000_000


class MissionPhoto(models.Model):
    """A photo taken during a survey mission, kept under MEDIA_ROOT and shown only through
    `assistance.documents.mission_photo` (which checks the mission's scope), never as a public file."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="photos", verbose_name=_("survey mission")
    )
    image = models.ImageField(_("photo"), upload_to=mission_photo_path)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mission photo")
        verbose_name_plural = _("mission photos")
        ordering = ["mission", "uploaded_at", "pk"]

    def __str__(self):
        return self.caption or f"{self.mission} · {self.pk}"

    def get_absolute_url(self):
        return reverse("assistance:mission_photo", args=[self.pk])


class Finding(models.Model):
    """A need the mission found in one commune (and maybe one village), tagged with a programme project."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="findings", verbose_name=_("survey mission")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="findings", verbose_name=_("commune")
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("village"),
    )
    topic = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="findings", verbose_name=_("topic")
    )
    text = models.TextField(_("finding"))

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["mission", "commune", "pk"]

    def __str__(self):
        return f"{self.commune} · {self.text[:60]}"

    def clean(self):
        super().clean()
        if self.village_id and self.commune_id and self.village.commune_id != self.commune_id:
            raise ValidationError({"village": _("This village is not in the chosen commune.")})


class LabourNeed(models.Model):
    """An enterprise's need for workers, recorded during a survey, to offer to job seekers."""

    mission = models.ForeignKey(
        Mission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="labour_needs",
        verbose_name=_("survey mission"),
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="labour_needs",
        verbose_name=_("commune"),
        help_text=_("The commune whose workers are sought."),
    )
    company = models.CharField(_("company"), max_length=255)
    jobs = models.CharField(_("jobs"), max_length=255)
    count = models.PositiveIntegerField(_("workers needed"))
    monthly_wage = models.PositiveBigIntegerField(_("monthly wage (đồng)"), null=True, blank=True)
    abroad = models.BooleanField(_("contract work abroad"), default=False)
    recorded_on = models.DateField(_("recorded on"), default=today)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("labour need")
        verbose_name_plural = _("labour needs")
        ordering = ["-recorded_on", "company"]
        constraints = [models.CheckConstraint(condition=Q(count__gt=0), name="labour_need_count_positive")]

    def __str__(self):
        return f"{self.company} · {self.jobs} ({self.count})"
