"""The reporter's mailbox at /meldpunt/postvak/: entry by receipt code, throttle, own cookie.

R-WBK-9: anonymous reporting works through the receipt code and this mailbox.
"""

import json
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.cases import services, vault
from integritas.cases.constants import MessageDirection, Status
from integritas.cases.intake.formtoken import receipt_proof_verify
from integritas.cases.mailbox import services as mailbox_services
from integritas.cases.mailbox import views as mailbox_views
from integritas.cases.models import Attachment, CaseMessage
from integritas.core import crypto, throttle
from integritas.core.models import ThrottleCounter

from .factories import submit_case
from .test_intake_views import _png

MAILBOX = "/meldpunt/postvak/"
XSS = "<script>x()</script><i>"


@pytest.fixture
def submission(organisation):
    return submit_case(
        organisation,
        description=f"Er wordt gefraudeerd. {XSS}",
        details={"when": f"Gisteren {XSS}", "where": "Stadhuis"},
    )


def enter(client: Client, code: str) -> Any:
    return client.post(MAILBOX, {"receipt_code": code})


@pytest.mark.requirement("R-WBK-9")
def test_enter_with_the_receipt_code_and_read_the_mailbox(
    client, organisation, submission, make_user
):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    case = services.case_transition(actor=coordinator, case=submission.case, name="acknowledge")
    services.case_message_to_reporter(
        actor=coordinator, case=case, body=f"Kunt u meer vertellen? {XSS}"
    )
    code = submission.receipt_code
    grouped = f"{code[:4]} {code[4:8]}-{code[8:12]} {code[12:]}"  # spaces and dashes allowed

    response = enter(client, grouped)
    assert response.status_code == 303 and response["Location"] == MAILBOX
    page = client.get(MAILBOX)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert case.case_number in html
    assert "Uw melding wordt beoordeeld." in html  # STATUS_FOR_REPORTER, plain Dutch
    assert "Ja, op" in html  # the acknowledgement
    assert "Er wordt gefraudeerd." in html and "Stadhuis" in html
    assert "Kunt u meer vertellen?" in html and "Van het Meldpunt" in html
    # HTML and script in the description, details and messages are inert.
    assert "<script>x()" not in html and "<i>" not in html
    assert html.count("&lt;script&gt;x()&lt;/script&gt;&lt;i&gt;") == 3
    # Every read is audited, without an actor.
    reads = AuditEvent.objects.filter(action="case.mailbox_read", object_id=str(case.pk))
    assert reads.count() == 1 and reads.get().actor_id is None


@pytest.mark.requirement("R-WBK-9")
def test_reply_from_the_mailbox_with_a_file(client, submission):
    enter(client, submission.receipt_code)
    upload = SimpleUploadedFile("bewijs.png", _png(), content_type="image/png")
    response = client.post(
        reverse("meldpunt:mailbox_reply"), {"body": f"Hier is meer. {XSS}", "attachments": [upload]}
    )
    assert response.status_code == 303
    message = CaseMessage.objects.get(case=submission.case)
    assert message.direction == MessageDirection.FROM_REPORTER and message.author_id is None
    assert vault.unseal(submission.case, "message", message.body_enc, row=message.pk).startswith(
        "Hier is meer."
    )
    assert Attachment.objects.get(case=submission.case).message_id == message.pk
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Uw bericht is verstuurd." in html and "Hier is meer." in html
    assert "<script>x()" not in html
    event = AuditEvent.objects.get(action="case.reporter_reply")
    assert event.actor_id is None


def test_empty_reply_gives_a_dutch_error(client, submission):
    enter(client, submission.receipt_code)
    response = client.post(reverse("meldpunt:mailbox_reply"), {"body": "  "})
    assert response.status_code == 400
    assert "Schrijf een bericht." in response.content.decode()
    assert not CaseMessage.objects.exists()


