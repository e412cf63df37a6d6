"""Who sees and records duties (pure predicates, tested as a role x action matrix).

HRM sees and records every duty of the organisations they hold the HRM role in; a
manager sees the duties of their team and records one of them: integrity discussed in
the HRM cycle (R-AW-2); an employee sees their own on
"Mijn integriteit" and acknowledges their own integriteitsverklaring there. Everything
else is invisible (selectors: 404).
"""

from typing import Any

import rules

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles

from .constants import DutyKind


def _organisation_id(target: Any) -> int | None:
    if target is None:
        return None
    if isinstance(target, int):
        return target
    return getattr(target, "organisation_id", None) or getattr(target, "pk", None)


@rules.predicate
def is_hrm_for(user: Any, target: Any = None) -> bool:
    """HRM anywhere; with a duty, an organisation or its id: HRM of that organisation."""
    roles = user_roles(user)
    if target is None:
        return roles.has(Role.HRM)
    organisation_id = _organisation_id(target)
    return organisation_id is not None and roles.has(Role.HRM, organisation_id)


@rules.predicate
def is_manager(user: Any) -> bool:
    return user_roles(user).is_manager


@rules.predicate
def has_employee(user: Any) -> bool:
    return user_roles(user).employee is not None


@rules.predicate
def owns_declaration(user: Any, duty: Any) -> bool:
    """The employee whose integriteitsverklaring this is (hired worker or intern)."""
    employee = user_roles(user).employee
    return (
        employee is not None
        and duty is not None
        and getattr(duty, "kind", "") == DutyKind.DECLARATION
        and duty.employee_id == employee.pk
    )


rules.add_perm("obligations.view_duties", is_hrm_for)
rules.add_perm("obligations.manage_duty", is_hrm_for)
rules.add_perm("obligations.view_team", is_manager)
#: R-AW-2: a manager records that integrity was discussed in the HRM cycle of a team
#: member (the service checks that the duty is of their team).
rules.add_perm("obligations.record_interview", is_manager)
rules.add_perm("obligations.view_own", has_employee)
rules.add_perm("obligations.acknowledge_declaration", owns_declaration)
