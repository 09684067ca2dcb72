from django.contrib import admin

from households.models import Deprivation, Household, HouseholdReview, Member, Person, ReviewRound


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


class DeprivationInline(admin.TabularInline):
    model = Deprivation
    extra = 0


@admin.register(ReviewRound)
class ReviewRoundAdmin(admin.ModelAdmin):
    list_display = ["commune", "year", "kind", "standard", "state"]
    list_filter = ["year", "kind", "state", "standard"]
    list_select_related = ["commune"]
    search_fields = ["commune__name", "commune__name_folded"]
    autocomplete_fields = ["commune"]


@admin.register(HouseholdReview)
class HouseholdReviewAdmin(admin.ModelAdmin):
    list_display = ["household", "round", "monthly_income_per_person", "computed_category", "category"]
    list_filter = ["category", "round__year"]
    list_select_related = ["household", "round__commune"]
    search_fields = ["household__code", "household__head_name_folded"]
    autocomplete_fields = ["household", "round"]
    readonly_fields = ["computed_category", "category"]
    inlines = [DeprivationInline]


@admin.register(Deprivation)
class DeprivationAdmin(admin.ModelAdmin):
    list_display = ["review", "indicator"]
    list_filter = ["indicator"]
    list_select_related = ["review__household", "review__round"]
    autocomplete_fields = ["review"]
