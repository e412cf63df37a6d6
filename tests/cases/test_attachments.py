"""A case's attachments: stored on the case, sealed under its key, scanned, downloaded.

Issue 3 "Attachments"; R-WBK-2 (voice messages), R-WBK-7 / R-DP-3 (need to know),
R-BIO-1 (every download audited). What the shared file intake does with a file (type,
metadata, chunks, scan) is tested in tests/core/files/.
"""

import hashlib
import io
import socket
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import Client

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.cases import services
from integritas.cases.attachments.storage import (
    AttachmentError,
    attachment_filename,
    attachment_open,
    attachment_store,
)
from integritas.cases.constants import ScanStatus
from integritas.core.files.scanning import Verdict
from integritas.organisations.models import Employee
from tests.conftest import login_with_second_factor
from tests.core.files.clamd import FakeClamd
from tests.core.files.samples import CANARY, EICAR, MP3, jpeg, pdf, upload

from .factories import submit_case


@pytest.fixture
def case(organisation):
    return submit_case(organisation).case


def stored_bytes(attachment) -> bytes:
    with default_storage.open(attachment.storage_name, "rb") as handle:
        return handle.read()


def replace_stored(attachment, data: bytes) -> None:
    default_storage.delete(attachment.storage_name)
    assert default_storage.save(attachment.storage_name, ContentFile(data)) == (
        attachment.storage_name
    )


def read_back(case, attachment) -> bytes:
    return b"".join(attachment_open(case=case, attachment=attachment))


# --- stored on the case -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("verslag.pdf", pdf(), "application/pdf"),
        ("foto.jpg", jpeg(), "image/jpeg"),
        # R-WBK-2: a report may be a voice message.
        ("spraak.mp3", MP3, "audio/mpeg"),
        ("notitie.txt", b"Geen opmaak.\n", "text/plain"),
    ],
)
def test_files_are_cleaned_and_stored_on_the_case(case, name, content, content_type):
    stored = attachment_store(case=case, upload=upload(name, content))
    assert stored.case == case and stored.content_type == content_type
    data = read_back(case, stored)
    assert CANARY not in data
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.scan_status == ScanStatus.PENDING


@pytest.mark.parametrize(
    ("name", "content"),
    [("foto.png", pdf()), ("kapot.pdf", b"%PDF-1.4\n%%EOF\n"), ("leeg.txt", b"")],
)
def test_a_refused_file_leaves_no_row(case, name, content):
    with pytest.raises(ValidationError, match=name):
        attachment_store(case=case, upload=upload(name, content))
    assert not case.attachments.exists()


def test_the_scan_statuses_are_the_verdicts_of_the_shared_scanner():
    assert set(ScanStatus.values) == {verdict.value for verdict in Verdict}


# --- encryption -------------------------------------------------------------------


def test_stored_bytes_hold_neither_content_nor_name(case):
    name = "klacht-over-jansen.txt"
    content = b"Wat er gebeurde: " + CANARY + b"\n"
    stored = attachment_store(case=case, upload=upload(name, content), keep_name=True)
    raw = stored_bytes(stored)
    assert CANARY not in raw and name.encode() not in raw
    assert b"jansen" not in bytes(stored.filename_enc)
    assert stored.storage_name.startswith("attachments/") and "jansen" not in stored.storage_name
    assert attachment_filename(case=case, attachment=stored) == name
    assert read_back(case, stored) == content
    assert stored.sha256 == hashlib.sha256(content).hexdigest()


def test_chunks_are_bound_to_their_case_and_file(organisation, case):
    one = attachment_store(case=case, upload=upload("a.txt", b"eerste bestand"))
    two = attachment_store(case=case, upload=upload("b.txt", b"tweede bestand"))
    replace_stored(two, stored_bytes(one))
    with pytest.raises(AttachmentError):
        read_back(case, two)
    other = submit_case(organisation).case
    with pytest.raises(AttachmentError):
        read_back(other, one)


def test_a_tampered_attachment_is_refused(case):
    stored = attachment_store(case=case, upload=upload("a.txt", b"eerste bestand"))
    raw = bytearray(stored_bytes(stored))
    raw[-1] ^= 0x01
    replace_stored(stored, bytes(raw))
    with pytest.raises(AttachmentError):
        read_back(case, stored)


# --- virus scan -------------------------------------------------------------------


@pytest.fixture
def clamd(settings) -> Iterator[FakeClamd]:
    with FakeClamd.serving(settings) as fake:
        yield fake


def test_clamd_clean(case, clamd):
    stored = attachment_store(case=case, upload=upload("notitie.txt", b"schoon bestand"))
    assert stored.scan_status == ScanStatus.CLEAN
    assert clamd.received == b"schoon bestand"  # the plaintext, scanned before encryption


def test_clamd_infected(case, clamd):
    stored = attachment_store(case=case, upload=upload("eicar.txt", EICAR))
    assert stored.scan_status == ScanStatus.INFECTED


