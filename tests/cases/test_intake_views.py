"""The public web intake at /meldpunt/: steps, errors, idempotence, CSRF, no trace.

R-WBK-6 (vertrouwenspersonen listed), R-WBK-7 (consent, identity vault), R-WBK-9
(anonymous, switchable per organisation), R-WBK-10 (relation, kind), R-WBK-12 (external
routes).
"""

import base64
import json
import re
import struct
import zlib
from io import StringIO
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from integritas.audit.models import AuditEvent
from integritas.cases import vault
from integritas.cases.constants import IdentityMode, Kind, ReporterRelation
from integritas.cases.intake import formtoken
from integritas.cases.models import (
    Attachment,
    Case,
    CaseMessage,
    IntakeSubmission,
    InvolvedPerson,
    ReporterIdentity,
)
from integritas.counsel.models import CounsellorListing

INTAKE = "/meldpunt/"
XSS = "<script>x()</script><i>"
TEXT_FIELDS = ("description", "when", "where", "involved", "others_aware", "name", "phone")


def token_from(response: Any) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    assert match, "no form token on the page"
    return match.group(1)


def intake_data(org: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organisation": org.slug,
        "kind": Kind.WRONGDOING,
        "category": "1",
        "description": "De afdeling Inkoop gunt opdrachten steeds aan dezelfde zwager.",
        "when": "Sinds maart",
        "where": "Afdeling Inkoop",
        "involved": "Hoofd Inkoop\n\n  Medewerker contractbeheer  \n",
        "others_aware": "Twee collega's",
        "reporter_relation": ReporterRelation.HIRED,
        "identity_mode": IdentityMode.CONFIDENTIAL,
        "name": "Jan Melder",
        "email": "jan@example.org",
        "phone": "0612345678",
        "consent_investigators": "on",
        "notify_email": "seintje@example.org",
        "form_token": formtoken.form_token_new(),
    }
    data.update(overrides)
    return data


def send(client: Client, data: dict[str, Any], **extra: Any) -> Any:
    # Sending redirects to the receipt page (303), which a browser follows at once.
    return client.post(INTAKE, {**data, "step": "send", **extra}, follow=True)


def receipt_code_in(response: Any) -> str:
    match = re.search(r"<strong[^>]*>(\d{4} \d{4} \d{4} \d{4})</strong>", response.content.decode())
    assert match, "no receipt code on the page"
    return match.group(1).replace(" ", "")


def assert_no_store(response: Any) -> None:
    assert "no-store" in response["Cache-Control"]


@pytest.mark.requirement("R-WBK-6", "R-WBK-9", "R-WBK-12")
def test_intake_page_lists_counsellors_external_routes_and_anonymous_organisations(
    client, organisation, other_organisation
):
    # R-WBK-6: the vertrouwenspersonen; R-WBK-12: external routes; R-WBK-9: who allows anonymous.
    other_organisation.anonymous_reporting_enabled = False
    other_organisation.save()
    CounsellorListing.objects.create(
        organisation=organisation, name="Petra Vertrouwen", phone="071-1234567"
    )
    response = client.get(INTAKE)
    assert response.status_code == 200
    assert_no_store(response)
    html = response.content.decode()
    assert "Petra Vertrouwen" in html and "071-1234567" in html
    assert "Huis voor Klokkenluiders" in html and "LKOG" in html
    assert "maatschappelijk" in html or "algemeen belang" in html  # the Wbk's misstand explained
    anonymous_line = re.search(r"Anoniem melden kan bij:([^<]*)", html).group(1)
    assert organisation.name in anonymous_line
    assert other_organisation.name not in anonymous_line
    assert 'name="form_token"' in html and 'name="organisation"' in html


