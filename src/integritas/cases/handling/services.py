"""The case handlers' everyday writes: the workflow steps, the decision and assessment,
messages to the reporter and notes, and the people on a case.

One transaction each, permission-checked and audited. Content never reaches the audit
log, an exception message or an e-mail: events name the case, e-mails say only that
there is news (STYLE habit 5).
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.selectors import user_roles
from integritas.audit.services import audit_record
from integritas.cases import vault
from integritas.cases.access import case_access, person_index
from integritas.cases.constants import MessageDirection
from integritas.cases.models import (
    Case,
    CaseHandler,
    CaseMessage,
    CaseNote,
    CaseStatusChange,
    InvolvedPerson,
    Substitute,
)
from integritas.cases.notices import tasks
from integritas.cases.permissions import CaseAccess
from integritas.cases.retention.services import retention_until
from integritas.cases.substitutes.services import (
    assign_substitutes,
    release_substitutes,
    substitute_handler_roles_needed,
)
from integritas.cases.workflow import TRANSITIONS, Stamp, Transition
from integritas.cases.writes import create_involved, create_sealed, lock, require
from integritas.organisations.models import Employee

# --- workflow -----------------------------------------------------------------------


def case_transition(*, actor: Any, case: Case, name: str) -> Case:
    """Take one step of the table in workflow.py: permitted, guarded, locked, audited,
    kept as a status change, its notices enqueued, all in one transaction."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError(_("Onbekende stap."))
    with transaction.atomic():
        locked = lock(case)
        _take(actor, locked, transition)
    return locked


def _take(actor: Any, locked: Case, transition: Transition) -> None:
    """The step on a case locked in the caller's transaction, exactly as the table says.

    Refuses with PermissionDenied (the permission) or ValidationError (the status, a
    guard) before anything is written."""
    require(transition.allows(actor, case_access(actor, locked)))
    if locked.status not in transition.sources:
        raise ValidationError(
            _("Deze stap kan niet vanuit de status '%(status)s'.")
            % {"status": locked.get_status_display()}
        )
    for guard in transition.guards:
        problems = guard(locked)
        if problems:
            raise ValidationError(problems)
    now = timezone.now()
    from_status = locked.status
    locked.status = transition.target
    for field, stamp in transition.stamps:
        setattr(locked, field, _stamp_value(stamp, actor, locked, now))
    locked.save()
    CaseStatusChange.objects.create(
        case=locked,
        from_status=from_status,
        to_status=transition.target,
        transition=transition.name,
        actor=actor,
        at=now,
    )
    audit_record(
        action=f"case.{transition.name}",
        actor=actor,
        actor_role=transition.role,
        obj=locked,
        organisation=locked.organisation,
    )
    for notice in transition.notices:
        tasks.enqueue_in_transaction(notice, locked.pk)


def _stamp_value(stamp: Stamp, actor: Any, case: Case, now: datetime.datetime) -> Any:
    if stamp is Stamp.NOW:
        return now
    if stamp is Stamp.ACTOR:
        return actor
    return retention_until(case, now.date())


def case_record_decision(
    *, actor: Any, case: Case, finding: str, measures: list[str], note: str = ""
) -> Case:
    """The secretary's finding and measures, and with them the 'decide' step: one
    transaction, so a refused or failed step leaves no finding behind."""
    decide = TRANSITIONS["decide"]
    with transaction.atomic():
        locked = lock(case)
        require(decide.allows(actor, case_access(actor, locked)))
        if locked.status not in decide.sources:
            raise ValidationError(_("Een besluit volgt op het onderzoeksrapport."))
        locked.finding = finding
        locked.measures = sorted(set(measures)) or ["none"]
        locked.decision_note_enc = vault.seal(locked, "decision_note", note)
        locked.save(update_fields=["finding", "measures", "decision_note_enc", "updated_at"])
        audit_record(
            action="case.decision",
            actor=actor,
            actor_role=decide.role,
            obj=locked,
            organisation=locked.organisation,
        )
        _take(actor, locked, decide)
    return locked


