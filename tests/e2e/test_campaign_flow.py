"""The yearly re-confirmation end to end in a real browser (issue 11).

The integrity officer opens the year's campaign on its form (a period that closes before
it opens is refused first, with what was typed kept); the employee finds it on "Mijn
integriteit", sees their side activity on the confirmation page and confirms; HRM sees
the completion per org unit. Every page passes axe-core without CSP violations.
"""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from integritas.accounts.constants import Role
from integritas.registers import services
from tests.factories import (
    EmployeeFactory,
    FunctionFactory,
    OrganisationFactory,
    OrgUnitFactory,
    grant,
)

from .conftest import CheckedPage
from .test_registers_flow import session_cookie

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.ci_run("postgresql"),
    pytest.mark.usefixtures("transactional_db"),
]


def test_open_confirm_and_follow_the_campaign(
    live_server: Any, page: Page, new_checked_page: Callable[..., CheckedPage]
) -> None:
    base = live_server.url
    today = timezone.localdate()
    organisation = OrganisationFactory(
        slug="leiderdorp", name="Gemeente Leiderdorp", case_prefix="LDP"
    )
    function = FunctionFactory(organisation=organisation, name="Medewerker burgerzaken")
    team = OrgUnitFactory(organisation=organisation, name="Burgerzaken")
    manager = EmployeeFactory(organisation=organisation, org_unit=team, function=function)
    team.managers.add(manager)
    employee = EmployeeFactory(
        organisation=organisation, org_unit=team, function=function, first_name="Sanne"
    )
    officer = EmployeeFactory(organisation=organisation, first_name="Eva").user
    grant(officer, Role.INTEGRITY_OFFICER, organisation)
    hrm = EmployeeFactory(organisation=organisation, first_name="Fatima").user
    grant(hrm, Role.HRM, organisation)
    services.side_activity_register(
        actor=employee.user,
        employee=employee,
        data={
            "description": "Trainer jeugdvoetbal",
            "client_name": "VV Rijnvogels",
            "kvk_number": "",
            "paid": False,
            "hours_per_month": 10,
            "start_date": datetime.date(2024, 9, 1),
            "end_date": None,
        },
    )

    # --- 1. The integrity officer opens the campaign -----------------------------------
    office = new_checked_page([session_cookie(officer, base)])
    opage = office.page
    opage.goto(f"{base}/")
    opage.get_by_role("link", name="Herbevestiging", exact=True).first.click()
    expect(opage.get_by_text("Er is nog geen herbevestiging geopend")).to_be_visible()
    office.check()
    opage.get_by_role("link", name="Herbevestiging openen").click()
    office.check()
    opage.get_by_label("Jaar").fill(str(today.year))
    opage.get_by_label("Opent op").fill((today + datetime.timedelta(days=10)).isoformat())
    opage.get_by_label("Sluit op (de laatste dag om te bevestigen)").fill(today.isoformat())
    opage.get_by_role("button", name="Openen").click()
    expect(opage.get_by_text("De sluitingsdatum moet na de begindatum liggen.")).to_be_visible()
    expect(opage.get_by_label("Jaar")).to_have_value(str(today.year))
    office.check()
    opage.get_by_label("Opent op").fill(today.isoformat())
    opage.get_by_label("Sluit op (de laatste dag om te bevestigen)").fill(
        (today + datetime.timedelta(days=30)).isoformat()
    )
    opage.get_by_role("button", name="Openen").click()
    expect(opage.get_by_text(f"De herbevestiging {today.year} is geopend.")).to_be_visible()
    office.check()

    # --- 2. The employee confirms from "Mijn integriteit" -----------------------------
    own = new_checked_page([session_cookie(employee.user, base)])
    epage = own.page
    epage.goto(f"{base}/")
    own.check()
    epage.get_by_role("link", name="Registraties bevestigen").click()
    expect(epage.get_by_text("Trainer jeugdvoetbal")).to_be_visible()
    own.check()
    epage.get_by_role("button", name="Bevestigen").click()
    expect(epage.get_by_text("Vink aan dat uw registraties volledig zijn.").first).to_be_visible()
    own.check()
    epage.get_by_label("Ik bevestig dat mijn registraties hierboven volledig").check()
    epage.get_by_role("button", name="Bevestigen").click()
    expect(epage.get_by_text("Uw herbevestiging is vastgelegd.")).to_be_visible()
    own.check()

    # --- 3. HRM follows the completion per org unit -----------------------------------
    keeper = new_checked_page([session_cookie(hrm, base)])
    hpage = keeper.page
    hpage.goto(f"{base}/registraties/herbevestiging/")
    expect(hpage.get_by_text("1 van 4 medewerkers hebben bevestigd (25%).")).to_be_visible()
    expect(hpage.get_by_role("row", name="Burgerzaken 1 2 50%")).to_be_visible()
    assert "Herbevestiging openen" not in hpage.content()
    keeper.check()
