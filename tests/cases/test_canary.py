"""Canary: report content never reaches the database in clear, nor any log (DESIGN §2).

A random canary string goes into every content field of a report — sent through the public
web form: description, details, involved persons, identity, notification address and an
attachment (its name and its content); then through the services: a message, the
reporter's reply, a note, a referral, the protection log, a reveal reason, the records of
the investigation, evidence, how the person concerned was informed, and the decision — and
must then be absent from (a) the bytes of a real SQLite database file with its WAL and
shared memory files, and from the stored attachment files, (b) a `pg_dump` of a real
PostgreSQL database, and (c) every log record emitted, at DEBUG for every logger, during
the submission and the reporter's mailbox read.
R-WBK-7, R-BIO-1.

(a) and (b) run the real `integritas` command in a subprocess against a database of their
own, so the data is committed and written to disk exactly as in production.
"""

import logging
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.cases import services
from integritas.cases.constants import IdentityMode, Kind, ReferralBody

INTEGRITAS = str(Path(sys.executable).with_name("integritas"))
PG_SERVER = os.environ.get("INTEGRITAS_CANARY_PG", "postgres://postgres@127.0.0.1:5432")

# Runs inside `integritas shell -c`: one organisation, one coordinator, one report with the
# canary in every content field, and the follow-up that stores more content.
SUBMIT_SCRIPT = r"""
import datetime, os
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import RoleAssignment, User
from integritas.cases import services
from integritas.cases.constants import Finding, ReferralBody
from integritas.cases.intake import formtoken
from integritas.cases.models import Case, IntervieweeRole, InvestigationKind
from integritas.organisations.models import Organisation, Region

c = os.environ["CANARY"]
region = Region.objects.create(slug="canary-regio", name="Canary regio")
org = Organisation.objects.create(
    region=region, slug="canary", name=os.environ["CONTROL"], kind="municipality",
    case_prefix="CAN", anonymous_reporting_enabled=True,
)
users = {}
for role in (Role.INTEGRITY_COORDINATOR, Role.SECRETARY):
    users[role] = User.objects.create_user(f"{role}@canary.example", full_name=role)
    RoleAssignment.objects.create(
        user=users[role], role=role, organisation=org, status=AssignmentStatus.ACTIVE
    )
coordinator, secretary = users[Role.INTEGRITY_COORDINATOR], users[Role.SECRETARY]

# The report comes in through the public web form, with a file, as a reporter sends it.
response = Client(HTTP_HOST="localhost").post("/meldpunt/", {
    "organisation": org.slug, "kind": "integrity_violation", "description": "wat " + c,
    "when": "wanneer " + c, "where": "waar " + c, "involved": "betrokkene " + c,
    "others_aware": "wie " + c, "identity_mode": "confidential", "name": "naam " + c,
    "email": c + "@mail.example.org", "phone": c, "notify_email": c + "@example.org",
    "consent_investigators": "on", "form_token": formtoken.form_token_new(), "step": "send",
    "attachments": SimpleUploadedFile("bijlage-" + c + ".txt", ("inhoud " + c).encode()),
})
assert response.status_code == 303, response.status_code  # to the receipt page
case = Case.objects.get()
(attachment,) = case.attachments.all()
# The test settings keep files in memory: write the stored (encrypted) bytes out to check.
from pathlib import Path
from django.core.files.storage import default_storage
media = Path(os.environ["MEDIA_ROOT"])
media.mkdir(parents=True, exist_ok=True)
with default_storage.open(attachment.storage_name, "rb") as stored:
    (media / "attachment.bin").write_bytes(stored.read())

services.case_message_to_reporter(actor=coordinator, case=case, body="bericht " + c)
services.case_reporter_reply(case=case, body="antwoord " + c)
services.case_add_note(actor=coordinator, case=case, body="notitie " + c)
services.case_record_referral(
    actor=coordinator, case=case, body=ReferralBody.HUIS,
    referred_on=datetime.date(2026, 1, 5), notes="verwijzing " + c,
)
services.case_protection_log_add(
    actor=coordinator, case=case, occurred_on=datetime.date(2026, 1, 6),
    measure="maatregel " + c, reason="reden " + c,
)
services.case_reveal_identity(actor=coordinator, case=case, reason="wettelijke plicht " + c)
# The investigation and the decision store content of their own.
for actor, step in ((coordinator, "acknowledge"), (coordinator, "request_approval"),
                    (secretary, "approve_investigation")):
    case = services.case_transition(actor=actor, case=case, name=step)
today = datetime.date(2026, 2, 1)
for kind, role in ((InvestigationKind.INTERVIEW, IntervieweeRole.SUBJECT),
                   (InvestigationKind.REPORT, "")):
    services.case_add_investigation_record(
        actor=coordinator, case=case, kind=kind, occurred_on=today, body="verslag " + c,
        hoor_en_wederhoor=bool(role), interviewee_role=role,
    )
services.case_add_evidence(actor=coordinator, case=case, description="bewijs " + c,
                           sha256="a" * 64)
services.case_record_subject_informed(actor=coordinator, case=case, informed_on=today,
                                      how="per brief " + c)
case = services.case_transition(actor=coordinator, case=case, name="report_to_secretary")
services.case_record_decision(actor=secretary, case=case, finding=Finding.FOUNDED,
                              measures=["conversation"], note="besluit " + c)
print("case", case.case_number)
"""


def _canary() -> str:
    # Random per run, so nothing left over from an earlier run can mask or fake a result.
    return "kanarie" + secrets.token_hex(12)


