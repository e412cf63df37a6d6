"""Brute-force lock-out of the allauth login form (django-axes)."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.test import Client
from django.urls import reverse

from integritas.accounts.lockout import username_from_request
from integritas.audit.constants import Result
from integritas.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD

WRONG = "Fout-wachtwoord-2026!"


@pytest.fixture
def allauth_rate_limit_on() -> bool:
    return False


@pytest.fixture(autouse=True)
def _axes_alone(allauth_rate_limit_on, settings):
    """allauth has a rate limit of its own in the (per-process) cache that also stops the
    sixth try. Switch it off so these tests prove that axes, on the database, locks out."""
    if not allauth_rate_limit_on:
        settings.ACCOUNT_RATE_LIMITS = False


def _fail(client: Client, email: str, times: int) -> None:
    """Post a wrong password `times` times; the attempt that reaches the limit is refused."""
    for attempt in range(1, times + 1):
        response = client.post(reverse("account_login"), {"login": email, "password": WRONG})
        if attempt < settings.AXES_FAILURE_LIMIT:
            assert response.status_code == 200  # the form again, with an error
        else:
            _assert_locked_out(response)
        assert "_auth_user_id" not in client.session


def _assert_locked_out(response) -> None:
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()


def test_lockout_after_failure_limit_even_with_right_password(client, make_user):
    user = make_user()
    _fail(client, user.email, settings.AXES_FAILURE_LIMIT)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    _assert_locked_out(response)
    assert "_auth_user_id" not in client.session
    # Really recorded by axes under the login name allauth posts, not an empty name.
    attempt = AccessAttempt.objects.get()
    assert attempt.username == user.email
    assert attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT


def test_one_failure_below_the_limit_still_logs_in(client, make_user):
    user = make_user()
    _fail(client, user.email, settings.AXES_FAILURE_LIMIT - 1)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    # AXES_RESET_ON_SUCCESS: the count starts again after a good login.
    assert not AccessAttempt.objects.filter(failures_since_start__gt=0).exists()


def test_lockout_holds_for_a_fresh_client_and_different_letter_case(make_user):
    # The lock is per login name and address: a new browser or upper case letters
    # do not get around it.
    user = make_user()
    _fail(Client(), user.email, settings.AXES_FAILURE_LIMIT)
    response = Client().post(
        reverse("account_login"), {"login": user.email.upper(), "password": TEST_PASSWORD}
    )
    _assert_locked_out(response)


def test_lockout_of_one_name_does_not_block_another(client, make_user):
    victim, colleague = make_user(), make_user()
    _fail(client, victim.email, settings.AXES_FAILURE_LIMIT)
    response = client.post(
        reverse("account_login"), {"login": colleague.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


def test_failed_logins_are_audited_without_the_login_name(client, make_user):
    user = make_user()
    _fail(client, user.email, 2)
    events = AuditEvent.objects.filter(action="login.failed")
    assert events.count() == 2
    for event in events:
        assert event.result == Result.FAILURE
        assert event.actor_id is None
        values = " ".join(str(getattr(event, f.attname)) for f in event._meta.concrete_fields)
        assert user.email not in values
        assert user.email.split("@")[0] not in values
    # Axes keeps no user agent, and successful logins only in our audit log.
    client.post(
        reverse("account_login"),
        {"login": user.email, "password": TEST_PASSWORD},
        headers={"user-agent": "Mozilla/5.0 Testbrowser"},
    )
    assert AccessFailureLog.objects.count() == 2
    assert not AccessFailureLog.objects.exclude(user_agent="").exists()
    assert not AccessLog.objects.exists()
    assert AuditEvent.objects.filter(action="login.password", actor_id=user.pk).exists()


def test_unknown_login_name_is_locked_out_too(client, db):
    # No enumeration: an unknown name behaves like a known one.
    _fail(client, "niemand@example.nl", settings.AXES_FAILURE_LIMIT)
    response = client.post(
        reverse("account_login"), {"login": "niemand@example.nl", "password": WRONG}
    )
    _assert_locked_out(response)


@pytest.mark.parametrize(
    ("credentials", "post", "expected"),
    [
        ({"login": " Piet@Example.NL "}, {}, "piet@example.nl"),
        ({"email": "piet@example.nl"}, {}, "piet@example.nl"),
        (None, {"login": "piet@example.nl"}, "piet@example.nl"),
        ({"username": "piet@example.nl"}, {}, "piet@example.nl"),
        (None, {}, ""),
    ],
)
def test_username_callable_reads_allauths_field(rf, credentials, post, expected):
    request = rf.post("/accounts/login/", post)
    assert username_from_request(request, credentials) == expected


@pytest.mark.parametrize("allauth_rate_limit_on", [True])
def test_with_both_limits_the_right_password_after_the_limit_does_not_log_in(
    client, make_user, allauth_rate_limit_on
):
    # The production configuration: axes and allauth's own rate limit together.
    user = make_user()
    _fail(client, user.email, settings.AXES_FAILURE_LIMIT)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_axes_is_wired_as_the_stack_requires():
    # Not silently bypassed: axes checks before the allauth backend, its middleware runs,
    # and it reads the name from allauth's `login` field.
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_USERNAME_CALLABLE == "integritas.accounts.lockout.username_from_request"
    assert settings.AXES_ENABLED is True
    assert settings.AXES_FAILURE_LIMIT >= 3


def test_behind_a_trusted_proxy_the_lockout_is_per_forwarded_client(make_user, settings):
    # Behind the proxy every request comes from its address; with the proxy trusted, a
    # guesser elsewhere does not lock the real user out of their own workstation.
    settings.INTEGRITAS_TRUSTED_PROXIES = ["10.0.0.5"]
    user = make_user()
    guesser = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1")
    _fail(guesser, user.email, settings.AXES_FAILURE_LIMIT)
    assert AccessAttempt.objects.get().ip_address == "198.51.100.1"
    owner = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.2")
    response = owner.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    # A client cannot escape its own lock-out by writing a first hop of its choice.
    spoofing = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1")
    response = spoofing.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    _assert_locked_out(response)
