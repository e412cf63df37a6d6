"""Every page of obligations as every role, the other organisation, and the flows."""

import datetime
import subprocess

import pytest
import tablib
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.obligations.constants import DutyKind, DutyStatus
from integritas.obligations.models import Duty, ObligationSettings, SignedForm
from tests.conftest import login_with_second_factor
from tests.factories import ALL_ASSIGNABLE_ROLES, EmployeeFactory
from tests.obligations.factories import starter, vulnerable_function

pytestmark = pytest.mark.django_db
ROLES = [None, *ALL_ASSIGNABLE_ROLES]
START = datetime.date(2026, 11, 2)
NOW = datetime.datetime(2026, 12, 6, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def oath_of(employee):
    return Duty.objects.get(employee=employee, kind=DutyKind.OATH)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "employee")
def test_list_pages_per_role(client_for, organisation, role):
    client = client_for(role, organisation)
    expected = 200 if role == Role.HRM else 403
    assert client.get(reverse("obligations:duty_list")).status_code == expected
    assert client.get(reverse("obligations:duty_create")).status_code == expected
    # Nobody of these is a manager: the team page is refused.
    assert client.get(reverse("obligations:team")).status_code == 403


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "employee")
def test_duty_pages_per_role_and_other_organisation(
    client_for, organisation, other_organisation, role
):
    client = client_for(role, organisation)
    own = oath_of(starter(organisation, START))
    foreign = oath_of(starter(other_organisation, START))
    hrm = role == Role.HRM
    for name in ("duty_detail", "duty_record", "oath_form"):
        own_status = client.get(reverse(f"obligations:{name}", args=[own.pk])).status_code
        foreign_status = client.get(reverse(f"obligations:{name}", args=[foreign.pk])).status_code
        if hrm:
            assert (own_status, foreign_status) == (200, 404), name
        elif name == "duty_detail":
            assert (own_status, foreign_status) == (404, 404), name
        else:
            assert (own_status, foreign_status) == (403, 403), name
    close = client.post(reverse("obligations:duty_close", args=[foreign.pk]), {"note": "x"})
    assert close.status_code == (404 if hrm else 403)
    foreign.refresh_from_db()
    assert foreign.status == DutyStatus.OPEN


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "employee")
def test_signed_form_and_declaration_pages_per_role(client_for, make_user, organisation, role):
    """The signed scan: HRM of the organisation only; someone else's integriteitsverklaring:
    nobody but its own hired worker or intern (404, whatever the role)."""
    from integritas.obligations import pdf, services

    oath = oath_of(starter(organisation, START))
    services.oath_record(
        actor=make_user(Role.HRM, organisation),
        duty=oath,
        taken_on=START,
        oath_form="eed",
        administered_by="De secretaris",
        upload=SimpleUploadedFile("getekend.pdf", pdf.oath_form_pdf(oath)),
    )
    worker = starter(organisation, START, employment_type="inhuur")
    declaration = Duty.objects.get(employee=worker, kind=DutyKind.DECLARATION)
    client = client_for(role, organisation)
    signed = client.get(reverse("obligations:signed_form", args=[oath.pk]))
    assert signed.status_code == (200 if role == Role.HRM else 403)
    acknowledge = reverse("obligations:declaration_acknowledge", args=[declaration.pk])
    assert client.get(acknowledge).status_code == 404
    assert client.post(acknowledge, {"version": 1, "confirm": "on"}).status_code == 404
    declaration.refresh_from_db()
    assert declaration.status == DutyStatus.OPEN


def test_employee_and_manager_see_the_duty_but_do_not_record(organisation):
    manager = EmployeeFactory(organisation=organisation)
    employee = starter(organisation, START, manager=manager)
    duty = oath_of(employee)
    for person in (employee, manager):
        client = login_with_second_factor(Client(), person.user)
        detail = client.get(reverse("obligations:duty_detail", args=[duty.pk]))
        assert detail.status_code == 200
        assert reverse("obligations:duty_record", args=[duty.pk]) not in detail.content.decode()
        assert client.get(reverse("obligations:duty_record", args=[duty.pk])).status_code == 403
    manager_client = login_with_second_factor(Client(), manager.user)
    team = manager_client.get(reverse("obligations:team"), {"status": "open"})
    assert team.status_code == 200
    assert employee.personnel_number in team.content.decode()
    assert manager_client.get(reverse("obligations:duty_list")).status_code == 403


