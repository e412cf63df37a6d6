"""The counsellor's log end to end in a real browser (issue 13, "Proof").

A vertrouwenspersoon logs a consultation: the note names a colleague, so the form warns
and stores nothing until the counsellor removes the name; the entry is stored. The
central counsellor sees the count on the figures ("< 5"), never the entry. The
integriteitscoördinator and the administrator reach nothing of the log: the pages are
refused, the navigation does not offer them and the audit log shows no content. Every
page passes axe-core (WCAG 2.1 A/AA) without CSP violations.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.counsel.models import ConsultationEntry
from integritas.organisations.models import Organisation
from tests.conftest import login_with_second_factor
from tests.factories import EmployeeFactory, OrganisationFactory, grant

from .conftest import CheckedPage

# Run once in CI, in the PostgreSQL run (the database of production; it passes on SQLite
# too, as `make test` shows): the two runs then take about as long on their two cores.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.ci_run("postgresql"),
    pytest.mark.usefixtures("transactional_db"),
]

NOTE = "Spanning in het team over de roosters; advies gegeven."


def person(organisation: Organisation, role: str, first_name: str) -> User:
    user: User = EmployeeFactory(organisation=organisation, first_name=first_name).user
    user.full_name = f"{first_name} {role}"
    user.save(update_fields=["full_name"])
    grant(user, role, organisation)
    return user


def session_cookie(user: User, base_url: str) -> dict[str, Any]:
    client = login_with_second_factor(Client(), user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base_url}


@pytest.mark.requirement("R-DP-3")
def test_a_counsellor_logs_and_only_counts_leave_the_log(
    live_server: Any,
    page: Page,
    new_checked_page: Callable[..., CheckedPage],
) -> None:
    base = live_server.url
    organisation = OrganisationFactory(
        slug="leiderdorp", name="Gemeente Leiderdorp", case_prefix="LDP"
    )
    EmployeeFactory(organisation=organisation, first_name="Jeroen", last_name="Verhoeven")
    counsellor_user = person(organisation, Role.CONFIDENTIAL_COUNSELLOR, "Vera")
    central_user = person(organisation, Role.CENTRAL_COUNSELLOR, "Cees")
    coordinator_user = person(organisation, Role.INTEGRITY_COORDINATOR, "Cora")
    admin_user = person(organisation, Role.ADMINISTRATOR, "Bram")

    # --- 1. The counsellor logs a consultation; the name in the note is warned about ----
    counsellor = new_checked_page([session_cookie(counsellor_user, base)])
    cpage = counsellor.page
    cpage.goto(f"{base}/")
    cpage.get_by_role("link", name="Gesprek vastleggen").first.click()
    expect(cpage.get_by_role("heading", level=1)).to_have_text("Gesprek vastleggen")
    expect(cpage.get_by_text("Dit logboek bevat geen namen.")).to_be_visible()
    counsellor.check()
    cpage.get_by_role("radio", name="Pesten", exact=True).check()
    cpage.get_by_role("radio", name="Op eigen initiatief", exact=True).check()
    cpage.get_by_role("checkbox", name="Geluisterd").check()
    cpage.get_by_role("checkbox", name="Advies gegeven").check()
    cpage.get_by_label("Korte notitie").fill(f"Gesprek met Jeroen Verhoeven. {NOTE}")
    cpage.get_by_role("button", name="Opslaan").click()
    expect(
        cpage.get_by_text("Let op: de notitie lijkt iemand herkenbaar te maken.")
    ).to_be_visible()
    expect(cpage.get_by_text("„Verhoeven” is de naam van een medewerker")).to_be_visible()
    expect(cpage.get_by_text("Er is nog niets opgeslagen.")).to_be_visible()
    counsellor.check()
    assert not ConsultationEntry.objects.exists()
    # The counsellor takes the name out (no confirmation needed then).
    cpage.get_by_label("Korte notitie").fill(NOTE)
    cpage.get_by_role("button", name="Opslaan").click()
    expect(cpage.get_by_text("Het gesprek is vastgelegd.")).to_be_visible()
    counsellor.check()
    assert ConsultationEntry.objects.count() == 1
    cpage.get_by_role("table").get_by_role("link").first.click()
    expect(cpage.get_by_text(NOTE)).to_be_visible()
    counsellor.check()
    entry_url = cpage.url

    # --- 2. The central counsellor sees a count, never the entry -------------------------
    central = new_checked_page([session_cookie(central_user, base)])
    zpage = central.page
    zpage.goto(f"{base}/")
    zpage.get_by_role("link", name="Cijfers vertrouwenspersonen").first.click()
    expect(zpage.get_by_role("heading", level=1)).to_have_text("Cijfers vertrouwenspersonen")
    bullying = zpage.get_by_role("row", name="Pesten")
    expect(bullying.first).to_contain_text("< 5")
    assert NOTE not in zpage.content()
    central.check()
    response = zpage.goto(entry_url)
    assert response is not None and response.status == 403

    # --- 3. The coordinator and the administrator see nothing ----------------------------
    for user in (coordinator_user, admin_user):
        other = new_checked_page([session_cookie(user, base)])
        opage = other.page
        opage.goto(f"{base}/")
        expect(opage.get_by_role("link", name="Mijn logboek")).to_have_count(0)
        expect(opage.get_by_role("link", name="Cijfers vertrouwenspersonen")).to_have_count(0)
        other.check()
        for url in (
            entry_url,
            f"{base}/vertrouwenspersoon/",
            f"{base}/vertrouwenspersoon/cijfers/",
        ):
            response = opage.goto(url)
            assert response is not None and response.status == 403, (user, url)
            assert NOTE not in opage.content()
        if user == admin_user:
            opage.goto(f"{base}/beheer/audit/")
            assert NOTE not in opage.content()
            assert "counsel.consultationentry" not in opage.content()
            other.check()
