"""Tests with real transactions (and live_server browser tests) can write audit events:
the root conftest empties the log before Django's flush, which the SQLite triggers would
otherwise refuse. The two tests run in this order (no random ordering is installed)."""

import pytest
from django.db import connection

from integritas.audit.models import AuditEvent
from integritas.audit.services import audit_record


def test_a_transactional_test_writes_audit_events(transactional_db):
    audit_record(action="test.committed")
    audit_record(action="test.committed")
    assert AuditEvent.objects.count() == 2


@pytest.mark.django_db
def test_afterwards_the_log_is_empty_and_still_guarded():
    assert not AuditEvent.objects.exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            names = {row[0] for row in cursor.fetchall()}
        assert {"audit_event_no_update", "audit_event_no_delete"} <= names
