"""The work lists on the home page: per role what waits, how many, since when, and where.

Counts only, never content; need to know kept (a person named as involved never counts
the case, a role never reaches past its organisations); every link lists exactly what
was counted; counts stop at WORK_COUNT_CAP ("meer dan 99"); the number of queries of
every role's home page is the same with no reports and with many.
"""

import copy
import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import RoleAssignment
from integritas.cases import services
from integritas.cases.clock.deadlines import add_months
from integritas.cases.constants import SubstituteRole
from integritas.cases.models import Case
from integritas.core.contributions import WORK_COUNT_CAP, work_lists_for
from tests.cases.factories import complete_investigation, submit_case, substitute_designate
from tests.conftest import login_with_second_factor
from tests.factories import (
    EmployeeFactory,
    FunctionFactory,
    OrganisationFactory,
    OrgUnitFactory,
    RegionFactory,
)

SECRET = "Geheime-inhoud-werklijst"


def _case(organisation, **kw):
    kw.setdefault("description", f"{SECRET} beschrijving")
    kw.setdefault("cheap_receipt", True)
    return submit_case(organisation, **kw).case


def _received(case, days_ago):
    """Move a case's receipt back in time (the legal clock runs from it)."""
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    Case.objects.filter(pk=case.pk).update(received_at=moment)
    return moment


def _rows(user, title):
    """{label: (count, oldest, url, urgent)} of the list called `title`."""
    for work_list in work_lists_for(user):
        if str(work_list.title) == title:
            return {
                str(row.label): (row.count, row.oldest, row.url, row.urgent)
                for row in work_list.rows
            }
    raise AssertionError(f"no list {title!r}")


def _titles(user):
    return [str(work_list.title) for work_list in work_lists_for(user)]


