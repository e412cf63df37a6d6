"""`integritas backup -o FILE`: one encrypted archive of the database and the stored files.

Encrypted with INTEGRITAS_BACKUP_KEY, never with the master key, which is never in it
(docs/operations.md, 'Back-up en herstel'; docs/adr/0004-encrypted-streaming-backup.md).
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from integritas.core.backup.errors import BackupError
from integritas.core.backup.service import backup_create


class Command(BaseCommand):
    help = (
        "Schrijft één versleuteld archief met de database, de opgeslagen bestanden, de "
        "softwareversie en de ids van de hoofdsleutels (nooit een sleutel), versleuteld met "
        "INTEGRITAS_BACKUP_KEY en met een controlesom."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            required=True,
            help="Het archiefbestand dat wordt aangemaakt (mag nog niet bestaan).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._verbosity = int(options["verbosity"])
        output: Path = options["output"]
        if not output.parent.is_dir():
            raise CommandError(f"De map {output.parent} bestaat niet.")
        try:
            summary = backup_create(output, progress=self._progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        keys = ", ".join(sorted(summary.manifest["master_keys"]["in_use"])) or "-"
        self.stdout.write(
            self.style.SUCCESS(
                f"Back-up geschreven naar {output}: database {summary.database_bytes} bytes, "
                f"{summary.files} bestand(en) ({summary.file_bytes} bytes), softwareversie "
                f"{summary.manifest['software_version']}, hoofdsleutel-id(s) {keys}."
            )
        )
        if summary.skipped:
            self.stdout.write(
                f"{summary.skipped} bestand(en) overgeslagen: tijdens de back-up verwijderd."
            )

    def _progress(self, message: str) -> None:
        if self._verbosity >= 1:
            self.stderr.write(message)
