from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "integritas.risks"
    verbose_name = _("Kwetsbare functies")

    def ready(self) -> None:
        from integritas.core.contributions import register
        from integritas.notifications.scans import register_reminder_scan

        from . import contributions, permissions  # noqa: F401

        register(contributions.CONTRIBUTION)
        register_reminder_scan("risks", contributions.reminder_scan)
