"""Administration of households and reviews.

Review answers, categories and round steps are shown but not edited here: they change only through
the review pages (households/services.py), where the rule, the legal steps and read-only decided
rounds are enforced.

Citizen ID and health-insurance card numbers are the sensitive fields (core/scoped_admin.py): only the
roles shown ID numbers in full look them up, filter, search or sort by them, or find them on a person's
form. Incomes are shown in full on the pages to every role in scope, so the admin filters and sorts by
them for every role too.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin.views.main import PAGE_VAR
from django.utils.translation import gettext_lazy as _

from core.scoped_admin import ScopedAdminMixin, ScopedModelAdmin
from households.access import (
    IDENTITY_NUMBERS,
    applications_for,
    can_see_citizen_ids,
    can_write,
    citizen_id_as_shown,
    during,
    households_for,
    imports_for,
    meetings_for,
    members_for,
    persons_for,
    persons_to_change_for,
    requests_for,
    reviews_for,
    rounds_for,
    times_in,
)
from households.models import (
    ApplicationComplaint,
    Certificate,
    Complaint,
    Deprivation,
    Household,
    HouseholdReview,
    ImportChange,
    ImportRecord,
    MeetingResult,
    Member,
    Person,
    PovertyCause,
    ReviewRequest,
    ReviewRound,
    RoundStep,
    StatusApplication,
    SupportReceived,
    VillageMeeting,
)

HISTORY_PAGE = 100  # entries per page of an admin history, as Django's own view

REVIEW_FIELDS = [
    "monthly_income_per_person",
    "a_points",
    "computed_category",
    "final_category",
    "final_reason",
    "category",
    "ethnic_minority",
    "no_working_capacity",
    "meritorious",
    "surveyed_on",
    "surveyed_by",
    "final_set_by",
]


class ReadOnlyInline(ScopedAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MemberInline(ScopedAdminMixin, admin.TabularInline):
    may_write = can_write
    model = Member
    fields = ["person", "relation", "joined_on", "left_on"]
    autocomplete_fields = ["person"]
    extra = 0


class CategoryHistoryInline(ReadOnlyInline):
    """The household's categories over the years."""

    model = HouseholdReview
    fields = ["round", "monthly_income_per_person", "computed_category", "final_category", "category"]
    readonly_fields = fields
    verbose_name_plural = _("category history")
    ordering = ["-round__year", "-pk"]


@admin.register(Household)
class HouseholdAdmin(ScopedModelAdmin):
    scope = households_for
    may_write = can_write
    list_display = ["code", "head_name", "village", "commune", "main_livelihood", "area_type"]
    list_filter = ["commune", "main_livelihood", "area_type"]
    list_select_related = ["village", "commune"]
    search_fields = ["code", "head_name", "head_name_folded"]
    autocomplete_fields = ["commune", "village"]
    readonly_fields = ["carried_from"]  # written by the merger's carry-over (households.merger_services)
    inlines = [MemberInline, CategoryHistoryInline]


