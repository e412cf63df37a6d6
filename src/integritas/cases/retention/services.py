"""Retention (R-DP-2): how long a closed case is kept, the legal hold, and the purge.

A closed case gets `retain_until` when it closes (retention_until below: 10 years with
a disciplinary measure, otherwise 5, both configurable). Once that date has passed and no
legal hold is set, `integritas purge_expired` deletes the case with everything that hangs
off it (identity vault, involved persons, messages, notes, referrals, protection log,
attachments and their stored blobs) and leaves a CaseTombstone with only what the annual
report counts. Every purge is one transaction and one audit event ("case.purge").
"""

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.cases.access import case_access
from integritas.cases.attachments.storage import STORAGE_PREFIX
from integritas.cases.clock.deadlines import acknowledgement_due, feedback_due, was_on_time
from integritas.cases.constants import CLOSED_STATUSES
from integritas.cases.intake.services import intake_receipts_expire
from integritas.cases.models import Attachment, Case, CaseTombstone
from integritas.cases.writes import lock, require

logger = logging.getLogger(__name__)


def retention_years(case: Case) -> int:
    """R-DP-2: configurable per outcome and type of case (see conf/base.py).

    A disciplinary measure keeps the case WITH_MEASURE years (10 by default), whatever
    else is set. Otherwise the period for the finding (`none`: closed without an
    investigation) applies, then the one for the kind, then WITHOUT_MEASURE (5)."""
    if any(m not in ("none", "") for m in case.measures):
        return int(settings.INTEGRITAS_RETENTION_YEARS_WITH_MEASURE)
    by_finding = settings.INTEGRITAS_RETENTION_YEARS_BY_FINDING
    by_kind = settings.INTEGRITAS_RETENTION_YEARS_BY_KIND
    finding = case.finding or "none"
    if finding in by_finding:
        return int(by_finding[finding])
    if case.kind in by_kind:
        return int(by_kind[case.kind])
    return int(settings.INTEGRITAS_RETENTION_YEARS_WITHOUT_MEASURE)


def retention_until(case: Case, closed_on: datetime.date) -> datetime.date:
    """The date after which `integritas purge_expired` may delete the closed case."""
    years = retention_years(case)
    try:
        return closed_on.replace(year=closed_on.year + years)
    except ValueError:  # 29 February
        return closed_on.replace(year=closed_on.year + years, day=28)


def case_set_legal_hold(*, actor: Any, case: Case, on: bool) -> Case:
    """R-DP-2: a legal hold keeps a case from `integritas purge_expired`; the coordinator's."""
    with transaction.atomic():
        locked = lock(case)
        require(case_access(actor, locked).as_coordinator)
        if locked.legal_hold != on:
            locked.legal_hold = on
            locked.save(update_fields=["legal_hold", "updated_at"])
            audit_record(
                action="case.legal_hold_set" if on else "case.legal_hold_lifted",
                actor=actor,
                actor_role=Role.INTEGRITY_COORDINATOR,
                obj=locked,
                organisation=locked.organisation,
            )
    return locked


@dataclass
class PurgeResult:
    case_numbers: list[str] = field(default_factory=list)
    attachments_deleted: int = 0
    orphans_deleted: int = 0
    dry_run: bool = False

    @property
    def count(self) -> int:
        return len(self.case_numbers)


def cases_expired(today: datetime.date | None = None) -> QuerySet[Case]:
    """Closed cases past `retain_until` and not under a legal hold."""
    today = today or timezone.localdate()
    return (
        Case.objects.filter(
            status__in=CLOSED_STATUSES,
            retain_until__isnull=False,
            retain_until__lt=today,
            legal_hold=False,
        )
        .select_related("organisation")
        .order_by("retain_until", "pk")
    )


