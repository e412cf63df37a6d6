"""The Meldpunt end to end in a real browser (issue 3, "Proof", first bullet).

An anonymous report through /meldpunt/ → receipt code → the coordinator acknowledges and
writes → the reporter answers in the mailbox → triage → the secretary approves the
investigation → report and decision → feedback and closure, seen in the mailbox. And the
substitute's route (seed 5.2): with the secretary linked as involved, her substitute
finds the case from the e-mail, the home page and the menu, and takes the decision.

Every step goes through the pages; only the people (organisation, users, roles) are made
with factories, and the privileged users start with a session that passed a second
factor (tests/conftest.py `login_with_second_factor`), as the TOTP login itself is
proven in test_login_flow.py. Every distinct page passes axe-core (WCAG 2.1 A/AA) and
raises no CSP violation.
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Dialog, Locator, Page, expect

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.cases import services
from integritas.cases.constants import SubstituteRole
from integritas.cases.models import Case
from integritas.organisations.models import Employee, Organisation
from tests.cases.factories import submit_case, substitute_designate
from tests.conftest import login_with_second_factor
from tests.factories import EmployeeFactory, OrganisationFactory, grant

from .conftest import CheckedPage

# Run once in CI, in the PostgreSQL run (the database of production; `make test` runs it
# on SQLite): the SQLite run carries the page crawl and was the longer of the two.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.ci_run("postgresql"),
    pytest.mark.usefixtures("transactional_db"),
]

# Rendered as text everywhere: the CSP would block it anyway, so a console violation or
# a dialog would both show that it had become markup.
SCRIPT = "<script>alert(1)</script>"
DESCRIPTION = f"Declaraties worden dubbel uitbetaald. {SCRIPT}"
ACKNOWLEDGEMENT = "Wij hebben uw melding ontvangen. Weet u wanneer dit begon?"
ANSWER = "Sinds januari, bij elke maandafsluiting."
FEEDBACK = "Het onderzoek is afgerond; er zijn maatregelen genomen."


def person(organisation: Organisation, role: str, first_name: str) -> User:
    user: User = EmployeeFactory(organisation=organisation, first_name=first_name).user
    user.full_name = f"{first_name} {role}"
    user.save(update_fields=["full_name"])
    grant(user, role, organisation)
    return user


def session_cookie(user: User, base_url: str) -> dict[str, Any]:
    """The session cookie of `user`, logged in with both factors, for a browser context."""
    client = login_with_second_factor(Client(), user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base_url}


def no_dialogs(page: Page, seen: list[str]) -> None:
    def on_dialog(dialog: Dialog) -> None:
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)


def open_form(page: Page, section: str, name: str) -> Locator:
    """The section of the case page with its form; a form behind a link is opened first."""
    link = page.locator(section).get_by_role("link", name=name, exact=True)
    if link.count():
        link.click()
        expect(page.locator(section).get_by_role("button", name=name)).to_be_visible()
    return page.locator(section)


def transition(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".integritas-messages")).to_contain_text(f"Uitgevoerd: {label}.")


@pytest.mark.requirement("R-WBK-4", "R-WBK-7", "R-LR-2")
def test_anonymous_report_from_intake_to_closure_with_feedback(
    live_server: Any,
    page: Page,
    page_checks: Callable[[], None],
    new_checked_page: Callable[..., CheckedPage],
) -> None:
    base = live_server.url
    organisation = OrganisationFactory(
        slug="leiderdorp",
        name="Gemeente Leiderdorp",
        case_prefix="LDP",
        anonymous_reporting_enabled=True,
    )
    coordinator_user = person(organisation, Role.INTEGRITY_COORDINATOR, "Cora")
    secretary_user = person(organisation, Role.SECRETARY, "Siem")
    dialogs: list[str] = []
    no_dialogs(page, dialogs)

    # --- 1. The reporter reports anonymously, without logging in -------------------------
    page.goto(f"{base}/meldpunt/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Melding doen")
    page_checks()
    # Sent empty first: a clear Dutch error per field, and the error page is accessible too.
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_role("alert").first).to_contain_text("Controleer de gemarkeerde velden")
    expect(page.get_by_text("Beschrijf wat er is gebeurd.")).to_be_visible()
    page_checks()
    page.get_by_label("Over welke organisatie gaat uw melding?").select_option(
        label="Gemeente Leiderdorp"
    )
    page.get_by_role("radio", name="Integriteitsschending", exact=True).check()
    page.get_by_label("Wat is er gebeurd?").fill(DESCRIPTION)
    page.get_by_role("radio", name="Anoniem", exact=True).check()
    page.get_by_role("button", name="Controleren").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer uw melding")
    review = page.locator("dl.integritas-review")
    expect(review).to_contain_text(SCRIPT)  # as text, not as an element
    expect(page.locator("main script")).to_have_count(0)
    expect(review).to_contain_text("Gemeente Leiderdorp")
    expect(review).to_contain_text("Anoniem")
    expect(page.get_by_text("U meldt anoniem")).to_be_visible()
    page_checks()
    page.get_by_role("button", name="Versturen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Uw melding is ontvangen")
    case_number = page.locator("dt:text-is('Zaaknummer') + dd").inner_text().strip()
    assert re.fullmatch(r"LDP-\d{4}-\d{4}", case_number), case_number
    code_text = page.locator(".integritas-receipt-code").inner_text().strip()
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", code_text), "no 16-digit receipt code"
    receipt_code = code_text.replace(" ", "")
    page_checks()
    page.get_by_role("button", name="Ik heb mijn code bewaard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dank u wel")
    expect(page.get_by_text(f"Uw melding {case_number} is ontvangen")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(code_text)  # shown once only
    page_checks()
    # Exactly one case, and its content is stored encrypted.
    case = Case.objects.get()
    assert case.case_number == case_number
    assert SCRIPT.encode() not in bytes(case.description_enc)

    # --- 2. The coordinator finds it, acknowledges it and writes to the reporter ---------
    coordinator = new_checked_page([session_cookie(coordinator_user, base)])
    cpage = coordinator.page
    no_dialogs(cpage, dialogs)
    cpage.goto(f"{base}/meldingen/")
    expect(cpage.get_by_role("heading", level=1)).to_have_text("Meldingen")
    row = cpage.get_by_role("row").filter(has_text=case_number)
    expect(row).to_contain_text("Ontvangen")
    coordinator.check()
    row.get_by_role("link", name=case_number).click()

    expect(cpage.get_by_role("heading", level=1)).to_have_text(f"Melding {case_number}")
    expect(cpage.locator(".integritas-case-text")).to_contain_text(SCRIPT)
    expect(cpage.locator("main script")).to_have_count(0)
    coordinator.check()
    # What concerns the reporter is on its own tab, the coordinator's alone.
    cpage.get_by_role("link", name="Melder en bescherming").click()
    expect(cpage.get_by_role("link", name="Melder en bescherming")).to_have_attribute(
        "aria-current", "page"
    )
    expect(cpage.get_by_text("De melder heeft anoniem gemeld.")).to_be_visible()
    coordinator.check()
    cpage.get_by_role("link", name="Melding en behandeling").click()
    transition(cpage, "Ontvangst bevestigen")
    expect(cpage.locator("dt:text-is('Status') + dd")).to_have_text("Vooronderzoek")
    cpage.get_by_label("Bericht aan de melder", exact=True).fill(ACKNOWLEDGEMENT)
    cpage.get_by_role("button", name="Bericht versturen").click()
    expect(cpage.locator(".integritas-messages")).to_contain_text(
        "Het bericht staat in het postvak"
    )
    expect(cpage.locator("#sectie-message")).to_contain_text(ACKNOWLEDGEMENT)
    coordinator.check()

    # --- 3. The reporter, in a fresh browser, opens the mailbox with the code ------------
    reporter = new_checked_page()
    rpage = reporter.page
    no_dialogs(rpage, dialogs)
    rpage.goto(f"{base}/meldpunt/postvak/")
    expect(rpage.get_by_role("heading", level=1)).to_have_text("Postvak melder")
    reporter.check()
    rpage.get_by_label("Uw ontvangstcode").fill("1234")
    rpage.get_by_role("button", name="Postvak openen").click()
    expect(rpage.get_by_text("Bij deze code vinden wij geen melding.")).to_be_visible()
    reporter.check()
    rpage.get_by_label("Uw ontvangstcode").fill(receipt_code)
    rpage.get_by_role("button", name="Postvak openen").click()

    expect(rpage.get_by_role("heading", level=1)).to_have_text(f"Uw melding {case_number}")
    expect(rpage.locator("dt:text-is('Ontvangst bevestigd') + dd")).to_contain_text("Ja, op")
    expect(rpage.locator("dt:text-is('Stand van zaken') + dd")).to_have_text(
        "Uw melding wordt beoordeeld."
    )
    messages = rpage.locator(".integritas-messages-list")
    expect(messages).to_contain_text("Van het Meldpunt")
    expect(messages).to_contain_text(ACKNOWLEDGEMENT)
    expect(rpage.get_by_text(SCRIPT)).to_be_visible()  # the own text, inert
    expect(rpage.locator("main script")).to_have_count(0)
    reporter.check()
    rpage.get_by_label("Uw bericht").fill(ANSWER)
    rpage.get_by_role("button", name="Bericht versturen").click()
    expect(rpage.get_by_role("status")).to_have_text("Uw bericht is verstuurd.")
    expect(messages.locator("li").filter(has_text="Van u")).to_contain_text(ANSWER)

    # --- 4. The coordinator reads the answer and asks the secretary for approval ----------
    cpage.reload()
    expect(cpage.locator("#sectie-message")).to_contain_text(ANSWER)
    transition(cpage, "Onderzoek voorleggen aan de gemeentesecretaris")
    expect(cpage.locator("dt:text-is('Status') + dd")).to_have_text(
        "Wacht op besluit gemeentesecretaris"
    )
    # The coordinator cannot approve on the secretary's behalf.
    expect(cpage.get_by_role("button", name="Onderzoek goedkeuren")).to_have_count(0)

    # --- 5. The secretary sees the task and approves the investigation --------------------
    secretary = new_checked_page([session_cookie(secretary_user, base)])
    spage = secretary.page
    no_dialogs(spage, dialogs)
    spage.goto(f"{base}/")
    expect(spage.get_by_role("heading", level=1)).to_have_text("Mijn integriteit")
    # The work list counts the decision and links to the inbox filtered to exactly it.
    task = spage.get_by_role("row").filter(has_text="Besluit over een onderzoek")
    expect(task.get_by_role("cell").first).to_have_text("1")
    secretary.check()
    task.get_by_role("link", name="Besluit over een onderzoek").click()
    expect(spage.get_by_role("link", name=case_number)).to_have_count(1)
    secretary.check()
    spage.get_by_role("link", name=case_number).click()
    expect(spage.get_by_role("heading", level=1)).to_have_text(f"Melding {case_number}")
    # R-WBK-7: no identity section and no messages form for the secretary.
    expect(spage.get_by_role("heading", name="Identiteit van de melder")).to_have_count(0)
    expect(spage.get_by_label("Bericht aan de melder", exact=True)).to_have_count(0)
    secretary.check()
    transition(spage, "Onderzoek goedkeuren")
    expect(spage.locator("dt:text-is('Status') + dd")).to_have_text("Onderzoek")

    # --- 6. Report, decision, feedback, closure -------------------------------------------
    cpage.reload()
    # The report goes to the secretary only once it is recorded.
    report_step = "Onderzoeksrapport naar de gemeentesecretaris"
    cpage.get_by_role("button", name=report_step, exact=True).click()
    expect(cpage.locator(".utrecht-alert--error")).to_contain_text(
        "Leg eerst het onderzoeksrapport vast"
    )
    investigation = cpage.locator("#sectie-investigation")
    investigation.get_by_role("link", name="Onderzoeksstuk vastleggen").click()
    investigation.get_by_label("Soort stuk").select_option(label="Onderzoeksrapport")
    investigation.get_by_label("Datum").fill(timezone.localdate().isoformat())
    investigation.get_by_label("Tekst").fill("Onderzoeksrapport: de declaraties zijn onterecht.")
    investigation.get_by_role("button", name="Stuk vastleggen").click()
    expect(cpage.locator(".integritas-messages")).to_contain_text(
        "Het onderzoeksstuk is vastgelegd."
    )
    expect(cpage.locator("#sectie-investigation")).to_contain_text("Onderzoeksrapport")
    coordinator.check()
    transition(cpage, report_step)
    expect(cpage.locator("dt:text-is('Status') + dd")).to_have_text(
        "Rapport bij gemeentesecretaris"
    )

    spage.goto(f"{base}/")
    task = spage.get_by_role("row").filter(has_text="Besluit na het onderzoeksrapport")
    expect(task.get_by_role("cell").first).to_have_text("1")
    task.get_by_role("link", name="Besluit na het onderzoeksrapport").click()
    spage.get_by_role("link", name=case_number).click()
    expect(spage.get_by_role("heading", level=1)).to_have_text(f"Melding {case_number}")
    decision = open_form(spage, "#sectie-decision", "Besluit vastleggen")
    decision.get_by_role("radio", name="Gegrond", exact=True).check()
    decision.get_by_role("checkbox", name="Schriftelijke berisping").check()
    secretary.check()  # the case page with the decision form
    decision.get_by_role("button", name="Besluit vastleggen").click()
    expect(spage.locator(".integritas-messages")).to_contain_text("Het besluit is vastgelegd.")
    expect(spage.locator("dt:text-is('Status') + dd")).to_have_text("Besluit genomen")
    expect(spage.locator("#sectie-decision")).to_contain_text("Gegrond")
    expect(spage.locator("#sectie-decision")).to_contain_text("Schriftelijke berisping")

    cpage.reload()
    expect(cpage.locator("dt:text-is('Status') + dd")).to_have_text("Besluit genomen")
    # Closing waits for the feedback to the reporter (R-WBK-4).
    expect(cpage.get_by_text('"Afsluiten" kan pas nadat de melder terugkoppeling')).to_be_visible()
    cpage.get_by_label("Bericht aan de melder", exact=True).fill(FEEDBACK)
    cpage.get_by_label("Dit is de terugkoppeling").check()
    cpage.get_by_role("button", name="Bericht versturen").click()
    expect(cpage.locator(".integritas-messages")).to_contain_text(
        "Het bericht staat in het postvak"
    )
    expect(cpage.locator("dt:text-is('Terugkoppeling gegeven op') + dd")).to_have_text(
        re.compile(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}")
    )
    transition(cpage, "Afsluiten")
    expect(cpage.locator("dt:text-is('Status') + dd")).to_have_text("Afgesloten")
    coordinator.check()

    # --- 7. The reporter sees the outcome and the feedback --------------------------------
    rpage.goto(f"{base}/meldpunt/postvak/")
    expect(rpage.locator("dt:text-is('Stand van zaken') + dd")).to_have_text(
        "Uw melding is afgehandeld."
    )
    expect(messages).to_contain_text(FEEDBACK)
    # Internal matters stay internal: no finding, measure or handler name in the mailbox.
    for internal in ("Gegrond", "Schriftelijke berisping", coordinator_user.full_name):
        expect(rpage.locator("main")).not_to_contain_text(internal)
    reporter.check()

    case.refresh_from_db()
    assert case.status == "closed" and case.feedback_given_at is not None
    assert dialogs == [], f"a script ran: {dialogs}"


@pytest.mark.requirement("R-LR-2", "R-WBK-7")
def test_the_substitute_decides_when_the_secretary_is_involved(
    live_server: Any,
    new_checked_page: Callable[..., CheckedPage],
    mailoutbox: list[Any],
) -> None:
    base = live_server.url
    organisation = OrganisationFactory(
        slug="leiderdorp", name="Gemeente Leiderdorp", case_prefix="LDP"
    )
    coordinator = person(organisation, Role.INTEGRITY_COORDINATOR, "Cora")
    secretary_user = person(organisation, Role.SECRETARY, "Siem")
    # As in the demo: a director, with no case role of his own, is her substitute.
    substitute_user = person(organisation, Role.MANAGEMENT_BOARD, "Robert")
    admins = (
        person(organisation, Role.ADMINISTRATOR, "Anna"),
        person(organisation, Role.ADMINISTRATOR, "Bram"),
    )
    substitute_designate(admins, organisation, SubstituteRole.SECRETARY, substitute_user)
    # The route up to the secretary's step is walked in the first test; here by services.
    case = submit_case(organisation).case
    case = services.case_transition(actor=coordinator, case=case, name="acknowledge")
    services.case_link_involved(
        actor=coordinator,
        case=case,
        employee=Employee.objects.get(user=secretary_user),
        description="De gemeentesecretaris",
    )
    case = services.case_transition(actor=coordinator, case=case, name="request_approval")
    dialogs: list[str] = []

    # --- 1. The notice goes to the substitute only; its link opens his inbox ------------
    (notice,) = [m for m in mailoutbox if m.subject == "Besluit gevraagd over een melding"]
    assert notice.to == [substitute_user.email]
    found = re.search(r"https?://[^/\s]+(/\S*)", notice.body)
    assert found is not None
    substitute = new_checked_page([session_cookie(substitute_user, base)])
    spage = substitute.page
    no_dialogs(spage, dialogs)
    spage.goto(base + found.group(1))
    expect(spage.get_by_role("heading", level=1)).to_have_text("Meldingen")
    expect(spage.get_by_role("link", name=case.case_number)).to_have_count(1)
    substitute.check()

    # --- 2. The home page: the menu and the task that opens the case --------------------
    spage.goto(f"{base}/")
    menu = spage.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name="Meldingen", exact=True)).to_be_visible()
    label = "Besluiten als vervangend gemeentesecretaris"
    task = spage.get_by_role("row").filter(has_text=label)
    expect(task.get_by_role("cell").first).to_have_text("1")
    substitute.check()
    task.get_by_role("link", name=label).click()
    expect(spage.get_by_role("heading", level=1)).to_have_text(f"Melding {case.case_number}")
    substitute.check()

    # --- 3. He approves the investigation and goes back to the reports ------------------
    transition(spage, "Onderzoek goedkeuren")
    expect(spage.locator("dt:text-is('Status') + dd")).to_have_text("Onderzoek")
    spage.get_by_role("link", name="Terug naar de meldingen").click()
    expect(spage.get_by_role("heading", level=1)).to_have_text("Meldingen")
    expect(spage.get_by_role("link", name=case.case_number)).to_have_count(1)
    substitute.check()

    # --- 4. The secretary concerned sees nothing of it (R-WBK-7) ------------------------
    secretary = new_checked_page([session_cookie(secretary_user, base)])
    secretary.page.goto(f"{base}/meldingen/")
    expect(secretary.page.get_by_role("heading", level=1)).to_have_text("Meldingen")
    expect(secretary.page.get_by_role("link", name=case.case_number)).to_have_count(0)
    response = secretary.page.goto(f"{base}/meldingen/{case.case_number}/")
    assert response is not None and response.status == 404
    assert dialogs == [], f"a script ran: {dialogs}"
