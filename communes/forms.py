from django import forms
from django.utils.translation import gettext_lazy as _

from communes.models import Commune, District, Province
from core.forms import OptimisticLockMixin, date_input
from core.text import one_line


class CommuneForm(OptimisticLockMixin, forms.ModelForm):
    class Meta:
        model = Commune
        fields = [
            "code",
            "name",
            "kind",
            "province",
            "district",
            "area_type",
            "extremely_disadvantaged",
            "ethnic_minority_area",
            "established_on",
            "dissolved_on",
        ]
        widgets = {
            "established_on": date_input(),
            "dissolved_on": date_input(),
        }
        error_messages = {
            "code": {"unique": _("A commune with this code already exists.")},
        }

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The official code is made of digits only, for example 23305."))
        return code

    def clean_name(self):
        name = one_line(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Enter the commune's name."))
        return name


class CommuneFilterForm(forms.Form):
    STATUS_CURRENT = "current"
    STATUS_DISSOLVED = "dissolved"
    STATUS_ALL = "all"

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.all(), required=False)
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.all(), required=False)
    extremely_disadvantaged = forms.BooleanField(label=_("Extremely disadvantaged"), required=False)
    ethnic_minority_area = forms.BooleanField(label=_("Ethnic-minority area"), required=False)
    status = forms.ChoiceField(
        label=_("Units"),
        required=False,
        choices=[
            (STATUS_CURRENT, _("Current units")),
            (STATUS_DISSOLVED, _("Dissolved or merged")),
            (STATUS_ALL, _("All, past and present")),
        ],
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Province.objects.filter(communes__in=communes).distinct()
        self.fields["district"].queryset = (
            District.objects.filter(communes__in=communes).select_related("province").distinct()
        )

    def filter(self, communes):
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or self.STATUS_CURRENT
        if status == self.STATUS_CURRENT:
            communes = communes.current()
        elif status == self.STATUS_DISSOLVED:
            communes = communes.exclude(pk__in=Commune.objects.current().values("pk"))
        if data.get("q"):
            communes = communes.search(data["q"])
        for field in ("province", "district"):
            if data.get(field):
                communes = communes.filter(**{field: data[field]})
        for flag in ("extremely_disadvantaged", "ethnic_minority_area"):
            if data.get(flag):
                communes = communes.filter(**{flag: True})
        return communes
