"""Substitutes (seed 5.2): who takes over a case when a role holder is involved.

A substitute reads the cases that concern the person they replace, so designating one
follows the four-eyes rule of the content roles (DESIGN §2, R-BIO-2): one administrator
requests, another approves. From the intake on, or once a role holder is linked as
involved, the organisation's active substitutes become the case's handlers.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import RoleAssignment
from integritas.accounts.selectors import user_roles
from integritas.audit.constants import Result
from integritas.audit.services import audit_record
from integritas.cases.access import person_index
from integritas.cases.constants import SubstituteRole
from integritas.cases.models import Case, CaseHandler, InvolvedPerson, Substitute
from integritas.cases.writes import create_sealed
from integritas.organisations.models import Employee, Organisation


def _substitute_handler_role(replaces_role: str) -> str:
    return Role.SECRETARY if replaces_role == Role.SECRETARY else Role.INTEGRITY_COORDINATOR


def _administers(actor: Any, organisation_id: int) -> bool:
    return user_roles(actor).has(Role.ADMINISTRATOR, organisation_id)


def _substitute_deny(action: str, actor: Any, obj: Any, organisation: Any, message: str) -> None:
    audit_record(
        action=action,
        actor=actor,
        actor_role=Role.ADMINISTRATOR,
        obj=obj,
        organisation=organisation,
        result=Result.DENIED,
    )
    raise PermissionDenied(message)


def substitute_request(
    *, actor: Any, organisation: Organisation, replaces_role: str, user: Any
) -> Substitute:
    """An administrator of the organisation proposes a substitute; it waits for a second."""
    if replaces_role not in SubstituteRole.values:
        raise ValidationError({"replaces_role": _("Kies een rol die vervangen kan worden.")})
    if not _administers(actor, organisation.pk):
        _substitute_deny(
            "substitute.request",
            actor,
            user,
            organisation,
            _("U beheert deze organisatie niet."),
        )
    if actor.pk == user.pk:
        _substitute_deny(
            "substitute.request",
            actor,
            user,
            organisation,
            _("U kunt uzelf niet als vervanger aanwijzen."),
        )
    with transaction.atomic():
        exists = Substitute.objects.filter(
            organisation=organisation,
            replaces_role=replaces_role,
            user=user,
            status__in=[AssignmentStatus.PENDING, AssignmentStatus.ACTIVE],
        ).exists()
        if exists:
            raise ValidationError(
                _("Deze persoon is hier al vervanger voor deze rol (of wacht op goedkeuring).")
            )
        substitute = Substitute.objects.create(
            organisation=organisation,
            replaces_role=replaces_role,
            user=user,
            status=AssignmentStatus.PENDING,
            requested_by=actor,
        )
        audit_record(
            action="substitute.request",
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            obj=substitute,
            organisation=organisation,
        )
    return substitute


def can_decide_substitute(actor: Any, substitute: Substitute) -> bool:
    """Four eyes: another administrator of the organisation, not the designated person."""
    return (
        substitute.status == AssignmentStatus.PENDING
        and substitute.requested_by_id != actor.pk
        and substitute.user_id != actor.pk
        and _administers(actor, substitute.organisation_id)
    )


def substitute_decide(*, actor: Any, substitute: Substitute, approve: bool) -> Substitute:
    """The second administrator approves or rejects a pending designation."""
    action = "substitute.approve" if approve else "substitute.reject"
    with transaction.atomic():
        locked = Substitute.objects.select_for_update().get(pk=substitute.pk)
        allowed = can_decide_substitute(actor, locked)
        if allowed:
            locked.status = AssignmentStatus.ACTIVE if approve else AssignmentStatus.REJECTED
            locked.decided_by = actor
            locked.decided_at = timezone.now()
            locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
            audit_record(
                action=action,
                actor=actor,
                actor_role=Role.ADMINISTRATOR,
                obj=locked,
                organisation=locked.organisation,
            )
    if not allowed:
        _substitute_deny(
            action, actor, locked, locked.organisation, _("U kunt deze aanwijzing niet beoordelen.")
        )
    return locked


def substitute_revoke(*, actor: Any, substitute: Substitute) -> Substitute:
    """End a designation (or withdraw a pending one). The substitute loses the cases they
    handled only as substitute."""
    if not _administers(actor, substitute.organisation_id):
        _substitute_deny(
            "substitute.revoke",
            actor,
            substitute,
            substitute.organisation,
            _("U beheert deze organisatie niet."),
        )
    with transaction.atomic():
        locked = Substitute.objects.select_for_update().get(pk=substitute.pk)
        if locked.status not in (AssignmentStatus.ACTIVE, AssignmentStatus.PENDING):
            raise ValidationError(_("Deze aanwijzing is niet meer actief."))
        was_active = locked.status == AssignmentStatus.ACTIVE
        locked.status = AssignmentStatus.REVOKED
        locked.decided_by = None if locked.requested_by_id == actor.pk else actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        handler_role = _substitute_handler_role(locked.replaces_role)
        same_handler_roles = [
            r for r in SubstituteRole.values if _substitute_handler_role(r) == handler_role
        ]
        still_substitute = Substitute.objects.filter(
            organisation_id=locked.organisation_id,
            user_id=locked.user_id,
            replaces_role__in=same_handler_roles,
            status=AssignmentStatus.ACTIVE,
        ).exists()
        holds_role = user_roles(locked.user).has(handler_role, locked.organisation_id)
        if was_active and not still_substitute and not holds_role:
            CaseHandler.objects.filter(
                user_id=locked.user_id,
                case__organisation_id=locked.organisation_id,
                role=handler_role,
                active=True,
            ).update(active=False)
        audit_record(
            action="substitute.revoke",
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            obj=locked,
            organisation=locked.organisation,
        )
    return locked


def substitutes_designated(organisation: Organisation, role: str) -> bool:
    """Whether the organisation has an active substitute for `role` (a SubstituteRole)."""
    return Substitute.objects.filter(
        organisation=organisation, replaces_role=role, status=AssignmentStatus.ACTIVE
    ).exists()


def route_to_substitutes(case: Case, role: str) -> None:
    """The reporter says the report concerns a holder of `role`; not knowing which one,
    every holder for the organisation is named as involved (a blind index, as always),
    so none of them sees the case, and the organisation's substitutes take it over.
    case_submit has checked that there is a substitute."""
    holders = RoleAssignment.objects.filter(
        models.Q(organisation=case.organisation) | models.Q(region_id=case.organisation.region_id),
        role=role,
        status=AssignmentStatus.ACTIVE,
    ).values("user_id")
    label = _("%(role)s, volgens de melder") % {"role": SubstituteRole(role).label}
    employees = Employee.objects.filter(user_id__in=holders).select_related("organisation")
    for employee in employees:
        create_sealed(
            InvolvedPerson,
            case,
            {"description_enc": ("involved", label)},
            blind_index=person_index(employee.organisation.slug, employee.personnel_number),
        )
    for substitute in Substitute.objects.filter(
        organisation=case.organisation, replaces_role=role, status=AssignmentStatus.ACTIVE
    ):
        CaseHandler.objects.get_or_create(
            case=case, user=substitute.user, role=_substitute_handler_role(role), active=True
        )


def assign_substitutes(case: Case, employee: Employee) -> None:
    roles = user_roles(employee.user)
    for role in (Role.INTEGRITY_COORDINATOR, Role.SECRETARY, Role.INTEGRITY_OFFICER):
        if not roles.has(role, case.organisation_id):
            continue
        for substitute in Substitute.objects.filter(
            organisation=case.organisation, replaces_role=role, status=AssignmentStatus.ACTIVE
        ).exclude(user=employee.user):
            handler_role = _substitute_handler_role(role)
            CaseHandler.objects.get_or_create(
                case=case, user=substitute.user, role=handler_role, active=True
            )
