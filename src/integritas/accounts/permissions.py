"""Pure predicates for the accounts, organisations and audit pages (tested as a matrix)."""

from typing import Any

import rules

from .constants import FOUR_EYES_ROLES, AssignmentStatus, Role
from .selectors import user_roles


@rules.predicate
def is_administrator(user: Any) -> bool:
    return user_roles(user).has(Role.ADMINISTRATOR)


@rules.predicate
def is_hrm(user: Any) -> bool:
    return user_roles(user).has(Role.HRM)


@rules.predicate
def is_employee(user: Any) -> bool:
    return user_roles(user).employee is not None


@rules.predicate
def can_decide_assignment(user: Any, assignment: Any) -> bool:
    """Four eyes: another administrator of the same scope decides a pending grant."""
    if assignment is None:
        return user_roles(user).has(Role.ADMINISTRATOR)
    roles = user_roles(user)
    if assignment.status != AssignmentStatus.PENDING or assignment.requested_by_id == user.pk:
        return False
    if assignment.user_id == user.pk:
        return False
    if assignment.organisation_id is None:
        return Role.ADMINISTRATOR in roles.regional_roles
    return roles.has(Role.ADMINISTRATOR, assignment.organisation_id)


def needs_second_approval(role: str) -> bool:
    """Content roles and the administrator role are granted by two administrators."""
    return role in FOUR_EYES_ROLES


rules.add_perm("accounts.manage_users", is_administrator)
rules.add_perm("accounts.decide_assignment", can_decide_assignment)
rules.add_perm("accounts.view_access_review", is_administrator)
rules.add_perm("audit.view_events", is_administrator)
rules.add_perm("organisations.import_hr", is_hrm)
rules.add_perm("organisations.view_employees", is_hrm)
rules.add_perm("organisations.change_settings", is_administrator)
