"""Onboarding end to end in a real browser (issue 12, "Proof"): HRM imports a new
employee through the HR import page, the employee reads and acknowledges the region's
gedragscode (its duty turns done) and sees the training deadline on "Mijn integriteit",
HRM prints the oath form, records the oath with the signed scan, and the overdue list
updates.

People are made with factories and start with a session that passed a second factor
(tests/conftest.py), as the TOTP login is proven in test_login_flow.py. Every page
passes axe-core (WCAG 2.1 A/AA) and raises no CSP violation.
"""

import datetime
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.obligations.deadlines import add_months
from integritas.organisations.models import Employee
from integritas.policies.models import Acknowledgement
from tests.conftest import login_with_second_factor
from tests.factories import EmployeeFactory, OrganisationFactory, UserFactory, grant
from tests.policies.factories import regional_code

from .conftest import CheckedPage

# Run once in CI, in the PostgreSQL run (the database of production; it passes on SQLite
# too, as `make test` shows): the two runs then take about as long on their two cores.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.ci_run("postgresql"),
    pytest.mark.usefixtures("transactional_db"),
]

COLUMNS = (
    "personeelsnummer,voornaam,achternaam,email,organisatie,afdeling,afdeling_naam,"
    "bovenliggende_afdeling,functie,functie_naam,dienstverband,datum_in_dienst,"
    "datum_uit_dienst,leidinggevende"
)


def session_cookie(user: User, base_url: str) -> dict[str, Any]:
    client = login_with_second_factor(Client(), user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base_url}


