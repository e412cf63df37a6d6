"""Sharing the reporter's identity: only on consent or a legal duty, told beforehand (R-WBK-7)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.cases import selectors, services, vault
from integritas.cases.constants import (
    DisclosureGround,
    DisclosureRecipient,
    IdentityMode,
    MessageDirection,
)
from integritas.cases.models import CaseMessage, CaseNote
from tests.conftest import login_with_second_factor

from .factories import submit_case

RECIPIENT = "Rechercheur-Jansen-41b2"
REASON = "Vordering van de officier van justitie-9c1e"
NOTICE = "Wij zijn wettelijk verplicht uw naam te geven aan de rechter-5d7f."


@pytest.fixture
def coordinator(make_user, organisation):
    return make_user(Role.INTEGRITY_COORDINATOR, organisation)


def _named(organisation, **kw):
    kw.setdefault("identity_mode", IdentityMode.NAMED)
    kw.setdefault("identity", {"name": "Melder Maas"})
    kw.setdefault("notify_email", "melder@example.org")
    kw.setdefault("cheap_receipt", True)
    return submit_case(organisation, **kw).case


def _disclose(actor, case, **kw):
    data = {
        "recipient_kind": DisclosureRecipient.INVESTIGATORS,
        "recipient": RECIPIENT,
        "ground": DisclosureGround.CONSENT,
        "reason": REASON,
    }
    data.update(kw)
    return services.case_disclose_identity(actor=actor, case=case, **data)


def _note_texts(case):
    return [vault.unseal(case, "note", n.body_enc, row=n.pk) for n in case.notes.all()]


@pytest.mark.requirement("R-WBK-7")
def test_consent_covers_the_recipient_kind(organisation, coordinator):
    # R-WBK-7: with explicit consent for investigators the disclosure is recorded.
    case = _named(organisation, consent_investigators=True)
    note = _disclose(coordinator, case)
    text = vault.unseal(case, "note", note.body_enc, row=note.pk)
    assert RECIPIENT in text and REASON in text and "Toestemming" in text
    assert not CaseMessage.objects.filter(case=case).exists()
    assert AuditEvent.objects.filter(action="case.identity_disclose").count() == 1


@pytest.mark.requirement("R-WBK-7")
def test_consent_for_secretary_does_not_cover_investigators(organisation, coordinator):
    # R-WBK-7: consent is per kind of recipient; an external party is never covered.
    case = _named(organisation, consent_secretary=True)
    _disclose(coordinator, case, recipient_kind=DisclosureRecipient.SECRETARY)
    for kind in (DisclosureRecipient.INVESTIGATORS, DisclosureRecipient.EXTERNAL):
        with pytest.raises(ValidationError) as exc:
            _disclose(coordinator, case, recipient_kind=kind)
        assert "geen toestemming" in str(exc.value)
    assert len(case.notes.all()) == 1
    assert AuditEvent.objects.filter(action="case.identity_disclose").count() == 1


@pytest.mark.requirement("R-WBK-7")
def test_without_consent_refused_and_nothing_recorded(organisation, coordinator):
    # R-WBK-7: no consent given at intake, so consent is no ground.
    case = _named(organisation)
    with pytest.raises(ValidationError) as exc:
        _disclose(coordinator, case)
    assert "ground" in exc.value.message_dict
    assert not case.notes.exists()
    assert not AuditEvent.objects.filter(action="case.identity_disclose").exists()


@pytest.mark.requirement("R-WBK-7")
def test_legal_duty_without_notice_refused(organisation, coordinator):
    # R-WBK-7: a legal duty only after the reporter was told beforehand, with reasons.
    case = _named(organisation)
    with pytest.raises(ValidationError) as exc:
        _disclose(
            coordinator,
            case,
            recipient_kind=DisclosureRecipient.EXTERNAL,
            ground=DisclosureGround.LEGAL_DUTY,
            notice_to_reporter="  ",
        )
    assert "vooraf" in " ".join(exc.value.message_dict["notice_to_reporter"])
    assert not case.notes.exists() and not case.messages.exists()


@pytest.mark.requirement("R-WBK-7")
def test_legal_duty_tells_the_reporter_first(
    organisation, coordinator, django_capture_on_commit_callbacks
):
    # R-WBK-7: the notice is in the mailbox, written before the disclosure is recorded.
    case = _named(organisation)
    with django_capture_on_commit_callbacks(execute=True):
        note = _disclose(
            coordinator,
            case,
            recipient_kind=DisclosureRecipient.EXTERNAL,
            ground=DisclosureGround.LEGAL_DUTY,
            notice_to_reporter=NOTICE,
        )
    view = selectors.case_for_reporter(case)
    notices = [m for m in view.messages if m.direction == MessageDirection.TO_REPORTER]
    assert [m.body for m in notices] == [NOTICE]
    assert notices[0].created_at < note.created_at
    text = vault.unseal(case, "note", note.body_enc, row=note.pk)
    assert RECIPIENT in text and "Wettelijke plicht" in text and "vooraf" in text
    # The e-mail says only that there is news: nothing of the notice or the recipient.
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["melder@example.org"]
    assert NOTICE not in sent.body and RECIPIENT not in sent.body


def test_anonymous_case_refused(organisation, coordinator):
    case = submit_case(organisation, cheap_receipt=True).case
    with pytest.raises(ValidationError) as exc:
        _disclose(
            coordinator,
            case,
            ground=DisclosureGround.LEGAL_DUTY,
            notice_to_reporter=NOTICE,
        )
    assert "anonieme" in str(exc.value)
    assert not case.notes.exists() and not case.messages.exists()


@pytest.mark.requirement("R-WBK-7")
def test_only_the_coordinator_discloses(organisation, coordinator, make_user):
    # R-WBK-7: secretary and investigators cannot share (or see) the identity.
    case = _named(organisation, consent_investigators=True, consent_secretary=True)
    investigator = make_user(Role.INVESTIGATOR, organisation)
    services.case_assign_investigator(actor=coordinator, case=case, user=investigator)
    services.case_transition(actor=coordinator, case=case, name="acknowledge")
    services.case_transition(actor=coordinator, case=case, name="request_approval")
    secretary = make_user(Role.SECRETARY, organisation)
    for actor in (investigator, secretary):
        assert selectors.cases_visible_to(actor).filter(pk=case.pk).exists()
        with pytest.raises(PermissionDenied):
            _disclose(actor, case)
    assert not AuditEvent.objects.filter(action="case.identity_disclose").exists()


@pytest.mark.requirement("R-BIO-1", "R-WBK-7")
def test_audit_event_holds_no_recipient_or_reason(organisation, coordinator):
    # R-BIO-1 / R-WBK-7: the audit trail names the case, never the content.
    case = _named(organisation)
    _disclose(
        coordinator,
        case,
        recipient_kind=DisclosureRecipient.EXTERNAL,
        ground=DisclosureGround.LEGAL_DUTY,
        notice_to_reporter=NOTICE,
    )
    event = AuditEvent.objects.get(action="case.identity_disclose")
    assert event.object_id == str(case.pk) and event.actor_id == coordinator.pk
    dumped = " ".join(str(v) for row in AuditEvent.objects.values() for v in row.values())
    for secret in (RECIPIENT, REASON, NOTICE, "Melder Maas", "Rechercheur", "officier"):
        assert secret not in dumped
    # The note itself is stored encrypted.
    for note in CaseNote.objects.filter(case=case):
        assert RECIPIENT.encode() not in bytes(note.body_enc)


def test_case_page_link_and_form(client, organisation, coordinator):
    # The coordinator opens "Identiteit delen" through a link and records a disclosure.
    case = _named(organisation, consent_secretary=True)
    client = login_with_second_factor(client, coordinator)
    detail = reverse("cases:case_detail", args=[case.case_number])
    reporter = reverse("cases:reporter", args=[case.case_number])
    url = reverse("cases:disclose", args=[case.case_number])
    # Sharing the identity lives on the reporter's page, linked from the case page.
    case_page = client.get(detail).content.decode()
    assert url not in case_page and f'href="{reporter}"' in case_page
    page = client.get(reporter).content.decode()
    assert f'href="{url}#sectie-disclose"' in page
    assert 'name="disclose-recipient"' not in page  # a link action, not inline
    assert 'name="disclose-recipient"' in client.get(url).content.decode()
    data = {
        "disclose-recipient_kind": DisclosureRecipient.INVESTIGATORS,
        "disclose-recipient": RECIPIENT,
        "disclose-ground": DisclosureGround.CONSENT,
        "disclose-reason": REASON,
        "disclose-notice_to_reporter": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "geen toestemming" in refused.content.decode()
    assert not case.notes.exists()
    data["disclose-recipient_kind"] = DisclosureRecipient.SECRETARY
    response = client.post(url, data)
    assert response.status_code == 302
    assert any(RECIPIENT in text for text in _note_texts(case))


def test_case_page_has_no_disclosure_for_anonymous_or_secretary(
    client, organisation, coordinator, make_user
):
    anonymous = submit_case(organisation, cheap_receipt=True).case
    coordinator_client = login_with_second_factor(client, coordinator)
    url = reverse("cases:disclose", args=[anonymous.case_number])
    page = coordinator_client.get(reverse("cases:reporter", args=[anonymous.case_number]))
    assert page.status_code == 200 and url not in page.content.decode()
    assert coordinator_client.get(url).status_code == 403
    # The secretary sees the named case after the approval request, but cannot share.
    case = _named(organisation, consent_secretary=True)
    services.case_transition(actor=coordinator, case=case, name="acknowledge")
    services.case_transition(actor=coordinator, case=case, name="request_approval")
    secretary = make_user(Role.SECRETARY, organisation)
    coordinator_client.logout()
    secretary_client = login_with_second_factor(coordinator_client, secretary)
    url = reverse("cases:disclose", args=[case.case_number])
    page = secretary_client.get(reverse("cases:case_detail", args=[case.case_number]))
    assert page.status_code == 200 and url not in page.content.decode()
    assert secretary_client.get(url).status_code == 403
    response = secretary_client.post(url, {"disclose-recipient": RECIPIENT})
    assert response.status_code == 403
    assert not case.notes.exists()
