"""Scale data at national size: registrations and their decisions.

About ENTRIES_PER_EMPLOYEE registrations per employee, written in bulk as the services
would write them: side activities (the designated functions' mostly approved, so the
public register has rows), gifts around the threshold, conflicts of interest and
contract requests; recent ones wait for the manager (the HR manager of the generated
people), older ones are decided. Financial interests are not generated (each needs its
own data key; the demo seed has them). Idempotent: employees with registrations are
skipped. `benchmarks/registers.py` uses `registrations_bulk` too.

Then a counterparty list per organisation (`counterparties_bulk`: half a line per
employee, at most 10,000), written as the import writes it and matched in bulk, so the
signals page and its work list have rows: the generated side activities at
"Woonstichting Rijnland" and the gifts of "Bouwbedrijf De Steen" during its running
tender raise signals; the invented suppliers do not. `benchmarks/signals.py` uses it.
"""

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.organisations.models import Employee
from integritas.registers import services
from integritas.registers.constants import (
    CounterpartyKind,
    GiftDirection,
    GiftKind,
    Kind,
    Measure,
    Route,
    Status,
)
from integritas.registers.counterparty_file import CounterpartyRow
from integritas.registers.models import (
    ConflictOfInterest,
    ContractPermission,
    Counterparty,
    Gift,
    GiftTotal,
    Registration,
    SideActivity,
)

from .domains import DomainPhase
from .organisations import Slot
from .people import People
from .plan import ScaleOptions

BATCH = 2000
ENTRIES_PER_EMPLOYEE = 5

_ACTIVITIES = (
    ("Bestuurslid sportvereniging", "Sportvereniging De Zwaluwen"),
    ("Penningmeester buurtvereniging", "Buurtvereniging Het Plein"),
    ("Docent aan een hogeschool", "Hogeschool Leiden"),
    ("Lid raad van toezicht", "Woonstichting Rijnland"),
    ("Vrijwilliger voedselbank", "Stichting Voedselbank"),
)
_GIVERS = (
    "Bouwbedrijf De Steen",
    "Adviesbureau Waterweg",
    "Drukkerij Rijnland",
    "Ingenieursbureau Delta",
    "Schoonmaakbedrijf Glans",
)
_GIFT_CENTS = (2500, 4999, 5000, 5001, 7500, 12000)


