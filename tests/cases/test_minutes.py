"""Minutes (verslag) of an oral report: the reporter checks, corrects and approves them.

R-WBK-2: reports can be made orally (phone, in person, via the manager) and are recorded.
R-WBK-8: the reporter can check, correct and sign (approve) the transcript or minutes.
"""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.cases import services
from integritas.cases.constants import Channel, IdentityMode, Kind, MessageDirection
from integritas.cases.models import CaseMessage
from tests.conftest import login_with_second_factor

MAILBOX = "/meldpunt/postvak/"
MINUTES = "Verslag: melder belde om 10:00 over de declaraties."


@pytest.fixture
def coordinator(make_user, organisation):
    return make_user(Role.INTEGRITY_COORDINATOR, organisation)


@pytest.fixture
def coordinator_client(coordinator):
    return login_with_second_factor(Client(), coordinator)


def _record_phone_report(coordinator: Any, organisation: Any) -> services.Submission:
    return services.case_record_report(
        actor=coordinator,
        organisation=organisation,
        channel=Channel.PHONE,
        minutes=MINUTES,
        kind=Kind.INTEGRITY_VIOLATION,
        description="Telefonisch gemeld: declaraties kloppen niet.",
        identity_mode=IdentityMode.ANONYMOUS,
        form_token="minutes-1",
    )


def _approve_url(message: CaseMessage) -> str:
    return reverse("meldpunt:mailbox_minutes_approve", args=[message.pk])


def _enter(code: str) -> Client:
    reporter = Client()
    response = reporter.post(MAILBOX, {"receipt_code": code})
    assert response.status_code == 303
    return reporter


def recorded_coordinator(case: Any) -> Any:
    """The coordinator who recorded the report (the author of its first minutes)."""
    return CaseMessage.objects.filter(case=case, needs_approval=True).first().author


def _detail(case: Any) -> str:
    return reverse("cases:case_detail", args=[case.case_number])


@pytest.fixture
def recorded(coordinator, organisation):
    return _record_phone_report(coordinator, organisation)


@pytest.mark.requirement("R-WBK-2", "R-WBK-8")
def test_recording_a_phone_report_sends_minutes_needing_approval(recorded):
    # R-WBK-2, R-WBK-8
    message = CaseMessage.objects.get(case=recorded.case)
    assert message.direction == MessageDirection.TO_REPORTER
    assert message.needs_approval and message.approved_at is None
    page = _enter(recorded.receipt_code).get(MAILBOX).content.decode()
    assert MINUTES in page
    assert "Verslag klopt — akkoord" in page and "Correctie doorgeven" in page
    assert _approve_url(message) in page


@pytest.mark.requirement("R-WBK-8")
def test_reporter_approves_the_minutes_and_the_coordinator_sees_it(recorded, coordinator_client):
    # R-WBK-8: the reporter signs the minutes; the coordinator sees the approval.
    case = recorded.case
    message = CaseMessage.objects.get(case=case)
    detail = coordinator_client.get(_detail(case)).content.decode()
    assert "wacht op akkoord van de melder" in detail

    reporter = _enter(recorded.receipt_code)
    response = reporter.post(_approve_url(message))
    assert response.status_code == 303 and response["Location"] == MAILBOX + "?akkoord=1"
    message.refresh_from_db()
    assert message.approved_at is not None
    page = reporter.get(MAILBOX + "?akkoord=1").content.decode()
    assert "U heeft het verslag goedgekeurd." in page
    assert "akkoord gegeven op" in page and "Verslag klopt — akkoord" not in page
    event = AuditEvent.objects.get(action="case.minutes_approved")
    assert event.actor_id is None

    detail = coordinator_client.get(_detail(case)).content.decode()
    assert "de melder gaf akkoord op" in detail
    assert "wacht op akkoord van de melder" not in detail
    # The API's mailbox answer carries the approval per message.
    api = Client().post(
        "/api/v1/meldpunt/postvak/",
        {"receipt_code": recorded.receipt_code},
        content_type="application/json",
    )
    assert api.status_code == 200
    (sent,) = api.json()["messages"]
    assert sent["needs_approval"] is True and sent["approved_at"] is not None


def test_approving_twice_or_a_normal_message_is_refused(recorded, coordinator):
    case = recorded.case
    minutes = CaseMessage.objects.get(case=case)
    normal = services.case_message_to_reporter(actor=coordinator, case=case, body="Gewoon bericht")
    reporter = _enter(recorded.receipt_code)

    refused = reporter.post(_approve_url(normal))
    assert refused.status_code == 400
    assert "geen verslag om goed te keuren" in refused.content.decode()
    normal.refresh_from_db()
    assert normal.approved_at is None

    assert reporter.post(_approve_url(minutes)).status_code == 303
    minutes.refresh_from_db()
    first = minutes.approved_at
    again = reporter.post(_approve_url(minutes))
    assert again.status_code == 400
    assert "al goedgekeurd" in again.content.decode()
    minutes.refresh_from_db()
    assert minutes.approved_at == first
    assert AuditEvent.objects.filter(action="case.minutes_approved").count() == 1
    # The reporter's own reply is no minutes either.
    reply = services.case_reporter_reply(case=case, body="Aanvulling")
    with pytest.raises(ValidationError):
        services.case_minutes_approve(case=case, message=reply)


