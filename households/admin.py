from django.contrib import admin

from households.models import Household, Member, Person


class MemberInline(admin.TabularInline):
    model = Member
    fields = ["person", "relation", "joined_on", "left_on"]
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["code", "head_name", "village", "commune", "main_livelihood", "area_type"]
    list_filter = ["commune", "main_livelihood", "area_type"]
    list_select_related = ["village", "commune"]
    search_fields = ["code", "head_name", "head_name_folded"]
    autocomplete_fields = ["commune", "village"]
    inlines = [MemberInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "sex", "birth_year", "employment"]
    list_filter = ["sex", "employment", "school"]
    search_fields = ["full_name", "full_name_folded"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["person", "household", "relation", "joined_on", "left_on"]
    list_filter = ["relation"]
    list_select_related = ["person", "household"]
    search_fields = ["person__full_name", "household__code", "household__head_name"]
    autocomplete_fields = ["person", "household"]
