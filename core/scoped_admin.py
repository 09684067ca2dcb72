"""The Django admin follows the same scope and write rules as the pages.

Each ModelAdmin names the access function of its app that gives the records in the user's scope
(`scope`, e.g. `households.access.households_for`) and, for child records, the path to that parent
(`scope_path = "household"`). The admin's lists, change pages, autocompletes, list filters and the
choices of every foreign key then show only what the user may see; `may_write` (the app's write
permission) decides whether a staff member may add, change or delete. Superusers see everything, as
on the pages.

Fields that some roles are shown masked or not at all (a citizen ID number) are named in the admin of
their model (`sensitive_fields`, with `sees_sensitive`, the access function of the roles shown them in
full). For everyone else no list of any admin looks them up, filters, searches or sorts by them, here
or through a relation: else a query string such as `?citizen_id__startswith=06` would rebuild a masked
number digit by digit.
"""

import unicodedata
from collections.abc import Callable

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, OrderBy
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.urls import path

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


class _ChangeList(ChangeList):
    def get_ordering(self, request, queryset):
        """Without the orderings (`?o=` of a column) on a field the user may not see in full."""
        ordering = super().get_ordering(request, queryset)
        return [item for item in ordering if not self.model_admin.reads_hidden_field(request, _name(item))]


def _name(ordering) -> str:
    if isinstance(ordering, OrderBy):
        ordering = ordering.expression
    return ordering.name if isinstance(ordering, F) else str(ordering)


class ScopedAdminMixin(SearchLimitMixin):
    scope: Callable | None = None
    scope_path: str = ""
    may_write: Callable | None = None
    sensitive_fields: tuple[str, ...] = ()
    sees_sensitive: Callable | None = None

    def hidden_fields(self, request) -> set[str]:
        """The sensitive fields of this admin's model that the user may not see in full."""
        sees = _inherited(type(self), "sees_sensitive")
        if request.user.is_superuser or (sees is not None and sees(request.user)):
            return set()
        return set(self.sensitive_fields)

    def reads_hidden_field(self, request, lookup: str) -> bool:
        """Whether `lookup` (of a query string, a search field or an ordering, e.g.
        `member__person__citizen_id__startswith`) reads a field the user may not see in full."""
        model = self.model
        for part in lookup.lstrip("-^=@").split(LOOKUP_SEP):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                return False  # a lookup or transform: the field before it was not hidden
            owner = self.admin_site._registry.get(model)
            if isinstance(owner, ScopedAdminMixin) and field.name in owner.hidden_fields(request):
                return True
            if not field.is_relation:
                return False
            model = field.related_model
        return False

    def lookup_allowed(self, lookup, value, request=None):
        """A refused lookup in a list's query string answers 400 ("Filtering by … not allowed")."""
        if request is not None and self.reads_hidden_field(request, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return [field for field in fields if not self.reads_hidden_field(request, field)]

    def get_changelist(self, request, **kwargs):
        return _ChangeList

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
            if isinstance(entry, str | tuple) and self.reads_hidden_field(request, _filter_path(entry)):
                continue
            if isinstance(entry, str) and "__" not in entry:
                field = self.model._meta.get_field(entry)
                if field.is_relation and isinstance(
                    self.admin_site._registry.get(field.related_model), ScopedAdminMixin
                ):
                    entry = (entry, admin.RelatedOnlyFieldListFilter)
            scoped.append(entry)
        return scoped


def _filter_path(entry) -> str:
    return entry if isinstance(entry, str) else str(entry[0])


def _inherited(cls, name):
    """A class attribute holding a plain function, without binding it as a method."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            value = klass.__dict__[name]
            return value.__func__ if isinstance(value, staticmethod) else value
    return None


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass


class ScopedAdminSite(admin.AdminSite):
    def get_urls(self):
        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                view = self.admin_view(self._in_scope_only(pattern.callback))
                urls[index] = path(str(pattern.pattern), view, name="view_on_site")
        return urls

    def _in_scope_only(self, view_on_site):
        """Django's "view on site" redirects to the page of any object, in the user's scope or not:
        this one only to the pages of objects the user's admin shows, else 404."""

        def view(request, content_type_id, object_id):
            if not request.user.is_superuser and not self._shows(request, content_type_id, object_id):
                raise Http404
            return view_on_site(request, content_type_id, object_id)

        return view

    def _shows(self, request, content_type_id, object_id) -> bool:
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            return False
        model_admin = self._registry.get(model)
        if not isinstance(model_admin, ScopedAdminMixin) or not model_admin.has_view_permission(request):
            return False
        try:
            return model_admin.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, ValidationError):
            return False
