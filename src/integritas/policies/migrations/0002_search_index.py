"""PostgreSQL only: a GIN index for the full-text search over current versions.

policies.selectors.search_current filters `to_tsvector('dutch', COALESCE(content, ''))`
(what Django's SearchVector("content", config="dutch") compiles to) of the vastgestelde
versions; this partial expression index serves exactly that. SQLite has no GIN: there the
search reads the (few) current versions; the statement stays out of the model state.
"""

from typing import Any

from django.db import migrations


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """RunSQL that does nothing on any other database."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]

    operations = [
        RunSQLOnPostgreSQL(
            sql=(
                "CREATE INDEX policies_version_fts ON policies_documentversion USING gin "
                "(to_tsvector('dutch'::regconfig, COALESCE(content, ''))) "
                "WHERE status = 'adopted'"
            ),
            reverse_sql="DROP INDEX IF EXISTS policies_version_fts",
        ),
    ]
