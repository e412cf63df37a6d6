"""The case at a glance (issue 8): the summary at the top of the case page and the case's
history as a timeline, read with a constant number of queries, within need to know."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.cases import services
from tests.conftest import login_with_second_factor

from .factories import submit_case

DASH = "\N{EN DASH}"


@pytest.fixture
def coordinator(make_user, organisation):
    user = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    user.full_name = "Cora Coördinator"
    user.save(update_fields=["full_name"])
    return user


@pytest.fixture
def secretary(make_user, organisation):
    return make_user(Role.SECRETARY, organisation)


def _page(user, case) -> str:
    client = login_with_second_factor(Client(), user)
    response = client.get(reverse("cases:case_detail", args=[case.case_number]))
    assert response.status_code == 200
    return response.content.decode()


def _part(html: str, start: str, end: str) -> str:
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_summary_shows_status_next_step_both_deadlines_and_who_handles_it(
    coordinator, organisation, make_user, time_machine
):
    time_machine.move_to("2026-03-02 10:00 +0100", tick=False)
    case = submit_case(organisation, cheap_receipt=True).case
    investigator = make_user(Role.INVESTIGATOR, organisation)
    investigator.full_name = "Ivo Onderzoeker"
    investigator.save(update_fields=["full_name"])
    time_machine.move_to("2026-03-04 10:00 +0100", tick=False)
    case = services.case_transition(actor=coordinator, case=case, name="acknowledge")
    services.case_assign_investigator(actor=coordinator, case=case, user=investigator)

    summary = _text(_part(_page(coordinator, case), 'class="integritas-summary"', "</section>"))

    assert "Status Vooronderzoek" in summary
    assert "Volgende stap Het vooronderzoek" in summary
    # Both Wbk deadlines with the time left: acknowledged (R-WBK-3), feedback due three
    # months after the acknowledgement (R-WBK-4).
    assert "Ontvangstbevestiging (7 dagen) Afgehandeld uiterlijk 09-03-2026" in summary
    assert "Terugkoppeling (3 maanden) Binnen termijn nog 92 dagen, uiterlijk 04-06-2026" in (
        summary
    )
    assert organisation.name in summary
    assert "Integriteitsschending" in summary
    assert f"Cora Coördinator {DASH} integriteitscoördinator" in summary
    assert f"Ivo Onderzoeker {DASH} onderzoeker" in summary
    # The steps the coordinator may take now are in the summary too.
    assert "Onderzoek voorleggen aan de gemeentesecretaris" in summary


def test_summary_before_acknowledgement_shows_the_time_left(
    coordinator, organisation, time_machine
):
    time_machine.move_to("2026-03-02 10:00 +0100", tick=False)
    case = submit_case(organisation, cheap_receipt=True).case
    time_machine.move_to("2026-03-07 10:00 +0100", tick=False)
    summary = _text(_part(_page(coordinator, case), 'class="integritas-summary"', "</section>"))
    assert "Status Ontvangen" in summary
    assert "De ontvangst bevestigen aan de melder, binnen 7 dagen." in summary
    assert (
        "Ontvangstbevestiging (7 dagen) Termijn verloopt binnenkort nog 2 dagen,"
        " uiterlijk 09-03-2026"
    ) in summary
    assert "De integriteitscoördinator van de regio" in summary


def test_timeline_holds_status_changes_messages_and_decisions_in_order(
    coordinator, secretary, organisation, time_machine
):
    time_machine.move_to("2026-03-02 09:00 +0100", tick=False)
    case = submit_case(organisation, cheap_receipt=True).case
    other = submit_case(organisation, cheap_receipt=True).case
    time_machine.move_to("2026-03-03 09:00 +0100", tick=False)
    case = services.case_transition(actor=coordinator, case=case, name="acknowledge")
    time_machine.move_to("2026-03-03 10:00 +0100", tick=False)
    services.case_message_to_reporter(actor=coordinator, case=case, body="Vraag aan de melder")
    time_machine.move_to("2026-03-04 11:00 +0100", tick=False)
    services.case_reporter_reply(case=case, body="Antwoord van de melder")
    # Another case of the same organisation moves on at the same time: none of it shows.
    services.case_transition(actor=coordinator, case=other, name="acknowledge")
    services.case_message_to_reporter(actor=coordinator, case=other, body="Elders")
    time_machine.move_to("2026-03-05 12:00 +0100", tick=False)
    case = services.case_transition(actor=coordinator, case=case, name="request_approval")

    timeline = _part(_page(coordinator, case), '<ol class="integritas-timeline">', "</ol>")
    items = [_text(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", timeline, re.S)]

    assert items == [
        "02-03-2026 09:00 Melding ontvangen",
        "03-03-2026 09:00 Status: Ontvangen → Vooronderzoek (Cora Coördinator)",
        "03-03-2026 10:00 Aan de melder (Cora Coördinator)",
        "04-03-2026 11:00 Van de melder",
        "05-03-2026 12:00 Status: Vooronderzoek → Wacht op besluit gemeentesecretaris"
        " (Cora Coördinator)",
    ]
    assert 'datetime="2026-03-03T09:00+01:00"' in timeline
    # The timeline names what happened, not what was written: the texts stay in their section.
    assert "Vraag aan de melder" not in timeline


def test_timeline_shows_the_decision(coordinator, secretary, organisation, make_user):
    from .factories import complete_investigation

    case = submit_case(organisation, cheap_receipt=True).case
    for step in ("acknowledge", "request_approval"):
        case = services.case_transition(actor=coordinator, case=case, name=step)
    case = services.case_transition(actor=secretary, case=case, name="approve_investigation")
    complete_investigation(case, coordinator)
    case = services.case_transition(actor=coordinator, case=case, name="report_to_secretary")
    services.case_record_decision(actor=secretary, case=case, finding="founded", measures=[])

    timeline = _text(_part(_page(secretary, case), '<ol class="integritas-timeline">', "</ol>"))
    assert "Status: Rapport bij gemeentesecretaris → Besluit genomen" in timeline
    assert "Besluit over de melding: Gegrond" in timeline


def test_case_page_reads_its_history_with_a_constant_number_of_queries(coordinator, organisation):
    client = login_with_second_factor(Client(), coordinator)
    case = submit_case(organisation, cheap_receipt=True).case
    url = reverse("cases:case_detail", args=[case.case_number])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    case = services.case_transition(actor=coordinator, case=case, name="acknowledge")
    for i in range(6):
        services.case_message_to_reporter(actor=coordinator, case=case, body=f"m{i}")
        services.case_reporter_reply(case=case, body=f"r{i}")
    services.case_transition(actor=coordinator, case=case, name="request_approval")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert html.count("integritas-timeline__item--message") == 12
    assert html.count("integritas-timeline__item--status") == 2


def test_a_person_named_as_involved_still_sees_nothing_of_the_case(
    coordinator, secretary, organisation
):
    case = submit_case(organisation, cheap_receipt=True).case
    services.case_transition(actor=coordinator, case=case, name="acknowledge")
    services.case_link_involved(
        actor=coordinator, case=case, employee=secretary.employee, description="betrokken"
    )
    client = login_with_second_factor(Client(), secretary)
    assert client.get(reverse("cases:case_detail", args=[case.case_number])).status_code == 404
