from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class IbsuConfig(AppConfig):
    name = "ibsu"
    default = True

    def ready(self):
        from ibsu import checks  # noqa: F401 -- registers the deployment checks


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django admin, served by our AdminSite that demands a verified second factor."""

    default = False
    default_site = "ibsu.admin.PortalAdminSite"