@pytest.mark.requirement("R-AW-4", "R-BIO-3")
def test_import_acknowledge_oath_and_overdue_list(
    live_server: Any,
    page: Page,
    page_checks: Callable[[], None],
    new_checked_page: Callable[..., CheckedPage],
    tmp_path: Path,
) -> None:
    base = live_server.url
    organisation = OrganisationFactory(slug="leiderdorp", name="Gemeente Leiderdorp")
    hrm: User = EmployeeFactory(organisation=organisation, first_name="Hanna").user
    grant(hrm, Role.HRM, organisation)
    _code, (code_v1,) = regional_code(organisation)  # the region's gedragscode, adopted
    page.context.add_cookies([session_cookie(hrm, base)])
    today = timezone.localdate()
    start = today - datetime.timedelta(days=40)  # the oath (30 days) is overdue

    # --- 1. HRM imports the new employee ------------------------------------------------
    export = tmp_path / "hr-export.csv"
    export.write_text(
        COLUMNS
        + "\n"
        + f"7001,Noor,Bakker,noor@leiderdorp.example,leiderdorp,BV,Bedrijfsvoering,,MW,"
        f"Medewerker,in_dienst,{start.isoformat()},,\n",
        encoding="utf-8",
    )
    page.goto(f"{base}/hr-import/")
    page_checks()
    page.locator("input[type=file]").set_input_files(str(export))
    page.get_by_role("button", name="Inlezen").click()
    expect(page.locator(".integritas-messages")).to_be_visible()
    page_checks()
    newcomer = Employee.objects.get(organisation=organisation, personnel_number="7001")

    # --- 2. The employee acknowledges the gedragscode and sees the training deadline ------
    newcomer.user = UserFactory(email="noor@leiderdorp.example")
    newcomer.save(update_fields=["user"])
    own = new_checked_page([session_cookie(newcomer.user, base)])
    own.page.goto(f"{base}/")
    dossier = own.page.locator("#dossier-obligations").locator("..")
    code_row = dossier.get_by_role("row").filter(has_text="Gedragscode ontvangen en gelezen")
    expect(code_row).to_contain_text("Te laat")  # 30 days after the start, 40 days ago
    own.check()
    own.page.get_by_role("link", name="Nieuwe gedragscode lezen en bevestigen").first.click()
    expect(own.page.get_by_role("heading", level=1)).to_have_text("Gedragscode lezen en bevestigen")
    expect(own.page.get_by_text("Meld nevenwerkzaamheden vooraf.")).to_be_visible()  # whole text
    own.check()
    own.page.get_by_label(
        "Ik heb de gedragscode ontvangen en gelezen, en ik houd mij eraan."
    ).check()
    own.page.get_by_role("button", name="Bevestigen").click()
    expect(own.page.get_by_text("Uw bevestiging van de gedragscode is vastgelegd.")).to_be_visible()
    own.page.goto(f"{base}/")
    dossier = own.page.locator("#dossier-obligations").locator("..")
    code_row = dossier.get_by_role("row").filter(has_text="Gedragscode ontvangen en gelezen")
    expect(code_row).to_contain_text("Afgerond op")
    assert Acknowledgement.objects.get(employee=newcomer).version == code_v1
    expect(dossier).to_contain_text("Training informatiebeveiliging")
    training_due = add_months(start, 3)
    expect(dossier.locator(f"time[datetime='{training_due.isoformat()}']")).to_be_visible()
    expect(dossier).to_contain_text("Te laat")  # the oath, overdue
    own.check()

    # --- 3. HRM sees the overdue oath, prints the form, records the oath ----------------
    page.goto(f"{base}/verplichtingen/?status=overdue")
    row = page.get_by_role("row").filter(has_text="7001").filter(has_text="Eed of belofte")
    expect(row).to_have_count(1)
    page_checks()
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eed of belofte")
    page_checks()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Formulier eed of belofte afdrukken (PDF)").click()
    form_pdf = tmp_path / "formulier.pdf"
    download_info.value.save_as(form_pdf)
    text = subprocess.run(
        ["pdftotext", str(form_pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Noor Bakker" in text
    assert "7001" in text
    page.get_by_role("link", name="Vastleggen dat de verplichting is nagekomen").click()
    expect(page.get_by_label("Datum van de eed of belofte")).to_be_visible()
    page_checks()
    # A scan that is not a PDF is refused in Dutch, and what was typed stays.
    not_pdf = tmp_path / "scan.txt"
    not_pdf.write_text("geen pdf", encoding="utf-8")
    page.get_by_label("Datum van de eed of belofte").fill(today.isoformat())
    page.get_by_role("radio", name="Belofte").check()
    page.get_by_label("Afgenomen door").fill("M. Wethouder")
    page.get_by_label("Ondertekend formulier (PDF)").set_input_files(str(not_pdf))
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("is geen PDF-bestand")).to_be_visible()
    expect(page.get_by_label("Afgenomen door")).to_have_value("M. Wethouder")
    page_checks()
    page.get_by_label("Ondertekend formulier (PDF)").set_input_files(str(form_pdf))
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.locator(".integritas-messages")).to_contain_text("De verplichting is vastgelegd.")
    page_checks()

    # --- 4. The overdue list no longer holds the oath -----------------------------------
    page.goto(f"{base}/verplichtingen/?status=overdue")
    expect(
        page.get_by_role("row").filter(has_text="7001").filter(has_text="Eed of belofte")
    ).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text="7001")).not_to_have_count(0)  # handbook
    page_checks()

    # --- 5. By hand: HRM's form for one starter; the manager records the HRM cycle ------
    page.goto(f"{base}/medewerkers/")
    page.get_by_role("link", name="Medewerker toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medewerker toevoegen")
    page_checks()
    page.get_by_label("Personeelsnummer", exact=True).fill("7001")  # Noor's: taken
    page.get_by_label("Voornaam").fill("Kim")
    page.get_by_label("Achternaam").fill("Jong")
    page.get_by_label("Afdeling").select_option(label="Bedrijfsvoering (BV)")
    page.get_by_label("Functie").select_option(label="Medewerker (MW)")
    page.get_by_role("radio", name="Stagiair").check()
    page.get_by_label("Datum in dienst").fill(today.isoformat())
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("Er is al een medewerker met dit personeelsnummer.")).to_be_visible()
    expect(page.get_by_label("Voornaam")).to_have_value("Kim")
    page_checks()
    page.get_by_label("Personeelsnummer", exact=True).fill("7002")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator(".integritas-messages")).to_contain_text("De medewerker is toegevoegd")
    page_checks()
    intern = Employee.objects.get(organisation=organisation, personnel_number="7002")
    assert intern.duties.filter(kind="declaration").exists()

    manager = EmployeeFactory(organisation=organisation, first_name="Mila")
    Employee.objects.filter(pk=newcomer.pk).update(manager=manager)
    interview = newcomer.duties.get(kind="integrity_interview")
    lead = new_checked_page([session_cookie(manager.user, base)])
    lead.page.goto(f"{base}/verplichtingen/{interview.pk}/")
    lead.page.get_by_role("link", name="Vastleggen dat integriteit is besproken").click()
    expect(lead.page.get_by_role("heading", level=1)).to_have_text(
        "Integriteit besproken in de HRM-cyclus"
    )
    lead.check()
    lead.page.get_by_label("Datum van het gesprek").fill(today.isoformat())
    lead.page.get_by_role("button", name="Vastleggen").click()
    expect(lead.page.get_by_text("Vastgelegd dat integriteit is besproken.")).to_be_visible()
    lead.check()
