"""Reads of organisations and people. Other apps import from here, not from models."""

from .models import Employee, Organisation, OrgUnit


def organisation_get_by_slug(slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def employee_manager(employee: Employee) -> Employee | None:
    """The manager of an employee (DESIGN §1).

    The one the HR data names wins; otherwise the first manager of their unit who is not
    the employee themself, walking up the unit tree (a unit head reports to the head of
    the parent unit).
    """
    if employee.manager_id is not None:
        return employee.manager
    unit: OrgUnit | None = employee.org_unit
    seen: set[int] = set()
    while unit is not None and unit.pk not in seen:
        seen.add(unit.pk)
        for candidate in unit.managers.order_by("pk"):
            if candidate.pk != employee.pk:
                return candidate
        unit = unit.parent
    return None
