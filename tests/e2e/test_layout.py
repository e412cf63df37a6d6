"""The look in a real browser (issue 8): no horizontal scrolling on the inbox and the case
page at 1280 px and at 320 px (1280 px at 400 % zoom, WCAG 1.4.10), the receipt code on
one line, long e-mail addresses that wrap, and a print view without navigation or forms.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.cases import services
from integritas.organisations.models import Organisation
from tests.cases.factories import submit_case
from tests.conftest import login_with_second_factor
from tests.factories import EmployeeFactory, OrganisationFactory, grant

from .conftest import CheckedPage

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

WIDTHS = (1280, 320)
LONG_EMAIL = "voornaam.achternaam.van.de.melder@een-heel-lange-domeinnaam-van-de-gemeente.example"


def _coordinator(organisation: Organisation) -> User:
    user: User = EmployeeFactory(organisation=organisation, first_name="Cora").user
    user.full_name = "Cora Coördinator"
    user.save(update_fields=["full_name"])
    grant(user, Role.INTEGRITY_COORDINATOR, organisation)
    return user


def _cookie(user: User, base_url: str) -> dict[str, Any]:
    client = login_with_second_factor(Client(), user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base_url}


def _overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0: no horizontal scrollbar)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def _lines(page: Page, selector: str) -> int:
    """The number of line boxes of an inline element: 1 when it does not wrap."""
    return int(page.locator(selector).first.evaluate("el => el.getClientRects().length"))


@pytest.fixture
def worked_case(db: Any) -> tuple[Organisation, User, str]:
    organisation = OrganisationFactory(
        slug="leiderdorp", name="Gemeente Leiderdorp", case_prefix="LDP"
    )
    coordinator = _coordinator(organisation)
    for _ in range(3):
        submit_case(organisation, cheap_receipt=True)
    case = submit_case(
        organisation,
        cheap_receipt=True,
        description=f"Bereikbaar via {LONG_EMAIL} voor vragen over de declaraties.",
    ).case
    case = services.case_transition(actor=coordinator, case=case, name="acknowledge")
    services.case_message_to_reporter(actor=coordinator, case=case, body=f"Mail ook {LONG_EMAIL}")
    services.case_reporter_reply(case=case, body="Dank u.")
    services.case_add_note(actor=coordinator, case=case, body="Eerste indruk.")
    return organisation, coordinator, case.case_number


def test_inbox_and_case_page_fit_at_1280_and_at_320_pixels(
    live_server: Any,
    new_checked_page: Callable[..., CheckedPage],
    worked_case: tuple[Organisation, User, str],
) -> None:
    _, coordinator, case_number = worked_case
    checked = new_checked_page([_cookie(coordinator, live_server.url)])
    page = checked.page
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/meldingen/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen")
        assert _overflow(page) == 0, f"inbox scrolls sideways at {width}px"
        # The legally relevant last column is on screen, and case numbers stay whole.
        feedback = page.get_by_role("columnheader", name="Terugkoppeling (3 maanden)")
        box = feedback.bounding_box() if width > 320 else None
        assert box is None or box["x"] + box["width"] <= width
        assert _lines(page, f"a.integritas-case-number >> text={case_number}") == 1
        if width == 1280:
            checked.check()

        page.goto(f"{live_server.url}/meldingen/{case_number}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Melding {case_number}")
        assert _overflow(page) == 0, f"case page scrolls sideways at {width}px"
        assert _lines(page, "h1 .integritas-case-number") == 1
        summary = page.locator(".integritas-summary")
        expect(summary).to_contain_text("Vooronderzoek")
        expect(summary).to_contain_text("Terugkoppeling (3 maanden)")
        expect(page.locator(".integritas-timeline li")).to_have_count(4)
        if width == 1280:
            # The summary and the start of the report are on the first screen together.
            report = page.locator(".integritas-case-text").bounding_box()
            assert report is not None and report["y"] < 900
            checked.check()

    # Printed: the content in full, without navigation, tabs, forms or buttons.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    expect(page.locator(".integritas-nav")).to_be_hidden()
    expect(page.locator(".integritas-tabs")).to_be_hidden()
    expect(page.locator("main form").first).to_be_hidden()
    expect(page.locator(".integritas-case-text")).to_contain_text(LONG_EMAIL)
    expect(page.locator("#sectie-message")).to_contain_text("Dank u.")
    page.emulate_media(media="screen")


def test_receipt_code_stays_on_one_line_on_a_phone(
    live_server: Any, page: Page, page_checks: Callable[[], None]
) -> None:
    OrganisationFactory(
        slug="leiderdorp",
        name="Gemeente Leiderdorp",
        case_prefix="LDP",
        anonymous_reporting_enabled=True,
    )
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/meldpunt/")
    page.get_by_label("Over welke organisatie gaat uw melding?").select_option(
        label="Gemeente Leiderdorp"
    )
    page.get_by_role("radio", name="Integriteitsschending", exact=True).check()
    page.get_by_label("Wat is er gebeurd?").fill("Declaraties worden dubbel uitbetaald.")
    page.get_by_role("radio", name="Anoniem", exact=True).check()
    page.get_by_role("button", name="Controleren").click()
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw melding is ontvangen")

    assert _overflow(page) == 0
    assert _lines(page, ".integritas-receipt-code .integritas-code") == 1
    assert _lines(page, ".integritas-case-number") == 1
    page_checks()
    # Printed: the code and the case number, not the buttons.
    page.emulate_media(media="print")
    expect(page.locator(".integritas-receipt-code")).to_be_visible()
    expect(page.get_by_role("button", name="Ik heb mijn code bewaard")).to_be_hidden()
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert _lines(page, ".integritas-receipt-code .integritas-code") == 1
