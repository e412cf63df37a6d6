"""Writes of `counsel`: the directory of vertrouwenspersonen, the counsellor's own log,
its retention, and the appointments and sessions; one transaction and audit event each."""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.organisations.models import Organisation

from . import vault
from .constants import RETENTION_YEARS, SessionKind
from .models import (
    ConsultationCount,
    ConsultationEntry,
    CounsellorAppointment,
    CounsellorListing,
    CounsellorLog,
    CounsellorSession,
    CountsRevision,
)

FIELDS = ("name", "is_external", "phone", "email", "availability", "introduction", "position")


def counsellor_listing_create(
    *, actor: Any, organisation: Organisation, data: dict[str, Any]
) -> CounsellorListing:
    with transaction.atomic():
        listing = CounsellorListing.objects.create(
            organisation=organisation, **{name: data[name] for name in FIELDS if name in data}
        )
        audit_record(
            action="counsel.listing_create",
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            obj=listing,
            organisation=organisation,
        )
    return listing


def counsellor_listing_update(
    *, actor: Any, listing: CounsellorListing, data: dict[str, Any]
) -> CounsellorListing:
    with transaction.atomic():
        for name in FIELDS:
            if name in data:
                setattr(listing, name, data[name])
        listing.save()
        audit_record(
            action="counsel.listing_update",
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            obj=listing,
            organisation=listing.organisation,
        )
    return listing


def counsellor_listing_delete(*, actor: Any, listing: CounsellorListing) -> None:
    with transaction.atomic():
        pk, organisation = listing.pk, listing.organisation
        listing.delete()
        audit_record(
            action="counsel.listing_delete",
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            object_type="counsel.counsellorlisting",
            object_id=pk,
            organisation=organisation,
        )


# --- the consultation log (R-DP-3) ------------------------------------------------------
#
# What the audit log keeps of the log, and why. Every write is an event (R-BIO-1): who
# (the counsellor, as for every action in Integritas), which action, when, in which
# organisation's chain. The object is the counsellor's *log* (counsel.counsellorlog and
# its id), never the entry: an entry id in the audit log would let whoever reads the log
# (administrators, the independent auditor) follow one consultation through its edits
# and deletion and tie it to a date of writing. With the log as object they learn only
# what the actor field says anyway — this counsellor wrote in their own log at that
# time — and nothing of any entry: no id, date, theme, organisation beyond the chain,
# or text. The owner reading their own entries is not recorded: nobody else can read
# them, so such an event would add no accountability and would only add a pattern of
# a counsellor's activity to the audit log.


class EntryNotAllowed(PermissionDenied):
    """The user may not log in this organisation (not a counsellor there)."""


def _log_for(counsellor: Any, organisation: Organisation) -> CounsellorLog:
    """The counsellor's log in `organisation`, made with its data key the first time."""
    log = (
        CounsellorLog.objects.select_for_update()
        .filter(counsellor=counsellor, organisation=organisation)
        .first()
    )
    if log is None:
        log = CounsellorLog(counsellor=counsellor, organisation=organisation)
        vault.log_new_key(log)
        log.save()
    return log


def retention_date(consulted_on: datetime.date) -> datetime.date:
    """R-DP-2: the last day an entry is kept (end of the RETENTION_YEARS-th year after)."""
    return datetime.date(consulted_on.year + RETENTION_YEARS, 12, 31)


