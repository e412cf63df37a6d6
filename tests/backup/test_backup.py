"""Backup and restore, end to end: the real `integritas backup` and `integritas restore`.

An installation with a report, its attachment, messages and audit events is backed up and
restored into a fresh database and an empty media folder, on SQLite and on PostgreSQL.
What an operator relies on is then checked: every table and every file is identical
(row counts and content hashes), the audit chains verify, and the reporter's receipt code
still opens the mailbox and decrypts the report and the file. A damaged archive, a foreign
archive (another backup key, master key or pepper) and a target that holds data are
refused before anything is written; neither the master key nor report content is ever in
the archive, not even after decrypting it.

The commands run in subprocesses against databases of their own, as in production, with
the test settings plus files on disk (tests/backup/settings.py).
"""

import base64
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from integritas.core.backup.archive import ArchiveReader

# Every test builds its own installations in subprocesses, whatever the suite runs on:
# CI runs them once, in the SQLite run; the restore into PostgreSQL in the PostgreSQL run.
pytestmark = pytest.mark.ci_run("sqlite")

REPO = Path(__file__).resolve().parents[2]
INTEGRITAS = str(Path(sys.executable).with_name("integritas"))


def _key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


BACKUP_KEY = _key()
MASTER_KEY = base64.urlsafe_b64encode(b"m" * 32).decode()  # this installation's, not the suite's
PEPPER = "backup-test-receipt-pepper-0123456789abcdef"

# One organisation, a confidential report with an attachment, a message, the reporter's
# reply and a note; prints the receipt code. The canary is in every content field.
POPULATE = r"""
import os
from django.core.files.uploadedfile import SimpleUploadedFile
from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import RoleAssignment, User
from integritas.cases import services
from integritas.cases.attachments.storage import attachment_store
from integritas.organisations.models import Organisation, Region

c = os.environ["CANARY"]
region = Region.objects.create(slug="backup-regio", name="Back-up regio")
org = Organisation.objects.create(
    region=region, slug="backup", name="Gemeente Back-up", kind="municipality",
    case_prefix="BCK", anonymous_reporting_enabled=True,
)
coordinator = User.objects.create_user("coordinator@backup.example", full_name="Coordinator")
RoleAssignment.objects.create(
    user=coordinator, role=Role.INTEGRITY_COORDINATOR, organisation=org,
    status=AssignmentStatus.ACTIVE,
)
submission = services.case_submit(
    organisation=org, kind="integrity_violation", description="wat " + c,
    identity_mode="confidential", identity={"name": "naam " + c},
)
case = submission.case
message = services.case_message_to_reporter(actor=coordinator, case=case, body="vraag " + c)
attachment_store(
    case=case, upload=SimpleUploadedFile("bijlage.txt", ("bijlage " + c).encode()),
    message=message,
)
services.case_reporter_reply(case=case, body="antwoord " + c)
services.case_add_note(actor=coordinator, case=case, body="notitie " + c)
print("receipt", submission.receipt_code)
"""

# Row counts and a content hash per table (rows sorted, so no order is assumed), and a
# hash per stored file.
SNAPSHOT = r"""
import hashlib, json, os
from pathlib import Path
from django.db import connection

def value(v):
    if isinstance(v, memoryview):
        v = bytes(v)
    return v.hex() if isinstance(v, bytes) else repr(v)

tables = {}
with connection.cursor() as cursor:
    for name in sorted(connection.introspection.table_names(cursor)):
        cursor.execute("SELECT * FROM " + connection.ops.quote_name(name))
        rows = sorted("|".join(value(v) for v in row) for row in cursor.fetchall())
        tables[name] = [len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()]
media = Path(os.environ["MEDIA_ROOT"])
files = {
    str(p.relative_to(media)): hashlib.sha256(p.read_bytes()).hexdigest()
    for p in sorted(media.rglob("*")) if p.is_file()
}
print(json.dumps({"tables": tables, "files": files}))
"""

