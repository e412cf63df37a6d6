"""Duties made from the rules: per employment type and function, with their due dates."""

import datetime

import pytest
import time_machine

from integritas.obligations import services
from integritas.obligations.constants import DutyKind, DutyStatus
from integritas.obligations.models import Duty, ObligationSettings
from integritas.organisations import events
from integritas.organisations.constants import EmploymentType, ScreeningProfile
from integritas.organisations.models import Employee
from tests.factories import FunctionFactory
from tests.obligations.factories import starter, vulnerable_function

pytestmark = pytest.mark.django_db


def kinds(employee):
    return set(Duty.objects.filter(employee=employee).values_list("kind", flat=True))


@pytest.mark.requirement("R-AW-4")
def test_employee_gets_the_oath_hired_worker_and_intern_the_declaration(organisation):
    start = datetime.date(2026, 12, 1)
    employed = starter(organisation, start, employment_type=EmploymentType.EMPLOYED)
    hired = starter(organisation, start, employment_type=EmploymentType.HIRED)
    intern = starter(organisation, start, employment_type=EmploymentType.INTERN)
    assert kinds(employed) == {
        DutyKind.OATH,
        DutyKind.CODE_OF_CONDUCT,
        DutyKind.HANDBOOK,
        DutyKind.SECURITY_TRAINING,
        DutyKind.INTEGRITY_INTERVIEW,
    }
    for other in (hired, intern):
        assert kinds(other) == {
            DutyKind.DECLARATION,
            DutyKind.CODE_OF_CONDUCT,
            DutyKind.HANDBOOK,
            DutyKind.SECURITY_TRAINING,
        }


def test_vog_follows_the_functions_screening_profile_and_areas(organisation):
    function = vulnerable_function(organisation)
    plain = FunctionFactory(organisation=organisation, screening_profile=ScreeningProfile.NONE)
    start = datetime.date(2026, 12, 1)
    screened = starter(organisation, start, function=function)
    unscreened = starter(organisation, start, function=plain)
    vog = Duty.objects.get(employee=screened, kind=DutyKind.VOG)
    assert vog.screening_profile == ScreeningProfile.SPECIFIC
    assert vog.screening_areas == ["geld", "informatie"]
    assert vog.due_date == start  # before starting
    assert DutyKind.VOG not in kinds(unscreened)


def test_rules_are_configurable_per_organisation(organisation, other_organisation):
    ObligationSettings.objects.create(
        organisation=organisation,
        rules={DutyKind.SECURITY_TRAINING: [EmploymentType.EMPLOYED]},
        training_window_months=2,
    )
    start = datetime.date(2026, 12, 1)
    here = starter(organisation, start)
    there = starter(other_organisation, start)
    assert kinds(here) == {DutyKind.SECURITY_TRAINING}
    assert Duty.objects.get(employee=here).due_date == datetime.date(2027, 2, 1)
    assert DutyKind.OATH in kinds(there)


def test_planning_twice_makes_nothing_new(organisation):
    employee = starter(organisation, datetime.date(2026, 12, 1))
    before = Duty.objects.count()
    events.employee_started.send(sender=Employee, employee_ids=[employee.pk])
    assert Duty.objects.count() == before


@pytest.mark.requirement("R-BIO-3")
@pytest.mark.parametrize(
    ("start", "due"),
    [
        (datetime.date(2026, 11, 28), datetime.date(2027, 2, 28)),  # a Saturday
        (datetime.date(2028, 2, 29), datetime.date(2028, 5, 29)),  # leap day
        (datetime.date(2026, 11, 30), datetime.date(2027, 2, 28)),  # no 30 February
    ],
)
def test_security_training_due_three_months_after_start(organisation, start, due):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC), tick=False):
        employee = starter(organisation, start)
    duty = Duty.objects.get(employee=employee, kind=DutyKind.SECURITY_TRAINING)
    assert duty.due_date == due


