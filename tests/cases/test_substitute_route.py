"""The substitute's route (issue 10, point 6; seed 5.2): when the gemeentesecretaris is
linked as involved, the designated substitute finds the case from the home page, the
"Meldingen" menu and the notice e-mail, and every link on those pages works for them.

Need to know stays: the substitute sees only the cases they handle as substitute, the
secretary concerned sees nothing of the case, and a revoked substitute loses it all.

The setup is the demo's: in Leiderdorp a member of the Directie (no case role of their
own) is the designated and approved substitute for the secretary.
"""

import html
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.cases import services
from integritas.cases.constants import Status, SubstituteRole
from integritas.cases.models import Case, Substitute
from integritas.core.contributions import work_lists_for
from integritas.organisations.models import Employee, Organisation
from tests.conftest import login_with_second_factor

from .factories import complete_investigation, submit_case, substitute_designate

pytestmark = pytest.mark.django_db

APPROVAL_NOTICE = "Besluit gevraagd over een melding"
NEW_CASE_NOTICE = "Nieuwe melding bij het Meldpunt Integriteit"
SUBSTITUTE_LIST = "Als vervanger"
SECRETARY_ROW = "Besluiten als vervangend gemeentesecretaris"
HREF = re.compile(r'href="([^"]*)"')
NAV = re.compile(r'<nav class="integritas-nav".*?</nav>', re.S)


@dataclass
class Route:
    organisation: Organisation
    admins: tuple[User, User]
    coordinator: User
    secretary: User
    substitute: User
    case: Case  # names the secretary as involved; waits for the decision on investigation
    other: Case  # the same organisation, at the same step, not about the secretary
    mail: list[Any]  # the notices sent for `case`


def _to_approval(case: Case, coordinator: User, involved: User | None = None) -> Case:
    case = services.case_transition(actor=coordinator, case=case, name="acknowledge")
    if involved is not None:
        services.case_link_involved(
            actor=coordinator,
            case=case,
            employee=Employee.objects.get(user=involved),
            description="De gemeentesecretaris",
        )
    return services.case_transition(actor=coordinator, case=case, name="request_approval")


@pytest.fixture
def route(make_user, organisation, mailoutbox, django_capture_on_commit_callbacks) -> Route:
    admins = (make_user(Role.ADMINISTRATOR), make_user(Role.ADMINISTRATOR))
    coordinator = make_user(Role.INTEGRITY_COORDINATOR)
    secretary = make_user(Role.SECRETARY)
    substitute = make_user(Role.MANAGEMENT_BOARD)  # as in the demo: a director
    substitute_designate(admins, organisation, SubstituteRole.SECRETARY, substitute)
    other = _to_approval(submit_case(organisation).case, coordinator)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = _to_approval(submit_case(organisation).case, coordinator, involved=secretary)
    return Route(
        organisation=organisation,
        admins=admins,
        coordinator=coordinator,
        secretary=secretary,
        substitute=substitute,
        case=case,
        other=other,
        mail=list(mailoutbox),
    )


def _client(user: User) -> Client:
    return login_with_second_factor(Client(), user)


def _links(page: str) -> set[str]:
    """The links of a page that lead into the application (no anchors, no static files)."""
    found = {html.unescape(href).split("#")[0] for href in HREF.findall(page)}
    return {url for url in found if url.startswith("/") and not url.startswith("/static/")}


def _broken_links(client: Client, page: str) -> dict[str, int]:
    answers = {url: client.get(url).status_code for url in sorted(_links(page))}
    return {url: status for url, status in answers.items() if status != 200}


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _notice_link(mail: list[Any], subject: str, user: User) -> str:
    """The one link of the notice `user` got, as a path on this site."""
    (message,) = [m for m in mail if m.subject == subject and user.email in m.to]
    (link,) = re.findall(r"https?://\S+", message.body)
    base = settings.INTEGRITAS_BASE_URL.rstrip("/")
    assert link.startswith(base + "/")
    return link[len(base) :]


def _listed(client: Client, url: str = "") -> set[str]:
    response = client.get(url or reverse("cases:inbox"))
    assert response.status_code == 200
    return {row.number for row in response.context["rows"]}


def _menu(page: str) -> set[str]:
    nav = NAV.search(page)
    return _links(nav.group(0)) if nav else set()


def _row(user: User, title: str, label: str) -> tuple[int, str]:
    """(count, url) of the home page's row `label` in the list `title`; (0, "") if absent."""
    for work_list in work_lists_for(user):
        if str(work_list.title) == title:
            for row in work_list.rows:
                if str(row.label) == label:
                    return row.count, row.url
    return 0, ""


def _detail(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.case_number])


# --- the route -------------------------------------------------------------------------


@pytest.mark.requirement("R-LR-2")
def test_the_substitute_reaches_the_case_from_the_email_the_menu_and_the_home_page(route):
    # R-LR-2: the secretary decides on the investigation; she is involved, so her
    # substitute must reach the case and take that decision.
    client = _client(route.substitute)
    inbox = reverse("cases:inbox")

    # The e-mail: its only link opens the inbox, which lists the case.
    link = _notice_link(route.mail, APPROVAL_NOTICE, route.substitute)
    assert route.case.case_number in _listed(client, link)

    # The home page: the "Meldingen" menu and a task that opens the case.
    home = _page(client, reverse("home"))
    assert inbox in _menu(home)
    count, url = _row(route.substitute, SUBSTITUTE_LIST, SECRETARY_ROW)
    assert (count, url) == (1, _detail(route.case))
    assert url in _links(home)
    assert _broken_links(client, home) == {}

    # The inbox and the case page: every link on them works, "Terug naar de meldingen" too.
    listing = _page(client, inbox)
    assert _detail(route.case) in _links(listing)
    assert _broken_links(client, listing) == {}
    page = _page(client, _detail(route.case))
    assert inbox in _links(page)
    assert _broken_links(client, page) == {}

    # And they take the decision through the page.
    response = client.post(
        reverse("cases:transition", args=[route.case.case_number]),
        {"name": "approve_investigation"},
    )
    assert response.status_code == 302
    assert response["Location"] == _detail(route.case)
    route.case.refresh_from_db()
    assert route.case.status == Status.INVESTIGATION