def _home(user):
    client = login_with_second_factor(Client(), user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return client, response.content.decode()


def _links_answer(user):
    """Every link of every list of `user` answers 200 for them; a link to the inbox
    lists exactly as many cases as the row counted."""
    client, _html = _home(user)
    for work_list in work_lists_for(user):
        for row in work_list.rows:
            if not row.count:
                continue
            response = client.get(row.url)
            assert response.status_code == 200, row.url
            if row.url.startswith(reverse("cases:inbox") + "?"):
                assert len(response.context["rows"]) == row.count, (str(row.label), row.url)
        for link in work_list.links:
            assert client.get(link.url).status_code == 200, link.url


def _listed(user, url):
    """The case numbers the inbox lists for `user` behind `url`."""
    client = login_with_second_factor(Client(), user)
    response = client.get(url)
    assert response.status_code == 200
    return {row.number for row in response.context["rows"]}


@pytest.fixture
def coordinator(make_user, organisation):
    return make_user(Role.INTEGRITY_COORDINATOR, organisation)


@pytest.fixture
def secretary(make_user, organisation):
    return make_user(Role.SECRETARY, organisation)


@pytest.fixture
def elsewhere(db):
    """An organisation of another region: no regional role here reaches it."""
    return OrganisationFactory(
        slug="elders", name="Gemeente Elders", case_prefix="ELD", region=RegionFactory(slug="x")
    )


COORDINATOR = "Meldpunt: te doen"
ACKNOWLEDGE = "Ontvangst te bevestigen"
ACK_LATE = "Ontvangstbevestiging te laat (7 dagen verstreken)"
FEEDBACK_WEEK = "Terugkoppeling binnen 7 dagen"
FEEDBACK_LATE = "Terugkoppeling te laat (3 maanden verstreken)"
REPLIES = "Reactie van een melder wacht op antwoord"


# --- the coordinator --------------------------------------------------------------------


@pytest.mark.requirement("R-WBK-3")
def test_coordinator_counts_reports_to_acknowledge_and_late_ones(coordinator, organisation):
    _received(_case(organisation), days_ago=2)
    oldest = _received(_case(organisation), days_ago=9)
    _received(_case(organisation), days_ago=8)
    acknowledged = _case(organisation)
    services.case_transition(actor=coordinator, case=acknowledged, name="acknowledge")
    rows = _rows(coordinator, COORDINATOR)
    assert rows[ACKNOWLEDGE][:3] == (3, timezone.localdate(oldest), _inbox("status=received"))
    # R-WBK-3: 7 days after the day of receipt the acknowledgement is late.
    assert rows[ACK_LATE][:2] == (2, timezone.localdate(oldest))
    assert rows[ACK_LATE][3] is True
    assert rows[ACK_LATE][2] == _inbox("status=received&deadline=ack_overdue")
    _links_answer(coordinator)


@pytest.mark.requirement("R-WBK-3")
def test_a_report_is_late_only_after_its_seventh_day(coordinator, organisation):
    _received(_case(organisation), days_ago=7)
    rows = _rows(coordinator, COORDINATOR)
    assert rows[ACKNOWLEDGE][0] == 1
    assert rows[ACK_LATE][0] == 0


def _acknowledged_on(coordinator, organisation, day):
    case = _case(organisation)
    services.case_transition(actor=coordinator, case=case, name="acknowledge")
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Case.objects.filter(pk=case.pk).update(received_at=moment, acknowledged_at=moment)
    return case


def _months_back(months, days=0):
    return add_months(timezone.localdate(), -months) + datetime.timedelta(days=days)


@pytest.mark.requirement("R-WBK-4")
def test_coordinator_counts_feedback_due_within_7_days_and_overdue(coordinator, organisation):
    soon = _acknowledged_on(coordinator, organisation, _months_back(3, days=5))  # in 5 days
    _acknowledged_on(coordinator, organisation, _months_back(3, days=10))  # in 10: not yet
    late = _acknowledged_on(coordinator, organisation, _months_back(3, days=-1))  # yesterday
    today = _acknowledged_on(coordinator, organisation, _months_back(3))  # today: not late
    rows = _rows(coordinator, COORDINATOR)
    assert rows[FEEDBACK_WEEK][:3] == (
        2,
        _months_back(3),
        _inbox("deadline=feedback_week"),
    )
    assert rows[FEEDBACK_LATE][:2] == (1, _months_back(3, days=-1))
    # Each link lists exactly the cases its row counted.
    assert _listed(coordinator, rows[FEEDBACK_WEEK][2]) == {soon.case_number, today.case_number}
    assert _listed(coordinator, rows[FEEDBACK_LATE][2]) == {late.case_number}


@pytest.mark.requirement("R-WBK-4")
def test_feedback_given_is_no_longer_counted(coordinator, organisation):
    case = _acknowledged_on(coordinator, organisation, _months_back(3, days=-1))
    assert _rows(coordinator, COORDINATOR)[FEEDBACK_LATE][0] == 1
    Case.objects.filter(pk=case.pk).update(feedback_given_at=timezone.now())
    assert _rows(coordinator, COORDINATOR)[FEEDBACK_LATE][0] == 0


def test_coordinator_counts_replies_waiting_for_an_answer(coordinator, organisation):
    answered, waiting, twice = _case(organisation), _case(organisation), _case(organisation)
    for case in (answered, waiting, twice):
        services.case_transition(actor=coordinator, case=case, name="acknowledge")
        services.case_message_to_reporter(actor=coordinator, case=case, body="Een vraag.")
        services.case_reporter_reply(case=case, body=f"{SECRET} antwoord")
    services.case_message_to_reporter(actor=coordinator, case=answered, body="Dank u.")
    services.case_reporter_reply(case=waiting, body="Nog iets.")
    services.case_reporter_reply(case=twice, body="En nog iets.")
    # The reporter of `twice` wrote twice since the last answer, days ago: one case
    # waits, since their last message; so does `waiting` (twice as well, today).
    question, first, second = twice.messages.order_by("created_at")
    days_ago = timezone.now() - datetime.timedelta(days=3)
    for minutes, message in enumerate((question, first, second)):
        twice.messages.filter(pk=message.pk).update(
            created_at=days_ago + datetime.timedelta(minutes=minutes)
        )
    count, oldest, url, _urgent = _rows(coordinator, COORDINATOR)[REPLIES]
    assert (count, oldest) == (2, timezone.localdate(days_ago + datetime.timedelta(minutes=2)))
    assert url == _inbox("waiting=reply")
    assert _listed(coordinator, url) == {waiting.case_number, twice.case_number}


def test_a_closed_case_has_no_reply_waiting(coordinator, organisation):
    case = _case(organisation)
    services.case_reporter_reply(case=case, body="Reactie.")
    assert _rows(coordinator, COORDINATOR)[REPLIES][0] == 1
    Case.objects.filter(pk=case.pk).update(status="closed", feedback_given_at=timezone.now())
    assert _rows(coordinator, COORDINATOR)[REPLIES][0] == 0


def test_coordinator_list_shows_counts_never_content_and_its_links_answer(
    coordinator, organisation
):
    case = _case(organisation)
    _client, html = _home(coordinator)
    assert COORDINATOR in html and ACKNOWLEDGE in html
    assert SECRET not in html and case.case_number not in html
    _links_answer(coordinator)


def test_coordinator_empty_state_is_honest(coordinator, organisation):
    _client, html = _home(coordinator)
    assert "Geen meldingen om te bevestigen" in html
    assert ACKNOWLEDGE not in html


def test_coordinator_never_counts_cases_outside_their_region(coordinator, organisation, elsewhere):
    _case(elsewhere)
    assert _rows(coordinator, COORDINATOR)[ACKNOWLEDGE][0] == 0
    _case(organisation)
    assert _rows(coordinator, COORDINATOR)[ACKNOWLEDGE][0] == 1


@pytest.mark.requirement("R-WBK-7")
def test_an_involved_coordinator_never_counts_the_case(
    coordinator, make_user, organisation, other_organisation
):
    """Two coordinators; the case names one of them as involved: only the other counts it,
    in every row of the list, and only the other's links list it."""
    colleague = make_user(Role.INTEGRITY_COORDINATOR, other_organisation)
    case = _case(organisation)
    _received(case, days_ago=10)
    services.case_reporter_reply(case=case, body="Reactie.")
    services.case_link_involved(
        actor=colleague, case=case, employee=coordinator.employee, description="Betrokken"
    )
    mine, theirs = _rows(coordinator, COORDINATOR), _rows(colleague, COORDINATOR)
    for label in (ACKNOWLEDGE, ACK_LATE, REPLIES):
        assert mine[label][0] == 0, label
        assert theirs[label][0] == 1, label
        assert _listed(coordinator, theirs[label][2]) == set()
        assert _listed(colleague, theirs[label][2]) == {case.case_number}


def test_counts_stop_at_the_cap_and_say_so(coordinator, organisation):
    """A count stops at WORK_COUNT_CAP: the page says "meer dan 99", never a number it
    did not count; the oldest date is still the oldest of all."""
    template = _case(organisation)
    oldest = _received(template, days_ago=30)
    template.refresh_from_db()
    clones = []
    for number in range(WORK_COUNT_CAP + 5):
        clone = copy.copy(template)
        clone.pk = None
        clone.sequence = 5000 + number
        clone.case_number = f"LDP-{template.year}-{5000 + number}"
        clone.receipt_lookup = None
        clone.received_at = timezone.now() - datetime.timedelta(hours=number)
        clones.append(clone)
    Case.objects.bulk_create(clones)
    rows = _rows(coordinator, COORDINATOR)
    assert rows[ACKNOWLEDGE][:2] == (WORK_COUNT_CAP, timezone.localdate(oldest))
    _client, html = _home(coordinator)
    assert "meer dan 99" in html


# --- the secretary ----------------------------------------------------------------------


def _to_approval(case, coordinator):
    for step in ("acknowledge", "request_approval"):
        case = services.case_transition(actor=coordinator, case=case, name=step)
    return case


def test_secretary_counts_decisions_by_kind(
    coordinator, secretary, organisation, make_user, elsewhere
):
    waiting = _to_approval(_case(organisation), coordinator)
    since = _received(waiting, days_ago=20)
    _to_approval(_case(organisation), coordinator)
    _case(organisation)  # not yet at the secretary: not counted, not visible to them
    flagged = _case(organisation)
    services.case_transition(actor=coordinator, case=flagged, name="acknowledge")
    services.case_assess(
        actor=coordinator,
        case=flagged,
        category="1",
        is_wbk_wrongdoing=False,
        is_eu_law_breach=False,
        is_possible_offence=True,
        concerns_political_office_holder=False,
    )
    rows = _rows(secretary, "Taken")
    assert rows["Besluit over een onderzoek"][:2] == (2, timezone.localdate(since))
    assert rows["Besluit over een onderzoek"][2].endswith("status=awaiting_approval")
    assert rows["Besluit na het onderzoeksrapport"][0] == 0
    # R-EXT-3: the decision on aangifte is the secretary's; the inbox lists the case.
    count, _oldest, url, urgent = rows["Besluit over aangifte (mogelijk strafbaar feit)"]
    assert (count, urgent) == (1, True)
    assert url == _inbox("waiting=aangifte")
    assert _listed(secretary, url) == {flagged.case_number}
    _links_answer(secretary)


def test_secretary_of_one_organisation_never_counts_another(
    coordinator, secretary, other_organisation
):
    _to_approval(_case(other_organisation), coordinator)
    assert _rows(secretary, "Taken")["Besluit over een onderzoek"][0] == 0


def test_secretary_after_the_report(coordinator, secretary, organisation, make_user):
    investigator = make_user(Role.INVESTIGATOR, organisation)
    case = _to_approval(_case(organisation), coordinator)
    case = services.case_transition(actor=secretary, case=case, name="approve_investigation")
    services.case_assign_investigator(actor=coordinator, case=case, user=investigator)
    complete_investigation(case, investigator)
    services.case_transition(actor=coordinator, case=case, name="report_to_secretary")
    rows = _rows(secretary, "Taken")
    assert rows["Besluit na het onderzoeksrapport"][0] == 1
    assert rows["Besluit over een onderzoek"][0] == 0


def test_secretary_empty_state(secretary):
    _client, html = _home(secretary)
    assert "Geen besluiten die op u wachten." in html


# --- the investigator -------------------------------------------------------------------

INVESTIGATING = "Onderzoek loopt"


def test_investigator_counts_their_own_cases_only(coordinator, secretary, organisation, make_user):
    investigator = make_user(Role.INVESTIGATOR, organisation)
    colleague = make_user(Role.INVESTIGATOR, organisation)
    mine = _to_approval(_case(organisation), coordinator)
    mine = services.case_transition(actor=secretary, case=mine, name="approve_investigation")
    services.case_assign_investigator(actor=coordinator, case=mine, user=investigator)
    theirs = _to_approval(_case(organisation), coordinator)
    services.case_assign_investigator(actor=coordinator, case=theirs, user=colleague)
    # The colleague's case waits for the secretary's approval: nothing to investigate yet.
    rows = _rows(investigator, "Uw onderzoeken")
    assert rows[INVESTIGATING][:3] == (
        1,
        timezone.localdate(mine.received_at),
        _inbox("status=investigation"),
    )
    assert _rows(colleague, "Uw onderzoeken")[INVESTIGATING][0] == 0
    assert _listed(investigator, rows[INVESTIGATING][2]) == {mine.case_number}
    assert _listed(colleague, rows[INVESTIGATING][2]) == set()
    _links_answer(investigator)


def test_investigator_empty_state(make_user, organisation):
    investigator = make_user(Role.INVESTIGATOR, organisation)
    _client, html = _home(investigator)
    assert "U heeft geen lopend onderzoek." in html


# --- substitutes ------------------------------------------------------------------------


def test_a_substitute_sees_the_cases_they_took_over(coordinator, organisation, make_user):
    admins = (
        make_user(Role.ADMINISTRATOR, organisation),
        make_user(Role.ADMINISTRATOR, organisation),
    )
    substitute = make_user(None, organisation)
    substitute_designate(admins, organisation, SubstituteRole.INTEGRITY_COORDINATOR, substitute)
    assert "Als vervanger" in _titles(substitute)
    assert COORDINATOR not in _titles(substitute)
    # The report concerns the coordinator: the substitute handles it, the coordinator
    # never counts it.
    case = _case(organisation, concerns_role=SubstituteRole.INTEGRITY_COORDINATOR)
    _received(case, days_ago=10)
    rows = _rows(substitute, "Als vervanger")
    label = "Open meldingen als vervangend integriteitscoördinator"
    assert rows[label][:3] == (
        1,
        timezone.localdate() - datetime.timedelta(days=10),
        reverse("cases:case_detail", args=[case.case_number]),
    )
    assert rows["Waarvan een wettelijke termijn verstreken"][:2] == (1, rows[label][1])
    assert _rows(coordinator, COORDINATOR)[ACKNOWLEDGE][0] == 0
    _links_answer(substitute)


def test_a_substitute_without_cases_gets_an_empty_state(organisation, make_user):
    admins = (
        make_user(Role.ADMINISTRATOR, organisation),
        make_user(Role.ADMINISTRATOR, organisation),
    )
    substitute = make_user(None, organisation)
    substitute_designate(admins, organisation, SubstituteRole.SECRETARY, substitute)
    _client, html = _home(substitute)
    assert "U vervangt op dit moment in geen enkele open melding." in html


# --- the administrator: four eyes -------------------------------------------------------


def test_administrator_sees_requests_of_others_never_their_own(organisation, make_user):
    first = make_user(Role.ADMINISTRATOR, organisation)
    second = make_user(Role.ADMINISTRATOR, organisation)
    candidate = make_user(None, organisation)
    from integritas.accounts.services import role_assignment_request

    role_assignment_request(
        actor=first, user=candidate, role=Role.SECRETARY, organisation=organisation
    )
    other = make_user(None, organisation)
    services.substitute_request(
        actor=first,
        organisation=organisation,
        replaces_role=SubstituteRole.SECRETARY,
        user=other,
    )
    title = "Goedkeuren (vier ogen)"
    assert _titles(second).count(title) == 1  # two apps, one list
    rows = _rows(second, title)
    assert rows["Roltoewijzingen"][:2] == (1, timezone.localdate())
    assert rows["Aanwijzingen van vervangers"][0] == 1
    mine = _rows(first, title)
    assert mine["Roltoewijzingen"][0] == 0 and mine["Aanwijzingen van vervangers"][0] == 0
    _links_answer(second)
    _client, html = _home(first)
    assert "Geen verzoeken die op uw goedkeuring wachten." in html


def test_administrator_never_counts_a_request_that_grants_them_a_role(organisation, make_user):
    first = make_user(Role.ADMINISTRATOR, organisation)
    second = make_user(Role.ADMINISTRATOR, organisation)
    RoleAssignment.objects.create(
        user=second,
        role=Role.SECRETARY,
        organisation=organisation,
        status=AssignmentStatus.PENDING,
        requested_by=first,
    )
    assert _rows(second, "Goedkeuren (vier ogen)")["Roltoewijzingen"][0] == 0


# --- HRM --------------------------------------------------------------------------------


def test_hrm_counts_current_employees_missing_a_department_or_function(
    organisation, other_organisation, make_user
):
    hrm = make_user(Role.HRM, organisation)
    EmployeeFactory(organisation=organisation, org_unit=None, function=None)
    EmployeeFactory(
        organisation=organisation,
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )  # a former employee: not counted
    EmployeeFactory(organisation=other_organisation)  # another organisation: never
    rows = _rows(hrm, "HR-gegevens aanvullen")
    # The factory's employees (HRM themself too) have neither; only current ones count.
    current = organisation.employees.current().count()
    assert rows["Medewerkers zonder afdeling"][:2] == (current, timezone.localdate())
    assert rows["Medewerkers zonder functie"][2] == reverse("organisations:hr_import")
    _links_answer(hrm)


# --- roles whose work comes later -------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "title"),
    [
        (Role.CONFIDENTIAL_COUNSELLOR, "Vertrouwenspersoon"),
        (Role.CENTRAL_COUNSELLOR, "Centrale vertrouwenspersoon"),
        (Role.WORKS_COUNCIL, "Ondernemingsraad"),
        (Role.WORKING_GROUP, "Werkgroep integriteit"),
        (Role.MANAGEMENT_BOARD, "Directie"),
        (Role.INTEGRITY_OFFICER, "Meldpunt"),
    ],
)
def test_roles_without_work_yet_are_told_what_comes_and_where_to_go(
    make_user, organisation, role, title
):
    user = make_user(role, organisation)
    work_list = next(wl for wl in work_lists_for(user) if str(wl.title) == title)
    assert work_list.intro and work_list.links
    _client, html = _home(user)
    assert str(work_list.intro) in html
    _links_answer(user)


