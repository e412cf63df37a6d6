"""`integritas scan_pending_attachments`: scan files that came in while clamd was down."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from integritas.cases.attachments.rescan import attachments_scan_pending
from integritas.cases.constants import ScanStatus


class Command(BaseCommand):
    help = (
        "Laat de virusscanner (clamd) alsnog de bijlagen controleren die nog niet gescand "
        "zijn, bijvoorbeeld omdat clamd even niet bereikbaar was. Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.INTEGRITAS_CLAMD_SOCKET:
            raise CommandError(_("Er is geen virusscanner ingesteld (INTEGRITAS_CLAMD_SOCKET)."))
        tally = attachments_scan_pending()
        self.stdout.write(
            _("Schoon: %(clean)d, besmet: %(infected)d, nog niet gescand: %(pending)d.")
            % {
                "clean": tally.get(ScanStatus.CLEAN, 0),
                "infected": tally.get(ScanStatus.INFECTED, 0),
                "pending": tally.get(ScanStatus.PENDING, 0),
            }
        )
