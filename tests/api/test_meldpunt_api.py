"""The public Meldpunt API: intake and the reporter's mailbox for other channels (issue 3)."""

import datetime
import json
from typing import Any

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.cases import services, vault
from integritas.cases.constants import Channel, IdentityMode, MessageDirection, Status
from integritas.cases.mailbox import services as mailbox_services
from integritas.cases.models import Case, ReporterIdentity
from integritas.core import crypto, throttle
from tests.cases.factories import submit_case

pytestmark = pytest.mark.django_db

REPORT_URL = "/api/v1/meldpunt/meldingen/"
MAILBOX_URL = "/api/v1/meldpunt/postvak/"
SCHEMA_URL = "/api/v1/schema/"


def post(client: Client, url: str, data: Any, **extra: Any) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json", **extra)


def minimal(org: Any, /, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organisation": org.slug,
        "kind": "integrity_violation",
        "description": "Een collega declareert reizen die niet zijn gemaakt.",
        "identity_mode": "anonymous",
    }
    data.update(overrides)
    return data


def session_row(client: Client) -> tuple[str, Any]:
    row = Session.objects.get(session_key=client.session.session_key)
    return row.session_data, row.expire_date


def web_mailbox_key() -> str:
    """The throttle key the web mailbox (/meldpunt/postvak/) uses for the same client."""
    return throttle.client_key(RequestFactory().post("/meldpunt/postvak/"), "postvak")


# --- intake ---------------------------------------------------------------------------


def test_four_fields_are_enough(client, organisation):
    response = post(client, REPORT_URL, minimal(organisation))
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"case_number", "receipt_code"}
    assert body["case_number"].startswith("LDP-")
    assert len(body["receipt_code"]) == 16 and body["receipt_code"].isdigit()
    case = Case.objects.get(case_number=body["case_number"])
    assert case.channel == Channel.API
    assert case.identity_mode == IdentityMode.ANONYMOUS
    assert vault.unseal(case, "description", case.description_enc).startswith("Een collega")
    # The receipt code is only in the answer, never in the row.
    assert body["receipt_code"] not in str(case.receipt_lookup)
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"


def test_optional_fields_are_stored_encrypted(client, organisation):
    data = minimal(
        organisation,
        identity_mode="confidential",
        kind="unwanted_behaviour",
        category="8a",
        reporter_relation="former_employee",
        when="Vorige week dinsdag",
        where="Afdeling Burgerzaken",
        involved=["Teamleider X", "  "],
        others_aware="Niemand",
        identity={"name": "Anna de Melder", "email": "anna@example.org", "phone": "0612345678"},
        notify_email="anna@example.org",
        consent_investigators=True,
        consent_secretary=False,
    )
    response = post(client, REPORT_URL, data)
    assert response.status_code == 201
    case = Case.objects.get(case_number=response.json()["case_number"])
    assert case.category == "8a"
    assert case.reporter_relation == "former_employee"
    assert vault.unseal_json(case, "details", case.details_enc) == {
        "when": "Vorige week dinsdag",
        "where": "Afdeling Burgerzaken",
        "others_aware": "Niemand",
    }
    involved = [
        vault.unseal(case, "involved", p.description_enc, row=p.pk) for p in case.involved.all()
    ]
    assert involved == ["Teamleider X"]
    identity = ReporterIdentity.objects.get(case=case)
    assert vault.unseal_json(case, "identity", identity.identity_enc)["name"] == "Anna de Melder"
    assert vault.unseal(case, "notify_email", identity.notify_email_enc) == "anna@example.org"
    assert identity.consent_investigators and not identity.consent_secretary


def test_anonymous_report_drops_identity(client, organisation):
    data = minimal(organisation, identity={"name": "Zou weg moeten"}, consent_secretary=True)
    response = post(client, REPORT_URL, data)
    assert response.status_code == 201
    case = Case.objects.get(case_number=response.json()["case_number"])
    identity = ReporterIdentity.objects.get(case=case)
    assert vault.unseal_json(case, "identity", identity.identity_enc) == {}
    assert not identity.consent_secretary