@admin.register(Person)
class PersonAdmin(ScopedModelAdmin):
    scope = persons_for
    may_write = can_write
    list_display = ["full_name", "sex", "birth_year", "employment"]
    list_filter = ["sex", "employment", "school"]
    search_fields = ["full_name", "full_name_folded"]
    sensitive_fields = IDENTITY_NUMBERS
    sees_sensitive = can_see_citizen_ids

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        if citizen_id_as_shown(request.user) is None:
            return shown

        @admin.display(description=_("citizen ID number"))
        def citizen_id_number(person):
            return citizen_id_as_shown(request.user, person.citizen_id, masked_at_most=True)

        return [*shown[:3], citizen_id_number, *shown[3:]]

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or []), *sorted(self.hidden_fields(request))] or None

    def _theirs(self, request, obj) -> bool:
        """Someone who moved to another commune is changed by that commune (persons_to_change_for)."""
        return obj is None or request.user.is_superuser or persons_to_change_for(request.user).contains(obj)

    def has_change_permission(self, request, obj=None):
        return self._theirs(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._theirs(request, obj) and super().has_delete_permission(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        """The admin's log of the person, without what was done while they lived in a household
        outside the user's communes (see households.access.times_in)."""
        response = super().history_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None)
        if context is None or request.user.is_superuser:
            return response
        person = context["object"]
        households = households_for(request.user).filter(members__person=person)
        households = set(households.values_list("pk", flat=True))
        entries = context["action_list"].paginator.object_list.filter(
            during(times_in([person.pk], households), at="action_time", person="object_id")
        )
        page = self.get_paginator(request, entries, HISTORY_PAGE).get_page(request.GET.get(PAGE_VAR, 1))
        context.update(
            action_list=page,
            page_range=page.paginator.get_elided_page_range(page.number),
            pagination_required=page.paginator.count > HISTORY_PAGE,
        )
        return response


@admin.register(Member)
class MemberAdmin(ScopedModelAdmin):
    scope = members_for
    may_write = can_write
    list_display = ["person", "household", "relation", "joined_on", "left_on"]
    list_filter = ["relation"]
    list_select_related = ["person", "household"]
    search_fields = [
        "person__full_name",
        "person__full_name_folded",
        "household__code",
        "household__head_name",
    ]
    autocomplete_fields = ["person", "household"]


class DeprivationInline(ReadOnlyInline):
    model = Deprivation
    fields = ["indicator"]
    readonly_fields = fields


class PovertyCauseInline(ReadOnlyInline):
    model = PovertyCause
    fields = ["cause"]
    readonly_fields = fields


class SupportReceivedInline(ReadOnlyInline):
    model = SupportReceived
    fields = ["support"]
    readonly_fields = fields


class CertificateInline(ReadOnlyInline):
    model = Certificate
    fields = ["code", "year", "issued_on"]
    readonly_fields = fields


class RoundStepInline(ReadOnlyInline):
    model = RoundStep
    fields = ["state", "on", "by", "note", "recorded_at"]
    readonly_fields = fields


class ComplaintInline(ScopedAdminMixin, admin.TabularInline):
    may_write = can_write
    model = Complaint
    fields = ["household", "received_on", "content", "outcome", "resolved_on"]
    autocomplete_fields = ["household"]
    extra = 0


@admin.register(ReviewRound)
class ReviewRoundAdmin(ScopedModelAdmin):
    scope = rounds_for
    may_write = can_write
    list_display = ["commune", "year", "list_year", "kind", "standard", "state", "requested_on", "decided_on"]
    list_filter = ["list_year", "year", "kind", "state", "standard"]
    list_select_related = ["commune"]
    search_fields = ["commune__name", "commune__name_folded"]
    autocomplete_fields = ["commune"]
    # The decision is recorded with the approval (services.move_round), never typed here.
    readonly_fields = [
        "state",
        "posting_ends_on",
        "decided_on",
        "decision_number",
        "decision_signer",
        "lists_every_household",
    ]
    inlines = [RoundStepInline, ComplaintInline]

    def get_readonly_fields(self, request, obj=None):
        """A decided round is the commune's decision: what it decided on stays as it was decided."""
        if obj is not None and obj.is_decided:
            return [*self.readonly_fields, "commune", "year", "kind", "standard", "requested_on"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.is_decided)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would not ask has_delete_permission for each round
        return actions


@admin.register(HouseholdReview)
class HouseholdReviewAdmin(ScopedModelAdmin):
    scope = reviews_for
    may_write = can_write
    list_display = ["household", "round", "monthly_income_per_person", "computed_category", "category"]
    list_filter = ["category", "round__list_year", "round__kind"]
    list_select_related = ["household", "round__commune"]
    search_fields = ["household__code", "household__head_name_folded"]
    autocomplete_fields = ["household", "round"]
    readonly_fields = REVIEW_FIELDS
    inlines = [DeprivationInline, PovertyCauseInline, SupportReceivedInline, CertificateInline]

    def get_readonly_fields(self, request, obj=None):
        """A review belongs to its round and household for good; moving it would rewrite the figures."""
        return [*REVIEW_FIELDS, "round", "household"] if obj is not None else REVIEW_FIELDS

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.round.is_decided)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would not ask has_delete_permission for each review
        return actions


@admin.register(Deprivation)
class DeprivationAdmin(ScopedModelAdmin):
    scope = reviews_for
    scope_path = "review"
    may_write = can_write
    list_display = ["review", "indicator"]
    list_filter = ["indicator"]
    list_select_related = ["review__household", "review__round__commune"]
    search_fields = ["review__household__code", "indicator"]
    autocomplete_fields = ["review"]

    def get_readonly_fields(self, request, obj=None):
        return ["review", "indicator"] if obj else []


