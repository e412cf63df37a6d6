"""Scale data at national size: the counsellors' name-free log.

Half an entry per employee (100,000 for 200,000 employees), split over the organisations
in proportion to their size and written by their vertrouwenspersonen (the organisations'
own assignments), spread over the last `years` years with this year's up to today.
Every counsellor's log gets its own data key (counsel.vault) and a third of the entries
a short note, sealed exactly as `counsel.services.entry_create` seals it; rows go in
with bulk_create, and the counts the figures read (ConsultationCount) grow with them in
the same transaction. Idempotent: an organisation whose counsellors already logged is
skipped.
"""

import datetime
import random
import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import RoleAssignment
from integritas.counsel import vault
from integritas.counsel.constants import Channel, FollowUp, Theme
from integritas.counsel.models import ConsultationEntry, CounsellorLog
from integritas.counsel.services import counts_add, quarter_of, retention_date

from . import plan
from .domains import DomainPhase
from .organisations import Slot
from .people import People
from .plan import ScaleOptions

BATCH = 5000
#: Log entries per employee.
ENTRIES_PER_EMPLOYEE = 0.5
# Themes weighted as a counsellor meets them: integrity and bullying most.
_THEMES = (
    [Theme.INTEGRITY] * 5
    + [Theme.BULLYING] * 4
    + [Theme.OTHER] * 3
    + [Theme.AGGRESSION] * 2
    + [Theme.SEXUAL_INTIMIDATION, Theme.DISCRIMINATION]
)
_NOTES = (
    "Advies over de regeling geschenken.",
    "Spanning in het team; gesprek met leidinggevende besproken.",
    "Nazorg na een incident aan de balie.",
    "Uitleg over het Meldpunt en de stappen.",
)


def entries_bulk(
    counsellors: dict[int, list[int]],
    shares: dict[int, int],
    *,
    years: int,
    seed: int,
    tick: Callable[[int], None] = lambda n: None,
) -> int:
    """`shares[org]` entries for each organisation, written by its `counsellors[org]`
    (user ids) over the last `years` years (also used by benchmarks/counsel.py)."""
    today = timezone.localdate()
    first = datetime.date(today.year - years + 1, 1, 1)
    span = (today - first).days + 1
    written = 0
    for org_id, share in shares.items():
        writers = counsellors.get(org_id) or []
        if (
            not share
            or not writers
            or ConsultationEntry.objects.filter(organisation_id=org_id).exists()
        ):
            continue
        rng = random.Random(f"{seed}:counsel:{org_id}")  # noqa: S311 (not for security)
        logs = []
        with transaction.atomic():
            for user_id in writers:
                log = CounsellorLog.objects.filter(
                    counsellor_id=user_id, organisation_id=org_id
                ).first()
                if log is None:
                    log = CounsellorLog(counsellor_id=user_id, organisation_id=org_id)
                    vault.log_new_key(log)
                    log.save()
                logs.append(log)
        batch: list[ConsultationEntry] = []
        counts: dict[tuple[int, int, int, str], int] = {}
        for number in range(share):
            log = logs[number % len(logs)]
            day = first + datetime.timedelta(days=rng.randrange(span))
            entry = ConsultationEntry(
                log=log,
                counsellor_id=log.counsellor_id,
                organisation_id=org_id,
                token=uuid.UUID(int=rng.getrandbits(128), version=4),
                consulted_on=day,
                theme=rng.choice(_THEMES),
                channel=rng.choice(Channel.values),
                follow_ups=sorted({FollowUp.LISTENED, rng.choice(FollowUp.values)}),
                retain_until=retention_date(day),
            )
            note = rng.choice(_NOTES) if rng.random() < 1 / 3 else ""
            entry.note_enc = vault.seal_note(log, entry, note)
            batch.append(entry)
            key = (org_id, day.year, quarter_of(day), entry.theme)
            counts[key] = counts.get(key, 0) + 1
            if len(batch) >= BATCH:
                written += _flush(batch, counts, tick)
        written += _flush(batch, counts, tick)
    return written


def _flush(
    batch: list[ConsultationEntry],
    counts: dict[tuple[int, int, int, str], int],
    tick: Callable[[int], None],
) -> int:
    """Write the entries and add them to the counts, in one transaction."""
    if not batch:
        return 0
    with transaction.atomic():
        ConsultationEntry.objects.bulk_create(batch, batch_size=1000)
        counts_add(counts)
    count = len(batch)
    batch.clear()
    counts.clear()
    tick(count)
    return count


def _run(
    slots: list[Slot], people: People, options: ScaleOptions, tick: Callable[[int], None]
) -> int:
    total = int(options.employees * ENTRIES_PER_EMPLOYEE)
    sizes = plan.proportional(total, [slot.size for slot in slots])
    shares = {slot.organisation.pk: share for slot, share in zip(slots, sizes, strict=True)}
    counsellors: dict[int, list[int]] = {}
    assignments = RoleAssignment.objects.filter(
        role=Role.CONFIDENTIAL_COUNSELLOR,
        status=AssignmentStatus.ACTIVE,
        organisation_id__in=list(shares),
    ).order_by("organisation_id", "user_id")
    for org_id, user_id in assignments.values_list("organisation_id", "user_id"):
        counsellors.setdefault(org_id, []).append(user_id)
    return entries_bulk(counsellors, shares, years=options.years, seed=options.seed, tick=tick)


PHASES: tuple[DomainPhase, ...] = (
    DomainPhase(
        key="counsel_log",
        label=_("Logboek vertrouwenspersonen"),
        rows=lambda options: int(options.employees * ENTRIES_PER_EMPLOYEE),
        weight=40.0,
        run=_run,
    ),
)
