"""Refuse UPDATE and DELETE of audit events on SQLite too (pgtrigger covers PostgreSQL)."""

from django.db import migrations

TRIGGERS = {
    "audit_event_no_update": "BEFORE UPDATE ON audit_auditevent",
    "audit_event_no_delete": "BEFORE DELETE ON audit_auditevent",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, when in TRIGGERS.items():
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {name} {when} "
            "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
