from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data of every app, seeded through each app's services; never in production."""

    name = "integritas.demo"
    verbose_name = _("Demo")
