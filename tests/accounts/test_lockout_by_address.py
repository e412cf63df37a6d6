"""Guessing at the login cannot lock the real user out from elsewhere, and stays throttled.

With the production limits of both libraries (axes and allauth's ACCOUNT_RATE_LIMITS),
unlike tests/accounts/test_lockout.py, which switches allauth's off to prove axes alone.
Only a login name together with one address is ever locked; per name alone guessing is
slowed down; per address a spray over many names is held back.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from integritas.accounts import lockout
from tests.factories import TEST_PASSWORD

WRONG = "Fout-wachtwoord-2026!"
GUESSER = "198.51.100.7"
OWNER = "203.0.113.20"


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The slowdown's waits, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(lockout.time, "sleep", slept.append)
    return slept


def client_at(address: str, **extra: Any) -> Client:
    return Client(REMOTE_ADDR=address, **extra)


def login(client: Client, name: str, password: str) -> Any:
    return client.post(reverse("account_login"), {"login": name, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def guess(client: Client, name: str, times: int) -> None:
    for _ in range(times):
        login(client, name, WRONG)
        assert not logged_in(client)


def test_the_production_limits_lock_only_per_name_and_address():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    rates = settings.ACCOUNT_RATE_LIMITS
    # allauth's default counts failures per login name as well ("/key"): a lock anyone
    # can cause. Ours counts per address only.
    assert rates["login_failed"]
    assert all(rate.strip().endswith("/ip") for rate in rates["login_failed"].split(","))
    assert rates["login"].endswith("/ip")
    assert settings.INTEGRITAS_LOGIN_SLOWDOWN_MAX_SECONDS <= 10


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(
    make_user: Callable[..., Any], waits: list[float]
):
    user = make_user()
    guesser = client_at(GUESSER)
    guess(guesser, user.email, settings.AXES_FAILURE_LIMIT + 3)

    owner = client_at(OWNER)
    response = login(owner, user.email, TEST_PASSWORD)
    assert response.status_code == 302
    assert logged_in(owner)
    assert "Te veel" not in response.content.decode()


def test_the_guessing_address_stays_locked_even_with_the_right_password(
    make_user: Callable[..., Any], waits: list[float]
):
    user = make_user()
    guesser = client_at(GUESSER)
    guess(guesser, user.email, settings.AXES_FAILURE_LIMIT)
    response = login(guesser, user.email, TEST_PASSWORD)
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    assert not logged_in(guesser)
    # A fresh browser at the same address is the same guesser.
    assert login(client_at(GUESSER), user.email, TEST_PASSWORD).status_code == 429


def test_one_name_guessed_from_many_addresses_is_slowed_down_not_refused(
    make_user: Callable[..., Any], waits: list[float]
):
    user = make_user()
    per_address = settings.AXES_FAILURE_LIMIT - 1
    threshold = settings.INTEGRITAS_LOGIN_SLOWDOWN_AFTER
    addresses = [f"198.51.100.{n}" for n in range(1, threshold // per_address + 3)]
    for address in addresses:
        guess(client_at(address), user.email, per_address)
    failures = per_address * len(addresses)
    assert failures > threshold
    assert lockout.login_name_failures(user.email) == failures

    # Every further check of the name waits, the next guesser's as well...
    waits.clear()
    guess(client_at("198.51.100.200"), user.email, 1)
    assert waits == [settings.INTEGRITAS_LOGIN_SLOWDOWN_MAX_SECONDS]
    # ...and the owner's, but the right password still logs in.
    waits.clear()
    owner = client_at(OWNER)
    assert login(owner, user.email, TEST_PASSWORD).status_code == 302
    assert logged_in(owner)
    assert waits == [settings.INTEGRITAS_LOGIN_SLOWDOWN_MAX_SECONDS]


def test_the_slowdown_grows_with_the_failures_and_is_capped(
    make_user: Callable[..., Any], waits: list[float]
):
    user = make_user()
    threshold = settings.INTEGRITAS_LOGIN_SLOWDOWN_AFTER
    seen = []
    for n in range(threshold + settings.INTEGRITAS_LOGIN_SLOWDOWN_MAX_SECONDS + 3):
        # A new address for every guess: axes' lock per address never comes into play.
        waits.clear()
        guess(client_at(f"192.0.2.{n + 1}"), user.email, 1)
        seen.append(waits[0] if waits else 0)
    assert seen[:threshold] == [0] * threshold  # a few typos cost nothing
    assert seen[threshold : threshold + 3] == [1, 2, 3]
    assert max(seen) == settings.INTEGRITAS_LOGIN_SLOWDOWN_MAX_SECONDS
    # A name nobody guessed at is not slowed down.
    other = make_user()
    waits.clear()
    assert login(client_at(OWNER), other.email, TEST_PASSWORD).status_code == 302
    assert waits == []


def test_a_locked_address_is_refused_at_once_without_the_wait(
    make_user: Callable[..., Any], waits: list[float]
):
    user = make_user()
    for n in range(settings.INTEGRITAS_LOGIN_SLOWDOWN_AFTER + 1):
        guess(client_at(f"192.0.2.{n + 1}"), user.email, 1)
    guesser = client_at(GUESSER)
    guess(guesser, user.email, settings.AXES_FAILURE_LIMIT)
    waits.clear()
    assert login(guesser, user.email, WRONG).status_code == 429
    assert waits == []


def test_a_spray_over_many_names_from_one_address_is_held_back(
    make_user: Callable[..., Any], waits: list[float]
):
    user = make_user()
    sprayer = client_at(GUESSER)
    limit = int(settings.ACCOUNT_RATE_LIMITS["login_failed"].split("/")[0])
    for n in range(limit):
        login(sprayer, f"medewerker{n}@example.nl", WRONG)
    # The next try from that address is refused for now, even with a right password...
    response = login(sprayer, user.email, TEST_PASSWORD)
    assert response.status_code == 200
    assert "Te veel inlogpogingen" in response.content.decode()
    assert not logged_in(sprayer)
    # ...but nobody else is: the limit is per address.
    owner = client_at(OWNER)
    assert login(owner, user.email, TEST_PASSWORD).status_code == 302


def test_behind_the_proxy_allauths_limit_is_per_forwarded_client(
    make_user: Callable[..., Any], waits: list[float], settings: Any
):
    # Without reading the forwarded client, every request behind the proxy shares the
    # proxy's address, and one sprayer would stop every login of the installation.
    settings.INTEGRITAS_TRUSTED_PROXIES = ["10.0.0.5"]
    user = make_user()
    sprayer = client_at("10.0.0.5", HTTP_X_FORWARDED_FOR=GUESSER)
    limit = int(settings.ACCOUNT_RATE_LIMITS["login_failed"].split("/")[0])
    for n in range(limit + 1):
        login(sprayer, f"medewerker{n}@example.nl", WRONG)
    owner = client_at("10.0.0.5", HTTP_X_FORWARDED_FOR=OWNER)
    assert login(owner, user.email, TEST_PASSWORD).status_code == 302
    assert logged_in(owner)
