"""`integritas send_reminders`: every app's reminders before its deadlines (R-WBK-3, R-WBK-4).

The Meldpunt reminds coordinators before the 7-day acknowledgement and the 3-month
feedback; other apps register their own scans (notifications.scans).
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from integritas.notifications.scans import reminder_scans


class Command(BaseCommand):
    help = (
        "Stuurt coördinatoren een herinnering voordat de termijn voor ontvangstbevestiging "
        "(7 dagen) of terugkoppeling (3 maanden) verloopt. Idempotent: elke herinnering "
        "gaat één keer uit."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = 0
        for scan in reminder_scans().values():
            report = scan()
            for line in report.lines:
                self.stdout.write(line)
            for warning in report.warnings:
                self.stderr.write(warning)
            sent += report.count
        self.stdout.write(
            self.style.SUCCESS(_("%(count)d herinnering(en) verstuurd.") % {"count": sent})
        )
