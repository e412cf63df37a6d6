"""The document centre: regional and local policy documents with versions (seed 3.2.1, 3.2.9)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "integritas.policies"
    verbose_name = _("Documenten")

    def ready(self) -> None:
        from integritas.core.contributions import register
        from integritas.notifications.scans import register_retention_scan

        from . import contributions, permissions  # noqa: F401

        register(contributions.CONTRIBUTION)
        register_retention_scan("policies", contributions.retention_scan)
