from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The home page, the navigation and the work lists, composed from every app."""

    name = "integritas.portal"
    verbose_name = _("Portaal")
