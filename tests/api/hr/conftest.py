"""Fixtures of the HR API tests: administrators, tokens (the value once) and a caller."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from integritas.accounts.api_tokens.constants import TokenScope
from integritas.accounts.api_tokens.services import api_token_decide, api_token_issue
from integritas.accounts.constants import Role
from integritas.accounts.grants.permissions import administers
from integritas.accounts.models import User
from integritas.organisations.models import Organisation
from tests.factories import EmployeeFactory, grant

URL = "/api/v1/hr/"


def row(number: str, **overrides: Any) -> dict[str, Any]:
    """One employee as the API takes it (the HR file's columns without organisatie)."""
    data: dict[str, Any] = {
        "personeelsnummer": number,
        "voornaam": "Anna",
        "achternaam": f"Jansen {number}",
        "email": f"p{number.lower()}@example.nl",
        "afdeling": "FIN",
        "afdeling_naam": "Financiën",
        "bovenliggende_afdeling": "",
        "functie": "ADV",
        "functie_naam": "Adviseur",
        "dienstverband": "in_dienst",
        "datum_in_dienst": "2024-01-15",
        "datum_uit_dienst": "",
        "leidinggevende": "",
    }
    data.update(overrides)
    return data


class Caller:
    """Calls the HR API with a bearer token and no session."""

    def __init__(self, value: str | None) -> None:
        self.client = Client()
        self.value = value

    def _headers(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.value}"} if self.value else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(URL + path, params, **self._headers())

    def post(self, path: str, data: Any) -> Any:
        return self.client.post(
            URL + path, data=json.dumps(data), content_type="application/json", **self._headers()
        )

    def upsert(self, rows: list[dict[str, Any]], **extra: Any) -> Any:
        return self.post("medewerkers/", {"employees": rows, **extra})


@pytest.fixture
def admin(make_user: Callable[..., User], organisation: Organisation) -> User:
    return make_user(Role.ADMINISTRATOR, organisation)


@pytest.fixture
def second_admin(make_user: Callable[..., User], organisation: Organisation) -> User:
    return make_user(Role.ADMINISTRATOR, organisation)


@pytest.fixture
def issue(admin: User, second_admin: User) -> Callable[..., str]:
    """issue(organisation, scope=read) -> the token's value; a write token approved."""

    def _issue(organisation: Organisation, scope: str = TokenScope.READ) -> str:
        requester, approver = admin, second_admin
        if not administers(admin, organisation.pk):
            requester = EmployeeFactory(organisation=organisation).user
            approver = EmployeeFactory(organisation=organisation).user
            grant(requester, Role.ADMINISTRATOR, organisation)
            grant(approver, Role.ADMINISTRATOR, organisation)
        issued = api_token_issue(
            actor=requester, organisation=organisation, name="AFAS", scope=scope
        )
        if scope == TokenScope.WRITE:
            api_token_decide(actor=approver, token=issued.token, approve=True)
        return issued.value

    return _issue


@pytest.fixture
def reader(issue: Callable[..., str], organisation: Organisation) -> Caller:
    return Caller(issue(organisation, TokenScope.READ))


@pytest.fixture
def writer(issue: Callable[..., str], organisation: Organisation) -> Caller:
    return Caller(issue(organisation, TokenScope.WRITE))
