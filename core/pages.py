"""Pages shared by the apps: the size of a list's page and the one form page of the project."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

PAGE_SIZE = 50


def form_page(
    request,
    form,
    *,
    title,
    crumbs,
    back,
    submit=None,
    intro=None,
    lead=None,
    section=None,
    extra=None,
):
    """The one create/edit page of the project (templates/form.html): heading, breadcrumbs, the form,
    Cancel. `crumbs` are (label, url) pairs after Home; `back` is where Cancel goes; `lead` a line
    under the heading, `intro` a notice; `section` the main navigation's current link (templates/
    _nav.html). `extra` adds to the context, e.g. `before_form`, a template shown above the form."""
    context = {
        "form": form,
        "title": title,
        "crumbs": crumbs,
        "back": back,
        "submit": submit or _("Save"),
        "intro": intro,
        "lead": lead,
        "section": section,
    }
    return render(request, "form.html", {**context, **(extra or {})})


def add_errors(form, error: ValidationError):
    """A service's refusal shown on the form: on its field when the form has it, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_messages(request, error: ValidationError) -> None:
    """A service's refusal of an action without a form (a button), shown as messages on the next page."""
    for message in error.messages:
        messages.error(request, message)
