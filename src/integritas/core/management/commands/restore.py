"""`integritas restore FILE`: put an archive back into an empty database and media folder.

Needs INTEGRITAS_BACKUP_KEY, and the master key(s) and receipt pepper the archive was made
with; refuses a damaged or foreign archive and a target that holds data, before writing
anything (docs/operations.md, 'Back-up en herstel').
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from integritas.core.backup.errors import BackupError
from integritas.core.backup.service import backup_restore


class Command(BaseCommand):
    help = (
        "Zet een archief van `integritas backup` terug in een nieuwe of lege database en een "
        "lege map met bestanden. Weigert een beschadigd archief, een archief van een andere "
        "installatie of sleutel, en een doel dat al gegevens bevat."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", type=Path, help="Het archiefbestand.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Controleer het archief volledig tegen deze installatie; schrijf niets.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._verbosity = int(options["verbosity"])
        archive: Path = options["archive"]
        try:
            summary = backup_restore(archive, check_only=options["check"], progress=self._progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = summary.manifest
        what = (
            f"database {summary.database_bytes} bytes, {summary.files} bestand(en) "
            f"({summary.file_bytes} bytes), gemaakt op {manifest['created_at']} door versie "
            f"{manifest['software_version']}"
        )
        if options["check"]:
            self.stdout.write(self.style.SUCCESS(f"Archief in orde: {what}."))
            return
        self.stdout.write(self.style.SUCCESS(f"Hersteld: {what}."))
        self.stdout.write(
            "Volgende stappen: integritas migrate, integritas audit_verify --anchors <koppen tot "
            "de back-updatum>, integritas purge_expired."
        )

    def _progress(self, message: str) -> None:
        if self._verbosity >= 1:
            self.stderr.write(message)
