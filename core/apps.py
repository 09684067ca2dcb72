from django.contrib.admin.apps import AdminConfig


class ScopedAdminConfig(AdminConfig):
    """Django's admin on core.scoped_admin's site."""

    default_site = "core.scoped_admin.ScopedAdminSite"
