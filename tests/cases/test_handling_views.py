"""The case handlers' pages: inbox, case page, actions, recording, figures (issue 3)."""

import datetime
import itertools

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.cases import selectors, services
from integritas.cases.clock import deadlines
from integritas.cases.constants import Channel, IdentityMode, Kind, MessageDirection, Status
from integritas.cases.models import Case, CaseHandler, CaseMessage, CaseNote, InvolvedPerson
from integritas.core import crypto
from tests.conftest import login_with_second_factor
from tests.factories import EmployeeFactory, OrgUnitFactory, grant

from .factories import complete_investigation, submit_case

SECRET = "Geheime-inhoud-7f3a"


@pytest.fixture
def coordinator(make_user, organisation):
    return make_user(Role.INTEGRITY_COORDINATOR, organisation)


@pytest.fixture
def secretary(make_user, organisation):
    return make_user(Role.SECRETARY, organisation)


@pytest.fixture
def coordinator_client(client, coordinator):
    return login_with_second_factor(client, coordinator)


def _case(organisation, **kw):
    kw.setdefault("description", f"{SECRET} beschrijving")
    kw.setdefault("cheap_receipt", True)
    return submit_case(organisation, **kw).case


def _detail(case):
    return reverse("cases:case_detail", args=[case.case_number])


def _action(name, case):
    return reverse(f"cases:{name}", args=[case.case_number])


# --- inbox ----------------------------------------------------------------------------


@pytest.mark.requirement("R-WBK-3")
def test_inbox_lists_numbers_and_deadlines_but_no_content(
    coordinator_client, organisation, monkeypatch
):
    case = _case(organisation)

    def refuse(*args, **kwargs):
        raise AssertionError("the inbox must not decrypt")

    monkeypatch.setattr(crypto, "decrypt", refuse)
    monkeypatch.setattr(crypto, "unwrap_data_key", refuse)
    response = coordinator_client.get(reverse("cases:inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert case.case_number in html
    assert SECRET not in html
    # R-WBK-3, R-WBK-4: traffic lights carry text, not colour alone.
    assert str(deadlines.TrafficLight.GREEN.label) in html
    assert "nog 7 dagen" in html


def test_inbox_query_count_is_constant(client, coordinator, organisation):
    # STYLE habit 9: 5 or 40 cases, the same number of queries.
    client = login_with_second_factor(client, coordinator)
    for _ in range(5):
        _case(organisation)
    client.get(reverse("cases:inbox"))  # warm up session-related queries
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("cases:inbox")).status_code == 200
    for _ in range(35):
        _case(organisation)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("cases:inbox"))
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_inbox_query_count_bounded(
    client, coordinator, organisation, django_assert_max_num_queries
):
    client = login_with_second_factor(client, coordinator)
    for _ in range(40):
        _case(organisation)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("cases:inbox"))
    assert response.content.decode().count("/meldingen/LDP-") == 40


def test_inbox_paginates_by_50(client, coordinator, organisation):
    client = login_with_second_factor(client, coordinator)
    for _ in range(51):
        _case(organisation)
    first = client.get(reverse("cases:inbox")).content.decode()
    second = client.get(reverse("cases:inbox") + "?pagina=2").content.decode()
    assert first.count('scope="row"') == 50
    assert second.count('scope="row"') == 1


def test_inbox_count_is_kept_a_minute_per_user_and_filter(
    client, coordinator, organisation, time_machine
):
    # Paging through a long inbox does not count again; the label may lag a minute.
    time_machine.move_to("2026-03-02 09:00 +0100", tick=False)
    client = login_with_second_factor(client, coordinator)
    for _ in range(51):
        _case(organisation)
    assert "51 meldingen" in client.get(reverse("cases:inbox")).content.decode()
    _case(organisation)
    with CaptureQueriesContext(connection) as counted:
        html = client.get(reverse("cases:inbox")).content.decode()
    assert "51 meldingen" in html
    assert not any("COUNT(" in q["sql"] for q in counted.captured_queries)
    # Another filter is counted on its own.
    filtered = reverse("cases:inbox") + f"?organisatie={organisation.slug}"
    assert "52 meldingen" in client.get(filtered).content.decode()
    time_machine.move_to("2026-03-02 09:01:01 +0100", tick=False)
    assert "52 meldingen" in client.get(reverse("cases:inbox")).content.decode()


