import datetime

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from communes.access import communes_for, sees_all_communes
from communes.models import Commune, Village, today
from core import citizen_id
from core.forms import OptimisticLockMixin, date_input
from core.text import one_line
from households import poverty, procedure, summaries
from households.access import IDENTITY_NUMBERS, can_see_citizen_ids, citizen_id_as_shown
from households.models import (
    Attendee,
    Category,
    CauseOfPoverty,
    Complaint,
    Deprivation,
    Household,
    HouseholdReview,
    Livelihood,
    Person,
    Relation,
    ReviewRequest,
    ReviewRound,
    StatusApplication,
    SupportKind,
    VillageMeeting,
)


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, village):
        return f"{village.name} · {village.commune.name}"


class HouseholdForm(OptimisticLockMixin, forms.ModelForm):
    """The commune is the village's: a household cannot be put in a village of another commune."""

    village = VillageChoiceField(label=_("Village"), queryset=Village.objects.none())

    class Meta:
        model = Household
        fields = [
            "village",
            "code",
            "head_name",
            "address",
            "area_type",
            "ethnicity",
            "main_livelihood",
            "registered_on",
            "ended_on",
        ]
        widgets = {"registered_on": date_input(), "ended_on": date_input()}

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        villages = Village.objects.filter(commune__in=communes).select_related("commune")
        if not self.instance.pk:
            villages = villages.filter(commune__in=communes.current()).current()
        self.fields["village"].queryset = villages.order_by("commune__name", "name")
        self.fields["area_type"].required = False

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def clean_head_name(self):
        return one_line(self.cleaned_data["head_name"])

    def clean(self):
        cleaned = super().clean()
        village = cleaned.get("village")
        if village:
            self.instance.commune = village.commune
            code = cleaned.get("code")
            taken = Household.objects.filter(commune=village.commune, code=code).exclude(pk=self.instance.pk)
            if code and taken.exists():
                self.add_error("code", _("Another household of this commune has this code."))
        return cleaned


class PersonForm(forms.ModelForm):
    citizen_id = forms.CharField(
        label=_("Citizen ID number"),
        required=False,
        max_length=20,  # room for the spaces or dots people type; normalised to 12 digits
        help_text=_("12 digits. Shown masked outside the record."),
    )
    relation = forms.ChoiceField(label=_("Relation to the head"), choices=Relation.choices)
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=date_input())

    class Meta:
        model = Person
        fields = [
            "full_name",
            "sex",
            "birth_year",
            "citizen_id",
            "health_insurance_card",
            "school",
            "employment",
        ]

    def __init__(self, *args, shown_to=None, **kwargs):
        """`shown_to`: the user editing a recorded person; a role that may not read ID numbers gets the
        fields of IDENTITY_NUMBERS empty and the recorded numbers as `citizen_id_as_shown` shows them."""
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to
        self._kept = {}
        if shown_to is not None and not can_see_citizen_ids(shown_to):
            # A role that may not read ID numbers cannot see the stored ones; leaving one blank keeps it.
            for name in IDENTITY_NUMBERS:
                recorded = getattr(self.instance, name)
                self.fields[name].widget = forms.PasswordInput(render_value=False)
                self.fields[name].help_text = _("Recorded: %(masked)s. Leave empty to keep it.") % {
                    "masked": citizen_id_as_shown(shown_to, recorded) or "—"
                }
                self._kept[name] = recorded

    def clean_full_name(self):
        return one_line(self.cleaned_data["full_name"])

    def clean_citizen_id(self):
        return citizen_id.normalise(self.cleaned_data.get("citizen_id", "")) or self._kept.get(
            "citizen_id", ""
        )

    def clean_health_insurance_card(self):
        return self.cleaned_data.get("health_insurance_card", "").strip() or self._kept.get(
            "health_insurance_card", ""
        )


class MemberEditForm(OptimisticLockMixin, PersonForm):
    """Edits the person; the relation and join date belong to the membership."""

    # The lock token is in the page: never the ID number itself, whoever edits.
    lock_secret_fields = IDENTITY_NUMBERS

    def lock_secret_shown(self, name, value):
        return value if self.shown_to is None else citizen_id_as_shown(self.shown_to, value)


