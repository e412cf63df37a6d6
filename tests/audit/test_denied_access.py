"""Refused access leaves a trace (issue 10, point 4; R-BIO-1).

Every refused attempt of a logged-in user at a case, an attachment, the reporter's
identity or a four-eyes grant is one audit event with result "denied": who, the route's
kind and the reference asked for, never content; in the chain of the user's own
organisation, the same whether the object exists or not. A loop is bounded (at most
DENIED_LIMIT events and one burst event per user and window), the chain still verifies,
and the administrator finds them under "Geweigerd" and a burst on the home page.
"""

import datetime
import io
from collections.abc import Iterator

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import RoleAssignment, User
from integritas.accounts.services import role_assignment_request
from integritas.audit.constants import Result
from integritas.audit.denials import BURST, DENIED_LIMIT, DENIED_WINDOW_MINUTES
from integritas.audit.models import AuditEvent, DeniedAccessCounter
from integritas.cases.attachments.storage import attachment_store
from integritas.cases.constants import IdentityMode, ScanStatus, Status
from integritas.cases.models import Case
from integritas.core.contributions import work_lists_for
from tests.cases.factories import submit_case
from tests.conftest import login_with_second_factor
from tests.core.files.samples import upload

pytestmark = pytest.mark.django_db

SECRET = "Een collega declareert reizen die niet zijn gemaakt."
REPORTER = "Jan Melder"
FILE_TEXT = b"geheime bijlage"


@pytest.fixture
def foreign_case(other_organisation) -> Case:
    """A confidential report of another organisation, with an attachment."""
    case = submit_case(
        other_organisation,
        description=SECRET,
        identity_mode=IdentityMode.CONFIDENTIAL,
        identity={"name": REPORTER, "phone": "0612345678"},
    ).case
    stored = attachment_store(case=case, upload=upload("verklaring-JanMelder.txt", FILE_TEXT))
    stored.scan_status = ScanStatus.CLEAN
    stored.save()
    return case


@pytest.fixture
def actor(make_user, organisation) -> User:
    """The gemeentesecretaris of Leiderdorp: reads cases of Leiderdorp (from the approval
    step on), never those of Oegstgeest."""
    return make_user(Role.SECRETARY, organisation)


def window_start() -> datetime.datetime:
    """The start of the current window of the bound (audit/denials.py)."""
    seconds = DENIED_WINDOW_MINUTES * 60
    now = int(timezone.now().timestamp())
    return datetime.datetime.fromtimestamp(now - now % seconds, tz=datetime.UTC)


@pytest.fixture
def one_window() -> Iterator[None]:
    """The test runs from the start of a window on, so that its refusals share one."""
    with time_machine.travel(window_start() + datetime.timedelta(seconds=1)):
        yield


def logged_in(user: User) -> Client:
    return login_with_second_factor(Client(), user)


def denied(user: User):
    return AuditEvent.objects.filter(actor=user, result=Result.DENIED).order_by("pk")


def assert_content_free(event: AuditEvent, *texts: str) -> None:
    values = " ".join(
        str(v) for v in AuditEvent.objects.filter(pk=event.pk).values().get().values()
    )
    for text in (SECRET, REPORTER, "0612345678", "verklaring", *texts):
        assert text not in values


def attachment_url(case: Case) -> str:
    return reverse("attachments:download", args=[case.attachments.get().pk])


# --- one event per refusal ---------------------------------------------------------------


@pytest.mark.requirement("R-BIO-1")
@pytest.mark.parametrize(
    ("method", "route", "kind"),
    [
        ("get", "cases:case_detail", "case"),
        ("post", "cases:transition", "case"),  # a forged step of the workflow
        ("post", "cases:note", "case"),
        ("get", "cases:reporter", "identity"),
        ("post", "cases:reveal_identity", "identity"),
    ],
)
def test_a_refused_case_route_is_one_denied_event(
    actor, organisation, foreign_case, method, route, kind
):
    client = logged_in(actor)
    url = reverse(route, args=[foreign_case.case_number])
    data = {"name": "acknowledge", "note-body": "x", "reveal-reason": "Omdat het moet, echt."}
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    assert response.status_code == 404
    event = denied(actor).get()
    assert event.action == f"access.denied.{kind}"
    assert (event.object_type, event.object_id) == ("cases.case_number", foreign_case.case_number)
    # In the actor's own chain, for their administrator; nothing of the case in it.
    assert event.organisation_id == organisation.pk
    assert event.origin == "web"
    assert_content_free(event)
    foreign_case.refresh_from_db()
    assert foreign_case.status == Status.RECEIVED
    assert not foreign_case.notes.exists()