class ReadOnlyAdmin(ScopedModelAdmin):
    """Facts and certificates are written by the survey and the approval only: shown, never edited."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PovertyCause)
class PovertyCauseAdmin(ReadOnlyAdmin):
    scope = reviews_for
    scope_path = "review"
    list_display = ["review", "cause"]
    list_filter = ["cause", "review__round__year"]
    list_select_related = ["review__household", "review__round__commune"]
    search_fields = ["review__household__code", "review__household__head_name_folded"]


@admin.register(SupportReceived)
class SupportReceivedAdmin(ReadOnlyAdmin):
    scope = reviews_for
    scope_path = "review"
    list_display = ["review", "support"]
    list_filter = ["support", "review__round__year"]
    list_select_related = ["review__household", "review__round__commune"]
    search_fields = ["review__household__code", "review__household__head_name_folded"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    scope = reviews_for
    scope_path = "review"
    list_display = ["code", "review", "commune", "year", "issued_on"]
    list_filter = ["year"]
    list_select_related = ["review__household", "review__round__commune", "commune"]
    search_fields = ["review__household__code", "review__household__head_name_folded"]


@admin.register(RoundStep)
class RoundStepAdmin(ScopedModelAdmin):
    scope = rounds_for
    scope_path = "round"
    may_write = can_write
    list_display = ["round", "state", "on", "by"]
    list_filter = ["state"]
    list_select_related = ["round__commune", "by"]
    search_fields = ["round__commune__name_folded", "note"]
    autocomplete_fields = ["round", "by"]

    def get_readonly_fields(self, request, obj=None):
        return ["round", "state", "on", "by", "recorded_at"] if obj else ["recorded_at"]


@admin.register(Complaint)
class ComplaintAdmin(ScopedModelAdmin):
    scope = rounds_for
    scope_path = "round"
    may_write = can_write
    list_display = ["round", "household", "received_on", "resolved_on"]
    list_filter = ["resolved_on"]
    list_select_related = ["round__commune", "household"]
    search_fields = ["household__code", "household__head_name_folded", "content"]
    autocomplete_fields = ["round", "household"]


class MeetingResultInline(ReadOnlyInline):
    model = MeetingResult
    fields = ["review", "category", "agreeing", "agreed"]
    readonly_fields = fields


@admin.register(VillageMeeting)
class VillageMeetingAdmin(ScopedModelAdmin):
    """Meetings are recorded on the round's page, where the vote sends results back to the survey; here
    only what the minutes say besides the vote may be corrected."""

    scope = meetings_for
    may_write = can_write
    list_display = ["village", "round", "held_on", "present", "commune_copy_received_on"]
    list_filter = ["held_on", "round__year"]
    list_select_related = ["village", "round__commune"]
    search_fields = ["village__name", "round__commune__name_folded", "chair_name"]
    fields = [
        "round",
        "village",
        "held_on",
        "present",
        "chair_name",
        "secretary_name",
        "attendees",
        "fatherland_front_invited",
        "commune_copy_received_on",
        "notes",
        "recorded_by",
        "recorded_at",
    ]
    readonly_fields = ["round", "village", "held_on", "present", "attendees", "recorded_by", "recorded_at"]
    inlines = [MeetingResultInline]

    def get_readonly_fields(self, request, obj=None):
        """A decided round's meetings stay as they were when it was decided."""
        return self.fields if obj is not None and obj.round.is_decided else self.readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeetingResult)
