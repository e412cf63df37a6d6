"""Login in a real browser: anonymous redirect, employee login, privileged login with TOTP.

Every page reached passes axe-core (WCAG 2.1 A/AA) and raises no CSP violation
(`page_checks`, see conftest.py).
"""

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Page, expect

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.organisations.models import Employee
from tests.factories import TEST_PASSWORD, EmployeeFactory, OrganisationFactory, grant

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

TOTP_PERIOD = 30


def totp_code(secret: str) -> str:
    """The current TOTP code for `secret`, computed with allauth's own helpers.

    allauth accepts only the current period (tolerance 0); near the end of a period we wait
    for the next one so the code cannot expire between typing and checking.
    """
    if time.time() % TOTP_PERIOD > TOTP_PERIOD - 4:
        time.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // TOTP_PERIOD))


def employee(role: str | None = None) -> Employee:
    organisation = OrganisationFactory(slug="leiderdorp", name="Gemeente Leiderdorp")
    person: Employee = EmployeeFactory(organisation=organisation, first_name="Sanne")
    if role is not None:
        grant(person.user, role, organisation)
    return person


def log_in(page: Page, base_url: str, user: User) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Aanmelden", exact=True).click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_anonymous_root_ends_on_accessible_login_page(
    live_server: Any, page: Page, page_checks: Callable[[], None]
) -> None:
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden")
    expect(page.get_by_label("E-mailadres")).to_be_visible()
    # Accounts come from HR data: no invitation to sign up.
    expect(page.get_by_role("link", name=re.compile("registreer", re.I))).to_have_count(0)
    page_checks()


def test_employee_logs_in_with_password_and_sees_mijn_integriteit(
    live_server: Any, page: Page, page_checks: Callable[[], None]
) -> None:
    person = employee()
    log_in(page, live_server.url, person.user)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn integriteit")
    expect(page.get_by_text("U werkt bij Gemeente Leiderdorp")).to_be_visible()
    page_checks()

    # An employee needs no second factor: no detour to the TOTP pages.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    live_server: Any, page: Page
) -> None:
    person = employee()
    log_in(page, live_server.url, person.user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn integriteit")
    page.reload()

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Naar de inhoud")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "skip link not visible on focus"

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main#main")).to_be_focused()


@pytest.mark.requirement("R-BIO-2")
def test_privileged_user_activates_totp_then_needs_it_at_every_login(
    live_server: Any, page: Page, page_checks: Callable[[], None]
) -> None:
    # R-BIO-2: every privileged role needs a second factor.
    hrm = employee(Role.HRM)
    log_in(page, live_server.url, hrm.user)

    # First login: sent to activate an authenticator app before anything else. allauth
    # (MFA_REAUTHENTICATION_REQUIRED) may first ask to confirm the password.
    page.wait_for_url(re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/"))
    if "/accounts/reauthenticate/" in page.url:
        page_checks()
        page.get_by_label("Wachtwoord", exact=True).fill(TEST_PASSWORD)
        page.get_by_role("button", name="Bevestigen").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    page_checks()
    page.goto(f"{live_server.url}/medewerkers/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))

    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), "no TOTP secret shown"
    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name="Activeer").click()

    # allauth shows the new recovery codes next.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    page_checks()

    page.get_by_role("link", name="Medewerkers").click()
    expect(page).to_have_url(f"{live_server.url}/medewerkers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Medewerkers")
    expect(page.get_by_role("cell", name=hrm.personnel_number)).to_be_visible()
    page_checks()

    # Next login: the password alone is not enough, the TOTP code is asked for.
    log_out(page)
    log_in(page, live_server.url, hrm.user)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page_checks()
    # Half logged in (password only): the employee list stays out of reach.
    page.goto(f"{live_server.url}/medewerkers/")
    expect(page).to_have_url(re.compile(r"/accounts/(login|2fa/authenticate)/"))
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Medewerkers")

    if "/accounts/login/" in page.url:
        log_in(page, live_server.url, hrm.user)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn integriteit")
    page.goto(f"{live_server.url}/medewerkers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Medewerkers")
    page_checks()
