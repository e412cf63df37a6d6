"""Involved persons (issue 10, point 7): the coordinator finds the employee by name or
personnel number within the case's organisation, links them once, can undo a wrong link
(audited, and the person sees again what their roles allow), sees who is linked on the
case page, and no picker offers someone the case names as involved.
"""

import re

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.cases import selectors, services
from integritas.cases.access import user_person_index
from integritas.cases.constants import SubstituteRole
from integritas.cases.handling import selectors as handling_selectors
from integritas.cases.models import CaseHandler, InvolvedPerson
from integritas.cases.writes import create_involved
from tests.conftest import login_with_second_factor
from tests.factories import (
    EmployeeFactory,
    FunctionFactory,
    OrganisationFactory,
    OrgUnitFactory,
    RegionFactory,
)

from .factories import submit_case, substitute_designate

pytestmark = pytest.mark.django_db

SECRET = "Omschrijving-betrokkenheid-5c1e"


@pytest.fixture
def coordinator(make_user, organisation):
    return make_user(Role.INTEGRITY_COORDINATOR, organisation)


@pytest.fixture
def coordinator_client(coordinator):
    return login_with_second_factor(Client(), coordinator)


def _case(organisation, **kw):
    kw.setdefault("cheap_receipt", True)
    return submit_case(organisation, **kw).case


def _url(name, case):
    return reverse(f"cases:{name}", args=[case.case_number])


def _search(client, case, query):
    return client.get(_url("involved", case), {"involved_search-query": query})


def _link(client, case, employee, description=SECRET, query=""):
    return client.post(
        _url("involved", case),
        {
            "involved-query": query,
            "involved-employee": employee.pk,
            "involved-description": description,
        },
    )


def _unlink(client, case, person_pk):
    return client.post(_url("unlink_involved", case), {"unlink-person": person_pk})


def _offered(html: str, name: str) -> set[str]:
    """The values offered by the radio buttons or options of the field `name`."""
    radios = re.findall(rf'name="{re.escape(name)}"[^>]*value="([^"]+)"', html)
    radios += re.findall(rf'value="([^"]+)"[^>]*name="{re.escape(name)}"', html)
    select = re.search(rf'<select[^>]*name="{re.escape(name)}".*?</select>', html, re.S)
    options = re.findall(r'<option value="([^"]+)"', select.group(0)) if select else []
    return set(radios) | set(options)


def _sees(user, case) -> bool:
    return selectors.cases_visible_to(user).filter(pk=case.pk).exists()


# --- search ---------------------------------------------------------------------------


def test_search_by_name_or_number_finds_only_employees_of_the_cases_organisation(
    coordinator_client, organisation, other_organisation
):
    ours = EmployeeFactory(organisation=organisation, first_name="Jan", last_name="Bakkerman")
    theirs = EmployeeFactory(
        organisation=other_organisation,
        first_name="Jan",
        last_name="Bakkerman",
        personnel_number=ours.personnel_number,  # the same number, another organisation
        user__email="elders@example.nl",
    )
    case = _case(organisation)

    by_name = _search(coordinator_client, case, "bakker")
    assert by_name.status_code == 200
    assert _offered(by_name.content.decode(), "involved-employee") == {str(ours.pk)}
    assert "Jan Bakkerman" in by_name.content.decode()

    by_number = _search(coordinator_client, case, ours.personnel_number)
    assert _offered(by_number.content.decode(), "involved-employee") == {str(ours.pk)}

    # Choosing the other organisation's employee anyway is refused, in Dutch.
    response = _link(coordinator_client, case, theirs)
    assert response.status_code == 200
    assert "Kies een medewerker van de organisatie van deze melding" in response.content.decode()
    assert not InvolvedPerson.objects.filter(case=case).exists()


def test_search_without_hits_says_so_and_offers_nothing(coordinator_client, organisation):
    case = _case(organisation)
    response = _search(coordinator_client, case, "Niemandsland")
    html = response.content.decode()
    assert "Geen medewerker van Gemeente Leiderdorp gevonden" in html
    assert _offered(html, "involved-employee") == set()


