"""A file's name can name the reporter: it is made neutral unless the reporter keeps it.

Issue 10, point 8. "verklaring-JanJansen.pdf" tells the handler who reported, however
anonymous the report (R-WBK-7: nothing from which the identity can be deduced is disclosed
without explicit consent). Every reporter's file is stored as "bijlage-<n>.<extension>";
the name as given is kept only when the reporter ticks "keep the names", and the review
step says so. The name as given is then stored nowhere: not sealed, not in clear.
"""

import json
import re
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.cases.attachments.storage import attachment_filename
from integritas.cases.constants import IdentityMode
from integritas.cases.models import Attachment, Case
from tests.conftest import login_with_second_factor
from tests.core.files.samples import jpeg, pdf

from .factories import submit_case
from .test_intake_views import INTAKE, intake_data

# What a reporter's file names give away; none of it may be stored unless kept.
MARKER = "JanJansen"
STATEMENT = "krijgen uw bestanden een neutrale naam"


def telling_files() -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(f"verklaring-{MARKER}.pdf", pdf(), content_type="application/pdf"),
        SimpleUploadedFile(f"Foto van {MARKER}.JPEG", jpeg(), content_type="image/jpeg"),
    ]


def send(client: Client, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(INTAKE, {**data, "step": "send", "attachments": telling_files(), **extra})


def names(case: Case) -> list[str]:
    return [
        attachment_filename(case=case, attachment=attachment)
        for attachment in Attachment.objects.filter(case=case).order_by("pk")
    ]


def raw_database_holds(marker: str) -> list[str]:
    """The tables in which `marker` occurs anywhere, in text or in bytes, case-insensitive."""
    needles = {marker.casefold().encode(), marker.casefold().encode("utf-16-le")}
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if value is None:
                        continue
                    if isinstance(value, (bytes, memoryview)):
                        blob = bytes(value).lower()
                    else:
                        blob = str(value).casefold().encode()
                    if any(needle in blob for needle in needles):
                        found.append(table)
    return found


def stored_files_hold(marker: str) -> bool:
    for attachment in Attachment.objects.all():
        with default_storage.open(attachment.storage_name, "rb") as handle:
            if marker.casefold().encode() in handle.read().lower():
                return True
    return False


@pytest.fixture
def coordinator(make_user: Any) -> Client:
    return login_with_second_factor(Client(), make_user(Role.INTEGRITY_COORDINATOR))


def handler_sees(coordinator: Client, case: Case) -> tuple[str, list[str]]:
    """The coordinator's case page, and the file name of every download."""
    page = coordinator.get(reverse("cases:case_detail", args=[case.case_number]))
    assert page.status_code == 200
    downloads = []
    for attachment in Attachment.objects.filter(case=case).order_by("pk"):
        url = reverse("attachments:download", args=[attachment.pk]) + "?bevestigd=1"
        response = coordinator.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content)
        match = re.search(r"filename\*?=(?:utf-8'')?\"?([^\";]+)", response["Content-Disposition"])
        assert match
        downloads.append(match.group(1))
    return page.content.decode(), downloads


# --- the review step says so --------------------------------------------------------


def test_the_review_step_says_names_are_made_neutral_and_keeping_them_is_off(client, organisation):
    review = client.post(INTAKE, {**intake_data(organisation), "step": "review"})
    assert review.status_code == 200
    html = review.content.decode()
    assert STATEMENT in html and "bijlage-1.pdf" in html
    checkbox = re.search(r'<input type="checkbox" name="keep_filenames"[^>]*>', html)
    assert checkbox, "no choice to keep the names"
    assert "checked" not in checkbox.group(0)  # off unless the reporter chooses
    assert 'for="id_keep_filenames"' in html  # labelled


# --- web intake ---------------------------------------------------------------------


@pytest.mark.requirement("R-WBK-7")
def test_web_intake_stores_neutral_names_and_the_given_ones_nowhere(client, organisation):
    data = intake_data(organisation, identity_mode=IdentityMode.ANONYMOUS)
    response = send(client, data)
    assert response.status_code == 303
    case = Case.objects.get()
    assert names(case) == ["bijlage-1.pdf", "bijlage-2.jpeg"]  # the type's extension stays
    assert raw_database_holds(MARKER) == []
    assert not stored_files_hold(MARKER)


@pytest.mark.requirement("R-WBK-7")
def test_the_handler_sees_and_downloads_only_the_neutral_names(client, organisation, coordinator):
    send(client, intake_data(organisation))
    case = Case.objects.get()
    html, downloads = handler_sees(coordinator, case)
    assert "bijlage-1.pdf" in html and "bijlage-2.jpeg" in html
    assert MARKER not in html and "verklaring" not in html
    assert downloads == ["bijlage-1.pdf", "bijlage-2.jpeg"]


def test_the_reporter_may_keep_the_names(client, organisation, coordinator):
    response = send(client, intake_data(organisation), keep_filenames="1")
    assert response.status_code == 303
    case = Case.objects.get()
    assert names(case) == [f"verklaring-{MARKER}.pdf", f"Foto van {MARKER}.JPEG"]
    # Kept means sealed under the case's key, still never in clear.
    assert raw_database_holds(MARKER) == []
    html, downloads = handler_sees(coordinator, case)
    assert f"verklaring-{MARKER}.pdf" in html
    assert downloads[0] == f"verklaring-{MARKER}.pdf"


def test_a_refused_file_keeps_the_choice_and_the_statement(client, organisation):
    broken = SimpleUploadedFile(f"{MARKER}.png", b"MZ\x90 not an image", content_type="image/png")
    response = client.post(
        INTAKE,
        {
            **intake_data(organisation),
            "step": "send",
            "attachments": [broken],
            "keep_filenames": "1",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert STATEMENT in html
    assert re.search(r'<input type="checkbox" name="keep_filenames"[^>]*checked', html)
    assert not Case.objects.exists()
    assert raw_database_holds(MARKER) == []


# --- the mailbox: the reporter's later files ---------------------------------------


@pytest.mark.requirement("R-WBK-7")
def test_files_sent_from_the_mailbox_get_neutral_names_too(client, organisation):
    submission = submit_case(organisation)
    client.post(reverse("meldpunt:mailbox"), {"receipt_code": submission.receipt_code})
    page = client.get(reverse("meldpunt:mailbox")).content.decode()
    assert STATEMENT in page and 'name="keep_filenames"' in page
    response = client.post(
        reverse("meldpunt:mailbox_reply"),
        {"body": "Hier is meer.", "attachments": telling_files()},
    )
    assert response.status_code == 303
    assert names(submission.case) == ["bijlage-1.pdf", "bijlage-2.jpeg"]
    client.post(
        reverse("meldpunt:mailbox_reply"),
        {"body": "En nog een.", "attachments": telling_files()[:1], "keep_filenames": "1"},
    )
    assert names(submission.case)[2:] == [f"verklaring-{MARKER}.pdf"]


# --- the API ------------------------------------------------------------------------


def test_the_api_takes_no_files_so_no_file_names(client, organisation):
    report = {
        "organisation": organisation.slug,
        "kind": "integrity_violation",
        "description": "Een collega declareert reizen die niet zijn gemaakt.",
        "identity_mode": "anonymous",
    }
    url = "/api/v1/meldpunt/meldingen/"
    multipart = client.post(url, {**report, "attachments": telling_files()})
    assert multipart.status_code == 415
    assert not Case.objects.exists()
    # A file name smuggled into the JSON is no field of the report and is not kept.
    body = {**report, "attachments": [{"name": f"verklaring-{MARKER}.pdf"}]}
    response = client.post(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    assert not Attachment.objects.exists()
    assert raw_database_holds(MARKER) == []
