"""Pages shared by the apps: the size of a list's page and the one form page of the project."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

PAGE_SIZE = 50


def form_page(request, form, *, title, crumbs, back, submit=None, intro=None, extra=None):
    """One template for every simple create/edit page: heading, breadcrumbs, the form, Cancel."""
    context = {
        "form": form,
        "title": title,
        "crumbs": crumbs,
        "back": back,
        "submit": submit or _("Save"),
        "intro": intro,
    }
    return render(request, "assistance/form.html", {**context, **(extra or {})})


def add_errors(form, error: ValidationError):
    """A service's refusal shown on the form: on its field when the form has it, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
