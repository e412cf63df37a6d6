"""`integritas rotate_master_key [--dry-run] [--batch-size N]` (docs/operations.md §4.4)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from integritas.cases.keys import DEFAULT_BATCH_SIZE, RotationError, rotate_master_key


class Command(BaseCommand):
    help = (
        "Verpakt de gegevenssleutel van elke melding opnieuw met de huidige hoofdsleutel "
        "(INTEGRITAS_MASTER_KEY_ID). Inhoud wordt niet opnieuw versleuteld; ontvangstcodes "
        "blijven werken. Een tweede run verandert niets."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Toon alleen hoeveel meldingen per oude sleutel nog om moeten.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help="Aantal meldingen per transactie (standaard %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = rotate_master_key(batch_size=options["batch_size"], dry_run=options["dry_run"])
        except (RotationError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for key_id, count in sorted(result.by_key.items()):
            self.stdout.write(
                _("Sleutel %(key)s: %(count)d melding(en)") % {"key": key_id, "count": count}
            )
        if result.dry_run:
            self.stdout.write(
                _("Proefrun: %(count)d melding(en) zouden opnieuw verpakt worden met %(key)s.")
                % {"count": result.stale, "key": result.current_key_id}
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)d melding(en) opnieuw verpakt met %(key)s in %(batches)d batch(es).")
                % {
                    "count": result.rewrapped,
                    "key": result.current_key_id,
                    "batches": result.batches,
                }
            )
        )
