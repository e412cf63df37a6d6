"""R-AW-2: the manager records that integrity was discussed in the HRM cycle of a member
of their team; nobody else does so through this page, and a wrong date is refused."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.obligations import services
from integritas.obligations.constants import DutyKind, DutyStatus
from integritas.obligations.models import Duty
from tests.conftest import login_with_second_factor
from tests.factories import ALL_ASSIGNABLE_ROLES, EmployeeFactory
from tests.obligations.factories import starter

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 3, 2)
NOW = datetime.datetime(2026, 12, 6, 10, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 12, 6)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def interview_of(employee):
    return Duty.objects.get(employee=employee, kind=DutyKind.INTEGRITY_INTERVIEW, period=2026)


def _url(duty):
    return reverse("obligations:interview_record", args=[duty.pk])


@pytest.mark.requirement("R-AW-2")
def test_the_manager_records_integrity_discussed_in_the_hrm_cycle(organisation):
    manager = EmployeeFactory(organisation=organisation)
    member = starter(organisation, START, manager=manager)
    duty = interview_of(member)
    client = login_with_second_factor(Client(), manager.user)
    detail = client.get(reverse("obligations:duty_detail", args=[duty.pk])).content.decode()
    assert _url(duty) in detail
    assert client.get(_url(duty)).status_code == 200

    future = client.post(_url(duty), {"discussed_on": "2026-12-20"})
    assert future.status_code == 400
    assert "toekomst" in future.content.decode()
    last_year = client.post(_url(duty), {"discussed_on": "2025-12-20"})
    assert last_year.status_code == 400
    assert "kies een datum in 2026" in last_year.content.decode()
    assert interview_of(member).status == DutyStatus.OPEN

    done = client.post(_url(duty), {"discussed_on": "2026-11-12", "note": "Jaargesprek"})
    assert done.status_code == 302
    duty.refresh_from_db()
    assert (duty.status, duty.completed_on, duty.recorded_by_id) == (
        DutyStatus.DONE,
        datetime.date(2026, 11, 12),
        manager.user.pk,
    )
    event = AuditEvent.objects.get(action="obligations.interview_recorded")
    assert (event.object_id, event.actor_role) == (str(duty.pk), "manager")
    # Done: the page says so instead of a second record.
    again = client.post(_url(duty), {"discussed_on": "2026-11-13"}, follow=True)
    assert "niet meer open" in again.content.decode()
    assert AuditEvent.objects.filter(action="obligations.interview_recorded").count() == 1


@pytest.mark.parametrize("role", [None, *ALL_ASSIGNABLE_ROLES], ids=lambda r: r or "employee")
def test_only_the_members_manager_records_it(client_for, organisation, role):
    """Every role that is not the member's manager: 403 without a team, 404 with another
    team; the employee themself cannot record their own."""
    member = starter(organisation, START, manager=EmployeeFactory(organisation=organisation))
    duty = interview_of(member)
    client = client_for(role, organisation)
    assert client.get(_url(duty)).status_code == 403
    assert client.post(_url(duty), {"discussed_on": "2026-11-12"}).status_code == 403
    own = login_with_second_factor(Client(), member.user)
    assert own.get(_url(duty)).status_code == 403
    other_manager = EmployeeFactory(organisation=organisation)
    starter(organisation, START, manager=other_manager)
    other = login_with_second_factor(Client(), other_manager.user)
    assert other.get(_url(duty)).status_code == 404
    assert other.post(_url(duty), {"discussed_on": "2026-11-12"}).status_code == 404
    assert interview_of(member).status == DutyStatus.OPEN


def test_the_service_refuses_another_team_and_other_kinds(organisation, make_user):
    manager = EmployeeFactory(organisation=organisation)
    member = starter(organisation, START, manager=manager)
    stranger = starter(organisation, START)
    EmployeeFactory(organisation=organisation, manager=manager)  # the manager has a team
    with pytest.raises(PermissionDenied):
        services.interview_record(
            actor=manager.user, duty=interview_of(stranger), discussed_on=TODAY
        )
    oath = Duty.objects.get(employee=member, kind=DutyKind.OATH)
    with pytest.raises(ValidationError):
        services.interview_record(actor=manager.user, duty=oath, discussed_on=TODAY)
    with pytest.raises(PermissionDenied):
        services.interview_record(
            actor=make_user(Role.HRM, organisation), duty=interview_of(member), discussed_on=TODAY
        )
    late_starter = starter(organisation, datetime.date(2026, 11, 2), manager=manager)
    with pytest.raises(ValidationError) as refused:
        services.interview_record(
            actor=manager.user,
            duty=interview_of(late_starter),
            discussed_on=datetime.date(2026, 10, 1),
        )
    assert "vóór de datum in dienst" in refused.value.message_dict["discussed_on"][0]
