"""The case handlers' reads: the inbox, the case page, the people to pick, the figures.

Scoped by organisation and need to know through access.py; every case page is decrypted
here only for someone who may view the case.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.accounts.selectors import role_holders, user_roles
from integritas.cases import vault
from integritas.cases.access import (
    cases_visible_to,
    person_index,
    read_case_ties,
    users_named_involved,
)
from integritas.cases.attachments.storage import attachment_filename
from integritas.cases.clock import deadlines
from integritas.cases.clock.conditions import deadline_condition
from integritas.cases.constants import (
    CLOSED_STATUSES,
    Finding,
    IntakeHold,
    Kind,
    MessageDirection,
    ReferralBody,
    Status,
)
from integritas.cases.models import (
    Attachment,
    Case,
    CaseHandler,
    CaseMessage,
    CaseNote,
    CaseStatusChange,
    EvidenceItem,
    InvestigationRecord,
    InvolvedPerson,
    ProtectionLogEntry,
    Referral,
    ReporterIdentity,
)
from integritas.cases.permissions import CaseAccess
from integritas.cases.workflow import SECRETARY_TASK_STATUSES
from integritas.organisations.models import Employee, Organisation
from integritas.organisations.selectors import employees_of, employees_search

from .waiting import filter_waiting


def cases_for_inbox(user: Any, filters: dict[str, Any]) -> QuerySet[Case]:
    # Newest first. received_at is the moment of registration (case_submit sets it), so
    # the primary key gives the same order and, unlike received_at, has an index that
    # lets a page be read without sorting every case (benchmarks/cases.py).
    # The user's ties read first (one query) let cases_visible_to write a one-organisation
    # role's condition so that a page is read along that organisation's index.
    cases = inbox_filter(cases_visible_to(user, ties=read_case_ties(user)), filters)
    return cases.select_related("organisation").order_by("-pk")


def inbox_filter(cases: QuerySet[Case], filters: dict[str, Any]) -> QuerySet[Case]:
    """`cases` as the inbox filters them. The home page's work lists count their rows
    with this on cases_visible_to(user), so a row and the inbox page it links to always
    hold the same cases. Held and set-aside reports of the flood defence are reviewed in
    the held queue (intake/held.py), not here, so a flood cannot bury the inbox."""
    conditions = Q(intake_hold=IntakeHold.NONE)
    if filters.get("organisation"):
        conditions &= Q(organisation__slug=filters["organisation"])
    for name in ("status", "kind", "category"):
        if filters.get(name):
            conditions &= Q(**{name: filters[name]})
    if filters.get("open_only"):
        conditions &= ~Q(status__in=CLOSED_STATUSES)
    if filters.get("deadline"):
        conditions &= deadline_condition(filters["deadline"], filters.get("now"))
    if conditions:
        cases = cases.filter(conditions)
    if filters.get("waiting"):
        cases = filter_waiting(cases, filters["waiting"])
    return cases


def secretary_tasks(user: Any) -> QuerySet[Case]:
    """Cases waiting for this secretary's approval or decision: a step of theirs in the
    workflow table starts from its status."""
    return cases_visible_to(user).filter(status__in=SECRETARY_TASK_STATUSES)


def investigators_for(organisation: Organisation) -> QuerySet[User]:
    """Active users holding the investigator role for `organisation` or its region."""
    return role_holders(Role.INVESTIGATOR, organisation).order_by("full_name")


def employee_for_case(case: Case, personnel_number: str) -> Employee | None:
    """An employee of the case's organisation, by personnel number."""
    return Employee.objects.filter(
        organisation_id=case.organisation_id, personnel_number=personnel_number.strip()
    ).first()


def investigators_for_case(case: Case) -> QuerySet[User]:
    """The investigators who may be assigned to `case`: never one it names as involved
    (R-WBK-7; case_assign_investigator refuses them as well)."""
    investigators = investigators_for(case.organisation)
    named = users_named_involved(investigators, InvolvedPerson.objects.filter(case=case))
    return investigators.exclude(pk__in=named) if named else investigators


