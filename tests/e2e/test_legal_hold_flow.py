"""R-DP-2 in a real browser: HRM finds a leaver in the employee list, puts their
personnel records under a legal hold (a missing reason is refused in Dutch, and what was
typed stays), and lifts it. Every page passes axe-core and raises no CSP violation."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.organisations.models import Employee
from tests.conftest import login_with_second_factor
from tests.factories import EmployeeFactory, OrganisationFactory, grant

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.ci_run("postgresql"),
    pytest.mark.usefixtures("transactional_db"),
]


def session_cookie(user: User, base_url: str) -> dict[str, Any]:
    client = login_with_second_factor(Client(), user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base_url}


@pytest.mark.requirement("R-DP-2")
def test_hrm_sets_and_lifts_a_legal_hold_from_the_employee_list(
    live_server: Any, page: Page, page_checks: Callable[[], None]
) -> None:
    base = live_server.url
    organisation = OrganisationFactory(slug="leiderdorp", name="Gemeente Leiderdorp")
    hrm: User = EmployeeFactory(organisation=organisation, first_name="Hanna").user
    grant(hrm, Role.HRM, organisation)
    leaver = EmployeeFactory(
        organisation=organisation,
        first_name="Bram",
        last_name="Vos",
        start_date=datetime.date(2015, 1, 5),
        end_date=timezone.localdate() - datetime.timedelta(days=3 * 365),
    )
    page.context.add_cookies([session_cookie(hrm, base)])

    page.goto(f"{base}/medewerkers/?former=on")
    page_checks()
    row = page.get_by_role("row").filter(has_text="Bram Vos")
    row.get_by_role("link", name="Instellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bewaarplicht: Bram Vos")
    page_checks()

    page.get_by_role("button", name="Bewaarplicht instellen").click()
    expect(page.get_by_text("Geef de reden van de bewaarplicht op")).to_be_visible()
    page_checks()
    page.get_by_label("Reden van de bewaarplicht").fill("Arbeidsgeschil bij de kantonrechter")
    page.get_by_role("button", name="Bewaarplicht instellen").click()
    expect(page.locator(".integritas-messages")).to_contain_text("De bewaarplicht is vastgelegd")
    page_checks()
    assert Employee.objects.get(pk=leaver.pk).legal_hold

    page.get_by_role("button", name="Bewaarplicht opheffen").click()
    expect(page.locator(".integritas-messages")).to_contain_text("De bewaarplicht is opgeheven")
    page_checks()
    assert not Employee.objects.get(pk=leaver.pk).legal_hold
    page.goto(f"{base}/medewerkers/?former=on")
    expect(page.get_by_role("row").filter(has_text="Bram Vos")).to_contain_text("Instellen")
