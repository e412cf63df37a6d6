"""Cases written in bulk, encrypted as the intake encrypts them.

Each case gets its own data key, wrapped by the master key, and its description, details
and reporter identity sealed under it with the same associated data as `intake_submit`
uses, so the case pages decrypt them as they decrypt a real report. Receipt hashes are
the cheap keyed variant (`crypto.receipt_lookup_hash(cheap=True)`): nobody opens these
cases by receipt code, and Argon2 for 150,000 cases would take hours. The status and its
dates are consistent with the workflow (a closed case has its feedback date ...); the
status history (CaseStatusChange) is not generated.

`benchmarks/cases.py` uses `new_case` and `write_cases` too.
"""

import bisect
import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from integritas.cases import vault
from integritas.cases.constants import (
    CLOSED_STATUSES,
    Category,
    Channel,
    Finding,
    IdentityMode,
    Kind,
    Measure,
    ReporterRelation,
    Status,
)
from integritas.cases.models import Case, ReporterIdentity
from integritas.core import crypto
from integritas.demo import data
from integritas.organisations.models import Organisation

from . import plan
from .organisations import Slot

BATCH = 2000
DAY = datetime.timedelta(days=1)

_SUBJECTS = (
    "een declaratie die niet klopt",
    "een geschenk van een leverancier",
    "vertrouwelijke informatie die buiten de organisatie kwam",
    "een aanbesteding waarbij een familielid betrokken is",
    "pestgedrag binnen het team",
    "gebruik van een dienstauto voor privéritten",
    "een nevenfunctie die niet gemeld is",
    "een vergunning die zonder toets is verleend",
)
_PLACES = ("het stadskantoor", "de buitendienst", "de balie", "een overleg", "de werkplaats")

# Status mix by the age of a case: young cases are still open, old ones mostly closed.
_STATUS_BY_AGE: tuple[tuple[int, tuple[tuple[Status, int], ...]], ...] = (
    (7, ((Status.RECEIVED, 60), (Status.TRIAGE, 40))),
    (
        90,
        (
            (Status.RECEIVED, 5),
            (Status.TRIAGE, 45),
            (Status.AWAITING_APPROVAL, 10),
            (Status.INVESTIGATION, 15),
            (Status.REFERRED, 5),
            (Status.CLOSED_WITHOUT_INVESTIGATION, 20),
        ),
    ),
    (
        365,
        (
            (Status.TRIAGE, 5),
            (Status.INVESTIGATION, 15),
            (Status.REPORTED_TO_SECRETARY, 5),
            (Status.DECIDED, 10),
            (Status.REFERRED, 5),
            (Status.CLOSED_WITHOUT_INVESTIGATION, 30),
            (Status.CLOSED, 30),
        ),
    ),
    (
        10**6,
        (
            (Status.DECIDED, 2),
            (Status.REFERRED, 5),
            (Status.CLOSED_WITHOUT_INVESTIGATION, 40),
            (Status.CLOSED, 53),
        ),
    ),
)
_INVESTIGATED = frozenset(
    {Status.INVESTIGATION, Status.REPORTED_TO_SECRETARY, Status.DECIDED, Status.CLOSED}
)
_FEEDBACK = frozenset({*CLOSED_STATUSES, Status.DECIDED, Status.REFERRED})


def status_for_age(rng: random.Random, days: float) -> Status:
    for limit, mix in _STATUS_BY_AGE:
        if days < limit:
            statuses, weights = zip(*mix, strict=True)
            return rng.choices(statuses, weights=weights)[0]
    raise AssertionError("unreachable")


def description(rng: random.Random, number: int) -> str:
    """An invented report: recognisably generated, never about a real person."""
    return (
        f"Gegenereerde melding {number}. Ik wil melding maken van {rng.choice(_SUBJECTS)} "
        f"bij {rng.choice(_PLACES)}. " + "Dit is voorbeeldtekst voor een schaaltest. " * 6
    )