#: At most this many employees are offered to choose from after a search.
INVOLVED_SEARCH_LIMIT = 20


@dataclass(frozen=True)
class EmployeeHit:
    """An employee found to link as involved, as the choice shows them."""

    pk: int
    name: str
    personnel_number: str
    function: str
    unit: str
    former: bool
    linked: bool  # already named as involved in this case


@dataclass(frozen=True)
class EmployeeSearch:
    hits: list[EmployeeHit]
    more: bool  # more than INVOLVED_SEARCH_LIMIT found


def involved_employees(case: Case) -> QuerySet[Employee]:
    """The employees who may be linked to `case`: its own organisation's, no other's."""
    return Employee.objects.filter(organisation_id=case.organisation_id).select_related(
        "organisation"
    )


def involved_search(case: Case, query: str) -> EmployeeSearch:
    """Employees of the case's organisation by name or personnel number, as HRM's list
    finds them (organisations.selectors.employees_search); at most INVOLVED_SEARCH_LIMIT."""
    if not query.strip():
        return EmployeeSearch([], more=False)
    found = employees_search(employees_of([case.organisation_id]), query)
    rows = list(found.order_by("last_name", "first_name", "pk")[: INVOLVED_SEARCH_LIMIT + 1])
    named = set(
        InvolvedPerson.objects.filter(case=case)
        .exclude(blind_index="")
        .values_list("blind_index", flat=True)
    )
    slug = case.organisation.slug
    today = timezone.localdate()
    hits = [
        EmployeeHit(
            pk=e.pk,
            name=f"{e.first_name} {e.last_name}".strip(),
            personnel_number=e.personnel_number,
            function=e.function.name if e.function else "",
            unit=e.org_unit.name if e.org_unit else "",
            former=e.end_date is not None and e.end_date < today,
            linked=person_index(slug, e.personnel_number) in named,
        )
        for e in rows[:INVOLVED_SEARCH_LIMIT]
    ]
    return EmployeeSearch(hits, more=len(rows) > INVOLVED_SEARCH_LIMIT)


def _shown(moment: datetime.datetime) -> str:
    """A moment as the case page shows it ("d-m-Y H:i", local time), made with strftime:
    Django's date filter for each of a busy case's rows costs more than the page may
    (benchmarks/cases.py, the case in progress)."""
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")


@dataclass(frozen=True)
class Entry:
    """One decrypted row of a case's lists (messages, notes, referrals, protection log)."""

    created_at: datetime.datetime
    body: str
    author_name: str = ""
    when: str = ""  # created_at as shown (messages and notes)
    direction: str = ""
    label: Any = ""
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
class InvolvedEntry:
    """One person named as involved, as the handlers' page shows them: the description,
    and for a linked employee who it is (name, function, department)."""

    pk: int
    description: str
    linked: bool  # an employee linked by blind index (the coordinator may undo it)
    name: str = ""
    personnel_number: str = ""
    function: str = ""
    unit: str = ""


def _involved_entries(case: Case, rows: list[InvolvedPerson]) -> list[InvolvedEntry]:
    """Decrypt the involved persons; the linked employees are read in one query."""
    links = {
        p.pk: vault.unseal_json(case, "involved_link", p.link_enc, row=p.pk).get("employee")
        for p in rows
        if p.link_enc
    }
    ids = [pk for pk in links.values() if pk is not None]
    employees = (
        {
            pk: (first, last, number, function or "", unit or "")
            for pk, first, last, number, function, unit in Employee.objects.filter(
                pk__in=ids, organisation_id=case.organisation_id
            ).values_list(
                "pk",
                "first_name",
                "last_name",
                "personnel_number",
                "function__name",
                "org_unit__name",
            )
        }
        if ids
        else {}
    )
    entries = []
    for p in rows:
        found = employees.get(links.get(p.pk))  # type: ignore[arg-type]
        first, last, number, function, unit = found or ("", "", "", "", "")
        entries.append(
            InvolvedEntry(
                pk=p.pk,
                description=vault.unseal(case, "involved", p.description_enc, row=p.pk),
                linked=bool(p.blind_index),
                name=f"{first} {last}".strip(),
                personnel_number=number,
                function=function,
                unit=unit,
            )
        )
    return entries


