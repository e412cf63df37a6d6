"""Demo data: registrations and decisions in every organisation, through the services.

Per organisation: published side activities of the gemeentesecretaris (decided by the
burgemeester) and of a director (decided by the secretary); side activities of an ordinary
employee that are never published; gifts just under, at and over the threshold; an
invitation, a conflict of interest and a contract request waiting for the manager; a
financial interest waiting for the integrity officer; a list of suppliers, subsidy
recipients and running tenders that the integrity officer imported, which raises a few
conflict signals (the director's supervisory board seat, the secretary's foundation, a
gift from a party in a running tender, the secretary's financial interest). Idempotent:
what exists is kept.
"""

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from integritas.accounts.models import User
from integritas.organisations.models import Organisation
from integritas.registers import services
from integritas.registers.constants import (
    CounterpartyKind,
    GiftDirection,
    GiftKind,
    InterestKind,
    Kind,
    Measure,
    Outcome,
    Status,
)
from integritas.registers.counterparty_file import CounterpartyRow
from integritas.registers.models import Counterparty, Registration

from . import data

_D = datetime.date


def _key(persona: str, slug: str) -> str:
    return persona if slug == data.DEMO_ORGANISATION else f"{persona}:{slug}"


def _side(description: str, client: str, *, paid: bool, hours: str, start: datetime.date) -> dict:
    return {
        "description": description,
        "client_name": client,
        "kvk_number": "",
        "paid": paid,
        "hours_per_month": Decimal(hours),
        "start_date": start,
        "end_date": None,
        "relation_to_work": "",
        "relation_to_parties": "",
    }


def _gift(kind: str, giver: str, cents: int, day: datetime.date, invitation: str = "") -> dict:
    return {
        "gift_kind": kind,
        "invitation_kind": invitation,
        "direction": GiftDirection.RECEIVED,
        "giver_name": "Relatiebeheer",
        "giver_organisation": giver,
        "relation": "leverancier",
        "value_cents": cents,
        "given_on": day,
        "accepted": False,
        "description": "",
    }


