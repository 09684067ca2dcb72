"""Fields every app's forms use (dates, đồng, users) and optimistic locking for edit forms: a save
over someone else's newer save is refused, nothing lost."""

import re

from django import forms
from django.core import signing
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SALT = "core.forms.optimistic-lock"
DATE_PLACEHOLDER = gettext_lazy("dd/mm/yyyy")


def date_input():
    return forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER})


class DongField(forms.IntegerField):
    """Whole đồng, typed the way people write it: "221.000.000", "221 000 000 đ" or "221000000"."""

    default_error_messages = {
        "invalid": gettext_lazy("Write the amount in whole đồng, digits only, e.g. 221.000.000."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "221.000.000"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s.đĐ]|dong|đồng", "", value.strip(), flags=re.IGNORECASE)
            if "," in value:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value


class UserChoiceMixin:
    """A user as colleagues know them: the full name and the job title."""

    def label_from_instance(self, user):
        title = getattr(getattr(user, "profile", None), "job_title", "")
        name = user.get_full_name() or user.get_username()
        return f"{name} ({title})" if title else name


class UserChoiceField(UserChoiceMixin, forms.ModelChoiceField):
    pass


class UsersChoiceField(UserChoiceMixin, forms.ModelMultipleChoiceField):
    pass


def _snapshot(instance, field_names) -> dict[str, str]:
    """The record's stored values of the form's fields, as text."""
    values = {}
    for name in field_names:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = ",".join(
                str(pk) for pk in sorted(getattr(instance, name).values_list("pk", flat=True))
            )
        else:
            values[name] = (
                "" if field.value_from_object(instance) is None else str(field.value_from_object(instance))
            )
    return values


def _shown(model, name, raw: str) -> str:
    """A stored value as a person reads it: choice labels, related records' names, yes / no."""
    field = model._meta.get_field(name)
    if raw == "":
        return "—"
    if field.choices:
        return str({str(key): label for key, label in field.flatchoices}.get(raw, raw))
    if isinstance(field, models.BooleanField):
        return _("yes") if raw == "True" else _("no")
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk__in=raw.split(","))
        return ", ".join(str(obj) for obj in related) or raw
    return raw


class OptimisticLockMixin:
    """For ModelForms editing an existing record: remembers the record as it was when the form was
    opened and refuses the save if it changed since, naming each change (old → new)."""

    # Fields whose value the page must not carry in the clear (the lock token is signed, not
    # encrypted): the token holds a keyed digest, and a change shows only `lock_secret_shown(value)`.
    lock_secret_fields: tuple[str, ...] = ()

    def lock_secret_shown(self, name, value: str) -> str:
        return "…"

    lock_error = gettext_lazy(
        "Someone else saved this record since you opened it. Your changes are kept below: check "
        "them against the new values and save again."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_as"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if self.instance.pk:
            self.initial["opened_as"] = signing.dumps(self._current_snapshot(), salt=SALT)

    def _stored_values(self):
        names = [name for name in self._meta.fields if name in self.fields]
        return _snapshot(type(self.instance)._default_manager.get(pk=self.instance.pk), names)

    def _current_snapshot(self, stored=None):
        values = dict(stored or self._stored_values())
        for name in self.lock_secret_fields:
            if values.get(name):
                values[name] = salted_hmac(SALT, values[name]).hexdigest()
        return values

    def _shown_change(self, model, name, opened: dict | None, stored: str):
        if name in self.lock_secret_fields:
            return "…", self.lock_secret_shown(name, stored) if stored else "—"
        return _shown(model, name, (opened or {}).get(name, "")), _shown(model, name, stored)

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        try:
            opened = signing.loads(self.data.get(self.add_prefix("opened_as"), ""), salt=SALT)
        except signing.BadSignature:
            opened = None
        stored = self._stored_values()
        current = self._current_snapshot(stored)
        if opened != current:
            model = type(self.instance)
            self.changes_since_opened = [
                (self.fields[name].label, *self._shown_change(model, name, opened, stored[name]))
                for name, value in current.items()
                if opened is None or opened.get(name) != value
            ]
            # The next save compares against what the user has now seen.
            self.data = self.data.copy()
            self.data[self.add_prefix("opened_as")] = signing.dumps(current, salt=SALT)
            raise forms.ValidationError(self.lock_error, code="stale")
        return cleaned
