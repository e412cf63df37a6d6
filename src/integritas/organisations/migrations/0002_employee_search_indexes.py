"""Indexes for the HRM employee list at national scale (organisations.selectors).

Both databases: the list's order (organisation, last name, first name, id) and the
upper-cased personnel number. PostgreSQL only: pg_trgm and trigram GIN indexes on the
upper-cased names and number, which Django's icontains/istartswith (UPPER(col) LIKE
UPPER(%s)) use. SQLite has no GIN, so those statements run on PostgreSQL only and stay out
of the model state (a table rebuild on SQLite would otherwise try to create them).
"""

from typing import Any

import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_COLUMNS = ("last_name", "first_name", "personnel_number")


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
    dependencies = [
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="employee",
            name="organisatio_organis_323b8e_idx",
        ),
        migrations.AddIndex(
            model_name="employee",
            index=models.Index(
                fields=["organisation", "last_name", "first_name", "id"],
                name="employee_org_name_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="employee",
            index=models.Index(
                models.F("organisation"),
                django.db.models.functions.text.Upper("personnel_number"),
                name="employee_org_number_idx",
            ),
        ),
        # A no-op on any database but PostgreSQL (CreateExtension checks the vendor).
        TrigramExtension(),
        *(
            RunSQLOnPostgreSQL(
                sql=(
                    f"CREATE INDEX employee_{column}_trgm ON organisations_employee "
                    f"USING gin (UPPER({column}) gin_trgm_ops)"
                ),
                reverse_sql=f"DROP INDEX employee_{column}_trgm",
            )
            for column in TRIGRAM_COLUMNS
        ),
    ]