@pytest.mark.requirement("R-WBK-7", "R-WBK-10")
def test_happy_path_review_then_send_shows_case_number_and_receipt_once(client, organisation):
    first = client.get(INTAKE)
    data = intake_data(organisation, form_token=token_from(first))
    review = client.post(INTAKE, {**data, "step": "review"})
    assert review.status_code == 200
    assert_no_store(review)
    html = review.content.decode()
    assert "Controleer uw melding" in html
    assert "De afdeling Inkoop gunt opdrachten" in html
    assert 'type="hidden" name="description"' in html
    assert "Terug naar wijzigen" in html and "Versturen" in html
    assert not Case.objects.exists()

    receipt = send(client, data)
    assert receipt.status_code == 200
    assert_no_store(receipt)
    case = Case.objects.get()
    code = receipt_code_in(receipt)
    assert case.case_number in receipt.content.decode()
    assert case.case_number.startswith("LDP-")
    assert re.search(r"\d{4} \d{4} \d{4} \d{4}", receipt.content.decode())
    assert code not in (case.receipt_lookup or "")
    # What the reporter said is stored, encrypted (R-WBK-10: relation and own kind).
    assert case.kind == Kind.WRONGDOING and case.reporter_relation == ReporterRelation.HIRED
    assert case.identity_mode == IdentityMode.CONFIDENTIAL and case.category == "1"
    assert vault.unseal(case, "description", case.description_enc).startswith("De afdeling")
    details = vault.unseal_json(case, "details", case.details_enc)
    assert details == {
        "when": "Sinds maart",
        "where": "Afdeling Inkoop",
        "others_aware": "Twee collega's",
    }
    involved = [
        vault.unseal(case, "involved", p.description_enc, row=p.pk)
        for p in InvolvedPerson.objects.filter(case=case).order_by("pk")
    ]
    assert involved == ["Hoofd Inkoop", "Medewerker contractbeheer"]
    # R-WBK-7: identity in the vault with the consents exactly as given.
    identity = ReporterIdentity.objects.get(case=case)
    assert vault.unseal_json(case, "identity", identity.identity_enc)["name"] == "Jan Melder"
    assert identity.consent_investigators is True and identity.consent_secretary is False
    assert vault.unseal(case, "notify_email", identity.notify_email_enc) == "seintje@example.org"
    assert AuditEvent.objects.filter(action="case.submit", actor_id=None).count() == 1


@pytest.mark.requirement("R-WBK-9")
def test_anonymous_report_keeps_no_identity_even_when_typed(client, organisation):
    data = intake_data(organisation, identity_mode=IdentityMode.ANONYMOUS, consent_secretary="on")
    review = client.post(INTAKE, {**data, "step": "review"})
    assert "niet opgeslagen" in review.content.decode()
    assert "jan@example.org" not in review.content.decode().split("<form")[0]
    send(client, data)
    identity = Case.objects.get().identity
    assert vault.unseal_json(identity.case, "identity", identity.identity_enc) == {}
    assert not identity.consent_investigators and not identity.consent_secretary


def test_back_to_edit_keeps_everything_typed(client, organisation):
    data = intake_data(organisation, consent_secretary="on")
    review = client.post(INTAKE, {**data, "step": "review"})
    hidden = dict(
        re.findall(r'type="hidden" name="([a-z_]+)" value="([^"]*)"', review.content.decode())
    )
    back = client.post(INTAKE, {**hidden, "step": "edit"})
    assert back.status_code == 200
    html = back.content.decode()
    assert "Controleer de gemarkeerde velden" not in html
    assert "De afdeling Inkoop gunt opdrachten steeds aan dezelfde zwager." in html
    assert "Hoofd Inkoop\n\n  Medewerker contractbeheer" in html
    assert 'value="Jan Melder"' in html and 'value="seintje@example.org"' in html
    assert re.search(rf'<option value="{organisation.slug}" selected>', html)
    assert re.search(r'name="consent_investigators"[^>]*checked', html)
    assert re.search(r'name="consent_secretary"[^>]*checked', html)
    assert re.search(r'value="confidential"[^>]*checked', html)
    assert token_from(back) == data["form_token"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"description": "   "}, "description", "Beschrijf wat er is gebeurd."),
        ({"organisation": ""}, "organisation", "Kies de organisatie waar uw melding over gaat."),
        ({"organisation": "bestaat-niet"}, "organisation", "Kies een organisatie uit de lijst."),
        ({"kind": "gossip"}, "kind", "Kies een van de soorten melding."),
        ({"kind": ""}, "kind", "Kies wat voor melding het is."),
        ({"identity_mode": ""}, "identity_mode", "Kies hoe u wilt melden."),
        ({"name": ""}, "name", "Vul uw naam in, of kies een andere manier van melden."),
        ({"email": "geen-adres"}, "email", "Vul een geldig e-mailadres in"),
        ({"notify_email": "x@"}, "notify_email", "Vul een geldig e-mailadres in"),
        ({"category": "99"}, "category", "Kies een onderwerp uit de lijst."),
        ({"reporter_relation": "boss"}, "reporter_relation", "Kies een relatie uit de lijst."),
        ({"when": "x" * 501}, "when", "Gebruik hoogstens 500 tekens."),
    ],
)
def test_bad_input_gives_a_dutch_error_per_field_and_keeps_the_rest(
    client, organisation, overrides, field, message
):
    data = intake_data(organisation, **overrides)
    for step in ("review", "send"):
        response = client.post(INTAKE, {**data, "step": step})
        assert response.status_code == 400
        html = response.content.decode()
        assert f'id="id_{field}_error"' in html
        assert message in html
        # Nothing else typed is lost.
        for other in ("description", "where", "name"):
            if other not in overrides:
                assert str(data[other]) in html
        assert "Controleer de gemarkeerde velden" in html
    assert not Case.objects.exists()


