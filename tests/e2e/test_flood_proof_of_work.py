"""The proof of work of the flood defence in a real browser (issue 10, point 1).

A source over its budget gets a challenge on the review page; the altcha widget (our own
static copy, under the strict CSP) solves it in a worker while the reporter reads, and
"Versturen" sends the report with the solution: it is accepted normally, not held. The
default cost is used, as in production (docs/adr/0006-flood-defence.md).
"""

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from integritas.cases.constants import IntakeHold
from integritas.cases.models import Case
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


@override_settings(INTEGRITAS_INTAKE_SOURCE_REPORTS_PER_HOUR=0)
def test_over_budget_the_browser_works_and_the_report_is_accepted_normally(
    live_server: Any, page: Page, page_checks: Callable[[], None]
) -> None:
    OrganisationFactory(
        slug="leiderdorp",
        name="Gemeente Leiderdorp",
        case_prefix="LDP",
        anonymous_reporting_enabled=True,
    )
    page.goto(f"{live_server.url}/meldpunt/")
    page.get_by_label("Over welke organisatie gaat uw melding?").select_option(
        label="Gemeente Leiderdorp"
    )
    page.get_by_role("radio", name="Integriteitsschending", exact=True).check()
    page.get_by_label("Wat is er gebeurd?").fill("Een melding terwijl het druk is.")
    page.get_by_role("radio", name="Anoniem", exact=True).check()
    page.get_by_role("button", name="Controleren").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer uw melding")
    expect(page.get_by_text("Uw browser doet daarom eerst een korte controle")).to_be_visible()
    expect(page.locator("altcha-widget")).to_have_count(1)
    # The page's script has loaded (a click before that sends without proof: held).
    page.wait_for_function(
        "() => customElements.get('altcha-widget') && globalThis.$altcha"
        " && globalThis.$altcha.algorithms.has('PBKDF2/SHA-256')"
    )
    page_checks()  # the page with the widget: axe (WCAG 2.1 A/AA) and no CSP violation
    started = time.monotonic()
    # Sent at once: the page waits for the check, then sends by itself.
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Uw melding is ontvangen", timeout=90_000
    )
    print(f"\nproof of work and send: {time.monotonic() - started:.1f} s")
    expect(page.locator(".integritas-receipt-code")).to_have_text(
        re.compile(r"\d{4} \d{4} \d{4} \d{4}")
    )
    page_checks()
    assert Case.objects.get().intake_hold == IntakeHold.NONE
