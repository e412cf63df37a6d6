"""Every read of cases goes through here, scoped by organisation and need to know."""

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import RoleAssignment, User
from integritas.accounts.selectors import user_roles
from integritas.core import crypto
from integritas.organisations.models import Employee, Organisation

from . import deadlines, vault
from .constants import CLOSED_STATUSES, Status
from .models import Case, CaseHandler, CaseMessage, IntakeSubmission, InvolvedPerson, Substitute
from .permissions import SECRETARY_STATUSES, CaseAccess


def person_index(organisation_slug: str, personnel_number: str) -> str:
    """The blind index of an employee, as stored for involved persons."""
    return crypto.blind_index(f"{organisation_slug}:{personnel_number}")


def user_person_index(user: Any) -> str | None:
    employee = user_roles(user).employee
    if employee is None:
        return None
    return person_index(employee.organisation.slug, employee.personnel_number)


def _in_organisations(ids: frozenset[int]) -> Exists:
    """`organisation_id IN ids`, written as a correlated EXISTS on purpose.

    A plain IN lets both databases answer "pk IN handled OR organisation IN ids" by
    collecting every matching row and sorting them all (SQLite's MULTI-INDEX OR, a
    PostgreSQL seq scan), ~100 ms at 50,000 cases. As EXISTS, the inbox's
    ORDER BY pk DESC LIMIT 51 walks the primary key backwards and stops after a page.
    """
    return Exists(Organisation.objects.filter(pk=OuterRef("organisation_id"), id__in=ids))