@pytest.mark.requirement("R-LR-1")
def test_inbox_filters(coordinator_client, coordinator, organisation, other_organisation):
    # The coordinator's role is regional: it covers both organisations (R-LR-1).
    mine = _case(organisation, kind=Kind.UNWANTED_BEHAVIOUR, category="8a")
    theirs = _case(other_organisation)
    services.case_transition(actor=coordinator, case=theirs, name="acknowledge")
    url = reverse("cases:inbox")

    def listed(query: str) -> set[str]:
        html = coordinator_client.get(url + query).content.decode()
        return {c for c in (mine.case_number, theirs.case_number) if c in html}

    assert listed("") == {mine.case_number, theirs.case_number}
    assert listed(f"?organisation={organisation.slug}") == {mine.case_number}
    assert listed("?status=triage") == {theirs.case_number}
    assert listed("?kind=unwanted_behaviour") == {mine.case_number}
    assert listed("?category=8a") == {mine.case_number}
    assert listed("?deadline=open") == {mine.case_number, theirs.case_number}
    assert listed("?deadline=ack_overdue") == set()


def test_inbox_overdue_acknowledgement_is_red_and_filtered(coordinator_client, organisation):
    late = _case(organisation)
    Case.objects.filter(pk=late.pk).update(received_at=timezone.now() - datetime.timedelta(days=9))
    fresh = _case(organisation)
    html = coordinator_client.get(reverse("cases:inbox") + "?deadline=ack_overdue").content
    html = html.decode()
    assert late.case_number in html and fresh.case_number not in html
    assert str(deadlines.TrafficLight.RED.label) in html
    assert "dagen te laat" in html


NOW_MOMENTS = [
    datetime.datetime(2026, 5, 31, 12, 0, tzinfo=deadlines.LOCAL_TZ),
    datetime.datetime(2026, 3, 1, 0, 30, tzinfo=deadlines.LOCAL_TZ),
    datetime.datetime(2026, 2, 28, 23, 30, tzinfo=deadlines.LOCAL_TZ),
    datetime.datetime(2026, 10, 25, 2, 30, tzinfo=deadlines.LOCAL_TZ),
    datetime.datetime(2026, 4, 30, 8, 0, tzinfo=deadlines.LOCAL_TZ),
]