class MeetingResultAdmin(ScopedModelAdmin):
    """The votes are read here: recorded with their meeting, they decide what goes back to the survey."""

    scope = meetings_for
    scope_path = "meeting"
    may_write = can_write
    list_display = ["review", "meeting", "category", "agreeing", "agreed"]
    list_filter = ["agreed", "category"]
    list_select_related = ["review__household", "review__round__commune", "meeting__village"]
    search_fields = ["review__household__code", "review__household__head_name_folded"]
    readonly_fields = ["meeting", "review", "category", "agreeing", "agreed"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ApplicationComplaintInline(ReadOnlyInline):
    model = ApplicationComplaint
    fields = ["received_on", "content", "outcome", "rechecked_on"]
    readonly_fields = fields


@admin.register(StatusApplication)
class StatusApplicationAdmin(ScopedModelAdmin):
    """The steps are recorded on the application's page, where the procedure's rules hold."""

    scope = households_for
    scope_path = "household"
    may_write = can_write
    list_display = ["household", "kind", "person", "requested_on", "monthly_income_per_person", "state"]
    list_filter = ["kind", "state", "eligible", "household__main_livelihood"]
    list_select_related = ["household", "person"]
    search_fields = ["household__code", "household__head_name_folded"]
    autocomplete_fields = ["household", "person"]
    readonly_fields = [
        "monthly_income_per_person",
        "eligible",
        "assessment",
        "state",
        "posting_starts_on",
        "posting_ends_on",
        "rechecked_on",
        "decided_on",
        "decision_number",
        "refusal_reason",
        "recorded_by",
        "decided_by",
    ]
    inlines = [ApplicationComplaintInline]


@admin.register(ApplicationComplaint)
class ApplicationComplaintAdmin(ScopedModelAdmin):
    scope = applications_for
    scope_path = "application"
    may_write = can_write
    list_display = ["application", "received_on", "rechecked_on"]
    list_filter = ["rechecked_on"]
    list_select_related = ["application__household", "application__person"]
    search_fields = ["application__household__code", "application__household__head_name_folded", "content"]
    autocomplete_fields = ["application"]


@admin.register(ReviewRequest)
class ReviewRequestAdmin(ScopedModelAdmin):
    """The screening and the decision are taken on the request's page (households.services), which
    opens or feeds the round: here they are read only."""

    scope = requests_for
    may_write = can_write
    list_display = ["__str__", "commune", "form", "received_on", "outcome", "decided_on"]
    list_filter = ["form", "outcome"]
    list_select_related = ["commune", "household"]
    search_fields = ["household__code", "household__head_name_folded", "applicant_name"]
    autocomplete_fields = ["commune", "household"]
    readonly_fields = [
        "received_by",
        "screened_on",
        "survey_follows",
        "screening_notes",
        "outcome",
        "decided_on",
        "decided_by",
        "refusal_reason",
        "review_round",
    ]


@dataclass(frozen=True)
class _ValuesBefore:
    """An import change's values before, the identity numbers among them as `user` is shown them (a
    read-only field of the admin; equal for the same user, as the admin compares its fields)."""

    user: object
    __name__ = "values_before"
    short_description = _("values before")

    def __call__(self, change):
        values = dict(change.before)
        for key in IDENTITY_NUMBERS:
            if values.get(key):
                values[key] = citizen_id_as_shown(self.user, values[key]) or _("(not shown)")
        return values


class ValuesBeforeAsShown:
    """Import changes keep the values they replaced, a citizen ID number among them: shown through
    `citizen_id_as_shown`, never as stored. Every field is read-only."""

    change_fields = ["row", "action", "model", "object_id", "label"]

    def get_fields(self, request, obj=None):
        return [*self.change_fields, _ValuesBefore(request.user)]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


class ImportChangeInline(ValuesBeforeAsShown, ReadOnlyInline):
    model = ImportChange
    max_num = 0
    show_change_link = False


@admin.register(ImportRecord)
class ImportRecordAdmin(ScopedModelAdmin):
    """Imports are made by the import pages and the import command; here they are only read."""

    scope = imports_for
    may_write = can_write

    list_display = ["file_name", "kind", "commune", "year", "status", "created_by", "created_at",
                    "new", "updated", "unchanged", "rejected"]  # fmt: skip
    list_filter = ["kind", "status", "commune"]
    list_select_related = ["commune", "created_by"]
    search_fields = ["file_name", "checksum", "commune__name"]
    autocomplete_fields = ["commune", "created_by"]
    readonly_fields = ["kind", "commune", "year", "status", "file_name", "checksum", "size",
                       "created_by", "created_at", "imported_at", "rows", "new", "updated", "unchanged",
                       "rejected"]  # fmt: skip
    inlines = [ImportChangeInline]

    def has_add_permission(self, request):
        return False


@admin.register(ImportChange)
class ImportChangeAdmin(ValuesBeforeAsShown, ScopedModelAdmin):
    scope = imports_for
    scope_path = "record"
    may_write = can_write
    list_display = ["record", "row", "action", "model", "object_id", "label"]
    list_filter = ["action", "model"]
    list_select_related = ["record__commune"]
    search_fields = ["label", "record__file_name"]
    autocomplete_fields = ["record"]
    change_fields = ["record", *ValuesBeforeAsShown.change_fields]
    sensitive_fields = ("before",)  # the values replaced, a citizen ID number among them
    sees_sensitive = can_see_citizen_ids

    def has_add_permission(self, request):
        return False
