"""`integritas verify_receipt_proof FILE`: is this proof of receipt one we signed, unchanged?"""

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.cases.intake.formtoken import proof_public_key, receipt_proof_verify
from integritas.cases.models import Case


class Command(BaseCommand):
    help = (
        "Controleert de handtekening van een ontvangstbewijs van het Meldpunt (het JSON-bestand "
        "dat de melder downloadde). Geeft een foutcode als het bewijs niet van deze server is "
        "of is gewijzigd."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="Het ontvangstbewijs (JSON); '-' leest van stdin.")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
            proof = json.loads(text)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(_("Het bestand is geen leesbaar ontvangstbewijs.")) from exc
        facts = receipt_proof_verify(proof)
        if facts is None:
            raise CommandError(
                _(
                    "ONGELDIG: dit ontvangstbewijs is niet door deze server ondertekend "
                    "of is gewijzigd."
                )
            )
        self.stdout.write(
            _("GELDIG: melding %(number)s bij %(organisation)s, ontvangen op %(received)s.")
            % {
                "number": facts["zaaknummer"],
                "organisation": facts["organisatie"],
                "received": facts["ontvangen_op"],
            }
        )
        self.stdout.write(
            _("Gecontroleerd met de openbare sleutel (Ed25519) %(key)s.")
            % {"key": proof_public_key()}
        )
        case = Case.objects.filter(case_number=facts["zaaknummer"]).first()
        if case is None:
            self.stdout.write(
                _(
                    "De melding staat niet (meer) in het systeem; zij kan volgens de "
                    "bewaartermijn zijn verwijderd."
                )
            )
        elif (
            timezone.localtime(case.received_at).isoformat(timespec="seconds")
            == facts["ontvangen_op"]
        ):
            self.stdout.write(_("De melding staat in het systeem met hetzelfde tijdstip."))
        else:
            self.stdout.write(_("Let op: het tijdstip in het systeem wijkt af van het bewijs."))
