"""Who may do what in `registers` (tested as a role x action matrix).

- Every current employee registers their own side activities, gifts, conflicts of
  interest and contract requests; only holders of a function designated for financial
  interests register those (R-AW-8).
- The employee's manager decides; the gemeentesecretaris's registrations (and those of
  anyone without a manager) go to the burgemeester; financial interests to the integrity
  officer. Nobody decides on their own registration or on one of their own manager's.
- HRM and the integrity officer keep the register of their organisation.
"""

from typing import Any

import rules

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles

from .constants import Kind, Route, Status


def current_employee(user: Any) -> Any:
    """The user's employee record while employed, else None."""
    employee = user_roles(user).employee
    if employee is None or employee.is_former:
        return None
    return employee


@rules.predicate
def is_employee(user: Any) -> bool:
    return current_employee(user) is not None


@rules.predicate
def registers_financial_interests(user: Any) -> bool:
    """R-AW-8: only holders of a designated function see the form."""
    employee = current_employee(user)
    if employee is None or employee.function_id is None:
        return False
    return bool(employee.function.designated_financial_interests)


@rules.predicate
def keeps_register(user: Any, organisation: Any = None) -> bool:
    """HRM or the integrity officer (of the organisation, when one is given)."""
    roles = user_roles(user)
    return any(roles.has(role, organisation) for role in (Role.HRM, Role.INTEGRITY_OFFICER))


@rules.predicate
def manages_counterparties(user: Any, organisation: Any = None) -> bool:
    """The integrity officer imports the organisation's counterparty list."""
    return user_roles(user).has(Role.INTEGRITY_OFFICER, organisation)


@rules.predicate
def is_mayor(user: Any) -> bool:
    return user_roles(user).has(Role.MAYOR)


@rules.predicate
def is_integrity_officer(user: Any) -> bool:
    return user_roles(user).has(Role.INTEGRITY_OFFICER)


@rules.predicate
def is_manager(user: Any) -> bool:
    return user_roles(user).is_manager


@rules.predicate
def can_decide(user: Any, registration: Any = None) -> bool:
    """Without a registration: has a decision queue. With one: may decide on it now."""
    if registration is None:
        return bool(is_manager(user) or is_mayor(user) or is_integrity_officer(user))
    if registration.status != Status.PENDING:
        return False
    roles = user_roles(user)
    own = roles.employee
    if own is not None:
        if registration.employee_id == own.pk:
            return False  # never on one's own registration
        if (
            registration.route != Route.MAYOR
            and own.manager_id is not None
            and registration.employee_id == own.manager_id
        ):
            # Never on one of one's own manager's. The burgemeester stands above the
            # secretary whatever the HR data says (an account on the books in the
            # directie's unit has the secretary as its HR manager).
            return False
    if registration.route == Route.MANAGER:
        return own is not None and registration.decider_id == own.pk
    if registration.route == Route.MAYOR:
        return roles.has(Role.MAYOR, registration.organisation_id)
    if registration.route == Route.INTEGRITY_OFFICER:
        return roles.has(Role.INTEGRITY_OFFICER, registration.organisation_id)
    return False


def may_view(user: Any, registration: Any) -> bool:
    """Own registrations; the decider's; the register keepers of its organisation. A
    financial interest: only its owner, the integrity officer and HRM (R-AW-8)."""
    roles = user_roles(user)
    own = roles.employee
    if own is not None and registration.employee_id == own.pk:
        return True
    if keeps_register(user, registration.organisation_id):
        return True
    if registration.kind == Kind.FINANCIAL_INTEREST:
        return False
    if registration.route == Route.MANAGER:
        return own is not None and registration.decider_id == own.pk
    if registration.route == Route.MAYOR:
        return roles.has(Role.MAYOR, registration.organisation_id)
    return False


def may_view_outcome(user: Any, registration: Any) -> bool:
    """The manager of a financial interest's holder learns the outcome only (R-AW-8)."""
    own = user_roles(user).employee
    return (
        own is not None
        and registration.kind == Kind.FINANCIAL_INTEREST
        and registration.decider_id == own.pk
    )


rules.add_perm("registers.register", is_employee)
rules.add_perm("registers.register_financial", registers_financial_interests)
rules.add_perm("registers.decide", can_decide)
rules.add_perm("registers.view_register", keeps_register)
#: The conflict signals: the integrity officer and HRM of the organisation, nobody else.
rules.add_perm("registers.view_signals", keeps_register)
rules.add_perm("registers.import_counterparties", manages_counterparties)
