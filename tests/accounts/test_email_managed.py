"""A user cannot redirect their own mail: the address comes from the organisation.

Issue 10, point 9. allauth's /accounts/email/ let any user add an address and make it
primary, so the notices of a role (a new report, a grant to decide) could go to a private
mailbox. The address now comes from HR data, the administrator or the organisation's
sign-on only: /accounts/email/ says so in Dutch and no request to it changes anything.
"""

from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.accounts.services import user_create
from tests.conftest import login_with_second_factor

from .conftest import password_login

pytestmark = pytest.mark.django_db

URL = "/accounts/email/"
PRIVATE = "prive.adres@example.com"

# Every change allauth's page offered, as its form posts it.
ATTEMPTS = (
    {"action_add": "", "email": PRIVATE},
    {"action_primary": "", "email": PRIVATE},
    {"action_remove": "", "email": "ORIGINAL"},
    {"action_send": "", "email": "ORIGINAL"},
)


@pytest.fixture
def employee(organisation) -> User:
    return user_create(
        actor=None, email="m.jansen@leiderdorp.nl", full_name="M. Jansen", password="x" * 16
    )


def addresses(user: User) -> list[tuple[str, bool, bool]]:
    return sorted(
        EmailAddress.objects.filter(user=user).values_list("email", "primary", "verified")
    )


def assert_unchanged(user: User, before: list[tuple[str, bool, bool]], email: str) -> None:
    user.refresh_from_db()
    assert user.email == email
    assert addresses(user) == before
    assert not EmailAddress.objects.filter(email__iexact=PRIVATE, primary=True).exists()


def test_the_page_says_where_the_address_comes_from_and_offers_no_change(employee):
    client = Client()
    client.force_login(employee, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = client.get(URL)
    assert response.status_code == 200
    assert reverse("account_email") == URL
    html = response.content.decode()
    assert "m.jansen@leiderdorp.nl" in html
    assert "komt van uw organisatie" in html and "niet wijzigen" in html
    assert 'name="email"' not in html and "action_add" not in html
    assert "<form" not in html.split("<main", 1)[-1].split("</main>", 1)[0]


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda a: next(iter(a)))
def test_no_post_adds_or_changes_an_address(employee, attempt):
    EmailAddress.objects.create(user=employee, email=PRIVATE, verified=True, primary=False)
    before = addresses(employee)
    client = Client()
    client.force_login(employee, backend="allauth.account.auth_backends.AuthenticationBackend")
    data = {key: employee.email if value == "ORIGINAL" else value for key, value in attempt.items()}
    response = client.post(URL, data)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "komt van uw organisatie" in response.content.decode()
    assert_unchanged(employee, before, "m.jansen@leiderdorp.nl")


def test_a_privileged_user_with_a_fresh_second_factor_cannot_change_it_either(
    make_user: Callable[..., User],
):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR)
    email = coordinator.email
    before = addresses(coordinator)
    client = login_with_second_factor(Client(), coordinator)
    assert client.get(URL).status_code == 200
    for attempt in ATTEMPTS:
        response = client.post(URL, {**attempt, "email": PRIVATE})
        assert response.status_code == 405
    assert_unchanged(coordinator, before, email)


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(URL, ATTEMPTS[0]).status_code == 302
    assert not EmailAddress.objects.filter(email=PRIVATE).exists()


def test_the_user_still_logs_in_with_the_organisations_address(client, employee):
    client.post(URL, ATTEMPTS[0])  # not logged in: nothing
    response = password_login(client, employee, password="x" * 16)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(employee.pk)
    assert client.get(reverse("home")).status_code == 200
    client.post(URL, ATTEMPTS[0])
    client.post(reverse("account_logout"))
    assert password_login(Client(), employee, password="x" * 16).status_code == 302
    refused = password_login(Client(), User(email=PRIVATE), password="x" * 16)
    assert "_auth_user_id" not in refused.wsgi_request.session
