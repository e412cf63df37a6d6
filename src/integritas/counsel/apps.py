from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounselConfig(AppConfig):
    name = "integritas.counsel"
    verbose_name = _("Vertrouwenspersonen")

    def ready(self) -> None:
        from integritas.core.contributions import register
        from integritas.notifications.scans import register_retention_scan

        from . import contributions, permissions, vault  # noqa: F401

        register(contributions.CONTRIBUTION)
        register_retention_scan("counsel", contributions.retention_scan)