def test_another_cases_minutes_cannot_be_approved_with_a_forged_id(
    recorded, coordinator, organisation
):
    other = services.case_record_report(
        actor=coordinator,
        organisation=organisation,
        channel=Channel.IN_PERSON,
        minutes="Verslag van een ander gesprek.",
        kind=Kind.INTEGRITY_VIOLATION,
        description="Een andere melding.",
        identity_mode=IdentityMode.ANONYMOUS,
        form_token="minutes-2",
    )
    foreign = CaseMessage.objects.get(case=other.case)
    reporter = _enter(recorded.receipt_code)
    assert reporter.post(_approve_url(foreign)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.approved_at is None
    # Nor through the service with a mismatching case.
    with pytest.raises(ValidationError):
        services.case_minutes_approve(case=recorded.case, message=foreign)
    # Without the mailbox cookie, nothing is approved.
    anonymous = Client().post(_approve_url(CaseMessage.objects.get(case=recorded.case)))
    assert anonymous.status_code == 303 and anonymous["Location"] == MAILBOX
    assert not CaseMessage.objects.filter(approved_at__isnull=False).exists()


@pytest.mark.requirement("R-WBK-8")
def test_correction_and_corrected_minutes(recorded, coordinator_client):
    # R-WBK-8: the reporter corrects; the coordinator sends a corrected version to approve.
    case = recorded.case
    reporter = _enter(recorded.receipt_code)
    form_page = reporter.get(MAILBOX + "?correctie=1").content.decode()
    assert "Correctie op het verslag doorgeven" in form_page
    response = reporter.post(
        reverse("meldpunt:mailbox_reply"),
        {"body": "Het was 11:00, niet 10:00.", "is_correction": "True"},
    )
    assert response.status_code == 303
    correction = CaseMessage.objects.get(case=case, direction=MessageDirection.FROM_REPORTER)
    assert correction.is_correction and not correction.needs_approval
    detail = coordinator_client.get(_detail(case)).content.decode()
    assert "Correctie op het verslag" in detail and "Het was 11:00" in detail
    # A normal reply is no correction.
    reporter.post(reverse("meldpunt:mailbox_reply"), {"body": "Nog een vraag."})
    plain = CaseMessage.objects.filter(case=case, direction=MessageDirection.FROM_REPORTER).last()
    assert plain is not None and not plain.is_correction

    sent = coordinator_client.post(
        reverse("cases:message", args=[case.case_number]),
        {
            "message-body": "Gecorrigeerd verslag: melder belde om 11:00.",
            "message-needs_approval": "on",
        },
    )
    assert sent.status_code == 302
    corrected = CaseMessage.objects.filter(case=case, direction=MessageDirection.TO_REPORTER).last()
    assert corrected is not None and corrected.needs_approval and corrected.approved_at is None
    # The first minutes are replaced: kept as sent, no longer open for approval.
    first = CaseMessage.objects.filter(case=case, needs_approval=True).first()
    assert first is not None and first.pk != corrected.pk
    assert first.superseded_at is not None and first.approved_at is None
    mailbox = reporter.get(MAILBOX).content.decode()
    assert "Vervangen door een nieuwere versie van het verslag" in mailbox
    assert _approve_url(first) not in mailbox and _approve_url(corrected) in mailbox
    assert reporter.post(_approve_url(first)).status_code == 400
    first.refresh_from_db()
    assert first.approved_at is None
    with pytest.raises(ValidationError, match="vervangen"):
        services.case_minutes_approve(case=case, message=first)
    detail = coordinator_client.get(_detail(case)).content.decode()
    assert "vervangen door een nieuwere versie" in detail
    # The corrected version is the one the reporter approves.
    assert reporter.post(_approve_url(corrected)).status_code == 303
    corrected.refresh_from_db()
    assert corrected.approved_at is not None and corrected.superseded_at is None
    # Approved minutes are not replaced by later minutes: the approval stands.
    services.case_message_to_reporter(
        actor=recorded_coordinator(case), case=case, body="Aanvulling.", needs_approval=True
    )
    corrected.refresh_from_db()
    assert corrected.superseded_at is None and corrected.approved_at is not None
    # A normal message from the form needs no approval.
    coordinator_client.post(
        reverse("cases:message", args=[case.case_number]), {"message-body": "Dank u."}
    )
    last = CaseMessage.objects.filter(case=case).last()
    assert last is not None and not last.needs_approval