def case_assess(
    *,
    actor: Any,
    case: Case,
    category: str,
    is_wbk_wrongdoing: bool,
    is_eu_law_breach: bool,
    is_possible_offence: bool,
    concerns_political_office_holder: bool,
) -> Case:
    """The coordinator's classification, independent of the reporter's own kind."""
    with transaction.atomic():
        locked = lock(case)
        require(case_access(actor, locked).as_coordinator)
        newly_possible_offence = is_possible_offence and not locked.is_possible_offence
        locked.category = category
        locked.is_wbk_wrongdoing = is_wbk_wrongdoing
        locked.is_eu_law_breach = is_eu_law_breach
        locked.is_possible_offence = is_possible_offence
        locked.concerns_political_office_holder = concerns_political_office_holder
        locked.save()
        audit_record(
            action="case.assess",
            actor=actor,
            actor_role=Role.INTEGRITY_COORDINATOR,
            obj=locked,
            organisation=locked.organisation,
        )
        if newly_possible_offence:
            tasks.enqueue_in_transaction(tasks.notify_aangifte_decision_needed, locked.pk)
    return locked


# --- messages and notes -------------------------------------------------------------


def case_message_to_reporter(
    *,
    actor: Any,
    case: Case,
    body: str,
    is_feedback: bool = False,
    needs_approval: bool = False,
) -> CaseMessage:
    """A message the reporter reads in the mailbox; `is_feedback` records R-WBK-4 feedback.

    `needs_approval` marks it as minutes (verslag) the reporter may approve (R-WBK-8). New
    minutes replace earlier ones that still await approval: those stay in the mailbox,
    marked as replaced, and can no longer be approved.
    """
    if not body.strip():
        raise ValidationError({"body": _("Schrijf een bericht.")})
    with transaction.atomic():
        locked = lock(case)
        require(case_access(actor, locked).as_coordinator)
        if needs_approval:
            CaseMessage.objects.filter(
                case=locked,
                needs_approval=True,
                approved_at__isnull=True,
                superseded_at__isnull=True,
            ).update(superseded_at=timezone.now())
        message = create_sealed(
            CaseMessage,
            locked,
            {"body_enc": ("message", body)},
            direction=MessageDirection.TO_REPORTER,
            author=actor,
            needs_approval=needs_approval,
        )
        if is_feedback and locked.feedback_given_at is None:
            locked.feedback_given_at = message.created_at
            locked.save(update_fields=["feedback_given_at", "updated_at"])
        audit_record(
            action="case.feedback" if is_feedback else "case.message",
            actor=actor,
            actor_role=Role.INTEGRITY_COORDINATOR,
            obj=locked,
            organisation=locked.organisation,
        )
        tasks.enqueue_in_transaction(tasks.notify_news_for_reporter, locked.pk)
    return message


def case_add_note(*, actor: Any, case: Case, body: str) -> CaseNote:
    if not body.strip():
        raise ValidationError({"body": _("Schrijf een notitie.")})
    with transaction.atomic():
        require(_any_handler(case_access(actor, case)))
        note = create_sealed(CaseNote, case, {"body_enc": ("note", body)}, author=actor)
        audit_record(action="case.note", actor=actor, obj=case, organisation=case.organisation)
    return note


def _any_handler(access: CaseAccess) -> bool:
    return access.as_coordinator or access.as_secretary or access.as_investigator


# --- people -------------------------------------------------------------------------


DUPLICATE_LINK = gettext_lazy("Deze medewerker is al als betrokkene aan deze melding gekoppeld.")


def case_link_involved(
    *, actor: Any, case: Case, employee: Employee, description: str
) -> InvolvedPerson:
    """Name an employee as involved, once per case. Stored as a blind index, with who it
    is sealed under the case's key (writes.create_involved). The web form offers only the
    case's organisation's employees; a service caller may name someone from elsewhere who
    works on its cases (a substitute, a regional role holder).

    The person's handler rows on the case end; when the person holds a role that would
    handle the case, the organisation's designated substitute takes over (seed 5.2).
    """
    with transaction.atomic():
        locked = lock(case)
        require(case_access(actor, locked).as_coordinator)
        index = person_index(employee.organisation.slug, employee.personnel_number)
        if InvolvedPerson.objects.filter(case=locked, blind_index=index).exists():
            raise ValidationError({"employee": str(DUPLICATE_LINK)})
        ended: list[int] = []
        if employee.user_id is not None:
            ended = list(
                CaseHandler.objects.filter(
                    case=locked, user_id=employee.user_id, active=True
                ).values_list("pk", flat=True)
            )
        try:
            with transaction.atomic():  # the constraint, should a check above be outrun
                person = create_involved(locked, employee, description, ended_handlers=ended)
        except IntegrityError:
            raise ValidationError({"employee": str(DUPLICATE_LINK)}) from None
        if employee.user_id is not None:
            CaseHandler.objects.filter(pk__in=ended).update(active=False)
            assign_substitutes(locked, employee)
        audit_record(
            action="case.involved_linked",
            actor=actor,
            actor_role=Role.INTEGRITY_COORDINATOR,
            obj=locked,
            organisation=locked.organisation,
        )
    return person


