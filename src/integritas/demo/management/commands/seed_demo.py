"""`integritas seed_demo`: the demo of the Leidse regio (idempotent, never in production)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from integritas.demo.seed import DemoNotAllowedError, seed_demo


class Command(BaseCommand):
    help = (
        "Laadt de demo van de Leidse regio: vijf organisaties, afdelingen, functies, "
        "medewerkers en één account per rol. Een tweede run verandert niets."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = seed_demo()
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