def test_reply_without_the_mailbox_cookie_goes_back_to_the_code(client, submission):
    response = client.post(reverse("meldpunt:mailbox_reply"), {"body": "Hallo"})
    assert response.status_code == 303
    assert not CaseMessage.objects.exists()


@pytest.mark.parametrize(
    "code",
    ["", "abc", "1234", "1" * 17, "1234 5678 9012 345x", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦", "1" * 64, "1" * 65],
)
def test_malformed_receipt_codes_are_refused_and_counted(client, submission, code):
    response = enter(client, code)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vul uw ontvangstcode in." in html or "Bij deze code vinden wij geen melding" in html
    assert mailbox_views.MAILBOX_COOKIE not in response.cookies
    key = throttle.client_key(response.wsgi_request, "postvak")
    assert throttle.count(key, 15) == 1


@pytest.mark.parametrize("bad", ["0" * 16, "abc"])
def test_five_failures_give_429_even_for_the_right_code(client, submission, bad, monkeypatch):
    for _ in range(5):
        assert enter(client, bad).status_code == 400
    hashed = []
    monkeypatch.setattr(crypto, "receipt_lookup_hash", lambda *a, **k: hashed.append(1) or "x")
    blocked = enter(client, submission.receipt_code)
    assert blocked.status_code == 429
    assert "Te veel pogingen" in blocked.content.decode()
    assert blocked["Retry-After"] == "900"
    assert "no-store" in blocked["Cache-Control"]
    assert hashed == []  # the throttle answers before the slow hash
    # Another client is not blocked.
    other = Client(REMOTE_ADDR="192.0.2.7")
    monkeypatch.undo()
    assert enter(other, submission.receipt_code).status_code == 303


def test_an_attempt_is_counted_before_the_code_is_checked(client, submission, monkeypatch):
    # Parallel guesses must not all read a count below the limit: by the time the slow
    # hash runs, this attempt is on the counter already.
    seen: list[int] = []
    real = crypto.receipt_lookup_hash

    def spy(*args: Any, **kwargs: Any) -> str:
        seen.append(throttle.count(key, 15))
        return real(*args, **kwargs)

    key = throttle.client_key(enter(client, "abc").wsgi_request, "postvak")  # malformed: 1
    monkeypatch.setattr(crypto, "receipt_lookup_hash", spy)
    enter(client, "0" * 16)
    assert seen == [2]


def test_a_reporter_who_enters_often_is_never_blocked(client, submission):
    # Only failed guesses count: a correct code takes its attempt back.
    for _ in range(8):
        assert enter(client, submission.receipt_code).status_code == 303
    for _ in range(5):
        assert enter(client, "0" * 16).status_code == 400
    assert enter(client, submission.receipt_code).status_code == 429


def test_throttle_window_is_fifteen_minutes(client, submission, time_machine):
    time_machine.move_to("2026-03-02 09:00:00+01:00")
    for _ in range(5):
        enter(client, "0" * 16)
    assert enter(client, submission.receipt_code).status_code == 429
    time_machine.move_to("2026-03-02 09:16:00+01:00")
    assert enter(client, submission.receipt_code).status_code == 303


def test_the_throttle_keeps_no_address_in_clear(client, submission):
    enter(client, "0" * 16)
    keys = list(ThrottleCounter.objects.values_list("key", flat=True))
    assert keys and all("127.0.0.1" not in key for key in keys)


def test_a_global_wave_of_failures_slows_answers_down_without_refusing(
    client, submission, monkeypatch
):
    slept: list[float] = []
    monkeypatch.setattr(mailbox_services.time, "sleep", slept.append)
    enter(client, "0" * 16)
    assert slept == []
    # A broad attack: hundreds of failures from many clients within the window.
    ThrottleCounter.objects.filter(key=mailbox_services.GLOBAL_THROTTLE_KEY).update(count=500)
    response = enter(client, submission.receipt_code)
    assert response.status_code == 303  # a real reporter still gets in
    assert len(slept) == 1 and 0 < slept[0] <= 1.0


def test_the_mailbox_cookie_is_its_own_short_signed_session(client, submission):
    response = enter(client, submission.receipt_code)
    cookie = response.cookies[mailbox_views.MAILBOX_COOKIE]
    assert mailbox_views.MAILBOX_COOKIE != settings.SESSION_COOKIE_NAME
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/meldpunt/postvak/"
    assert cookie["max-age"] == 900
    assert not cookie["secure"]  # plain http in tests; Secure under https:
    secure = Client().post(MAILBOX, {"receipt_code": submission.receipt_code}, secure=True)
    assert secure.cookies[mailbox_views.MAILBOX_COOKIE]["secure"] is True
    # The cookie carries no receipt code; a forged cookie opens nothing.
    assert submission.receipt_code not in cookie.value
    forged = Client()
    forged.cookies[mailbox_views.MAILBOX_COOKIE] = cookie.value[:-2] + "xx"
    assert "Postvak openen" in forged.get(MAILBOX).content.decode()


def test_the_mailbox_closes_after_fifteen_idle_minutes(client, submission, time_machine):
    time_machine.move_to("2026-03-02 09:00:00+01:00")
    enter(client, submission.receipt_code)
    time_machine.move_to("2026-03-02 09:10:00+01:00")
    assert submission.case.case_number in client.get(MAILBOX).content.decode()  # refreshes
    time_machine.move_to("2026-03-02 09:24:00+01:00")
    assert submission.case.case_number in client.get(MAILBOX).content.decode()
    time_machine.move_to("2026-03-02 09:40:00+01:00")
    page = client.get(MAILBOX)
    assert submission.case.case_number not in page.content.decode()
    assert "Postvak openen" in page.content.decode()


def test_logout_clears_the_cookie(client, submission):
    enter(client, submission.receipt_code)
    response = client.post(reverse("meldpunt:mailbox_logout"))
    assert response.status_code == 303
    cleared = response.cookies[mailbox_views.MAILBOX_COOKIE]
    assert cleared.value == "" and cleared["path"] == "/meldpunt/postvak/"
    page = client.get(MAILBOX)
    assert "Postvak openen" in page.content.decode()


def test_every_page_has_cache_control_no_store(client, submission):
    assert "no-store" in client.get(MAILBOX)["Cache-Control"]
    assert "no-store" in enter(client, "1")["Cache-Control"]
    assert "no-store" in enter(client, submission.receipt_code)["Cache-Control"]
    assert "no-store" in client.get(MAILBOX)["Cache-Control"]
    assert "no-store" in client.get("/meldpunt/")["Cache-Control"]


def test_proof_of_receipt_from_the_mailbox(client, submission):
    enter(client, submission.receipt_code)
    response = client.post(reverse("meldpunt:mailbox_proof"))
    assert response.status_code == 200
    body = response.content.decode()
    assert submission.case.case_number in body and submission.receipt_code not in body
    assert receipt_proof_verify(json.loads(body))["zaaknummer"] == submission.case.case_number


def test_status_text_follows_the_case(client, organisation, submission, make_user):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    enter(client, submission.receipt_code)
    assert (
        "Uw melding is ontvangen en wordt binnenkort bevestigd."
        in client.get(MAILBOX).content.decode()
    )
    assert "Nog niet" in client.get(MAILBOX).content.decode()
    services.case_transition(actor=coordinator, case=submission.case, name="acknowledge")
    submission.case.refresh_from_db()
    assert submission.case.status == Status.TRIAGE
    assert "Uw melding wordt beoordeeld." in client.get(MAILBOX).content.decode()


def test_no_client_data_in_the_audit_or_the_case(client, submission):
    enter(client, submission.receipt_code)
    client.get(MAILBOX, HTTP_USER_AGENT="HerkenbareBrowser/9", HTTP_REFERER="https://x.example/")
    for event in AuditEvent.objects.all():
        for field in event._meta.concrete_fields:
            value = str(getattr(event, field.attname))
            assert "127.0.0.1" not in value and "HerkenbareBrowser" not in value
