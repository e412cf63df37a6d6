"""A small organisation for the registers: secretary at the top, a team with a manager
and an employee, a burgemeester, an integrity officer and HRM."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from integritas.accounts import middleware
from integritas.accounts.constants import Role
from integritas.organisations.models import Employee, Function, Organisation, OrgUnit
from tests.conftest import login_with_second_factor
from tests.factories import EmployeeFactory, FunctionFactory, OrgUnitFactory, grant


@dataclass
class Org:
    organisation: Organisation
    top: OrgUnit
    team: OrgUnit
    designated: Function
    ordinary: Function
    secretary: Employee
    director: Employee
    manager: Employee
    employee: Employee
    colleague: Employee
    mayor: Any
    officer: Any
    hrm: Any


def build_org(organisation: Organisation) -> Org:
    designated = FunctionFactory(
        organisation=organisation,
        name="Gemeentesecretaris",
        designated_side_activity_publication=True,
        designated_financial_interests=True,
        vulnerable_activities=["informatie", "geld"],
    )
    ordinary = FunctionFactory(
        organisation=organisation,
        name="Medewerker burgerzaken",
        vulnerable_activities=["informatie"],
    )
    top = OrgUnitFactory(organisation=organisation, name="Directie")
    team = OrgUnitFactory(organisation=organisation, name="Burgerzaken", parent=top)
    secretary = EmployeeFactory(
        organisation=organisation, org_unit=top, function=designated, first_name="Hanneke"
    )
    grant(secretary.user, Role.SECRETARY, organisation)
    top.managers.add(secretary)
    director = EmployeeFactory(
        organisation=organisation, org_unit=top, function=designated, first_name="Robert"
    )
    manager = EmployeeFactory(
        organisation=organisation, org_unit=team, function=ordinary, first_name="Mark"
    )
    team.managers.add(manager)
    employee = EmployeeFactory(
        organisation=organisation, org_unit=team, function=ordinary, first_name="Sanne"
    )
    colleague = EmployeeFactory(
        organisation=organisation, org_unit=team, function=ordinary, first_name="Tarik"
    )
    mayor = EmployeeFactory(organisation=organisation, first_name="Burgemeester").user
    grant(mayor, Role.MAYOR, organisation)
    officer = EmployeeFactory(organisation=organisation, first_name="Eva").user
    grant(officer, Role.INTEGRITY_OFFICER, organisation)
    hrm = EmployeeFactory(organisation=organisation, first_name="Fatima").user
    grant(hrm, Role.HRM, organisation)
    return Org(
        organisation,
        top,
        team,
        designated,
        ordinary,
        secretary,
        director,
        manager,
        employee,
        colleague,
        mayor,
        officer,
        hrm,
    )


@pytest.fixture
def org(organisation: Organisation) -> Org:
    return build_org(organisation)


@pytest.fixture
def other(other_organisation: Organisation) -> Org:
    other_organisation.gift_threshold = Decimal("25.00")
    other_organisation.save()
    return build_org(other_organisation)


@pytest.fixture
def login():
    from django.test import Client

    def _login(user: Any) -> Client:
        return login_with_second_factor(Client(), user)

    return _login


@pytest.fixture
def public_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """/openbaar/ needs no login (R-AW-7). Until accounts/middleware.py lists it among
    PUBLIC_PREFIXES (a change outside this app, asked for in the report), add it here."""
    if not any(p.startswith("/openbaar/") for p in middleware.PUBLIC_PREFIXES):
        monkeypatch.setattr(
            middleware, "PUBLIC_PREFIXES", (*middleware.PUBLIC_PREFIXES, "/openbaar/")
        )
