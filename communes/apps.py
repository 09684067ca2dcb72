from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunesConfig(AppConfig):
    name = "communes"
    verbose_name = _("Geography and users")

    def ready(self):
        from core import lookups

        lookups.register()
