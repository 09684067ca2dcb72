"""Import pages: upload and dry run, the preview, the import proper, past imports, the templates."""

import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communes.access import communes_for
from communes.models import today
from core.spreadsheets import SpreadsheetError
from households import poverty, procedure
from households.access import can_write, get_import_for, imports_for
from households.forms import ImportForm
from households.imports import steps
from households.imports.columns import template_workbook
from households.imports.household_importer import MATCHING_RULE
from households.models import ImportRecord

PAGE_SIZE = 50
CHANGES_SHOWN = 200


def import_list(request):
    records = imports_for(request.user).select_related("commune", "created_by").order_by("-created_at", "-pk")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "households/import_list.html", {"page": page, "can_write": can_write(request.user)}
    )


def import_new(request):
    if not can_write(request.user):
        raise PermissionDenied
    steps.expire_checked_files()
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        communes=communes_for(request.user),
        initial={"kind": request.GET.get("kind") or ImportRecord.Kind.HOUSEHOLDS, "year": today().year},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = steps.check_upload(
                uploaded=data["file"],
                kind=data["kind"],
                commune=data["commune"],
                user=request.user,
                year=data.get("year"),
            )
        except SpreadsheetError as error:
            form.add_error("file", str(error))
        else:
            return redirect(record)
    return render(
        request,
        "households/import_form.html",
        {"form": form, "standard": poverty.standard_for_year(2022)},
    )


def import_detail(request, pk):
    record = get_import_for(request.user, pk)
    changes = record.changes.all()[:CHANGES_SHOWN]
    may_import = (
        record.status == ImportRecord.Status.CHECKED
        and not record.rejected
        and record.created_by_id == request.user.pk
        and can_write(request.user)
    )
    return render(
        request,
        "households/import_detail.html",
        {
            "record": record,
            "report": record.report,
            "changes": changes,
            "changes_shown": CHANGES_SHOWN,
            "may_import": may_import,
            "matching_rule": MATCHING_RULE,
            "households_url": reverse("households:list") + "?" + urlencode({"commune": record.commune_id}),
        },
    )


@require_POST
def import_run(request, pk):
    record = get_import_for(request.user, pk, write=True)
    try:
        report = steps.run_checked(record=record, user=request.user)
    except steps.ImportFailed as failure:
        messages.error(request, str(failure))
    except SpreadsheetError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Imported. %(summary)s") % {"summary": report.summary()})
    return redirect(record)


def import_template(request, kind):
    if kind not in ImportRecord.Kind.values:
        raise Http404
    try:
        year = int(request.GET.get("year") or today().year)  # the periodic review held in late `year`
        standard = poverty.standard_for_year(procedure.list_year(procedure.Kind.PERIODIC, year))
    except (ValueError, poverty.ClassificationError):
        standard = poverty.standard_for_year(2022)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    template_workbook(kind, standard, spool)
    spool.seek(0)
    name = (
        "mau-nhap-ho-gia-dinh.xlsx"
        if kind == ImportRecord.Kind.HOUSEHOLDS
        else "mau-nhap-ket-qua-ra-soat.xlsx"
    )
    return FileResponse(
        spool,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