class MoveMemberForm(forms.Form):
    to_household = forms.ModelChoiceField(label=_("New household"), queryset=Household.objects.none())
    relation = forms.ChoiceField(label=_("Relation to the new head"), choices=Relation.choices)
    on = forms.DateField(label=_("Moved on"), initial=today, widget=date_input())

    def __init__(self, *args, households, exclude, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_household"].queryset = (
            households.exclude(pk=exclude.pk).filter(ended_on__isnull=True).select_related("village")
        )


class EndMembershipForm(forms.Form):
    on = forms.DateField(label=_("Left on"), initial=today, widget=date_input())


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Name or code"))
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none(), required=False)
    village = VillageChoiceField(label=_("Village"), queryset=Village.objects.none(), required=False)
    year = forms.TypedChoiceField(label=_("Lists of"), coerce=int, required=False, empty_value=None)
    category = forms.ChoiceField(label=_("Category in those lists"), required=False)
    livelihood = forms.ChoiceField(label=_("Main livelihood"), required=False)
    indicator = forms.ChoiceField(label=_("Deprived in"), required=False)
    farm_average = forms.BooleanField(label=_("Farm household of average living standard"), required=False)

    def __init__(self, *args, communes, years, every_commune=False, **kwargs):
        """`every_commune`: the user sees the whole province, whose villages (hundreds) are offered
        only once a commune is chosen."""
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes.order_by("name", "code")
        villages = Village.objects.filter(commune__in=communes).select_related("commune")
        chosen = self.data.get("commune") if self.is_bound else None
        if chosen:
            villages = villages.filter(commune=chosen) if str(chosen).isdigit() else villages.none()
        elif every_commune:
            villages = villages.none()
            self.fields["village"].help_text = _("Choose a commune first")
        self.fields["village"].queryset = villages.order_by("commune__name", "name")
        self.fields["year"].choices = [("", _("Latest review"))] + [
            (year, procedure.list_year_choice(year)) for year in years
        ]
        self.fields["category"].choices = [("", _("Any")), *Category.choices, ("none", _("Not reviewed"))]
        self.fields["livelihood"].choices = [("", _("Any")), *Livelihood.choices]
        indicators = {}
        for standard in poverty.STANDARDS.values():
            for indicator in standard.indicators:
                indicators.setdefault(indicator.key, indicator.name)
        self.fields["indicator"].choices = [("", _("Any")), *indicators.items()]

    @classmethod
    def for_user(cls, data, user, households):
        """The filter of the user's `households`, bound to `data` (the query string) if any."""
        return cls(
            data or None,
            communes=communes_for(user),
            years=summaries.years_with_decisions(households),
            every_commune=sees_all_communes(user),
        )

    FILTERED_FIELDS = (("commune", "commune"), ("village", "village"), ("livelihood", "main_livelihood"))

    def filter(self, households):
        """The households the filter selects, in list order: the list page and its Excel export share
        it. The columns shown are added to a page's or a chunk's households only (`with_columns`)."""
        households = households.order_by("commune__name", "village__name", "code", "pk")
        data = self.cleaned_data if self.is_valid() else {}
        year = data.get("year")
        if data.get("q"):
            households = households.search(data["q"])
        for field, lookup in self.FILTERED_FIELDS:
            if data.get(field):
                households = households.filter(**{lookup: data[field]})
        if data.get("category"):
            if year:
                households = households.existing_in(year)
            households = households.in_category(data["category"], year)
        if data.get("indicator"):
            reviews = HouseholdReview.objects.counting(year)
            households = households.filter(
                pk__in=Deprivation.objects.filter(review__in=reviews, indicator=data["indicator"]).values(
                    "review__household"
                )
            )
        if data.get("farm_average"):
            recognised = StatusApplication.objects.recognised()
            if year:  # recognised during the year those lists are used
                recognised = recognised.filter(requested_on__year=year)
            households = households.filter(pk__in=recognised.values("household"))
        return households

    @staticmethod
    def with_columns(households):
        """What the list shows of each household; correlated subqueries, so only for a page or a chunk."""
        return households.select_related("village", "commune").with_latest_category()


class OpenRoundForm(forms.Form):
    year = forms.IntegerField(
        label=_("Review held in late"),
        min_value=2000,
        max_value=2100,
        initial=lambda: today().year,
        help_text=_("The review held from 1 September to 14 December makes the lists of the next year."),
    )
    # A past year's review entered afterwards starts on its own date, not today: its later steps
    # cannot come before its first one.
    on = forms.DateField(label=_("Opened on"), required=False, initial=today, widget=date_input())


