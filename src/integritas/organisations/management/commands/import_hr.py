"""`integritas import_hr FILE [--dry-run]`: import the HR system's export (CSV or XLSX).

Exits 0 after an import (or a clean dry run) with a Dutch summary; on any error in the
file it prints every "Rij N, veld X: melding" to stderr, imports nothing and exits
non-zero. The command line may import rows of every organisation.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from integritas.audit.constants import Origin
from integritas.organisations.hr_import import hr_file_import


class Command(BaseCommand):
    help = "Importeert medewerkers, afdelingen en functies uit een HR-export (CSV of XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Pad naar het CSV- of XLSX-bestand.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Alleen controleren en tellen; er wordt niets opgeslagen.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Bestand {path} kan niet worden gelezen: {exc.strerror}") from exc
        result = hr_file_import(
            data=data, filename=path.name, origin=Origin.CLI, dry_run=options["dry_run"]
        )
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(result.errors)} fout(en) gevonden in {path.name}; er is niets geïmporteerd."
            )
        self.stdout.write(self.style.SUCCESS(result.summary()))