def test_dossier_section_on_mijn_integriteit_shows_training_deadline(organisation):
    employee = starter(organisation, datetime.date(2026, 11, 30))
    client = login_with_second_factor(Client(), employee.user)
    page = client.get(reverse("home")).content.decode()
    assert "Uw verplichtingen" in page
    assert "Training informatiebeveiliging" in page
    assert "28 februari 2027" in page
    # The section is placed as markup, not shown as escaped text.
    assert '<time datetime="2027-02-28">' in page
    assert "&lt;table" not in page and "&lt;time" not in page


def test_hrm_overdue_list_filters_and_exports(client_for, organisation, other_organisation):
    late = starter(organisation, datetime.date(2026, 9, 1), last_name="Laat")
    starter(other_organisation, datetime.date(2026, 9, 1), last_name="Elders")
    client = client_for(Role.HRM, organisation)
    page = client.get(reverse("obligations:duty_list"), {"status": "overdue"}).content.decode()
    assert late.personnel_number in page
    assert "Elders" not in page
    csv = client.get(reverse("obligations:duty_list"), {"status": "overdue", "export": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    rows = csv.content.decode().splitlines()
    assert rows[0].startswith("Personeelsnummer")
    assert all(late.personnel_number in row for row in rows[1:]) and len(rows) > 1
    xlsx = client.get(reverse("obligations:duty_list"), {"export": "xlsx"})
    data = tablib.Dataset().load(xlsx.content, format="xlsx")
    assert len(data) == Duty.objects.filter(organisation=organisation).count()


def test_hrm_list_query_count_is_constant(client_for, organisation, django_assert_max_num_queries):
    client = client_for(Role.HRM, organisation)
    client.get(reverse("obligations:duty_list"))
    for _ in range(3):
        starter(organisation, START)
    with django_assert_max_num_queries(12):
        small = client.get(reverse("obligations:duty_list"))
    for _ in range(12):
        starter(organisation, START)
    with django_assert_max_num_queries(12):
        large = client.get(reverse("obligations:duty_list"))
    assert small.status_code == large.status_code == 200


def test_hrm_records_oath_with_pdf_and_download(client_for, organisation):
    employee = starter(organisation, START)
    duty = oath_of(employee)
    client = client_for(Role.HRM, organisation)
    printed = client.get(reverse("obligations:oath_form", args=[duty.pk]))
    assert printed["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=printed.content, capture_output=True, check=True
    ).stdout.decode()
    assert employee.personnel_number in text
    response = client.post(
        reverse("obligations:duty_record", args=[duty.pk]),
        {
            "taken_on": "2026-11-03",
            "oath_form": "eed",
            "administered_by": "M. Wethouder",
            "signed_form": SimpleUploadedFile("getekend.pdf", printed.content),
        },
    )
    assert response.status_code == 302
    duty.refresh_from_db()
    assert duty.status == DutyStatus.DONE
    download = client.get(reverse("obligations:signed_form", args=[duty.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_non_pdf_on_the_page_keeps_what_was_typed(client_for, organisation):
    duty = oath_of(starter(organisation, START))
    client = client_for(Role.HRM, organisation)
    response = client.post(
        reverse("obligations:duty_record", args=[duty.pk]),
        {
            "taken_on": "2026-11-03",
            "oath_form": "belofte",
            "administered_by": "M. Wethouder",
            "signed_form": SimpleUploadedFile("scan.txt", b"gewoon tekst"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "M. Wethouder" in page
    assert "scan.txt" in page
    duty.refresh_from_db()
    assert duty.status == DutyStatus.OPEN
    assert not SignedForm.objects.exists()


def test_vog_too_old_on_the_page(client_for, organisation):
    employee = starter(organisation, START, function=vulnerable_function(organisation))
    vog = Duty.objects.get(employee=employee, kind=DutyKind.VOG)
    client = client_for(Role.HRM, organisation)
    response = client.post(
        reverse("obligations:duty_record", args=[vog.pk]), {"issued_on": "2026-01-05"}
    )
    assert response.status_code == 400
    assert "meer dan 3 maanden" in response.content.decode()


def test_create_by_hand_refuses_due_before_start(client_for, organisation):
    employee = starter(organisation, START)
    client = client_for(Role.HRM, organisation)
    Duty.objects.filter(employee=employee, kind=DutyKind.HANDBOOK).delete()
    response = client.post(
        reverse("obligations:duty_create"),
        {
            "personnel_number": employee.personnel_number,
            "kind": "handbook",
            "due_date": "2026-10-01",
        },
    )
    assert response.status_code == 400
    assert "vóór de datum in dienst" in response.content.decode()
    assert not Duty.objects.filter(employee=employee, kind=DutyKind.HANDBOOK).exists()
    ok = client.post(
        reverse("obligations:duty_create"),
        {
            "personnel_number": employee.personnel_number,
            "kind": "handbook",
            "due_date": "2026-12-20",
        },
    )
    assert ok.status_code == 302


def test_create_for_other_organisations_employee_is_not_found(
    client_for, organisation, other_organisation
):
    foreign = starter(other_organisation, START)
    client = client_for(Role.HRM, organisation)
    response = client.post(
        reverse("obligations:duty_create"),
        {
            "personnel_number": foreign.personnel_number,
            "kind": "handbook",
            "due_date": "2026-12-20",
        },
    )
    assert response.status_code == 400
    assert "geen medewerker met dit personeelsnummer" in response.content.decode()


def test_work_lists(client_for, organisation):
    starter(organisation, datetime.date(2026, 9, 1))
    client = client_for(Role.HRM, organisation)
    page = client.get(reverse("home")).content.decode()
    assert "Verplichtingen van medewerkers" in page
    assert "status=overdue" in page


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "employee")
def test_settings_pages_per_role(client_for, organisation, other_organisation, role):
    client = client_for(role, organisation)
    own = reverse("obligations:settings_edit", args=[organisation.slug])
    foreign = reverse("obligations:settings_edit", args=[other_organisation.slug])
    statuses = (
        client.get(reverse("obligations:settings_list")).status_code,
        client.get(own).status_code,
        client.get(foreign).status_code,
    )
    assert statuses == ((200, 200, 404) if role == Role.HRM else (403, 403, 403))


def test_settings_change_the_rules_and_bad_input_keeps_the_form(client_for, organisation):
    client = client_for(Role.HRM, organisation)
    url = reverse("obligations:settings_edit", args=[organisation.slug])
    data = {
        "vog_validity_months": "6",
        "vog_rescreen_years": "5",
        "training_window_months": "0",
        "onboarding_days": "30",
        "oath_text_eed": "Eed.",
        "oath_text_belofte": "Belofte.",
        "declaration_text": "Verklaring.",
        "rule_oath": ["in_dienst"],
        "rule_security_training": ["in_dienst", "inhuur"],
    }
    bad = client.post(url, data)
    assert bad.status_code == 400
    assert "Eed." in bad.content.decode()
    assert not ObligationSettings.objects.filter(organisation=organisation).exists()
    data["training_window_months"] = "2"
    assert client.post(url, data).status_code == 302
    rules = ObligationSettings.objects.get(organisation=organisation)
    assert rules.vog_validity_months == 6
    assert (rules.declaration_text, rules.declaration_version) == ("Verklaring.", 2)
    assert rules.rules["security_training"] == ["in_dienst", "inhuur"]
    assert rules.rules["handbook"] == []
    employee = starter(organisation, START, employment_type="inhuur")
    assert set(Duty.objects.filter(employee=employee).values_list("kind", flat=True)) == {
        DutyKind.SECURITY_TRAINING
    }


def test_signed_form_of_other_organisation_is_not_found(
    client_for, organisation, other_organisation
):
    foreign = oath_of(starter(other_organisation, START))
    client = client_for(Role.HRM, organisation)
    assert client.get(reverse("obligations:signed_form", args=[foreign.pk])).status_code == 404


def test_manager_work_list_counts_the_teams_overdue_duties(organisation):
    manager = EmployeeFactory(organisation=organisation)
    starter(organisation, datetime.date(2026, 9, 1), manager=manager)
    starter(organisation, datetime.date(2026, 9, 1))  # not in the team
    client = login_with_second_factor(Client(), manager.user)
    page = client.get(reverse("home")).content.decode()
    assert "Verplichtingen van uw team" in page
    assert reverse("obligations:team") + "?status=overdue" in page
    team = client.get(reverse("obligations:team"), {"status": "overdue"}).content.decode()
    # oath, code of conduct, handbook and the training (due 1 December)
    assert team.count("Te laat</span>") == 4


def test_dossier_queries_do_not_grow_with_duties(organisation, django_assert_max_num_queries):
    employee = starter(organisation, START)
    client = login_with_second_factor(Client(), employee.user)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    from integritas.obligations import services

    for year in range(2027, 2037):
        services.yearly_duties_plan(today=datetime.date(year, 1, 2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("home"))
    assert page.content.decode().count("Integriteit besproken in de HRM-cyclus") == 11
