"""HRM enters one starter by hand (issue 12: "through the HR import, the HR API or by
hand"): the HR import of one row, so the same checks, and the duties that fit follow."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.obligations.constants import DutyKind
from integritas.obligations.models import Duty
from integritas.organisations.models import Employee
from tests.factories import EmployeeFactory, FunctionFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db
URL = "/medewerkers/nieuw/"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime.datetime(2026, 12, 6, 10, tzinfo=datetime.UTC), tick=False):
        yield


def _data(organisation, unit, function, **overrides):
    data = {
        "organisation": organisation.pk,
        "personnel_number": "H100",
        "first_name": "Hamza",
        "last_name": "Yilmaz",
        "email": "hamza@example.nl",
        "org_unit": unit.pk,
        "function": function.pk,
        "employment_type": "inhuur",
        "start_date": "2026-12-12",
        "manager": "",
    }
    data.update(overrides)
    return data


def test_hrm_adds_a_starter_and_the_duties_follow(client_for, organisation):
    parent = OrgUnitFactory(organisation=organisation, code="BV", name="Bedrijfsvoering")
    unit = OrgUnitFactory(organisation=organisation, code="FIN", name="Financiën", parent=parent)
    function = FunctionFactory(organisation=organisation, screening_profile="specific")
    manager = EmployeeFactory(organisation=organisation, org_unit=unit)
    client = client_for(Role.HRM, organisation)
    assert reverse("organisations:employee_create") == URL
    assert client.get(URL).status_code == 200
    response = client.post(
        URL, _data(organisation, unit, function, manager=manager.personnel_number)
    )
    assert response.status_code == 302, response.content.decode()
    employee = Employee.objects.get(organisation=organisation, personnel_number="H100")
    assert (employee.org_unit, employee.function, employee.manager) == (unit, function, manager)
    assert employee.start_date == datetime.date(2026, 12, 12)
    unit.refresh_from_db()
    assert unit.parent == parent  # the unit's place in the tree is left as it was
    kinds = set(Duty.objects.filter(employee=employee).values_list("kind", flat=True))
    assert {DutyKind.VOG, DutyKind.DECLARATION, DutyKind.SECURITY_TRAINING} <= kinds
    assert DutyKind.OATH not in kinds  # hired, not employed
    assert AuditEvent.objects.filter(action="hr.import", organisation=organisation).exists()


def test_bad_input_names_the_field_and_saves_nothing(client_for, organisation, other_organisation):
    unit = OrgUnitFactory(organisation=organisation)
    function = FunctionFactory(organisation=organisation)
    EmployeeFactory(organisation=organisation, personnel_number="TAKEN")
    client = client_for(Role.HRM, organisation)
    before = Employee.objects.count()

    taken = client.post(URL, _data(organisation, unit, function, personnel_number="TAKEN"))
    assert taken.status_code == 400
    assert "al een medewerker met dit personeelsnummer" in taken.content.decode()
    unknown_manager = client.post(URL, _data(organisation, unit, function, manager="NOBODY"))
    assert unknown_manager.status_code == 400
    assert "Yilmaz" in unknown_manager.content.decode()  # what was typed stays
    foreign_unit = OrgUnitFactory(organisation=other_organisation)
    foreign = client.post(URL, _data(organisation, foreign_unit, function))
    assert foreign.status_code == 400  # not a choice for HRM of this organisation
    other_org = client.post(URL, _data(other_organisation, unit, function))
    assert other_org.status_code == 400
    assert Employee.objects.count() == before
    assert not Duty.objects.exists()
