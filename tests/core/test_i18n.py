"""The UI is Dutch by default and English on request (issue 2, docs/adr/0003-dutch-msgids.md).

Dutch msgids are the identity; English comes from the committed catalogue in locale/en, switched
only by the language form in the footer (no JavaScript needed), never by the browser's
Accept-Language (issue 8; tests/core/test_language.py).
"""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

LOCALE_DIR = Path(settings.PACKAGE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")


def _footer_csrf_token(html: str) -> str:
    """The CSRF token inside the footer's language form, as a browser would submit it."""
    footer = html[html.index('<footer class="integritas-footer">') :]
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', footer)
    assert match, "the language form carries no CSRF token"
    return match.group(1)


@pytest.mark.django_db
def test_login_page_is_dutch_by_default(client: Client) -> None:
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl"' in html
    assert "Naar de inhoud" in html
    assert "integriteitsmanagement voor de Leidse regio" in html
    assert "Skip to content" not in html


@pytest.mark.django_db
def test_unsupported_browser_language_falls_back_to_dutch(client: Client) -> None:
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="de")
    assert '<html lang="nl"' in response.content.decode()


@pytest.mark.django_db
def test_login_page_is_english_once_chosen(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en"' in html
    assert "Skip to content" in html
    assert "integrity management for the Leiden region" in html
    assert "Naar de inhoud" not in html


@pytest.mark.django_db
def test_anonymous_visitor_switches_to_english_with_the_footer_form() -> None:
    # Real CSRF checks: the form in the footer must work as rendered, without JavaScript.
    client = Client(enforce_csrf_checks=True)
    login_url = reverse("account_login")
    page = client.get(login_url).content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert 'name="language"' in page and '<option value="en"' in page

    response = client.post(
        reverse("set_language"),
        {"language": "en", "next": login_url, "csrfmiddlewaretoken": _footer_csrf_token(page)},
    )
    assert response.status_code == 302
    assert response["Location"] == login_url  # back to the page, not to a login redirect
    english = client.get(login_url).content.decode()
    assert '<html lang="en"' in english
    assert "Skip to content" in english
    assert '<option value="en" lang="en" selected>' in english

    client.post(
        reverse("set_language"),
        {"language": "nl", "next": login_url, "csrfmiddlewaretoken": _footer_csrf_token(english)},
    )
    assert "Naar de inhoud" in client.get(login_url).content.decode()


@pytest.mark.django_db
def test_set_language_refuses_a_foreign_next_url(client: Client) -> None:
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://example.org/"}
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://example.org")


def test_home_page_is_dutch_by_default(client_for, organisation) -> None:
    html = client_for(None).get(reverse("home")).content.decode()
    assert "Mijn integriteit" in html
    assert "My integrity" not in html


def test_home_page_is_english_once_chosen(client_for, organisation) -> None:
    client = client_for(None)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "My integrity" in html
    assert "Mijn integriteit" not in html
    assert f"You work at {organisation.name}." in html  # blocktranslate variables kept
    assert "Log out" in html and "Uitloggen" not in html


def test_logged_in_user_switches_home_page_to_english(client_for) -> None:
    client = client_for(None)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert "My integrity" in html
    assert "Manage two-factor authentication" in html


def test_dutch_is_the_identity_and_english_a_translation() -> None:
    with translation.override("nl"):
        assert translation.gettext("Mijn integriteit") == "Mijn integriteit"
        assert translation.gettext("Gemeentesecretaris") == "Gemeentesecretaris"
    with translation.override("en"):
        assert translation.gettext("Mijn integriteit") == "My integrity"
        assert translation.gettext("Gemeentesecretaris").startswith("Municipal secretary")
        assert translation.ngettext(
            "Het bestand bevat %(counter)s fout; er is niets ingelezen.",
            "Het bestand bevat %(counter)s fouten; er is niets ingelezen.",
            2,
        ) == ("The file contains %(counter)s errors; nothing has been imported.")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_compiled_catalogue_is_committed_and_has_no_fuzzy_entries(language: str) -> None:
    # A fresh machine may lack gettext, so the .mo files are part of the repository; fuzzy
    # entries are left out of a .mo silently, so they must not exist in the .po.
    messages = LOCALE_DIR / language / "LC_MESSAGES"
    assert (messages / "django.mo").is_file()
    assert "#, fuzzy" not in (messages / "django.po").read_text(encoding="utf-8")


def test_english_translations_keep_every_placeholder() -> None:
    with (LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    translated = 0
    for key, msgstr in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid:  # the header
            continue
        translated += 1
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid
    assert translated > 100


def _catalogue_entries(language: str) -> list[str]:
    """The entries of a .po file after its header, each as its text."""
    text = (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return [entry for entry in text.split("\n\n")[1:] if "msgid " in entry]


def test_every_english_entry_is_translated() -> None:
    # `make messages` adds a new Dutch string with an empty msgstr: an English visitor would
    # meet it in Dutch, so the change that adds it translates it.
    untranslated = [
        entry
        for entry in _catalogue_entries("en")
        if re.search(r'^msgstr(\[\d+\])? ""$', entry, re.MULTILINE)
        and not re.search(r'^msgstr(\[\d+\])? ""\n"', entry, re.MULTILINE)
    ]
    assert untranslated == []


def test_every_string_of_the_jinja2_templates_is_in_english() -> None:
    # Strings only a Jinja2 template uses (`{{ a or _("systeem") }}`) reach the catalogue
    # through Jinja2's parser (core/management/commands/makemessages.py).
    from jinja2.ext import GETTEXT_FUNCTIONS, extract_from_ast

    from integritas.core.jinja import environment

    with (LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        english = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    env = environment()
    found = 0
    for path in sorted(Path(settings.PACKAGE_DIR).glob("**/jinja2/**/*.html")):
        template = env.parse(path.read_text(encoding="utf-8"))
        for _line, function, message in extract_from_ast(template, GETTEXT_FUNCTIONS):
            if function == "_" and isinstance(message, str):
                found += 1
                assert english.get(message), (path.name, message)
    assert found > 300
