"""Onboarding and yearly duties per employee (seed 3.2.3, 3.2.5, 3.2.7, 5.1)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObligationsConfig(AppConfig):
    name = "integritas.obligations"
    verbose_name = _("Verplichtingen")

    def ready(self) -> None:
        from integritas.core.contributions import register
        from integritas.notifications.scans import (
            register_reminder_scan,
            register_retention_scan,
        )

        from . import contributions, permissions, receivers, vault  # noqa: F401

        register(contributions.CONTRIBUTION)
        vault.register()
        register_reminder_scan("obligations", contributions.reminder_scan)
        register_retention_scan("obligations", contributions.retention_scan)