def _secretary_stage(path: str = "") -> Q:
    """Cases a secretary, or a substitute for one, may see (CaseAccess.as_secretary in SQL):
    from the approval step on, or once a possible crime is flagged (R-EXT-3)."""
    return (
        Q(**{f"{path}status__in": SECRETARY_STATUSES})
        | Q(**{f"{path}investigation_decided_at__isnull": False})
        | Q(**{f"{path}is_possible_offence": True})
    )


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Cases this user may open; never one that names them as involved."""
    roles = user_roles(user)
    if not user.is_authenticated:
        return Case.objects.none()
    handled = CaseHandler.objects.filter(user=user, active=True).exclude(
        Q(role=Role.SECRETARY) & ~_secretary_stage("case__")
    )
    condition = Q(pk__in=handled.values("case_id"))
    coordinator_orgs = roles.organisation_ids(Role.INTEGRITY_COORDINATOR)
    if coordinator_orgs:
        condition |= Q(_in_organisations(coordinator_orgs))
    secretary_orgs = roles.organisation_ids(Role.SECRETARY)
    if secretary_orgs:
        condition |= Q(_in_organisations(secretary_orgs)) & _secretary_stage()
    qs = Case.objects.filter(condition)
    index = user_person_index(user)
    if index is not None:
        qs = qs.exclude(
            Exists(InvolvedPerson.objects.filter(case=OuterRef("pk"), blind_index=index))
        )
    return qs


def case_access(user: Any, case: Case, *, handlers: list[CaseHandler] | None = None) -> CaseAccess:
    """What `user` is to `case`; `handlers`, when given, are the case's active handlers.

    A case read by case_get carries `user_involved` already (one query less)."""
    roles = user_roles(user)
    involved = getattr(case, "user_involved", None)
    if involved is None:
        index = user_person_index(user)
        involved = index is not None and case.involved.filter(blind_index=index).exists()
    if handlers is None:
        handler_roles = frozenset(
            CaseHandler.objects.filter(case=case, user=user, active=True).values_list(
                "role", flat=True
            )
        )
    else:
        handler_roles = frozenset(h.role for h in handlers if h.user_id == user.pk)
    return CaseAccess(
        involved=involved,
        coordinator=roles.has(Role.INTEGRITY_COORDINATOR, case.organisation_id),
        secretary=roles.has(Role.SECRETARY, case.organisation_id),
        handler_roles=handler_roles,
        status=case.status,
        secretary_involved_before=case.investigation_decided_at is not None,
        possible_offence=case.is_possible_offence,
    )


def case_get(*, user: Any, case_number: str) -> tuple[Case, CaseAccess]:
    """The case and the user's access to it, or 404 for anything they may not see.

    Three small queries (the case, its involved persons, its active handlers) and the
    predicates of permissions.py decide, exactly as cases_visible_to does in SQL for
    lists (tests/cases/test_case_matrix.py holds both to the same answers). Whether the
    user is involved is read from the involved persons' blind indexes; those rows and the
    handlers are kept on the case for the page (case_content), which needs them too.
    """
    if not user.is_authenticated:
        raise Http404
    case = (
        Case.objects.select_related("organisation")
        .annotate(
            # Who received and who decided (R-WBK-5), read with the case: names only.
            acknowledged_by_name=F("acknowledged_by__full_name"),
            investigation_decided_by_name=F("investigation_decided_by__full_name"),
            decided_by_name=F("decided_by__full_name"),
        )
        .filter(case_number=case_number)
        .first()
    )
    if case is None:
        raise Http404
    involved = list(InvolvedPerson.objects.filter(case=case).order_by("pk"))
    index = user_person_index(user)
    case.user_involved = index is not None and any(  # type: ignore[attr-defined]
        person.blind_index == index for person in involved
    )
    handlers = list(
        CaseHandler.objects.filter(case=case, active=True)
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    access = case_access(user, case, handlers=handlers)
    if not (access.as_coordinator or access.as_secretary or access.as_investigator):
        raise Http404
    case.involved_rows = involved  # type: ignore[attr-defined]
    case.active_handlers = handlers  # type: ignore[attr-defined]
    return case, access


def cases_for_inbox(user: Any, filters: dict[str, Any]) -> QuerySet[Case]:
    qs = cases_visible_to(user).select_related("organisation")
    if filters.get("organisation"):
        qs = qs.filter(organisation__slug=filters["organisation"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("open_only"):
        qs = qs.exclude(status__in=[Status.CLOSED, Status.CLOSED_WITHOUT_INVESTIGATION])
    if filters.get("deadline"):
        qs = qs.filter(deadline_condition(filters["deadline"], filters.get("now")))
    # Newest first. received_at is the moment of registration (case_submit sets it), so
    # the primary key gives the same order and, unlike received_at, has an index that
    # lets a page be read without sorting every case (benchmarks/cases.py).
    return qs.order_by("-pk")


def case_by_receipt(receipt_code: str) -> Case | None:
    """Find a case by its receipt code (slow keyed hash, compared in constant time)."""
    lookup = crypto.receipt_lookup_hash(receipt_code)
    case = Case.objects.select_related("organisation").filter(receipt_lookup=lookup).first()
    if case is None or not crypto.constant_time_equal(case.receipt_lookup or "", lookup):
        return None
    return case


def case_for_mailbox(case_id: object) -> Case | None:
    """The case behind a valid mailbox cookie (the receipt code was checked at entry)."""
    if not isinstance(case_id, int):
        return None
    return Case.objects.select_related("organisation").filter(pk=case_id).first()


def case_for_form_token(form_token: str) -> Case | None:
    """The case an intake form token created (the receipt page's proof download).

    The digest is the one `services.case_submit` stores in IntakeSubmission.token_hash.
    """
    digest = hashlib.sha256(form_token.encode()).hexdigest()
    submission = (
        IntakeSubmission.objects.select_related("case", "case__organisation")
        .filter(token_hash=digest)
        .first()
    )
    return submission.case if submission is not None else None


@dataclass(frozen=True)
class ReporterMessage:
    direction: str
    body: str
    created_at: datetime.datetime
    pk: int = 0
    needs_approval: bool = False  # minutes the reporter may approve (R-WBK-8)
    approved_at: datetime.datetime | None = None
    superseded_at: datetime.datetime | None = None  # replaced by newer minutes
    is_correction: bool = False


@dataclass(frozen=True)
class ReporterView:
    """What the reporter may read in the mailbox: their own text and the messages."""

    case: Case
    description: str
    messages: list[ReporterMessage]


def case_for_reporter(case: Case) -> ReporterView:
    """Decrypt the reporter's own description and the two-way messages (no internal notes)."""
    messages = [
        ReporterMessage(
            direction=message.direction,
            body=vault.unseal(case, "message", message.body_enc, row=message.pk),
            created_at=message.created_at,
            pk=message.pk,
            needs_approval=message.needs_approval,
            approved_at=message.approved_at,
            superseded_at=message.superseded_at,
            is_correction=message.is_correction,
        )
        for message in case.messages.order_by("created_at", "pk")
    ]
    return ReporterView(
        case=case,
        description=vault.unseal(case, "description", case.description_enc),
        messages=messages,
    )


def secretary_tasks(user: Any) -> QuerySet[Case]:
    """Cases waiting for this secretary's approval or decision."""
    return cases_visible_to(user).filter(
        status__in=[Status.AWAITING_APPROVAL, Status.REPORTED_TO_SECRETARY]
    )


# --- handling pages: inbox deadlines, case page, people, figures ----------------------

DEADLINE_OPEN = "open"
DEADLINE_ACK_OVERDUE = "ack_overdue"
DEADLINE_ACK_SOON = "ack_soon"
DEADLINE_FEEDBACK_OVERDUE = "feedback_overdue"
DEADLINE_FEEDBACK_SOON = "feedback_soon"
#: Orange from this many days before a due date, as deadlines.traffic_light's default.
INBOX_WARN_DAYS = 2


def _first_feedback_start_due_from(day: datetime.date) -> datetime.date:
    """The earliest start date whose feedback date (start + 3 months, clamped) is >= `day`.

    deadlines.add_months is monotone, so "feedback due before `day`" is exactly
    "start date before this one"; the loops settle the clamping at month ends.
    """
    months = deadlines.FEEDBACK_MONTHS
    start = deadlines.add_months(day, -months)
    while deadlines.add_months(start, months) < day:
        start += datetime.timedelta(days=1)
    while deadlines.add_months(start - datetime.timedelta(days=1), months) >= day:
        start -= datetime.timedelta(days=1)
    return start


def _feedback_start_before(day: datetime.date) -> Q:
    """Cases whose feedback period starts (local date) before `day` (R-WBK-4).

    The period starts on the day of the acknowledgement, or without one at the end of
    the 7-day acknowledgement period: received date + 7.
    """
    start = deadlines.start_of_local_day
    return Q(acknowledged_at__isnull=False, acknowledged_at__lt=start(day)) | Q(
        acknowledged_at__isnull=True,
        received_at__lt=start(day - datetime.timedelta(days=deadlines.ACKNOWLEDGEMENT_DAYS)),
    )


def deadline_condition(name: str, now: datetime.datetime | None = None) -> Q:
    """The inbox's deadline filters as database conditions, equal to deadlines.traffic_light.

    Deadlines run to the end of a local (Europe/Amsterdam) day, so every comparison is
    against the start of a local day and needs no per-row date arithmetic:
    - acknowledgement (R-WBK-3) is late once the local date of receipt is more than 7 days
      back: received_at < start of (today - 7); orange from 2 days before the due date;
    - feedback (R-WBK-4) is late once start + 3 months < today, which add_months'
      monotonicity turns into "start < the first start due today or later".
    tests/cases/test_handling_views.py checks these against traffic_light day by day.
    """
    today = deadlines.local_date(now or timezone.now())
    start = deadlines.start_of_local_day
    day = datetime.timedelta(days=1)
    ack_days = deadlines.ACKNOWLEDGEMENT_DAYS
    warn = INBOX_WARN_DAYS
    ack_pending = Q(acknowledged_at__isnull=True)
    feedback_pending = Q(feedback_given_at__isnull=True) & ~Q(status__in=CLOSED_STATUSES)
    if name == DEADLINE_OPEN:
        return ~Q(status__in=CLOSED_STATUSES)
    if name == DEADLINE_ACK_OVERDUE:
        return ack_pending & Q(received_at__lt=start(today - ack_days * day))
    if name == DEADLINE_ACK_SOON:
        return (
            ack_pending
            & Q(received_at__gte=start(today - ack_days * day))
            & Q(received_at__lt=start(today - (ack_days - warn - 1) * day))
        )
    overdue = _feedback_start_before(_first_feedback_start_due_from(today))
    if name == DEADLINE_FEEDBACK_OVERDUE:
        return feedback_pending & overdue
    if name == DEADLINE_FEEDBACK_SOON:
        soon = _feedback_start_before(_first_feedback_start_due_from(today + (warn + 1) * day))
        return feedback_pending & soon & ~overdue
    return Q()


def investigators_for(organisation: Organisation) -> QuerySet[User]:
    """Active users holding the investigator role for `organisation` or its region."""
    assignments = (
        RoleAssignment.objects.filter(role=Role.INVESTIGATOR, status=AssignmentStatus.ACTIVE)
        .filter(
            Q(organisation=organisation)
            | Q(organisation__isnull=True, region_id=organisation.region_id)
        )
        .values("user_id")
    )
    return User.objects.filter(pk__in=assignments, is_active=True).order_by("full_name")


def employee_for_case(case: Case, personnel_number: str) -> Employee | None:
    """An employee of the case's organisation, by personnel number."""
    return Employee.objects.filter(
        organisation_id=case.organisation_id, personnel_number=personnel_number.strip()
    ).first()


@dataclass(frozen=True)
class Entry:
    """One decrypted row of a case's lists (messages, notes, referrals, protection log)."""

    created_at: datetime.datetime
    body: str
    author: Any = None
    direction: str = ""
    label: str = ""
    on: datetime.date | None = None
    extra: str = ""
    # Referrals only: what came back (R-EXT-1).
    advice_on: datetime.date | None = None
    advice: str = ""
    decision_on: datetime.date | None = None
    decision: str = ""
    pk: int | None = None
    # Messages only: minutes awaiting the reporter's approval, or a correction (R-WBK-8).
    needs_approval: bool = False
    approved_at: datetime.datetime | None = None
    superseded_at: datetime.datetime | None = None
    is_correction: bool = False


@dataclass(frozen=True)
class CaseContent:
    """What the case page shows, decrypted. Built only for someone who may view the case."""

    description: str
    details: dict[str, Any]
    involved: list[str]
    messages: list[Entry]
    notes: list[Entry]
    referrals: list[Entry]
    handlers: list[CaseHandler]
    attachments: list[tuple[Any, str]]  # (Attachment, decrypted file name)
    decision_note: str
    # The formal investigation: (record, decrypted text), (evidence, decrypted description).
    investigation_records: list[tuple[Any, str]] = field(default_factory=list)
    evidence: list[tuple[Any, str]] = field(default_factory=list)
    subject_informed_how: str = ""  # AVG art. 14
    subject_information_deferred_reason: str = ""


def case_content(case: Case, access: CaseAccess) -> CaseContent:
    """Decrypt what `access` may see of `case`; a constant number of queries.

    What concerns the reporter (consent flags, protection log) is not here but in
    reporter_content, shown on a page of its own to the coordinator only.
    """
    from .attachments import attachment_filename
    from .models import (
        Attachment,
        CaseMessage,
        CaseNote,
        EvidenceItem,
        InvestigationRecord,
        Referral,
    )

    if not (access.as_coordinator or access.as_secretary or access.as_investigator):
        raise Http404
    messages = [
        Entry(
            created_at=m.created_at,
            body=vault.unseal(case, "message", m.body_enc, row=m.pk),
            author=m.author,
            direction=m.direction,
            label=m.get_direction_display(),
            needs_approval=m.needs_approval,
            approved_at=m.approved_at,
            superseded_at=m.superseded_at,
            is_correction=m.is_correction,
        )
        for m in CaseMessage.objects.filter(case=case).select_related("author")
    ]
    notes = [
        Entry(
            created_at=n.created_at,
            body=vault.unseal(case, "note", n.body_enc, row=n.pk),
            author=n.author,
        )
        for n in CaseNote.objects.filter(case=case).select_related("author")
    ]
    referrals = [
        Entry(
            created_at=r.created_at,
            body=vault.unseal(case, "referral", r.notes_enc, row=r.pk),
            author=r.recorded_by,
            label=r.get_body_display(),
            on=r.referred_on,
            pk=r.pk,
            advice_on=r.advice_on,
            advice=vault.unseal(case, "referral_advice", r.advice_enc, row=r.pk),
            decision_on=r.employer_decision_on,
            decision=vault.unseal(case, "referral_decision", r.employer_decision_enc, row=r.pk),
        )
        for r in Referral.objects.filter(case=case)
        .select_related("recorded_by")
        .order_by("referred_on", "pk")
    ]
    involved_rows: list[InvolvedPerson] | None = getattr(case, "involved_rows", None)
    if involved_rows is None:
        involved_rows = list(InvolvedPerson.objects.filter(case=case).order_by("pk"))
    involved = [vault.unseal(case, "involved", p.description_enc, row=p.pk) for p in involved_rows]
    handlers: list[CaseHandler] | None = getattr(case, "active_handlers", None)
    if handlers is None:
        handlers = list(
            CaseHandler.objects.filter(case=case, active=True)
            .select_related("user")
            .order_by("role", "user__full_name")
        )
    attachments = [
        (attachment, attachment_filename(case=case, attachment=attachment))
        for attachment in Attachment.objects.filter(case=case).order_by("created_at", "pk")
    ]
    investigation_records: list[tuple[Any, str]] = []
    evidence: list[tuple[Any, str]] = []
    # Records and evidence can only be added once a secretary decided on an investigation
    # (services._investigating): before that there is nothing to read.
    if case.investigation_decided_at is not None:
        investigation_records = [
            (r, vault.unseal(case, "investigation_record", r.body_enc, row=r.pk))
            for r in InvestigationRecord.objects.filter(case=case).select_related("recorded_by")
        ]
        evidence = [
            (e, vault.unseal(case, "evidence", e.description_enc, row=e.pk))
            for e in EvidenceItem.objects.filter(case=case).select_related("recorded_by")
        ]
    return CaseContent(
        description=vault.unseal(case, "description", case.description_enc),
        details=vault.unseal_json(case, "details", case.details_enc),
        involved=involved,
        messages=messages,
        notes=notes,
        referrals=referrals,
        handlers=handlers,
        attachments=attachments,
        decision_note=vault.unseal(case, "decision_note", case.decision_note_enc),
        investigation_records=investigation_records,
        evidence=evidence,
        subject_informed_how=vault.unseal(
            case, "subject_informed_how", case.subject_informed_how_enc
        ),
        subject_information_deferred_reason=vault.unseal(
            case,
            "subject_information_deferred_reason",
            case.subject_information_deferred_reason_enc,
        ),
    )


@dataclass(frozen=True)
class ReporterContent:
    """What concerns the reporter, decrypted: the coordinator's page "Melder" only.

    The protection log (R-WBK-12) and the consent flags may point at who the reporter is
    (R-WBK-7), so they are read only when the coordinator opens that page on purpose.
    """

    consent_investigators: bool | None
    consent_secretary: bool | None
    protection_log: list[Entry]


def reporter_content(case: Case, access: CaseAccess) -> ReporterContent:
    from .models import ProtectionLogEntry, ReporterIdentity

    if not access.as_coordinator:
        raise Http404
    protection_log = [
        Entry(
            created_at=p.created_at,
            body=vault.unseal(case, "protection_measure", p.measure_enc, row=p.pk),
            extra=vault.unseal(case, "protection_reason", p.reason_enc, row=p.pk),
            author=p.recorded_by,
            on=p.occurred_on,
        )
        for p in ProtectionLogEntry.objects.filter(case=case)
        .select_related("recorded_by")
        .order_by("occurred_on", "pk")
    ]
    consent = (
        ReporterIdentity.objects.filter(case=case)
        .values_list("consent_investigators", "consent_secretary")
        .first()
    )
    return ReporterContent(
        consent_investigators=consent[0] if consent else None,
        consent_secretary=consent[1] if consent else None,
        protection_log=protection_log,
    )


SMALL_NUMBER = 5


def suppressed(count: int) -> str:
    """Counts below 5 could point at a person: shown as "< 5" (annual report rule)."""
    return "< 5" if count < SMALL_NUMBER else str(count)


def suppressed_row(counts: list[int]) -> list[str]:
    """A row of counts that adds up to a total shown next to it, small ones hidden.

    When exactly one count is small, the total minus the others would give it away, so
    the smallest of the others is hidden as well (complementary suppression), as "≥ 5".
    """
    shown = [suppressed(count) for count in counts]
    small = [index for index, count in enumerate(counts) if count < SMALL_NUMBER]
    others = [index for index, count in enumerate(counts) if count >= SMALL_NUMBER]
    if len(small) == 1 and others:
        shown[min(others, key=lambda index: counts[index])] = "≥ 5"
    return shown


@dataclass(frozen=True)
class OrganisationFigures:
    organisation: Organisation
    total: str
    by_status: list[tuple[str, str]]
    by_kind: list[tuple[str, str]]


def _suppressed_labelled(
    counts: dict[tuple[int, str, str], int],
    org_id: int,
    dimension: str,
    choices: list[tuple[str, Any]],
) -> list[tuple[str, str]]:
    row = suppressed_row([counts.get((org_id, dimension, value), 0) for value, _ in choices])
    return [(str(label), text) for (_, label), text in zip(choices, row, strict=True)]


def case_figures(user: Any) -> list[OrganisationFigures]:
    """Counts per status and kind for the integrity officer's organisations; no content."""
    from django.db.models import Count

    from .constants import Kind

    org_ids = user_roles(user).organisation_ids(Role.INTEGRITY_OFFICER)
    organisations = list(Organisation.objects.filter(pk__in=org_ids).order_by("name"))
    counts: dict[tuple[int, str, str], int] = {}
    for dimension in ("status", "kind"):
        rows = (
            Case.objects.filter(organisation_id__in=org_ids)
            .values_list("organisation_id", dimension)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for org_id, value, n in rows:
            counts[(org_id, dimension, value)] = n
    result = []
    for org in organisations:
        total = sum(n for (o, d, _v), n in counts.items() if o == org.pk and d == "status")
        result.append(
            OrganisationFigures(
                organisation=org,
                total=suppressed(total),
                by_status=_suppressed_labelled(counts, org.pk, "status", Status.choices),
                by_kind=_suppressed_labelled(counts, org.pk, "kind", Kind.choices),
            )
        )
    return result


def inbox_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations whose cases this case worker may be shown (the inbox filter)."""
    roles = user_roles(user)
    ids = (
        roles.organisation_ids(Role.INTEGRITY_COORDINATOR)
        | roles.organisation_ids(Role.SECRETARY)
        | roles.organisation_ids(Role.INVESTIGATOR)
    )
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def recording_organisations(user: Any) -> QuerySet[Organisation]:
    """Where `user` may record a report: as coordinator, or as manager their own."""
    roles = user_roles(user)
    ids = set(roles.organisation_ids(Role.INTEGRITY_COORDINATOR))
    if roles.is_manager and roles.employee is not None:
        ids.add(roles.employee.organisation_id)
    return Organisation.objects.filter(pk__in=ids).order_by("name")


# --- substitutes (seed 5.2) ---------------------------------------------------------


def substitute_organisations(viewer: Any) -> QuerySet[Organisation]:
    """The organisations whose substitutes `viewer` manages (administrator there)."""
    ids = user_roles(viewer).organisation_ids(Role.ADMINISTRATOR)
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def substitutes_for_administration(viewer: Any) -> QuerySet[Substitute]:
    """Designations in the organisations the administrator manages; nothing else."""
    ids = user_roles(viewer).organisation_ids(Role.ADMINISTRATOR)
    return (
        Substitute.objects.filter(organisation_id__in=ids)
        .select_related("organisation", "user", "requested_by", "decided_by")
        .order_by("organisation__name", "replaces_role", "user__full_name")
    )


def substitute_candidates(viewer: Any) -> QuerySet[User]:
    """Active users who work for an organisation the administrator manages."""
    ids = user_roles(viewer).organisation_ids(Role.ADMINISTRATOR)
    return (
        User.objects.filter(is_active=True, employee__organisation_id__in=ids)
        .distinct()
        .order_by("full_name")
    )


def user_handles_cases(user: Any) -> bool:
    """An active substitute designation or case handler row: reads case content, so the
    login counts as privileged (second factor, short idle timeout)."""
    from .models import Substitute

    return (
        CaseHandler.objects.filter(user=user, active=True).exists()
        or Substitute.objects.filter(user=user, status=AssignmentStatus.ACTIVE).exists()
    )


def case_message_for_reporter(case: Case, message_id: int) -> CaseMessage | None:
    """A message of the reporter's own case; another case's id finds nothing."""
    return CaseMessage.objects.filter(case=case, pk=message_id).first()
