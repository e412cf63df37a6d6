"""Switching the audit table's TRUNCATE guard off and on, for throwaway databases only.

Django's `flush` empties every table with TRUNCATE on PostgreSQL, which the statement
trigger `audit_event_no_truncate` refuses. The test suite (after a transactional test)
and the benchmarks (before seeding) flush databases they own; nothing in the
application calls these. They need the table owner's rights, which the application's
database role does not have in production (docs/operations.md).
"""

from django.db import connection

GUARD = "audit.AuditEvent:audit_event_no_truncate"


def _set_truncate_guard(enabled: bool) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite has no TRUNCATE; its DELETE guard is handled by the caller
    import pgtrigger

    ((model, trigger),) = pgtrigger.registered(GUARD)
    state = "ENABLE" if enabled else "DISABLE"
    pgid = trigger.get_pgid(model)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", [pgid])
        if cursor.fetchone() is None:
            return  # not migrated yet (a fresh database): nothing to switch
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"ALTER TABLE {table} {state} TRIGGER {connection.ops.quote_name(pgid)}")


def truncate_guard_off() -> None:
    _set_truncate_guard(False)


def truncate_guard_on() -> None:
    _set_truncate_guard(True)
