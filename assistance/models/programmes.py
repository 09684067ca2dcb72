"""The programme catalogue (DOMAIN.md §5): data, so that the 2026–2035 programme is only new rows."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    decision = models.CharField(_("approving decision"), max_length=120, blank=True)
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"))

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="programme_years_in_order"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.start_year}–{self.end_year})"


class ProjectQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(programme__start_year__lte=year, programme__end_year__gte=year)

    def in_catalogue_order(self):
        return self.select_related("programme", "parent").order_by(
            "-programme__start_year",
            "programme_id",
            Coalesce("parent__position", "position"),
            F("parent").asc(nulls_first=True),
            "position",
        )


class Project(models.Model):
    """A project of a programme (DA2) or a sub-project of a project (DA4 · TDA3)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="projects", verbose_name=_("programme")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_projects",
        verbose_name=_("project"),
        help_text=_("Empty for a project; the project for a sub-project."),
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=255)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    to_confirm = models.BooleanField(
        _("to confirm"),
        default=False,
        help_text=_("Taken from secondary sources: check it against the decision."),
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme project")
        verbose_name_plural = _("programme projects")
        ordering = ["programme", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], condition=Q(parent__isnull=True), name="project_code_unique"
            ),
            models.UniqueConstraint(
                fields=["parent", "code"], condition=Q(parent__isnull=False), name="sub_project_code_unique"
            ),
        ]

    def __str__(self):
        code = f"{self.parent.code} · {self.code}" if self.parent_id else self.code
        mark = " *" if self.to_confirm else ""
        return f"{code} {self.name}{mark}"

    def clean(self):
        super().clean()
        if self.parent_id and self.parent.programme_id != self.programme_id:
            raise ValidationError({"parent": _("The project belongs to another programme.")})
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("A sub-project cannot have sub-projects.")})
