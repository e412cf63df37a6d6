"""Appointments of internal counsellors (HRM) and the central counsellor's trainings and
intervisie with attendance (seed 4), the counsellor's work list, and every page per role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.counsel import services
from integritas.counsel.constants import SessionKind
from integritas.counsel.models import CounsellorAppointment, CounsellorSession
from integritas.counsel.selectors import training_facts
from integritas.portal.navigation import navigation_for
from tests.conftest import login_with_second_factor
from tests.factories import ALL_ASSIGNABLE_ROLES, EmployeeFactory

from .factories import make_entry

ROLES = [None, *ALL_ASSIGNABLE_ROLES]


@pytest.fixture
def session(organisation):
    return CounsellorSession.objects.create(
        region=organisation.region,
        kind=SessionKind.INTERVISION,
        title="Intervisie voorjaar",
        held_on=timezone.localdate() + datetime.timedelta(days=14),
    )


@pytest.fixture
def appointment(organisation):
    return CounsellorAppointment.objects.create(
        organisation=organisation,
        employee=EmployeeFactory(organisation=organisation),
        appointed_on=datetime.date(2025, 1, 1),
    )


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "employee")
def test_every_page_per_role(client_for, organisation, session, appointment, role):
    client = client_for(role, organisation)
    sees_sessions = role in (Role.CONFIDENTIAL_COUNSELLOR, Role.CENTRAL_COUNSELLOR)
    central = role == Role.CENTRAL_COUNSELLOR
    hrm = role == Role.HRM
    pages = {
        reverse("counsel_training:session_list"): 200 if sees_sessions else 403,
        reverse("counsel_training:session_create"): 200 if central else 403,
        reverse("counsel_training:session_edit", args=[session.pk]): 200 if central else 403,
        reverse("counsel_training:appointment_list"): 200 if hrm else 403,
        reverse("counsel_training:appointment_create", args=[organisation.slug]): (
            200 if hrm else 403
        ),
        reverse("counsel_training:appointment_edit", args=[appointment.pk]): 200 if hrm else 403,
        reverse("counsel_log:figures"): 200 if central else 403,
    }
    for url, expected in pages.items():
        assert client.get(url).status_code == expected, (url, role)


def test_hrm_of_another_organisation_finds_nothing(client_for, other_organisation, appointment):
    client = client_for(Role.HRM, other_organisation)
    url = reverse("counsel_training:appointment_edit", args=[appointment.pk])
    assert client.get(url).status_code == 404
    create = reverse("counsel_training:appointment_create", args=[appointment.organisation.slug])
    assert client.get(create).status_code == 404


def test_hrm_records_an_appointment(client_for, organisation):
    client = client_for(Role.HRM, organisation)
    employee = EmployeeFactory(organisation=organisation, personnel_number="777")
    url = reverse("counsel_training:appointment_create", args=[organisation.slug])
    bad = client.post(url, {"personnel_number": "999", "appointed_on": "2026-01-05"})
    assert "Er is geen medewerker met dit personeelsnummer in deze organisatie." in bad.text
    wrong = client.post(
        url,
        {"personnel_number": "777", "appointed_on": "2026-01-05", "ended_on": "2025-01-01"},
    )
    assert "De benoeming kan niet eindigen vóór de benoeming." in wrong.text
    assert not CounsellorAppointment.objects.exists()
    ok = client.post(
        url, {"personnel_number": "777", "appointed_on": "2026-01-05", "trained_on": "2026-02-01"}
    )
    assert ok.status_code == 302
    appointment = CounsellorAppointment.objects.get()
    assert appointment.employee == employee
    assert appointment.trained_on == datetime.date(2026, 2, 1)


def test_the_central_counsellor_keeps_sessions_and_attendance(
    client, make_user, organisation, other_organisation
):
    central = make_user(Role.CENTRAL_COUNSELLOR, organisation)
    login_with_second_factor(client, central)
    counsellor = make_user(Role.CONFIDENTIAL_COUNSELLOR, other_organisation)
    CounsellorAppointment.objects.create(
        organisation=other_organisation,
        employee=counsellor.employee,
        appointed_on=datetime.date(2026, 1, 1),
    )
    response = client.post(
        reverse("counsel_training:session_create"),
        {"kind": "training", "title": "Basistraining", "held_on": "2026-03-02"},
    )
    assert response.status_code == 302
    session = CounsellorSession.objects.get()
    edit = reverse("counsel_training:session_edit", args=[session.pk])
    assert counsellor.full_name in client.get(edit).text
    response = client.post(edit, {"form": "attendance", "attendees": [str(counsellor.pk)]})
    assert response.status_code == 302
    assert list(session.attendees.all()) == [counsellor]
    # Attending a training marks the appointed counsellor as trained.
    assert CounsellorAppointment.objects.get().trained_on == datetime.date(2026, 3, 2)
    facts = training_facts(organisation_ids=[other_organisation.pk], year=2026)
    assert (facts.appointed, facts.trained, facts.sessions, facts.attendances) == (1, 1, 1, 1)
    # Someone who is no counsellor of the region cannot be marked present.
    stranger = make_user(None, organisation)
    response = client.post(edit, {"form": "attendance", "attendees": [str(stranger.pk)]})
    assert response.status_code == 200
    assert list(session.attendees.all()) == [counsellor]


def test_a_session_of_another_region_is_out_of_reach(make_user, organisation):
    from tests.factories import OrganisationFactory, RegionFactory

    elsewhere = OrganisationFactory(region=RegionFactory(slug="elders", name="Elders"))
    central = make_user(Role.CENTRAL_COUNSELLOR, organisation)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.session_save(
            actor=central,
            region=elsewhere.region,
            data={"kind": "training", "title": "x", "held_on": datetime.date(2026, 1, 1)},
        )


def test_the_counsellors_work_list_counts(client, make_user, organisation, session):
    counsellor = make_user(Role.CONFIDENTIAL_COUNSELLOR, organisation)
    make_entry(counsellor, organisation, consulted_on=timezone.localdate())
    login_with_second_factor(client, counsellor)
    text = client.get(reverse("home")).text
    assert "Gesprekken vastgelegd dit kwartaal" in text
    assert "Komende trainingen en intervisie" in text
    labels = [str(entry.label) for entry in navigation_for(counsellor)]
    assert "Mijn logboek" in labels
    assert "Cijfers vertrouwenspersonen" not in labels


def test_navigation_is_guarded(make_user, organisation):
    central = make_user(Role.CENTRAL_COUNSELLOR, organisation)
    labels = [str(entry.label) for entry in navigation_for(central)]
    assert "Cijfers vertrouwenspersonen" in labels
    assert "Mijn logboek" not in labels
    admin = make_user(Role.ADMINISTRATOR, organisation)
    labels = [str(entry.label) for entry in navigation_for(admin)]
    assert "Mijn logboek" not in labels
    assert "Cijfers vertrouwenspersonen" not in labels
