"""Kwetsbare functies and the dilemma library in a real browser, every page through axe.

HRM assesses a function, confirms the assessment, applies its consequences and finds it
on the heat map; a manager marks a dilemma as discussed with their team (R-AW-2).
"""

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.awareness.models import DilemmaDiscussion
from integritas.organisations.models import Function
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


def _library() -> None:
    """The library of the data migration (a transactional test before may have flushed it)."""
    migration = importlib.import_module("integritas.awareness.migrations.0002_dilemma_library")
    migration.load(django_apps, None)


def test_hrm_assesses_a_function_and_the_heat_map_shows_it(
    live_server: Any, new_checked_page: Callable[..., CheckedPage]
) -> None:
    organisation = OrganisationFactory(slug="leiderdorp", name="Gemeente Leiderdorp")
    hrm = EmployeeFactory(organisation=organisation).user
    grant(hrm, Role.HRM, organisation)
    function = FunctionFactory(organisation=organisation, name="Inkoper", code="INK")
    base = live_server.url
    hrm_page = new_checked_page([session_cookie(hrm, base)])
    page = hrm_page.page

    page.goto(f"{base}/risicoanalyse/leiderdorp/")
    hrm_page.check()
    page.get_by_role("link", name="Beoordelen Inkoper").click()
    hrm_page.check()
    page.get_by_role("group", name="Uitbesteden").get_by_label("Groot").check()
    page.get_by_role("group", name="Beheer van geld").get_by_label("Aanzienlijk").check()
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risicoanalyse van Inkoper")
    expect(page.get_by_text("Hoogste score op een kwetsbare activiteit: groot.")).to_be_visible()
    hrm_page.check()
    page.get_by_role("button", name="Risicoanalyse vaststellen").click()
    expect(
        page.get_by_role("heading", name="Gevolgen voor het integriteitsprofiel van de functie")
    ).to_be_visible()
    hrm_page.check()
    page.get_by_role("button", name="Gevolgen bevestigen en doorvoeren").click()
    expect(
        page.get_by_text("Het integriteitsprofiel van de functie is bijgewerkt.")
    ).to_be_visible()
    function.refresh_from_db()
    assert function.vulnerable_activities == ["uitbesteden", "geld"]

    page.goto(f"{base}/risicoanalyse/leiderdorp/heatmap/")
    table = page.get_by_role("table", name="Scores per functie en activiteit")
    row = table.get_by_role("row", name="Inkoper")
    expect(row).to_contain_text("3")
    expect(page.locator("svg.integritas-heatmap text", has_text="Inkoper")).to_have_count(1)
    hrm_page.check()
    assert Function.objects.get(pk=function.pk).screening_profile == "specific"


@pytest.mark.requirement("R-AW-2")
def test_manager_marks_a_dilemma_as_discussed(
    live_server: Any, new_checked_page: Callable[..., CheckedPage]
) -> None:
    _library()
    organisation = OrganisationFactory(slug="leiderdorp", name="Gemeente Leiderdorp")
    manager = EmployeeFactory(organisation=organisation, first_name="Mila")
    unit = OrgUnitFactory(organisation=organisation, name="Vergunningen")
    unit.managers.add(manager)
    team = [
        EmployeeFactory(organisation=organisation, org_unit=unit, first_name=name)
        for name in ("Daan", "Femke")
    ]
    base = live_server.url
    manager_page = new_checked_page([session_cookie(manager.user, base)])
    page = manager_page.page

    page.goto(f"{base}/bewustwording/dilemmas/")
    manager_page.check()
    page.get_by_role("link", name="De aanvraag van de buurman").click()
    manager_page.check()
    page.get_by_label(team[0].full_name).check()
    page.get_by_label(team[1].full_name).check()
    page.get_by_role("button", name="Vastleggen als besproken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Besproken dilemma's")
    expect(page.get_by_role("cell", name="De aanvraag van de buurman")).to_be_visible()
    manager_page.check()
    discussion = DilemmaDiscussion.objects.get()
    assert set(discussion.attendees.values_list("pk", flat=True)) == {e.pk for e in team}
