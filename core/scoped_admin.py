"""The Django admin follows the same scope and write rules as the pages.

Each ModelAdmin names the access function of its app that gives the records in the user's scope
(`scope`, e.g. `households.access.households_for`) and, for child records, the path to that parent
(`scope_path = "household"`). The admin's lists, change pages, autocompletes, list filters and the
choices of every foreign key then show only what the user may see; `may_write` (the app's write
permission) decides whether a staff member may add, change or delete. Superusers see everything, as
on the pages.
"""

import unicodedata
from collections.abc import Callable

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError

# Longer search terms find nothing a person typed, and SQLite refuses LIKE patterns past 50,000 bytes.
MAX_SEARCH_LENGTH = 200
MAX_KEY_LENGTH = 20  # digits of the largest primary key


class _ValidSelectedValues:
    """An autocomplete re-rendering a refused form selects only values that could be keys: Django's own
    looks up whatever was posted ("abc" as an id) and fails with a server error."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(
            getattr(remote, "field_name", None) or remote.model._meta.pk.name
        )
        valid = []
        for item in value:
            try:
                if len(str(item)) <= MAX_KEY_LENGTH:
                    target.to_python(item)
                    valid.append(item)
            except ValidationError:
                pass
        return super().optgroups(name, valid, attr)


class SafeAutocompleteSelect(_ValidSelectedValues, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidSelectedValues, AutocompleteSelectMultiple):
    pass


def searchable(term: str) -> str:
    """The search term as the database can take it (PostgreSQL refuses NUL characters in text), in
    Unicode NFC as names are stored, so a name typed decomposed is found."""
    return unicodedata.normalize("NFC", term.replace("\x00", ""))


class SearchLimitMixin:
    def get_search_results(self, request, queryset, search_term):
        if len(search_term) > MAX_SEARCH_LENGTH:
            return queryset.none(), False
        return super().get_search_results(request, queryset, searchable(search_term))


class ScopedAdminMixin(SearchLimitMixin):
    scope: Callable | None = None
    scope_path: str = ""
    may_write: Callable | None = None

    def _in_scope(self, request, queryset):
        scope = _inherited(type(self), "scope")
        if scope is None or request.user.is_superuser:
            return queryset
        allowed = scope(request.user).values("pk")
        if self.scope_path:
            return queryset.filter(**{f"{self.scope_path}__in": allowed})
        return queryset.filter(pk__in=allowed)

    def get_queryset(self, request):
        return self._in_scope(request, super().get_queryset(request))

    def _writes(self, request) -> bool:
        may_write = _inherited(type(self), "may_write")
        return request.user.is_superuser or may_write is None or may_write(request.user)

    def has_add_permission(self, request, *args):
        return self._writes(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._writes(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._writes(request) and super().has_delete_permission(request, obj)

    def _scoped_choices(self, formfield, db_field, request):
        related = self.admin_site._registry.get(db_field.related_model)
        if formfield is None or request.user.is_superuser or not isinstance(related, ScopedAdminMixin):
            return formfield
        formfield.queryset = formfield.queryset.filter(pk__in=related.get_queryset(request).values("pk"))
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._scoped_choices(formfield, db_field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._scoped_choices(formfield, db_field, request)

    def get_list_filter(self, request):
        """A filter on a scoped relation offers only the values found in the user's records."""
        filters = list(super().get_list_filter(request))
        if request.user.is_superuser:
            return filters
        scoped = []
        for entry in filters:
            if isinstance(entry, str) and "__" not in entry:
                field = self.model._meta.get_field(entry)
                if field.is_relation and isinstance(
                    self.admin_site._registry.get(field.related_model), ScopedAdminMixin
                ):
                    entry = (entry, admin.RelatedOnlyFieldListFilter)
            scoped.append(entry)
        return scoped


def _inherited(cls, name):
    """A class attribute holding a plain function, without binding it as a method."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            value = klass.__dict__[name]
            return value.__func__ if isinstance(value, staticmethod) else value
    return None


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass
