"""R-DP-2: a legal hold on an employee keeps their personnel records from the retention
run (registrations, duties and signed forms, acknowledgements of the gedragscode); lifted,
the next run deletes them. Set and lifted by HRM or the integrity officer of the
employee's organisation, audited with ids only."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.obligations import pdf
from integritas.obligations import services as obligations
from integritas.obligations.constants import DutyKind, OathForm
from integritas.obligations.models import Duty, SignedForm
from integritas.organisations import services
from integritas.organisations.models import Employee
from integritas.policies import services as policies
from integritas.policies.models import Acknowledgement
from integritas.registers.models import Registration
from tests.obligations.factories import starter
from tests.policies.factories import regional_code
from tests.registers.helpers import gift

pytestmark = pytest.mark.django_db

REASON = "Arbeidsgeschil bij de kantonrechter"


def _years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


@pytest.fixture
def hrm(make_user):
    return make_user(Role.HRM)


@pytest.fixture
def leaver(organisation, hrm):
    """Someone with a registration, duties, a signed form and an acknowledgement of the
    gedragscode, whose employment ended three years ago."""
    employee = starter(organisation, datetime.date(2020, 1, 6))
    gift(employee, 1000)
    oath = Duty.objects.get(employee=employee, kind=DutyKind.OATH)
    obligations.oath_record(
        actor=hrm,
        duty=oath,
        taken_on=datetime.date(2020, 1, 10),
        oath_form=OathForm.EED,
        administered_by="J. de Burgemeester",
        upload=SimpleUploadedFile(
            "getekend.pdf", pdf.oath_form_pdf(oath), content_type="application/pdf"
        ),
    )
    _code, (version,) = regional_code(organisation)
    policies.code_of_conduct_acknowledge(actor=employee.user, version=version)
    employee.end_date = _years_ago(3)
    employee.save()
    return employee


def _records(employee: Employee) -> dict[str, int]:
    return {
        "registrations": Registration.objects.filter(employee=employee).count(),
        "duties": Duty.objects.filter(employee=employee).count(),
        "signed_forms": SignedForm.objects.filter(duty__employee=employee).count(),
        "acknowledgements": Acknowledgement.objects.filter(employee=employee).count(),
    }


def _purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_expired", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.requirement("R-DP-2")
def test_a_legal_hold_keeps_a_leavers_records_and_lifting_it_lets_them_go(leaver, hrm):
    before = _records(leaver)
    assert all(before.values()), before
    services.employee_set_legal_hold(actor=hrm, actor_role=Role.HRM, employee=leaver, reason=REASON)

    dry = _purge("--dry-run")
    assert "Bewaarplicht: 1 registratie(s) van oud-medewerkers blijven bewaard." in dry
    assert (
        f"Bewaarplicht: {before['duties']} verplichting(en) van oud-medewerkers blijven bewaard."
        in dry
    )
    assert "Bewaarplicht: 1 bevestiging(en) van de gedragscode" in dry
    assert "Proefrun: 0 registratie(s) van oud-medewerkers" in dry
    out = _purge()
    assert "0 registratie(s) van oud-medewerkers verwijderd." in out
    assert _records(leaver) == before

    services.employee_lift_legal_hold(actor=hrm, actor_role=Role.HRM, employee=leaver)
    out = _purge()
    assert "1 registratie(s) van oud-medewerkers verwijderd." in out
    assert "Bewaarplicht:" not in out
    assert _records(leaver) == dict.fromkeys(before, 0)


@pytest.mark.requirement("R-DP-2")
def test_a_hold_on_one_leaver_does_not_keep_anothers(organisation, leaver, hrm):
    other = starter(organisation, datetime.date(2020, 1, 6))
    gift(other, 1000)
    other.end_date = _years_ago(3)
    other.save()
    services.employee_set_legal_hold(actor=hrm, actor_role=Role.HRM, employee=leaver, reason=REASON)
    _purge()
    assert _records(other) == dict.fromkeys(_records(other), 0)
    assert Registration.objects.filter(employee=leaver).exists()


@pytest.mark.requirement("R-DP-2")
def test_setting_and_lifting_are_audited_with_ids_only(organisation, leaver, hrm):
    services.employee_set_legal_hold(actor=hrm, actor_role=Role.HRM, employee=leaver, reason=REASON)
    leaver.refresh_from_db()
    assert (leaver.legal_hold, leaver.legal_hold_reason, leaver.legal_hold_set_by) == (
        True,
        REASON,
        hrm,
    )
    assert leaver.legal_hold_set_at is not None
    services.employee_lift_legal_hold(actor=hrm, actor_role=Role.HRM, employee=leaver)
    leaver.refresh_from_db()
    assert (leaver.legal_hold, leaver.legal_hold_reason, leaver.legal_hold_set_by) == (
        False,
        "",
        None,
    )
    events = list(
        AuditEvent.objects.filter(action__startswith="employee.legal_hold").order_by("pk")
    )
    assert [e.action for e in events] == ["employee.legal_hold_set", "employee.legal_hold_lifted"]
    for event in events:
        assert (event.object_id, event.organisation_id, event.actor_role) == (
            str(leaver.pk),
            organisation.pk,
            Role.HRM,
        )
        fields = " ".join(str(value) for value in vars(event).values())
        assert "kantonrechter" not in fields
        assert leaver.last_name not in fields


@pytest.mark.requirement("R-DP-2")
def test_a_hold_needs_a_reason(leaver, hrm):
    with pytest.raises(ValidationError) as refused:
        services.employee_set_legal_hold(
            actor=hrm, actor_role=Role.HRM, employee=leaver, reason="   "
        )
    assert "Geef de reden van de bewaarplicht op" in refused.value.message_dict["reason"][0]
    leaver.refresh_from_db()
    assert not leaver.legal_hold
    assert not AuditEvent.objects.filter(action="employee.legal_hold_set").exists()


@pytest.mark.requirement("R-DP-2")
@pytest.mark.parametrize(
    ("role", "own_organisation", "allowed"),
    [
        (Role.HRM, True, True),
        (Role.INTEGRITY_OFFICER, True, True),
        (Role.HRM, False, False),
        (Role.INTEGRITY_OFFICER, False, False),
        (None, True, False),
        (Role.ADMINISTRATOR, True, False),
        (Role.INTEGRITY_COORDINATOR, True, False),
    ],
)
def test_who_may_set_a_hold(make_user, leaver, other_organisation, role, own_organisation, allowed):
    actor = make_user(role, None if own_organisation else other_organisation)
    if allowed:
        services.employee_set_legal_hold(
            actor=actor, actor_role=role, employee=leaver, reason=REASON
        )
    else:
        with pytest.raises(PermissionDenied):
            services.employee_set_legal_hold(
                actor=actor, actor_role=role or "", employee=leaver, reason=REASON
            )
        with pytest.raises(PermissionDenied):
            services.employee_lift_legal_hold(actor=actor, actor_role=role or "", employee=leaver)
    leaver.refresh_from_db()
    assert leaver.legal_hold is allowed


@pytest.mark.requirement("R-DP-2")
def test_the_hold_page_from_the_employee_list(client_for, organisation, leaver):
    client = client_for(Role.HRM, organisation)
    listed = client.get(reverse("organisations:employee_list"), {"former": "on"})
    url = reverse("organisations:employee_legal_hold", args=[leaver.pk])
    assert url in listed.content.decode()

    empty = client.post(url, {"action": "set", "reason": ""})
    assert empty.status_code == 400
    assert "Geef de reden van de bewaarplicht op" in empty.content.decode()
    too_long = "Rechtszaak " + "x" * 1000
    refused = client.post(url, {"action": "set", "reason": too_long})
    assert refused.status_code == 400
    assert too_long in refused.content.decode()  # nothing lost on a bad POST
    leaver.refresh_from_db()
    assert not leaver.legal_hold

    assert client.post(url, {"action": "set", "reason": REASON}).status_code == 302
    leaver.refresh_from_db()
    assert (leaver.legal_hold, leaver.legal_hold_reason) == (True, REASON)
    page = client.get(url).content.decode()
    assert "Bewaarplicht opheffen" in page
    assert REASON in page

    assert client.post(url, {"action": "lift"}).status_code == 302
    leaver.refresh_from_db()
    assert not leaver.legal_hold
