"""The demo's duties: every state for an organisation, idempotent."""

import pytest

from integritas.accounts.constants import Role
from integritas.demo import obligations as demo
from integritas.obligations.constants import DutyKind, DutyStatus
from integritas.obligations.models import Duty, SignedForm
from integritas.obligations.selectors import duties_filter
from tests.factories import EmployeeFactory, FunctionFactory, grant

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_runs_twice(organisation):
    function = FunctionFactory(organisation=organisation)
    people = [EmployeeFactory(organisation=organisation, function=function) for _ in range(5)]
    grant(people[-1].user, Role.HRM, organisation)
    made = demo.seed({"leiderdorp": organisation}, {})
    assert made["obligations.duty"] == 5  # the yearly duty came from the yearly plan
    assert made["obligations.vog_refused"] == 1
    assert made["obligations.closed"] == 1
    duties = Duty.objects.filter(organisation=organisation)
    assert duties.filter(status=DutyStatus.DONE, kind=DutyKind.OATH).exists()
    assert SignedForm.objects.count() == 1
    assert duties_filter(duties, state="overdue").exists()
    assert duties_filter(duties, state="due_soon").exists()
    assert duties.filter(kind=DutyKind.VOG, status=DutyStatus.OPEN).exists()
    assert duties.filter(status=DutyStatus.CLOSED, kind=DutyKind.HANDBOOK).exists()
    before = Duty.objects.count()
    assert demo.seed({"leiderdorp": organisation}, {}) == {}
    assert Duty.objects.count() == before