@pytest.mark.parametrize("now", NOW_MOMENTS, ids=lambda n: n.isoformat())
def test_deadline_filters_match_traffic_lights(coordinator, organisation, now):
    """The database filters select exactly the rows deadlines.traffic_light colours."""
    template = _case(organisation)
    rows = []
    # Receipts from 0 to 110 days back at awkward hours, with or without acknowledgement.
    for offset, hour, ack_after in itertools.product(
        [0, 3, 4, 5, 7, 8, 9, 80, 85, 89, 90, 91, 92, 93, 94, 96, 98, 100, 110],
        [0, 23],
        [None, 0, 3],
    ):
        received = (now - datetime.timedelta(days=offset)).replace(hour=hour, minute=15)
        acknowledged = None if ack_after is None else received + datetime.timedelta(days=ack_after)
        if acknowledged is not None and acknowledged > now:
            acknowledged = None
        rows.append((received, acknowledged))
    Case.objects.filter(pk=template.pk).delete()
    created = []
    for received, acknowledged in rows:
        case = _case(organisation)
        Case.objects.filter(pk=case.pk).update(
            received_at=received,
            acknowledged_at=acknowledged,
            status=Status.TRIAGE if acknowledged else Status.RECEIVED,
        )
        created.append((case.pk, received, acknowledged))

    def selected(name: str) -> set[int]:
        qs = selectors.cases_for_inbox(coordinator, {"deadline": name, "now": now})
        return set(qs.values_list("pk", flat=True))

    def expected(kind: str, light: deadlines.TrafficLight, warn_days: int = 2) -> set[int]:
        result = set()
        for pk, received, acknowledged in created:
            if kind == "ack":
                due, done = deadlines.acknowledgement_due(received), acknowledged
            else:
                due, done = deadlines.feedback_due(received, acknowledged), None
            if deadlines.traffic_light(due, done, now, warn_days) == light:
                result.add(pk)
        return result

    red, orange = deadlines.TrafficLight.RED, deadlines.TrafficLight.ORANGE
    assert selected(selectors.DEADLINE_ACK_OVERDUE) == expected("ack", red)
    assert selected(selectors.DEADLINE_ACK_SOON) == expected("ack", orange)
    assert selected(selectors.DEADLINE_FEEDBACK_OVERDUE) == expected("feedback", red)
    assert selected(selectors.DEADLINE_FEEDBACK_SOON) == expected("feedback", orange)
    # The coordinator's work list: feedback due within 7 days, not yet late.
    week = expected("feedback", orange, warn_days=7)
    assert selected(selectors.DEADLINE_FEEDBACK_WEEK) == week
    assert week > expected("feedback", orange)
    assert expected("feedback", red) and expected("ack", red)
    assert expected("feedback", orange) and expected("ack", orange)


# --- case page ------------------------------------------------------------------------


@pytest.mark.requirement("R-BIO-1", "R-WBK-7")
def test_case_page_shows_content_and_audits_every_view(
    coordinator_client, coordinator, organisation
):
    case = _case(
        organisation,
        identity_mode=IdentityMode.CONFIDENTIAL,
        identity={"name": "Jan Melder"},
        involved=["Afdelingshoofd X"],
        details={"when": "gisteren"},
        consent_investigators=True,
    )
    services.case_transition(actor=coordinator, case=case, name="acknowledge")
    services.case_message_to_reporter(actor=coordinator, case=case, body="Bericht aan melder")
    services.case_reporter_reply(case=case, body="Antwoord van melder")
    services.case_add_note(actor=coordinator, case=case, body="Interne gedachte")
    before = AuditEvent.objects.filter(action="case.read").count()
    response = coordinator_client.get(_detail(case))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (SECRET, "Afdelingshoofd X", "gisteren", "Bericht aan melder"):
        assert text in html
    assert "Antwoord van melder" in html and "Interne gedachte" in html
    assert "Interne notities" in html and "Berichten met de melder" in html
    # What concerns the reporter is on a page of its own, linked for the coordinator; the
    # identity is not shown there either until revealed with a reason (R-WBK-7).
    reporter_url = reverse("cases:reporter", args=[case.case_number])
    assert "Jan Melder" not in html and "Identiteit inzien" not in html
    assert f'href="{reporter_url}"' in html
    reporter_html = coordinator_client.get(reporter_url).content.decode()
    assert "Jan Melder" not in reporter_html
    assert "Identiteit inzien" in reporter_html
    coordinator_client.get(_detail(case))
    # R-BIO-1: every view of case content is an audit event, the reporter's page too.
    events = AuditEvent.objects.filter(action="case.read", object_id=str(case.pk))
    assert events.count() == before + 2
    assert events.filter(actor=coordinator).count() == 2
    assert AuditEvent.objects.filter(
        action="case.reporter.read", object_id=str(case.pk), actor=coordinator
    ).exists()


