"""Passkeys in a real browser under the strict CSP (R-BIO-2).

Chromium's virtual authenticator (DevTools WebAuthn domain) stands in for a security key
or a phone: an employee adds a passkey, logs out and logs in with it alone. allauth's
passkey scripts are static files and JSON data blocks, so the nonce-based
Content-Security-Policy must let them run; `page_checks` fails on any CSP violation.
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import Page, expect

from integritas.accounts.constants import Role
from tests.e2e.test_login_flow import employee, log_in, log_out, totp_code
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def virtual_authenticator(page: Page) -> None:
    """A platform authenticator that verifies the user and answers at once."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_employee_adds_a_passkey_and_logs_in_with_it(
    live_server: Any, page: Page, page_checks: Callable[[], None]
) -> None:
    person = employee()
    virtual_authenticator(page)
    log_in(page, live_server.url, person.user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn integriteit")

    add_passkey(page, live_server.url, page_checks)
    assert Authenticator.objects.filter(user=person.user, type=Authenticator.Type.WEBAUTHN).exists()

    log_out(page)
    page.locator("#passkey_login").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn integriteit")
    page_checks()


@pytest.mark.requirement("R-BIO-2")
def test_a_passkey_login_counts_as_the_second_factor_of_a_privileged_role(
    live_server: Any, page: Page, page_checks: Callable[[], None]
) -> None:
    # R-BIO-2: HRM needs two factors. A passkey is one thing the user has, unlocked on the
    # device by something they know or are, so it stands for both.
    hrm = employee(Role.HRM)
    secret = generate_totp_secret()
    TOTP.activate(hrm.user, secret)
    virtual_authenticator(page)
    log_in(page, live_server.url, hrm.user)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn integriteit")
    add_passkey(page, live_server.url, page_checks)

    log_out(page)
    page.locator("#passkey_login").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn integriteit")
    page.goto(f"{live_server.url}/medewerkers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Medewerkers")
    page_checks()


def add_passkey(page: Page, base_url: str, page_checks: Callable[[], None]) -> None:
    """Through allauth's own page and scripts; the browser's authenticator answers."""
    page.goto(f"{base_url}/accounts/2fa/webauthn/add/")
    page.wait_for_url(re.compile(r"/accounts/(reauthenticate|2fa/webauthn/add)/"))
    if "/accounts/reauthenticate/" in page.url:
        # Changing the factors of a privileged account asks for the password again.
        page_checks()
        page.get_by_label("Wachtwoord", exact=True).fill(TEST_PASSWORD)
        page.get_by_role("button", name="Bevestigen").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/webauthn/add/"))
    page_checks()
    page.locator("input[name=name]").fill("Werklaptop")
    passwordless = page.locator("input[name=passwordless]")
    if passwordless.count():
        passwordless.check()  # also usable to log in without a password
    page.locator("#mfa_webauthn_add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    page_checks()
