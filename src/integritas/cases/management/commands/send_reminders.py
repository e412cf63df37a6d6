"""`integritas send_reminders`: deadline reminders to coordinators (R-WBK-3, R-WBK-4)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from integritas.cases.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Stuurt coördinatoren een herinnering voordat de termijn voor ontvangstbevestiging "
        "(7 dagen) of terugkoppeling (3 maanden) verloopt. Idempotent: elke herinnering "
        "gaat één keer uit."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_reminders()
        for case_number, kind, stage in result.sent:
            self.stdout.write(f"{case_number} {kind} {stage}")
        for case_number in sorted(set(result.without_recipients)):
            self.stderr.write(
                _("%(number)s: geen coördinator met e-mailadres om te herinneren.")
                % {"number": case_number}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)d herinnering(en) verstuurd.") % {"count": len(result.sent)}
            )
        )
