"""The document centre end to end in a real browser (issue 12, "Document centre").

An employee who acknowledged version 1 of the regional gedragscode finds "Nieuwe
gedragscode lezen en bevestigen" on "Mijn integriteit", reads what changed in version 2
(by section, removed and new text marked), acknowledges it and sees on the home page
which version they acknowledged. HRM sees the count for version 2 go up. Every page
passes axe-core (WCAG 2.1 A/AA) without CSP violations.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.policies import services
from integritas.policies.models import Acknowledgement
from tests.conftest import login_with_second_factor
from tests.factories import EmployeeFactory, OrganisationFactory, grant
from tests.policies.factories import CODE_V2, adopt, regional_code, regional_keeper

from .conftest import CheckedPage

# Run once in CI, in the PostgreSQL run (the database of production; it passes on SQLite
# too, as `make test` shows): the two runs then take about as long on their two cores.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.ci_run("postgresql"),
    pytest.mark.usefixtures("transactional_db"),
]


def session_cookie(user: User, base_url: str) -> dict[str, Any]:
    client = login_with_second_factor(Client(), user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base_url}


@pytest.mark.requirement("R-AW-1")
def test_an_employee_reads_the_changes_and_acknowledges_the_new_version(
    live_server: Any, new_checked_page: Callable[..., CheckedPage]
) -> None:
    base = live_server.url
    organisation = OrganisationFactory(
        slug="leiderdorp", name="Gemeente Leiderdorp", case_prefix="LDP"
    )
    keeper = regional_keeper(organisation)
    code, (v1,) = regional_code(organisation, keeper)
    employee = EmployeeFactory(organisation=organisation, first_name="Sanne")
    services.code_of_conduct_acknowledge(actor=employee.user, version=v1)
    v2 = adopt(keeper, code, CODE_V2)
    hrm_user = EmployeeFactory(organisation=organisation, first_name="Hanna").user
    grant(hrm_user, Role.HRM, organisation)

    # --- 1. Mijn integriteit: a new version waits ----------------------------------------
    reader = new_checked_page([session_cookie(employee.user, base)])
    page = reader.page
    page.goto(f"{base}/")
    expect(page.get_by_text("Nieuwe versie: Gedragscode Leidse regio, versie 2.")).to_be_visible()
    reader.check()
    page.get_by_role("link", name="Nieuwe gedragscode lezen en bevestigen").first.click()

    # --- 2. The changes since version 1, by section --------------------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text("Gedragscode lezen en bevestigen")
    expect(page.get_by_text("U heeft versie 1 al bevestigd.")).to_be_visible()
    inleiding = page.locator("section.integritas-diff", has_text="Inleiding")
    expect(inleiding.get_by_text("Gewijzigd")).to_be_visible()
    expect(inleiding.locator("ins")).to_contain_text("ook inhuur en stagiairs")
    expect(page.locator("section.integritas-diff", has_text="Ongewenst gedrag")).to_contain_text(
        "Toegevoegd"
    )
    expect(
        page.locator("section.integritas-diff", has_text="Nevenwerkzaamheden").locator("del")
    ).to_contain_text("Meld nevenwerkzaamheden vooraf.")
    reader.check()

    # --- 3. Without the tick: told, nothing saved; then acknowledged ---------------------
    page.get_by_role("button", name="Bevestigen").click()
    expect(
        page.get_by_text("Vink aan dat u de gedragscode heeft ontvangen en gelezen")
    ).to_be_visible()
    reader.check()
    assert not Acknowledgement.objects.filter(version=v2).exists()
    page.get_by_label("Ik heb de gedragscode ontvangen en gelezen, en ik houd mij eraan.").check()
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Uw bevestiging van de gedragscode is vastgelegd.")).to_be_visible()
    expect(page.get_by_text("Gedragscode Leidse regio, versie 2, bevestigd op")).to_be_visible()
    expect(page.get_by_role("link", name="Nieuwe gedragscode lezen en bevestigen")).to_have_count(0)
    reader.check()
    assert Acknowledgement.objects.get(version=v2).employee == employee

    # --- 4. The whole text, its print view and the full list stay readable ---------------
    page.goto(f"{base}/documenten/gedragscode/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gedragscode Leidse regio")
    expect(page.get_by_role("navigation", name="Inhoudsopgave")).to_be_visible()
    reader.check()
    page.goto(f"{base}/documenten/?q=stagiairs")
    expect(page.get_by_role("link", name="Gedragscode Leidse regio").first).to_be_visible()
    reader.check()

    # --- 5. HRM sees the count per version ------------------------------------------------
    hrm = new_checked_page([session_cookie(hrm_user, base)])
    hrm.page.goto(f"{base}/documenten/bevestigingen/")
    row = hrm.page.get_by_role("row", name="Gedragscode Leidse regio, versie 2")
    expect(row).to_contain_text("1")
    hrm.check()
    row.get_by_role("link", name="Wie nog niet bevestigde").click()
    expect(hrm.page.get_by_role("heading", level=1)).to_have_text("Wie nog niet bevestigde")
    number = employee.personnel_number
    expect(hrm.page.get_by_role("cell", name=number, exact=True)).to_have_count(0)
    waiting = keeper.employee.personnel_number  # the keeper has not acknowledged
    expect(hrm.page.get_by_role("cell", name=waiting, exact=True)).to_be_visible()
    hrm.check()
