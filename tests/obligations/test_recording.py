"""HRM records duties: the VOG window, the eed or belofte with its signed PDF, bad input."""

import datetime
import subprocess

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.obligations import pdf, services
from integritas.obligations.constants import DutyKind, DutyStatus, OathForm
from integritas.obligations.models import Duty, ObligationSettings, SignedForm
from integritas.obligations.vault import signed_form_open
from tests.obligations.factories import starter, vulnerable_function

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 12, 1)
NOW = datetime.datetime(2026, 12, 6, 10, tzinfo=datetime.UTC)


@pytest.fixture
def hrm(make_user):
    return make_user(Role.HRM)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def scan(duty, name="getekend.pdf"):
    return SimpleUploadedFile(name, pdf.oath_form_pdf(duty), content_type="application/pdf")


def test_vog_issued_within_the_window_is_accepted(organisation, hrm, clock):
    employee = starter(organisation, START, function=vulnerable_function(organisation))
    vog = Duty.objects.get(employee=employee, kind=DutyKind.VOG)
    services.vog_record(actor=hrm, duty=vog, issued_on=datetime.date(2026, 9, 1))
    vog.refresh_from_db()
    assert (vog.status, vog.vog_issued_on) == (DutyStatus.DONE, datetime.date(2026, 9, 1))


@pytest.mark.parametrize(
    ("months", "issued"), [(3, datetime.date(2026, 8, 31)), (1, datetime.date(2026, 10, 31))]
)
def test_vog_older_than_the_window_at_start_is_refused(organisation, hrm, clock, months, issued):
    ObligationSettings.objects.create(organisation=organisation, vog_validity_months=months)
    employee = starter(organisation, START, function=vulnerable_function(organisation))
    vog = Duty.objects.get(employee=employee, kind=DutyKind.VOG)
    with pytest.raises(ValidationError) as refused:
        services.vog_record(actor=hrm, duty=vog, issued_on=issued)
    message = refused.value.message_dict["issued_on"][0]
    assert f"meer dan {months} maanden vóór 01-12-2026" in message
    assert "nieuwe VOG" in message
    vog.refresh_from_db()
    assert vog.status == DutyStatus.OPEN


def test_oath_form_pdf_holds_the_employee_and_both_texts(organisation, clock):
    employee = starter(organisation, START, first_name="Fatima", last_name="El Amrani")
    oath = Duty.objects.get(employee=employee, kind=DutyKind.OATH)
    text = pdf_text(pdf.oath_form_pdf(oath))
    assert "Formulier eed of belofte" in text
    assert "Fatima El Amrani" in text
    assert employee.personnel_number in text
    assert organisation.name in text
    assert "Ik zweer" in text
    assert "Ik beloof" in text
    assert "Handtekening afnemer" in text


def test_oath_form_uses_the_organisations_text(organisation, clock):
    ObligationSettings.objects.create(
        organisation=organisation, oath_text_eed="Eigen eedtekst van Leiderdorp."
    )
    employee = starter(organisation, START)
    oath = Duty.objects.get(employee=employee, kind=DutyKind.OATH)
    assert "Eigen eedtekst van Leiderdorp." in pdf_text(pdf.oath_form_pdf(oath))


@pytest.mark.requirement("R-AW-4")
def test_oath_recorded_with_date_form_administrator_and_signed_scan(organisation, hrm, clock):
    employee = starter(organisation, START)
    oath = Duty.objects.get(employee=employee, kind=DutyKind.OATH)
    content = pdf.oath_form_pdf(oath)
    services.oath_record(
        actor=hrm,
        duty=oath,
        taken_on=datetime.date(2026, 12, 2),
        oath_form=OathForm.BELOFTE,
        administered_by="J. de Burgemeester",
        upload=SimpleUploadedFile("getekend.pdf", content, content_type="application/pdf"),
    )
    oath.refresh_from_db()
    assert oath.status == DutyStatus.DONE
    assert (oath.completed_on, oath.oath_form, oath.administered_by) == (
        datetime.date(2026, 12, 2),
        OathForm.BELOFTE,
        "J. de Burgemeester",
    )
    form = SignedForm.objects.get(duty=oath)
    assert "Fatima" not in form.storage_name
    assert b"".join(signed_form_open(form)).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="obligations.oath_recorded").exists()


@pytest.mark.requirement("R-AW-4")
def test_oath_without_administrator_is_refused_by_the_database(organisation):
    from django.db import IntegrityError, transaction

    employee = starter(organisation, START)
    oath = Duty.objects.get(employee=employee, kind=DutyKind.OATH)
    oath.status = DutyStatus.DONE
    oath.completed_on = START
    with pytest.raises(IntegrityError), transaction.atomic():
        oath.save()


def test_non_pdf_scan_is_refused_and_nothing_saved(organisation, hrm, clock):
    employee = starter(organisation, START)
    oath = Duty.objects.get(employee=employee, kind=DutyKind.OATH)
    png = SimpleUploadedFile(
        "scan.png",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        content_type="image/png",
    )
    with pytest.raises(ValidationError) as refused:
        services.oath_record(
            actor=hrm,
            duty=oath,
            taken_on=START,
            oath_form=OathForm.EED,
            administered_by="Iemand",
            upload=png,
        )
    assert "scan.png" in refused.value.message_dict["signed_form"][0]
    oath.refresh_from_db()
    assert oath.status == DutyStatus.OPEN
    assert not SignedForm.objects.exists()


def test_oversized_scan_is_refused(organisation, hrm, clock, settings):
    settings.INTEGRITAS_ATTACHMENT_MAX_BYTES = 1024
    employee = starter(organisation, START)
    oath = Duty.objects.get(employee=employee, kind=DutyKind.OATH)
    with pytest.raises(ValidationError) as refused:
        services.oath_record(
            actor=hrm,
            duty=oath,
            taken_on=START,
            oath_form=OathForm.EED,
            administered_by="Iemand",
            upload=scan(oath),
        )
    assert "is groter dan 1 kB" in refused.value.message_dict["signed_form"][0]
    assert not SignedForm.objects.exists()


def test_due_date_before_start_is_refused(organisation, hrm, clock):
    employee = starter(organisation, START)
    with pytest.raises(ValidationError) as refused:
        services.duty_create(
            actor=hrm,
            employee=employee,
            kind=DutyKind.HANDBOOK,
            due_date=START - datetime.timedelta(days=1),
        )
    assert "vóór de datum in dienst (01-12-2026)" in refused.value.message_dict["due_date"][0]


def test_other_organisations_hrm_may_not_record(organisation, other_organisation, make_user, clock):
    outsider = make_user(Role.HRM, other_organisation)
    employee = starter(organisation, START)
    oath = Duty.objects.get(employee=employee, kind=DutyKind.OATH)
    with pytest.raises(PermissionDenied):
        services.duty_close(actor=outsider, duty=oath)
