"""The integriteitsverklaring of hired workers and interns, acknowledged in the
application ("ontvangen, gelezen en ik houd mij eraan"): date and version recorded, only
by the one whose duty it is, a second time a friendly message (R-AW-4, seed 3.2.5)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.obligations import services
from integritas.obligations.constants import DEFAULT_DECLARATION_TEXT, DutyKind, DutyStatus
from integritas.obligations.models import Duty
from integritas.organisations.constants import EmploymentType
from tests.conftest import login_with_second_factor
from tests.factories import UserFactory
from tests.obligations.factories import starter

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 11, 30)
NOW = datetime.datetime(2026, 12, 7, 10, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _declaration(employee):
    return Duty.objects.get(employee=employee, kind=DutyKind.DECLARATION)


def _url(duty):
    return reverse("obligations:declaration_acknowledge", args=[duty.pk])


@pytest.mark.requirement("R-AW-4")
@pytest.mark.parametrize("employment", [EmploymentType.HIRED, EmploymentType.INTERN])
def test_the_hired_worker_or_intern_acknowledges_in_the_application(organisation, employment):
    worker = starter(organisation, START, employment_type=employment)
    duty = _declaration(worker)
    client = login_with_second_factor(Client(), worker.user)
    detail = client.get(reverse("obligations:duty_detail", args=[duty.pk])).content.decode()
    assert _url(duty) in detail
    assert _url(duty) in client.get(reverse("home")).content.decode()  # Mijn integriteit

    page = client.get(_url(duty))
    assert page.status_code == 200
    body = page.content.decode()
    assert DEFAULT_DECLARATION_TEXT[:60] in body
    assert "versie 1" in body

    unticked = client.post(_url(duty), {"version": 1})
    assert unticked.status_code == 400
    assert "Vink aan" in unticked.content.decode()
    assert _declaration(worker).status == DutyStatus.OPEN

    done = client.post(_url(duty), {"version": 1, "confirm": "on"}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("home")
    assert "Uw bevestiging van de integriteitsverklaring is vastgelegd" in done.content.decode()
    duty.refresh_from_db()
    assert (duty.status, duty.completed_on, duty.declaration_version) == (
        DutyStatus.DONE,
        TODAY,
        1,
    )
    assert duty.recorded_by_id == worker.user.pk
    event = AuditEvent.objects.get(action="obligations.declaration_acknowledged")
    assert (event.object_id, event.actor_role) == (str(duty.pk), Role.EMPLOYEE)
    detail = client.get(reverse("obligations:duty_detail", args=[duty.pk])).content.decode()
    assert "versie 1 van de tekst" in detail and _url(duty) not in detail


def test_a_second_post_gets_a_friendly_message_not_a_403(organisation):
    worker = starter(organisation, START, employment_type=EmploymentType.HIRED)
    duty = _declaration(worker)
    client = login_with_second_factor(Client(), worker.user)
    client.post(_url(duty), {"version": 1, "confirm": "on"})
    again = client.post(_url(duty), {"version": 1, "confirm": "on"}, follow=True)
    assert again.status_code == 200
    assert again.redirect_chain[-1][0] == reverse("obligations:duty_detail", args=[duty.pk])
    assert "U heeft de integriteitsverklaring al bevestigd." in again.content.decode()
    assert AuditEvent.objects.filter(action="obligations.declaration_acknowledged").count() == 1
    assert client.get(_url(duty)).status_code == 302


def test_a_closed_declaration_needs_nothing_more(organisation, make_user):
    worker = starter(organisation, START, employment_type=EmploymentType.INTERN)
    duty = _declaration(worker)
    services.duty_close(actor=make_user(Role.HRM), duty=duty, note="Stage gaat niet door")
    client = login_with_second_factor(Client(), worker.user)
    response = client.post(_url(duty), {"version": 1, "confirm": "on"}, follow=True)
    assert "u hoeft niets meer te doen" in response.content.decode()
    duty.refresh_from_db()
    assert duty.status == DutyStatus.CLOSED and duty.declaration_version is None


@pytest.mark.requirement("R-AW-4")
def test_a_changed_text_is_a_new_version_and_the_old_one_is_not_acknowledged(
    organisation, make_user
):
    worker = starter(organisation, START, employment_type=EmploymentType.HIRED)
    duty = _declaration(worker)
    client = login_with_second_factor(Client(), worker.user)
    assert "versie 1" in client.get(_url(duty)).content.decode()
    hrm = make_user(Role.HRM)
    services.settings_update(
        actor=hrm, organisation_id=organisation.pk, changes={"declaration_text": "Nieuwe tekst."}
    )
    # Saving the same text again is no new version.
    services.settings_update(
        actor=hrm, organisation_id=organisation.pk, changes={"declaration_text": "Nieuwe tekst."}
    )
    stale = client.post(_url(duty), {"version": 1, "confirm": "on"})
    assert stale.status_code == 400
    body = stale.content.decode()
    assert "intussen gewijzigd" in body and "Nieuwe tekst." in body and "versie 2" in body
    assert _declaration(worker).status == DutyStatus.OPEN
    client.post(_url(duty), {"version": 2, "confirm": "on"})
    assert _declaration(worker).declaration_version == 2


def test_only_the_one_whose_declaration_it_is(organisation, make_user):
    worker = starter(organisation, START, employment_type=EmploymentType.HIRED)
    duty = _declaration(worker)
    colleague = starter(organisation, START, employment_type=EmploymentType.HIRED)
    employee = starter(organisation, START)  # employed: an oath, no declaration
    hrm = make_user(Role.HRM)
    for user in (colleague.user, hrm):
        client = login_with_second_factor(Client(), user)
        assert client.get(_url(duty)).status_code == 404
        assert client.post(_url(duty), {"version": 1, "confirm": "on"}).status_code == 404
        with pytest.raises(PermissionDenied):
            services.declaration_acknowledge(actor=user, duty=duty, version=1)
    oath = Duty.objects.get(employee=employee, kind=DutyKind.OATH)
    client = login_with_second_factor(Client(), employee.user)
    assert client.get(_url(oath)).status_code == 404
    with pytest.raises(PermissionDenied):
        services.declaration_acknowledge(actor=employee.user, duty=oath, version=1)
    # Without an employee record: not this page at all.
    outsider = UserFactory()
    assert login_with_second_factor(Client(), outsider).get(_url(duty)).status_code == 403
    assert _declaration(worker).status == DutyStatus.OPEN


def test_the_service_refuses_a_duty_that_is_not_open(organisation):
    worker = starter(organisation, START, employment_type=EmploymentType.HIRED)
    duty = _declaration(worker)
    services.declaration_acknowledge(actor=worker.user, duty=duty, version=1)
    with pytest.raises(ValidationError):
        services.declaration_acknowledge(actor=worker.user, duty=duty, version=1)


def test_a_post_that_crossed_the_first_gets_the_friendly_message(organisation, monkeypatch):
    """Two POSTs at once: the second finds the duty done inside the service's lock."""
    worker = starter(organisation, START, employment_type=EmploymentType.HIRED)
    duty = _declaration(worker)
    client = login_with_second_factor(Client(), worker.user)
    real = services.declaration_acknowledge

    def crossed(*, actor, duty, version):
        real(actor=actor, duty=Duty.objects.get(pk=duty.pk), version=version)  # the first
        return real(actor=actor, duty=duty, version=version)  # the second: not open

    monkeypatch.setattr(services, "declaration_acknowledge", crossed)
    response = client.post(_url(duty), {"version": 1, "confirm": "on"}, follow=True)
    assert "U heeft de integriteitsverklaring al bevestigd." in response.content.decode()
    assert AuditEvent.objects.filter(action="obligations.declaration_acknowledged").count() == 1


def _pdf_text(content: bytes) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.requirement("R-AW-4")
def test_hrm_prints_the_declaration_form_and_records_it_signed(organisation, make_user):
    """Signed on paper "the same way" as the oath: the generated form holds the worker's
    details and the organisation's current text with its version; HRM records the duty
    done with the signed scan as a PDF."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from integritas.obligations.models import ObligationSettings, SignedForm

    hrm = make_user(Role.HRM, organisation)
    services.settings_update(
        actor=hrm,
        organisation_id=organisation.pk,
        changes={"declaration_text": "Eigen verklaring van de organisatie."},
    )
    assert ObligationSettings.objects.get(organisation=organisation).declaration_version == 2
    worker = starter(
        organisation,
        START,
        employment_type=EmploymentType.HIRED,
        first_name="Iris",
        last_name="Wit",
    )
    duty = _declaration(worker)
    client = login_with_second_factor(Client(), hrm)
    url = reverse("obligations:declaration_form", args=[duty.pk])
    detail = client.get(reverse("obligations:duty_detail", args=[duty.pk])).content.decode()
    assert url in detail
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(_pdf_text(response.content).split())
    assert "Formulier integriteitsverklaring" in text
    assert "Iris Wit" in text and worker.personnel_number in text
    assert organisation.name in text
    assert "Eigen verklaring van de organisatie." in text
    assert "Tekst versie 2." in text
    assert "Handtekening medewerker" in text
    assert AuditEvent.objects.filter(action="obligations.declaration_form_printed").count() == 1

    recorded = client.post(
        reverse("obligations:duty_record", args=[duty.pk]),
        {
            "completed_on": TODAY.isoformat(),
            "note": "",
            "signed_form": SimpleUploadedFile("verklaring.pdf", response.content),
        },
    )
    assert recorded.status_code == 302
    duty.refresh_from_db()
    assert (duty.status, duty.completed_on) == (DutyStatus.DONE, TODAY)
    assert SignedForm.objects.filter(duty=duty).exists()


@pytest.mark.parametrize("role", [None, Role.ADMINISTRATOR, Role.INTEGRITY_OFFICER, Role.HRM])
def test_the_declaration_form_is_hrms_of_that_organisation_only(
    client_for, organisation, other_organisation, role
):
    own = _declaration(starter(organisation, START, employment_type=EmploymentType.INTERN))
    foreign = _declaration(
        starter(other_organisation, START, employment_type=EmploymentType.INTERN)
    )
    oath = Duty.objects.get(
        employee=starter(organisation, START), kind=DutyKind.OATH
    )  # another kind
    client = client_for(role, organisation)

    def status(duty):
        return client.get(reverse("obligations:declaration_form", args=[duty.pk])).status_code

    if role == Role.HRM:
        assert (status(own), status(foreign), status(oath)) == (200, 404, 404)
    else:
        assert (status(own), status(foreign), status(oath)) == (403, 403, 403)
    with pytest.raises(PermissionDenied):
        services.declaration_form_render(actor=UserFactory(), duty=own)  # no role at all