@pytest.mark.requirement("R-WBK-9")
def test_anonymous_refused_where_the_organisation_switched_it_off(client, organisation):
    # R-WBK-9: anonymous reporting is switchable per organisation.
    organisation.anonymous_reporting_enabled = False
    organisation.save()
    data = intake_data(organisation, identity_mode=IdentityMode.ANONYMOUS)
    response = send(client, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Anoniem melden is bij {organisation.name} niet mogelijk" in html
    assert "De afdeling Inkoop" in html
    assert not Case.objects.exists()


def test_double_submit_with_the_same_token_creates_one_case(client, organisation):
    data = intake_data(organisation)
    first = send(client, data)
    assert receipt_code_in(first)
    again = send(client, data)  # refresh, back button or double click
    assert Case.objects.count() == 1
    # The code was shown once (tests/cases/test_receipt_shown_once.py): the repeat says
    # the report was received, without the code.
    assert "Uw melding is al ontvangen" in again.content.decode()
    assert not re.search(r"<strong[^>]*>\d{4} \d{4}", again.content.decode())
    saved = client.post(reverse("meldpunt:receipt_saved"), {"form_token": data["form_token"]})
    assert saved.status_code == 200
    assert IntakeSubmission.objects.get().receipt_enc in (b"", memoryview(b""))
    third = send(client, data)
    assert Case.objects.count() == 1
    assert not re.search(r"<strong[^>]*>\d{4} \d{4}", third.content.decode())


def test_expired_or_forged_form_token_is_refused_and_input_kept(client, organisation):
    forged = formtoken.form_token_new()[:-2] + "xx"
    for token in (forged, "", "niet-ondertekend"):
        response = send(client, intake_data(organisation, form_token=token))
        assert response.status_code == 400
        html = response.content.decode()
        assert "Dit formulier was verlopen" in html
        assert "De afdeling Inkoop gunt opdrachten" in html
        assert formtoken.form_token_valid(token_from(response))
    assert not Case.objects.exists()


def test_form_token_expires_after_two_hours(time_machine):
    time_machine.move_to("2026-03-02 09:00:00+01:00")
    token = formtoken.form_token_new()
    assert formtoken.form_token_valid(token)
    time_machine.move_to("2026-03-02 11:01:00+01:00")
    assert not formtoken.form_token_valid(token)
    assert not formtoken.form_token_valid(signing.dumps({"n": "x"}, salt="other"))


def test_csrf_is_enforced(organisation):
    strict = Client(enforce_csrf_checks=True)
    data = intake_data(organisation)
    assert strict.post(INTAKE, {**data, "step": "send"}).status_code == 403
    assert strict.post(reverse("meldpunt:mailbox"), {"receipt_code": "1" * 16}).status_code == 403
    assert not Case.objects.exists()
    page = strict.get(INTAKE)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    ok = strict.post(INTAKE, {**data, "step": "send", "csrfmiddlewaretoken": csrf})
    assert ok.status_code == 303  # to the receipt page
    assert Case.objects.count() == 1
    # The CSRF token lives in a cookie, never in a session.
    assert settings.CSRF_USE_SESSIONS is False
    assert settings.SESSION_COOKIE_NAME not in ok.cookies


def test_html_and_script_in_every_text_field_are_rendered_inert(client, organisation):
    data = intake_data(
        organisation,
        **{name: f"{name} {XSS}" for name in TEXT_FIELDS},
        email="a@example.org",
    )
    review = client.post(INTAKE, {**data, "step": "review"})
    receipt = send(client, data)
    for response in (review, receipt):
        html = response.content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
    review_html = review.content.decode()
    for name in TEXT_FIELDS:
        assert f"{name} &lt;script&gt;x()&lt;/script&gt;&lt;i&gt;" in review_html
    assert Case.objects.count() == 1


def test_proof_of_receipt_verifies_and_a_tampered_one_fails(client, organisation, tmp_path):
    data = intake_data(organisation)
    receipt = send(client, data)
    code = receipt_code_in(receipt)
    response = client.post(reverse("meldpunt:receipt_proof"), {"form_token": data["form_token"]})
    assert response.status_code == 200
    assert_no_store(response)
    assert response["Content-Type"].startswith("application/json")
    assert "attachment;" in response["Content-Disposition"]
    body = response.content.decode()
    assert code not in body and "Inkoop" not in body  # never the code, never the content
    proof = json.loads(body)
    case = Case.objects.get()
    assert proof["zaaknummer"] == case.case_number
    assert proof["organisatie"] == organisation.name
    path = tmp_path / "bewijs.json"
    path.write_text(body, encoding="utf-8")
    out = _call("verify_receipt_proof", str(path))
    assert "GELDIG" in out and case.case_number in out and "hetzelfde tijdstip" in out

    for field, value in (
        ("zaaknummer", "LDP-2026-9999"),
        ("ontvangen_op", "2020-01-01T00:00:00+01:00"),
    ):
        tampered = {**proof, field: value}
        path.write_text(json.dumps(tampered), encoding="utf-8")
        with pytest.raises(CommandError, match="ONGELDIG"):
            _call("verify_receipt_proof", str(path))
    path.write_text(json.dumps({**proof, "handtekening": proof["handtekening"][:-3] + "abc"}))
    with pytest.raises(CommandError, match="ONGELDIG"):
        _call("verify_receipt_proof", str(path))
    path.write_text("geen json")
    with pytest.raises(CommandError):
        _call("verify_receipt_proof", str(path))
    # Without a valid form token there is no proof.
    assert client.post(reverse("meldpunt:receipt_proof"), {"form_token": "x"}).status_code == 400


def test_proof_of_receipt_outlives_a_new_secret_key(client, organisation, settings):
    # A reporter may need the proof years later; SECRET_KEY may be replaced at any time
    # (docs/operations.md §4.1), the receipt pepper never is.
    data = intake_data(organisation)
    send(client, data)
    body = client.post(reverse("meldpunt:receipt_proof"), {"form_token": data["form_token"]})
    proof = json.loads(body.content)
    settings.SECRET_KEY = "een-geheel-nieuwe-geheime-sleutel-" + "x" * 40
    assert formtoken.receipt_proof_verify(proof) is not None
    # Anyone holding the published key can check it, without this server.
    public = Ed25519PublicKey.from_public_bytes(
        base64.urlsafe_b64decode(formtoken.proof_public_key())
    )
    signed = {key: proof[key] for key in ("type", *formtoken.PROOF_FIELDS)}
    message = json.dumps(signed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    public.verify(base64.urlsafe_b64decode(proof["handtekening"]), message.encode())
    # Another installation (another pepper) does not accept it.
    settings.INTEGRITAS_RECEIPT_PEPPER = "een-andere-peper-" + "y" * 40
    assert formtoken.receipt_proof_verify(proof) is None


def _call(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def test_attachments_are_added_on_the_review_page(client, organisation):
    data = intake_data(organisation)
    review = client.post(INTAKE, {**data, "step": "review"})
    assert 'type="file" name="attachments"' in review.content.decode()
    upload = SimpleUploadedFile("foto.png", _png(), content_type="image/png")
    response = client.post(INTAKE, {**data, "step": "send", "attachments": [upload]})
    assert response.status_code == 303  # to the receipt page
    case = Case.objects.get()
    attachment = Attachment.objects.get(case=case)
    assert attachment.content_type == "image/png" and attachment.message is None


def test_a_disguised_file_is_refused_and_no_case_is_made(client, organisation):
    data = intake_data(organisation)
    upload = SimpleUploadedFile("foto.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = client.post(INTAKE, {**data, "step": "send", "attachments": [upload]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "foto.png" in html and "niet is toegestaan" in html
    assert 'type="hidden" name="description"' in html  # the report is still there
    assert not Case.objects.exists()


def test_attachments_can_be_switched_off(client, organisation, settings):
    settings.INTEGRITAS_INTAKE_ATTACHMENTS = False
    data = intake_data(organisation)
    review = client.post(INTAKE, {**data, "step": "review"})
    assert 'type="file"' not in review.content.decode()
    upload = SimpleUploadedFile("foto.png", _png(), content_type="image/png")
    assert client.post(INTAKE, {**data, "step": "send", "attachments": [upload]}).status_code == 303
    assert not Attachment.objects.exists()


# --- a logged-in employee reporting anonymously leaves no trace ---------------------


def _session_rows() -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT session_key, session_data, expire_date FROM django_session ORDER BY session_key"
        )
        return [tuple(row) for row in cursor.fetchall()]


@pytest.mark.requirement("R-WBK-7", "R-WBK-9")
def test_logged_in_employee_reporting_anonymously_leaves_no_trace(client_for, organisation):
    employee_client = client_for(None)
    user = employee_client.session.get("_auth_user_id")
    assert user is not None
    from integritas.accounts.models import User

    user = User.objects.get(pk=user)
    # The employee's own pages offer the intake.
    home = employee_client.get("/")
    assert (
        reverse("meldpunt:intake") in home.content.decode()
        and "Melding doen" in home.content.decode()
    )
    before = _session_rows()
    assert before, "the employee has a session"
    session_key = employee_client.cookies[settings.SESSION_COOKIE_NAME].value

    responses = [employee_client.get(INTAKE)]
    data = intake_data(
        organisation, identity_mode=IdentityMode.ANONYMOUS, form_token=token_from(responses[0])
    )
    responses.append(employee_client.post(INTAKE, {**data, "step": "review"}))
    responses.append(send(employee_client, data))
    code = receipt_code_in(responses[-1])
    responses.append(
        employee_client.post(reverse("meldpunt:receipt_saved"), {"form_token": data["form_token"]})
    )
    responses.append(employee_client.post(reverse("meldpunt:mailbox"), {"receipt_code": code}))
    responses.append(employee_client.get(reverse("meldpunt:mailbox")))

    # Inside, nobody is logged in: the views saw an anonymous user.
    assert all(not r.wsgi_request.user.is_authenticated for r in responses)
    # The session row is byte-identical: no save, no last-activity update.
    assert _session_rows() == before
    for response in responses:
        assert response.status_code in (200, 303)
        # No session cookie set or deleted.
        assert settings.SESSION_COOKIE_NAME not in response.cookies
        html = response.content.decode()
        assert user.full_name not in html and user.email not in html
        assert "/accounts/logout/" not in html  # not the employee's layout
    assert employee_client.cookies[settings.SESSION_COOKIE_NAME].value == session_key

    case = Case.objects.get()
    # The audit events of the intake and the mailbox carry no actor.
    events = AuditEvent.objects.filter(object_id=str(case.pk))
    assert {e.action for e in events} >= {"case.submit", "case.mailbox_read"}
    assert all(e.actor_id is None for e in events)
    # No column of the case's rows holds the user, the session or the client address.
    needles = {user.email, user.full_name, session_key, "127.0.0.1"}
    rows: list[Any] = [case, case.identity, IntakeSubmission.objects.get(case=case), *events]
    rows += list(InvolvedPerson.objects.filter(case=case))
    rows += list(CaseMessage.objects.filter(case=case))
    for row in rows:
        for field in row._meta.concrete_fields:
            value = getattr(row, field.attname)
            if field.is_relation and field.related_model is User:
                assert value is None, f"{row._meta.label}.{field.name} names a user"
            if isinstance(value, memoryview):
                value = bytes(value)
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            if isinstance(value, str):
                for needle in needles:
                    assert needle not in value, f"{row._meta.label}.{field.name}"
    # And the employee is still logged in afterwards.
    assert employee_client.get("/").status_code == 200
    assert _session_rows()[0][0] == before[0][0]


def test_sessionless_middleware_hides_the_real_session_and_keeps_it_unchanged(client_for):
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory

    from integritas.core.middleware import SessionlessPathsMiddleware

    employee_client = client_for(None)
    session_key = employee_client.cookies[settings.SESSION_COOKIE_NAME].value
    seen: dict[str, Any] = {}

    def view(request: Any) -> HttpResponse:
        seen["user"] = request.user.is_authenticated
        seen["data"] = dict(request.session.items())
        seen["cookie"] = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        seen["agent"] = request.META.get("HTTP_USER_AGENT")
        if request.path.startswith("/meldpunt/"):
            # Whatever code downstream tries, the real session is out of reach.
            request.session["planted"] = "x"
            request.session.cycle_key()
            request.session.flush()
            request.session["planted"] = "y"
        return HttpResponse("ok")

    chain = SessionMiddleware(SessionlessPathsMiddleware(AuthenticationMiddleware(view)))

    def call(path: str) -> Any:
        request = RequestFactory().post(path, HTTP_USER_AGENT="Firefox/1.0 (herkenbaar)")
        request.COOKIES[settings.SESSION_COOKIE_NAME] = session_key
        return chain(request)

    call("/elders/")  # control: elsewhere the employee's session is there
    assert seen["user"] is True and seen["data"] and seen["cookie"] == session_key
    before = _session_rows()
    response = call("/meldpunt/postvak/")
    assert seen == {"user": False, "data": {}, "cookie": None, "agent": None}
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert _session_rows() == before
    api = call("/api/v1/meldpunt/meldingen/")
    assert seen["user"] is False and seen["data"] == {}
    assert settings.SESSION_COOKIE_NAME not in api.cookies
    assert _session_rows() == before