def test_the_substitute_finds_the_decision_after_the_investigation(route, make_user):
    client = _client(route.substitute)
    services.case_transition(actor=route.substitute, case=route.case, name="approve_investigation")
    investigator = make_user(Role.INVESTIGATOR)
    case = Case.objects.get(pk=route.case.pk)
    services.case_assign_investigator(actor=route.coordinator, case=case, user=investigator)
    complete_investigation(case, investigator)
    services.case_transition(actor=route.coordinator, case=case, name="report_to_secretary")

    count, url = _row(route.substitute, SUBSTITUTE_LIST, SECRETARY_ROW)
    assert (count, url) == (1, _detail(case))
    page = _page(client, url)
    decision = reverse("cases:decision", args=[case.case_number])
    assert decision in _links(page)
    assert _broken_links(client, page) == {}
    assert _broken_links(client, _page(client, decision)) == {}


def test_the_coordinators_substitute_reaches_every_page_of_the_case(
    make_user, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    admins = (make_user(Role.ADMINISTRATOR), make_user(Role.ADMINISTRATOR))
    coordinator = make_user(Role.INTEGRITY_COORDINATOR)
    substitute = make_user(None)
    substitute_designate(admins, organisation, SubstituteRole.INTEGRITY_COORDINATOR, substitute)
    with django_capture_on_commit_callbacks(execute=True):
        case = submit_case(organisation, concerns_role=SubstituteRole.INTEGRITY_COORDINATOR).case
    # The report concerns the coordinator: the notice goes to the substitute, not to her.
    assert {a for m in mailoutbox if m.subject == NEW_CASE_NOTICE for a in m.to} == {
        substitute.email
    }
    client = _client(substitute)
    link = _notice_link(mailoutbox, NEW_CASE_NOTICE, substitute)
    assert _listed(client, link) == {case.case_number}
    assert reverse("cases:inbox") in _menu(_page(client, reverse("home")))
    page = _page(client, _detail(case))
    reporter = reverse("cases:reporter", args=[case.case_number])
    assert reporter in _links(page)
    assert _broken_links(client, page) == {}
    assert _broken_links(client, _page(client, reporter)) == {}
    assert _listed(_client(coordinator)) == set()


# --- need to know ----------------------------------------------------------------------


@pytest.mark.requirement("R-DP-3")
def test_the_substitute_inbox_lists_only_the_cases_they_handle(route, other_organisation):
    # R-DP-3: access to a case is limited to its handlers. The other case of the
    # organisation waits for the secretary too, but the substitute does not handle it.
    elsewhere = submit_case(other_organisation).case
    client = _client(route.substitute)
    assert _listed(client) == {route.case.case_number}
    # The organisation filter offers where they stand in, and lists the same.
    form = client.get(reverse("cases:inbox")).context["form"]
    assert [value for value, _label in form.fields["organisation"].choices if value] == [
        route.organisation.slug
    ]
    url = f"{reverse('cases:inbox')}?organisation={route.organisation.slug}"
    assert _listed(client, url) == {route.case.case_number}
    for case in (route.other, elsewhere):
        assert client.get(_detail(case)).status_code == 404


@pytest.mark.requirement("R-WBK-7")
def test_the_secretary_concerned_sees_nothing_of_the_case(route):
    # R-WBK-7: whoever is named in a report is not authorised to see it.
    assert all(route.secretary.email not in m.to for m in route.mail)
    client = _client(route.secretary)
    assert _listed(client) == {route.other.case_number}
    assert client.get(_detail(route.case)).status_code == 404
    assert _row(route.secretary, "Taken", "Besluit over een onderzoek")[0] == 1
    assert (
        client.post(
            reverse("cases:transition", args=[route.case.case_number]),
            {"name": "approve_investigation"},
        ).status_code
        == 404
    )


@pytest.mark.requirement("R-DP-3")
def test_a_revoked_substitute_loses_the_route(route):
    link = _notice_link(route.mail, APPROVAL_NOTICE, route.substitute)
    designation = Substitute.objects.get(user=route.substitute)
    services.substitute_revoke(actor=route.admins[0], substitute=designation)

    client = _client(route.substitute)
    home = _page(client, reverse("home"))
    assert reverse("cases:inbox") not in _menu(home)
    assert SUBSTITUTE_LIST not in home
    assert client.get(link).status_code == 403
    assert client.get(reverse("cases:inbox")).status_code == 403
    assert client.get(_detail(route.case)).status_code == 404


def test_an_employee_without_designation_or_case_gets_no_inbox(make_user):
    client = _client(make_user(Role.MANAGEMENT_BOARD))
    assert reverse("cases:inbox") not in _menu(_page(client, reverse("home")))
    assert client.get(reverse("cases:inbox")).status_code == 403