def test_unknown_fields_are_ignored(client, organisation):
    response = post(client, REPORT_URL, minimal(organisation, colour="blauw", status="closed"))
    assert response.status_code == 201
    case = Case.objects.get(case_number=response.json()["case_number"])
    assert case.status == Status.RECEIVED


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"organisation": None}, "organisation", "Dit veld mag niet leeg zijn."),
        ({"organisation": "atlantis"}, "organisation", "Onbekende organisatie."),
        ({"organisation": "<b>x</b>"}, "organisation", None),
        ({"kind": "gossip"}, "kind", '"gossip" is een ongeldige keuze.'),
        ({"identity_mode": "secret"}, "identity_mode", None),
        ({"category": "11"}, "category", None),
        ({"reporter_relation": "boss"}, "reporter_relation", None),
        ({"description": ""}, "description", "Beschrijf wat er is gebeurd."),
        ({"description": "   "}, "description", "Beschrijf wat er is gebeurd."),
        ({"description": "x" * 20_001}, "description", None),
        ({"description": {"a": 1}}, "description", "Vul hier tekst in."),
        ({"description": 12345}, "description", "Vul hier tekst in."),
        ({"category": 1}, "category", '"1" is een ongeldige keuze.'),
        ({"identity": {"phone": 612345678}}, "identity", None),
        ({"when": "x" * 501}, "when", None),
        ({"others_aware": "x" * 2001}, "others_aware", None),
        ({"involved": "Teamleider X"}, "involved", None),
        ({"involved": ["x"] * 21}, "involved", "Noem ten hoogste 20 personen."),
        ({"involved": ["x" * 1001]}, "involved", None),
        ({"identity": {"email": "geen-adres"}}, "identity", None),
        ({"identity": "Anna"}, "identity", None),
        ({"notify_email": "geen-adres"}, "notify_email", "Voer een geldig e-mailadres in."),
        ({"consent_investigators": "misschien"}, "consent_investigators", "Vul true of false in."),
        ({"consent_secretary": "true"}, "consent_secretary", "Vul true of false in."),
        ({"consent_secretary": 1}, "consent_secretary", "Vul true of false in."),
        ({"idempotency_key": "kort"}, "idempotency_key", None),
        ({"idempotency_key": "spaties zijn niet toegestaan!!"}, "idempotency_key", None),
    ],
)
def test_malformed_input_gets_dutch_field_errors(client, organisation, overrides, field, message):
    response = post(client, REPORT_URL, minimal(organisation, **overrides))
    assert response.status_code == 400
    errors = response.json()
    assert field in errors
    if message is not None:
        assert errors[field] == [message]
    assert not Case.objects.exists()
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("field", ["organisation", "kind", "description", "identity_mode"])
def test_each_required_field(client, organisation, field):
    data = minimal(organisation)
    del data[field]
    response = post(client, REPORT_URL, data)
    assert response.status_code == 400
    assert field in response.json()
    assert not Case.objects.exists()


@pytest.mark.requirement("R-WBK-9")
def test_anonymous_refused_where_the_organisation_does_not_allow_it(client, organisation):
    # R-WBK-9: anonymous reporting is switchable per organisation.
    organisation.anonymous_reporting_enabled = False
    organisation.save()
    response = post(client, REPORT_URL, minimal(organisation))
    assert response.status_code == 400
    assert response.json() == {
        "identity_mode": ["Anoniem melden is bij deze organisatie niet mogelijk."]
    }
    assert post(client, REPORT_URL, minimal(organisation, identity_mode="named")).status_code == 201