def test_an_employee_without_duties_has_nothing_waiting(make_user, organisation):
    """An employee's lists (their own duties, a new gedragscode) show no work when there
    is none: the home page says so instead of counting zeros."""
    assert all(not wl.waiting for wl in work_lists_for(make_user(None, organisation)))


def _inbox(query):
    return f"{reverse('cases:inbox')}?{query}"


# --- the number of queries --------------------------------------------------------------


@pytest.fixture
def people(make_user, organisation):
    """One user per role whose home page has work lists, in one organisation."""
    admins = (make_user(Role.ADMINISTRATOR), make_user(Role.ADMINISTRATOR))
    substitute = make_user(None)
    substitute_designate(admins, organisation, SubstituteRole.INTEGRITY_COORDINATOR, substitute)
    return {
        "coordinator": make_user(Role.INTEGRITY_COORDINATOR),
        "secretary": make_user(Role.SECRETARY),
        "investigator": make_user(Role.INVESTIGATOR),
        "substitute": substitute,
        "administrator": admins[0],
        "hrm": make_user(Role.HRM),
        "counsellor": make_user(Role.CONFIDENTIAL_COUNSELLOR),
        "employee": make_user(None),
    }


def _many_reports(organisation, people, count=12):
    """Reports in every state a work list counts: to acknowledge (some late), feedback
    due soon and late, at the secretary, a possible offence, replies waiting, cases of the
    investigator and of the substitute."""
    coordinator, secretary = people["coordinator"], people["secretary"]
    for number in range(count):
        _received(_case(organisation), days_ago=number)
        _acknowledged_on(coordinator, organisation, _months_back(3, days=number % 9 - 3))
        waiting = _to_approval(_case(organisation), coordinator)
        services.case_reporter_reply(case=waiting, body="Reactie.")
        if number % 3 == 0:
            investigated = services.case_transition(
                actor=secretary, case=waiting, name="approve_investigation"
            )
            services.case_assign_investigator(
                actor=coordinator, case=investigated, user=people["investigator"]
            )
        _case(organisation, concerns_role=SubstituteRole.INTEGRITY_COORDINATOR)
    flagged = _case(organisation)
    services.case_transition(actor=coordinator, case=flagged, name="acknowledge")
    services.case_assess(
        actor=coordinator,
        case=flagged,
        category="1",
        is_wbk_wrongdoing=False,
        is_eu_law_breach=False,
        is_possible_offence=True,
        concerns_political_office_holder=False,
    )