def new_case(
    *,
    organisation: Organisation,
    year: int,
    sequence: int,
    received_at: datetime.datetime,
    status: str,
    rng: random.Random,
    now: datetime.datetime,
    text: str,
) -> Case:
    """An unsaved case with its data key and sealed content; dates follow the status."""

    def later(start: datetime.datetime, low: float, high: float) -> datetime.datetime:
        return min(now, start + DAY * rng.uniform(low, high))

    acknowledged = later(received_at, 0.1, 5) if status != Status.RECEIVED else None
    feedback = later(received_at, 20, 90) if status in _FEEDBACK else None
    closed = later(feedback, 0, 10) if status in CLOSED_STATUSES and feedback else None
    decided = status in (Status.DECIDED, Status.CLOSED)
    identity_mode = rng.choice(list(IdentityMode))
    if identity_mode == IdentityMode.ANONYMOUS and not organisation.anonymous_reporting_enabled:
        identity_mode = IdentityMode.CONFIDENTIAL
    case = Case(
        organisation=organisation,
        year=year,
        sequence=sequence,
        case_number=f"{organisation.case_prefix}-{year}-{sequence:04d}",
        kind=rng.choice(list(Kind)),
        category=rng.choice(list(Category)),
        identity_mode=identity_mode,
        reporter_relation=rng.choice(list(ReporterRelation)),
        channel=rng.choices(list(Channel), weights=(70, 5, 10, 5, 5, 5))[0],
        status=status,
        received_at=received_at,
        acknowledged_at=acknowledged,
        feedback_given_at=feedback,
        closed_at=closed,
        investigation_decided_at=later(received_at, 10, 30) if status in _INVESTIGATED else None,
        finding=rng.choice(list(Finding)) if decided else "",
        measures=[rng.choice(list(Measure))] if decided else [],
        decided_at=later(received_at, 60, 120) if decided else None,
        receipt_lookup=crypto.receipt_lookup_hash(
            f"{organisation.case_prefix}-{year}-{sequence}", cheap=True
        ),
    )
    vault.case_new_key(case)
    case.description_enc = vault.seal(case, "description", text)
    case.details_enc = vault.seal_json(
        case, "details", {"when": f"{received_at:%B %Y}", "where": rng.choice(_PLACES)}
    )
    return case


def write_cases(cases: list[Case], rng: random.Random) -> list[Case]:
    """Insert the cases and each one's sealed reporter identity (empty when anonymous)."""
    created = Case.objects.bulk_create(cases, batch_size=BATCH)
    identities = []
    for case in created:
        named = case.identity_mode != IdentityMode.ANONYMOUS
        person = f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}"
        identities.append(
            ReporterIdentity(
                case=case,
                identity_enc=vault.seal_json(
                    case,
                    "identity",
                    {"name": person, "email": f"melder{case.pk}@melder.example"} if named else {},
                ),
                notify_email_enc=b"",
                consent_investigators=named and rng.random() < 0.5,
                consent_secretary=named and rng.random() < 0.3,
            )
        )
    ReporterIdentity.objects.bulk_create(identities, batch_size=BATCH)
    return created


@dataclass
class CaseIndex:
    """Per organisation the cases as (received_at, pk), in time order: the audit phase
    reads only cases that existed at the moment of an event."""

    times: dict[int, list[datetime.datetime]] = field(default_factory=dict)
    pks: dict[int, list[int]] = field(default_factory=dict)
    count: int = 0

    def add(self, case: Case) -> None:
        self.times.setdefault(case.organisation_id, []).append(case.received_at)
        self.pks.setdefault(case.organisation_id, []).append(case.pk)
        self.count += 1

    def before(self, organisation: int, moment: datetime.datetime) -> int:
        """How many of the organisation's cases were received before `moment` (the
        first that many of `pks[organisation]`)."""
        return bisect.bisect_left(self.times.get(organisation, []), moment)


def cases(
    slots: list[Slot],
    *,
    per_year: int,
    years: int,
    seed: int,
    tick: Callable[[int], None],
) -> CaseIndex:
    """`per_year` cases in each of the last `years` years (this one up to now), split
    over the organisations in proportion to their size."""
    rng = random.Random(f"{seed}:cases")  # noqa: S311 (not for security)
    now = timezone.now()
    index = CaseIndex()
    shares = plan.proportional(per_year, [slot.size for slot in slots])
    first_year = now.year - years + 1
    number = 0
    for slot, share in zip(slots, shares, strict=True):
        org = slot.organisation
        taken = dict(
            Case.objects.filter(organisation=org)
            .values_list("year")
            .annotate(last=Max("sequence"))
            .values_list("year", "last")
        )
        batch: list[Case] = []
        for year in range(first_year, now.year + 1):
            start = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
            end = min(now, datetime.datetime(year + 1, 1, 1, tzinfo=datetime.UTC))
            span = (end - start).total_seconds()
            moments = sorted(
                start + datetime.timedelta(seconds=rng.random() * span) for _ in range(share)
            )
            for sequence, received in enumerate(moments, start=taken.get(year, 0) + 1):
                number += 1
                age = (now - received).total_seconds() / 86400
                batch.append(
                    new_case(
                        organisation=org,
                        year=year,
                        sequence=sequence,
                        received_at=received,
                        status=status_for_age(rng, age),
                        rng=rng,
                        now=now,
                        text=description(rng, number),
                    )
                )
                if len(batch) >= BATCH:
                    _flush(batch, rng, index, tick)
        _flush(batch, rng, index, tick)
    return index


def _flush(
    batch: list[Case], rng: random.Random, index: CaseIndex, tick: Callable[[int], None]
) -> None:
    if not batch:
        return
    with transaction.atomic():
        for case in write_cases(batch, rng):
            index.add(case)
    tick(len(batch))
    batch.clear()
