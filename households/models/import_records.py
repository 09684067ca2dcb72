"""What each Excel import checked and changed, kept for the import page and the admin."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communes.models import Commune


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
