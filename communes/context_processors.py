from django.utils.functional import SimpleLazyObject

from communes.models import Organisation, today


def issuing_body(request):
    """The body named in the header of every page, by the rule of the documents (`issuer_for`)."""
    user = getattr(request, "user", None)
    return {"issuing_body": SimpleLazyObject(lambda: Organisation.objects.issuer_for(user, on=today()))}
