"""Making registrations through the services, as the employee would."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from integritas.registers import services
from integritas.registers.constants import (
    CounterpartyKind,
    GiftDirection,
    GiftKind,
    InterestKind,
    Measure,
)
from integritas.registers.counterparty_file import CounterpartyRow

TODAY = timezone.localdate()


def side_activity(employee: Any, **overrides: Any) -> Any:
    data = {
        "description": "Bestuurslid voetbalvereniging",
        "client_name": "VV Leiderdorp",
        "kvk_number": "12345678",
        "paid": False,
        "hours_per_month": Decimal("8"),
        "start_date": TODAY - datetime.timedelta(days=30),
        "end_date": None,
        "relation_to_work": "",
        "relation_to_parties": "",
        **overrides,
    }
    return services.side_activity_register(actor=employee.user, employee=employee, data=data)


def gift(employee: Any, cents: int, **overrides: Any) -> Any:
    data = {
        "gift_kind": GiftKind.GIFT,
        "invitation_kind": "",
        "direction": GiftDirection.RECEIVED,
        "giver_name": "Jan Leverancier",
        "giver_organisation": "Bouwbedrijf De Steen B.V.",
        "relation": "leverancier",
        "value_cents": cents,
        "given_on": TODAY,
        "accepted": True,
        "description": "",
        **overrides,
    }
    return services.gift_register(actor=employee.user, employee=employee, data=data)


def financial(employee: Any, text: str = "Aandelen Bouwbedrijf De Steen") -> Any:
    return services.financial_interest_register(
        actor=employee.user,
        employee=employee,
        data={
            "interest_kind": InterestKind.HOLDING,
            "company": "Bouwbedrijf De Steen B.V.",
            "kvk_number": "87654321",
            "description": text,
        },
    )


def conflict(employee: Any) -> Any:
    return services.conflict_register(
        actor=employee.user,
        employee=employee,
        data={
            "dossier": "Omgevingsvergunning Dorpsstraat 1",
            "description": "Aanvraag van mijn broer",
            "measure": Measure.OTHER_HANDLER,
            "measure_text": "",
        },
    )


def contract(employee: Any) -> Any:
    return services.contract_register(
        actor=employee.user,
        employee=employee,
        data={
            "party_name": "Adviesbureau Noord",
            "kvk_number": "",
            "description": "Advies over verkeersplan",
            "own_role": "Eigenaar van het bureau",
        },
    )


def supplier_list(org: Any, *rows: tuple[str, str]) -> None:
    """The integrity officer imports a supplier list of (name, KvK number) rows."""
    services.counterparties_import(
        actor=org.officer,
        organisation=org.organisation,
        rows=[
            CounterpartyRow(2, name, kvk, CounterpartyKind.SUPPLIER, None, None)
            for name, kvk in rows
        ],
    )