def _forms(canary: str) -> list[bytes]:
    """The canary as text would store it, and as a bytea dump or hex literal would show it."""
    raw = canary.encode()
    return [raw, raw.hex().encode(), canary.upper().encode(), canary.encode("utf-16-le")]


def _run_integritas(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [INTEGRITAS, *args], env=env, capture_output=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    return result


def _populate(database_url: str, canary: str, control: str, media: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "integritas.conf.test",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "INTEGRITAS_ENV_FILE": "/nonexistent/integritas.env",
        "CANARY": canary,
        "CONTROL": control,
    }
    _run_integritas(env, "migrate", "--no-input", "-v", "0")
    result = _run_integritas(env, "shell", "-c", SUBMIT_SCRIPT)
    assert b"case CAN-" in result.stdout
    # Nothing the script did printed content either.
    for form in _forms(canary):
        assert form not in result.stdout + result.stderr


@pytest.mark.ci_run("sqlite")  # its own database, whatever the suite runs on
@pytest.mark.requirement("R-WBK-7")
def test_canary_absent_from_the_sqlite_file(tmp_path: Path) -> None:
    canary, control = _canary(), "Controlegemeente " + secrets.token_hex(6)
    database = tmp_path / "canary.sqlite3"
    media = tmp_path / "media"
    _populate(f"sqlite:///{database}", canary, control, media)

    files = [p for p in tmp_path.iterdir() if p.name.startswith("canary.sqlite3")]
    assert database in files
    stored = [p for p in media.rglob("*") if p.is_file()]
    assert len(stored) == 1  # the attachment, encrypted
    data = b"".join(p.read_bytes() for p in files + stored)
    # Control: clear fields (the organisation's name) are found, so the search works.
    assert control.encode() in data
    for form in _forms(canary):
        assert form not in data, f"canary found in {[p.name for p in files]}"


@pytest.mark.ci_run("postgresql")  # its own database, whatever the suite runs on
@pytest.mark.requirement("R-WBK-7")
def test_canary_absent_from_a_pg_dump(tmp_path: Path) -> None:
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed (CI installs postgresql-client)")
    canary, control = _canary(), "Controlegemeente " + secrets.token_hex(6)
    # A database of its own per run, so parallel runs never meet.
    name = f"integritas_canary_{secrets.token_hex(4)}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"{PG_SERVER}/{name}"
        _populate(url, canary, control, tmp_path / "media")
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "--dbname", url],
            capture_output=True,
            timeout=300,
            check=True,
        ).stdout
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert control.encode() in dump
    assert b"cases_case" in dump
    for form in _forms(canary):
        assert form not in dump


@pytest.fixture
def every_log_record(caplog: pytest.LogCaptureFixture):
    """caplog at DEBUG for every logger, including those that do not propagate, and SQL."""
    caplog.set_level(logging.DEBUG)
    names = list(logging.root.manager.loggerDict)
    for name in names:
        caplog.set_level(logging.DEBUG, logger=name)
    islands = [
        logger
        for name in names
        if isinstance(logger := logging.getLogger(name), logging.Logger) and not logger.propagate
    ]
    for logger in islands:
        logger.addHandler(caplog.handler)
    # Log every SQL statement with its parameters too (django.db.backends, DEBUG).
    previous, connection.force_debug_cursor = connection.force_debug_cursor, True
    try:
        yield caplog
    finally:
        connection.force_debug_cursor = previous
        for logger in islands:
            logger.removeHandler(caplog.handler)


def _record_text(record: logging.LogRecord) -> str:
    parts = [logging.Formatter().format(record), repr(record.args), repr(record.__dict__)]
    return "\n".join(parts)


@pytest.mark.requirement("R-BIO-1", "R-WBK-7")
def test_canary_absent_from_every_log_record(organisation, make_user, every_log_record):
    canary = _canary()
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    submission = services.case_submit(
        organisation=organisation,
        kind=Kind.INTEGRITY_VIOLATION,
        description="wat " + canary,
        identity_mode=IdentityMode.CONFIDENTIAL,
        details={"when": "wanneer " + canary, "where": "waar " + canary},
        involved=["betrokkene " + canary],
        identity={"name": "naam " + canary},
        notify_email=canary + "@example.org",
        form_token="tok-" + canary,
    )
    case = submission.case
    services.case_message_to_reporter(actor=coordinator, case=case, body="bericht " + canary)
    services.case_add_note(actor=coordinator, case=case, body="notitie " + canary)
    services.case_record_referral(
        actor=coordinator,
        case=case,
        body=ReferralBody.LKOG,
        referred_on=case.received_at.date(),
        notes="verwijzing " + canary,
    )

    # The reporter reads the mailbox with the receipt code and sees their own message.
    client = Client()
    response = client.post(
        reverse("meldpunt:mailbox"), {"receipt_code": submission.receipt_code}, follow=True
    )
    assert response.status_code == 200
    assert "bericht " + canary in response.content.decode()
    response = client.post(
        reverse("meldpunt:mailbox_reply"), {"body": "antwoord " + canary}, follow=True
    )
    assert response.status_code == 200

    records = every_log_record.records
    # Control: SQL statements were captured, so the capture really was on.
    assert any(r.name == "django.db.backends" for r in records)
    for record in records:
        text = _record_text(record)
        for form in _forms(canary):
            assert form.decode("latin-1") not in text, (record.name, record.levelname)