@pytest.mark.requirement("R-BIO-1")
def test_a_refused_attachment_download_is_one_denied_event(actor, organisation, foreign_case):
    response = logged_in(actor).get(attachment_url(foreign_case))
    assert response.status_code == 404
    assert FILE_TEXT not in response.content
    event = denied(actor).get()
    assert event.action == "access.denied.attachment"
    assert event.object_type == "cases.attachment"
    assert event.object_id == str(foreign_case.attachments.get().pk)
    assert event.organisation_id == organisation.pk
    assert_content_free(event)
    assert not AuditEvent.objects.filter(action="case.attachment_download").exists()


def test_the_event_does_not_tell_whether_the_case_exists(actor, foreign_case):
    """The same event for a case that exists elsewhere and for one that does not: an
    administrator probing their own log learns nothing about other organisations."""
    client = logged_in(actor)
    missing = "OGG-2026-9999"
    for number in (foreign_case.case_number, missing):
        assert client.get(reverse("cases:case_detail", args=[number])).status_code == 404
    there, not_there = denied(actor)
    fields = ("action", "actor_id", "actor_role", "object_type", "organisation_id", "result")
    assert [getattr(there, f) for f in fields] == [getattr(not_there, f) for f in fields]
    assert not_there.object_id == missing


def test_what_does_not_look_like_a_reference_is_not_kept(actor):
    """A path segment could hold anything typed, a name among them: only the kind stays."""
    client = logged_in(actor)
    assert client.get("/meldingen/JanJansen-woont-hier/").status_code == 404
    event = denied(actor).get()
    assert (event.action, event.object_type, event.object_id) == ("access.denied.case", "", "")


@pytest.mark.requirement("R-BIO-1")
def test_a_forbidden_page_is_a_denied_event_too(make_user, organisation):
    """A 403 (here an employee at the case handlers' inbox) counts like a 404."""
    employee = make_user(None, organisation)
    assert logged_in(employee).get(reverse("cases:inbox")).status_code == 403
    event = denied(employee).get()
    assert (event.action, event.object_type, event.object_id) == ("access.denied.case", "", "")
    assert event.organisation_id == organisation.pk


@pytest.fixture
def admins(make_user, organisation) -> tuple[User, User]:
    return make_user(Role.ADMINISTRATOR, organisation), make_user(Role.ADMINISTRATOR, organisation)


@pytest.fixture
def pending(admins, make_user, organisation) -> RoleAssignment:
    """A request of the first administrator, waiting for a second one."""
    return role_assignment_request(
        actor=admins[0],
        user=make_user(None, organisation),
        role=Role.SECRETARY,
        organisation=organisation,
    )


def decide(user: User, assignment: RoleAssignment):
    url = reverse("accounts:assignment_decide", args=[assignment.pk])
    return logged_in(user).post(url, {"decision": "approve"})


@pytest.mark.requirement("R-BIO-1", "R-BIO-2")
def test_approving_a_role_without_the_right_is_one_denied_event(actor, pending):
    assert decide(actor, pending).status_code == 403
    event = denied(actor).get()
    assert event.action == "access.denied.grant"
    assert (event.object_type, event.object_id) == ("accounts.roleassignment", str(pending.pk))
    pending.refresh_from_db()
    assert pending.status == AssignmentStatus.PENDING


@pytest.mark.requirement("R-BIO-1", "R-BIO-2")
def test_an_administrator_of_another_organisation_is_refused_once(
    make_user, other_organisation, pending
):
    elsewhere = make_user(Role.ADMINISTRATOR, other_organisation)
    assert decide(elsewhere, pending).status_code == 404
    event = denied(elsewhere).get()
    assert event.action == "access.denied.grant"
    assert event.organisation_id == other_organisation.pk


@pytest.mark.requirement("R-BIO-2")
def test_a_refusal_the_service_records_is_not_recorded_twice(admins, pending):
    """The requester approving their own request: the grant service records the refused
    step itself (role.approve, denied); the middleware adds nothing."""
    assert decide(admins[0], pending).status_code == 403
    event = denied(admins[0]).get()
    assert (event.action, event.object_id) == ("role.approve", str(pending.pk))


def test_an_anonymous_request_creates_no_event(client, foreign_case):
    for url in (
        reverse("cases:case_detail", args=[foreign_case.case_number]),
        attachment_url(foreign_case),
        reverse("cases:reporter", args=[foreign_case.case_number]),
    ):
        assert client.get(url).status_code in (302, 404)
    assert client.post(
        reverse("cases:transition", args=[foreign_case.case_number])
    ).status_code in (
        302,
        403,
        404,
    )
    assert not AuditEvent.objects.filter(result=Result.DENIED).exists()


def test_a_route_that_guards_nothing_records_nothing(actor):
    """Only the guarded routes: a mistyped address elsewhere is not an attempt at a case."""
    client = logged_in(actor)
    assert client.get("/bestaat-niet/").status_code == 404
    assert not denied(actor).exists()


