from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from assistance import services
from assistance.access import (
    activities_for,
    assignments_for,
    can_approve_plans,
    can_manage_assignments,
    can_write_missions,
    can_write_plans,
    findings_for,
    labour_needs_for,
    missions_for,
    participants_for,
    plans_for,
)
from assistance.models import (
    Activity,
    Assignment,
    Beneficiary,
    CommunicationRecord,
    Event,
    Finding,
    FollowUp,
    GivenItem,
    LabourNeed,
    Mission,
    MissionPhoto,
    OutcomeStep,
    Participant,
    Plan,
    PlanAmendment,
    Programme,
    Project,
    Spending,
)
from communes.models import today
from core.scoped_admin import ScopedAdminMixin, ScopedModelAdmin


class ProjectInline(ScopedAdminMixin, admin.TabularInline):
    may_write = can_manage_assignments
    model = Project
    fields = ["code", "name", "parent", "position", "to_confirm"]
    extra = 0
    autocomplete_fields = ["parent"]


@admin.register(Programme)
class ProgrammeAdmin(ScopedModelAdmin):
    may_write = can_manage_assignments
    list_display = ["name", "code", "start_year", "end_year", "decision"]
    search_fields = ["name", "code"]
    inlines = [ProjectInline]


@admin.register(Project)
class ProjectAdmin(ScopedModelAdmin):
    may_write = can_manage_assignments
    list_display = ["__str__", "programme", "parent", "position", "to_confirm"]
    list_filter = ["programme", "to_confirm"]
    list_select_related = ["programme", "parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["programme", "parent"]


@admin.register(Assignment)
class AssignmentAdmin(ScopedModelAdmin):
    scope = assignments_for
    may_write = can_manage_assignments
    list_display = ["organisation", "from_year", "to_year", "decision_number", "decision_date", "leader"]
    list_filter = ["from_year", "organisation"]
    list_select_related = ["organisation", "leader"]
    search_fields = ["decision_number", "working_group", "organisation__full_name", "communes__name_folded"]
    autocomplete_fields = ["organisation", "communes", "leader", "members"]


class FindingInline(ScopedAdminMixin, admin.StackedInline):
    may_write = can_write_missions
    model = Finding
    extra = 0
    autocomplete_fields = ["commune", "village", "topic"]


@admin.register(Mission)
class MissionAdmin(ScopedModelAdmin):
    scope = missions_for
    may_write = can_write_missions
    list_display = ["__str__", "start_date", "end_date", "leader"]
    list_filter = ["start_date"]
    list_select_related = ["leader"]
    search_fields = ["purpose", "assessed", "outside_members", "communes__name_folded"]
    autocomplete_fields = ["leader", "members", "communes"]
    date_hierarchy = "start_date"
    inlines = [FindingInline]


@admin.register(MissionPhoto)
class MissionPhotoAdmin(ScopedModelAdmin):
    scope = missions_for
    scope_path = "mission"
    may_write = can_write_missions
    list_display = ["__str__", "mission", "uploaded_by", "uploaded_at"]
    list_filter = ["uploaded_at"]
    list_select_related = ["mission", "uploaded_by"]
    search_fields = ["caption"]
    autocomplete_fields = ["mission"]
    readonly_fields = ["uploaded_by", "uploaded_at"]


@admin.register(Finding)
class FindingAdmin(ScopedModelAdmin):
    scope = findings_for
    may_write = can_write_missions
    list_display = ["__str__", "mission", "commune", "village", "topic"]
    list_filter = ["topic__programme", "commune"]
    list_select_related = ["mission", "commune", "village", "topic__parent"]
    search_fields = ["text", "commune__name_folded"]
    autocomplete_fields = ["mission", "commune", "village", "topic"]


@admin.register(LabourNeed)
class LabourNeedAdmin(ScopedModelAdmin):
    scope = labour_needs_for
    may_write = can_write_missions
    list_display = ["company", "jobs", "count", "monthly_wage", "abroad", "commune", "recorded_on"]
    list_filter = ["abroad", "commune"]
    list_select_related = ["commune"]
    search_fields = ["company", "jobs"]
    autocomplete_fields = ["mission", "commune"]


class LockedWhenApproved:
    """An approved plan and its lines change only through an amendment (the app's pages or the
    services), never by editing them here."""

    def plan_of(self, obj):
        return obj if isinstance(obj, Plan) else getattr(obj, "plan", None)

    def has_change_permission(self, request, obj=None):
        plan = self.plan_of(obj) if obj is not None else None
        if plan is not None and not plan.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        plan = self.plan_of(obj) if obj is not None else None
        if plan is not None and not plan.is_draft:
            return False
        return super().has_delete_permission(request, obj)


class ActivityInline(ScopedAdminMixin, LockedWhenApproved, admin.TabularInline):
    may_write = can_write_plans
    model = Activity
    fields = [
        "position",
        "kind",
        "title",
        "project",
        "responsible_unit",
        "planned_quantity",
        "quantity_unit",
        "planned_on",
        "planned_precision",
        "planned_amount",
        "funding_source",
        "status",
    ]
    extra = 0
    autocomplete_fields = ["project"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_add_permission(request, obj)


class AmendmentInline(ScopedAdminMixin, admin.TabularInline):
    model = PlanAmendment
    fields = ["number", "made_at", "made_by", "changes", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(ScopedAdminMixin, LockedWhenApproved, admin.ModelAdmin):
    scope = plans_for
    may_write = can_write_plans
    list_display = ["title", "commune", "from_year", "to_year", "state", "version", "approved_on"]
    list_filter = ["state", "from_year", "commune"]
    list_select_related = ["commune"]
    search_fields = ["title", "commune__name_folded"]
    autocomplete_fields = ["commune", "mission", "organisation", "signer"]
    readonly_fields = ["state", "version", "approved_on", "approved_by", "decision_number"]
    inlines = [ActivityInline, AmendmentInline]
    actions = ["approve"]

    def plan_of(self, obj):
        return obj

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Approve the selected draft plans"))
    def approve(self, request, queryset):
        for plan in queryset:
            try:
                services.approve_plan(plan=plan, by=request.user, on=today())
            except (ValidationError, PermissionDenied) as error:
                message = "; ".join(getattr(error, "messages", [])) or _("You may not approve plans.")
                self.message_user(request, f"{plan}: {message}", messages.ERROR)
            else:
                self.message_user(request, _("%(plan)s was approved.") % {"plan": plan})


class SpendingInline(ScopedAdminMixin, admin.TabularInline):
    may_write = can_write_plans
    model = Spending
    fields = ["spent_on", "amount", "voucher_number", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]
    extra = 0


@admin.register(Activity)
class ActivityAdmin(ScopedAdminMixin, LockedWhenApproved, admin.ModelAdmin):
    scope = activities_for
    may_write = can_write_plans
    list_display = ["title", "kind", "plan", "planned_amount", "status", "planned_on"]
    list_filter = ["kind", "status", "funding_source"]
    list_select_related = ["plan__commune"]
    search_fields = ["title", "plan__title", "plan__commune__name_folded"]
    autocomplete_fields = ["plan", "project", "village", "findings"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # New lines of an approved plan are amendments, added on the plan's page.
        if db_field.name == "plan":
            kwargs["queryset"] = Plan.objects.filter(state=Plan.State.DRAFT).select_related("commune")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AmendmentForm(forms.ModelForm):
    class Meta:
        model = PlanAmendment
        fields = ["plan", "changes", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "plan" in self.fields:  # not on a recorded amendment's page, where every field is read-only
            self.fields["plan"].queryset = Plan.objects.filter(state=Plan.State.APPROVED).select_related(
                "commune"
            )


@admin.register(PlanAmendment)
class PlanAmendmentAdmin(ScopedModelAdmin):
    scope = plans_for
    scope_path = "plan"
    may_write = can_approve_plans
    """Amendments are a record: added (through the service, which numbers them) but never changed."""

    list_display = ["plan", "number", "made_at", "made_by", "reason"]
    list_select_related = ["plan__commune", "made_by"]
    search_fields = ["plan__title", "reason", "changes"]
    form = AmendmentForm

    def get_readonly_fields(self, request, obj=None):
        return ["plan", "number", "made_at", "made_by", "changes", "reason"] if obj else []

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        amendment = services.record_amendment(
            plan=obj.plan, changes=[obj.changes], reason=obj.reason, by=request.user
        )
        obj.pk, obj.number, obj.made_at = amendment.pk, amendment.number, amendment.made_at

    def has_delete_permission(self, request, obj=None):
        return False


class ActivityRecordAdmin(ScopedModelAdmin):
    """Records of what was done for an activity: seen and changed as their activity is."""

    scope = activities_for
    scope_path = "activity"
    may_write = can_write_plans


@admin.register(Spending)
class SpendingAdmin(ActivityRecordAdmin):
    list_display = ["voucher_number", "spent_on", "amount", "activity", "recorded_by"]
    list_filter = ["spent_on"]
    list_select_related = ["activity", "recorded_by"]
    search_fields = ["voucher_number", "note", "activity__title"]
    autocomplete_fields = ["activity"]
    readonly_fields = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Event)
class EventAdmin(ActivityRecordAdmin):
    list_display = ["activity", "held_on", "place", "participant_count"]
    list_select_related = ["activity"]
    search_fields = ["place", "activity__title", "result_notes"]
    autocomplete_fields = ["activity"]


@admin.register(CommunicationRecord)
class CommunicationRecordAdmin(ActivityRecordAdmin):
    list_display = ["activity", "kind", "count", "audience", "held_on"]
    list_filter = ["kind"]
    list_select_related = ["activity"]
    search_fields = ["audience", "activity__title"]
    autocomplete_fields = ["activity"]


@admin.register(GivenItem)
class GivenItemAdmin(ActivityRecordAdmin):
    list_display = ["name", "count", "unit", "unit_cost", "activity"]
    list_select_related = ["activity"]
    search_fields = ["name", "activity__title"]
    autocomplete_fields = ["activity"]


@admin.register(Beneficiary)
class BeneficiaryAdmin(ActivityRecordAdmin):
    list_display = ["household", "activity", "category_when_enrolled", "enrolled_on"]
    list_filter = ["category_when_enrolled"]
    list_select_related = ["household", "activity"]
    search_fields = ["household__code", "household__head_name_folded", "activity__title"]
    autocomplete_fields = ["activity", "household"]


@admin.register(FollowUp)
class FollowUpAdmin(ActivityRecordAdmin):
    list_display = ["activity", "visited_on", "animals_alive", "animals_born", "animals_passed_on"]
    list_select_related = ["activity"]
    search_fields = ["activity__title", "notes"]
    autocomplete_fields = ["activity", "household"]


class OutcomeStepInline(ScopedAdminMixin, admin.TabularInline):
    model = OutcomeStep
    fields = ["outcome", "on", "note", "recorded_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Steps go through services.record_outcome, which keeps them moving forward.
        return False


@admin.register(Participant)
class ParticipantAdmin(ScopedModelAdmin):
    scope = participants_for
    may_write = can_write_plans
    list_display = ["__str__", "activity", "outcome", "outcome_on"]
    list_filter = ["outcome"]
    list_select_related = ["activity", "member__person"]
    search_fields = ["full_name", "member__person__full_name_folded", "activity__title"]
    autocomplete_fields = ["activity", "member", "offers"]
    inlines = [OutcomeStepInline]


class OutcomeStepForm(forms.ModelForm):
    class Meta:
        model = OutcomeStep
        fields = ["participant", "outcome", "on", "note"]

    def clean(self):
        data = super().clean()
        participant, outcome, on = data.get("participant"), data.get("outcome"), data.get("on")
        if participant and outcome and on:
            history = list(participant.steps.order_by("on", "pk").values_list("outcome", "on"))
            services.check_outcome_move(
                history, outcome, on, since=services.conference_date(participant.activity)
            )
        return data


@admin.register(OutcomeStep)
class OutcomeStepAdmin(ScopedModelAdmin):
    scope = participants_for
    scope_path = "participant"
    may_write = can_write_plans
    """Steps are added through services.record_outcome (only forward in time), never changed."""

    list_display = ["participant", "outcome", "on", "recorded_by"]
    list_filter = ["outcome"]
    list_select_related = ["participant__member__person", "recorded_by"]
    search_fields = ["participant__full_name", "note"]
    autocomplete_fields = ["participant"]
    form = OutcomeStepForm

    def get_readonly_fields(self, request, obj=None):
        return ["participant", "outcome", "on", "note", "recorded_by"] if obj else []

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        step = services.record_outcome(
            participant=obj.participant, outcome=obj.outcome, on=obj.on, note=obj.note, by=request.user
        )
        obj.pk = step.pk
