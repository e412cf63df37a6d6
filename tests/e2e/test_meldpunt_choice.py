"""The Meldpunt in a region of many organisations, in a real browser (issue 9).

Beyond ORGANISATION_SELECT_LIMIT organisations the reporter finds the organisation by name
first (a GET form, no JavaScript needed), then fills in the form with that organisation
chosen, reviews and sends. Every page passes axe-core and raises no CSP violation, with
JavaScript on; the choice also works with JavaScript off.
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from integritas.cases.models import Case
from integritas.organisations.selectors import ORGANISATION_SELECT_LIMIT
from tests.factories import OrganisationFactory, RegionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def test_reporter_finds_the_organisation_by_name_then_reports(
    live_server: Any,
    page: Page,
    page_checks: Callable[[], None],
) -> None:
    region = RegionFactory()
    for n in range(ORGANISATION_SELECT_LIMIT + 5):
        OrganisationFactory(region=region, slug=f"schaal-{n:04d}", name=f"Gemeente Veld {n:04d}")
    base = live_server.url

    page.goto(f"{base}/meldpunt/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Melding doen")
    expect(page.locator("select#id_organisation")).to_have_count(0)
    page_checks()
    page.get_by_label("Naam van de organisatie").fill("veld 0012")
    page.get_by_role("button", name="Zoeken").click()
    page_checks()
    page.get_by_role("link", name="Gemeente Veld 0012").click()

    expect(page.get_by_text("Uw melding gaat over: Gemeente Veld 0012.")).to_be_visible()
    page_checks()
    page.get_by_role("radio", name="Integriteitsschending", exact=True).check()
    page.get_by_label("Wat is er gebeurd?").fill("Een offerte werd na de sluiting aangepast.")
    page.get_by_role("radio", name="Anoniem", exact=True).check()
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer uw melding")
    expect(page.locator("dl.integritas-review")).to_contain_text("Gemeente Veld 0012")
    page_checks()
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw melding is ontvangen")
    assert Case.objects.get().organisation.slug == "schaal-0012"


def test_the_choice_works_without_javascript(
    live_server: Any,
    browser: Any,
    browser_context_args: dict[str, Any],
) -> None:
    region = RegionFactory()
    for n in range(ORGANISATION_SELECT_LIMIT + 5):
        OrganisationFactory(region=region, slug=f"schaal-{n:04d}", name=f"Gemeente Veld {n:04d}")
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/meldpunt/")
        page.get_by_label("Naam van de organisatie").fill("gemeente")
        page.get_by_role("button", name="Zoeken").click()
        expect(page.get_by_text("Typ een groter deel van de naam")).to_be_visible()
        page.get_by_role("link", name="Gemeente Veld 0003").click()
        expect(page).to_have_url(re.compile(r"/meldpunt/\?organisatie=schaal-0003$"))
        hidden = page.locator('input[type="hidden"][name="organisation"]')
        expect(hidden).to_have_value("schaal-0003")
    finally:
        context.close()
