"""Idle session expiry: 30 minutes for employees, 15 for privileged roles (R-BIO-2)."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.accounts.middleware import LAST_SEEN_KEY
from integritas.audit.models import AuditEvent

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _assert_ends_on_login_page(client, page: str = "/") -> None:
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not _logged_in(client)
    final = client.get(page, follow=True)
    assert final.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert b'name="login"' in final.content


def test_the_configured_limits():
    assert settings.SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_IDLE_MINUTES_PRIVILEGED == 15


@pytest.mark.parametrize(
    ("role", "minutes"),
    [(None, 30), (Role.HRM, 15), (Role.ADMINISTRATOR, 15), (Role.CONFIDENTIAL_COUNSELLOR, 15)],
)
def test_session_survives_up_to_the_limit(clock, client_for, role, minutes):
    client = client_for(role)
    assert client.get("/").status_code == 200
    assert client.session[LAST_SEEN_KEY] == int(START.timestamp())
    clock.shift(datetime.timedelta(minutes=minutes))
    assert client.get("/").status_code == 200
    assert _logged_in(client)


@pytest.mark.parametrize(
    ("role", "minutes"),
    [(None, 30), (Role.HRM, 15), (Role.ADMINISTRATOR, 15), (Role.CONFIDENTIAL_COUNSELLOR, 15)],
)
def test_session_ends_after_the_limit(clock, client_for, role, minutes):
    client = client_for(role)
    assert client.get("/").status_code == 200
    clock.shift(datetime.timedelta(minutes=minutes, seconds=1))
    _assert_ends_on_login_page(client)


def test_employee_session_is_not_cut_at_the_privileged_limit(clock, client_for):
    client = client_for(None)
    client.get("/")
    clock.shift(datetime.timedelta(minutes=20))
    assert client.get("/").status_code == 200


def test_activity_keeps_the_session_alive(clock, client_for):
    client = client_for(Role.ADMINISTRATOR)
    for _ in range(12):  # two hours, a request every ten minutes
        assert client.get("/beheer/gebruikers/").status_code == 200
        clock.shift(datetime.timedelta(minutes=10))
    assert _logged_in(client)


def test_expiry_is_audited_as_logout_and_posts_are_refused(clock, client_for):
    client = client_for(Role.ADMINISTRATOR)
    client.get("/")
    clock.shift(datetime.timedelta(minutes=16))
    response = client.post(reverse("accounts:user_create"), {"email": "x@example.nl"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not _logged_in(client)
    assert AuditEvent.objects.filter(action="logout", timestamp__gte=timezone.now()).exists()


def test_expiry_also_applies_on_the_account_pages(clock, client_for):
    # The idle limit holds on allauth's pages too, e.g. the 2FA settings.
    client = client_for(Role.ADMINISTRATOR)
    client.get("/")
    clock.shift(datetime.timedelta(minutes=16))
    client.get(reverse("mfa_index"))
    assert not _logged_in(client)