def test_files_that_came_in_while_clamd_was_down_are_scanned_later(case, settings):
    # Issue 3: a virus-scan hook with states pending / clean / infected. A file must not
    # stay "pending" for good because clamd was down for a minute.
    with socket.create_server(("127.0.0.1", 0)) as probe:
        settings.INTEGRITAS_CLAMD_SOCKET = f"127.0.0.1:{probe.getsockname()[1]}"
    clean = attachment_store(case=case, upload=upload("notitie.txt", b"gewone tekst"))
    infected = attachment_store(case=case, upload=upload("virus.txt", EICAR))
    out = io.StringIO()
    call_command("scan_pending_attachments", stdout=out)  # clamd still down
    assert "nog niet gescand: 2" in out.getvalue()
    fake = FakeClamd(connections=2)
    settings.INTEGRITAS_CLAMD_SOCKET = f"127.0.0.1:{fake.port}"
    call_command("scan_pending_attachments", stdout=out)
    fake.close()
    clean.refresh_from_db()
    infected.refresh_from_db()
    assert (clean.scan_status, infected.scan_status) == (ScanStatus.CLEAN, ScanStatus.INFECTED)
    assert fake.received == b"gewone tekst" + EICAR  # the plaintext, decrypted for the scan
    assert "Schoon: 1, besmet: 1" in out.getvalue()
    events = AuditEvent.objects.filter(action__startswith="attachment.scan_")
    assert sorted(events.values_list("action", flat=True)) == [
        "attachment.scan_clean",
        "attachment.scan_infected",
    ]
    call_command("scan_pending_attachments", stdout=out)  # nothing left: nothing happens
    assert events.count() == 2


def test_rescanning_needs_a_configured_scanner(settings):
    settings.INTEGRITAS_CLAMD_SOCKET = ""
    with pytest.raises(CommandError, match="geen virusscanner"):
        call_command("scan_pending_attachments")


# --- download ---------------------------------------------------------------------


def download_url(attachment) -> str:
    return f"/meldingen/bijlagen/{attachment.pk}/"


def logged_in(user) -> Client:
    return login_with_second_factor(Client(), user)


def events(attachment, result: str = "success"):
    return AuditEvent.objects.filter(
        action="case.attachment_download", object_id=str(attachment.pk), result=result
    )


@pytest.fixture
def clean_attachment(case):
    stored = attachment_store(
        case=case, upload=upload('rap"port<1>.txt', b"inhoud " + CANARY), keep_name=True
    )
    stored.scan_status = ScanStatus.CLEAN
    stored.save()
    return stored


def test_coordinator_downloads_and_it_is_audited(make_user, clean_attachment):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR)
    response = logged_in(coordinator).get(download_url(clean_attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"inhoud " + CANARY
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="rapport1.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    # R-BIO-1: the download is an audit event, without the file's name or content.
    event = events(clean_attachment).get()
    assert event.actor_id == coordinator.pk
    assert event.organisation_id == clean_attachment.case.organisation_id


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.INTEGRITY_OFFICER, None, Role.SECRETARY])
def test_others_get_404(make_user, clean_attachment, role):
    # R-WBK-7, R-DP-3: administrators and officers see no case content; the secretary
    # not before the approval step.
    response = logged_in(make_user(role)).get(download_url(clean_attachment))
    assert response.status_code == 404
    assert not events(clean_attachment).exists()


def test_only_the_assigned_investigator_downloads(make_user, case, clean_attachment):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR)
    investigator = make_user(Role.INVESTIGATOR)
    assert logged_in(investigator).get(download_url(clean_attachment)).status_code == 404
    services.case_assign_investigator(actor=coordinator, case=case, user=investigator)
    assert logged_in(investigator).get(download_url(clean_attachment)).status_code == 200


def test_involved_coordinator_gets_404(make_user, case, clean_attachment):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR)
    involved = make_user(Role.INTEGRITY_COORDINATOR)
    assert logged_in(involved).get(download_url(clean_attachment)).status_code == 200
    services.case_link_involved(
        actor=coordinator,
        case=case,
        employee=Employee.objects.get(user=involved),
        description="betrokken",
    )
    assert logged_in(involved).get(download_url(clean_attachment)).status_code == 404


def test_anonymous_visitor_cannot_download(client, clean_attachment):
    response = client.get(download_url(clean_attachment))
    assert response.status_code in (302, 404)
    assert not events(clean_attachment).exists()


def test_infected_is_refused_and_the_refusal_audited(make_user, clean_attachment):
    clean_attachment.scan_status = ScanStatus.INFECTED
    clean_attachment.save()
    response = logged_in(make_user(Role.INTEGRITY_COORDINATOR)).get(
        download_url(clean_attachment) + "?bevestigd=1"
    )
    assert response.status_code == 403
    assert CANARY not in response.content
    assert events(clean_attachment, "denied").count() == 1
    assert not events(clean_attachment).exists()


def test_pending_warns_before_download(make_user, clean_attachment):
    clean_attachment.scan_status = ScanStatus.PENDING
    clean_attachment.save()
    client = logged_in(make_user(Role.INTEGRITY_COORDINATOR))
    warning = client.get(download_url(clean_attachment))
    assert warning.status_code == 200
    assert "niet op virussen gecontroleerd" in warning.content.decode()
    assert not events(clean_attachment).exists()
    response = client.get(download_url(clean_attachment) + "?bevestigd=1")
    assert b"".join(response.streaming_content) == b"inhoud " + CANARY
    assert events(clean_attachment).count() == 1


def test_unknown_attachment_is_404(make_user, db):
    client = logged_in(make_user(Role.INTEGRITY_COORDINATOR))
    assert client.get("/meldingen/bijlagen/999999/").status_code == 404