def _audit_entry(action: str, actor: Any, log: CounsellorLog) -> None:
    audit_record(
        action=action,
        actor=actor,
        actor_role=Role.CONFIDENTIAL_COUNSELLOR,
        object_type="counsel.counsellorlog",
        object_id=log.pk,
        organisation=log.organisation,
    )


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def _upsert_sql() -> str:
    """INSERT ... ON CONFLICT DO UPDATE: add to a count in one statement (PostgreSQL and
    SQLite alike), names from the model's metadata, quoted; every value a parameter."""
    quote = connection.ops.quote_name
    table = quote(ConsultationCount._meta.db_table)
    count = quote("count")
    key = ", ".join(quote(name) for name in ("organisation_id", "year", "quarter", "theme"))
    return (
        f"INSERT INTO {table} ({key}, {count}) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    )


def counts_add(changes: dict[tuple[int, int, int, str], int]) -> None:
    """Add to the counts (organisation id, year, quarter, theme) -> change: one statement
    each, in the caller's transaction. Used by the services and the bulk scale phase."""
    added = [(*key, change) for key, change in sorted(changes.items()) if change > 0]
    if added:
        with connection.cursor() as cursor:
            cursor.executemany(_upsert_sql(), added)
    for (org_id, year, quarter, theme), change in sorted(changes.items()):
        if change < 0:  # the row exists: the entry taken away was counted in it
            ConsultationCount.objects.filter(
                organisation_id=org_id, year=year, quarter=quarter, theme=theme
            ).update(count=F("count") + change)
    if any(changes.values()):
        # The figures cached under the previous token are not read again.
        CountsRevision.objects.bulk_create(
            [CountsRevision(pk=1, token=uuid.uuid4().hex)],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["token"],
        )


def _key(entry: ConsultationEntry) -> tuple[int, int, int, str]:
    day = entry.consulted_on
    return (entry.organisation_id, day.year, quarter_of(day), entry.theme)


def _fill(entry: ConsultationEntry, log: CounsellorLog, data: dict[str, Any]) -> None:
    entry.consulted_on = data["consulted_on"]
    entry.theme = data["theme"]
    entry.channel = data["channel"]
    entry.follow_ups = sorted(set(data.get("follow_ups") or []))
    entry.note_enc = vault.seal_note(log, entry, (data.get("note") or "").strip())
    entry.retain_until = retention_date(entry.consulted_on)


def entry_create(
    *, actor: Any, organisation: Organisation, data: dict[str, Any]
) -> ConsultationEntry:
    """Log a consultation in the actor's own log (they must be a counsellor there).

    `data`: consulted_on, theme, channel, follow_ups, note (the caller has checked the
    note for names and had any warning confirmed, forms.ConsultationEntryForm)."""
    if not user_roles(actor).has(Role.CONFIDENTIAL_COUNSELLOR, organisation):
        raise EntryNotAllowed
    with transaction.atomic():
        log = _log_for(actor, organisation)
        entry = ConsultationEntry(log=log, counsellor=actor, organisation=organisation)
        _fill(entry, log, data)
        entry.save()
        counts_add({_key(entry): 1})
        _audit_entry("counsel.entry_create", actor, log)
    return entry


def entry_update(
    *, actor: Any, entry: ConsultationEntry, data: dict[str, Any]
) -> ConsultationEntry:
    """Change one's own entry (its organisation stays)."""
    if entry.counsellor_id != actor.pk or not user_roles(actor).has(
        Role.CONFIDENTIAL_COUNSELLOR, entry.organisation_id
    ):
        raise EntryNotAllowed
    with transaction.atomic():
        log = CounsellorLog.objects.select_related("organisation").get(pk=entry.log_id)
        before = _key(ConsultationEntry.objects.select_for_update().get(pk=entry.pk))
        _fill(entry, log, data)
        entry.save()
        after = _key(entry)
        if before != after:
            counts_add({before: -1, after: 1})
        _audit_entry("counsel.entry_update", actor, log)
    return entry


def entry_delete(*, actor: Any, entry: ConsultationEntry) -> None:
    if entry.counsellor_id != actor.pk or not user_roles(actor).has(
        Role.CONFIDENTIAL_COUNSELLOR, entry.organisation_id
    ):
        raise EntryNotAllowed
    with transaction.atomic():
        log = CounsellorLog.objects.select_related("organisation").get(pk=entry.log_id)
        counts_add({_key(entry): -1})
        entry.delete()
        _audit_entry("counsel.entry_delete", actor, log)


@dataclass(frozen=True)
class PurgeResult:
    count: int
    dry_run: bool


def purge_expired_entries(
    *, today: datetime.date | None = None, dry_run: bool = False
) -> PurgeResult:
    """R-DP-2: delete every entry whose retention ended before `today`. The counts
    (ConsultationCount) keep them, so the figures of those years stay right: the counted
    tombstone. Idempotent: a purged entry is gone; a second run finds nothing. One
    transaction; one audit event per organisation with the number purged."""
    today = today or timezone.localdate()
    expired = ConsultationEntry.objects.filter(retain_until__lt=today)
    if dry_run:
        return PurgeResult(expired.count(), True)
    with transaction.atomic():
        per_org = dict(expired.values_list("organisation_id").annotate(n=Count("pk")).order_by())
        deleted, _rows = expired.delete()
        for org_id, n in sorted(per_org.items()):
            audit_record(
                action="counsel.entries_purged",
                object_type="counsel.consultationcount",
                object_id=n,
                organisation=Organisation.objects.get(pk=org_id),
                origin=Origin.CLI,
            )
    return PurgeResult(deleted, False)


# --- appointments (HRM) and sessions (central counsellor), seed 4 -----------------------

APPOINTMENT_FIELDS = ("recruited_on", "trained_on", "appointed_on", "ended_on")


def appointment_save(
    *,
    actor: Any,
    organisation: Organisation,
    employee: Any,
    data: dict[str, Any],
    appointment: CounsellorAppointment | None = None,
) -> CounsellorAppointment:
    """Record (or change) the appointment of an internal counsellor; HRM of the
    organisation only, the employee must work there."""
    if not user_roles(actor).has(Role.HRM, organisation) or employee.organisation_id != (
        organisation.pk
    ):
        raise PermissionDenied
    with transaction.atomic():
        made = appointment is None
        if appointment is None:
            appointment = CounsellorAppointment(organisation=organisation)
        appointment.employee = employee
        for name in APPOINTMENT_FIELDS:
            setattr(appointment, name, data.get(name))
        appointment.save()
        audit_record(
            action="counsel.appointment_create" if made else "counsel.appointment_update",
            actor=actor,
            actor_role=Role.HRM,
            obj=appointment,
            organisation=organisation,
        )
    return appointment


def _central_region_ids(actor: Any) -> frozenset[int]:
    return user_roles(actor).region_ids(Role.CENTRAL_COUNSELLOR)


def session_save(
    *,
    actor: Any,
    region: Any,
    data: dict[str, Any],
    session: CounsellorSession | None = None,
) -> CounsellorSession:
    """Plan (or change) a training or intervisie session of the region."""
    if region.pk not in _central_region_ids(actor):
        raise PermissionDenied
    with transaction.atomic():
        made = session is None
        if session is None:
            session = CounsellorSession(region=region)
        session.kind = data["kind"]
        session.title = data["title"]
        session.held_on = data["held_on"]
        session.save()
        audit_record(
            action="counsel.session_create" if made else "counsel.session_update",
            actor=actor,
            actor_role=Role.CENTRAL_COUNSELLOR,
            obj=session,
        )
    return session


def session_set_attendance(*, actor: Any, session: CounsellorSession, attendees: list[Any]) -> None:
    """Who attended: the counsellors of the session's region only."""
    if session.region_id not in _central_region_ids(actor):
        raise PermissionDenied
    with transaction.atomic():
        session.attendees.set(attendees)
        audit_record(
            action="counsel.attendance_update",
            actor=actor,
            actor_role=Role.CENTRAL_COUNSELLOR,
            obj=session,
        )
        if attendees:
            trained_on = session.held_on
            if session.kind == SessionKind.TRAINING:
                # The first training an appointed counsellor attends marks them trained.
                CounsellorAppointment.objects.filter(
                    employee__user__in=attendees, trained_on__isnull=True, ended_on__isnull=True
                ).update(trained_on=trained_on)
