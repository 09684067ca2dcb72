from django.conf import settings
from django.db import models

from core.text import fold


class FoldedCharField(models.CharField):
    """A copy of another field, folded by `core.text.fold`, kept up to date on every save and bulk create."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = fold(getattr(model_instance, self.source))[: self.max_length]
        setattr(model_instance, self.attname, value)
        return value


def user_stamp(verbose_name) -> models.ForeignKey:
    """Who recorded a step or a value: kept as a name on the record when the account is deleted,
    not reachable from the user (no reverse accessor)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )
