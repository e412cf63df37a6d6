"""Helpers for the login-security tests: a real password login and real TOTP codes."""

import time
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from integritas.accounts.models import User
from tests.factories import TEST_PASSWORD


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    """allauth keeps rate limits and used TOTP codes in the cache: start every test clean."""
    cache.clear()
    yield
    cache.clear()


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now.

    allauth accepts only the current period (tolerance 0). Near the end of a period we wait
    for the next one, so the code cannot expire between computing and posting it; without
    this a slow CI machine fails about one run in ten.
    """
    period = mfa_settings.TOTP_PERIOD
    if time.time() % period > period - 4:
        time.sleep(period - time.time() % period + 0.2)
    counter = int(time.time()) // period
    return format_hotp_value(hotp_value(secret, counter))


def add_totp(user: User) -> str:
    """Give `user` a TOTP authenticator (as after activation); return its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def password_login(client: Client, user: User, password: str = TEST_PASSWORD) -> Any:
    """POST the allauth login form as a browser would."""
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def totp_login(client: Client, user: User, secret: str) -> Any:
    """The whole login: password, then the TOTP code on allauth's authenticate page."""
    response = password_login(client, user)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    return client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