# The reporter comes back with the receipt code: the mailbox opens and decrypts the
# report, the messages and the attachment.
MAILBOX = r"""
import os
from integritas.cases import services
from integritas.cases.attachments.storage import attachment_open
from integritas.cases.mailbox.services import MailboxSession

c = os.environ["CANARY"]
opened = services.mailbox_open(receipt_code=os.environ["RECEIPT"], client_key="backup-test")
assert isinstance(opened, MailboxSession), opened
view = services.mailbox_read(case=opened.case)
assert view.description == "wat " + c
assert {m.body for m in view.messages} >= {"vraag " + c, "antwoord " + c}
(attachment,) = opened.case.attachments.all()
content = b"".join(attachment_open(case=opened.case, attachment=attachment))
assert content == ("bijlage " + c).encode(), content
print("mailbox ok")
"""


def _env(database_url: str, media: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.backup.settings",
        "PYTHONPATH": str(REPO),
        "INTEGRITAS_ENV_FILE": "/nonexistent/integritas.env",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "INTEGRITAS_MASTER_KEY": MASTER_KEY,
        "INTEGRITAS_MASTER_KEY_ID": "backup-test",
        "INTEGRITAS_RECEIPT_PEPPER": PEPPER,
        "INTEGRITAS_BACKUP_KEY": BACKUP_KEY,
        **extra,
    }


