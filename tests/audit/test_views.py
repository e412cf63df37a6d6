"""The administrators' audit list at /beheer/audit/ (R-BIO-1): who sees what, filters,
pagination and a constant number of queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.audit.constants import Origin, Result
from integritas.audit.models import AuditEvent
from integritas.audit.services import audit_record
from tests.conftest import login_with_second_factor
from tests.factories import OrganisationFactory, RegionFactory, grant

pytestmark = pytest.mark.django_db

URL = "/beheer/audit/"


@pytest.fixture
def regional_admin_client(make_user):
    """An administrator for the whole region (an assignment without an organisation)."""
    user = make_user()
    grant(user, Role.ADMINISTRATOR, None)
    return login_with_second_factor(Client(), user)


@pytest.fixture
def three_chains(organisation, other_organisation):
    audit_record(action="test.own", organisation=organisation)
    audit_record(action="test.other", organisation=other_organisation)
    audit_record(action="test.region")


def actions(response):
    return sorted(e.action for e in response.context["page"].object_list)


def test_regional_administrator_sees_every_chain_of_the_region(regional_admin_client, three_chains):
    response = regional_admin_client.get(URL)
    assert response.status_code == 200
    assert actions(response) == ["test.other", "test.own", "test.region"]
    assert "test.own" in response.content.decode()


def test_organisation_administrator_sees_only_their_organisations_chain(
    client_for, organisation, three_chains
):
    response = client_for(Role.ADMINISTRATOR, organisation).get(URL)
    assert response.status_code == 200
    assert actions(response) == ["test.own"]
    body = response.content.decode()
    assert "test.other" not in body
    assert "test.region" not in body


def test_regional_administrator_does_not_see_another_regions_organisations(
    regional_admin_client, three_chains
):
    elsewhere = OrganisationFactory(
        slug="elders", region=RegionFactory(slug="elders", name="Elders")
    )
    audit_record(action="test.elsewhere", organisation=elsewhere)
    assert "test.elsewhere" not in actions(regional_admin_client.get(URL))


@pytest.mark.parametrize(
    "role", [None, *[r for r in Role if r not in (Role.ADMINISTRATOR, Role.EMPLOYEE)]]
)
def test_every_other_role_is_refused(client_for, organisation, role, three_chains):
    response = client_for(role, organisation).get(URL)
    assert response.status_code == 403
    assert b"test.own" not in response.content


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.fixture
def varied_events(organisation, make_user):
    alice, bob = make_user(), make_user()
    tz = timezone.get_current_timezone()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=tz), tick=False):
        audit_record(action="login.password", actor=alice, organisation=organisation)
    with time_machine.travel(datetime.datetime(2026, 3, 3, 23, 30, tzinfo=tz), tick=False):
        audit_record(
            action="assignment.granted",
            actor=bob,
            organisation=organisation,
            result=Result.DENIED,
            origin=Origin.API,
        )
    with time_machine.travel(datetime.datetime(2026, 3, 4, 0, 30, tzinfo=tz), tick=False):
        audit_record(action="assignment.revoked", actor=alice, organisation=organisation)
    return alice, bob


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["assignment.granted", "assignment.revoked", "login.password"]),
        ({"action": "assignment"}, ["assignment.granted", "assignment.revoked"]),
        ({"action": "login.password"}, ["login.password"]),
        ({"result": "denied"}, ["assignment.granted"]),
        ({"origin": "api"}, ["assignment.granted"]),
        ({"actor": "BOB"}, ["assignment.granted"]),
        ({"actor": "ALICE", "action": "assignment"}, ["assignment.revoked"]),
        # Whole local days (Europe/Amsterdam), also just before and after midnight.
        ({"date_from": "2026-03-03", "date_to": "2026-03-03"}, ["assignment.granted"]),
        ({"date_from": "2026-03-04"}, ["assignment.revoked"]),
        ({"date_to": "2026-03-02"}, ["login.password"]),
    ],
)
def test_filters(client_for, organisation, varied_events, query, expected):
    alice, bob = varied_events
    if query.get("actor") == "BOB":
        query = {**query, "actor": bob.email.upper()}
    elif query.get("actor") == "ALICE":
        query = {**query, "actor": alice.email}
    response = client_for(Role.ADMINISTRATOR, organisation).get(URL, query)
    assert response.status_code == 200
    assert actions(response) == expected


def test_invalid_filter_shows_the_error_in_dutch(client_for, organisation, varied_events):
    response = client_for(Role.ADMINISTRATOR, organisation).get(URL, {"date_from": "morgen"})
    assert response.status_code == 200
    assert "geldige datum" in response.content.decode()


def make_events(organisation, users, n):
    for i in range(n):
        audit_record(
            action=f"test.event{i:03d}",
            actor=users[i % len(users)],
            obj=organisation,
            organisation=organisation,
        )


def test_list_pages_by_keyset_and_keeps_the_filter(client_for, organisation, make_user):
    make_events(organisation, [make_user()], 60)
    client = client_for(Role.ADMINISTRATOR, organisation)

    first = client.get(URL, {"action": "test."})
    page = first.context["page"]
    assert len(page.object_list) == 50
    # Newest first; the first page has no way to newer events.
    assert page.object_list[0].action == "test.event059"
    assert page.newer is None
    older_link = f"action=test.&amp;ouder={page.older.encode()}"
    assert older_link in first.content.decode()

    second = client.get(URL, {"action": "test.", "ouder": page.older.encode()})
    assert [e.action for e in second.context["page"].object_list] == [
        f"test.event{i:03d}" for i in range(9, -1, -1)
    ]
    assert second.context["page"].older is None

    back = client.get(URL, {"action": "test.", "nieuwer": second.context["page"].newer.encode()})
    assert [e.action for e in back.context["page"].object_list] == [
        e.action for e in page.object_list
    ]
    assert back.context["page"].newer is None


def test_events_with_the_same_timestamp_are_neither_lost_nor_repeated(
    client_for, organisation, make_user
):
    with time_machine.travel(datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC), tick=False):
        make_events(organisation, [make_user()], 120)
    client = client_for(Role.ADMINISTRATOR, organisation)
    seen, cursor = [], None
    while True:
        response = client.get(URL, {"action": "test.", **({"ouder": cursor} if cursor else {})})
        page = response.context["page"]
        seen += [e.action for e in page.object_list]
        if page.older is None:
            break
        cursor = page.older.encode()
    assert seen == [f"test.event{i:03d}" for i in range(119, -1, -1)]


@pytest.mark.parametrize("cursor", ["", "x", "12-", "-1-2", "9" * 40 + "-1", "123-abc"])
def test_a_broken_cursor_shows_the_first_page(client_for, organisation, make_user, cursor):
    make_events(organisation, [make_user()], 3)
    response = client_for(Role.ADMINISTRATOR, organisation).get(URL, {"ouder": cursor})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3


def test_no_page_counts_the_table(client_for, organisation, make_user):
    make_events(organisation, [make_user()], 60)
    client = client_for(Role.ADMINISTRATOR, organisation)
    first = client.get(URL)
    for query in ({}, {"ouder": first.context["page"].older.encode()}, {"result": "success"}):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, query).status_code == 200
        audit_sql = [q["sql"] for q in ctx.captured_queries if "audit_auditevent" in q["sql"]]
        assert audit_sql, query
        assert not [sql for sql in audit_sql if "COUNT(" in sql.upper()], query
        assert all("LIMIT 51" in sql for sql in audit_sql if "SELECT" in sql), query


def test_role_and_organisation_filters(client_for, make_user, organisation, other_organisation):
    audit_record(action="test.hrm", actor_role=Role.HRM, organisation=organisation)
    audit_record(action="test.admin", actor_role=Role.ADMINISTRATOR, organisation=organisation)
    audit_record(action="test.elsewhere", organisation=other_organisation)
    user = make_user()
    grant(user, Role.ADMINISTRATOR, None)
    client = login_with_second_factor(Client(), user)
    assert actions(client.get(URL, {"actor_role": Role.HRM})) == ["test.hrm"]
    by_org = client.get(URL, {"organisation": other_organisation.pk, "action": "test."})
    assert actions(by_org) == ["test.elsewhere"]
    # An organisation administrator cannot filter on (or see) another organisation.
    local = client_for(Role.ADMINISTRATOR, organisation)
    refused = local.get(URL, {"organisation": other_organisation.pk})
    assert "organisation" in refused.context["form"].errors


def test_the_list_names_actions_and_roles_in_dutch_next_to_their_codes(client_for, organisation):
    """The auditor reads what happened in Dutch and still has the code that was hashed,
    filtered on and exported; a code without a name is shown as it is."""
    audit_record(
        action="login.password", actor_role=Role.INTEGRITY_COORDINATOR, organisation=organisation
    )
    audit_record(action="test.unnamed", organisation=organisation)
    body = client_for(Role.ADMINISTRATOR, organisation).get(URL).content.decode()
    assert "Ingelogd met wachtwoord <code>login.password</code>" in body
    assert "Integriteitscoördinator <code>integrity_coordinator</code>" in body
    assert 'data-label="Actie"><code>test.unnamed</code></td>' in body


def test_the_export_streams_the_filtered_events_and_is_itself_audited(
    client_for, organisation, other_organisation, make_user
):
    make_events(organisation, [make_user()], 5)
    audit_record(action="test.other", organisation=other_organisation)
    response = client_for(Role.ADMINISTRATOR, organisation).get(
        reverse("audit:event_export"), {"action": "test.event00"}
    )
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("timestamp,chain,sequence,actor_id,actor_role,action")
    assert [line.split(",")[5] for line in lines[1:]] == [f"test.event00{i}" for i in range(5)]
    assert "test.other" not in "".join(lines)
    assert AuditEvent.objects.filter(action="audit.export").count() == 1


def test_the_export_is_refused_to_everyone_but_administrators(client_for, organisation):
    for role in (None, Role.HRM, Role.INTEGRITY_COORDINATOR, Role.SECRETARY):
        response = client_for(role, organisation).get(reverse("audit:event_export"))
        assert response.status_code == 403, role


def count_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_number_of_events(
    client_for, organisation, make_user, django_assert_max_num_queries
):
    users = [make_user() for _ in range(5)]
    client = client_for(Role.ADMINISTRATOR, organisation)
    make_events(organisation, users, 10)
    with_ten = count_queries(client)
    make_events(organisation, users, 50)
    with django_assert_max_num_queries(with_ten):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 50
    assert with_ten <= 20
    # A page deep in the log costs the same as the first.
    deep = {"ouder": response.context["page"].older.encode()}
    with django_assert_max_num_queries(with_ten):
        assert client.get(URL, deep).status_code == 200


def test_a_large_region_filters_on_an_organisation_typed_by_name_or_code(
    regional_admin_client, organisation, other_organisation
):
    """Beyond 25 organisations the filter is a text field, not a <select> of every one;
    a name or code outside the administrator's region is refused in Dutch."""
    for number in range(25):
        OrganisationFactory(region=organisation.region, slug=f"gemeente-{number}")
    audit_record(action="test.own", organisation=organisation)
    audit_record(action="test.other", organisation=other_organisation)
    elsewhere = OrganisationFactory(
        slug="elders", name="Elders", region=RegionFactory(slug="elders", name="Elders")
    )

    page = regional_admin_client.get(URL).content.decode()
    assert "<select" in page  # the role, result and origin filters
    assert 'name="organisation"' in page and f'<option value="{organisation.pk}"' not in page

    by_name = regional_admin_client.get(URL, {"organisation": organisation.name.upper()})
    assert actions(by_name) == ["test.own"]
    by_code = regional_admin_client.get(URL, {"organisation": other_organisation.slug})
    assert actions(by_code) == ["test.other"]

    refused = regional_admin_client.get(URL, {"organisation": elsewhere.name})
    body = refused.content.decode()
    assert "Geen organisatie met deze naam of code die u beheert." in body
    assert 'value="Elders"' in body  # what was typed stays


def test_a_regional_administrators_page_costs_the_same_for_30_and_120_organisations(
    regional_admin_client, organisation
):
    """Beyond 25 organisations the filter no longer lists them: the page's queries stay
    the same however large the region grows (benchmarks/run.py relies on this)."""
    for number in range(29):
        OrganisationFactory(region=organisation.region, slug=f"gemeente-{number}")
    audit_record(action="test.own", organisation=organisation)
    regional_admin_client.get(URL)
    with_30 = count_queries(regional_admin_client)
    for number in range(29, 119):
        OrganisationFactory(region=organisation.region, slug=f"gemeente-{number}")
    regional_admin_client.get(URL)
    assert count_queries(regional_admin_client) == with_30
