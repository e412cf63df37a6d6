"""Writes for users and role assignments: permission-checked, atomic, audited (R-BIO-2)."""

from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas.audit.services import audit_record

from .constants import EITHER_SCOPE_ROLES, REGIONAL_ROLES, Role
from .grants.services import FourEyes, GrantTexts, grant_decide, grant_request, grant_revoke
from .models import RoleAssignment, User
from .permissions import needs_second_approval
from .selectors import forget_user_roles


def _audit(action: str, actor: User | None, obj: Any) -> None:
    audit_record(
        action=action,
        actor=actor,
        actor_role=Role.ADMINISTRATOR if actor is not None else "",
        obj=obj,
    )


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


_ROLE_TEXTS = GrantTexts(
    to_self=gettext_lazy("U kunt uzelf geen rol toekennen."),
    duplicate=gettext_lazy("Deze gebruiker heeft deze rol hier al (of die wacht op goedkeuring)."),
    not_open=gettext_lazy("Deze toewijzing is niet meer actief."),
)


def _forget_roles(assignment: RoleAssignment) -> None:
    forget_user_roles(assignment.user)


ROLE_GRANT = FourEyes(
    model=RoleAssignment,
    action="role",
    texts=_ROLE_TEXTS,
    second_approval=lambda assignment: needs_second_approval(assignment.role),
    after_write=_forget_roles,
)


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
    assignment = RoleAssignment(
        user=user, role=role, organisation=organisation, region=region, reason=reason
    )
    return grant_request(kind=ROLE_GRANT, actor=actor, grant=assignment)


def role_assignment_decide(
    *, actor: User, assignment: RoleAssignment, approve: bool
) -> RoleAssignment:
    """The second administrator approves or rejects a pending grant (four eyes)."""
    return grant_decide(kind=ROLE_GRANT, actor=actor, grant=assignment, approve=approve)


def role_assignment_revoke(*, actor: User, assignment: RoleAssignment) -> RoleAssignment:
    return grant_revoke(kind=ROLE_GRANT, actor=actor, grant=assignment)
