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


@pytest.mark.requirement("R-AW-4", "R-BIO-3")
@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # A Saturday: nothing moves to a working day; the windows count from that day.
        (
            datetime.date(2026, 11, 28),
            {
                DutyKind.VOG: datetime.date(2026, 11, 28),
                DutyKind.OATH: datetime.date(2026, 12, 28),
                DutyKind.CODE_OF_CONDUCT: datetime.date(2026, 12, 28),
                DutyKind.HANDBOOK: datetime.date(2026, 12, 28),
                DutyKind.SECURITY_TRAINING: datetime.date(2027, 2, 28),
                DutyKind.INTEGRITY_INTERVIEW: datetime.date(2026, 12, 31),
            },
        ),
        # Leap day: 30 days later is 30 March, three months later 29 May.
        (
            datetime.date(2028, 2, 29),
            {
                DutyKind.VOG: datetime.date(2028, 2, 29),
                DutyKind.OATH: datetime.date(2028, 3, 30),
                DutyKind.CODE_OF_CONDUCT: datetime.date(2028, 3, 30),
                DutyKind.HANDBOOK: datetime.date(2028, 3, 30),
                DutyKind.SECURITY_TRAINING: datetime.date(2028, 5, 29),
                DutyKind.INTEGRITY_INTERVIEW: datetime.date(2028, 12, 31),
            },
        ),
        # 30 November: three months later is 29 February of a leap year (no 30th).
        (
            datetime.date(2027, 11, 30),
            {
                DutyKind.VOG: datetime.date(2027, 11, 30),
                DutyKind.OATH: datetime.date(2027, 12, 30),
                DutyKind.CODE_OF_CONDUCT: datetime.date(2027, 12, 30),
                DutyKind.HANDBOOK: datetime.date(2027, 12, 30),
                DutyKind.SECURITY_TRAINING: datetime.date(2028, 2, 29),
                DutyKind.INTEGRITY_INTERVIEW: datetime.date(2027, 12, 31),
            },
        ),
    ],
)
def test_every_due_date_of_a_new_employee_with_a_frozen_clock(organisation, start, expected):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC), tick=False):
        employee = starter(organisation, start, function=vulnerable_function(organisation))
    due = dict(Duty.objects.filter(employee=employee).values_list("kind", "due_date"))
    assert due == expected


@pytest.mark.parametrize(
    ("start", "issued", "accepted"),
    [
        (datetime.date(2028, 5, 31), datetime.date(2028, 2, 29), True),  # three months: leap day
        (datetime.date(2028, 5, 31), datetime.date(2028, 2, 28), False),
        (datetime.date(2028, 2, 29), datetime.date(2027, 11, 29), True),  # start on leap day
        (datetime.date(2028, 2, 29), datetime.date(2027, 11, 28), False),
        (datetime.date(2026, 11, 28), datetime.date(2026, 8, 28), True),  # start on a Saturday
        (datetime.date(2026, 11, 28), datetime.date(2026, 8, 27), False),
    ],
)
def test_the_vog_validity_window_around_leap_days_and_weekends(
    organisation, make_user, start, issued, accepted
):
    from django.core.exceptions import ValidationError

    from integritas.accounts.constants import Role

    hrm = make_user(Role.HRM, organisation)
    with time_machine.travel(datetime.datetime(2028, 6, 1, 9, tzinfo=datetime.UTC), tick=False):
        employee = starter(organisation, start, function=vulnerable_function(organisation))
        vog = Duty.objects.get(employee=employee, kind=DutyKind.VOG)
        if accepted:
            services.vog_record(actor=hrm, duty=vog, issued_on=issued)
        else:
            with pytest.raises(ValidationError):
                services.vog_record(actor=hrm, duty=vog, issued_on=issued)
    vog.refresh_from_db()
    assert (vog.status == DutyStatus.DONE) == accepted


def test_a_change_of_function_closes_the_open_vog_of_the_old_one(organisation):
    """The open VOG screened for the old function's activities: it closes (vervallen) and
    the new function's VOG takes its place; a VOG already done stays as it was."""
    old, new = vulnerable_function(organisation), vulnerable_function(organisation)
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC), tick=False):
        moving = starter(organisation, datetime.date(2026, 11, 2), function=old)
        done = starter(organisation, datetime.date(2026, 11, 2), function=old)
    Duty.objects.filter(employee=done, kind=DutyKind.VOG).update(
        status=DutyStatus.DONE,
        completed_on=datetime.date(2026, 11, 1),
        vog_issued_on=datetime.date(2026, 10, 1),
    )
    Employee.objects.filter(pk__in=[moving.pk, done.pk]).update(function=new)
    with time_machine.travel(datetime.datetime(2026, 12, 6, 9, tzinfo=datetime.UTC), tick=False):
        events.function_changed.send(sender=Employee, employee_ids=[moving.pk, done.pk])
    for employee in (moving, done):
        vogs = dict(
            Duty.objects.filter(employee=employee, kind=DutyKind.VOG).values_list(
                "function_id", "status"
            )
        )
        expected_old = DutyStatus.CLOSED if employee is moving else DutyStatus.DONE
        assert vogs == {old.pk: expected_old, new.pk: DutyStatus.OPEN}
    closed = Duty.objects.get(employee=moving, function=old)
    assert closed.closed_on == datetime.date(2026, 12, 6)
    # To a function without screening: the open VOG closes, no new one.
    plain = FunctionFactory(organisation=organisation, screening_profile=ScreeningProfile.NONE)
    Employee.objects.filter(pk=moving.pk).update(function=plain)
    events.function_changed.send(sender=Employee, employee_ids=[moving.pk])
    assert not Duty.objects.filter(
        employee=moving, kind=DutyKind.VOG, status=DutyStatus.OPEN
    ).exists()
    # No function at all: nothing left to screen for.
    Employee.objects.filter(pk=done.pk).update(function=None)
    events.function_changed.send(sender=Employee, employee_ids=[done.pk])
    assert not Duty.objects.filter(
        employee=done, kind=DutyKind.VOG, status=DutyStatus.OPEN
    ).exists()
