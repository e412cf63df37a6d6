"""Factories and helpers of the obligations tests."""

import datetime
from typing import Any

from integritas.organisations import events
from integritas.organisations.constants import ScreeningProfile, VulnerableActivity
from integritas.organisations.models import Employee, Organisation
from tests.factories import EmployeeFactory, FunctionFactory


def vulnerable_function(organisation: Organisation, **kwargs: Any) -> Any:
    return FunctionFactory(
        organisation=organisation,
        screening_profile=kwargs.pop("screening_profile", ScreeningProfile.SPECIFIC),
        vulnerable_activities=kwargs.pop(
            "vulnerable_activities", [VulnerableActivity.MONEY, VulnerableActivity.INFORMATION]
        ),
        **kwargs,
    )


def starter(organisation: Organisation, start: datetime.date, **kwargs: Any) -> Employee:
    """A new employee, announced as the HR import does (employee_started)."""
    employee = EmployeeFactory(organisation=organisation, start_date=start, **kwargs)
    events.employee_started.send(sender=Employee, employee_ids=[employee.pk])
    return employee
