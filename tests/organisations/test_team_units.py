"""A manager's team is read along indexes: the units they head are fetched once, as ids,
so the apps' team filters (`manager = e OR org_unit IN (…)`) carry no subquery that
PostgreSQL would answer by scanning every employee (Kwetsbare functies of a manager: 72 ms
at 200,000 employees before, 11 ms after; docs/performance.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integritas.accounts.selectors import user_roles
from integritas.organisations.models import OrgUnit
from integritas.organisations.selectors import headed_unit_ids
from integritas.risks.selectors import team_function_ids
from tests.factories import EmployeeFactory, FunctionFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db


def test_the_headed_units_are_read_once_per_employee(organisation):
    manager = EmployeeFactory(organisation=organisation)
    first, second = (
        OrgUnitFactory(organisation=organisation),
        OrgUnitFactory(organisation=organisation),
    )
    first.managers.add(manager)
    second.managers.add(manager)
    OrgUnitFactory(organisation=organisation)  # headed by someone else
    with CaptureQueriesContext(connection) as queries:
        assert sorted(headed_unit_ids(manager)) == sorted([first.pk, second.pk])
        assert sorted(headed_unit_ids(manager)) == sorted([first.pk, second.pk])
    assert len(queries) == 1


def test_the_team_filter_holds_the_unit_ids_not_a_subquery(organisation):
    manager = EmployeeFactory(organisation=organisation)
    unit = OrgUnitFactory(organisation=organisation)
    unit.managers.add(manager)
    function = FunctionFactory(organisation=organisation)
    EmployeeFactory(organisation=organisation, org_unit=unit, function=function)
    EmployeeFactory(organisation=organisation, function=FunctionFactory(organisation=organisation))
    user = manager.user
    assert user_roles(user).employee == manager
    team = team_function_ids(user)
    sql = str(team.query)
    assert OrgUnit.managers.through._meta.db_table not in sql
    assert set(team.values_list("function_id", flat=True)) == {function.pk}
