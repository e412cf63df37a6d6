from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "integritas.cases"
    verbose_name = _("Meldpunt Integriteit")

    def ready(self) -> None:
        from integritas.audit.denials import guard_routes
        from integritas.core.contributions import register
        from integritas.notifications.scans import (
            register_reminder_scan,
            register_retention_scan,
        )

        from . import checks, contributions, permissions, refusals, vault  # noqa: F401

        register(contributions.CONTRIBUTION)
        guard_routes(refusals.ROUTES)
        register_reminder_scan("cases", contributions.reminder_scan)
        register_retention_scan("cases", contributions.retention_scan)
