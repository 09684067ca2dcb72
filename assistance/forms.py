import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from assistance.models import (
    PHOTO_FORMATS,
    PHOTO_MAX_BYTES,
    PHOTO_MAX_PIXELS,
    Activity,
    Assignment,
    CommunicationRecord,
    Event,
    Finding,
    FollowUp,
    GivenItem,
    LabourNeed,
    Mission,
    MissionPhoto,
    Outcome,
    Plan,
    Project,
    quarter_start,
)
from assistance.services import plan_locked_error
from communes.models import Organisation, Role, Village
from core.forms import DongField, OptimisticLockMixin, UserChoiceField, UsersChoiceField, date_input
from households.models import Category, Household, Member


def commune_label(commune) -> str:
    """Names repeat after mergers (two "Ngọc Linh"): add the district or province, and the end date."""
    place = commune.district.name if commune.district_id else commune.province.name
    label = f"{commune.name} ({place})"
    if commune.dissolved_on:
        label += " – " + _("until %(date)s") % {"date": commune.dissolved_on.strftime("%d/%m/%Y")}
    return label


def scoped_communes(communes):
    return communes.select_related("district", "province").order_by("dissolved_on", "name")


def staff_users():
    """People who can lead or join a working group: the department's and districts' staff."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            profile__role__in=[Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICER],
        )
        .select_related("profile")
        .order_by("first_name", "username")
    )


def catalogue_projects():
    return Project.objects.in_catalogue_order()


YEAR_WIDGET = forms.NumberInput(attrs={"min": 2000, "max": 2100})


class KeepsCommunesOutOfScope:
    """The communes field lists only the user's communes; saving must not drop the record's other
    communes, which the user can neither see nor change."""

    def clean_communes(self):
        chosen = list(self.cleaned_data["communes"])
        if self.instance.pk:
            shown = self.fields["communes"].queryset.values("pk")
            chosen += list(self.instance.communes.exclude(pk__in=shown))
        return chosen


class AssignmentForm(OptimisticLockMixin, KeepsCommunesOutOfScope, forms.ModelForm):
    leader = UserChoiceField(label=_("Leader"), queryset=None, required=False)
    members = UsersChoiceField(
        label=_("Members"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Assignment
        fields = [
            "organisation",
            "communes",
            "from_year",
            "to_year",
            "decision_number",
            "decision_date",
            "working_group",
            "leader",
            "members",
            "notes",
        ]
        widgets = {
            "decision_date": date_input(),
            "communes": forms.CheckboxSelectMultiple,
            "from_year": YEAR_WIDGET,
            "to_year": YEAR_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = scoped_communes(communes)
        self.fields["communes"].label_from_instance = commune_label
        self.fields["organisation"].queryset = Organisation.objects.select_related("parent")
        self.fields["leader"].queryset = self.fields["members"].queryset = staff_users()


class MissionForm(OptimisticLockMixin, KeepsCommunesOutOfScope, forms.ModelForm):
    leader = UserChoiceField(label=_("Leader"), queryset=None, required=False)
    members = UsersChoiceField(
        label=_("Staff members"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Mission
        fields = [
            "start_date",
            "end_date",
            "leader",
            "members",
            "outside_members",
            "communes",
            "purpose",
            "assessed",
        ]
        widgets = {
            "start_date": date_input(),
            "end_date": date_input(),
            "communes": forms.CheckboxSelectMultiple,
            "outside_members": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "assessed": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {"communes": {"required": _("Choose at least one commune visited.")}}

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = scoped_communes(communes)
        self.fields["communes"].label_from_instance = commune_label
        self.fields["leader"].queryset = self.fields["members"].queryset = staff_users()


class FindingForm(OptimisticLockMixin, forms.ModelForm):
    topic = forms.ModelChoiceField(label=_("Topic (programme project)"), queryset=None)

    class Meta:
        model = Finding
        fields = ["commune", "village", "topic", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, mission: Mission, communes, **kwargs):
        super().__init__(*args, **kwargs)
        visited = scoped_communes(mission.communes.filter(pk__in=communes.values("pk")))
        self.fields["commune"].queryset = visited
        self.fields["commune"].label_from_instance = commune_label
        self.fields["village"].queryset = Village.objects.filter(commune__in=visited).select_related(
            "commune"
        )
        self.fields["village"].label_from_instance = lambda v: f"{v.name} ({v.commune.name})"
        self.fields["topic"].queryset = catalogue_projects()
        self.instance.mission = mission


class LabourNeedForm(forms.ModelForm):
    monthly_wage = DongField(label=_("Monthly wage (đồng)"), required=False)

    class Meta:
        model = LabourNeed
        fields = ["commune", "company", "jobs", "count", "monthly_wage", "abroad", "recorded_on", "notes"]
        widgets = {"recorded_on": date_input(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, mission: Mission, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = mission.communes.filter(pk__in=communes.values("pk"))
        self.fields["recorded_on"].initial = mission.start_date
        self.instance.mission = mission


class PlanForm(OptimisticLockMixin, forms.ModelForm):
    signer = UserChoiceField(
        label=_("Signed by"),
        queryset=None,
        required=False,
        help_text=_("Who signs the printed plan; empty: whoever approves it."),
    )

    class Meta:
        model = Plan
        fields = [
            "commune",
            "mission",
            "organisation",
            "title",
            "number",
            "from_year",
            "to_year",
            "signer",
            "notes",
        ]
        widgets = {
            "from_year": YEAR_WIDGET,
            "to_year": YEAR_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, communes, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = scoped_communes(communes)
        self.fields["commune"].label_from_instance = commune_label
        self.fields["mission"].queryset = missions
        self.fields["organisation"].queryset = Organisation.objects.select_related("parent")
        self.fields["organisation"].label = _("Issued by")
        self.fields["signer"].queryset = staff_users()

    def clean(self):
        # An approved plan says so first, before any "changed since you opened it" (the lock).
        if self.instance.pk and not self.instance.is_draft:
            raise plan_locked_error()
        return super().clean()


QUARTERS = [
    ("", "—"),
    ("1", _("Quarter I")),
    ("2", _("Quarter II")),
    ("3", _("Quarter III")),
    ("4", _("Quarter IV")),
]


class ActivityForm(OptimisticLockMixin, forms.ModelForm):
    """A line of a plan. On a draft plan it edits the line; on an approved plan it is an amendment
    and needs a reason (the view then calls services.amend_activity / add_activity)."""

    planned_amount = DongField(label=_("Planned budget (đồng)"))
    planned_on = forms.DateField(label=_("Planned date"), required=False, widget=date_input())
    planned_quarter = forms.ChoiceField(label=_("or planned quarter"), choices=QUARTERS, required=False)
    planned_year = forms.IntegerField(label=_("of year"), required=False, min_value=2000, max_value=2100)
    project = forms.ModelChoiceField(label=_("Programme project"), queryset=None, required=False)
    reason = forms.CharField(
        label=_("Why is the approved plan changed?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Kept with the amendment, with what changed, when and by whom."),
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "project",
            "findings",
            "village",
            "responsible_unit",
            "planned_quantity",
            "quantity_unit",
            "planned_on",
            "planned_amount",
            "funding_source",
            "description",
        ]
        widgets = {"findings": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.amending = not plan.is_draft
        self.instance.plan = plan
        findings = Finding.objects.filter(commune=plan.commune).select_related("topic__parent", "village")
        if plan.mission_id:
            findings = findings.filter(mission=plan.mission_id)
        self.fields["findings"].queryset = findings
        self.fields["findings"].label_from_instance = lambda finding: f"{finding.topic}: {finding.text}"
        self.fields["village"].queryset = plan.commune.villages.all()
        self.fields["project"].queryset = catalogue_projects()
        if self.instance.pk and self.instance.planned_precision == Activity.Precision.QUARTER:
            self.initial["planned_quarter"] = str(self.instance.planned_quarter)
            self.initial["planned_year"] = self.instance.planned_on.year
            self.initial["planned_on"] = None
        if self.amending:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]

    def clean(self):
        data = super().clean()
        if self.plan.state == Plan.State.CLOSED:
            raise forms.ValidationError(_("This plan is closed."), code="plan_closed")
        on, quarter, year = data.get("planned_on"), data.get("planned_quarter"), data.get("planned_year")
        if quarter or year:
            if on:
                self.add_error("planned_quarter", _("Give either a date or a quarter, not both."))
            elif not (quarter and year):
                self.add_error("planned_year", _("A quarter needs its year."))
            else:
                data["planned_on"] = datetime.date(year, (int(quarter) - 1) * 3 + 1, 1)
                self.instance.planned_precision = Activity.Precision.QUARTER
        elif on:
            self.instance.planned_precision = Activity.Precision.DAY
        if data.get("planned_on") and not self.plan.from_year <= data["planned_on"].year <= self.plan.to_year:
            self.add_error(
                "planned_on",
                _("The plan runs from %(start)s to %(end)s.")
                % {"start": self.plan.from_year, "end": self.plan.to_year},
            )
        return data

    def planned_changes(self) -> dict:
        """The planned fields as the form has them, for services.amend_activity."""
        data = {
            field: self.cleaned_data[field] for field in Activity.PLANNED_FIELDS if field in self.cleaned_data
        }
        data["planned_precision"] = self.instance.planned_precision
        if data.get("planned_on") and data["planned_precision"] == Activity.Precision.QUARTER:
            data["planned_on"] = quarter_start(data["planned_on"])
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices)
    cancel_reason = forms.CharField(
        label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ApproveForm(forms.Form):
    approved_on = forms.DateField(label=_("Approved on"), widget=date_input())
    decision_number = forms.CharField(label=_("Approval document number"), max_length=64, required=False)


class SpendingForm(forms.Form):
    spent_on = forms.DateField(label=_("Date"), widget=date_input())
    amount = DongField(label=_("Amount (đồng)"), min_value=1)
    voucher_number = forms.CharField(label=_("Voucher number"), max_length=64)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    confirm_over_plan = forms.BooleanField(
        label=_("I confirm this spending goes over the activity's planned budget"), required=False
    )


class GivenItemForm(forms.ModelForm):
    unit_cost = DongField(label=_("Unit cost (đồng)"))

    class Meta:
        model = GivenItem
        fields = ["name", "count", "unit", "unit_cost"]


def poor_first(households):
    """Poor, then near-poor, then the others; each with its latest decided category."""
    return (
        households.with_latest_category()
        .annotate(
            category_rank=Case(
                When(latest_category=Category.POOR, then=Value(0)),
                When(latest_category=Category.NEAR_POOR, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("category_rank", "village__name", "code")
    )


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    village = forms.ModelChoiceField(label=_("Village"), queryset=None, required=False)

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = commune.villages.all()

    def filter(self, households):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            households = households.search(data["q"])
        if data.get("village"):
            households = households.filter(village=data["village"])
        return households


class EnrolForm(forms.Form):
    households = forms.ModelMultipleChoiceField(
        label=_("Households"),
        queryset=Household.objects.none(),
        error_messages={"required": _("Tick at least one household.")},
    )
    enrolled_on = forms.DateField(label=_("Enrolled on"), widget=date_input())

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        # Any household may be posted; the service refuses those outside the plan's commune.
        self.fields["households"].queryset = Household.objects.all()


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["visited_on", "household", "animals_alive", "animals_born", "animals_passed_on", "notes"]
        widgets = {"visited_on": date_input(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.filter(livelihood_support__activity=activity)
        self.instance.activity = activity


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["held_on", "place", "participant_count", "officers_trained", "result_notes"]
        widgets = {
            "held_on": date_input(),
            "officers_trained": forms.Textarea(attrs={"rows": 3}),
            "result_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.activity = activity


class CommunicationForm(forms.ModelForm):
    class Meta:
        model = CommunicationRecord
        fields = ["kind", "count", "audience", "held_on"]
        widgets = {"held_on": date_input()}

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.activity = activity


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, member):
        return f"{member.person.full_name} ({member.person.birth_year}) · {member.household.code}"


class ParticipantForm(forms.Form):
    member = MemberChoiceField(label=_("From the household registry"), queryset=None, required=False)
    full_name = forms.CharField(label=_("or full name"), max_length=120, required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    offers = forms.ModelMultipleChoiceField(
        label=_("Jobs offered"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        commune = activity.plan.commune
        self.fields["member"].queryset = (
            Member.objects.current()
            .filter(household__commune=commune)
            .select_related("person", "household")
            .order_by("person__full_name")
        )
        self.fields["offers"].queryset = LabourNeed.objects.filter(commune=commune)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    on = forms.DateField(label=_("Date"), widget=date_input())
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class MissionPhotoForm(forms.ModelForm):
    """A JPEG, PNG or WebP photo up to 8 MB, checked by reading the image itself (not its name)."""

    class Meta:
        model = MissionPhoto
        fields = ["image", "caption"]
        widgets = {"image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})}

    def __init__(self, *args, mission: Mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.mission = mission

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if not image:
            return image
        if image.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(
                _("The photo is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": round(image.size / 1024 / 1024, 1), "limit": PHOTO_MAX_BYTES // 1024 // 1024}
            )
        decoded = getattr(image, "image", None)  # set by ImageField's check
        found = getattr(decoded, "format", None)
        if found not in PHOTO_FORMATS:
            raise forms.ValidationError(_("Upload a photo in JPEG, PNG or WebP format."))
        width, height = decoded.size
        if width * height > PHOTO_MAX_PIXELS:
            raise forms.ValidationError(
                _("The photo is %(width)s × %(height)s pixels; the limit is %(limit)s megapixels.")
                % {"width": width, "height": height, "limit": PHOTO_MAX_PIXELS // 1_000_000}
            )
        self.instance._format = found
        return image
