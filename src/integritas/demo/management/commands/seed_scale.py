"""`integritas seed_scale`: a national installation for measurements (never in production).

Fast bulk paths that still make valid data: encrypted cases, audit chains that verify,
organisation trees with managers. See docs/performance.md.
"""

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from integritas.demo.scale.plan import ScaleOptions
from integritas.demo.scale.run import DemoNotAllowedError, ScaleRefusedError, seed_scale

DEFAULTS = ScaleOptions()


class Command(BaseCommand):
    help = (
        "Genereert een landelijke installatie voor metingen: organisaties, afdelingen, "
        "medewerkers, accounts, rollen, versleutelde meldingen en een auditlog waarvan de "
        "ketens kloppen. Alleen op een lege database of een database met alleen de demo."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--organisations", type=int, default=DEFAULTS.organisations)
        parser.add_argument("--employees", type=int, default=DEFAULTS.employees)
        parser.add_argument("--cases-per-year", type=int, default=DEFAULTS.cases_per_year)
        parser.add_argument("--years", type=int, default=DEFAULTS.years)
        parser.add_argument("--audit-events", type=int, default=DEFAULTS.audit_events)
        parser.add_argument(
            "--seed", type=int, default=DEFAULTS.seed, help="Startwaarde van het toeval."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Geen voortgang op stderr tonen."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = ScaleOptions(
            organisations=options["organisations"],
            employees=options["employees"],
            cases_per_year=options["cases_per_year"],
            years=options["years"],
            audit_events=options["audit_events"],
            seed=options["seed"],
        )
        write = None if options["no_progress"] else self._progress
        try:
            result = seed_scale(scale, write=write)
        except (DemoNotAllowedError, ScaleRefusedError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Schaalgegevens gemaakt in %(seconds)d s: %(organisations)d organisaties, "
                    "%(employees)d medewerkers, %(accounts)d accounts, %(assignments)d "
                    "roltoewijzingen, %(cases)d meldingen, %(events)d auditgebeurtenissen."
                )
                % {
                    "seconds": result.seconds,
                    "organisations": result.organisations,
                    "employees": result.employees,
                    "accounts": result.accounts,
                    "assignments": result.assignments,
                    "cases": result.cases,
                    "events": result.events,
                }
            )
        )
        self.stdout.write(_("Controleer het auditlog met: integritas audit_verify"))

    def _progress(self, line: str) -> None:
        self.stderr.write(line)
        sys.stderr.flush()
