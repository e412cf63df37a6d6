"""Duties fulfilled by the events of other apps (policies, awareness)."""

import datetime

import pytest

from integritas.obligations.constants import DutyKind, DutyStatus
from integritas.obligations.models import Duty
from integritas.organisations import events
from integritas.organisations.models import Employee
from tests.obligations.factories import starter

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 12, 1)


def duty(employee, kind, **filters):
    return Duty.objects.get(employee=employee, kind=kind, **filters)


def test_code_of_conduct_acknowledged_any_version(organisation):
    employee = starter(organisation, START)
    events.code_of_conduct_acknowledged.send(
        sender=None, employee_id=employee.pk, version_id=17, acknowledged_on=START
    )
    found = duty(employee, DutyKind.CODE_OF_CONDUCT)
    assert (found.status, found.completed_on, found.code_of_conduct_version_id) == (
        DutyStatus.DONE,
        START,
        17,
    )


@pytest.mark.requirement("R-BIO-3")
def test_information_security_training_fulfils_the_training_duty(organisation):
    employee = starter(organisation, START)
    events.training_completed.send(
        sender=None, employee_ids=[employee.pk], topic="phishing", completed_on=START
    )
    assert duty(employee, DutyKind.SECURITY_TRAINING).status == DutyStatus.OPEN
    events.training_completed.send(
        sender=None, employee_ids=[employee.pk], topic="information_security", completed_on=START
    )
    assert duty(employee, DutyKind.SECURITY_TRAINING).status == DutyStatus.DONE


@pytest.mark.requirement("R-AW-2")
def test_integrity_discussed_fulfils_that_years_hrm_cycle(organisation):
    employee = starter(organisation, START)
    events.integrity_discussed.send(
        sender=None, employee_ids=[employee.pk], discussed_on=datetime.date(2027, 4, 2)
    )
    later = duty(employee, DutyKind.INTEGRITY_INTERVIEW, period=2027)
    assert later.status == DutyStatus.DONE
    assert duty(employee, DutyKind.INTEGRITY_INTERVIEW, period=2026).status == DutyStatus.OPEN


def test_other_organisation_events_touch_only_their_employees(organisation, other_organisation):
    mine = starter(organisation, START)
    theirs = starter(other_organisation, START)
    events.training_completed.send(
        sender=Employee,
        employee_ids=[theirs.pk],
        topic="information_security",
        completed_on=START,
    )
    assert duty(mine, DutyKind.SECURITY_TRAINING).status == DutyStatus.OPEN
