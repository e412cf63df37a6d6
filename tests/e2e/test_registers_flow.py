"""The registers end to end in a real browser (issue 11, "Proof").

An employee registers a side activity and a gift above the threshold; the manager decides
both beside the employee's function; the employee sees the decisions on "Mijn
integriteit". The gemeentesecretaris's approved side activity appears in the public
register, the employee's does not. Every page passes axe-core without CSP violations.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from integritas.accounts import middleware
from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.registers import services
from integritas.registers.constants import Outcome
from tests.conftest import login_with_second_factor
from tests.factories import (
    EmployeeFactory,
    FunctionFactory,
    OrganisationFactory,
    OrgUnitFactory,
    grant,
)

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


@pytest.mark.requirement("R-AW-7")
@pytest.mark.requirement("R-GC-1")
def test_register_decide_and_publish(
    live_server: Any,
    page: Page,
    new_checked_page: Callable[..., CheckedPage],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not any(p.startswith("/openbaar/") for p in middleware.PUBLIC_PREFIXES):
        # /openbaar/ must need no login; until accounts lists it, the test adds it.
        monkeypatch.setattr(
            middleware, "PUBLIC_PREFIXES", (*middleware.PUBLIC_PREFIXES, "/openbaar/")
        )
    base = live_server.url
    organisation = OrganisationFactory(
        slug="leiderdorp", name="Gemeente Leiderdorp", case_prefix="LDP"
    )
    designated = FunctionFactory(
        organisation=organisation,
        name="Gemeentesecretaris",
        designated_side_activity_publication=True,
        designated_financial_interests=True,
    )
    ordinary = FunctionFactory(
        organisation=organisation,
        name="Medewerker burgerzaken",
        vulnerable_activities=["informatie"],
    )
    top = OrgUnitFactory(organisation=organisation, name="Directie")
    team = OrgUnitFactory(organisation=organisation, name="Burgerzaken", parent=top)
    secretary = EmployeeFactory(
        organisation=organisation,
        org_unit=top,
        function=designated,
        first_name="Hanneke",
        last_name="van Dijk",
    )
    grant(secretary.user, Role.SECRETARY, organisation)
    top.managers.add(secretary)
    manager = EmployeeFactory(
        organisation=organisation,
        org_unit=team,
        function=ordinary,
        first_name="Mark",
        last_name="van den Berg",
    )
    team.managers.add(manager)
    employee = EmployeeFactory(
        organisation=organisation,
        org_unit=team,
        function=ordinary,
        first_name="Sanne",
        last_name="de Vries",
    )
    mayor = EmployeeFactory(organisation=organisation, first_name="Laurens").user
    grant(mayor, Role.MAYOR, organisation)
    import datetime

    chair = services.side_activity_register(
        actor=secretary.user,
        employee=secretary,
        data={
            "description": "Voorzitter Stichting Historisch Erfgoed",
            "client_name": "Stichting Historisch Erfgoed",
            "kvk_number": "",
            "paid": False,
            "hours_per_month": 6,
            "start_date": datetime.date(2021, 1, 1),
            "end_date": None,
        },
    )
    services.registration_decide(actor=mayor, registration=chair, outcome=Outcome.APPROVED)

    # --- 1. The employee registers a side activity and a gift above the threshold -------
    own = new_checked_page([session_cookie(employee.user, base)])
    epage = own.page
    epage.goto(f"{base}/")
    epage.get_by_role("link", name="Nevenwerkzaamheid melden").first.click()
    expect(epage.get_by_role("heading", level=1)).to_have_text("Nevenwerkzaamheid melden")
    own.check()
    epage.get_by_label("Wat doet u?").fill("Trainer jeugdvoetbal")
    epage.get_by_label("Voor welke organisatie?").fill("VV Rijnvogels")
    epage.get_by_role("radio", name="Nee", exact=True).check()
    epage.get_by_label("Uren per maand").fill("10")
    epage.get_by_label("Begindatum (ook als het nog moet beginnen)").fill("2025-09-01")
    epage.get_by_role("button", name="Versturen").click()
    expect(
        epage.get_by_text("Uw registratie is ontvangen en wacht op een besluit.")
    ).to_be_visible()
    own.check()
    epage.goto(f"{base}/registraties/nieuw/geschenk/")
    expect(
        epage.get_by_text("De grens voor geschenken bij Gemeente Leiderdorp is € 50,00.")
    ).to_be_visible()
    expect(epage.get_by_text("Neem nooit geld aan.")).to_be_visible()
    own.check()
    epage.get_by_role("radio", name="Geschenk", exact=True).check()
    epage.get_by_role("radio", name="Ontvangen", exact=True).check()
    epage.get_by_label("Van wie (naam)?").fill("Jan Leverancier")
    epage.get_by_label("Van welke organisatie?").fill("Bouwbedrijf De Steen")
    epage.get_by_label("Wat is uw relatie met de gever?").fill("leverancier")
    epage.get_by_label("Geschatte waarde in euro").fill("75")
    epage.get_by_label("Datum", exact=True).fill("2026-11-20")
    epage.get_by_role("radio", name="Nee", exact=True).check()
    epage.get_by_role("button", name="Versturen").click()
    expect(
        epage.get_by_text("Uw registratie is ontvangen en wacht op een besluit.")
    ).to_be_visible()
    own.check()

    # --- 2. The manager decides both, beside the employee's function --------------------
    boss = new_checked_page([session_cookie(manager.user, base)])
    mpage = boss.page
    mpage.goto(f"{base}/registraties/beoordelen/")
    boss.check()
    for outcome in ("Toegestaan onder voorwaarden", "Afgeven aan de organisatie"):
        mpage.get_by_role("table").get_by_role("link").first.click()
        expect(mpage.get_by_text("Medewerker burgerzaken").first).to_be_visible()
        boss.check()
        mpage.get_by_role("radio", name=outcome, exact=True).check()
        mpage.get_by_label("Motivering").fill("Afgewogen tegen de criteria.")
        mpage.get_by_label("Voorwaarden of maatregel").fill("Niet tijdens werktijd")
        mpage.get_by_role("button", name="Besluit vastleggen").click()
        expect(mpage.get_by_text("Het besluit is vastgelegd.")).to_be_visible()
    expect(mpage.get_by_text("Er wachten geen registraties op uw besluit.").first).to_be_visible()
    boss.check()

    # --- 3. The employee sees the decisions on "Mijn integriteit" -----------------------
    epage.goto(f"{base}/")
    expect(epage.get_by_text("Toegestaan onder voorwaarden")).to_be_visible()
    expect(epage.get_by_text("Niet toegestaan")).to_be_visible()
    own.check()

    # --- 4. The public register: the secretary's, not the employee's --------------------
    public = new_checked_page([])
    ppage = public.page
    ppage.goto(f"{base}/openbaar/nevenwerkzaamheden/leiderdorp/")
    expect(ppage.get_by_text("Voorzitter Stichting Historisch Erfgoed")).to_be_visible()
    assert "Trainer jeugdvoetbal" not in ppage.content()
    assert "Sanne de Vries" not in ppage.content()
    public.check()