#: The queries of each role's home page (session, user, roles, employee and the work
#: lists: one query per row; one for the employee's yearly re-confirmation, shared by its
#: work list and its dossier section): the same with no reports and with many.
HOME_QUERIES = {
    "coordinator": 18,
    "secretary": 15,
    "investigator": 13,
    "substitute": 15,
    "administrator": 15,
    "hrm": 20,
    "counsellor": 14,
    "employee": 11,
}


@pytest.mark.parametrize("role", list(HOME_QUERIES))
def test_home_page_queries_are_the_same_with_no_reports_and_with_many(
    role, people, organisation, django_assert_num_queries
):
    client = login_with_second_factor(Client(), people[role])
    client.get(reverse("home"))
    with django_assert_num_queries(HOME_QUERIES[role]):
        assert client.get(reverse("home")).status_code == 200
    _many_reports(organisation, people)
    client.get(reverse("home"))
    with django_assert_num_queries(HOME_QUERIES[role]):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    if role in ("coordinator", "secretary", "investigator", "substitute"):
        assert any(row.count for wl in work_lists_for(people[role]) for row in wl.rows)


def test_the_inbox_offers_the_filters_the_work_lists_link_to(coordinator):
    client, _html = _home(coordinator)
    html = client.get(reverse("cases:inbox")).content.decode()
    for value, label in [
        ("feedback_week", "Terugkoppeling binnen 7 dagen"),
        ("reply", "Reactie van melder wacht op antwoord"),
        ("aangifte", "Besluit over aangifte nodig"),
    ]:
        assert f'value="{value}"' in html and label in html
    assert "Wacht op" in html


def test_the_employees_unit_and_function_cost_no_query_of_their_own(make_user, organisation):
    """The home page shows the unit and function read with the employee (user_roles)."""
    plain = make_user()
    placed = make_user()
    placed.employee.org_unit = OrgUnitFactory(
        organisation=organisation, name="Afdeling Burgerzaken"
    )
    placed.employee.function = FunctionFactory(organisation=organisation, name="Baliemedewerker")
    placed.employee.save()
    counts = []
    for user in (plain, placed):
        client = login_with_second_factor(Client(), user)
        client.get(reverse("home"))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("home"))
        counts.append(len(captured.captured_queries))
    assert "Afdeling Burgerzaken" in response.content.decode()
    assert "Baliemedewerker" in response.content.decode()
    assert counts[0] == counts[1] == HOME_QUERIES["employee"]
