"""The review's yearly figures: a commune's by village, and an area's by commune, district, province."""

from django.shortcuts import render

from communes.access import get_commune_for
from households import summaries
from households.access import households_for
from households.forms import SummaryForm
from households.models import Household


def commune_summary(request, pk):
    commune = get_commune_for(request.user, pk)
    form = SummaryForm.for_households(request.GET, Household.objects.filter(commune=commune))
    summary = summaries.summary(form.chosen_year, commune=commune)
    return render(request, "households/commune_summary.html", {"form": form, **vars(summary)})


def area_summary(request):
    """Per commune, district and province, counted in the database; and rolled up to today's communes
    along the successor links of merged communes."""
    households = households_for(request.user)
    form = SummaryForm.for_households(request.GET, households)
    summary = summaries.summary(form.chosen_year, area=households, today_units=True)
    context = {"form": form, **vars(summary), "last_district_year": summaries.LAST_DISTRICT_LIST_YEAR}
    return render(request, "households/area_summary.html", context)
