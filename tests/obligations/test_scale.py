"""The scale phase: duties for every generated employee, in every state."""

from io import StringIO

import pytest
from django.core.management import call_command

from integritas.obligations.constants import DutyKind, DutyStatus, OathForm
from integritas.obligations.models import Duty
from integritas.obligations.selectors import duties_filter
from integritas.organisations.constants import EmploymentType
from integritas.organisations.models import Employee

pytestmark = pytest.mark.django_db


def test_seed_scale_gives_every_employee_their_duties():
    call_command(
        "seed_scale",
        stdout=StringIO(),
        stderr=StringIO(),
        organisations=3,
        employees=300,
        cases_per_year=10,
        years=1,
        audit_events=1000,
    )
    current = Employee.objects.current()
    employed = current.filter(employment_type=EmploymentType.EMPLOYED)
    assert not employed.exclude(duties__kind=DutyKind.OATH).exists()
    others = current.exclude(employment_type=EmploymentType.EMPLOYED)
    assert not others.exclude(duties__kind=DutyKind.DECLARATION).exists()
    assert Duty.objects.filter(status=DutyStatus.DONE).exists()
    assert duties_filter(Duty.objects.all(), state="overdue").exists()
    done_oaths = Duty.objects.filter(kind=DutyKind.OATH, status=DutyStatus.DONE)
    assert set(done_oaths.values_list("oath_form", flat=True)) <= set(OathForm.values)
