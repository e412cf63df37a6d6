"""The basics every user relies on: login redirect, health check, home page."""

import pytest
from django.urls import reverse

from integritas.accounts.constants import Role


@pytest.mark.django_db
def test_anonymous_root_ends_on_login_page(client):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert response.status_code == 200
    assert b'name="login"' in response.content


@pytest.mark.django_db
def test_healthz_checks_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_employee_home_shows_organisation(client_for, organisation):
    client = client_for(None)
    response = client.get("/")
    assert response.status_code == 200
    assert "Mijn integriteit" in response.content.decode()
    assert organisation.name in response.content.decode()


def test_privileged_user_without_second_factor_is_sent_to_totp_setup(client, make_user):
    user = make_user(Role.HRM)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
