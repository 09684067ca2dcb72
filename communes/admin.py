from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from communes.access import can_edit_communes, communes_for, profiles_for, users_for, villages_for
from communes.models import Commune, District, Organisation, Profile, Province, Village
from core.scoped_admin import (
    MAX_SEARCH_LENGTH,
    ScopedAdminMixin,
    ScopedModelAdmin,
    SearchLimitMixin,
    searchable,
)


def superusers_only(user) -> bool:
    """Roles, scopes and accounts are changed by superusers only: no one widens their own scope."""
    return False


class UnitAdmin(ScopedModelAdmin):
    may_write = can_edit_communes
    search_fields = ["name", "name_folded", "code"]
    list_filter = ["kind", "dissolved_on"]
    filter_horizontal = ["successors"]

    def get_search_results(self, request, queryset, search_term):
        # Diacritic-free search as on the app's pages ("muong hoong" finds "Mường Hoong").
        if searchable(search_term) and len(search_term) <= MAX_SEARCH_LENGTH:
            return queryset.search(searchable(search_term)), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(Province)
class ProvinceAdmin(UnitAdmin):
    list_display = ["name", "code", "kind", "established_on", "dissolved_on"]


@admin.register(District)
class DistrictAdmin(UnitAdmin):
    list_display = ["name", "code", "province", "established_on", "dissolved_on"]
    list_filter = ["province", "dissolved_on"]
    autocomplete_fields = ["province"]
    list_select_related = ["province"]


class VillageInline(ScopedAdminMixin, admin.TabularInline):
    may_write = can_edit_communes
    model = Village
    fields = ["name", "code", "kind", "established_on", "dissolved_on"]
    extra = 0
    show_change_link = True


@admin.register(Commune)
class CommuneAdmin(UnitAdmin):
    scope = communes_for
    list_display = [
        "name",
        "code",
        "kind",
        "district",
        "province",
        "extremely_disadvantaged",
        "ethnic_minority_area",
        "dissolved_on",
    ]
    list_filter = [
        "province",
        "district",
        "kind",
        "extremely_disadvantaged",
        "ethnic_minority_area",
        "dissolved_on",
    ]
    list_select_related = ["province", "district"]
    autocomplete_fields = ["province", "district", "successors"]
    filter_horizontal = []
    inlines = [VillageInline]


@admin.register(Village)
class VillageAdmin(UnitAdmin):
    scope = villages_for
    list_display = ["name", "kind", "commune", "established_on", "dissolved_on"]
    list_filter = ["kind", "commune__province", "dissolved_on"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune", "successors"]
    filter_horizontal = []


@admin.register(Organisation)
class OrganisationAdmin(ScopedModelAdmin):
    may_write = can_edit_communes
    list_display = ["full_name", "short_name", "parent", "province", "is_home", "dissolved_on"]
    list_filter = ["is_home", "province"]
    list_select_related = ["parent", "province"]
    search_fields = ["full_name", "short_name"]
    autocomplete_fields = ["parent", "province"]


class ProfileInline(ScopedAdminMixin, admin.StackedInline):
    may_write = superusers_only
    model = Profile
    can_delete = False
    autocomplete_fields = ["organisation", "communes", "district"]
    verbose_name_plural = _("profile")


@admin.register(Profile)
class ProfileAdmin(ScopedModelAdmin):
    scope = profiles_for
    may_write = superusers_only
    list_display = ["user", "role", "job_title", "organisation", "all_communes"]
    list_filter = ["role", "all_communes", "organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "job_title"]
    autocomplete_fields = ["user", "organisation", "communes", "district"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithProfileAdmin(ScopedAdminMixin, UserAdmin):
    scope = users_for
    may_write = superusers_only
    inlines = [ProfileInline]


admin.site.unregister(Group)


@admin.register(Group)
class ScopedGroupAdmin(ScopedAdminMixin, GroupAdmin):
    may_write = superusers_only


# django-axes' own lists of sign-in attempts, with the same limit on search terms.
for model, model_admin in list(admin.site._registry.items()):
    if model._meta.app_label == "axes":
        admin.site.unregister(model)
        admin.site.register(
            model, type(type(model_admin).__name__, (SearchLimitMixin, type(model_admin)), {})
        )
