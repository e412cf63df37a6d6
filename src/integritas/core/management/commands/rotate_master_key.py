"""`integritas rotate_master_key [--dry-run] [--batch-size N]` (docs/operations.md §4.4)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from integritas.core.encryption.keys import (
    DEFAULT_BATCH_SIZE,
    ModelRotation,
    RotationError,
    rotate_master_key,
)


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
        for rotation in result.models:
            self._report(rotation, dry_run=result.dry_run)

    def _report(self, rotation: ModelRotation, *, dry_run: bool) -> None:
        messages = rotation.holder.messages
        key = rotation.current_key_id
        for key_id, count in sorted(rotation.by_key.items()):
            self.stdout.write(str(messages.per_key) % {"key": key_id, "count": count})
        if dry_run:
            self.stdout.write(str(messages.dry_run) % {"count": rotation.stale, "key": key})
            return
        done = {"count": rotation.rewrapped, "key": key, "batches": rotation.batches}
        self.stdout.write(self.style.SUCCESS(str(messages.done) % done))
