"""Refusals of one user at once stay within the bound (audit/denials.py; PostgreSQL: the
counter row is locked until the refusal's event is written)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from integritas.audit.constants import Result
from integritas.audit.denials import BURST, DENIED_LIMIT, DENIED_WINDOW_MINUTES, audit_denied
from integritas.audit.models import AuditEvent, DeniedAccessCounter
from integritas.audit.verification import verify_all
from tests.concurrency import run_together
from tests.factories import EmployeeFactory, OrganisationFactory

THREADS = 4
REFUSALS_PER_THREAD = 10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_parallel_refusals_of_one_user_keep_the_bound(transactional_db):
    """Requests of one user at once (the counter row created by whichever comes first):
    each gets its own number, so exactly one writes the burst."""
    organisation = OrganisationFactory(slug="gelijktijdig")
    user = EmployeeFactory(organisation=organisation).user

    def refuse(worker: int) -> None:
        for _ in range(REFUSALS_PER_THREAD):
            audit_denied(action="access.denied.case", actor=user, organisation=organisation)

    # From the start of a window on, so that all refusals share one.
    seconds = DENIED_WINDOW_MINUTES * 60
    now = int(timezone.now().timestamp())
    start = datetime.datetime.fromtimestamp(now - now % seconds + 1, tz=datetime.UTC)
    with time_machine.travel(start):
        run_together(THREADS, refuse)
    actions = list(
        AuditEvent.objects.filter(actor=user, result=Result.DENIED).values_list("action", flat=True)
    )
    assert len(actions) == DENIED_LIMIT + 1
    assert actions.count(BURST) == 1
    assert DeniedAccessCounter.objects.get(actor_id=user.pk).count == THREADS * REFUSALS_PER_THREAD
    assert verify_all()[1] == []
