from django.utils.functional import SimpleLazyObject

from communes.access import profile_of
from communes.models import Organisation


def issuing_body(request):
    """The body named in the header: the user's own, else the one that runs this installation."""

    def body():
        profile = profile_of(request.user) if hasattr(request, "user") else None
        if profile and profile.organisation_id:
            return Organisation.objects.select_related("parent").get(pk=profile.organisation_id)
        return Organisation.objects.filter(is_home=True).select_related("parent").first()

    return {"issuing_body": SimpleLazyObject(body)}
