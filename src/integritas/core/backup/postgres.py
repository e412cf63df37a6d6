"""PostgreSQL through its own tools: `pg_dump --format=custom` and `pg_restore`.

Connection details go to the tools in PG* environment variables, never on the command
line (where `ps` would show a password). Owners and privileges are left out of the dump,
so it restores into any cluster; the application role's grants are given again after a
restore (docs/operations.md, 'Back-up en herstel' and §3.4).
"""

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import psycopg
from django.db import connection
from psycopg import sql

from .errors import ArchiveDamagedError, BackupError

MEMBER = "database.pgdump"
_TIMEOUT_SECONDS = 6 * 3600
_MAINTENANCE_DATABASE = "postgres"


def _settings() -> dict[str, Any]:
    return connection.settings_dict


def _environment() -> dict[str, str]:
    config = _settings()
    variables = {
        "PGHOST": config.get("HOST") or "",
        "PGPORT": str(config.get("PORT") or ""),
        "PGUSER": config.get("USER") or "",
        "PGPASSWORD": config.get("PASSWORD") or "",
        "PGDATABASE": config["NAME"],
    }
    options = config.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(option):
            variables[variable] = str(options[option])
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    environment.update({k: v for k, v in variables.items() if v})
    return environment


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is niet gevonden. Installeer de PostgreSQL-client met dezelfde "
            "hoofdversie als de server (Debian: postgresql-client-<versie>)."
        )
    return path


def _major(version_text: str) -> int:
    """The major version from `pg_dump --version`: "pg_dump (PostgreSQL) 15.20 (Debian …)"."""
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", version_text)
    return int(match.group(1)) if match else 0


def _run(arguments: list[str], what: str) -> None:
    result = subprocess.run(  # noqa: S603 - a fixed tool with our own arguments
        arguments,
        env=_environment(),
        capture_output=True,
        timeout=_TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        # The tools name objects and connection problems, never row content.
        detail = result.stderr.decode(errors="replace").strip()[-2000:]
        raise BackupError(f"{what} is mislukt (exitcode {result.returncode}):\n{detail}")


def dump(target: Path) -> None:
    """`pg_dump --format=custom` of the database, refusing a client older than the server."""
    pg_dump = _tool("pg_dump")
    connection.ensure_connection()
    server = int(connection.pg_version) // 10000  # type: ignore[attr-defined]
    client = _major(
        subprocess.run(  # noqa: S603
            [pg_dump, "--version"], capture_output=True, text=True, check=False
        ).stdout
    )
    if client < server:
        raise BackupError(
            f"pg_dump is versie {client}, de server versie {server}: installeer de "
            f"PostgreSQL-client {server} (pg_dump moet minstens de versie van de server hebben)."
        )
    _run(
        [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
        "pg_dump",
    )


def check_dump(path: Path) -> None:
    """Refuse a dump that pg_restore cannot read (its table of contents)."""
    try:
        _run([_tool("pg_restore"), "--list", str(path)], "pg_restore --list")
    except BackupError as exc:
        raise ArchiveDamagedError(
            "De database in het archief is geen leesbare pg_dump (custom format)."
        ) from exc


def _maintenance() -> psycopg.Connection[Any]:
    config = _settings()
    return psycopg.connect(
        dbname=_MAINTENANCE_DATABASE,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        autocommit=True,
        connect_timeout=10,
    )


def target_exists() -> bool:
    try:
        with _maintenance() as admin:
            row = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [_settings()["NAME"]]
            ).fetchone()
    except psycopg.OperationalError:
        return True  # no right to look: it must exist, and will be checked for data
    return row is not None


def prepare_target() -> None:
    """Create the target database when it does not exist yet (needs CREATEDB)."""
    if target_exists():
        return
    try:
        with _maintenance() as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(_settings()["NAME"])))
    except psycopg.Error as exc:
        raise BackupError(
            f"De database {_settings()['NAME']} bestaat niet en kon niet worden aangemaakt "
            f"({exc.sqlstate or 'verbinding'}). Maak hem leeg aan en herstel opnieuw."
        ) from exc


def restore(source: Path) -> None:
    """pg_restore in one transaction: the target ends as the backup or stays as it was."""
    connection.close()
    _run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={_settings()['NAME']}",
            str(source),
        ],
        "pg_restore",
    )
