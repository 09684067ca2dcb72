from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from communes.access import can_edit_communes, communes_for, get_commune_for
from communes.forms import CommuneFilterForm, CommuneForm
from communes.models import today
from core.pages import form_page

PAGE_SIZE = 50


def commune_list(request):
    scoped = communes_for(request.user)
    form = CommuneFilterForm(request.GET or None, communes=scoped)
    communes = (
        form.filter(scoped)
        .select_related("province", "district")
        .prefetch_related("successors", "predecessors")
        .order_by("name", "code")
    )
    page = Paginator(communes, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "communes/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_edit": can_edit_communes(request.user),
        },
    )


def commune_detail(request, pk):
    commune = get_commune_for(request.user, pk)
    villages = commune.villages.prefetch_related("successors", "predecessors").order_by(
        "dissolved_on", "name"
    )
    return render(
        request,
        "communes/detail.html",
        {
            "commune": commune,
            "villages": villages,
            "current_village_count": sum(1 for v in villages if v.is_current),
            "predecessors": commune.predecessors.select_related("district"),
            "successors": commune.successors.select_related("province"),
            "can_edit": can_edit_communes(request.user),
            "today": today(),
        },
    )


def commune_create(request):
    if not can_edit_communes(request.user):
        raise PermissionDenied
    form = CommuneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        commune = form.save()
        messages.success(request, _("Commune %(name)s was created.") % {"name": commune.name})
        return redirect(commune)
    return form_page(
        request,
        form,
        title=_("New commune"),
        crumbs=[(_("Communes"), reverse("communes:list"))],
        back=reverse("communes:list"),
        section="communes",
    )


def commune_edit(request, pk):
    commune = get_commune_for(request.user, pk, write=True)
    form = CommuneForm(request.POST or None, instance=commune)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Commune %(name)s was saved.") % {"name": commune.name})
        return redirect(commune)
    return form_page(
        request,
        form,
        title=_("Edit commune"),
        crumbs=[(_("Communes"), reverse("communes:list")), (commune.name, commune.get_absolute_url())],
        back=commune.get_absolute_url(),
        section="communes",
    )
