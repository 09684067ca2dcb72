from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from communes.models import Commune, District, Organisation, Profile, Province, Village


class UnitAdmin(admin.ModelAdmin):
    search_fields = ["name", "name_folded", "code"]
    list_filter = ["kind", "dissolved_on"]
    filter_horizontal = ["successors"]

    def get_search_results(self, request, queryset, search_term):
        # Diacritic-free search as on the app's pages ("muong hoong" finds "Mường Hoong").
        if search_term:
            return queryset.search(search_term), False
        return queryset, False


@admin.register(Province)
class ProvinceAdmin(UnitAdmin):
    list_display = ["name", "code", "kind", "established_on", "dissolved_on"]


@admin.register(District)
class DistrictAdmin(UnitAdmin):
    list_display = ["name", "code", "province", "established_on", "dissolved_on"]
    list_filter = ["province", "dissolved_on"]
    autocomplete_fields = ["province"]
    list_select_related = ["province"]


class VillageInline(admin.TabularInline):
    model = Village
    fields = ["name", "code", "kind", "established_on", "dissolved_on"]
    extra = 0
    show_change_link = True


@admin.register(Commune)
class CommuneAdmin(UnitAdmin):
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
    list_display = ["name", "kind", "commune", "established_on", "dissolved_on"]
    list_filter = ["kind", "commune__province", "dissolved_on"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune", "successors"]
    filter_horizontal = []


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["full_name", "short_name", "parent", "province", "is_home", "dissolved_on"]
    list_filter = ["is_home", "province"]
    list_select_related = ["parent", "province"]
    search_fields = ["full_name", "short_name"]
    autocomplete_fields = ["parent", "province"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["organisation", "communes", "district"]
    verbose_name_plural = _("profile")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "job_title", "organisation", "all_communes"]
    list_filter = ["role", "all_communes", "organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "job_title"]
    autocomplete_fields = ["user", "organisation", "communes", "district"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithProfileAdmin(UserAdmin):
    inlines = [ProfileInline]
