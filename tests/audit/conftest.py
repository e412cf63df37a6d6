"""Helpers for the audit tests: run audit_verify, and step around the database guard."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from integritas.audit.models import AuditEvent
from integritas.audit.services import audit_record


@dataclass
class VerifyResult:
    ok: bool
    stdout: str
    stderr: str


def run_verify(*args: str) -> VerifyResult:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return VerifyResult(False, out.getvalue(), err.getvalue() + str(exc))
    return VerifyResult(True, out.getvalue(), err.getvalue())


@pytest.fixture
def verify() -> Callable[..., VerifyResult]:
    return run_verify


@pytest.fixture
def record_events() -> Callable[..., list[AuditEvent]]:
    """record_events(n, organisation=None, **kwargs): n events appended to one chain."""

    def _record(n: int, organisation: Any = None, **kwargs: Any) -> list[AuditEvent]:
        return [
            audit_record(
                action=f"test.step{i}",
                organisation=organisation,
                object_type="tests.thing",
                object_id=i,
                **kwargs,
            )
            for i in range(n)
        ]

    return _record


@contextmanager
def unguarded() -> Iterator[Any]:
    """A cursor that may change audit rows: the append-only triggers are switched off.

    What an attacker with database access can do. Inside the test's transaction, so the
    triggers come back when the test ends (DDL is transactional in SQLite and PostgreSQL).
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        yield cursor
        if connection.vendor != "sqlite":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