def test_a_page_that_is_allowed_records_nothing(make_user, organisation):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    url = reverse("cases:case_detail", args=[submit_case(organisation).case.case_number])
    assert logged_in(coordinator).get(url).status_code == 200
    assert not denied(coordinator).exists()


# --- the bound -----------------------------------------------------------------------------


@pytest.mark.requirement("R-BIO-1")
def test_a_loop_cannot_flood_the_chain_and_the_chain_verifies(actor, foreign_case, verify):
    urls = [
        reverse("cases:case_detail", args=[foreign_case.case_number]),
        attachment_url(foreign_case),
        reverse("cases:reporter", args=[foreign_case.case_number]),
    ]
    # In one window: all 500 fall in it.
    start = window_start() + datetime.timedelta(seconds=1)
    with time_machine.travel(start, tick=False):
        client = logged_in(actor)
        for i in range(500):
            assert client.get(urls[i % len(urls)]).status_code == 404
    events = list(denied(actor))
    assert len(events) == DENIED_LIMIT + 1
    assert events[-1].action == BURST
    assert all(e.action.startswith("access.denied.") for e in events)
    assert verify().ok
    # The next window records again, from its first refusal on.
    later = start + datetime.timedelta(minutes=DENIED_WINDOW_MINUTES)
    with time_machine.travel(later, tick=False):
        assert logged_in(actor).get(urls[0]).status_code == 404
    assert denied(actor).count() == DENIED_LIMIT + 2
    assert denied(actor).last().action == "access.denied.case"
    assert verify().ok


def test_purge_expired_removes_the_counters_of_windows_that_are_over(actor, foreign_case):
    """One counter row per refused user: purge_expired deletes those of past windows, so
    the table does not keep a list of everyone ever refused; the current one stays."""
    url = reverse("cases:case_detail", args=[foreign_case.case_number])
    start = window_start() + datetime.timedelta(seconds=1)
    with time_machine.travel(start, tick=False):
        assert logged_in(actor).get(url).status_code == 404
        call_command("purge_expired", stdout=io.StringIO())
    assert DeniedAccessCounter.objects.filter(actor_id=actor.pk).exists()  # still its window
    later = start + datetime.timedelta(minutes=DENIED_WINDOW_MINUTES)
    with time_machine.travel(later, tick=False):
        call_command("purge_expired", stdout=io.StringIO())
    assert not DeniedAccessCounter.objects.filter(actor_id=actor.pk).exists()


def test_the_bound_counts_every_refusal_of_the_user(one_window, admins, pending):
    """The grant service's own refusals count too: a loop there is bounded as well."""
    for _ in range(DENIED_LIMIT + 5):
        assert decide(admins[0], pending).status_code == 403
    events = list(denied(admins[0]))
    assert len(events) == DENIED_LIMIT + 1
    assert events[-1].action == BURST


# --- what the administrator sees ----------------------------------------------------------


@pytest.mark.requirement("R-BIO-1")
def test_the_administrator_sees_the_refusals_under_geweigerd(actor, admins, foreign_case):
    client = logged_in(actor)
    client.get(reverse("cases:case_detail", args=[foreign_case.case_number]))
    client.get(attachment_url(foreign_case))
    response = logged_in(admins[1]).get(reverse("audit:event_list"), {"result": Result.DENIED})
    assert response.status_code == 200
    rows = [(e.action, e.actor_id) for e in response.context["page"].object_list]
    assert sorted(rows) == [
        ("access.denied.attachment", actor.pk),
        ("access.denied.case", actor.pk),
    ]
    html = response.content.decode()
    assert "Toegang tot een melding geweigerd" in html
    assert "Toegang tot een bijlage geweigerd" in html
    assert foreign_case.case_number in html  # the reference, for the administrator
    assert SECRET not in html and REPORTER not in html


def _burst_row(user: User):
    (work_list,) = [wl for wl in work_lists_for(user) if wl.title == "Geweigerde toegang"]
    (row,) = work_list.rows
    return row


@pytest.mark.requirement("R-BIO-1")
def test_a_burst_is_on_the_administrators_home_page(one_window, actor, admins, foreign_case):
    assert _burst_row(admins[1]).count == 0
    home = logged_in(admins[1]).get(reverse("home")).content.decode()
    assert "Geen reeksen van geweigerde verzoeken in de laatste 7 dagen." in home
    client = logged_in(actor)
    url = reverse("cases:case_detail", args=[foreign_case.case_number])
    for _ in range(DENIED_LIMIT + 3):
        client.get(url)
    row = _burst_row(admins[1])
    assert (row.count, row.oldest) == (1, timezone.localdate())
    # The row leads to exactly those events in the audit log.
    listed = logged_in(admins[1]).get(row.url)
    assert [(e.action, e.actor_id) for e in listed.context["page"].object_list] == [
        (BURST, actor.pk)
    ]
    # Only administrators have the list.
    assert not [wl for wl in work_lists_for(actor) if wl.title == "Geweigerde toegang"]
