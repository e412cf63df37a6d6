"""Nevenwerkzaamheden, financiële belangen, geschenken en belangenconflicten (seed 3.2.6, 3.2.8)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "integritas.registers"
    verbose_name = _("Registers")

    def ready(self) -> None:
        from integritas.core.contributions import register
        from integritas.notifications.scans import (
            register_reminder_scan,
            register_retention_scan,
        )

        from . import (  # noqa: F401
            campaign_permissions,
            campaign_reminders,
            contributions,
            permissions,
            receivers,
            vault,
        )

        register(contributions.CONTRIBUTION)
        register_reminder_scan("registers.campaigns", campaign_reminders.reminder_scan)
        register_reminder_scan("registers.signals", contributions.signal_refresh_scan)
        register_retention_scan("registers.campaigns", campaign_reminders.retention_scan)
        register_retention_scan("registers", contributions.retention_scan)
