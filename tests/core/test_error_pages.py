"""Error pages in production settings: Dutch, in the house style, a way back, no detail.

A tester saw bare English pages for 403 and 404 and Django's technical CSRF page (issue 8).
Each page is asked for as a user meets it, with DEBUG off as in production.
"""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls_failing")]

# Words that belong to Django's own error pages, tracebacks or exception text.
TECHNICAL = (
    "Traceback",
    "secret",
    "Exception",
    "Error",
    "CSRF",
    "csrf_failure",
    "Forbidden",
    "Not Found",
    "Bad Request",
    "Server Error",
    "DEBUG",
    "Django",
    "HTTP_HOST",
    "integritas_case",
    "Request Method",
)


def _visible(html: str) -> str:
    """The page's text without tags, attributes, scripts or the CSRF token's field."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _assert_error_page(response, status: int, heading: str, links: list[str]) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="nl"' in html
    assert f'<h1 class="utrecht-heading-1">{heading}</h1>' in html
    assert "integritas.css" in html  # the house style
    for link in links:
        assert f'href="{link}"' in html, link
    text = _visible(html)
    for word in TECHNICAL:
        assert word not in text, word
    return html


@override_settings(DEBUG=False)
def test_404_for_a_visitor_offers_the_login_and_the_meldpunt(client: Client) -> None:
    response = client.get("/accounts/bestaat-niet/")
    html = _assert_error_page(
        response, 404, "Pagina niet gevonden", [reverse("account_login"), "/meldpunt/"]
    )
    assert "Naar de inlogpagina" in html


@override_settings(DEBUG=False)
def test_404_for_a_logged_in_user_leads_to_the_home_page(client_for) -> None:
    response = client_for(None).get("/meldingen/999999/")
    html = _assert_error_page(response, 404, "Pagina niet gevonden", [reverse("home")])
    assert "Naar de startpagina" in html
    assert "Naar de inlogpagina" not in html


@override_settings(DEBUG=False)
def test_404_on_the_meldpunt_leads_back_to_the_meldpunt_only(client_for) -> None:
    # Even for a logged-in employee: the Meldpunt never knows who its visitor is.
    response = client_for(None).get("/meldpunt/bestaat-niet/")
    html = _assert_error_page(
        response, 404, "Pagina niet gevonden", ["/meldpunt/", "/meldpunt/postvak/"]
    )
    assert "Naar het Meldpunt Integriteit" in html
    assert "Naar de startpagina" not in html and "Naar de inlogpagina" not in html
    # The Meldpunt's own layout (kept out of search engines, no language form of the
    # employees' pages), not the application's.
    assert '<meta name="robots" content="noindex">' in html
    assert "Taal wijzigen" not in html


@override_settings(DEBUG=False)
def test_403_is_dutch_with_a_way_home(client_for) -> None:
    response = client_for(None).get(reverse("accounts:user_list"))  # an employee
    html = _assert_error_page(response, 403, "Geen toegang", [reverse("home")])
    assert "U heeft geen toegang" in html


@override_settings(DEBUG=False)
def test_400_for_a_forged_host_is_dutch(client: Client) -> None:
    response = client.get(reverse("account_login"), HTTP_HOST="aanvaller.example")
    _assert_error_page(
        response, 400, "Verzoek niet begrepen", [reverse("account_login"), "/meldpunt/"]
    )


@override_settings(DEBUG=False)
def test_400_for_a_suspicious_request_is_dutch(client: Client) -> None:
    response = client.get("/accounts/verdacht/")
    _assert_error_page(response, 400, "Verzoek niet begrepen", [reverse("account_login")])


@override_settings(DEBUG=False)
def test_500_needs_no_database_and_shows_no_detail(
    client: Client, django_assert_num_queries
) -> None:
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get("/accounts/kapot/")
    html = _assert_error_page(response, 500, "Er ging iets mis", [reverse("home"), "/meldpunt/"])
    assert "Probeer het over een paar minuten opnieuw" in html


@override_settings(DEBUG=False)
def test_500_on_the_meldpunt_leads_back_to_the_meldpunt(client: Client) -> None:
    client.raise_request_exception = False
    response = client.get("/meldpunt/kapot/")
    html = _assert_error_page(response, 500, "Er ging iets mis", ["/meldpunt/"])
    assert "Naar de startpagina" not in html


@override_settings(DEBUG=False)
def test_csrf_failure_on_the_login_is_dutch_and_explains_what_to_do() -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("account_login"))  # the CSRF cookie, as a browser has it
    response = client.post(
        reverse("account_login"), {"login": "iemand@example.org", "password": "x" * 12}
    )
    html = _assert_error_page(
        response, 403, "Formulier verlopen", [reverse("account_login"), "/meldpunt/"]
    )
    assert "laad de pagina opnieuw" in html
    assert "Er is niets opgeslagen." in html


@override_settings(DEBUG=False)
def test_csrf_failure_on_the_meldpunt_leads_back_to_the_meldpunt() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/meldpunt/", {"description": "x"})
    html = _assert_error_page(response, 403, "Formulier verlopen", ["/meldpunt/"])
    assert "Naar de inlogpagina" not in html


@override_settings(DEBUG=False)
def test_error_pages_follow_the_chosen_language(client: Client) -> None:
    client.cookies["integritas_language"] = "en"
    response = client.get("/accounts/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "integrity management for the Leiden region" in html
