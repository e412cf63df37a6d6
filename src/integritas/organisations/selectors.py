"""Reads of organisations and people. Other apps import from here, not from models."""

from django.db.models import QuerySet

from .models import Employee, EmployeeQuerySet, Organisation, OrgUnit, Region


def region_get_default() -> Region | None:
    """The single region of this installation's demo; real installs may have several."""
    return Region.objects.order_by("pk").first()


def organisations_all() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("region").order_by("name")


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


def employees_managed_by(manager: Employee) -> EmployeeQuerySet:
    """The current employees whose manager (as employee_manager resolves it) is `manager`.

    Named by HR, or without a named manager in a unit `manager` leads (and not the
    manager themself). Heads of child units without a named manager are included too.
    """
    led_units = list(OrgUnit.objects.filter(managers=manager).values_list("pk", flat=True))
    direct = Employee.objects.filter(manager=manager)
    by_unit = Employee.objects.filter(manager__isnull=True, org_unit__in=led_units).exclude(
        pk=manager.pk
    )
    child_heads = Employee.objects.filter(
        manager__isnull=True, managed_units__parent__in=led_units
    ).exclude(pk=manager.pk)
    return (
        (direct | by_unit | child_heads)
        .filter(organisation_id=manager.organisation_id)
        .current()
        .distinct()
        .select_related("org_unit", "function")
    )
