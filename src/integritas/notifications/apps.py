from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The daily runs that cross the domain apps: reminders and retention."""

    name = "integritas.notifications"
    verbose_name = _("Herinneringen en bewaartermijnen")

    def ready(self) -> None:
        from . import housekeeping, scans

        scans.register_retention_scan("throttle", housekeeping.throttle_purge_scan)
        scans.register_retention_scan("api_calls", housekeeping.api_call_purge_scan)
