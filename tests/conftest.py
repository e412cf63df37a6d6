"""Shared fixtures: organisations, users per role, and logged-in clients with 2FA passed."""

from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.internal.flows.login import record_authentication
from django.test import Client, RequestFactory

from integritas.accounts.models import User
from integritas.organisations.models import Organisation

from .factories import EmployeeFactory, OrganisationFactory, grant


@pytest.fixture
def organisation(db: Any) -> Organisation:
    return OrganisationFactory(slug="leiderdorp", name="Gemeente Leiderdorp", case_prefix="LDP")


@pytest.fixture
def other_organisation(db: Any) -> Organisation:
    return OrganisationFactory(slug="oegstgeest", name="Gemeente Oegstgeest", case_prefix="OGG")


@pytest.fixture
def make_user(organisation: Organisation) -> Callable[..., User]:
    """make_user(role=None, organisation=None) -> a user with an employee record."""

    def _make(role: str | None = None, org: Organisation | None = None) -> User:
        org = org or organisation
        employee = EmployeeFactory(organisation=org)
        if role is not None:
            grant(employee.user, role, org)
        return employee.user

    return _make


def login_with_second_factor(client: Client, user: User) -> Client:
    """Log in and mark the session as having passed a second factor (as allauth does)."""
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()
    return client


@pytest.fixture
def client_for(client: Client, make_user: Callable[..., User]) -> Callable[..., Client]:
    """client_for(role, organisation=None): a logged-in client whose 2FA is satisfied."""

    def _client(role: str | None = None, org: Organisation | None = None) -> Client:
        user = make_user(role, org)
        fresh = Client()
        return login_with_second_factor(fresh, user)

    return _client