@dataclass(frozen=True)
class CaseContent:
    """What the case page shows, decrypted. Built only for someone who may view the case."""

    description: str
    details: dict[str, Any]
    involved: list[InvolvedEntry]
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
    if not (access.as_coordinator or access.as_secretary or access.as_investigator):
        raise Http404
    # Messages, notes and referrals are read as plain values, not model instances: a case
    # in progress holds dozens of them, and instances with their authors and a
    # get_..._display() per row (which translates every choice) cost more than the whole
    # page may (benchmarks/cases.py).
    directions = dict(MessageDirection.choices)
    messages = [
        Entry(
            created_at=created_at,
            when=_shown(created_at),
            body=vault.unseal(case, "message", body_enc, row=pk),
            author_name=author_name or "",
            direction=direction,
            label=directions.get(direction, direction),
            needs_approval=needs_approval,
            approved_at=approved_at,
            superseded_at=superseded_at,
            is_correction=is_correction,
        )
        for (
            pk,
            created_at,
            body_enc,
            author_name,
            direction,
            needs_approval,
            approved_at,
            superseded_at,
            is_correction,
        ) in CaseMessage.objects.filter(case=case).values_list(
            "pk",
            "created_at",
            "body_enc",
            "author__full_name",
            "direction",
            "needs_approval",
            "approved_at",
            "superseded_at",
            "is_correction",
        )
    ]
    notes = [
        Entry(
            created_at=created_at,
            when=_shown(created_at),
            body=vault.unseal(case, "note", body_enc, row=pk),
            author_name=author_name or "",
        )
        for pk, created_at, body_enc, author_name in CaseNote.objects.filter(case=case).values_list(
            "pk", "created_at", "body_enc", "author__full_name"
        )
    ]
    bodies = dict(ReferralBody.choices)
    referrals = [
        Entry(
            created_at=created_at,
            body=vault.unseal(case, "referral", notes_enc, row=pk),
            author_name=author_name or "",
            label=bodies.get(body, body),
            on=referred_on,
            pk=pk,
            advice_on=advice_on,
            advice=vault.unseal(case, "referral_advice", advice_enc, row=pk),
            decision_on=decision_on,
            decision=vault.unseal(case, "referral_decision", decision_enc, row=pk),
        )
        for (
            pk,
            created_at,
            notes_enc,
            author_name,
            body,
            referred_on,
            advice_on,
            advice_enc,
            decision_on,
            decision_enc,
        ) in Referral.objects.filter(case=case)
        .order_by("referred_on", "pk")
        .values_list(
            "pk",
            "created_at",
            "notes_enc",
            "recorded_by__full_name",
            "body",
            "referred_on",
            "advice_on",
            "advice_enc",
            "employer_decision_on",
            "employer_decision_enc",
        )
    ]
    involved_rows: list[InvolvedPerson] | None = getattr(case, "involved_rows", None)
    if involved_rows is None:
        involved_rows = list(InvolvedPerson.objects.filter(case=case).order_by("pk"))
    involved = _involved_entries(case, involved_rows)
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
    # (investigation.services._investigating): before that there is nothing to read.
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
class TimelineEntry:
    """One moment in the case's history, for the timeline on the case page.

    `kind` tells the template what happened ("received", "status", "message",
    "decision", "aangifte", "referral"); the template writes the words.
    """

    at: datetime.datetime
    kind: str
    when: str  # as shown: "d-m-Y H:i", or "d-m-Y" for what is recorded by date only
    iso: str  # for <time datetime>
    actor: str = ""
    from_label: Any = ""
    to_label: Any = ""
    label: Any = ""
    needs_approval: bool = False
    is_correction: bool = False


def _moment(at: datetime.datetime) -> dict[str, Any]:
    """A moment in local time, as shown ("d-m-Y H:i") and for <time datetime>."""
    local = timezone.localtime(at)
    return {
        "at": at,
        "when": local.strftime("%d-%m-%Y %H:%M"),
        "iso": local.isoformat("T", "minutes"),
    }


