"""Appends from concurrent requests keep one valid chain (PostgreSQL: select_for_update
on the chain head serialises them; SQLite has one writer at a time anyway)."""

import pytest
from django.db import connection

from integritas.audit.models import AuditChainHead, AuditEvent
from integritas.audit.services import audit_record, chain_for
from integritas.audit.verification import verify_all
from tests.concurrency import run_together
from tests.factories import OrganisationFactory

THREADS = 4
EVENTS_PER_THREAD = 15


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_concurrent_appends_to_one_chain_stay_valid(transactional_db):
    organisation = OrganisationFactory(slug="gelijktijdig")

    def append(worker: int) -> None:
        for i in range(EVENTS_PER_THREAD):
            audit_record(action=f"test.w{worker}.{i}", organisation=organisation)
        # A brand-new chain too: both threads race to create its head.
        audit_record(action=f"test.w{worker}.region")

    run_together(THREADS, append)
    chain = chain_for(organisation)
    total = THREADS * EVENTS_PER_THREAD
    sequences = list(
        AuditEvent.objects.filter(chain=chain)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, total + 1))
    assert AuditChainHead.objects.get(chain=chain).sequence == total
    heads, breaks = verify_all()
    assert breaks == []
    assert {h.chain: h.sequence for h in heads}[chain_for(None)] == THREADS
