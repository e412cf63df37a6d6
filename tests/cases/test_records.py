"""Records the law asks for at any point of a case, and the documents around it."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.cases import services, vault
from integritas.cases.constants import IdentityMode, ReferralBody
from integritas.cases.models import CaseHandler, CaseTombstone, Referral
from tests.conftest import login_with_second_factor

from .factories import submit_case

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def coordinator(make_user, organisation):
    return make_user(Role.INTEGRITY_COORDINATOR, organisation)


@pytest.fixture
def secretary(make_user, organisation):
    return make_user(Role.SECRETARY, organisation)


@pytest.mark.requirement("R-EXT-3")
def test_aangifte_decision_with_date_and_police_reference(organisation, coordinator, secretary):
    # R-EXT-3: decision, date and police reference, recorded and audited.
    case = submit_case(organisation).case
    with pytest.raises(ValidationError):
        services.case_record_aangifte(
            actor=coordinator, case=case, decision=True, date=None, reference="PL-1"
        )
    case = services.case_record_aangifte(
        actor=coordinator,
        case=case,
        decision=True,
        date=datetime.date(2026, 11, 2),
        reference="PL1600-2026-123",
    )
    assert (case.aangifte_decision, case.aangifte_date, case.police_reference) == (
        True,
        datetime.date(2026, 11, 2),
        "PL1600-2026-123",
    )
    assert AuditEvent.objects.filter(action="case.aangifte", object_id=str(case.pk)).exists()
    # Before the approval step the secretary has no access to the case at all.
    with pytest.raises(PermissionDenied):
        services.case_record_aangifte(
            actor=secretary, case=case, decision=False, date=None, reference=""
        )


@pytest.mark.requirement("R-EXT-2")
@pytest.mark.parametrize("body", [ReferralBody.LKOG, ReferralBody.HUIS])
def test_external_referrals_are_recorded_encrypted(organisation, coordinator, body):
    # R-EXT-1 (LKOG: date, advice, employer decision), R-EXT-2 (Huis voor Klokkenluiders).
    case = submit_case(organisation).case
    referral = services.case_record_referral(
        actor=coordinator,
        case=case,
        body=body,
        referred_on=datetime.date(2026, 10, 1),
        notes="Advies LKOG: klacht gegrond; werkgever volgt het advies.",
    )
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.body == body and stored.referred_on == datetime.date(2026, 10, 1)
    assert b"Advies" not in bytes(stored.notes_enc)
    assert vault.unseal(case, "referral", stored.notes_enc, row=stored.pk).startswith("Advies")


@pytest.mark.requirement("R-WBK-5")
def test_designated_handlers_are_recorded_per_case(organisation, coordinator, make_user):
    # R-WBK-5: designated recipients and follow-up officials are recorded per case.
    case = submit_case(organisation).case
    investigator = make_user(Role.INVESTIGATOR, organisation)
    services.case_assign_investigator(actor=coordinator, case=case, user=investigator)
    handler = CaseHandler.objects.get(case=case, user=investigator)
    assert handler.role == Role.INVESTIGATOR and handler.active
    assert AuditEvent.objects.filter(action="case.assign_investigator").exists()


@pytest.mark.requirement("R-WBK-5")
def test_recipient_and_deciding_officials_are_recorded_per_case(
    organisation, coordinator, make_user
):
    # R-WBK-5: who received the report and who decided are on the case, and on its page.
    secretary = make_user(Role.SECRETARY, organisation)
    case = submit_case(organisation).case
    for actor, step in (
        (coordinator, "acknowledge"),
        (coordinator, "request_approval"),
        (secretary, "approve_investigation"),
    ):
        case = services.case_transition(actor=actor, case=case, name=step)
    case.refresh_from_db()
    assert case.acknowledged_by == coordinator
    assert case.investigation_decided_by == secretary
    client = login_with_second_factor(Client(), coordinator)
    page = client.get(reverse("cases:case_detail", args=[case.case_number])).content.decode()
    assert f"Ontvangst bevestigd: {coordinator.full_name}" in page
    assert f"Besluit over onderzoek: {secretary.full_name}" in page


@pytest.mark.requirement("R-WBK-12")
def test_protection_log_for_a_named_reporter(organisation, coordinator):
    # R-WBK-12 / R-AW-11: every measure concerning a named reporter, with date and reason.
    named = submit_case(organisation, identity_mode=IdentityMode.NAMED, identity={"name": "X"})
    entry = services.case_protection_log_add(
        actor=coordinator,
        case=named.case,
        occurred_on=datetime.date(2026, 11, 20),
        measure="Overplaatsing naar team B",
        reason="Reorganisatie, besloten vóór de melding",
    )
    assert b"Overplaatsing" not in bytes(entry.measure_enc)
    anonymous = submit_case(organisation)
    with pytest.raises(ValidationError):
        services.case_protection_log_add(
            actor=coordinator,
            case=anonymous.case,
            occurred_on=datetime.date(2026, 11, 20),
            measure="x",
            reason="y",
        )


def test_tombstone_answers_the_registration_model_questions():
    # R-BN-2: type, organisation, how discovered (channel), outcome and measure stay countable.
    fields = {f.name for f in CaseTombstone._meta.get_fields()}
    assert {"kind", "category", "organisation", "channel", "finding", "measures"} <= fields


def test_dpia_covers_what_the_requirement_names():
    # R-DP-1: processing, purposes, legal basis, retention, risks, measures.
    text = (REPO / "docs" / "dpia.md").read_text(encoding="utf-8").lower()
    for topic in ("purpose", "legal basis", "retention", "risk", "measure"):
        assert topic in text, topic


@pytest.mark.requirement("R-WBK-11")
def test_works_council_consent_reference_is_an_organisation_setting(client_for, organisation):
    # R-WBK-11: the works council's consent to the reporting regulation is stored.
    client = client_for(Role.ADMINISTRATOR, organisation)
    url = reverse("organisations:organisation_edit", args=[organisation.slug])
    data = {
        "name": organisation.name,
        "reporting_regulation_name": "Regeling melding vermoeden integriteitsschending",
        "reporting_regulation_year": 2025,
        "works_council_consent_reference": "OR-2025-014",
        "gift_threshold": "50.00",
        "anonymous_reporting_enabled": "on",
        "worker_count": 300,
        "contact_email": "",
        "contact_phone": "",
        "postal_address": "",
    }
    assert client.post(url, data).status_code == 302
    organisation.refresh_from_db()
    assert organisation.works_council_consent_reference == "OR-2025-014"
    assert organisation.internal_procedure_required  # R-WBK-1: 300 >= 50 workers


@pytest.mark.requirement("R-EXT-1")
def test_lkog_advice_and_employer_decision_are_added_to_the_referral_later(
    organisation, coordinator, make_user
):
    # R-EXT-1: LKOG — the referral date, the advice and the employer's decision.
    case = submit_case(organisation).case
    referral = services.case_record_referral(
        actor=coordinator, case=case, body=ReferralBody.LKOG, referred_on=datetime.date(2026, 3, 1)
    )
    client = login_with_second_factor(Client(), coordinator)
    url = reverse("cases:referral_outcome", args=[case.case_number])
    # Text without its date: a Dutch error on the form, what was typed stays, nothing saved.
    response = client.post(
        url, {"referral_outcome-referral": referral.pk, "referral_outcome-advice": "Gegrond."}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vul de datum van het advies in." in html and "Gegrond." in html
    referral.refresh_from_db()
    assert referral.advice_on is None
    response = client.post(
        url,
        {
            "referral_outcome-referral": referral.pk,
            "referral_outcome-advice_on": "2026-05-04",
            "referral_outcome-advice": "Klacht gegrond; advies: excuses en training.",
        },
    )
    assert response.status_code == 302
    client.post(
        url,
        {
            "referral_outcome-referral": referral.pk,
            "referral_outcome-employer_decision_on": "2026-05-20",
            "referral_outcome-employer_decision": "De werkgever volgt het advies.",
        },
    )
    referral.refresh_from_db()
    assert referral.advice_on == datetime.date(2026, 5, 4)  # kept when the decision came
    assert referral.employer_decision_on == datetime.date(2026, 5, 20)
    assert b"excuses" not in bytes(referral.advice_enc)  # sealed like all case content
    page = client.get(reverse("cases:case_detail", args=[case.case_number])).content.decode()
    assert "Advies (04-05-2026): Klacht gegrond" in page
    assert "Besluit van de werkgever (20-05-2026): De werkgever volgt het advies." in page
    assert AuditEvent.objects.filter(action="case.referral_outcome").count() == 2


def test_referral_outcome_is_the_coordinators_and_stays_within_the_case(
    organisation, coordinator, make_user
):
    case = submit_case(organisation).case
    other = submit_case(organisation).case
    foreign = services.case_record_referral(
        actor=coordinator, case=other, body=ReferralBody.HUIS, referred_on=datetime.date(2026, 3, 1)
    )
    with pytest.raises(ValidationError):
        services.case_record_referral_outcome(
            actor=coordinator,
            case=case,
            referral=foreign,
            advice_on=datetime.date(2026, 4, 1),
            advice="Advies",
            decision_on=None,
            decision="",
        )
    investigator = make_user(Role.INVESTIGATOR, organisation)
    services.case_assign_investigator(actor=coordinator, case=other, user=investigator)
    client = login_with_second_factor(Client(), investigator)
    url = reverse("cases:referral_outcome", args=[other.case_number])
    response = client.post(
        url,
        {
            "referral_outcome-referral": foreign.pk,
            "referral_outcome-advice_on": "2026-04-01",
            "referral_outcome-advice": "Advies",
        },
    )
    assert response.status_code == 403