def _day(day: datetime.date) -> dict[str, Any]:
    """A date-only event, placed at the start of its local day."""
    return {
        "at": deadlines.start_of_local_day(day),
        "when": day.strftime("%d-%m-%Y"),
        "iso": day.isoformat(),
    }


def case_timeline(case: Case, content: CaseContent) -> list[TimelineEntry]:
    """The case's history, oldest first: receipt, every status change (CaseStatusChange),
    the messages with the reporter, the decisions, the aangifte and the referrals.

    One query (the status changes, with their actors' names); the rest comes from the
    case row and from `content`, which the page decrypted already, so whatever the case
    holds the page reads the same number of queries. Call it only with the content of
    someone who may view the case: it shows nothing that the case page does not.
    """
    statuses = dict(Status.choices)
    entries = [TimelineEntry(**_moment(case.received_at), kind="received")]
    changes = CaseStatusChange.objects.filter(case=case).order_by("at", "pk")
    acknowledged_in_history = False
    for at, from_status, to_status, transition, actor in changes.values_list(
        "at", "from_status", "to_status", "transition", "actor__full_name"
    ):
        acknowledged_in_history |= transition == "acknowledge"
        entries.append(
            TimelineEntry(
                **_moment(at),
                kind="status",
                actor=actor or "",
                from_label=statuses.get(from_status, from_status),
                to_label=statuses.get(to_status, to_status),
            )
        )
    if case.acknowledged_at is not None and not acknowledged_in_history:
        # A case acknowledged before the status history was kept (cases migration 0010).
        entries.append(
            TimelineEntry(
                **_moment(case.acknowledged_at),
                kind="status",
                actor=getattr(case, "acknowledged_by_name", None) or "",
                from_label=statuses[Status.RECEIVED],
                to_label=statuses[Status.TRIAGE],
            )
        )
    entries.extend(
        TimelineEntry(
            at=m.created_at,
            when=m.when,
            iso=timezone.localtime(m.created_at).isoformat("T", "minutes"),
            kind="message",
            actor=m.author_name,
            label=m.label,
            needs_approval=m.needs_approval,
            is_correction=m.is_correction,
        )
        for m in content.messages
    )
    if case.decided_at is not None and case.finding:
        entries.append(
            TimelineEntry(
                **_moment(case.decided_at),
                kind="decision",
                actor=getattr(case, "decided_by_name", None) or "",
                label=dict(Finding.choices).get(case.finding, case.finding),
            )
        )
    if case.aangifte_decision is not None and case.aangifte_date is not None:
        entries.append(
            TimelineEntry(**_day(case.aangifte_date), kind="aangifte", label=case.aangifte_decision)
        )
    entries.extend(
        TimelineEntry(**_day(r.on), kind="referral", actor=r.author_name, label=r.label)
        for r in content.referrals
        if r.on is not None
    )
    entries.sort(key=lambda entry: entry.at)
    return entries


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
    if not access.as_coordinator:
        raise Http404
    protection_log = [
        Entry(
            created_at=p.created_at,
            body=vault.unseal(case, "protection_measure", p.measure_enc, row=p.pk),
            extra=vault.unseal(case, "protection_reason", p.reason_enc, row=p.pk),
            author_name=p.recorded_by.full_name,
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


# --- figures for integrity officers -------------------------------------------------

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
    org_ids = user_roles(user).organisation_ids(Role.INTEGRITY_OFFICER)
    organisations = list(Organisation.objects.filter(pk__in=org_ids).order_by("name"))
    counts: dict[tuple[int, str, str], int] = defaultdict(int)
    # One pass over the organisations' cases along case_org_status_kind_idx, both
    # dimensions summed from the same groups.
    rows = (
        Case.objects.filter(organisation_id__in=org_ids)
        .values_list("organisation_id", "status", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for org_id, status, kind, n in rows:
        counts[(org_id, "status", status)] += n
        counts[(org_id, "kind", kind)] += n
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


# --- where a user works -------------------------------------------------------------


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
