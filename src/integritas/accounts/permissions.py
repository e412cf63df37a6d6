"""Pure predicates for the accounts, organisations and audit pages (tested as a matrix)."""

from typing import Any

import rules

from .constants import FOUR_EYES_ROLES, Role
from .grants.permissions import can_decide_grant, manages_grants
from .selectors import user_roles


@rules.predicate
def is_administrator(user: Any) -> bool:
    return user_roles(user).has(Role.ADMINISTRATOR)


@rules.predicate
def is_hrm(user: Any) -> bool:
    return user_roles(user).has(Role.HRM)


#: The roles that put an employee's personnel records under a legal hold (R-DP-2): HRM,
#: who keeps the personnel file, and the integrity officer, who knows of the
#: investigations; each in their own organisation.
LEGAL_HOLD_ROLES = (Role.HRM, Role.INTEGRITY_OFFICER)


@rules.predicate
def may_set_legal_hold(user: Any, organisation: Any = None) -> bool:
    """Without an organisation (its id or an object with `organisation_id`): holds one of
    LEGAL_HOLD_ROLES somewhere; with one: in that organisation."""
    roles = user_roles(user)
    if organisation is None:
        return any(roles.has(role) for role in LEGAL_HOLD_ROLES)
    organisation_id = (
        organisation
        if isinstance(organisation, int)
        else getattr(organisation, "organisation_id", None) or organisation.pk
    )
    return any(roles.has(role, organisation_id) for role in LEGAL_HOLD_ROLES)


def needs_second_approval(role: str) -> bool:
    """Content roles and the administrator role are granted by two administrators."""
    return role in FOUR_EYES_ROLES


rules.add_perm("accounts.manage_users", is_administrator)
rules.add_perm("accounts.decide_assignment", can_decide_grant)
rules.add_perm("accounts.manage_grants", manages_grants)
rules.add_perm("accounts.view_access_review", is_administrator)
rules.add_perm("audit.view_events", is_administrator)
rules.add_perm("organisations.import_hr", is_hrm)
rules.add_perm("organisations.view_employees", is_hrm)
rules.add_perm("organisations.change_settings", is_administrator)
rules.add_perm("organisations.set_legal_hold", may_set_legal_hold)
