"""Dutch is the language unless the user chooses English in the application (issue 8).

A browser set to English used to get the whole UI in English. Now only the footer's
language form changes the language; the choice is kept in a cookie and, for a logged-in
user, on the user, so that it also holds in another browser after logging in.
"""

import pytest
from django.test import Client
from django.urls import reverse

from integritas.accounts.models import User
from tests.conftest import login_with_second_factor

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def _lang(client: Client, url: str, **headers: str) -> str:
    html = client.get(url, **headers).content.decode()
    if '<html lang="en"' in html:
        return "en"
    assert '<html lang="nl"' in html
    return "nl"


@pytest.mark.django_db
def test_an_english_browser_gets_dutch(client: Client) -> None:
    response = client.get(reverse("account_login"), **ENGLISH_BROWSER)
    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert "Naar de inhoud" in html and "Skip to content" not in html
    assert response["Content-Language"] == "nl"


def test_an_english_browser_gets_dutch_after_login(client_for, organisation) -> None:
    html = client_for(None).get(reverse("home"), **ENGLISH_BROWSER).content.decode()
    assert "Mijn integriteit" in html and "My integrity" not in html


@pytest.mark.django_db
def test_the_meldpunt_is_dutch_for_an_english_browser(client: Client) -> None:
    assert _lang(client, reverse("meldpunt:intake"), **ENGLISH_BROWSER) == "nl"


@pytest.mark.django_db
def test_choosing_english_holds_until_dutch_is_chosen_again(client: Client) -> None:
    login = reverse("account_login")
    response = client.post(reverse("set_language"), {"language": "en", "next": login})
    assert response.status_code == 302
    cookie = response.cookies["integritas_language"]
    assert cookie.value == "en"
    assert cookie["max-age"]  # remembered, not only for this browser session
    assert _lang(client, login) == "en"
    assert _lang(client, login) == "en"  # and on the next request
    assert _lang(client, reverse("meldpunt:intake")) == "en"

    client.post(reverse("set_language"), {"language": "nl", "next": login})
    assert _lang(client, login, **ENGLISH_BROWSER) == "nl"


@pytest.mark.django_db
def test_an_unknown_language_changes_nothing(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    client.cookies["integritas_language"] = "de"  # a forged cookie is ignored as well
    assert _lang(client, reverse("account_login")) == "nl"


def test_the_choice_is_kept_on_the_user_and_holds_in_another_browser(
    client_for, organisation
) -> None:
    client = client_for(None)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    user = User.objects.get(pk=int(client.session["_auth_user_id"]))
    assert user.language == "en"

    other_browser = login_with_second_factor(Client(), user)
    html = other_browser.get(reverse("home"), **{"HTTP_ACCEPT_LANGUAGE": "nl"}).content.decode()
    assert "My integrity" in html

    other_browser.post(reverse("set_language"), {"language": "nl", "next": reverse("home")})
    user.refresh_from_db()
    assert user.language == "nl"
    assert _lang(login_with_second_factor(Client(), user), reverse("home")) == "nl"


def test_an_english_login_page_leads_to_an_english_home_page(make_user) -> None:
    """The cookie chosen before logging in counts, also when nothing is stored yet."""
    user = make_user()
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    login_with_second_factor(client, user)
    assert _lang(client, reverse("home")) == "en"


def test_choosing_on_the_meldpunt_is_not_written_on_the_employee(client_for) -> None:
    # No write on an employee's row may show that they visited the Meldpunt (DESIGN §2).
    client = client_for(None)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("meldpunt:intake")})
    user = User.objects.get(pk=int(client.session["_auth_user_id"]))
    assert user.language == ""
    assert _lang(client, reverse("meldpunt:intake")) == "en"  # the cookie is enough
