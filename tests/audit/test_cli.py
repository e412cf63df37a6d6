"""`integritas audit_verify` as an operator runs it: exit code 0 on an intact database,
non-zero on a tampered one (a throwaway SQLite file, migrated from scratch)."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

INTEGRITAS = Path(sys.executable).with_name("integritas")

pytestmark = [
    pytest.mark.skipif(not INTEGRITAS.exists(), reason="integritas command not installed"),
    # Its own SQLite file, whatever database the suite runs on.
    pytest.mark.ci_run("sqlite"),
]


def integritas(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "integritas.conf.test",
        "DATABASE_URL": f"sqlite:///{db}",
        "INTEGRITAS_ENV_FILE": str(db.with_suffix(".env")),  # none: no developer .env
    }
    return subprocess.run(
        [str(INTEGRITAS), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture(scope="module")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "integritas.sqlite3"
    result = integritas(db, "migrate", "--no-input", "-v0")
    assert result.returncode == 0, result.stderr
    record = (
        "from integritas.audit.services import audit_record\n"
        "for i in range(3):\n"
        "    audit_record(action=f'cli.step{i}', origin='cli')\n"
    )
    result = integritas(db, "shell", "-c", record)
    assert result.returncode == 0, result.stderr
    return db


def test_exit_code_zero_on_an_intact_database(migrated_db: Path, tmp_path: Path):
    db = tmp_path / "intact.sqlite3"
    shutil.copy(migrated_db, db)
    result = integritas(db, "audit_verify")
    assert result.returncode == 0, result.stderr
    assert "region: 3 events, kop " in result.stdout


def test_exit_code_non_zero_on_a_tampered_database(migrated_db: Path, tmp_path: Path):
    db = tmp_path / "tampered.sqlite3"
    shutil.copy(migrated_db, db)
    with sqlite3.connect(db) as conn:
        # The guard holds against a plain UPDATE ...
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit_auditevent SET action = 'x' WHERE sequence = 2")
        # ... so the attacker drops it first.
        conn.execute("DROP TRIGGER audit_event_no_update")
        conn.execute("UPDATE audit_auditevent SET action = 'x' WHERE sequence = 2")
    conn.close()

    result = integritas(db, "audit_verify")
    assert result.returncode != 0
    assert "Keten region: gebroken bij volgnummer 2" in result.stderr
