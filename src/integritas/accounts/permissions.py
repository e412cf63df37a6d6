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