def case_unlink_involved(*, actor: Any, case: Case, person: InvolvedPerson) -> None:
    """Undo a link: the row goes, and with it what the link did to need to know.

    The person sees the case again as far as their roles allow (access.py): the handler
    rows the link ended come back while they still hold the role behind them, and the
    substitutes who took over because of them leave, unless someone the case still names
    holds a role they replace. Audited without content, one transaction.
    """
    with transaction.atomic():
        locked = lock(case)
        require(case_access(actor, locked).as_coordinator)
        row = (
            InvolvedPerson.objects.select_for_update()
            .filter(pk=person.pk, case=locked)
            .exclude(blind_index="")
            .first()
        )
        if row is None:
            raise ValidationError(_("Deze koppeling bestaat niet meer."))
        link = vault.unseal_json(locked, "involved_link", row.link_enc, row=row.pk)
        employee = _linked_employee(locked, row, link)
        row.delete()
        if employee is not None and employee.user_id is not None:
            _restore_handlers(locked, employee.user, link.get("handlers"))
            release_substitutes(locked, employee)
        audit_record(
            action="case.involved_unlinked",
            actor=actor,
            actor_role=Role.INTEGRITY_COORDINATOR,
            obj=locked,
            organisation=locked.organisation,
        )


def _linked_employee(case: Case, row: InvolvedPerson, link: dict[str, Any]) -> Employee | None:
    """The employee a link names: from the sealed link, or for a row linked before it was
    kept, the employee with an account in the organisation whose blind index it is."""
    employees = Employee.objects.select_related("organisation", "user")
    if link.get("employee") is not None:
        return employees.filter(pk=link["employee"]).first()
    for employee in employees.filter(organisation_id=case.organisation_id).exclude(user=None):
        if person_index(employee.organisation.slug, employee.personnel_number) == row.blind_index:
            return employee
    return None


def _restore_handlers(case: Case, user: Any, handler_ids: list[int] | None) -> None:
    """The handler rows the link ended come back, each while its role still holds: an
    investigator still has that role here, a substitute is still designated."""
    rows = CaseHandler.objects.filter(case=case, user=user, active=False)
    if handler_ids is None:  # linked before the rows were kept: the investigator's only
        rows = rows.filter(role=Role.INVESTIGATOR).order_by("-pk")[:1]
    else:
        rows = rows.filter(pk__in=handler_ids)
    roles = user_roles(user)
    designated = set(
        Substitute.objects.filter(
            organisation_id=case.organisation_id, user=user, status=AssignmentStatus.ACTIVE
        ).values_list("replaces_role", flat=True)
    )
    needed: set[str] | None = None
    for handler in rows:
        if handler.role == Role.INVESTIGATOR:
            allowed = roles.has(Role.INVESTIGATOR, case.organisation_id)
        else:  # a substitute's row: still designated, and still needed on this case
            if needed is None:
                needed = substitute_handler_roles_needed(case)
            if handler.role == Role.SECRETARY:
                designated_for_it = Role.SECRETARY in designated
            else:
                designated_for_it = bool(designated - {Role.SECRETARY})
            allowed = designated_for_it and handler.role in needed
        already = CaseHandler.objects.filter(
            case=case, user=user, role=handler.role, active=True
        ).exists()
        if allowed and not already:
            handler.active = True
            handler.save(update_fields=["active", "updated_at"])


def case_assign_investigator(*, actor: Any, case: Case, user: Any) -> CaseHandler:
    """Assign an investigator; never someone named as involved (R-WBK-7)."""
    with transaction.atomic():
        locked = lock(case)
        require(case_access(actor, locked).as_coordinator)
        if not user_roles(user).has(Role.INVESTIGATOR, locked.organisation_id):
            raise ValidationError(_("Deze persoon heeft geen rol als onderzoeker hier."))
        if case_access(user, locked).involved:
            raise ValidationError(
                _("Deze persoon is betrokken bij de melding en kan er niet aan werken.")
            )
        handler, _created = CaseHandler.objects.get_or_create(
            case=locked, user=user, role=Role.INVESTIGATOR, active=True
        )
        audit_record(
            action="case.assign_investigator",
            actor=actor,
            actor_role=Role.INTEGRITY_COORDINATOR,
            obj=locked,
            organisation=locked.organisation,
        )
    return handler