def registrations_bulk(
    organisation_ids: list[int],
    *,
    seed: int,
    per_employee: int = ENTRIES_PER_EMPLOYEE,
    tick: Callable[[int], None] = lambda n: None,
) -> int:
    now = timezone.now()
    written = 0
    for organisation_id in organisation_ids:
        rng = random.Random(f"{seed}:registers:{organisation_id}")  # noqa: S311
        ids = list(
            Employee.objects.filter(organisation_id=organisation_id)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for begin in range(0, len(ids), BATCH):
            chunk = ids[begin : begin + BATCH]
            done = set(
                Registration.objects.filter(employee_id__in=chunk).values_list(
                    "employee_id", flat=True
                )
            )
            employees = (
                Employee.objects.filter(pk__in=[pk for pk in chunk if pk not in done])
                .select_related("function")
                .only("manager_id", "start_date", "function__designated_side_activity_publication")
            )
            registrations: list[Registration] = []
            details: list[tuple[str, dict]] = []  # (kind, fields of its detail row)
            for employee in employees:
                designated = bool(
                    employee.function and employee.function.designated_side_activity_publication
                )
                for number in range(per_employee):
                    kind: str = (
                        Kind.SIDE_ACTIVITY,
                        Kind.GIFT,
                        Kind.GIFT,
                        Kind.SIDE_ACTIVITY,
                        Kind.CONFLICT,
                    )[number % 5]
                    if number % 5 == 4 and rng.random() < 0.3:
                        kind = Kind.CONTRACT
                    age = rng.randrange(1, 900)
                    created = now - datetime.timedelta(days=age, minutes=rng.randrange(1440))
                    route = Route.MANAGER if employee.manager_id else Route.MAYOR
                    pending = age < 30 or rng.random() < 0.05
                    status = Status.PENDING if pending else Status.APPROVED
                    detail: dict = {}
                    title = ""
                    if kind == Kind.SIDE_ACTIVITY:
                        title, client = rng.choice(_ACTIVITIES)
                        if designated and not pending:
                            status = Status.APPROVED
                        detail = {
                            "client_name": client,
                            "paid": rng.random() < 0.3,
                            "hours_per_month": Decimal(rng.randrange(2, 20)),
                            "start_date": (created - datetime.timedelta(days=30)).date(),
                        }
                    elif kind == Kind.GIFT:
                        title = rng.choice(_GIVERS)
                        cents = rng.choice(_GIFT_CENTS)
                        if cents <= 5000:
                            route, status = Route.NONE, Status.NOTED
                        detail = {
                            "gift_kind": GiftKind.GIFT,
                            "direction": GiftDirection.RECEIVED,
                            "giver_name": "Relatiebeheer",
                            "giver_organisation": title,
                            "relation": "leverancier",
                            "value_cents": cents,
                            "threshold_cents": 5000,
                            "given_on": created.date(),
                            "accepted": False,
                            "organisation_id": organisation_id,
                        }
                    elif kind == Kind.CONFLICT:
                        title = f"Dossier {rng.randrange(1000, 9999)}"
                        detail = {
                            "dossier": title,
                            "description": "Familielid betrokken",
                            "measure": Measure.OTHER_HANDLER,
                        }
                    else:
                        title = rng.choice(_GIVERS)
                        detail = {
                            "party_name": title,
                            "description": "Levering",
                            "own_role": "Adviseur",
                        }
                    registrations.append(
                        Registration(
                            organisation_id=organisation_id,
                            employee_id=employee.pk,
                            kind=kind,
                            title=title,
                            status=status,
                            route=route,
                            decider_id=employee.manager_id if route == Route.MANAGER else None,
                            decided_at=None if status == Status.PENDING else created,
                        )
                    )
                    details.append((kind, detail))
            _backdate(registrations, rng, now)
            with transaction.atomic():
                made = _insert_as_given(registrations)
                side, gifts, conflicts, contracts = [], [], [], []
                for registration, (kind, detail) in zip(made, details, strict=True):
                    if kind == Kind.SIDE_ACTIVITY:
                        side.append(SideActivity(registration=registration, **detail))
                    elif kind == Kind.GIFT:
                        gifts.append(Gift(registration=registration, **detail))
                    elif kind == Kind.CONFLICT:
                        conflicts.append(ConflictOfInterest(registration=registration, **detail))
                    else:
                        contracts.append(ContractPermission(registration=registration, **detail))
                SideActivity.objects.bulk_create(side, batch_size=1000)
                Gift.objects.bulk_create(gifts, batch_size=1000)
                totals: dict[tuple[int, str, datetime.date], tuple[int, int]] = {}
                for made_gift in gifts:
                    key = (
                        organisation_id,
                        made_gift.giver_organisation,
                        made_gift.given_on.replace(day=1),
                    )
                    count, cents = totals.get(key, (0, 0))
                    totals[key] = (count + 1, cents + made_gift.value_cents)
                _gift_totals_add(organisation_id, totals)
                ConflictOfInterest.objects.bulk_create(conflicts, batch_size=1000)
                ContractPermission.objects.bulk_create(contracts, batch_size=1000)
            written += len(made)
            tick(len(made))
    return written


def _backdate(made: list[Registration], rng: random.Random, now: datetime.datetime) -> None:
    """Registrations of the past: their created_at from the decided_at (or recent)."""
    for registration in made:
        registration.created_at = registration.decided_at or now - datetime.timedelta(
            days=rng.randrange(1, 30)
        )


def _insert_as_given(registrations: list[Registration]) -> list[Registration]:
    """`bulk_create`, except that created_at is written as set on the rows (a date in the
    past, `_backdate`) instead of the moment of the insert. A raw insert, as `loaddata`
    writes, skips the auto_now(_add) step; updated_at gets the moment of the insert here,
    as bulk_create gives it. (Before, bulk_create and then a bulk_update of created_at
    wrote every row twice: half of the phase's time.)"""
    model = Registration
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    returning = model._meta.db_returning_fields
    now = timezone.now()
    for registration in registrations:
        registration.updated_at = now
    size = max(1, min(1000, connection.ops.bulk_batch_size(fields, registrations)))
    for begin in range(0, len(registrations), size):
        chunk = registrations[begin : begin + size]
        rows = model._default_manager._insert(  # type: ignore[attr-defined]
            chunk, fields=fields, returning_fields=returning, raw=True
        )
        for registration, row in zip(chunk, rows, strict=True):
            for field, value in zip(returning, row, strict=True):
                setattr(registration, field.attname, value)
            registration._state.adding = False
            registration._state.db = connection.alias
    return registrations


def _gift_totals_add(
    organisation_id: int, totals: dict[tuple[int, str, datetime.date], tuple[int, int]]
) -> None:
    """`services.gift_totals_add` for one batch of one organisation, in bulk: one query for
    the totals that exist, an increment for each of those (later batches of an
    organisation), one insert for the rest. Keys are (organisation, giver, first day of
    the month), as the service keys them. The seed is the only writer, so the service's
    guard against a concurrent insert is not needed."""
    if not totals:
        return
    existing = {
        (organisation_id, giver, month): pk
        for pk, giver, month in GiftTotal.objects.filter(
            organisation_id=organisation_id,
            giver_organisation__in={key[1] for key in totals},
            month__in={key[2] for key in totals},
        ).values_list("pk", "giver_organisation", "month")
    }
    new = []
    for key, (count, cents) in sorted(totals.items()):
        if key in existing:
            GiftTotal.objects.filter(pk=existing[key]).update(
                count=F("count") + count, value_cents=F("value_cents") + cents
            )
        else:
            new.append(
                GiftTotal(
                    organisation_id=key[0],
                    giver_organisation=key[1],
                    month=key[2],
                    count=count,
                    value_cents=cents,
                )
            )
    GiftTotal.objects.bulk_create(new, batch_size=1000)


def _run(
    slots: list[Slot], people: People, options: ScaleOptions, tick: Callable[[int], None]
) -> int:
    return registrations_bulk(
        [slot.organisation.pk for slot in slots], seed=options.seed, tick=tick
    )


# --------------------------------------------------------------------------- counterparties

COUNTERPARTIES_MAX = 10_000
COUNTERPARTIES_MIN = 50
_TRADES = (
    "Bouwbedrijf",
    "Adviesbureau",
    "Installatietechniek",
    "Groenvoorziening",
    "ICT-diensten",
    "Schilderwerken",
    "Transport",
    "Catering",
    "Wegenbouw",
    "Stichting Welzijn",
)
_PLACES = ("Noord", "Zuid", "Oost", "West", "Midden", "Rijnland", "Delta", "Kust", "Veen")
_FORMS = ("B.V.", "N.V.", "V.O.F.", "", "")


def counterparty_rows(
    count: int, *, seed: object, today: datetime.date | None = None
) -> list[CounterpartyRow]:
    """A list of `count` lines: three that the generated registrations touch, the rest
    invented (each with its own KvK number, a tenth of them running tenders)."""
    today = today or timezone.localdate()
    rng = random.Random(f"{seed}:counterparties")  # noqa: S311
    quarter = datetime.timedelta(days=90)
    rows = [
        CounterpartyRow(
            2, "Woonstichting Rijnland", "", CounterpartyKind.SUBSIDY_RECIPIENT, None, None
        ),
        CounterpartyRow(
            3,
            "Bouwbedrijf De Steen B.V.",
            "24681357",
            CounterpartyKind.TENDER,
            today - quarter,
            today + quarter,
        ),
        CounterpartyRow(4, "Drukkerij Rijnland", "13572468", CounterpartyKind.SUPPLIER, None, None),
    ]
    for number in range(max(0, count - len(rows))):
        name = f"{rng.choice(_TRADES)} {rng.choice(_PLACES)} {number:05d} {rng.choice(_FORMS)}"
        tender = rng.random() < 0.1
        start = today - datetime.timedelta(days=rng.randrange(0, 365)) if tender else None
        rows.append(
            CounterpartyRow(
                len(rows) + 2,
                name.strip(),
                f"{60_000_000 + number:08d}",
                CounterpartyKind.TENDER
                if tender
                else rng.choice((CounterpartyKind.SUPPLIER, CounterpartyKind.SUBSIDY_RECIPIENT)),
                start,
                start + datetime.timedelta(days=rng.randrange(30, 400)) if start else None,
            )
        )
    return rows


def counterparties_bulk(
    organisation_ids: list[int],
    *,
    seed: int,
    size: int | None = None,
    tick: Callable[[int], None] = lambda n: None,
) -> int:
    """A counterparty list per organisation without one (half a line per employee, at
    most COUNTERPARTIES_MAX, unless `size` says), matched in bulk. Returns lines written."""
    written = 0
    have = set(
        Counterparty.objects.filter(organisation_id__in=organisation_ids)
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    for organisation_id in organisation_ids:
        if organisation_id in have:
            continue
        count = size or min(
            COUNTERPARTIES_MAX,
            max(
                COUNTERPARTIES_MIN,
                Employee.objects.filter(organisation_id=organisation_id).count() // 2,
            ),
        )
        rows = counterparty_rows(count, seed=f"{seed}:{organisation_id}")
        services.counterparty_list_replace(organisation_id=organisation_id, rows=rows)
        written += len(rows)
        tick(len(rows))
    return written


def _run_counterparties(
    slots: list[Slot], people: People, options: ScaleOptions, tick: Callable[[int], None]
) -> int:
    return counterparties_bulk(
        [slot.organisation.pk for slot in slots], seed=options.seed, tick=tick
    )


PHASES: tuple[DomainPhase, ...] = (
    DomainPhase(
        key="registers",
        label=_("Registraties"),
        rows=lambda options: options.employees * ENTRIES_PER_EMPLOYEE,
        weight=60.0,
        run=_run,
    ),
    DomainPhase(
        key="counterparties",
        label=_("Leverancierslijsten en signalen"),
        rows=lambda options: options.employees // 2,
        weight=60.0,
        run=_run_counterparties,
    ),
)