class MoveRoundForm(forms.Form):
    to_state = forms.ChoiceField(label=_("Next step"), choices=ReviewRound.State.choices)
    on = forms.DateField(label=_("Date"), initial=today, widget=date_input())
    posting_ends_on = forms.DateField(
        label=_("Public posting ends on"),
        required=False,
        widget=date_input(),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Minutes, participants and share agreeing, decision number…"),
    )
    # The approval records the commune chairman's decision (required there, by the service).
    decision_number = forms.CharField(
        label=_("Decision number"),
        required=False,
        max_length=40,
        help_text=_("For the approval: the commune chairman's decision, for example 125/QĐ-UBND."),
    )
    decision_on = forms.DateField(label=_("Decision date"), required=False, widget=date_input())
    decision_signer = forms.CharField(label=_("Signed by"), required=False, max_length=120)

    DECISION_FIELDS = ("decision_number", "decision_on", "decision_signer")

    def __init__(self, *args, approval: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not approval:
            for name in self.DECISION_FIELDS:
                del self.fields[name]
        self.fields["posting_ends_on"].help_text = _(
            "For the public posting: empty means %(days)s working days (to confirm)."
        ) % {"days": procedure.POSTING_WORKING_DAYS}


class SurveyForm(forms.Form):
    """The answers of the survey, form B1 (income, A points) and form B2 (deprivations): the category
    is computed from them, never chosen."""

    monthly_income_per_person = forms.IntegerField(
        label=_("Income per person per month (đồng)"), min_value=0, required=False
    )
    a_points = forms.IntegerField(
        label=_("A points (form B1)"),
        min_value=0,
        required=False,
        help_text=_("When given, they decide the income test (line: 140 rural, 175 urban)."),
    )
    deprived = forms.MultipleChoiceField(
        label=_("Deprived in"), required=False, widget=forms.CheckboxSelectMultiple
    )
    evidence = forms.CharField(
        label=_("Evidence notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    surveyed_on = forms.DateField(
        label=_("Surveyed on"),
        required=False,
        widget=date_input(),
        help_text=_("The day of the visit, when the forms are entered later; empty means today."),
    )
    ethnic_minority = forms.BooleanField(label=_("Ethnic-minority household"), required=False)
    no_working_capacity = forms.BooleanField(label=_("Household without working capacity"), required=False)
    meritorious = forms.BooleanField(label=_("Household of people with meritorious service"), required=False)
    causes = forms.MultipleChoiceField(
        label=_("Causes of poverty"),
        required=False,
        choices=CauseOfPoverty.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For poor and near-poor households."),
    )
    supports = forms.MultipleChoiceField(
        label=_("Support received"),
        required=False,
        choices=SupportKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    FACT_FIELDS = ("ethnic_minority", "no_working_capacity", "meritorious", "causes", "supports")

    def __init__(self, *args, standard: poverty.Standard, **kwargs):
        super().__init__(*args, **kwargs)
        self.standard = standard
        self.fields["deprived"].choices = [
            (indicator.key, f"{indicator.dimension} · {indicator.name}") for indicator in standard.indicators
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("monthly_income_per_person") is None and cleaned.get("a_points") is None:
            raise forms.ValidationError(_("Enter the income per person per month, or the A points."))
        return cleaned


class FinalCategoryForm(forms.Form):
    final_category = forms.ChoiceField(
        label=_("Final category"),
        required=False,
        help_text=_("Only where the village meeting or a complaint changed the computed category."),
    )
    final_reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["final_category"].choices = [("", _("As computed")), *Category.choices]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("final_category") and not cleaned.get("final_reason", "").strip():
            self.add_error(
                "final_reason", _("Give the reason the meeting or the complaint changed the category.")
            )
        return cleaned


class ComplaintForm(forms.ModelForm):
    class Meta:
        model = Complaint
        fields = ["household", "received_on", "content", "outcome", "resolved_on"]
        widgets = {
            "received_on": date_input(),
            "resolved_on": date_input(),
            "content": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, review_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.round = review_round
        self.fields["household"].queryset = Household.objects.filter(reviews__round=review_round).order_by(
            "code"
        )


class RequestForm(forms.Form):
    """A request received by the commune; the person recording it is the signed-in user."""

    form = forms.ChoiceField(label=_("Form"), choices=ReviewRequest.Form.choices)
    received_on = forms.DateField(label=_("Received on"), initial=today, widget=date_input())
    received_by_other = forms.CharField(
        label=_("Received by"),
        required=False,
        max_length=120,
        help_text=_("Only if someone else received it (a village head…)."),
    )


class MeetingForm(forms.ModelForm):
    """A village meeting and, for each result awaiting it (`reviews`), the number agreeing
    (`agreeing_<review id>`). The rule (dates, the 50 %) is the service's; this form only reads."""

    attendees = forms.MultipleChoiceField(
        label=_("Taking part"), choices=Attendee.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = VillageMeeting
        fields = [
            "held_on",
            "chair_name",
            "secretary_name",
            "attendees",
            "fatherland_front_invited",
            "present",
            "commune_copy_received_on",
            "notes",
        ]
        widgets = {
            "held_on": date_input(),
            "commune_copy_received_on": date_input(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, reviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.reviews = list(reviews)
        self.fields["present"].min_value = 1
        self.fields["present"].widget.attrs["min"] = 1
        self.fields["present"].validators.append(MinValueValidator(1))
        for review in self.reviews:
            self.fields[f"agreeing_{review.pk}"] = forms.IntegerField(
                label=_("Agreeing with %(household)s") % {"household": review.household.code},
                min_value=0,
                max_value=procedure.MAX_PRESENT,
            )

    def clean_chair_name(self):
        return one_line(self.cleaned_data["chair_name"])

    def clean_secretary_name(self):
        return one_line(self.cleaned_data["secretary_name"])

    def result_rows(self):
        """(review, its number-agreeing field) for the template's table."""
        return [(review, self[f"agreeing_{review.pk}"]) for review in self.reviews]

    @property
    def agreeing(self) -> dict[int, int]:
        return {review.pk: self.cleaned_data[f"agreeing_{review.pk}"] for review in self.reviews}

    def clean(self):
        cleaned = super().clean()
        present = cleaned.get("present")
        for review in self.reviews:
            name = f"agreeing_{review.pk}"
            if present and cleaned.get(name) is not None and cleaned[name] > present:
                self.add_error(name, _("More agreeing than the %(present)s present.") % {"present": present})
        return cleaned


class MinutesReceivedForm(forms.Form):
    on = forms.DateField(label=_("Commune's copy received on"), initial=today, widget=date_input())


class AdHocRequestForm(forms.Form):
    requested_on = forms.DateField(label=_("Requested on"), initial=today, widget=date_input())
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ApplicantRequestForm(RequestForm):
    """A request of a person whose household is not in the register yet."""

    applicant_name = forms.CharField(label=_("Applicant's full name"), max_length=120)
    applicant_address = forms.CharField(label=_("Applicant's address"), max_length=255)
    field_order = ["applicant_name", "applicant_address"]


class RequestFilterForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("All")), *ReviewRequest.Outcome.choices]
    )


class ScreeningForm(forms.Form):
    """Phiếu A: whether the full survey (B1/B2) follows; if not, the notes are the refusal's reason."""

    on = forms.DateField(label=_("Screened on"), initial=today, widget=date_input())
    survey_follows = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("The full survey (B1/B2) follows")), ("no", _("No survey follows: refused"))],
        coerce=lambda value: value == "yes",
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when no survey follows: the written reason of the refusal."),
    )


class AcceptRequestForm(forms.Form):
    on = forms.DateField(label=_("Accepted on"), initial=today, widget=date_input())
    household_code = forms.CharField(
        label=_("Code of the applicant's household"),
        required=False,
        max_length=32,
        help_text=_("The request was recorded before the household was in the register."),
    )


class RefuseRequestForm(forms.Form):
    on = forms.DateField(label=_("Refused on"), initial=today, widget=date_input())
    reason = forms.CharField(
        label=_("Reason for the refusal"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApplicationForm(forms.Form):
    """An application for recognition (Decree 30/2025): a farm household, or a worker among the
    household's current members."""

    kind = forms.ChoiceField(label=_("Applies to be recognised as"), choices=StatusApplication.Kind.choices)
    person = forms.ModelChoiceField(
        label=_("Worker"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("For a low-income worker: the member who applies."),
    )
    requested_on = forms.DateField(label=_("Requested on"), initial=today, widget=date_input())
    income_12_months = forms.IntegerField(
        label=_("Income of the previous 12 months (đồng)"),
        min_value=0,
        max_value=10**12,
        help_text=_("The household's, without state social assistance."),
    )
    member_count = forms.IntegerField(
        label=_("Members"), min_value=1, max_value=50, help_text=_("Members sharing that income.")
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            pk__in=household.members.current().values("person")
        ).order_by("birth_year", "pk")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == StatusApplication.Kind.LOW_INCOME_WORKER and not cleaned.get("person"):
            self.add_error("person", _("Choose the worker among the household's members."))
        if cleaned.get("kind") == StatusApplication.Kind.FARM_HOUSEHOLD:
            cleaned["person"] = None
        return cleaned


class ApplicationMoveForm(forms.Form):
    to_state = forms.ChoiceField(
        label=_("Next step"),
        choices=[
            (s.value, s.label) for s in StatusApplication.State if s != StatusApplication.State.REQUESTED
        ],
    )
    on = forms.DateField(label=_("Date"), initial=today, widget=date_input())
    decision_number = forms.CharField(
        label=_("Decision number"), required=False, max_length=64, help_text=_("For a recognition.")
    )
    reason = forms.CharField(
        label=_("Reason for the refusal"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a refusal, given in writing."),
    )


class ApplicationComplaintForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), initial=today, widget=date_input())
    content = forms.CharField(label=_("Complaint"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ComplaintRecheckForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome of the re-check"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = forms.DateField(label=_("Re-checked on"), initial=today, widget=date_input())


class ApplicationFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    step = forms.ChoiceField(label=_("Step"), required=False)
    year = forms.IntegerField(label=_("Year of the request"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any")), *StatusApplication.Kind.choices]
        self.fields["step"].choices = [
            ("", _("Any")),
            *StatusApplication.State.choices,
            ("overdue", _("Overdue (past 15 days, not decided)")),
        ]

    def filter(self, applications):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("kind"):
            applications = applications.filter(kind=data["kind"])
        if data.get("step"):
            applications = applications.at_step(data["step"])
        if data.get("year"):
            applications = applications.filter(requested_on__year=data["year"])
        return applications


class SummaryForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Lists of"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        this_year = datetime.date.today().year
        self.fields["year"].choices = [(year, procedure.list_year_choice(year)) for year in years] or [
            (this_year, procedure.list_year_choice(this_year))
        ]

    @classmethod
    def for_households(cls, data, households):
        """The years in which some of `households` have decisions, bound to `data` if any."""
        return cls(data or None, years=summaries.years_with_decisions(households))

    @property
    def chosen_year(self) -> int:
        """The year chosen, else the latest with decisions, else this year."""
        chosen = self.cleaned_data.get("year") if self.is_valid() else None
        return chosen or (self.years[0] if self.years else today().year)


class ImportForm(forms.Form):
    """Step one of an import: which commune (one the user may write to), which kind, the file."""

    kind = forms.ChoiceField(label=_("What the file holds"), choices=())
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    year = forms.IntegerField(
        label=_("Review held in late"),
        required=False,
        min_value=2021,
        max_value=2100,
        help_text=_(
            "For review results: the periodic review held in late that year (it makes the next year's "
            "lists), at the survey step."
        ),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "Excel workbook (.xlsx) or CSV (UTF-8, or TCVN3 and VNI from older tools), up to 10 MB. "
            "The first sheet is read."
        ),
    )

    def __init__(self, *args, communes, **kwargs):
        from households.models import ImportRecord

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ImportRecord.Kind.choices
        self.fields["commune"].queryset = communes.order_by("dissolved_on", "name", "code")
        self.fields["commune"].label_from_instance = lambda c: (
            f"{c.name} ({c.code})" + (f" · {c.dissolved_on:%d/%m/%Y}" if c.dissolved_on else "")
        )

    def clean(self):
        from households.models import ImportRecord

        cleaned = super().clean()
        if cleaned.get("kind") == ImportRecord.Kind.REVIEWS and not cleaned.get("year"):
            self.add_error("year", _("Give the year of the review the results belong to."))
        return cleaned


class AsOfForm(forms.Form):
    on = forms.DateField(
        label=_("As of"),
        required=False,
        widget=date_input(),
        help_text=_("The record at the end of that day."),
    )
