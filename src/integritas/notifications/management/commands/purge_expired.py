"""`integritas purge_expired [--dry-run]`: every app's retention run (R-DP-2)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from integritas.notifications.scans import retention_scans


class Command(BaseCommand):
    help = (
        "Voert de bewaartermijnen van alle onderdelen uit: afgesloten meldingen, "
        "registraties, verplichtingen en bevestigingen van oud-medewerkers, gesprekken in "
        "het logboek van vertrouwenspersonen en API-aanroepen. Wat onder een bewaarplicht "
        "(legal hold) valt, blijft bewaard; er blijft een telbare grafsteen over."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Toon alleen wat zou worden verwijderd (zaaknummers en aantallen); "
            "verwijder niets.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for scan in retention_scans().values():
            report = scan(options["dry_run"])
            for line in report.lines:
                self.stdout.write(line)
            for warning in report.warnings:
                self.stderr.write(warning)
            if report.summary:
                self.stdout.write(
                    report.summary if options["dry_run"] else self.style.SUCCESS(report.summary)
                )
