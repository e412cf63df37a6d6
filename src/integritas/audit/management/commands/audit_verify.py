"""`integritas audit_verify`: exit 0 on intact chains, 1 naming the first broken event."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from integritas.audit.models import AuditChainHead
from integritas.audit.verification import verify_all


class Command(BaseCommand):
    help = "Controleert de hashketens van het auditlog (R-BIO-1)."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, breaks = verify_all()
        if breaks:
            for b in breaks:
                self.stderr.write(
                    f"Keten {b.chain}: gebroken bij volgnummer {b.sequence}"
                    f" (event-id {b.event_id if b.event_id is not None else '-'}): {b.reason}"
                )
            raise CommandError(
                f"Auditlog niet intact: {len(breaks)} van {checked} ketens gebroken."
            )
        for head in AuditChainHead.objects.order_by("chain"):
            self.stdout.write(f"{head.chain}: {head.sequence} events, kop {head.last_hash}")
        self.stdout.write(self.style.SUCCESS(f"Auditlog intact: {checked} ketens gecontroleerd."))