def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    """Make what is missing; return the number of rows made per label."""
    made: Counter[str] = Counter()
    label = str(_("registraties"))
    decided = str(_("besluiten over registraties"))

    # What exists already, in one query: a second run reads and writes little more.
    existing_rows = {
        (r.employee_id, r.kind, r.title): r
        for r in Registration.objects.filter(organisation__in=list(orgs.values()))
    }

    def register(user: User | None, kind: str, title: str, service: Any, payload: dict) -> Any:
        if user is None or getattr(user, "employee", None) is None:
            return None
        employee = user.employee
        existing = existing_rows.get((employee.pk, kind, title))
        if existing is not None:
            return existing
        made[label] += 1
        return service(actor=user, employee=employee, data=payload)

    def decide(user: User | None, registration: Any, outcome: str, conditions: str = "") -> None:
        if user is None or registration is None or registration.status != Status.PENDING:
            return
        if not user.has_perm("registers.decide", registration):
            return
        services.registration_decide(
            actor=user,
            registration=registration,
            outcome=outcome,
            criteria=["employer_interest", "reputation"],
            reasons=str(_("Geen strijd met de belangen van de organisatie.")),
            conditions=conditions,
        )
        made[decided] += 1

    for slug, organisation in orgs.items():
        secretary = users.get(_key("secretary", slug))
        director = users.get(
            "management_board" if slug == data.DEMO_ORGANISATION else f"substitute:{slug}"
        )
        manager = users.get(_key("manager", slug))
        employee = users.get(_key("employee", slug))
        mayor = users.get(_key("mayor", slug))
        # The municipality's name; the shared service centre's foundation is regional.
        place = (
            organisation.name.removeprefix("Gemeente ")
            if organisation.name.startswith("Gemeente ")
            else "Leidse Regio"
        )

        # Published: the secretary's and a director's approved side activities (R-AW-7).
        chair = register(
            secretary,
            Kind.SIDE_ACTIVITY,
            f"Voorzitter Stichting Historisch Erfgoed {place}",
            services.side_activity_register,
            _side(
                f"Voorzitter Stichting Historisch Erfgoed {place}",
                f"Stichting Historisch Erfgoed {place}",
                paid=False,
                hours="6",
                start=_D(2021, 1, 1),
            ),
        )
        decide(
            mayor,
            chair,
            Outcome.CONDITIONAL,
            "Onbezoldigd; geen subsidiedossiers van de stichting.",
        )
        board = register(
            director,
            Kind.SIDE_ACTIVITY,
            "Lid raad van toezicht woningcorporatie",
            services.side_activity_register,
            _side(
                "Lid raad van toezicht woningcorporatie",
                "Woonstichting Rijnland",
                paid=True,
                hours="8",
                start=_D(2022, 7, 1),
            ),
        )
        decide(secretary, board, Outcome.APPROVED)
        # Never published: an ordinary employee's side activity, approved or pending.
        coach = register(
            employee,
            Kind.SIDE_ACTIVITY,
            "Trainer jeugdvoetbal",
            services.side_activity_register,
            _side(
                "Trainer jeugdvoetbal",
                "Voetbalvereniging Rijnvogels",
                paid=False,
                hours="10",
                start=_D(2020, 9, 1),
            ),
        )
        decide(manager, coach, Outcome.APPROVED)
        register(
            employee,
            Kind.SIDE_ACTIVITY,
            "Administratie voor een fietsenwinkel",
            services.side_activity_register,
            _side(
                "Administratie voor een fietsenwinkel",
                "Rijwielhandel Van Leeuwen",
                paid=True,
                hours="12",
                start=_D(2026, 12, 1),
            ),
        )
        # Gifts around the threshold (R-GC-1) and an invitation (R-GC-2).
        for cents, giver in (
            (4995, "Drukkerij Rijnland"),
            (5000, "Adviesbureau Waterweg"),
            (7500, "Bouwbedrijf De Steen"),
        ):
            register(
                employee,
                Kind.GIFT,
                giver,
                services.gift_register,
                _gift(GiftKind.GIFT, giver, cents, _D(2026, 10, 15)),
            )
        register(
            employee,
            Kind.GIFT,
            "Ingenieursbureau Delta",
            services.gift_register,
            _gift(GiftKind.INVITATION, "Ingenieursbureau Delta", 9500, _D(2026, 11, 20), "dinner"),
        )
        register(
            employee,
            Kind.CONFLICT,
            "Omgevingsvergunning Dorpsstraat 12",
            services.conflict_register,
            {
                "dossier": "Omgevingsvergunning Dorpsstraat 12",
                "description": "De aanvrager is mijn zwager.",
                "measure": Measure.OTHER_HANDLER,
                "measure_text": "",
            },
        )
        register(
            manager,
            Kind.CONTRACT,
            "Opleidingsbureau Leerkracht",
            services.contract_register,
            {
                "party_name": "Opleidingsbureau Leerkracht",
                "kvk_number": "",
                "description": "Gastlessen in een leergang voor de gemeente",
                "own_role": "Docent via het bureau",
            },
        )
        # A financial interest waiting for the integrity officer (R-AW-8).
        if (
            secretary is not None
            and (secretary.employee.pk, Kind.FINANCIAL_INTEREST, "") not in existing_rows
        ):
            services.financial_interest_register(
                actor=secretary,
                employee=secretary.employee,
                data={
                    "interest_kind": InterestKind.HOLDING,
                    "company": "Beleggingsfonds Duurzaam Vastgoed",
                    "kvk_number": "",
                    "description": "Participaties sinds 2019",
                },
            )
            made[label] += 1
        # The integrity officer's list of counterparties: a few registrations touch it.
        officer = users.get(_key("integrity_officer", slug))
        if (
            officer is not None
            and not Counterparty.objects.filter(organisation=organisation).exists()
        ):
            rows = _counterparties(place)
            services.counterparties_import(actor=officer, organisation=organisation, rows=rows)
            made[str(_("partijen op de leverancierslijst"))] += len(rows)
    return dict(made)


def _counterparties(place: str) -> list[CounterpartyRow]:
    """The organisation's list: four lines that raise a signal, three that do not."""
    supplier, subsidy, tender = (
        CounterpartyKind.SUPPLIER,
        CounterpartyKind.SUBSIDY_RECIPIENT,
        CounterpartyKind.TENDER,
    )
    lines = (
        # The director's supervisory board seat (by name: "Woonstichting Rijnland").
        ("Woonstichting Rijnland", "", subsidy, None, None),
        # The secretary's foundation, a subsidy recipient (by name, legal form dropped).
        (f"Historisch Erfgoed {place}, Stichting", "", subsidy, None, None),
        # A gift of 15 October 2026 falls within this running tender.
        ("Bouwbedrijf De Steen B.V.", "24681357", tender, _D(2026, 9, 1), _D(2027, 3, 31)),
        # The secretary's financial interest (sealed; matched in memory only).
        ("Beleggingsfonds Duurzaam Vastgoed N.V.", "", supplier, None, None),
        # No signal: a supplier without a tender (a gift from it is only registered) …
        ("Drukkerij Rijnland", "13572468", supplier, None, None),
        # … a tender that ended before the invitation …
        ("Ingenieursbureau Delta", "", tender, _D(2026, 1, 1), _D(2026, 6, 30)),
        # … and a party nobody works for.
        ("Schoonmaakbedrijf Glans V.O.F.", "98765432", supplier, None, None),
    )
    return [
        CounterpartyRow(line, name, kvk, kind, start, end)
        for line, (name, kvk, kind, start, end) in enumerate(lines, 2)
    ]
