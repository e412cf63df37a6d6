"""Writes of the document centre: versions, adoption, expiry, acknowledgement, bad input."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.organisations.events import code_of_conduct_acknowledged
from integritas.policies import selectors, services
from integritas.policies.constants import AdoptionBody, DocumentKind, VersionStatus
from integritas.policies.models import Acknowledgement, AdoptionStep, Document, DocumentVersion
from tests.factories import EmployeeFactory, grant

from .factories import CODE_V1, CODE_V2, adopt, local_keeper, regional_code, regional_keeper

pytestmark = pytest.mark.django_db


@pytest.mark.requirement("R-AW-1")
def test_adopting_a_new_version_expires_the_previous_one(organisation: Any) -> None:
    document, (v1, v2) = regional_code(organisation, versions=2)
    assert v1.status == VersionStatus.EXPIRED
    assert v1.expired_at is not None
    assert v2.status == VersionStatus.ADOPTED
    assert (v1.number, v2.number) == (1, 2)
    assert selectors.current_version(document) == v2
    assert [s.body for s in v2.adoption_steps.all()] == [AdoptionBody.COUNCIL_EXECUTIVE]


def test_adopting_needs_an_adoption_step(organisation: Any) -> None:
    keeper = regional_keeper(organisation)
    document = services.document_create(
        actor=keeper, kind=DocumentKind.CODE_OF_CONDUCT, title="Code", region=organisation.region
    )
    version = services.version_create(actor=keeper, document=document, content=CODE_V1)
    with pytest.raises(ValidationError, match="besluitvormingsspoor"):
        services.version_adopt(
            actor=keeper, version=version, effective_date=datetime.date(2025, 1, 1)
        )
    version.refresh_from_db()
    assert version.status == VersionStatus.CONCEPT


@pytest.mark.requirement("R-WBK-11")
def test_reporting_regulation_needs_works_council_consent_reference(organisation: Any) -> None:
    keeper = local_keeper(organisation)
    document = services.document_create(
        actor=keeper,
        kind=DocumentKind.REPORTING_REGULATION,
        title="Regeling melden",
        organisation=organisation,
    )
    version = services.version_create(actor=keeper, document=document, content="# Melden\n\nTekst")
    services.adoption_step_add(
        actor=keeper,
        version=version,
        body=AdoptionBody.COUNCIL_EXECUTIVE,
        decided_on=datetime.date(2024, 5, 1),
        decided_by="College",
    )
    with pytest.raises(ValidationError, match="ondernemingsraad"):
        services.version_adopt(
            actor=keeper, version=version, effective_date=datetime.date(2024, 6, 1)
        )
    with pytest.raises(ValidationError) as error:
        services.adoption_step_add(
            actor=keeper,
            version=version,
            body=AdoptionBody.WORKS_COUNCIL,
            decided_on=datetime.date(2024, 5, 1),
            decided_by="OR",
        )
    assert "consent_reference" in error.value.error_dict
    services.adoption_step_add(
        actor=keeper,
        version=version,
        body=AdoptionBody.WORKS_COUNCIL,
        decided_on=datetime.date(2024, 4, 20),
        decided_by="OR",
        consent_reference="OR-2024-07",
    )
    adopted = services.version_adopt(
        actor=keeper, version=version, effective_date=datetime.date(2024, 6, 1)
    )
    assert adopted.status == VersionStatus.ADOPTED
    assert adopted.adoption_steps.get(body=AdoptionBody.WORKS_COUNCIL).consent_reference == (
        "OR-2024-07"
    )


def test_only_keepers_write(organisation: Any, other_organisation: Any) -> None:
    employee = EmployeeFactory(organisation=organisation)
    other_officer = local_keeper(other_organisation)
    with pytest.raises(PermissionDenied):
        services.document_create(
            actor=employee.user, kind=DocumentKind.CODE_OF_CONDUCT, title="X",
            region=organisation.region,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.document_create(
            actor=other_officer, kind=DocumentKind.STAFF_HANDBOOK, title="X",
            organisation=organisation,
        )  # fmt: skip
    # A local integrity officer does not change the regional text.
    with pytest.raises(PermissionDenied):
        services.document_create(
            actor=local_keeper(organisation), kind=DocumentKind.CODE_OF_CONDUCT, title="X",
            region=organisation.region,
        )  # fmt: skip
    document, _versions = regional_code(organisation)
    with pytest.raises(PermissionDenied):
        services.version_create(actor=employee.user, document=document, content="x")
    assert Document.objects.count() == 1


def test_hrm_keeps_local_documents(organisation: Any) -> None:
    hrm = EmployeeFactory(organisation=organisation).user
    grant(hrm, Role.HRM, organisation)
    document = services.document_create(
        actor=hrm, kind=DocumentKind.STAFF_HANDBOOK, title="Handboek", organisation=organisation
    )
    assert document.organisation == organisation


def test_bad_input_names_the_field_and_saves_nothing(organisation: Any) -> None:
    keeper = regional_keeper(organisation)
    with pytest.raises(ValidationError) as error:
        services.document_create(
            actor=keeper, kind=DocumentKind.CODE_OF_CONDUCT, title="   ", region=organisation.region
        )
    assert error.value.error_dict["title"][0].messages == ["Vul een titel in."]
    document = services.document_create(
        actor=keeper, kind=DocumentKind.CODE_OF_CONDUCT, title="Code", region=organisation.region
    )
    with pytest.raises(ValidationError) as error:
        services.version_create(actor=keeper, document=document, content="  \n ")
    assert error.value.error_dict["content"][0].messages == ["Vul de tekst van de versie in."]
    version = services.version_create(actor=keeper, document=document, content=CODE_V1)
    with pytest.raises(ValidationError) as error:
        services.adoption_step_add(
            actor=keeper,
            version=version,
            body=AdoptionBody.DT,
            decided_on=timezone.localdate() + datetime.timedelta(days=3),
            decided_by="",
        )
    assert set(error.value.error_dict) == {"decided_on", "decided_by"}
    with pytest.raises(ValidationError, match="conceptversie"):
        services.version_create(actor=keeper, document=document, content=CODE_V2)
    assert DocumentVersion.objects.count() == 1
    assert AdoptionStep.objects.count() == 0


def test_local_addition_belongs_to_a_regional_document(organisation: Any) -> None:
    document, _versions = regional_code(organisation)
    keeper = local_keeper(organisation)
    addition = services.document_create(
        actor=keeper,
        kind=DocumentKind.STAFF_HANDBOOK,  # the base's kind wins
        title="Aanvulling",
        organisation=organisation,
        base=document,
    )
    assert addition.kind == DocumentKind.CODE_OF_CONDUCT
    with pytest.raises(ValidationError, match="al een aanvulling"):
        services.document_create(
            actor=keeper, kind=document.kind, title="Nog een", organisation=organisation,
            base=document,
        )  # fmt: skip


@pytest.mark.requirement("R-AW-1")
def test_acknowledgement_per_version_sends_the_event(organisation: Any) -> None:
    _document, (v1, v2) = regional_code(organisation, versions=2)
    employee = EmployeeFactory(organisation=organisation)
    received: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        received.append(kwargs)

    code_of_conduct_acknowledged.connect(receiver)
    try:
        assert list(selectors.pending_code_versions(employee)) == [v2]
        ack = services.code_of_conduct_acknowledge(
            actor=employee.user, version=v2, on=datetime.date(2025, 2, 3)
        )
    finally:
        code_of_conduct_acknowledged.disconnect(receiver)
    assert (ack.version, ack.acknowledged_on, ack.organisation) == (
        v2,
        datetime.date(2025, 2, 3),
        organisation,
    )
    assert received == [
        {
            "signal": code_of_conduct_acknowledged,
            "employee_id": employee.pk,
            "version_id": v2.pk,
            "acknowledged_on": datetime.date(2025, 2, 3),
        }
    ]
    assert list(selectors.pending_code_versions(employee)) == []
    assert AuditEvent.objects.filter(action="policies.code_of_conduct_acknowledge").count() == 1
    with pytest.raises(ValidationError, match="al bevestigd"):
        services.code_of_conduct_acknowledge(actor=employee.user, version=v2)
    # An expired version is not acknowledged any more.
    with pytest.raises(ValidationError):
        services.code_of_conduct_acknowledge(actor=employee.user, version=v1)
    assert Acknowledgement.objects.count() == 1


def test_a_failing_receiver_leaves_nothing_behind(organisation: Any) -> None:
    _document, (v1,) = regional_code(organisation)
    employee = EmployeeFactory(organisation=organisation)

    def receiver(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("duty update failed")

    code_of_conduct_acknowledged.connect(receiver)
    try:
        with pytest.raises(RuntimeError):
            services.code_of_conduct_acknowledge(actor=employee.user, version=v1)
    finally:
        code_of_conduct_acknowledged.disconnect(receiver)
    assert not Acknowledgement.objects.exists()
    assert not AuditEvent.objects.filter(action="policies.code_of_conduct_acknowledge").exists()


@pytest.mark.requirement("R-AW-1")
def test_a_new_version_waits_again_after_acknowledging_the_old_one(organisation: Any) -> None:
    keeper = regional_keeper(organisation)
    document, (v1,) = regional_code(organisation, keeper)
    employee = EmployeeFactory(organisation=organisation)
    services.code_of_conduct_acknowledge(actor=employee.user, version=v1)
    assert not selectors.pending_code_versions(employee).exists()
    v2 = adopt(keeper, document, CODE_V2)
    assert list(selectors.pending_code_versions(employee)) == [v2]
    assert selectors.last_acknowledged_before(employee, v2) == v1


def test_other_region_code_cannot_be_acknowledged(organisation: Any) -> None:
    from tests.factories import OrganisationFactory, RegionFactory

    elsewhere = OrganisationFactory(region=RegionFactory(slug="elders", name="Elders"))
    _document, (foreign,) = regional_code(elsewhere)
    employee = EmployeeFactory(organisation=organisation)
    with pytest.raises(ValidationError):
        services.code_of_conduct_acknowledge(actor=employee.user, version=foreign)
    assert not Acknowledgement.objects.exists()


@pytest.mark.requirement("R-DP-2")
def test_acknowledgements_go_two_years_after_employment_ends(organisation: Any) -> None:
    """The personnel-file retention: a leaver's acknowledgements are deleted more than two
    years after the end date (exactly two years: kept), counted in the audit; a second
    run deletes nothing; the retention command runs it."""
    from io import StringIO

    from django.core.management import call_command

    _code, (v1,) = regional_code(organisation)
    gone, kept, current = (
        EmployeeFactory(organisation=organisation, start_date=datetime.date(2020, 1, 6))
        for _ in range(3)
    )
    for employee in (gone, kept, current):
        services.code_of_conduct_acknowledge(actor=employee.user, version=v1)
    gone.end_date = datetime.date(2024, 12, 5)
    gone.save()
    kept.end_date = datetime.date(2024, 12, 6)
    kept.save()
    today = datetime.date(2026, 12, 6)
    assert services.acknowledgements_purge_expired(dry_run=True, today=today) == 1
    assert Acknowledgement.objects.filter(employee=gone).exists()
    assert services.acknowledgements_purge_expired(dry_run=False, today=today) == 1
    assert not Acknowledgement.objects.filter(employee=gone).exists()
    assert Acknowledgement.objects.filter(employee__in=[kept, current]).count() == 2
    event = AuditEvent.objects.get(action="policies.acknowledgements_purged")
    assert (event.object_id, event.organisation_id) == ("1", organisation.pk)
    assert services.acknowledgements_purge_expired(dry_run=False, today=today) == 0
    out = StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    assert "bevestiging(en) van de gedragscode" in out.getvalue()
