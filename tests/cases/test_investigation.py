"""Records of a formal investigation: plan, hearings, report, evidence, AVG art. 14."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.cases import services, vault
from integritas.cases.attachments.storage import attachment_store
from integritas.cases.constants import Status
from integritas.cases.models import (
    Case,
    EvidenceItem,
    IntervieweeRole,
    InvestigationKind,
    InvestigationRecord,
)
from tests.conftest import login_with_second_factor

from .factories import complete_investigation, submit_case

SECRET = "Onderzoeksgeheim-7d2a"


@pytest.fixture
def coordinator(make_user, organisation):
    return make_user(Role.INTEGRITY_COORDINATOR, organisation)


@pytest.fixture
def secretary(make_user, organisation):
    return make_user(Role.SECRETARY, organisation)


@pytest.fixture
def investigator(make_user, organisation):
    return make_user(Role.INVESTIGATOR, organisation)


def _case(
    organisation,
    coordinator,
    secretary,
    *,
    steps: tuple[str, ...] | None = None,
    involved: tuple[str, ...] = (),
) -> Case:
    case = submit_case(
        organisation, description="Een melding", cheap_receipt=True, involved=list(involved)
    ).case
    if steps is None:
        steps = ("acknowledge", "request_approval", "approve_investigation")
    for step in steps:
        actor = secretary if step == "approve_investigation" else coordinator
        case = services.case_transition(actor=actor, case=case, name=step)
    return case


@pytest.fixture
def case(organisation, coordinator, secretary, investigator):
    case = _case(organisation, coordinator, secretary)
    services.case_assign_investigator(actor=coordinator, case=case, user=investigator)
    return case


def _interview(actor, case, body=SECRET):
    return services.case_add_investigation_record(
        actor=actor,
        case=case,
        kind=InvestigationKind.INTERVIEW,
        occurred_on=timezone.localdate(),
        body=body,
        hoor_en_wederhoor=True,
        interviewee_role=IntervieweeRole.SUBJECT,
    )


def test_records_are_encrypted_at_rest(case, investigator):
    # R-DP-1: the text of a hearing is readable only through the case's data key.
    record = _interview(investigator, case)
    stored = InvestigationRecord.objects.get(pk=record.pk)
    assert SECRET.encode() not in bytes(stored.body_enc)
    assert vault.unseal(case, "investigation_record", stored.body_enc, row=stored.pk) == SECRET
    assert stored.hoor_en_wederhoor is True
    assert stored.interviewee_role == IntervieweeRole.SUBJECT
    item = services.case_add_evidence(
        actor=investigator, case=case, description=SECRET, sha256="a" * 64
    )
    assert SECRET.encode() not in bytes(EvidenceItem.objects.get(pk=item.pk).description_enc)
    services.case_record_subject_informed(
        actor=investigator, case=case, informed_on=None, deferred_reason=SECRET
    )
    case.refresh_from_db()
    assert SECRET.encode() not in bytes(case.subject_information_deferred_reason_enc)


def test_plan_and_report_drop_interview_fields(case, coordinator):
    record = services.case_add_investigation_record(
        actor=coordinator,
        case=case,
        kind=InvestigationKind.PLAN,
        occurred_on=timezone.localdate(),
        body="Plan",
        hoor_en_wederhoor=True,
        interviewee_role=IntervieweeRole.WITNESS,
    )
    assert (record.hoor_en_wederhoor, record.interviewee_role) == (False, "")


def test_interview_needs_the_interviewee_role(case, investigator):
    with pytest.raises(ValidationError) as exc:
        services.case_add_investigation_record(
            actor=investigator,
            case=case,
            kind=InvestigationKind.INTERVIEW,
            occurred_on=timezone.localdate(),
            body="Verslag",
        )
    assert "Kies wie er is gehoord." in exc.value.messages


@pytest.mark.requirement("R-DP-3")
def test_only_the_coordinator_and_assigned_investigator_may_record(
    case, make_user, organisation, secretary
):
    # R-WBK-7, R-DP-3: need to know.
    unassigned = make_user(Role.INVESTIGATOR, organisation)
    admin = make_user(Role.ADMINISTRATOR, organisation)
    for actor in (unassigned, secretary, admin):
        with pytest.raises(PermissionDenied):
            _interview(actor, case)
        with pytest.raises(PermissionDenied):
            services.case_add_evidence(actor=actor, case=case, description="x", sha256="b" * 64)
        with pytest.raises(PermissionDenied):
            services.case_record_subject_informed(
                actor=actor, case=case, informed_on=None, deferred_reason="x"
            )
    assert not InvestigationRecord.objects.filter(case=case).exists()
    assert not EvidenceItem.objects.filter(case=case).exists()


def test_views_refuse_those_without_the_investigation(
    case, investigator, make_user, organisation, secretary
):
    data = {
        "investigation-kind": "plan",
        "investigation-occurred_on": timezone.localdate().isoformat(),
        "investigation-body": SECRET,
    }
    url = reverse("cases:investigation", args=[case.case_number])
    expected = {
        make_user(Role.INVESTIGATOR, organisation): 404,  # does not even see the case
        make_user(Role.ADMINISTRATOR, organisation): 404,
        secretary: 403,  # sees the case from the approval on, but does not investigate
    }
    for user, status in expected.items():
        client = login_with_second_factor(Client(), user)
        assert client.post(url, data).status_code == status
        assert client.get(url).status_code == status
    assert not InvestigationRecord.objects.filter(case=case).exists()
    client = login_with_second_factor(Client(), investigator)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    assert InvestigationRecord.objects.filter(case=case, kind="plan").count() == 1


@pytest.mark.parametrize(
    "value",
    ["", "abc", "g" * 64, "a" * 63, "a" * 65, "0x" + "a" * 62],
)
def test_evidence_sha256_is_validated(case, investigator, value):
    with pytest.raises(ValidationError) as exc:
        services.case_add_evidence(actor=investigator, case=case, description="x", sha256=value)
    assert "sha256" in exc.value.message_dict


def test_evidence_sha256_is_normalised(case, investigator):
    item = services.case_add_evidence(
        actor=investigator, case=case, description="USB-stick", sha256=" " + "AB" * 32 + " "
    )
    assert item.sha256 == "ab" * 32
    assert item.recorded_on == timezone.localdate()


def test_evidence_takes_the_sha256_of_the_attachment(case, investigator, organisation):
    content = b"Bewijs in een tekstbestand.\n"
    attachment = attachment_store(
        case=case, upload=SimpleUploadedFile("bewijs.txt", content, content_type="text/plain")
    )
    item = services.case_add_evidence(
        actor=investigator, case=case, description="Bijlage", attachment=attachment
    )
    assert item.sha256 == attachment.sha256
    assert item.attachment_id == attachment.pk
    with pytest.raises(ValidationError) as exc:
        services.case_add_evidence(
            actor=investigator, case=case, description="x", attachment=attachment, sha256="c" * 64
        )
    assert "sha256" in exc.value.message_dict
    # An attachment of another case is refused.
    other = submit_case(organisation, description="Andere", cheap_receipt=True).case
    foreign = attachment_store(
        case=other, upload=SimpleUploadedFile("ander.txt", content, content_type="text/plain")
    )
    with pytest.raises(ValidationError):
        services.case_add_evidence(
            actor=investigator, case=case, description="x", attachment=foreign
        )


def test_evidence_from_an_attachment_through_the_form(case, investigator):
    content = b"Logbestand met regels.\n"
    attachment = attachment_store(
        case=case, upload=SimpleUploadedFile("log.txt", content, content_type="text/plain")
    )
    client = login_with_second_factor(Client(), investigator)
    url = reverse("cases:evidence", args=[case.case_number])
    assert "bijlage-1.txt" in client.get(url).content.decode()  # the neutral name
    response = client.post(
        url, {"evidence-description": "Logbestand", "evidence-attachment": attachment.pk}
    )
    assert response.status_code == 302
    item = EvidenceItem.objects.get(case=case)
    assert item.sha256 == attachment.sha256
    bad = client.post(url, {"evidence-description": "x", "evidence-sha256": "niet-hex"})
    assert bad.status_code == 200
    assert "64 hexadecimale tekens" in bad.content.decode()


def test_subject_informed_or_deferred(case, investigator, coordinator):
    # AVG art. 14: informing the person concerned may be deferred, with a reason.
    with pytest.raises(ValidationError):
        services.case_record_subject_informed(actor=investigator, case=case, informed_on=None)
    with pytest.raises(ValidationError) as exc:
        services.case_record_subject_informed(
            actor=investigator, case=case, informed_on=timezone.localdate(), how=""
        )
    assert "how" in exc.value.message_dict
    services.case_record_subject_informed(
        actor=investigator, case=case, informed_on=None, deferred_reason="Zou bewijs schaden."
    )
    case.refresh_from_db()
    assert case.subject_informed_on is None
    assert (
        vault.unseal(
            case,
            "subject_information_deferred_reason",
            case.subject_information_deferred_reason_enc,
        )
        == "Zou bewijs schaden."
    )
    informed = timezone.localdate()
    services.case_record_subject_informed(
        actor=coordinator, case=case, informed_on=informed, how="Per brief"
    )
    case.refresh_from_db()
    assert case.subject_informed_on == informed
    assert vault.unseal(case, "subject_informed_how", case.subject_informed_how_enc) == "Per brief"
    # The deferral stays on record; deferring after informing makes no sense.
    assert case.subject_information_deferred_reason_enc
    with pytest.raises(ValidationError):
        services.case_record_subject_informed(
            actor=coordinator, case=case, informed_on=None, deferred_reason="Alsnog"
        )


@pytest.mark.parametrize(
    "steps",
    [(), ("acknowledge",), ("acknowledge", "request_approval")],
    ids=["received", "triage", "awaiting_approval"],
)
def test_not_before_the_investigation_starts(
    organisation, coordinator, secretary, investigator, steps
):
    case = _case(organisation, coordinator, secretary, steps=steps)
    services.case_assign_investigator(actor=coordinator, case=case, user=investigator)
    for actor in (coordinator, investigator):
        with pytest.raises(ValidationError):
            _interview(actor, case)
        with pytest.raises(ValidationError):
            services.case_add_evidence(actor=actor, case=case, description="x", sha256="d" * 64)
        with pytest.raises(ValidationError):
            services.case_record_subject_informed(
                actor=actor, case=case, informed_on=None, deferred_reason="x"
            )
    # No link is offered, and opening the form is refused.
    client = login_with_second_factor(Client(), investigator)
    page = client.get(reverse("cases:case_detail", args=[case.case_number])).content.decode()
    assert reverse("cases:investigation", args=[case.case_number]) not in page
    assert client.get(reverse("cases:evidence", args=[case.case_number])).status_code == 403


def test_records_allowed_while_reported_but_not_after_the_decision(case, coordinator, secretary):
    complete_investigation(case, coordinator)
    case = services.case_transition(actor=coordinator, case=case, name="report_to_secretary")
    assert case.status == Status.REPORTED_TO_SECRETARY
    services.case_add_investigation_record(
        actor=coordinator,
        case=case,
        kind=InvestigationKind.REPORT,
        occurred_on=timezone.localdate(),
        body="Rapport",
    )
    services.case_record_decision(actor=secretary, case=case, finding="founded", measures=[])
    with pytest.raises(ValidationError):
        _interview(coordinator, case)


def _fill(case, actor, n: int) -> None:
    for i in range(n):
        _interview(actor, case, body=f"{SECRET} verhoor {i}")
        services.case_add_evidence(
            actor=actor, case=case, description=f"Bewijs {i}", sha256=f"{i:064x}"
        )


def test_case_page_shows_the_section_with_constant_queries(case, investigator, secretary):
    client = login_with_second_factor(Client(), investigator)
    url = reverse("cases:case_detail", args=[case.case_number])
    _fill(case, investigator, 1)
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _fill(case, investigator, 6)
    services.case_record_subject_informed(
        actor=investigator, case=case, informed_on=None, deferred_reason="Schaadt het onderzoek."
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    html = response.content.decode()
    assert "Onderzoek" in html and "Verslag van gehoor" in html
    assert f"{SECRET} verhoor 5" in html
    assert f"{5:064x}" in html  # the sha256 of the evidence
    assert "Schaadt het onderzoek." in html
    assert reverse("cases:investigation", args=[case.case_number]) in html
    # The secretary sees the section from the approval on, without the links to record.
    secretary_html = login_with_second_factor(Client(), secretary).get(url).content.decode()
    assert f"{SECRET} verhoor 5" in secretary_html
    assert reverse("cases:investigation", args=[case.case_number]) not in secretary_html


@pytest.mark.requirement("R-BIO-1")
def test_audit_events_without_content(case, investigator):
    # R-BIO-1: who did what to which case, never the content.
    _interview(investigator, case)
    services.case_add_evidence(actor=investigator, case=case, description=SECRET, sha256="e" * 64)
    services.case_record_subject_informed(
        actor=investigator, case=case, informed_on=None, deferred_reason=SECRET
    )
    events = AuditEvent.objects.filter(actor=investigator, object_id=str(case.pk))
    actions = set(events.values_list("action", flat=True))
    assert {
        "case.investigation_interview",
        "case.evidence",
        "case.subject_information_deferred",
    } <= actions
    for event in events:
        assert event.actor_role == Role.INVESTIGATOR
        for value in event.__dict__.values():
            assert SECRET not in str(value)
            assert "e" * 64 not in str(value)


def test_report_to_secretary_needs_the_report_and_hoor_en_wederhoor(
    organisation, coordinator, secretary
):
    # The person concerned is heard on the findings before the secretary decides.
    case = _case(organisation, coordinator, secretary, involved=("Hoofd Inkoop",))
    assert case.involved.exists()
    with pytest.raises(ValidationError) as refused:
        services.case_transition(actor=coordinator, case=case, name="report_to_secretary")
    assert any("onderzoeksrapport" in m for m in refused.value.messages)
    assert any("hoor en wederhoor" in m for m in refused.value.messages)
    today = timezone.localdate()
    services.case_add_investigation_record(
        actor=coordinator, case=case, kind="report", occurred_on=today, body="Rapport"
    )
    # A hearing of a witness, or of the person concerned without wederhoor, is not enough.
    for role, heard in (("witness", True), ("subject", False)):
        services.case_add_investigation_record(
            actor=coordinator,
            case=case,
            kind="interview",
            occurred_on=today,
            body="Gehoor",
            interviewee_role=role,
            hoor_en_wederhoor=heard,
        )
    with pytest.raises(ValidationError, match="hoor en wederhoor"):
        services.case_transition(actor=coordinator, case=case, name="report_to_secretary")
    case.refresh_from_db()
    assert case.status == Status.INVESTIGATION
    services.case_add_investigation_record(
        actor=coordinator,
        case=case,
        kind="interview",
        occurred_on=today,
        body="Gehoor met wederhoor",
        interviewee_role="subject",
        hoor_en_wederhoor=True,
    )
    case = services.case_transition(actor=coordinator, case=case, name="report_to_secretary")
    assert case.status == Status.REPORTED_TO_SECRETARY


def test_without_anyone_involved_only_the_report_is_needed(organisation, coordinator, secretary):
    case = submit_case(organisation, kind="wrongdoing").case
    for step, actor in (
        ("acknowledge", coordinator),
        ("request_approval", coordinator),
        ("approve_investigation", secretary),
    ):
        case = services.case_transition(actor=actor, case=case, name=step)
    assert not case.involved.exists()
    with pytest.raises(ValidationError, match="onderzoeksrapport"):
        services.case_transition(actor=coordinator, case=case, name="report_to_secretary")
    complete_investigation(case, coordinator)
    case = services.case_transition(actor=coordinator, case=case, name="report_to_secretary")
    assert case.status == Status.REPORTED_TO_SECRETARY
