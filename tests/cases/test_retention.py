"""Retention (R-DP-2): `integritas purge_expired`, tombstones, legal hold, audit."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.cases import services
from integritas.cases.constants import Category, Channel, Finding, IdentityMode, Kind, Status
from integritas.cases.models import (
    Attachment,
    Case,
    CaseMessage,
    CaseNote,
    CaseTombstone,
    InvolvedPerson,
    ReporterIdentity,
)
from integritas.cases.retention import services as retention
from tests.conftest import login_with_second_factor

from .factories import complete_investigation, submit_case

START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def coordinator(make_user, organisation):
    return make_user(Role.INTEGRITY_COORDINATOR, organisation)


@pytest.fixture
def secretary(make_user, organisation):
    return make_user(Role.SECRETARY, organisation)


def _closed_without_measure(organisation, coordinator, *, ack_after_days: int = 1) -> Case:
    with time_machine.travel(START, tick=False):
        case = submit_case(
            organisation,
            description="geheime inhoud",
            category=Category.GIFTS,
            identity_mode=IdentityMode.CONFIDENTIAL,
            identity={"name": "Melder"},
            involved=["iemand"],
        ).case
    with time_machine.travel(START + datetime.timedelta(days=ack_after_days), tick=False):
        case = services.case_transition(actor=coordinator, case=case, name="acknowledge")
        services.case_message_to_reporter(
            actor=coordinator, case=case, body="Wij doen er niets mee.", is_feedback=True
        )
        services.case_add_note(actor=coordinator, case=case, body="notitie")
        case = services.case_transition(
            actor=coordinator, case=case, name="close_without_investigation"
        )
    return case


def _closed_with_measure(organisation, coordinator, secretary) -> Case:
    with time_machine.travel(START, tick=False):
        case = submit_case(organisation, kind=Kind.WRONGDOING).case
        case = services.case_transition(actor=coordinator, case=case, name="acknowledge")
        for name in ("request_approval",):
            case = services.case_transition(actor=coordinator, case=case, name=name)
        case = services.case_transition(actor=secretary, case=case, name="approve_investigation")
        complete_investigation(case, coordinator)
        case = services.case_transition(actor=coordinator, case=case, name="report_to_secretary")
        case = services.case_record_decision(
            actor=secretary, case=case, finding=Finding.FOUNDED, measures=["written_warning"]
        )
        services.case_message_to_reporter(
            actor=coordinator, case=case, body="Er is een maatregel.", is_feedback=True
        )
        case = services.case_transition(actor=coordinator, case=case, name="close")
    return case


def _with_attachment(case: Case, name: str) -> str:
    stored = default_storage.save(name, ContentFile(b"versleutelde bytes"))
    Attachment.objects.create(
        case=case,
        filename_enc=b"x",
        content_type="application/pdf",
        size=18,
        sha256="0" * 64,
        storage_name=stored,
    )
    return stored


@pytest.mark.requirement("R-DP-2")
def test_retention_defaults_five_and_ten_years(organisation, coordinator, secretary):
    # R-DP-2: 5 years after closure without a measure, 10 with a disciplinary measure.
    plain = _closed_without_measure(organisation, coordinator)
    measured = _closed_with_measure(organisation, coordinator, secretary)
    assert plain.retain_until == datetime.date(2031, 3, 3)
    assert measured.retain_until == datetime.date(2036, 3, 2)


@pytest.mark.requirement("R-DP-2", "R-BN-2")
def test_purge_deletes_expired_cases_and_leaves_a_counted_tombstone(
    organisation, coordinator, secretary, django_capture_on_commit_callbacks
):
    plain = _closed_without_measure(organisation, coordinator)
    blob = _with_attachment(plain, "bijlagen/plain.bin")
    measured = _closed_with_measure(organisation, coordinator, secretary)
    open_case = submit_case(organisation).case
    Case.objects.filter(pk=open_case.pk).update(retain_until=datetime.date(2027, 1, 1))

    # The day of retain_until itself is still kept.
    with time_machine.travel(datetime.datetime(2031, 3, 3, 12, tzinfo=datetime.UTC)):
        assert retention.purge_expired().count == 0

    with (
        time_machine.travel(datetime.datetime(2031, 3, 4, 12, tzinfo=datetime.UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        out = StringIO()
        call_command("purge_expired", stdout=out)
    assert plain.case_number in out.getvalue()
    assert "1 melding(en) verwijderd, 1 bijlage(n)" in out.getvalue()

    assert not Case.objects.filter(pk=plain.pk).exists()
    for model in (ReporterIdentity, InvolvedPerson, CaseMessage, CaseNote, Attachment):
        assert not model.objects.filter(case_id=plain.pk).exists(), model
    assert not default_storage.exists(blob)
    # Not yet expired, and open cases are never purged.
    assert Case.objects.filter(pk__in=[measured.pk, open_case.pk]).count() == 2

    tombstone = CaseTombstone.objects.get()
    assert tombstone.organisation == organisation
    assert tombstone.year == 2026
    assert tombstone.kind == Kind.INTEGRITY_VIOLATION
    assert tombstone.category == Category.GIFTS
    assert tombstone.channel == Channel.WEB
    assert tombstone.final_status == Status.CLOSED_WITHOUT_INVESTIGATION
    assert tombstone.finding == ""
    assert tombstone.measures == []
    assert tombstone.acknowledged_on_time is True
    assert tombstone.feedback_on_time is True

    event = AuditEvent.objects.get(action="case.purge")
    assert event.object_id == str(plain.pk)
    assert event.object_type == "cases.case"
    assert event.organisation_id == organisation.pk
    assert event.actor_id is None

    with time_machine.travel(datetime.datetime(2036, 3, 3, 12, tzinfo=datetime.UTC)):
        assert retention.purge_expired().case_numbers == [measured.case_number]
    tombstone = CaseTombstone.objects.get(final_status=Status.CLOSED)
    assert tombstone.finding == Finding.FOUNDED
    assert tombstone.measures == ["written_warning"]
    assert tombstone.kind == Kind.WRONGDOING


@pytest.mark.requirement("R-WBK-3")
def test_late_acknowledgement_is_counted_as_late(organisation, coordinator):
    # R-WBK-3 in the annual report: acknowledged on day 10 is not within 7 days.
    _closed_without_measure(organisation, coordinator, ack_after_days=10)
    with time_machine.travel(datetime.datetime(2032, 1, 1, tzinfo=datetime.UTC)):
        retention.purge_expired()
    tombstone = CaseTombstone.objects.get()
    assert tombstone.acknowledged_on_time is False
    assert tombstone.feedback_on_time is True


def test_dry_run_lists_and_changes_nothing(organisation, coordinator):
    case = _closed_without_measure(organisation, coordinator)
    with time_machine.travel(datetime.datetime(2032, 1, 1, tzinfo=datetime.UTC)):
        out = StringIO()
        call_command("purge_expired", "--dry-run", stdout=out)
    assert case.case_number in out.getvalue()
    assert "Proefrun: 1 melding(en)" in out.getvalue()
    # Case numbers and counts only: nothing of the content.
    assert "geheime inhoud" not in out.getvalue()
    assert Case.objects.filter(pk=case.pk).exists()
    assert not CaseTombstone.objects.exists()
    assert not AuditEvent.objects.filter(action="case.purge").exists()


@pytest.mark.requirement("R-DP-2")
def test_legal_hold_stops_the_purge_until_lifted(organisation, coordinator):
    case = _closed_without_measure(organisation, coordinator)
    services.case_set_legal_hold(actor=coordinator, case=case, on=True)
    assert AuditEvent.objects.filter(action="case.legal_hold_set").count() == 1
    with time_machine.travel(datetime.datetime(2040, 1, 1, tzinfo=datetime.UTC)):
        assert retention.purge_expired().count == 0
        assert Case.objects.filter(pk=case.pk).exists()
        services.case_set_legal_hold(actor=coordinator, case=case, on=False)
        assert AuditEvent.objects.filter(action="case.legal_hold_lifted").count() == 1
        assert retention.purge_expired().case_numbers == [case.case_number]
    assert not Case.objects.filter(pk=case.pk).exists()


def test_setting_the_same_hold_twice_records_once(organisation, coordinator):
    case = submit_case(organisation).case
    services.case_set_legal_hold(actor=coordinator, case=case, on=True)
    services.case_set_legal_hold(actor=coordinator, case=case, on=True)
    assert AuditEvent.objects.filter(action="case.legal_hold_set").count() == 1
    case.refresh_from_db()
    assert case.legal_hold


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.ADMINISTRATOR, Role.INVESTIGATOR, None])
def test_only_the_coordinator_sets_a_legal_hold(organisation, make_user, role):
    case = submit_case(organisation).case
    with pytest.raises(PermissionDenied):
        services.case_set_legal_hold(actor=make_user(role, organisation), case=case, on=True)
    case.refresh_from_db()
    assert not case.legal_hold


def test_purge_rechecks_under_the_lock(organisation, coordinator):
    # A hold set between listing and purging wins.
    case = _closed_without_measure(organisation, coordinator)
    Case.objects.filter(pk=case.pk).update(legal_hold=True)
    assert not retention.case_purge(
        case=case, today=timezone.localdate() + datetime.timedelta(days=4000)
    )
    assert Case.objects.filter(pk=case.pk).exists()


def test_files_of_a_rolled_back_report_are_swept_after_a_day(organisation):
    # A failure half-way leaves no half case, but the file it had stored stays in the
    # storage without a row; purge_expired removes such orphans once they are a day old.
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from integritas.cases.attachments.storage import attachment_store

    kept = submit_case(organisation).case
    kept_file = attachment_store(
        case=kept, upload=SimpleUploadedFile("notitie.txt", b"Bewaard bestand.\n")
    ).storage_name
    start = timezone.now()
    with pytest.raises(RuntimeError), transaction.atomic():
        case = submit_case(organisation).case
        orphan = attachment_store(
            case=case, upload=SimpleUploadedFile("notitie.txt", b"Half verstuurd.\n")
        ).storage_name
        raise RuntimeError("half-way failure")
    assert (
        default_storage.exists(orphan)
        and not Attachment.objects.filter(storage_name=orphan).exists()
    )

    # Younger than a day: it may belong to a transaction still running, so it stays.
    assert retention.orphan_files(start + datetime.timedelta(hours=23)) == []
    out = StringIO()
    with time_machine.travel(start + datetime.timedelta(hours=25), tick=False):
        call_command("purge_expired", "--dry-run", stdout=out)
        assert "1 achtergebleven bestand(en)" in out.getvalue()
        assert default_storage.exists(orphan)
        call_command("purge_expired", stdout=out)
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept_file)  # a file with its row is never an orphan
    event = AuditEvent.objects.get(action="attachment.orphans_purge")
    assert event.object_id == "1" and orphan not in str(event.__dict__)


@pytest.mark.requirement("R-DP-2")
def test_coordinator_sets_and_lifts_the_legal_hold_on_the_case_page(organisation, coordinator):
    # R-DP-2: the hold is a coordinator's act on the case page, audited, shown on the page.
    case = _closed_without_measure(organisation, coordinator)
    client = login_with_second_factor(Client(), coordinator)
    page = client.get(reverse("cases:case_detail", args=[case.case_number])).content.decode()
    assert "Bewaarplicht wijzigen" in page and case.retain_until.strftime("%d-%m-%Y") in page
    url = reverse("cases:legal_hold", args=[case.case_number])
    response = client.post(url, {"legal_hold-hold": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.legal_hold
    page = client.get(response["Location"]).content.decode()
    assert "Aan: de melding wordt niet verwijderd" in page
    with time_machine.travel(datetime.datetime(2040, 1, 1, tzinfo=datetime.UTC)):
        assert retention.purge_expired().count == 0
    # A missing choice is refused on the page and changes nothing.
    assert client.post(url, {}).status_code == 200
    case.refresh_from_db()
    assert case.legal_hold
    client.post(url, {"legal_hold-hold": "off"})
    assert AuditEvent.objects.filter(action="case.legal_hold_lifted").count() == 1


@pytest.mark.requirement("R-DP-2")
@pytest.mark.parametrize(
    ("by_finding", "by_kind", "finding", "kind", "measures", "years"),
    [
        ({}, {}, "", Kind.INTEGRITY_VIOLATION, [], 5),  # the default without a measure
        ({"none": 2}, {}, "", Kind.INTEGRITY_VIOLATION, [], 2),  # closed without investigation
        ({"unfounded": 3}, {}, Finding.UNFOUNDED, Kind.WRONGDOING, ["none"], 3),
        ({}, {"unwanted_behaviour": 7}, Finding.UNFOUNDED, Kind.UNWANTED_BEHAVIOUR, [], 7),
        # The finding's period comes before the kind's.
        (
            {"unfounded": 3},
            {"unwanted_behaviour": 7},
            Finding.UNFOUNDED,
            Kind.UNWANTED_BEHAVIOUR,
            [],
            3,
        ),
        # A disciplinary measure always keeps the case ten years.
        (
            {"founded": 2},
            {"wrongdoing": 2},
            Finding.FOUNDED,
            Kind.WRONGDOING,
            ["written_warning"],
            10,
        ),
    ],
)
def test_retention_is_configurable_per_outcome_and_type(
    settings, by_finding, by_kind, finding, kind, measures, years
):
    # R-DP-2: retention configurable per case type and outcome.
    settings.INTEGRITAS_RETENTION_YEARS_BY_FINDING = by_finding
    settings.INTEGRITAS_RETENTION_YEARS_BY_KIND = by_kind
    case = Case(finding=finding, kind=kind, measures=measures)
    closed = datetime.date(2026, 3, 2)
    assert services.retention_until(case, closed) == closed.replace(year=2026 + years)


def test_closing_uses_the_configured_period(organisation, coordinator, settings):
    settings.INTEGRITAS_RETENTION_YEARS_BY_FINDING = {"none": 2}
    case = _closed_without_measure(organisation, coordinator)
    assert case.retain_until == (START + datetime.timedelta(days=1)).date().replace(year=2028)


def test_a_misspelt_retention_key_stops_the_start(settings):
    # A registered system check (run by every management command and the server) refuses
    # a key that names no finding or kind, and a period below one year.
    from django.core.checks import registry

    from integritas.cases.checks import retention_settings

    assert retention_settings in registry.registry.get_checks()
    settings.INTEGRITAS_RETENTION_YEARS_BY_FINDING = {"ongegrond": 2}
    settings.INTEGRITAS_RETENTION_YEARS_BY_KIND = {"irregularity": 0}
    errors = {error.id: error.msg for error in retention_settings(None)}
    assert "unknown key 'ongegrond'" in errors["integritas.E101"]
    assert "irregularity" in errors["integritas.E102"]
    settings.INTEGRITAS_RETENTION_YEARS_BY_FINDING = {"unfounded": 2}
    settings.INTEGRITAS_RETENTION_YEARS_BY_KIND = {}
    assert retention_settings(None) == []
