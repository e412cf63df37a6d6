"""The case lifecycle through the services: intake to closure (DESIGN §4, R-LR-2)."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from integritas.accounts.constants import Role
from integritas.cases import selectors, services, vault
from integritas.cases.constants import Finding, IdentityMode, Status
from integritas.cases.models import IntakeSubmission

from .factories import complete_investigation, submit_case


@pytest.fixture
def coordinator(make_user, organisation):
    return make_user(Role.INTEGRITY_COORDINATOR, organisation)


@pytest.fixture
def secretary(make_user, organisation):
    return make_user(Role.SECRETARY, organisation)


def test_submit_numbers_cases_and_finds_them_by_receipt(organisation):
    first = submit_case(organisation)
    second = submit_case(organisation)
    assert first.case.case_number.startswith(f"{organisation.case_prefix}-")
    assert first.case.case_number.endswith("-0001")
    assert second.case.case_number.endswith("-0002")
    assert len(first.receipt_code) == 16 and first.receipt_code.isdigit()
    assert selectors.case_by_receipt(first.receipt_code).pk == first.case.pk
    assert selectors.case_by_receipt("0" * 16) is None
    # The receipt code itself is nowhere in the row.
    assert first.receipt_code not in str(first.case.receipt_lookup)


@pytest.mark.requirement("R-WBK-9")
def test_anonymous_refused_where_the_organisation_switched_it_off(organisation):
    # R-WBK-9: anonymous reporting is switchable per organisation.
    organisation.anonymous_reporting_enabled = False
    organisation.save()
    with pytest.raises(ValidationError):
        submit_case(organisation, identity_mode=IdentityMode.ANONYMOUS)
    assert submit_case(organisation, identity_mode=IdentityMode.NAMED, identity={"name": "A"})


def test_same_form_token_creates_one_case(organisation):
    first = submit_case(organisation, form_token="token-1")
    again = submit_case(organisation, form_token="token-1")
    assert again.repeated and again.case.pk == first.case.pk
    # A repeat never carries the code; the kept copy goes to one answer only.
    assert again.receipt_code is None
    assert services.intake_receipt_take(form_token="token-1") == first.receipt_code
    assert services.intake_receipt_take(form_token="token-1") is None


@pytest.mark.requirement("R-LR-2", "R-DP-3")
def test_full_lifecycle(organisation, coordinator, secretary):
    case = submit_case(organisation).case
    # The secretary does not see a case before the approval step (R-WBK-7).
    assert not selectors.cases_visible_to(secretary).filter(pk=case.pk).exists()
    case = services.case_transition(actor=coordinator, case=case, name="acknowledge")
    assert case.status == Status.TRIAGE and case.acknowledged_at is not None
    with pytest.raises(PermissionDenied):
        services.case_transition(actor=secretary, case=case, name="request_approval")
    case = services.case_transition(actor=coordinator, case=case, name="request_approval")
    assert selectors.cases_visible_to(secretary).filter(pk=case.pk).exists()
    case = services.case_transition(actor=secretary, case=case, name="approve_investigation")
    complete_investigation(case, coordinator)
    case = services.case_transition(actor=coordinator, case=case, name="report_to_secretary")
    case = services.case_record_decision(
        actor=secretary, case=case, finding=Finding.FOUNDED, measures=["written_warning"]
    )
    assert case.status == Status.DECIDED
    with pytest.raises(ValidationError):
        services.case_transition(actor=coordinator, case=case, name="close")
    services.case_message_to_reporter(
        actor=coordinator, case=case, body="Wij hebben maatregelen genomen.", is_feedback=True
    )
    case = services.case_transition(actor=coordinator, case=case, name="close")
    assert case.status == Status.CLOSED
    assert case.retain_until.year == case.closed_at.year + 10
    # Every step is kept as a status change: names and ids, no content.
    history = case.status_changes.values_list("from_status", "to_status", "transition", "actor")
    assert list(history) == [
        (Status.RECEIVED, Status.TRIAGE, "acknowledge", coordinator.pk),
        (Status.TRIAGE, Status.AWAITING_APPROVAL, "request_approval", coordinator.pk),
        (Status.AWAITING_APPROVAL, Status.INVESTIGATION, "approve_investigation", secretary.pk),
        (Status.INVESTIGATION, Status.REPORTED_TO_SECRETARY, "report_to_secretary", coordinator.pk),
        (Status.REPORTED_TO_SECRETARY, Status.DECIDED, "decide", secretary.pk),
        (Status.DECIDED, Status.CLOSED, "close", coordinator.pk),
    ]


def test_content_is_encrypted_and_bound_to_its_case(organisation):
    one = submit_case(organisation, description="geheim A").case
    two = submit_case(organisation, description="geheim B").case
    assert b"geheim" not in bytes(one.description_enc)
    assert vault.unseal(one, "description", one.description_enc) == "geheim A"
    from integritas.core.crypto import DecryptionError

    with pytest.raises(DecryptionError):
        vault.unseal(two, "description", one.description_enc)


def test_notifications_carry_no_content(
    organisation, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    """E-mails only say there is news, with a link (STYLE habit 5)."""
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit_case(
            organisation, description="CANARY-tekst", notify_email="melder@example.nl"
        )
    assert [m.to for m in mailoutbox] == [[coordinator.email]]
    case = services.case_transition(actor=coordinator, case=submission.case, name="acknowledge")
    with django_capture_on_commit_callbacks(execute=True):
        services.case_message_to_reporter(actor=coordinator, case=case, body="CANARY-bericht")
        services.case_reporter_reply(case=case, body="CANARY-antwoord")
    recipients = [m.to for m in mailoutbox]
    assert ["melder@example.nl"] in recipients
    for message in mailoutbox:
        assert "CANARY" not in message.subject + message.body


def test_unconfirmed_receipt_copy_is_gone_once_its_time_is_up(organisation, time_machine):
    # Issue 3: the receipt code is never kept in clear or recoverable beyond the repeat
    # window. A reporter who closes the tab without confirming must not leave a copy that
    # the master key could open a year later.
    time_machine.move_to("2026-03-02 09:00 +0100", tick=False)
    first = submit_case(organisation, form_token="token-1")
    assert IntakeSubmission.objects.get(case=first.case).receipt_enc != b""
    time_machine.move_to("2026-03-02 09:09 +0100", tick=False)
    submit_case(organisation, form_token="token-2")
    assert bytes(IntakeSubmission.objects.get(case=first.case).receipt_enc) != b""
    time_machine.move_to("2026-03-02 09:11 +0100", tick=False)
    submit_case(organisation)  # the next report, through any channel, sweeps
    assert bytes(IntakeSubmission.objects.get(case=first.case).receipt_enc) == b""
    # A repeat of the first submit still finds its case, without a code.
    again = submit_case(organisation, form_token="token-1")
    assert again.repeated and again.case == first.case and again.receipt_code is None


def test_purge_expired_clears_unconfirmed_receipt_copies(organisation, time_machine):
    time_machine.move_to("2026-03-02 09:00 +0100", tick=False)
    first = submit_case(organisation, form_token="token-1")
    time_machine.move_to("2026-03-02 10:00 +0100", tick=False)
    call_command("purge_expired", stdout=io.StringIO())
    assert bytes(IntakeSubmission.objects.get(case=first.case).receipt_enc) == b""


def _assess(coordinator, case, *, possible_offence: bool):
    return services.case_assess(
        actor=coordinator,
        case=case,
        category="",
        is_wbk_wrongdoing=False,
        is_eu_law_breach=False,
        is_possible_offence=possible_offence,
        concerns_political_office_holder=False,
    )


@pytest.mark.requirement("R-EXT-3")
def test_a_possible_crime_brings_in_the_secretary_for_the_aangifte_decision(
    organisation, coordinator, secretary, mailoutbox, django_capture_on_commit_callbacks
):
    # R-EXT-3: for possible crimes the secretary decides on aangifte without delay, so
    # they see the case from the flag on, during triage, and are told so at once.
    case = services.case_transition(
        actor=coordinator, case=submit_case(organisation).case, name="acknowledge"
    )
    assert not selectors.cases_visible_to(secretary).filter(pk=case.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        case = _assess(coordinator, case, possible_offence=True)
    assert [(m.subject, m.to) for m in mailoutbox] == [
        ("Besluit over aangifte gevraagd", [secretary.email])
    ]
    assert selectors.cases_visible_to(secretary).filter(pk=case.pk).exists()
    case = services.case_record_aangifte(
        actor=secretary, case=case, decision=True, date=date(2026, 3, 3), reference="PL1500-1"
    )
    assert case.aangifte_decision and case.status == Status.TRIAGE
    # Assessing again, still flagged, does not ask twice.
    with django_capture_on_commit_callbacks(execute=True):
        _assess(coordinator, case, possible_offence=True)
    assert len(mailoutbox) == 1
