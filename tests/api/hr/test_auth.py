"""Authentication and scoping of the HR API: 401 without an active token, 403 for a read
token that writes, and an organisation's token never reaches another organisation."""

from typing import Any

import pytest
from django.test import Client

from integritas.accounts.api_tokens.constants import TokenScope
from integritas.accounts.api_tokens.models import ApiToken
from integritas.accounts.api_tokens.services import api_token_revoke
from integritas.accounts.constants import Role
from integritas.api.hr import authentication
from integritas.audit.constants import Result
from integritas.audit.models import AuditEvent
from integritas.organisations.models import Employee
from tests.factories import EmployeeFactory, FunctionFactory, OrgUnitFactory

from .conftest import URL, Caller, row

pytestmark = pytest.mark.django_db

ENDPOINTS = ("afdelingen/", "functies/", "medewerkers/")


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer itg_0123456789abcdef_nietgeldig",
        "Token itg_0123456789abcdef_x",
        "Bearer ïtg",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_missing_or_invalid_token_is_401(path: str, header: str | None) -> None:
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = Client().get(URL + path, **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Cache-Control"] == "no-store"


def test_a_revoked_token_is_401(reader: Caller, admin: Any) -> None:
    api_token_revoke(actor=admin, token=ApiToken.objects.get())
    assert reader.get("medewerkers/").status_code == 401
    assert reader.upsert([row("A1")]).status_code == 401


def test_a_read_token_on_the_write_endpoint_is_403(reader: Caller) -> None:
    response = reader.upsert([row("A1")])
    assert response.status_code == 403
    assert not Employee.objects.filter(personnel_number="A1").exists()
    assert reader.get("medewerkers/").status_code == 200


def test_a_session_is_not_a_credential(client_for: Any, organisation: Any) -> None:
    """An administrator's or HRM's logged-in browser reaches nothing of the API."""
    for role in (Role.ADMINISTRATOR, Role.HRM):
        browser = client_for(role, organisation)
        assert browser.get(URL + "medewerkers/").status_code == 401
        response = browser.post(
            URL + "medewerkers/", {"employees": [row("A1")]}, content_type="application/json"
        )
        assert response.status_code == 401
        assert "Set-Cookie" not in response.headers
    assert not Employee.objects.filter(personnel_number="A1").exists()


def test_an_organisations_token_never_reads_another_organisation(
    issue: Any, organisation: Any, other_organisation: Any
) -> None:
    mine = EmployeeFactory(organisation=organisation, personnel_number="M1")
    EmployeeFactory(organisation=other_organisation, personnel_number="T1")
    OrgUnitFactory(organisation=other_organisation, code="THEIRS")
    FunctionFactory(organisation=other_organisation, code="THEIRS")
    caller = Caller(issue(organisation, TokenScope.READ))
    numbers = {e["personeelsnummer"] for e in caller.get("medewerkers/").json()["results"]}
    assert mine.personnel_number in numbers
    assert numbers == set(
        Employee.objects.filter(organisation=organisation).values_list(
            "personnel_number", flat=True
        )
    )
    assert "T1" not in numbers
    for path in ("afdelingen/", "functies/"):
        codes = [r["code"] for r in caller.get(path).json()["results"]]
        assert "THEIRS" not in codes
    # Not through the cursor either.
    after = caller.get("medewerkers/", after="S").json()["results"]
    assert [e["personeelsnummer"] for e in after] == []


def test_an_organisations_token_never_touches_another_organisation(
    issue: Any, organisation: Any, other_organisation: Any
) -> None:
    theirs = EmployeeFactory(
        organisation=other_organisation, personnel_number="X1", first_name="Bert"
    )
    caller = Caller(issue(organisation, TokenScope.WRITE))
    # The same personnel number, and an organisation field that tries another one.
    response = caller.upsert(
        [row("X1", voornaam="Overschreven", organisatie=other_organisation.slug)]
    )
    assert response.status_code == 200, response.json()
    theirs.refresh_from_db()
    assert theirs.first_name == "Bert"
    created = Employee.objects.get(personnel_number="X1", organisation=organisation)
    assert created.first_name == "Overschreven"
    # A manager who exists only in the other organisation is unknown here.
    EmployeeFactory(organisation=other_organisation, personnel_number="X9")
    response = caller.upsert([row("Y1", leidinggevende="X9")])
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "leidinggevende"


@pytest.mark.requirement("R-BIO-1")
def test_failed_authentications_are_audited_and_bounded(monkeypatch: Any) -> None:
    monkeypatch.setattr(authentication, "AUTH_FAILURE_LIMIT", 3)
    from integritas.api.hr import views

    monkeypatch.setattr(views, "AUTH_FAILURE_LIMIT", 3)
    bad = {"HTTP_AUTHORIZATION": "Bearer itg_0123456789abcdef_nietgeldig"}
    codes = [Client().get(URL + "medewerkers/", **bad).status_code for _ in range(5)]
    assert codes == [401, 401, 401, 429, 429]
    events = AuditEvent.objects.filter(action="api.hr.unauthenticated")
    assert events.count() == 3
    assert set(events.values_list("result", "actor_id", "object_id")) == {(Result.DENIED, None, "")}


ALL_ENDPOINTS = (*ENDPOINTS, "verplichtingen/")


@pytest.mark.parametrize("scope", ["none", "pending_write", "read", "write"])
def test_scope_by_endpoint_and_method(
    scope: str, issue: Any, admin: Any, organisation: Any
) -> None:
    """The role x action matrix of the API: every endpoint, read and write, per credential.
    No token or a write token still waiting for the second administrator: 401; a read
    token reads everything and writes nothing (403); a write token also upserts; what no
    endpoint offers is 405, never a silent success."""
    from integritas.accounts.api_tokens.services import api_token_issue

    if scope == "none":
        caller = Caller(None)
    elif scope == "pending_write":
        pending = api_token_issue(
            actor=admin, organisation=organisation, name="Wacht", scope=TokenScope.WRITE
        )
        caller = Caller(pending.value)
    else:
        caller = Caller(issue(organisation, scope))
    for path in ALL_ENDPOINTS:
        read = caller.get(path).status_code
        body = {"employees": [row("M1")]} if path == "medewerkers/" else {"x": 1}
        write = caller.post(path, body).status_code
        other = caller.client.delete(URL + path, **caller._headers()).status_code
        if scope in ("none", "pending_write"):
            expected = (401, 401, 401)
        elif scope == "read":
            expected = (200, 403, 403)
        else:
            expected = (200, 200 if path == "medewerkers/" else 405, 405)
        assert (read, write, other) == expected, (scope, path)
    assert Employee.objects.filter(personnel_number="M1").exists() == (scope == "write")
