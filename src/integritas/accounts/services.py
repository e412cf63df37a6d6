"""Writes for users and role assignments: permission-checked, atomic, audited (R-BIO-2)."""

from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.audit.constants import Result
from integritas.audit.services import audit_record

from .constants import EITHER_SCOPE_ROLES, REGIONAL_ROLES, AssignmentStatus, Role
from .models import RoleAssignment, User
from .permissions import can_decide_assignment, needs_second_approval
from .selectors import forget_user_roles, user_roles


def _audit(
    action: str,
    actor: User | None,
    obj: Any,
    organisation: Any = None,
    result: str = Result.SUCCESS,
) -> None:
    audit_record(
        action=action,
        actor=actor,
        actor_role=Role.ADMINISTRATOR if actor is not None else "",
        obj=obj,
        organisation=organisation,
        result=result,
    )


def _deny(action: str, actor: User, obj: Any, organisation: Any, message: str = "") -> None:
    """Record a refused attempt on a privileged assignment (R-BIO-2), then refuse it."""
    _audit(action, actor, obj, organisation, result=Result.DENIED)
    raise PermissionDenied(message) if message else PermissionDenied


def _require_admin_for(actor: User, organisation: Any) -> None:
    roles = user_roles(actor)
    if organisation is None:
        if Role.ADMINISTRATOR not in roles.regional_roles:
            raise PermissionDenied
    elif not roles.has(Role.ADMINISTRATOR, organisation):
        raise PermissionDenied


def user_create(
    *, actor: User | None, email: str, full_name: str, password: str | None = None
) -> User:
    """Create a login. Without a password it can only sign in through SSO or a reset.

    The address comes from an administrator or HR data, never from the person, so it is
    recorded as verified. Otherwise allauth would wipe the password at the first SSO
    login, a guard meant for self-registered accounts with an unproven address.
    """
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password, full_name=full_name)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        _audit("user.create", actor, user)
    return user


def user_set_active(*, actor: User, user: User, active: bool) -> User:
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active", "updated_at"])
        _audit("user.activate" if active else "user.deactivate", actor, user)
    return user


def _validate_scope(role: str, organisation: Any, region: Any) -> None:
    if role == Role.EMPLOYEE:
        raise ValidationError(
            _("Iedere medewerker is al medewerker; die rol wordt niet toegekend.")
        )
    if (organisation is None) == (region is None):
        raise ValidationError(_("Kies een organisatie óf de regio."))
    if role in REGIONAL_ROLES and organisation is not None:
        raise ValidationError(_("Deze rol geldt voor de hele regio."))
    if role not in REGIONAL_ROLES | EITHER_SCOPE_ROLES and region is not None:
        raise ValidationError(_("Deze rol geldt voor één organisatie."))


def role_assignment_request(
    *,
    actor: User | None,
    user: User,
    role: str,
    organisation: Any = None,
    region: Any = None,
    reason: str = "",
) -> RoleAssignment:
    """Grant a role; a role that sees case or counsellor content waits for a second admin.

    `actor=None` is the system itself (seed, command line): it grants directly.
    """
    _validate_scope(role, organisation, region)
    if actor is not None:
        try:
            _require_admin_for(actor, organisation)
        except PermissionDenied:
            _deny("role.request", actor, user, organisation)
        if actor.pk == user.pk:
            _deny("role.request", actor, user, organisation, _("U kunt uzelf geen rol toekennen."))
    pending = actor is not None and needs_second_approval(role)
    with transaction.atomic():
        exists = RoleAssignment.objects.filter(
            user=user,
            role=role,
            organisation=organisation,
            region=region,
            status__in=[AssignmentStatus.PENDING, AssignmentStatus.ACTIVE],
        ).exists()
        if exists:
            raise ValidationError(
                _("Deze gebruiker heeft deze rol hier al (of die wacht op goedkeuring).")
            )
        assignment = RoleAssignment.objects.create(
            user=user,
            role=role,
            organisation=organisation,
            region=region,
            status=AssignmentStatus.PENDING if pending else AssignmentStatus.ACTIVE,
            requested_by=actor,
            reason=reason,
        )
        _audit("role.request" if pending else "role.grant", actor, assignment, organisation)
    forget_user_roles(user)
    return assignment


def role_assignment_decide(
    *, actor: User, assignment: RoleAssignment, approve: bool
) -> RoleAssignment:
    """The second administrator approves or rejects a pending grant (four eyes)."""
    with transaction.atomic():
        locked = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        allowed = can_decide_assignment(actor, locked)
        if allowed:
            locked.status = AssignmentStatus.ACTIVE if approve else AssignmentStatus.REJECTED
            locked.decided_by = actor
            locked.decided_at = timezone.now()
            locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
            _audit("role.approve" if approve else "role.reject", actor, locked, locked.organisation)
    if not allowed:
        _deny(
            "role.approve" if approve else "role.reject",
            actor,
            locked,
            locked.organisation,
            _("U kunt deze aanvraag niet beoordelen."),
        )
    forget_user_roles(locked.user)
    return locked


def role_assignment_revoke(*, actor: User, assignment: RoleAssignment) -> RoleAssignment:
    try:
        _require_admin_for(actor, assignment.organisation)
    except PermissionDenied:
        _deny("role.revoke", actor, assignment, assignment.organisation)
    with transaction.atomic():
        locked = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status not in (AssignmentStatus.ACTIVE, AssignmentStatus.PENDING):
            raise ValidationError(_("Deze toewijzing is niet meer actief."))
        locked.status = AssignmentStatus.REVOKED
        locked.decided_by = None if locked.requested_by_id == actor.pk else actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        _audit("role.revoke", actor, locked, locked.organisation)
    forget_user_roles(locked.user)
    return locked