def test_search_offers_at_most_twenty(coordinator_client, organisation):
    for _ in range(23):
        EmployeeFactory(organisation=organisation, last_name="Veelvoorkomend")
    case = _case(organisation)
    html = _search(coordinator_client, case, "veelvoorkomend").content.decode()
    assert len(_offered(html, "involved-employee")) == 20
    assert "Meer dan 20 medewerkers gevonden" in html


def test_a_link_with_an_error_keeps_what_was_typed(coordinator_client, organisation):
    EmployeeFactory(organisation=organisation, last_name="Terpstra")
    case = _case(organisation)
    response = coordinator_client.post(
        _url("involved", case),
        {"involved-query": "terpstra", "involved-description": "Wat ik typte"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kies de betrokken medewerker uit de zoekresultaten." in html
    assert "Wat ik typte" in html
    assert "Terpstra" in html  # the same hits are offered again


# --- one link per person --------------------------------------------------------------


def test_linking_twice_gives_a_dutch_error_and_one_row(coordinator_client, organisation):
    employee = EmployeeFactory(organisation=organisation, last_name="Dubbelman")
    case = _case(organisation)
    assert _link(coordinator_client, case, employee).status_code == 302
    again = _link(coordinator_client, case, employee, description="nogmaals")
    assert again.status_code == 200
    html = again.content.decode()
    assert "Deze medewerker is al als betrokkene aan deze melding gekoppeld." in html
    assert "nogmaals" in html  # what was typed is kept
    assert InvolvedPerson.objects.filter(case=case).count() == 1
    # The search marks the person as linked already.
    assert "al gekoppeld" in _search(coordinator_client, case, employee.last_name).content.decode()


def test_the_database_refuses_a_second_link_of_the_same_person(organisation):
    employee = EmployeeFactory(organisation=organisation)
    case = _case(organisation)
    create_involved(case, employee, "eerste")
    with pytest.raises(IntegrityError), transaction.atomic():
        create_involved(case, employee, "tweede")
    # Described persons without a link (the reporter's words) are not limited.
    _case_with_two = _case(organisation, involved=["A", "B"])
    assert InvolvedPerson.objects.filter(case=_case_with_two, blind_index="").count() == 2


# --- the undo -------------------------------------------------------------------------


@pytest.mark.requirement("R-BIO-1")
def test_undo_removes_the_link_is_audited_and_the_coordinator_sees_the_case_again(
    coordinator_client, coordinator, make_user, organisation
):
    colleague = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    case = _case(organisation)
    assert _link(coordinator_client, case, colleague.employee).status_code == 302
    assert not _sees(colleague, case)
    colleague_client = login_with_second_factor(Client(), colleague)
    assert colleague_client.get(_url("case_detail", case)).status_code == 404

    person = InvolvedPerson.objects.get(case=case)
    response = _unlink(coordinator_client, case, person.pk)
    assert response.status_code == 302
    assert not InvolvedPerson.objects.filter(case=case).exists()
    assert _sees(colleague, case)
    assert colleague_client.get(_url("case_detail", case)).status_code == 200

    event = AuditEvent.objects.get(action="case.involved_unlinked")
    assert event.actor_id == coordinator.pk and event.object_id == str(case.pk)
    # Content-free: nothing of who it was or what was written.
    stored = " ".join(str(getattr(event, f.attname)) for f in AuditEvent._meta.concrete_fields)
    for secret in (SECRET, colleague.employee.personnel_number, colleague.employee.last_name):
        assert secret not in stored


def test_undo_gives_the_investigator_their_case_back(
    coordinator_client, coordinator, make_user, organisation
):
    investigator = make_user(Role.INVESTIGATOR, organisation)
    case = _case(organisation)
    services.case_assign_investigator(actor=coordinator, case=case, user=investigator)
    assert _link(coordinator_client, case, investigator.employee).status_code == 302
    assert not _sees(investigator, case)
    person = InvolvedPerson.objects.get(case=case)
    assert _unlink(coordinator_client, case, person.pk).status_code == 302
    assert _sees(investigator, case)
    assert CaseHandler.objects.filter(
        case=case, user=investigator, role=Role.INVESTIGATOR, active=True
    ).exists()


def test_undo_ends_what_the_substitute_took_over(make_user, organisation):
    admins = (make_user(Role.ADMINISTRATOR), make_user(Role.ADMINISTRATOR))
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    secretary = make_user(Role.SECRETARY, organisation)
    loco = make_user(None, organisation)
    substitute_designate(admins, organisation, SubstituteRole.SECRETARY, loco)
    case = _case(organisation)
    services.case_link_involved(
        actor=coordinator, case=case, employee=secretary.employee, description="x"
    )
    assert CaseHandler.objects.filter(case=case, user=loco, active=True).exists()
    person = InvolvedPerson.objects.get(case=case)
    services.case_unlink_involved(actor=coordinator, case=case, person=person)
    assert not CaseHandler.objects.filter(case=case, user=loco, active=True).exists()


def test_a_substitute_stays_while_another_named_person_holds_the_role(make_user, organisation):
    admins = (make_user(Role.ADMINISTRATOR), make_user(Role.ADMINISTRATOR))
    loco = make_user(None, organisation)
    substitute_designate(admins, organisation, SubstituteRole.INTEGRITY_COORDINATOR, loco)
    first = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    second = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    # The reporter says the report concerns "the coordinator": both are named.
    case = _case(organisation, concerns_role=SubstituteRole.INTEGRITY_COORDINATOR)
    assert InvolvedPerson.objects.filter(case=case).exclude(blind_index="").count() == 2
    row_of_first = InvolvedPerson.objects.get(case=case, blind_index=user_person_index(first))
    services.case_unlink_involved(actor=loco, case=case, person=row_of_first)
    assert _sees(first, case) and not _sees(second, case)
    assert CaseHandler.objects.filter(case=case, user=loco, active=True).exists()


def test_only_a_linked_employee_can_be_unlinked(coordinator_client, organisation):
    case = _case(organisation, involved=["Door de melder beschreven"])
    described = InvolvedPerson.objects.get(case=case)
    response = _unlink(coordinator_client, case, described.pk)
    assert response.status_code == 200
    assert "Deze koppeling bestaat niet meer." in response.content.decode()
    assert InvolvedPerson.objects.filter(pk=described.pk).exists()
    assert not AuditEvent.objects.filter(action="case.involved_unlinked").exists()


# --- the case page names the person ---------------------------------------------------


def test_the_handlers_page_names_the_linked_person(
    coordinator_client, coordinator, make_user, organisation
):
    employee = EmployeeFactory(
        organisation=organisation,
        first_name="Petra",
        last_name="Zonneveld",
        function=FunctionFactory(organisation=organisation, name="Vergunningverlener"),
        org_unit=OrgUnitFactory(organisation=organisation, name="Afdeling Vergunningen"),
    )
    case = _case(organisation, involved=["Iemand van de balie"])
    assert _link(coordinator_client, case, employee).status_code == 302
    investigator = make_user(Role.INVESTIGATOR, organisation)
    services.case_assign_investigator(actor=coordinator, case=case, user=investigator)
    for client in (coordinator_client, login_with_second_factor(Client(), investigator)):
        html = client.get(_url("case_detail", case)).content.decode()
        assert "Petra Zonneveld" in html
        assert "Vergunningverlener, Afdeling Vergunningen" in html
        assert SECRET in html and "Iemand van de balie" in html
    # Who it is is stored only sealed: the row holds no name or number in clear.
    row = InvolvedPerson.objects.exclude(blind_index="").get(case=case)
    assert b"Zonneveld" not in bytes(row.link_enc)
    assert employee.personnel_number not in row.blind_index


# --- no picker offers an involved person ----------------------------------------------


@pytest.mark.requirement("R-WBK-7")
def test_the_investigator_picker_never_offers_an_involved_person(
    coordinator_client, coordinator, make_user, organisation
):
    named = make_user(Role.INVESTIGATOR, organisation)
    free = make_user(Role.INVESTIGATOR, organisation)
    case = _case(organisation)
    assert _link(coordinator_client, case, named.employee).status_code == 302
    html = coordinator_client.get(_url("assign", case)).content.decode()
    offered = _offered(html, "assign-investigator")
    assert str(free.pk) in offered and str(named.pk) not in offered
    assert list(handling_selectors.investigators_for_case(case)) == [free]
    # Posted all the same: refused, and not assigned.
    response = coordinator_client.post(_url("assign", case), {"assign-investigator": named.pk})
    assert response.status_code == 200
    assert not CaseHandler.objects.filter(case=case, user=named).exists()


def test_the_substitute_picker_never_offers_an_involved_person(
    coordinator, make_user, organisation
):
    admin = make_user(Role.ADMINISTRATOR, organisation)
    named = make_user(None, organisation)
    free = make_user(None, organisation)
    case = _case(organisation)
    services.case_link_involved(
        actor=coordinator, case=case, employee=named.employee, description="x"
    )
    client = login_with_second_factor(Client(), admin)
    html = client.get(reverse("substitutes:create")).content.decode()
    offered = _offered(html, "user")
    assert str(free.pk) in offered and str(named.pk) not in offered
    response = client.post(
        reverse("substitutes:create"),
        {
            "organisation": organisation.pk,
            "replaces_role": SubstituteRole.SECRETARY,
            "user": named.pk,
        },
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()


# --- who may search and link ----------------------------------------------------------


@pytest.mark.requirement("R-DP-3")
def test_others_cannot_search_or_link(make_user, organisation, other_organisation):
    employee = EmployeeFactory(organisation=organisation)
    case = _case(organisation)
    elsewhere = OrganisationFactory(slug="elders", region=RegionFactory(slug="elders"))
    foreign_coordinator = make_user(Role.INTEGRITY_COORDINATOR, elsewhere)
    other_secretary = make_user(Role.SECRETARY, other_organisation)
    employee_client = make_user(None, organisation)
    for user in (foreign_coordinator, other_secretary, employee_client):
        client = login_with_second_factor(Client(), user)
        assert _search(client, case, employee.last_name).status_code == 404
        assert _link(client, case, employee).status_code == 404
    # An assigned investigator sees the case but may not link or undo.
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    investigator = make_user(Role.INVESTIGATOR, organisation)
    services.case_assign_investigator(actor=coordinator, case=case, user=investigator)
    client = login_with_second_factor(Client(), investigator)
    assert _search(client, case, employee.last_name).status_code == 403
    assert _link(client, case, employee).status_code == 403
    linked = services.case_link_involved(
        actor=coordinator, case=case, employee=employee, description="x"
    )
    assert _unlink(client, case, linked.pk).status_code == 403
    assert InvolvedPerson.objects.filter(pk=linked.pk).exists()


# --- the migration that brings the constraint -----------------------------------------


def _migration_removes_duplicates(organisation):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = ("cases", "0012_case_intake_hold")
    after = ("cases", "0013_involved_person_link_unique")
    case = _case(organisation)

    def settle() -> None:  # PostgreSQL: no ALTER TABLE with foreign key checks pending
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    settle()
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        old = executor.loader.project_state([before]).apps.get_model("cases", "InvolvedPerson")
        first = old.objects.create(case_id=case.pk, blind_index="a" * 64, description_enc=b"1")
        old.objects.create(case_id=case.pk, blind_index="a" * 64, description_enc=b"2")
        kept = old.objects.create(case_id=case.pk, blind_index="b" * 64, description_enc=b"3")
        described = [
            old.objects.create(case_id=case.pk, blind_index="", description_enc=b"4").pk,
            old.objects.create(case_id=case.pk, blind_index="", description_enc=b"5").pk,
        ]
    finally:
        settle()
        executor = MigrationExecutor(connection)
        executor.migrate([after])
    remaining = set(InvolvedPerson.objects.filter(case=case).values_list("pk", flat=True))
    assert remaining == {first.pk, kept.pk, *described}


# SQLite cannot change its schema inside the test's transaction; PostgreSQL can, and
# there the test stays in it (a transactional test would flush the append-only audit log).
_ON_SQLITE = "sqlite" in settings.DATABASES["default"]["ENGINE"]


@pytest.mark.skipif(not _ON_SQLITE, reason="SQLite: outside a transaction")
def test_the_migration_keeps_the_first_of_each_duplicate_link_sqlite(
    transactional_db, organisation
):
    _migration_removes_duplicates(organisation)


@pytest.mark.skipif(_ON_SQLITE, reason="PostgreSQL: inside the test's transaction")
def test_the_migration_keeps_the_first_of_each_duplicate_link(organisation):
    _migration_removes_duplicates(organisation)
