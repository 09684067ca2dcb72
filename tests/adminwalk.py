"""A walk through every admin of the project as one signed-in staff member, for tests/test_roles.py:
each list (its filters' choices, and its filters set to select a record), change and history page,
view on site and autocomplete, with a record inside and one outside the member's communes."""

from django.contrib import admin
from django.contrib.admin.filters import RelatedFieldListFilter
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import reverse

from communes.models import Commune

# Where each record of the admin belongs: the path from it to its commune(s). Models left out are the
# same for every staff member (geography, organisations, the programmes' catalogue, groups, sign-in logs).
COMMUNE_OF = {
    "auth.User": "profile__communes",
    "communes.Profile": "communes",
    "communes.Commune": "pk",
    "communes.Village": "commune",
    "households.Household": "commune",
    "households.Person": "memberships__household__commune",
    "households.Member": "household__commune",
    "households.ReviewRound": "commune",
    "households.HouseholdReview": "household__commune",
    "households.Deprivation": "review__household__commune",
    "households.PovertyCause": "review__household__commune",
    "households.SupportReceived": "review__household__commune",
    "households.Certificate": "commune",
    "households.RoundStep": "round__commune",
    "households.Complaint": "round__commune",
    "households.VillageMeeting": "round__commune",
    "households.MeetingResult": "meeting__round__commune",
    "households.ReviewRequest": "commune",
    "households.StatusApplication": "household__commune",
    "households.ApplicationComplaint": "application__household__commune",
    "households.ImportRecord": "commune",
    "households.ImportChange": "record__commune",
    "assistance.Assignment": "communes",
    "assistance.Mission": "communes",
    "assistance.MissionPhoto": "mission__communes",
    "assistance.Finding": "commune",
    "assistance.LabourNeed": "commune",
    "assistance.Plan": "commune",
    "assistance.PlanAmendment": "plan__commune",
    "assistance.Activity": "plan__commune",
    "assistance.Participant": "activity__plan__commune",
    "assistance.OutcomeStep": "participant__activity__plan__commune",
    **{
        f"assistance.{name}": "activity__plan__commune"
        for name in ("Spending", "Event", "CommunicationRecord", "GivenItem", "Beneficiary", "FollowUp")
    },
}


def filter_values(spec, record) -> dict:
    """The query-string parameters of a list filter that select `record` (none for a date filter)."""
    kwarg = getattr(spec, "lookup_kwarg", None)
    if kwarg is None:
        return {}
    value = record
    for part in spec.field_path.split("__"):
        value = getattr(value, part, None)
    if value is None or hasattr(value, "all"):  # empty, or many (a many-to-many)
        return {}
    return {kwarg: int(value) if isinstance(value, bool) else getattr(value, "pk", value)}


class AdminWalk:
    """`shows(where)`: whether the member is shown a record "inside" or "outside" their communes, or
    one that is the same for everyone ("everywhere"). What they are shown otherwise is in `problems`."""

    def __init__(self, user, communes, shows, *, apps):
        self.user, self.communes, self.shows, self.apps = user, communes, shows, apps
        self.client = Client()
        self.client.force_login(user)
        self.problems = []
        self.in_and_out = set()  # the models walked with a record inside and one outside
        self._outside = {}

    def outside_only(self, model) -> set:
        """Ids of the records of the outside commune alone."""
        if model not in self._outside:
            path, outside = COMMUNE_OF.get(model._meta.label), self.communes["outside"]
            records = model._default_manager.none()
            if path:
                records = model._default_manager.filter(**{path: outside.pk}).exclude(
                    **{f"{path}__in": Commune.objects.exclude(pk=outside.pk)}
                )
            self._outside[model] = set(records.values_list("pk", flat=True))
        return self._outside[model]

    def records(self, model) -> dict:
        path, objects = COMMUNE_OF.get(model._meta.label), model._default_manager.order_by("pk")
        if path is None:
            found = {"everywhere": objects.first()}
        else:
            found = {
                "inside": objects.filter(**{path: self.communes["inside"].pk}).first(),
                "outside": objects.filter(pk__in=self.outside_only(model)).first(),
            }
        return {where: record for where, record in found.items() if record is not None}

    def get(self, what, url, params=None, *, status=200):
        response = self.client.get(url, params)
        if response.status_code != status:
            self.problems.append(f"{what}: {response.status_code}, expected {status}")
            return None
        return response

    def every_admin(self):
        for model, model_admin in admin.site._registry.items():
            if model._meta.app_label not in self.apps:
                continue
            records = self.records(model)
            if {"inside", "outside"} <= set(records):
                self.in_and_out.add(model._meta.label)
            self.changelist(model, records)
            for where, record in records.items():
                self.record_pages(model, where, record)
            for field_name in model_admin.autocomplete_fields:
                self.autocomplete(model, field_name)

    def changelist(self, model, records):
        """One list per model, its filters set to select a record the member is shown if there is one
        (a list that shows rows), else the outside one: the list before filtering (`root_queryset`)
        holds the records in scope, the filters offer only those."""
        label = model._meta.label
        where = next((w for w in ("everywhere", "inside", "outside") if w in records and self.shows(w)), None)
        where = where or ("outside" if "outside" in records else None)
        url, params = reverse(_admin_url(model, "changelist")), {}
        if where is not None:
            request = RequestFactory().get(url)
            request.user = self.user
            for spec in admin.site._registry[model].get_changelist_instance(request).filter_specs:
                params |= filter_values(spec, records[where])
        response = self.get(f"{label} list filtered by {params}", url, params)
        if response is None or where is None:
            return
        listed = response.context["cl"]
        if listed.queryset.filter(pk=records[where].pk).exists() != self.shows(where):
            self.problems.append(f"{label} list filtered by {params}: the {where} record wrongly (not) shown")
        for place, record in records.items():
            if listed.root_queryset.filter(pk=record.pk).exists() != self.shows(place):
                self.problems.append(f"{label} list: the {place} record wrongly (not) shown")
        for spec in listed.filter_specs:
            if isinstance(spec, RelatedFieldListFilter) and not self.shows("outside"):
                offered = {pk for pk, _ in spec.lookup_choices} & self.outside_only(spec.field.related_model)
                if offered:
                    self.problems.append(f"{label} filter {spec.field_path} offers out of scope {offered}")

    def record_pages(self, model, where, record):
        """The history page, and out of scope the change page too (inside it is the heavier page of the
        two, and finds the record as the history page does)."""
        label, shows = model._meta.label, self.shows(where)
        for page in ("history",) if shows else ("change", "history"):
            # Out of scope the record does not exist: back to the admin's index, with a message.
            url = reverse(_admin_url(model, page), args=[record.pk])
            self.get(f"{label} {page} {where}", url, status=200 if shows else 302)
        if hasattr(model, "get_absolute_url"):
            url = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(model).pk, record.pk])
            self.get(f"{label} view on site {where}", url, status=302 if shows else 404)

    def autocomplete(self, model, field_name):
        what = f"{model._meta.label}.{field_name} autocomplete"
        params = {"app_label": model._meta.app_label, "model_name": model._meta.model_name}
        response = self.get(
            what, reverse("admin:autocomplete"), {**params, "field_name": field_name, "term": ""}
        )
        if response is None or self.shows("outside"):
            return
        found = {int(result["id"]) for result in response.json()["results"]}
        offered = found & self.outside_only(model._meta.get_field(field_name).related_model)
        if offered:
            self.problems.append(f"{what} offers out of scope {offered}")


def _admin_url(model, page):
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
