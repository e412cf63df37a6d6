"""`integritas purge_expired [--dry-run]`: retention of closed cases (R-DP-2)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from integritas.cases.retention import purge_expired


class Command(BaseCommand):
    help = (
        "Verwijdert afgesloten meldingen waarvan de bewaartermijn voorbij is en die niet "
        "onder een bewaarplicht (legal hold) vallen; er blijft een telbare grafsteen over."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Toon alleen de zaaknummers en aantallen; verwijder niets.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = purge_expired(dry_run=options["dry_run"])
        for case_number in result.case_numbers:
            self.stdout.write(case_number)
        if result.dry_run:
            self.stdout.write(
                _(
                    "Proefrun: %(count)d melding(en) zouden worden verwijderd, en "
                    "%(orphans)d achtergebleven bestand(en)."
                )
                % {"count": result.count, "orphans": result.orphans_deleted}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "%(count)d melding(en) verwijderd, %(files)d bijlage(n); "
                        "%(orphans)d achtergebleven bestand(en) opgeruimd."
                    )
                    % {
                        "count": result.count,
                        "files": result.attachments_deleted,
                        "orphans": result.orphans_deleted,
                    }
                )
            )
