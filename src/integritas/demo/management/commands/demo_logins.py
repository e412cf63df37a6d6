"""`integritas demo_logins`: the demo accounts as a table: role, organisation or region,
e-mail address, password and second factor (secret and the code valid now).

Prints secrets on purpose: these are the documented demo accounts, and the command
refuses to run where demo data is not allowed (production).
"""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from integritas.demo import data
from integritas.demo.logins import demo_logins, seconds_left
from integritas.demo.seed import demo_allowed


class Command(BaseCommand):
    help = (
        "Toont de demo-accounts: rol, organisatie of regio, e-mailadres, wachtwoord en de "
        "tweede factor."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--recovery-codes",
            action="store_true",
            help="Toon ook de ongebruikte herstelcodes van elk account.",
        )
        parser.add_argument(
            "--organisation",
            default="",
            metavar="SLUG",
            help=(
                "Alleen de accounts van deze organisatie (bijv. leiden), met de regionale "
                "rollen erbij."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not demo_allowed():
            raise CommandError(
                _(
                    "Demo-accounts zijn in deze omgeving niet toegestaan "
                    "(INTEGRITAS_DEMO_ALLOWED staat uit, zoals in productie)."
                )
            )
        now = time.time()
        slugs = [spec.slug for spec in data.ORGANISATIONS]
        if options["organisation"] and options["organisation"] not in slugs:
            raise CommandError(
                _("Onbekende organisatie; kies uit: %(slugs)s") % {"slugs": ", ".join(slugs)}
            )
        logins = demo_logins(at=now, organisation=options["organisation"])
        if not any(login.exists for login in logins):
            raise CommandError(
                _("Er zijn nog geen demo-accounts. Voer eerst uit: integritas seed_demo")
            )
        headers = (
            _("Rol"),
            _("Organisatie of regio"),
            _("E-mailadres"),
            _("Wachtwoord"),
            _("TOTP-geheim"),
            _("Code nu"),
        )
        rows = []
        for login in logins:
            who = (login.label, login.scope_name, login.email)
            if not login.exists:
                rows.append((*who, _("(ontbreekt: voer seed_demo uit)"), "", ""))
            elif login.totp_secret:
                rows.append((*who, login.password, login.totp_secret, login.current_code))
            else:
                rows.append((*who, login.password, _("niet nodig"), "-"))
        widths = [max(len(str(row[i])) for row in (headers, *rows)) for i in range(len(headers))]

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

        write = self.stdout.write
        write(_("Demo-accounts van de Leidse regio (alleen voor demonstratie)"))
        write("")
        write(line(headers))
        write(line(tuple("-" * w for w in widths)))
        for row in rows:
            write(line(row))
        write("")
        write(
            _(
                "Tweede factor: voeg het TOTP-geheim toe aan een authenticator-app, of typ de "
                "code uit de kolom 'Code nu'; die is nog %(seconds)d seconden geldig."
            )
            % {"seconds": seconds_left(now)}
        )
        write(_("Verse codes: integritas demo_logins"))
        if options["recovery_codes"]:
            write("")
            write(_("Ongebruikte herstelcodes (elke code werkt één keer):"))
            for login in logins:
                if login.recovery_codes:
                    write(f"  {login.email}: {' '.join(login.recovery_codes)}")
        else:
            write(_("Herstelcodes: integritas demo_logins --recovery-codes"))