def _run(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [INTEGRITAS, *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    if ok:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def _shell(env: dict[str, str], script: str) -> str:
    return _run(env, "shell", "-c", script).stdout


def _snapshot(env: dict[str, str]) -> dict[str, dict[str, object]]:
    return json.loads(_shell(env, SNAPSHOT).strip().splitlines()[-1])


@dataclass
class Installation:
    env: dict[str, str]
    archive: Path
    receipt: str
    canary: str
    snapshot: dict[str, dict[str, object]]


def _installation(database_url: str, tmp: Path) -> Installation:
    """A populated installation and its backup."""
    canary = "kanarie" + secrets.token_hex(12)
    tmp.mkdir(parents=True, exist_ok=True)
    env = _env(database_url, tmp / "media", CANARY=canary)
    _run(env, "migrate", "--no-input", "-v", "0")
    receipt = _shell(env, POPULATE).split("receipt ", 1)[1].split()[0]
    archive = tmp / "integritas.backup"
    done = _run(env, "backup", "-o", str(archive))
    assert "Back-up geschreven" in done.stdout
    return Installation(env, archive, receipt, canary, _snapshot(env))


def _assert_restored(source: Installation, target: dict[str, str]) -> None:
    """Identical tables and files, intact audit chains, a working receipt code."""
    restored = _snapshot(target)
    assert restored["tables"] == source.snapshot["tables"]
    assert restored["files"] == source.snapshot["files"]
    assert source.snapshot["tables"]["cases_attachment"][0] == 1
    assert source.snapshot["tables"]["audit_auditevent"][0] > 0
    assert len(restored["files"]) == 1
    verified = _run(target, "audit_verify", "--no-progress")
    assert "Auditlog intact" in verified.stdout
    mailbox = _shell({**target, "RECEIPT": source.receipt, "CANARY": source.canary}, MAILBOX)
    assert "mailbox ok" in mailbox


# --- SQLite ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sqlite_installation(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    tmp = tmp_path_factory.mktemp("backup-sqlite")
    return _installation(f"sqlite:///{tmp / 'source.sqlite3'}", tmp)


def _fresh_sqlite(tmp_path: Path, installation: Installation, **extra: str) -> dict[str, str]:
    env = _env(f"sqlite:///{tmp_path / 'target.sqlite3'}", tmp_path / "media", **extra)
    return {**env, "CANARY": installation.canary}


def _sqlite_tables(path: Path) -> list[str]:
    """The tables of a SQLite file; Django's start-up may leave an empty file behind."""
    if not path.exists():
        return []
    with closing(sqlite3.connect(path)) as db:
        return [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]


@pytest.mark.requirement("R-WBK-9", "R-BIO-1")
def test_restore_into_a_new_sqlite_database_gives_the_same_installation(
    sqlite_installation: Installation, tmp_path: Path
) -> None:
    target = _fresh_sqlite(tmp_path, sqlite_installation)
    checked = _run(target, "restore", "--check", str(sqlite_installation.archive))
    assert "Archief in orde" in checked.stdout
    assert _sqlite_tables(tmp_path / "target.sqlite3") == []  # a check writes nothing

    restored = _run(target, "restore", str(sqlite_installation.archive))

    assert "Hersteld" in restored.stdout
    _assert_restored(sqlite_installation, target)


def test_restore_into_a_migrated_empty_sqlite_database(
    sqlite_installation: Installation, tmp_path: Path
) -> None:
    target = _fresh_sqlite(tmp_path, sqlite_installation)
    _run(target, "migrate", "--no-input", "-v", "0")
    _run(target, "restore", "-v", "0", str(sqlite_installation.archive))
    assert _snapshot(target)["tables"] == sqlite_installation.snapshot["tables"]


@pytest.mark.requirement("R-WBK-7")
def test_the_archive_holds_no_master_key_and_no_content_in_clear(
    sqlite_installation: Installation,
) -> None:
    """Not in the archive's bytes, nor in its decrypted content: what the backup key
    opens is still sealed under the cases' data keys, which the master key wraps."""
    raw = sqlite_installation.archive.read_bytes()
    with sqlite_installation.archive.open("rb") as stream:
        reader = ArchiveReader(stream, base64.urlsafe_b64decode(BACKUP_KEY))
        plain = reader.read()
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert names[0] == "manifest.json" and names[-1] == "checksums.json"
    assert manifest["master_keys"]["in_use"] == {"backup-test": 1}
    master = base64.urlsafe_b64decode(MASTER_KEY)
    secrets_ = [master, master.hex().encode(), MASTER_KEY.encode(), MASTER_KEY.rstrip("=").encode()]
    secrets_ += [BACKUP_KEY.encode(), PEPPER.encode()]
    canary = sqlite_installation.canary
    contents = [canary.encode(), canary.encode().hex().encode(), canary.encode("utf-16-le")]
    for needle in secrets_ + contents:
        assert needle not in raw
        assert needle not in plain
    assert b"cases_case" in plain  # control: the decrypted stream is the real database


def test_a_damaged_archive_is_refused_and_nothing_is_written(
    sqlite_installation: Installation, tmp_path: Path
) -> None:
    data = bytearray(sqlite_installation.archive.read_bytes())
    damaged, truncated = tmp_path / "damaged.backup", tmp_path / "truncated.backup"
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    truncated.write_bytes(sqlite_installation.archive.read_bytes()[:-5000])
    target = _fresh_sqlite(tmp_path, sqlite_installation)
    for archive in (damaged, truncated):
        refused = _run(target, "restore", str(archive), ok=False)
        assert refused.returncode == 1
        assert "Het archief is beschadigd of onvolledig" in refused.stderr
    assert _sqlite_tables(tmp_path / "target.sqlite3") == []
    assert not (tmp_path / "media").exists()


def test_a_foreign_archive_is_refused(sqlite_installation: Installation, tmp_path: Path) -> None:
    """Another backup key, another master key, another pepper: each named, nothing written."""
    archive = str(sqlite_installation.archive)
    cases = {
        "INTEGRITAS_BACKUP_KEY": (_key(), "met een andere back-upsleutel versleuteld"),
        "INTEGRITAS_MASTER_KEY": (_key(), "hoofdsleutel met id backup-test past niet"),
        "INTEGRITAS_MASTER_KEY_ID": ("other", "hoofdsleutel met id backup-test ontbreekt"),
        "INTEGRITAS_RECEIPT_PEPPER": ("another-pepper-" + "x" * 32, "RECEIPT_PEPPER verschilt"),
    }
    for variable, (value, message) in cases.items():
        target = _fresh_sqlite(tmp_path, sqlite_installation, **{variable: value})
        refused = _run(target, "restore", archive, ok=False)
        assert refused.returncode == 1, variable
        assert message in refused.stderr, refused.stderr
    assert _sqlite_tables(tmp_path / "target.sqlite3") == []


def test_a_target_that_holds_data_is_refused(
    sqlite_installation: Installation, tmp_path: Path
) -> None:
    archive = str(sqlite_installation.archive)
    into_source = _run(sqlite_installation.env, "restore", archive, ok=False)
    assert "De doeldatabase bevat al gegevens" in into_source.stderr
    assert _snapshot(sqlite_installation.env) == sqlite_installation.snapshot

    target = _fresh_sqlite(tmp_path, sqlite_installation)
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "left-over").write_bytes(b"x")
    refused = _run(target, "restore", archive, ok=False)
    assert "MEDIA_ROOT) is niet leeg" in refused.stderr
    assert _sqlite_tables(tmp_path / "target.sqlite3") == []


def test_without_a_backup_key_nothing_is_written(
    sqlite_installation: Installation, tmp_path: Path
) -> None:
    env = {**sqlite_installation.env, "INTEGRITAS_BACKUP_KEY": ""}
    refused = _run(env, "backup", "-o", str(tmp_path / "x.backup"), ok=False)
    assert "INTEGRITAS_BACKUP_KEY is niet ingesteld" in refused.stderr
    same = {**sqlite_installation.env, "INTEGRITAS_BACKUP_KEY": MASTER_KEY}
    refused = _run(same, "backup", "-o", str(tmp_path / "x.backup"), ok=False)
    assert "gelijk aan de hoofdsleutel" in refused.stderr
    assert list(tmp_path.iterdir()) == []


# --- PostgreSQL -------------------------------------------------------------------------


def _pg_server() -> str:
    if connection.vendor == "postgresql":
        config = settings.DATABASES["default"]
        user = config.get("USER") or "postgres"
        password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
        host = config.get("HOST") or "127.0.0.1"
        return f"postgres://{user}{password}@{host}:{config.get('PORT') or 5432}"
    return os.environ.get("INTEGRITAS_BACKUP_TEST_PG", "postgres://postgres@127.0.0.1:5432")


@pytest.fixture
def pg_databases() -> Iterator[tuple[str, str, str]]:
    """Three databases of their own, dropped afterwards: the source, a target that does
    not exist yet (the restore creates it) and one that is created empty here."""
    server = _pg_server()
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore not installed (CI installs postgresql-client)")
    try:
        admin = psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        if connection.vendor == "postgresql":
            raise
        pytest.skip("no PostgreSQL reachable (the CI runs this on PostgreSQL)")
    suffix = secrets.token_hex(4)
    names = [f"integritas_backup_{role}_{suffix}" for role in ("src", "new", "empty")]
    with admin:
        admin.execute(f'CREATE DATABASE "{names[0]}"')
        admin.execute(f'CREATE DATABASE "{names[2]}"')
        try:
            source, new, empty = (f"{server}/{name}" for name in names)
            yield source, new, empty
        finally:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.ci_run("postgresql")
@pytest.mark.requirement("R-WBK-9", "R-BIO-1")
def test_restore_into_a_new_postgresql_database_gives_the_same_installation(
    pg_databases: tuple[str, str, str], tmp_path: Path
) -> None:
    source_url, new_url, empty_url = pg_databases
    installation = _installation(source_url, tmp_path / "source")
    target = {**_env(new_url, tmp_path / "new-media"), "CANARY": installation.canary}

    _run(target, "restore", str(installation.archive))  # creates the database

    _assert_restored(installation, target)
    refused = _run(target, "restore", str(installation.archive), ok=False)
    assert "De doeldatabase bevat al gegevens" in refused.stderr

    # A database that `migrate` prepared but that holds no data counts as empty.
    migrated = {**_env(empty_url, tmp_path / "empty-media"), "CANARY": installation.canary}
    _run(migrated, "migrate", "--no-input", "-v", "0")
    _run(migrated, "restore", "-v", "0", str(installation.archive))
    assert _snapshot(migrated) == installation.snapshot