def tombstone_for(case: Case, purged_at: datetime.datetime) -> CaseTombstone:
    """Only what the annual report counts; nothing that could identify anyone."""
    acknowledged_on_time = (
        was_on_time(acknowledgement_due(case.received_at), case.acknowledged_at)
        if case.acknowledged_at is not None
        else False
    )
    feedback_on_time = (
        was_on_time(feedback_due(case.received_at, case.acknowledged_at), case.feedback_given_at)
        if case.feedback_given_at is not None
        else None
    )
    return CaseTombstone(
        organisation_id=case.organisation_id,
        year=case.year,
        kind=case.kind,
        category=case.category,
        channel=case.channel,
        final_status=case.status,
        finding=case.finding,
        measures=list(case.measures or []),
        acknowledged_on_time=acknowledged_on_time,
        feedback_on_time=feedback_on_time,
        purged_at=purged_at,
    )


def _delete_blobs(names: list[str]) -> None:
    # After commit: a rolled-back purge keeps its files. A blob that cannot be deleted is
    # unreadable anyway, because the data key that encrypted it is gone with the case.
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("purge: could not delete a stored attachment blob")


def case_purge(*, case: Case, today: datetime.date | None = None) -> bool:
    """Purge one case if it is still expired (re-checked under a row lock)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = cases_expired(today).select_for_update(of=("self",)).filter(pk=case.pk).first()
        if locked is None:
            return False
        now = timezone.now()
        tombstone_for(locked, now).save(force_insert=True)
        blobs = list(Attachment.objects.filter(case=locked).values_list("storage_name", flat=True))
        pk, organisation = locked.pk, locked.organisation
        locked.delete()
        audit_record(
            action="case.purge",
            object_type="cases.case",
            object_id=pk,
            organisation=organisation,
            origin=Origin.SYSTEM,
        )
        transaction.on_commit(lambda: _delete_blobs(blobs))
    return True


# A stored file without an attachment row is older than this before it is an orphan:
# younger ones may belong to a transaction that is still running.
ORPHAN_MIN_AGE = datetime.timedelta(hours=24)


def orphan_files(now: datetime.datetime | None = None) -> list[str]:
    """Stored attachment files that no attachment row references any more.

    They are left when the transaction that stored a file rolls back (a failure half-way
    through a report) or a process dies after writing it. Their data key is gone or was
    never committed, so they cannot be read; they are deleted all the same, because what
    is not needed is not kept (R-DP-2).
    """
    now = now or timezone.now()
    try:
        _, names = default_storage.listdir(STORAGE_PREFIX.rstrip("/"))
    except FileNotFoundError:
        return []
    stored = {f"{STORAGE_PREFIX}{name}" for name in names}
    referenced = set(
        Attachment.objects.filter(storage_name__in=stored).values_list("storage_name", flat=True)
    )
    return sorted(
        name
        for name in stored - referenced
        if now - default_storage.get_modified_time(name) >= ORPHAN_MIN_AGE
    )


def purge_orphan_files(now: datetime.datetime | None = None) -> int:
    """Delete orphan_files(); one audit event with the count, no names."""
    names = orphan_files(now)
    if not names:
        return 0
    _delete_blobs(names)
    audit_record(
        action="attachment.orphans_purge",
        object_type="cases.attachment",
        object_id=len(names),
        origin=Origin.SYSTEM,
    )
    return len(names)


def purge_expired(*, dry_run: bool = False, today: datetime.date | None = None) -> PurgeResult:
    """Purge every expired case; with `dry_run`, only list their case numbers."""
    today = today or timezone.localdate()
    result = PurgeResult(dry_run=dry_run)
    candidates = list(cases_expired(today).select_related(None).only("pk", "case_number"))
    for case in candidates:
        if dry_run:
            result.case_numbers.append(case.case_number)
            continue
        blobs = Attachment.objects.filter(case=case).count()
        if case_purge(case=case, today=today):
            result.case_numbers.append(case.case_number)
            result.attachments_deleted += blobs
    if dry_run:
        result.orphans_deleted = len(orphan_files())
    else:
        result.orphans_deleted = purge_orphan_files()
        intake_receipts_expire()  # normally done by the next submit already
    return result