@pytest.mark.requirement("R-BIO-3")
def test_training_overdue_only_after_the_window(organisation):
    from integritas.obligations.selectors import duties_filter

    start = datetime.date(2026, 11, 28)  # Saturday
    with time_machine.travel(datetime.datetime(2026, 11, 27, 12, tzinfo=datetime.UTC), tick=False):
        starter(organisation, start)
    training = Duty.objects.filter(kind=DutyKind.SECURITY_TRAINING)
    on_due = duties_filter(training, state="overdue", today=datetime.date(2027, 2, 28))
    day_after = duties_filter(training, state="overdue", today=datetime.date(2027, 3, 1))
    assert not on_due.exists()
    assert day_after.count() == 1


def test_leaver_duties_close_and_new_function_adds_its_vog(organisation):
    employee = starter(organisation, datetime.date(2026, 1, 5))
    assert DutyKind.VOG not in kinds(employee)
    employee.function = vulnerable_function(organisation)
    employee.save()
    events.function_changed.send(sender=Employee, employee_ids=[employee.pk])
    vog = Duty.objects.get(employee=employee, kind=DutyKind.VOG)
    assert vog.status == DutyStatus.OPEN
    assert vog.due_date > datetime.date(2026, 1, 5)  # not overdue the day it was added
    employee.end_date = datetime.date(2026, 1, 20)
    employee.save()
    events.employee_left.send(sender=Employee, employee_ids=[employee.pk])
    assert not Duty.objects.filter(employee=employee, status=DutyStatus.OPEN).exists()
    assert Duty.objects.filter(employee=employee, status=DutyStatus.CLOSED).count() > 0


@pytest.mark.requirement("R-AW-2")
def test_yearly_integrity_duty_each_year(organisation):
    employee = starter(organisation, datetime.date(2025, 3, 1))
    services.yearly_duties_plan(today=datetime.date(2027, 1, 10))
    periods = set(
        Duty.objects.filter(employee=employee, kind=DutyKind.INTEGRITY_INTERVIEW).values_list(
            "period", flat=True
        )
    )
    assert 2027 in periods
    services.yearly_duties_plan(today=datetime.date(2027, 1, 11))
    assert (
        Duty.objects.filter(
            employee=employee, kind=DutyKind.INTEGRITY_INTERVIEW, period=2027
        ).count()
        == 1
    )


def test_vulnerable_functions_are_rescreened_every_n_years(organisation):
    ObligationSettings.objects.create(organisation=organisation, vog_rescreen_years=3)
    function = vulnerable_function(organisation)
    with time_machine.travel(datetime.datetime(2020, 1, 2, 9, tzinfo=datetime.UTC), tick=False):
        employee = starter(organisation, datetime.date(2020, 1, 6), function=function)
    Duty.objects.filter(employee=employee, kind=DutyKind.VOG).update(
        status=DutyStatus.DONE,
        completed_on=datetime.date(2020, 1, 3),
        vog_issued_on=datetime.date(2019, 12, 1),
    )
    fresh = starter(organisation, datetime.date(2026, 1, 5), function=function)
    Duty.objects.filter(employee=fresh, kind=DutyKind.VOG).update(
        status=DutyStatus.DONE,
        completed_on=datetime.date(2026, 1, 3),
        vog_issued_on=datetime.date(2025, 12, 1),
    )
    today = datetime.date(2026, 12, 6)
    services.yearly_duties_plan(today=today)
    again = Duty.objects.get(employee=employee, kind=DutyKind.VOG, period=2026)
    assert again.status == DutyStatus.OPEN
    assert again.due_date == today + datetime.timedelta(days=30)
    assert again.screening_areas == ["geld", "informatie"]
    assert not Duty.objects.filter(employee=fresh, kind=DutyKind.VOG, period=2026).exists()
    services.yearly_duties_plan(today=today)
    assert Duty.objects.filter(employee=employee, kind=DutyKind.VOG).count() == 2


def test_without_rescreening_term_no_new_vog(organisation):
    function = vulnerable_function(organisation)
    employee = starter(organisation, datetime.date(2018, 1, 8), function=function)
    Duty.objects.filter(employee=employee, kind=DutyKind.VOG).update(
        status=DutyStatus.DONE,
        completed_on=datetime.date(2018, 1, 3),
        vog_issued_on=datetime.date(2017, 12, 1),
    )
    services.yearly_duties_plan(today=datetime.date(2026, 12, 6))
    assert Duty.objects.filter(employee=employee, kind=DutyKind.VOG).count() == 1