def test_body_that_is_not_a_json_object(client, organisation):
    broken = client.post(REPORT_URL, data="{niet json", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json() == {"detail": "De inhoud is geen geldige JSON."}
    listed = post(client, REPORT_URL, [minimal(organisation)])
    assert listed.status_code == 400 and "non_field_errors" in listed.json()
    # JSON only: a form post (what another site's HTML form could send) is refused.
    form = client.post(REPORT_URL, data=minimal(organisation))
    assert form.status_code == 415
    assert not Case.objects.exists()


def test_idempotency_key_makes_a_retry_create_one_case(client, organisation):
    data = minimal(organisation, idempotency_key="3f1c0b6e-8a47-4c55-9d2e-0c1d2e3f4a5b")
    first = post(client, REPORT_URL, data)
    again = post(client, REPORT_URL, data)
    assert first.status_code == 201
    assert len(first.json()["receipt_code"]) == 16
    # The same case, and the code only in the first answer (test_receipt_shown_once.py).
    assert again.status_code == 200
    assert again.json() == {"case_number": first.json()["case_number"], "receipt_code": None}
    assert Case.objects.count() == 1


def test_shared_idempotency_key_never_hands_out_another_report(client, organisation):
    # Two clients that happen to use the same key get two cases and their own receipts.
    key = "0000000000000001"
    first = post(client, REPORT_URL, minimal(organisation, idempotency_key=key))
    other = post(
        client, REPORT_URL, minimal(organisation, idempotency_key=key, description="Iets anders.")
    )
    assert first.status_code == other.status_code == 201
    assert first.json()["case_number"] != other.json()["case_number"]
    assert first.json()["receipt_code"] != other.json()["receipt_code"]


def test_intake_audit_has_no_actor_and_no_session(client_for, organisation):
    # A logged-in employee who reports through the API leaves no trace linking them to it.
    client = client_for(None)  # an employee without any role
    before = session_row(client)
    response = post(client, REPORT_URL, minimal(organisation))
    assert response.status_code == 201
    assert not response.cookies, "no session or CSRF cookie is set"
    assert session_row(client) == before, "the employee's session is not written"
    case = Case.objects.get(case_number=response.json()["case_number"])
    event = AuditEvent.objects.get(action="case.submit", object_id=str(case.pk))
    assert event.actor_id is None
    assert event.origin == "api"


# --- mailbox --------------------------------------------------------------------------


@pytest.fixture
def coordinator(make_user, organisation):
    return make_user(Role.INTEGRITY_COORDINATOR, organisation)


@pytest.mark.requirement("R-BIO-1", "R-WBK-9")
def test_mailbox_shows_status_own_text_and_messages(client, organisation, coordinator):
    submission = submit_case(organisation, channel=Channel.API)
    case = services.case_transition(actor=coordinator, case=submission.case, name="acknowledge")
    services.case_message_to_reporter(actor=coordinator, case=case, body="Kunt u meer vertellen?")
    services.case_reporter_reply(case=case, body="Het gebeurde in maart.")
    services.case_add_note(actor=coordinator, case=case, body="Interne notitie")
    code = submission.receipt_code
    response = post(client, MAILBOX_URL, {"receipt_code": f"{code[:4]} {code[4:8]}-{code[8:]}"})
    assert response.status_code == 200
    body = response.json()
    assert body["case_number"] == case.case_number
    assert body["status"] == "triage"
    assert body["status_text"] == "Uw melding wordt beoordeeld."
    assert body["acknowledged_at"] is not None
    assert body["description"] == "Een collega declareert reizen die niet zijn gemaakt."
    assert [(m["direction"], m["body"]) for m in body["messages"]] == [
        (MessageDirection.TO_REPORTER, "Kunt u meer vertellen?"),
        (MessageDirection.FROM_REPORTER, "Het gebeurde in maart."),
    ]
    assert "Interne notitie" not in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    # R-BIO-1: the read is audited, without an actor.
    event = AuditEvent.objects.get(action="case.mailbox_read")
    assert event.actor_id is None and event.origin == "api"
    assert event.object_id == str(case.pk)
    # A successful read costs nothing from the guessing budget.
    assert throttle.count(web_mailbox_key(), 15) == 0


def test_fresh_report_through_the_api_is_readable_in_the_mailbox(client, organisation):
    receipt = post(client, REPORT_URL, minimal(organisation)).json()
    body = post(client, MAILBOX_URL, {"receipt_code": receipt["receipt_code"]}).json()
    assert body["case_number"] == receipt["case_number"]
    assert body["status"] == "received"
    assert body["acknowledged_at"] is None
    assert body["messages"] == []


def test_unknown_receipt_is_404(client, organisation):
    submit_case(organisation)
    response = post(client, MAILBOX_URL, {"receipt_code": "0" * 16})
    assert response.status_code == 404
    assert response.json() == {"detail": "Er is geen melding met deze ontvangstcode."}
    assert response["Cache-Control"] == "no-store"
    assert throttle.count(web_mailbox_key(), 15) == 1


@pytest.mark.parametrize(
    "payload", [{}, {"receipt_code": ""}, {"receipt_code": "12345"}, {"receipt_code": "x" * 16}]
)
def test_malformed_receipt_is_400_and_counts(client, payload):
    response = post(client, MAILBOX_URL, payload)
    assert response.status_code == 400
    assert "receipt_code" in response.json()
    assert throttle.count(web_mailbox_key(), 15) == 1


def test_throttle_after_five_failures_malformed_included(client, organisation, monkeypatch):
    submission = submit_case(organisation)
    attempts = [
        {"receipt_code": "1" * 16},
        {"receipt_code": "kapot"},
        {"receipt_code": "2" * 16},
        {"receipt_code": "abc"},
    ]
    for payload in attempts:
        assert post(client, MAILBOX_URL, payload).status_code in (400, 404)
    broken = client.post(MAILBOX_URL, data="{", content_type="application/json")
    assert broken.status_code == 400  # not even JSON: counts as well
    hashed = []
    monkeypatch.setattr(crypto, "receipt_lookup_hash", lambda *a, **k: hashed.append(1) or "")
    blocked = post(client, MAILBOX_URL, {"receipt_code": submission.receipt_code})
    assert blocked.status_code == 429
    assert blocked.json()["detail"].startswith("Te veel mislukte pogingen")
    assert blocked["Cache-Control"] == "no-store"
    assert hashed == [], "a blocked client never reaches the slow hash"
    # Another client still gets in; the 15 minutes pass and this one does too.
    monkeypatch.undo()
    other = post(
        client, MAILBOX_URL, {"receipt_code": submission.receipt_code}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200
    with time_machine.travel(datetime.timedelta(minutes=16)):
        assert (
            post(client, MAILBOX_URL, {"receipt_code": submission.receipt_code}).status_code == 200
        )


def test_throttle_budget_is_shared_with_the_web_mailbox(client, organisation):
    submission = submit_case(organisation)
    # Four failures on the web page ...
    for _ in range(4):
        web = client.post("/meldpunt/postvak/", {"receipt_code": "1" * 16})
        assert web.status_code == 400
    assert throttle.count(web_mailbox_key(), 15) == 4
    # ... and one here make five: the API now refuses this client, the right code included ...
    assert post(client, MAILBOX_URL, {"receipt_code": "9" * 16}).status_code == 404
    assert post(client, MAILBOX_URL, {"receipt_code": submission.receipt_code}).status_code == 429
    # ... and so does the web page.
    web = client.post("/meldpunt/postvak/", {"receipt_code": submission.receipt_code})
    assert web.status_code == 429


def test_api_failures_count_towards_the_global_slowdown(client):
    post(client, MAILBOX_URL, {"receipt_code": "9" * 16})
    post(client, MAILBOX_URL, {"receipt_code": "kapot"})
    assert throttle.count(mailbox_services.GLOBAL_THROTTLE_KEY, 15) == 2


def test_html_in_the_report_comes_back_as_data(client, organisation):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    receipt = post(client, REPORT_URL, minimal(organisation, description=script)).json()
    response = post(client, MAILBOX_URL, {"receipt_code": receipt["receipt_code"]})
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["description"] == script


def test_mailbox_sets_no_session_for_a_logged_in_employee(client_for, organisation):
    submission = submit_case(organisation)
    client = client_for(Role.INTEGRITY_COORDINATOR)
    before = session_row(client)
    response = post(client, MAILBOX_URL, {"receipt_code": submission.receipt_code})
    assert response.status_code == 200
    assert not response.cookies
    assert session_row(client) == before
    assert AuditEvent.objects.get(action="case.mailbox_read").actor_id is None


# --- schema ---------------------------------------------------------------------------


def test_schema_is_public_and_describes_both_endpoints(client):
    response = client.get(SCHEMA_URL, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"] == {
        "title": "Integritas API",
        "version": "v1",
        "description": schema["info"]["description"],
    }
    report = schema["paths"][REPORT_URL]["post"]
    mailbox = schema["paths"][MAILBOX_URL]["post"]
    assert set(report["responses"]) >= {"200", "201", "400"}
    assert set(mailbox["responses"]) >= {"200", "400", "404", "429"}
    request = schema["components"]["schemas"]["ReportRequest"]
    assert set(request["required"]) == {"organisation", "kind", "description", "identity_mode"}
    assert request["properties"]["description"]["maxLength"] == 20_000


def test_schema_yaml_by_default(client):
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert REPORT_URL in text and MAILBOX_URL in text


def test_oversized_body_gets_a_json_413_and_counts_as_a_failed_lookup(client, organisation):
    huge = json.dumps(minimal(organisation, description="x" * (6 * 1024 * 1024)))
    response = client.post(REPORT_URL, data=huge, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "De inhoud is te groot."}
    assert not Case.objects.exists()
    response = client.post(MAILBOX_URL, data=huge, content_type="application/json")
    assert response.status_code == 413
    assert throttle.count(web_mailbox_key(), 15) == 1
