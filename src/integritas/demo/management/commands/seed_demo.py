"""`integritas seed_demo`: the demo of the Leidse regio (idempotent, never in production)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from integritas.demo.seed import DemoNotAllowedError, seed_demo


class Command(BaseCommand):
    help = (
        "Laadt de demo van de Leidse regio: vijf organisaties, afdelingen, functies, "
        "medewerkers, accounts per rol in elke organisatie en meldingen in elke fase. Een "
        "tweede run verandert niets."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--no-reports",
            action="store_true",
            help="Laad alleen organisaties, mensen en accounts, zonder de demomeldingen.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = seed_demo(reports=not options["no_reports"])
        except DemoNotAllowedError as exc:
            raise CommandError(str(exc)) from exc
        if result.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Demogegevens geladen (%(summary)s).") % {"summary": result.summary()}
                )
            )
        else:
            self.stdout.write(_("Demogegevens waren al actueel; er is niets gewijzigd."))
        self.stdout.write(_("De demo-accounts toont u met: integritas demo_logins"))