def test_case_page_query_count_is_constant(client, coordinator, organisation):
    client = login_with_second_factor(client, coordinator)
    case = _case(organisation, involved=["A"])
    services.case_add_note(actor=coordinator, case=case, body="n1")
    client.get(_detail(case))
    with CaptureQueriesContext(connection) as few:
        client.get(_detail(case))
    for i in range(10):
        services.case_add_note(actor=coordinator, case=case, body=f"n{i}")
        services.case_message_to_reporter(actor=coordinator, case=case, body=f"m{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(_detail(case))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_reveal_identity_needs_a_reason_and_shows_it_once(
    coordinator_client, coordinator, organisation
):
    case = _case(
        organisation,
        identity_mode=IdentityMode.CONFIDENTIAL,
        identity={"name": "Jan Melder", "phone": "0612345678"},
        consent_secretary=True,
    )
    url = _action("reveal_identity", case)
    short = coordinator_client.post(url, {"reveal-reason": "kort"})
    assert short.status_code == 200
    assert "Jan Melder" not in short.content.decode()
    assert "minstens 10 tekens" in short.content.decode()
    assert "kort" in short.content.decode()  # nothing typed is lost
    response = coordinator_client.post(url, {"reveal-reason": "Nodig om de melder te bellen."})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Jan Melder" in html and "0612345678" in html
    assert AuditEvent.objects.filter(action="case.identity_reveal").count() == 1
    # Not kept anywhere: the next view of the page does not show it.
    assert "Jan Melder" not in coordinator_client.get(_detail(case)).content.decode()
    assert "Jan Melder" not in str(dict(coordinator_client.session))


def test_secretary_and_investigator_never_see_identity(
    client, coordinator, secretary, make_user, organisation
):
    investigator = make_user(Role.INVESTIGATOR, organisation)
    case = _case(
        organisation,
        identity_mode=IdentityMode.NAMED,
        identity={"name": "Jan Melder"},
        consent_investigators=True,
        consent_secretary=True,
    )
    services.case_transition(actor=coordinator, case=case, name="acknowledge")
    services.case_transition(actor=coordinator, case=case, name="request_approval")
    services.case_assign_investigator(actor=coordinator, case=case, user=investigator)
    for user in (secretary, investigator):
        c = login_with_second_factor(client.__class__(), user)
        html = c.get(_detail(case)).content.decode()
        assert SECRET in html
        assert "Jan Melder" not in html and "Identiteit inzien" not in html
        assert (
            c.post(_action("reveal_identity", case), {"reveal-reason": "x" * 20}).status_code == 403
        )


# --- actions ----------------------------------------------------------------------------


def test_transition_and_message_redirect_with_a_message(coordinator_client, organisation):
    case = _case(organisation)
    response = coordinator_client.post(_action("transition", case), {"name": "acknowledge"})
    assert response.status_code == 302 and response["Location"] == _detail(case)
    assert [str(m) for m in get_messages(response.wsgi_request)]
    case.refresh_from_db()
    assert case.status == Status.TRIAGE
    response = coordinator_client.post(
        _action("message", case), {"message-body": "Uw melding is ontvangen."}
    )
    assert response.status_code == 302
    assert CaseMessage.objects.filter(case=case, direction=MessageDirection.TO_REPORTER).exists()


def test_closing_without_feedback_is_refused(coordinator_client, coordinator, organisation):
    case = _case(organisation)
    services.case_transition(actor=coordinator, case=case, name="acknowledge")
    response = coordinator_client.post(
        _action("transition", case), {"name": "close_without_investigation"}
    )
    assert response.status_code == 200
    assert "terugkoppeling" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.TRIAGE
    coordinator_client.post(
        _action("message", case),
        {"message-body": "Wij doen geen onderzoek.", "message-is_feedback": "on"},
    )
    response = coordinator_client.post(
        _action("transition", case), {"name": "close_without_investigation"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED_WITHOUT_INVESTIGATION


def test_form_errors_are_dutch_and_keep_the_input(coordinator_client, organisation):
    case = _case(organisation)
    response = coordinator_client.post(
        _action("aangifte", case),
        {"aangifte-decision": "yes", "aangifte-police_reference": "PL-123-typed"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vul de datum van de aangifte in." in html
    assert "PL-123-typed" in html
    assert 'href="#sectie-aangifte"' in html
    response = coordinator_client.post(_action("note", case), {"note-body": "  "})
    assert "Dit veld is vereist." in response.content.decode()


def test_get_on_an_action_opens_its_form_and_changes_nothing(coordinator_client, organisation):
    """Less-used actions are links: GET opens the case page with that form, writes nothing."""
    case = _case(organisation)
    page = coordinator_client.get(reverse("cases:case_detail", args=[case.case_number]))
    html = page.content.decode()
    aangifte_url = _action("aangifte", case)
    assert f'href="{aangifte_url}#sectie-aangifte"' in html
    assert f'action="{aangifte_url}"' not in html  # the form itself is not on the page
    opened = coordinator_client.get(aangifte_url).content.decode()
    assert f'action="{aangifte_url}"' in opened
    case.refresh_from_db()
    assert case.aangifte_decision is None
    assert coordinator_client.put(_action("note", case)).status_code == 405


def test_decision_by_the_secretary(client, coordinator, secretary, organisation):
    case = _case(organisation)
    for step in ("acknowledge", "request_approval"):
        services.case_transition(actor=coordinator, case=case, name=step)
    c = login_with_second_factor(client, secretary)
    assert c.post(_action("transition", case), {"name": "approve_investigation"}).status_code == 302
    complete_investigation(case, coordinator)
    services.case_transition(actor=coordinator, case=case, name="report_to_secretary")
    response = c.post(
        _action("decision", case),
        {
            "decision-finding": "partly_founded",
            "decision-measures": ["conversation", "written_warning"],
            "decision-note": "Toelichting",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.DECIDED
    assert case.measures == ["conversation", "written_warning"]
    html = c.get(_detail(case)).content.decode()
    assert "Deels gegrond" in html and "Schriftelijke berisping" in html


@pytest.mark.requirement("R-WBK-7", "R-DP-3")
def test_assign_refuses_an_involved_investigator(
    coordinator_client, coordinator, make_user, organisation
):
    # R-WBK-7, R-DP-3: a person named as involved can never be assigned.
    investigator = make_user(Role.INVESTIGATOR, organisation)
    case = _case(organisation)
    employee = investigator.employee
    assert (
        coordinator_client.post(
            _action("involved", case),
            {"involved-employee": employee.pk, "involved-description": "d"},
        ).status_code
        == 302
    )
    response = coordinator_client.post(
        _action("assign", case), {"assign-investigator": investigator.pk}
    )
    assert response.status_code == 200
    # No longer offered (the picker leaves them out); the service refuses them as well.
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not CaseHandler.objects.filter(case=case, user=investigator).exists()


def test_assign_offers_only_investigators_of_the_organisation(
    coordinator_client, make_user, organisation, other_organisation
):
    ours = make_user(Role.INVESTIGATOR, organisation)
    theirs = make_user(Role.INVESTIGATOR, other_organisation)
    case = _case(organisation)
    assert list(selectors.investigators_for(organisation)) == [ours]
    response = coordinator_client.post(_action("assign", case), {"assign-investigator": theirs.pk})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    response = coordinator_client.post(_action("assign", case), {"assign-investigator": ours.pk})
    assert response.status_code == 302


def test_link_involved_unknown_number(coordinator_client, organisation, other_organisation):
    case = _case(organisation)
    foreign = EmployeeFactory(organisation=other_organisation)
    response = coordinator_client.post(
        _action("involved", case),
        {"involved-employee": foreign.pk, "involved-description": "d"},
    )
    assert response.status_code == 200
    assert "Kies een medewerker van de organisatie van deze melding" in response.content.decode()
    assert not InvolvedPerson.objects.filter(case=case).exists()


def test_coordinator_who_links_themselves_loses_the_case(
    coordinator_client, coordinator, organisation
):
    case = _case(organisation)
    response = coordinator_client.post(
        _action("involved", case),
        {
            "involved-employee": coordinator.employee.pk,
            "involved-description": "zelf",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("cases:inbox")
    assert coordinator_client.get(_detail(case)).status_code == 404


def test_referral_protection_log_assessment(coordinator_client, organisation):
    case = _case(organisation, identity_mode=IdentityMode.NAMED, identity={"name": "N"})
    assert (
        coordinator_client.post(
            _action("referral", case),
            {
                "referral-body": "lkog",
                "referral-referred_on": "2026-03-01",
                "referral-notes": "Advies",
            },
        ).status_code
        == 302
    )
    assert (
        coordinator_client.post(
            _action("protection", case),
            {
                "protection-occurred_on": "2026-03-02",
                "protection-measure": "Overplaatsing",
                "protection-reason": "Reorganisatie",
            },
        ).status_code
        == 302
    )
    assert (
        coordinator_client.post(
            _action("assess", case),
            {"assess-category": "2", "assess-is_possible_offence": "on"},
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.category == "2" and case.is_possible_offence and not case.is_wbk_wrongdoing
    html = coordinator_client.get(_detail(case)).content.decode()
    assert "Advies" in html
    # The protection log concerns the reporter: on the reporter's page, not the case page.
    assert "Overplaatsing" not in html
    reporter_html = coordinator_client.get(
        reverse("cases:reporter", args=[case.case_number])
    ).content.decode()
    assert "Overplaatsing" in reporter_html and "Reorganisatie" in reporter_html


def test_protection_log_not_offered_for_anonymous_reports(coordinator_client, organisation):
    case = _case(organisation)
    html = coordinator_client.get(_detail(case)).content.decode()
    assert "protection-measure" not in html
    response = coordinator_client.post(
        _action("protection", case),
        {
            "protection-occurred_on": "2026-03-02",
            "protection-measure": "m",
            "protection-reason": "r",
        },
    )
    assert response.status_code == 200
    assert "anonieme melding" in response.content.decode()


def test_html_in_every_field_is_inert(coordinator_client, coordinator, organisation):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    case = _case(
        organisation,
        description=payload,
        details={"when": payload, "where": payload},
        involved=[payload],
        identity_mode=IdentityMode.NAMED,
        identity={"name": payload},
    )
    coordinator_client.post(_action("note", case), {"note-body": payload})
    coordinator_client.post(_action("message", case), {"message-body": payload})
    coordinator_client.post(
        _action("referral", case),
        {"referral-body": "huis", "referral-referred_on": "2026-03-01", "referral-notes": payload},
    )
    coordinator_client.post(
        _action("protection", case),
        {
            "protection-occurred_on": "2026-03-01",
            "protection-measure": payload,
            "protection-reason": payload,
        },
    )
    services.case_reporter_reply(case=case, body=payload)
    html = coordinator_client.get(_detail(case)).content.decode()
    revealed = coordinator_client.post(
        _action("reveal_identity", case), {"reveal-reason": "Controle op escaping"}
    ).content.decode()
    errors = coordinator_client.post(
        _action("aangifte", case),
        {"aangifte-decision": "yes", "aangifte-police_reference": payload},
    ).content.decode()
    for page in (html, revealed, errors):
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;" in page


# --- home tasks -----------------------------------------------------------------------


def test_secretary_sees_tasks_on_the_home_page(client, coordinator, secretary, organisation):
    case = _case(organisation)
    c = login_with_second_factor(client, secretary)
    assert case.case_number not in c.get(reverse("home")).content.decode()
    for step in ("acknowledge", "request_approval"):
        services.case_transition(actor=coordinator, case=case, name=step)
    html = c.get(reverse("home")).content.decode()
    # The home page counts the decisions waiting and links to the inbox; it never names
    # a case (its number is on the inbox, behind the link).
    assert "Taken" in html and "Besluit over een onderzoek" in html
    assert f"{reverse('cases:inbox')}?status=awaiting_approval" in html
    assert case.case_number not in html
    assert SECRET not in html


# --- recording other channels ---------------------------------------------------------


def _record_data(organisation, **kw):
    data = {
        "organisation": organisation.pk,
        "channel": Channel.PHONE,
        "kind": Kind.INTEGRITY_VIOLATION,
        "description": f"{SECRET} telefonisch gemeld",
        "identity_mode": IdentityMode.CONFIDENTIAL,
        "name": "Piet Beller",
        "minutes": "Verslag: melder belde om 10:00.",
        "form_token": "tok-1",
    }
    data.update(kw)
    return data


@pytest.mark.requirement("R-WBK-2", "R-WBK-8")
def test_coordinator_records_a_phone_report_with_minutes(
    coordinator_client, coordinator, organisation
):
    # R-WBK-2, R-WBK-8: the minutes become the first internal note and a message to check.
    url = reverse("cases:record")
    assert coordinator_client.get(url).status_code == 200
    response = coordinator_client.post(url, _record_data(organisation))
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.channel == Channel.PHONE
    html = response.content.decode()
    code = response.context["submission"].receipt_code
    assert code and code in html and case.case_number in html
    assert selectors.case_by_receipt(code).pk == case.pk
    assert CaseNote.objects.filter(case=case).count() == 1
    message = CaseMessage.objects.get(case=case)
    assert message.direction == MessageDirection.TO_REPORTER
    submit = AuditEvent.objects.get(action="case.submit")
    assert submit.actor_id == coordinator.pk
    # A repeated submit creates nothing and does not show the code again.
    again = coordinator_client.post(url, _record_data(organisation))
    assert Case.objects.count() == 1
    assert code not in again.content.decode()
    detail = coordinator_client.get(_detail(case)).content.decode()
    assert "Verslag: melder belde om 10:00." in detail


def test_record_form_errors(coordinator_client, organisation):
    url = reverse("cases:record")
    response = coordinator_client.post(url, _record_data(organisation, name="", description=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vul de naam van de melder in." in html
    assert "Verslag: melder belde om 10:00." in html
    assert not Case.objects.exists()


def test_manager_records_an_oral_report_and_never_sees_it(client, organisation):
    manager = EmployeeFactory(organisation=organisation)
    OrgUnitFactory(organisation=organisation).managers.add(manager)
    c = login_with_second_factor(client, manager.user)
    url = reverse("cases:record")
    page = c.get(url).content.decode()
    assert 'value="manager"' in page and 'value="phone"' not in page
    response = c.post(
        url,
        _record_data(organisation, channel=Channel.MANAGER, identity_mode=IdentityMode.ANONYMOUS),
    )
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.channel == Channel.MANAGER
    assert response.context["submission"].receipt_code in response.content.decode()
    assert not CaseNote.objects.filter(case=case).exists()
    assert c.get(_detail(case)).status_code == 404
    assert c.get(reverse("cases:inbox")).status_code == 403
    # A manager may not pick the coordinator's channels.
    refused = c.post(url, _record_data(organisation, form_token="tok-2"))
    assert refused.status_code == 200 and Case.objects.count() == 1


def test_manager_cannot_record_for_another_organisation(client, organisation, other_organisation):
    manager = EmployeeFactory(organisation=organisation)
    OrgUnitFactory(organisation=organisation).managers.add(manager)
    c = login_with_second_factor(client, manager.user)
    response = c.post(
        reverse("cases:record"),
        _record_data(other_organisation, channel=Channel.MANAGER, identity_mode="anonymous"),
    )
    assert response.status_code == 200
    assert not Case.objects.exists()


# --- figures --------------------------------------------------------------------------


def test_integrity_officer_sees_suppressed_counts_only(
    client, make_user, organisation, other_organisation
):
    officer = make_user(Role.INTEGRITY_OFFICER, organisation)
    cases = [_case(organisation) for _ in range(6)]
    _case(organisation, kind=Kind.WRONGDOING)
    _case(other_organisation)
    c = login_with_second_factor(client, officer)
    response = c.get(reverse("cases:figures"))
    html = response.content.decode()
    assert response.status_code == 200
    figures = response.context["figures"]
    assert [f.organisation for f in figures] == [organisation]
    assert figures[0].total == "7"
    assert dict(figures[0].by_status)[str(Status.RECEIVED.label)] == "7"
    assert dict(figures[0].by_kind)[str(Kind.WRONGDOING.label)] == "< 5"
    assert dict(figures[0].by_kind)[str(Kind.INTEGRITY_VIOLATION.label)] == "6"
    assert "&lt; 5" in html
    assert SECRET not in html
    assert all(case.case_number not in html for case in cases)
    assert other_organisation.name not in html


def test_navigation_items(client_for, client, organisation):
    html = client_for(Role.INTEGRITY_COORDINATOR, organisation).get(reverse("home")).content
    html = html.decode()
    assert reverse("cases:inbox") in html and reverse("cases:record") in html
    officer = client_for(Role.INTEGRITY_OFFICER, organisation).get(reverse("home")).content.decode()
    assert reverse("cases:figures") in officer and reverse("cases:inbox") + '"' not in officer
    employee = client_for(None, organisation).get(reverse("home")).content.decode()
    assert reverse("cases:record") not in employee and 'href="/meldingen/"' not in employee


def test_one_small_count_next_to_a_shown_total_is_not_given_away(client, make_user, organisation):
    # Five of each kind and two of unwanted behaviour: "17 - 15" would reveal the two.
    officer = make_user(Role.INTEGRITY_OFFICER, organisation)
    for kind, count in (
        (Kind.INTEGRITY_VIOLATION, 5),
        (Kind.WRONGDOING, 6),
        (Kind.IRREGULARITY, 7),
        (Kind.UNWANTED_BEHAVIOUR, 2),
    ):
        for _ in range(count):
            _case(organisation, kind=kind)
    figures = login_with_second_factor(client, officer).get(reverse("cases:figures"))
    (row,) = figures.context["figures"]
    by_kind = dict(row.by_kind)
    assert row.total == "20"
    assert by_kind[str(Kind.UNWANTED_BEHAVIOUR.label)] == "< 5"
    assert by_kind[str(Kind.INTEGRITY_VIOLATION.label)] == "≥ 5"  # the smallest other
    assert by_kind[str(Kind.WRONGDOING.label)] == "6"
    assert "≥ 5" in figures.content.decode()


def test_figures_count_every_organisation_in_one_query(make_user, organisation, other_organisation):
    """The counts per status and per kind come from one grouped query, whatever the number
    of the officer's organisations (issue 9: the page was 4.3x the trivial view with an
    organisation of 20,000 employees, reading its cases once per dimension)."""
    officer = make_user(Role.INTEGRITY_OFFICER, organisation)
    grant(officer, Role.INTEGRITY_OFFICER, other_organisation)
    for org, kind in ((organisation, Kind.WRONGDOING), (other_organisation, Kind.IRREGULARITY)):
        for _ in range(5):
            _case(org, kind=kind)
    officer = type(officer).objects.get(pk=officer.pk)  # roles read afresh
    with CaptureQueriesContext(connection) as captured:
        figures = selectors.case_figures(officer)
    cases_read = [q for q in captured.captured_queries if '"cases_case"' in q["sql"]]
    assert len(cases_read) == 1
    by_org = {f.organisation: f for f in figures}
    assert set(by_org) == {organisation, other_organisation}
    assert dict(by_org[organisation].by_kind)[str(Kind.WRONGDOING.label)] == "5"
    assert dict(by_org[other_organisation].by_kind)[str(Kind.IRREGULARITY.label)] == "5"
    assert by_org[other_organisation].total == "5"
