"""allauth's pages and the forms with a select speak Dutch, and address the user as "u".

A tester found English ("- Select an option -", "Passkey", ...) and "je/jouw" on the login,
second-factor, passkey and e-mail pages (issue 8): django-allauth's own Dutch uses "je",
and Django 6.1's empty choice has no Dutch. The overrides in locale_overrides/ and the
templates in templates/account|mfa|socialaccount fix that; these tests render every page
a user can reach, in the states a user meets them, and read the visible text.
"""

import gettext
import re
from collections.abc import Callable
from pathlib import Path

import allauth
import pytest
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from tests.conftest import login_with_second_factor

from .conftest import add_totp, password_login

# "je", "jij", "jou", "jouw" and friends as words; "u" is the application's address.
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jouwe|jezelf|jullie)\b", re.IGNORECASE)
# English that allauth and Django show when a Dutch translation is missing (case-sensitive,
# as words: "Add" but not "Adda", "Email" but not "E-mail").
ENGLISH = (
    "Select an option",
    "Sign In",
    "Sign in",
    "Sign Out",
    "Sign out",
    "Password",
    "Remember Me",
    "Forgot",
    "Email",
    "email",
    "Authenticator",
    "authenticator",
    "Recovery",
    "recovery",
    "Passkey",
    "passkey",
    "Add",
    "Remove",
    "Security Key",
    "Two-Factor",
    "two-factor",
    "Reauthenticate",
    "Confirm",
    "Generate",
    "Download",
    "Unused",
    "Activate",
    "Deactivate",
    "Manage",
    "Verified",
    "Primary",
    "Trust",
    "Use a",
    "Request",
    "Code:",
    "Continue",
    "Cancel",
    "Back",
    "Submit",
    "Save",
    "Change",
    "Enter",
    "You ",
    "Your ",
    "your ",
    "Please",
    "please",
    "the ",
    " and ",
    "This ",
    "Are you",
    "WebAuthn",
    "Secret",
    "Field",
    "required",
    "Name",
    "Not used",
    "Unspecified",
    "Connections",
    "Login",
)


def visible_text(html: str) -> str:
    """What a reader sees and hears: text and the attributes shown or read aloud.

    Scripts, styles and comments go; so does quoted content (<q>, <blockquote>), which may
    carry someone else's words.
    """
    html = re.sub(r"<(script|style|q|blockquote)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    shown = re.findall(r'\b(?:placeholder|title|alt|aria-label|value)="([^"]*)"', html)
    # the values of hidden fields and tokens are not shown
    shown = [s for s in shown if not re.fullmatch(r"[\w/:.?=&%+-]*", s) or " " in s]
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", " ".join([text, *shown]))


def assert_dutch(page: str, html: str) -> None:
    text = visible_text(html)
    informal = INFORMAL.findall(text)
    assert not informal, f"{page}: {informal} in {text}"
    english = [word for word in ENGLISH if re.search(rf"(?<![\w-]){re.escape(word)}(?!\w)", text)]
    assert not english, f"{page}: {english} in {text}"


def get(client: Client, page: str, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (page, response.status_code, response.get("Location"))
    html = response.content.decode()
    assert '<html lang="nl"' in html, page
    assert_dutch(page, html)
    return html


@pytest.fixture
def secured(make_user: Callable[..., User]) -> tuple[Client, User]:
    """An integrity officer with an authenticator app and recovery codes, second factor passed."""
    user = make_user(Role.INTEGRITY_OFFICER)
    add_totp(user)
    RecoveryCodes.activate(user)
    client = login_with_second_factor(Client(), user)
    # As after entering the password again: the factor pages ask for it.
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "password", reauthenticated=True)
    request.session.save()
    return client, user


@pytest.mark.django_db
def test_pages_before_login_are_dutch(client: Client) -> None:
    get(client, "login", reverse("account_login"))
    get(client, "password reset", reverse("account_reset_password"))
    get(client, "password reset sent", reverse("account_reset_password_done"))
    get(client, "password reset done", reverse("account_reset_password_from_key_done"))
    get(
        client,
        "password reset, bad link",
        reverse("account_reset_password_from_key", kwargs={"uidb36": "x", "key": "y-z"}),
    )
    get(client, "sign-up closed", reverse("account_signup"))
    get(client, "inactive", reverse("account_inactive"))
    get(client, "verification sent", reverse("account_email_verification_sent"))
    get(client, "bad confirmation", reverse("account_confirm_email", kwargs={"key": "nope"}))
    get(client, "sso cancelled", reverse("socialaccount_login_cancelled"))
    get(client, "sso error", reverse("socialaccount_login_error"), status=401)


@pytest.mark.django_db
def test_login_mistakes_and_the_second_step_are_dutch(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.INTEGRITY_OFFICER)
    add_totp(user)
    response = password_login(client, user, password="niet-het-wachtwoord")
    assert response.status_code == 200
    assert_dutch("login, wrong password", response.content.decode())
    assert "klopt niet" in response.content.decode()

    assert password_login(client, user).status_code == 302
    html = get(client, "second step", reverse("mfa_authenticate"))
    assert "authenticatie-app" in html
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert_dutch("second step, wrong code", response.content.decode())


@pytest.mark.django_db
def test_reset_request_is_dutch_and_so_is_its_mail(
    client: Client, make_user: Callable[..., User], mailoutbox: list
) -> None:
    user = make_user()
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert_dutch("reset mail subject", mail.subject)
    assert_dutch("reset mail", mail.body.replace(user.email, ""))


def test_pages_of_a_logged_in_user_are_dutch(secured: tuple[Client, User]) -> None:
    client, _user = secured
    html = get(client, "logout", reverse("account_logout"))
    assert "Weet u zeker dat u wilt uitloggen?" in html
    get(client, "change password", reverse("account_change_password"))
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "fout", "password1": "a", "password2": "b"},
    )
    assert_dutch("change password, mistakes", response.content.decode())
    get(client, "e-mail", reverse("account_email"))
    get(client, "reauthenticate", reverse("account_reauthenticate"))
    get(client, "reauthenticate 2fa", reverse("mfa_reauthenticate"))
    get(client, "sso connections", reverse("socialaccount_connections"))


def test_second_factor_pages_are_dutch(secured: tuple[Client, User]) -> None:
    client, _user = secured
    html = get(client, "2fa overview", reverse("mfa_index"))
    assert "Tweestapsverificatie" in html
    get(client, "totp deactivate", reverse("mfa_deactivate_totp"))
    get(client, "recovery codes", reverse("mfa_view_recovery_codes"))
    get(client, "recovery codes generate", reverse("mfa_generate_recovery_codes"))
    get(client, "passkeys", reverse("mfa_list_webauthn"))
    html = get(client, "passkey add", reverse("mfa_add_webauthn"))
    assert "Naam van de sleutel" in html


def test_totp_activation_is_dutch(make_user: Callable[..., User]) -> None:
    # A privileged user without a factor yet, just logged in: sent here to set one up.
    client = login_with_second_factor(Client(), make_user(Role.INTEGRITY_OFFICER))
    html = get(client, "totp activate", reverse("mfa_activate_totp"))
    assert "authenticatie-app" in html
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert_dutch("totp activate, wrong code", response.content.decode())


def test_passkey_pages_with_a_key_are_dutch(secured: tuple[Client, User]) -> None:
    client, user = secured
    key = Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Sleutel van de laptop", "credential": {}, "passwordless": True},
    )
    get(client, "2fa overview with key", reverse("mfa_index"))
    get(client, "passkeys with key", reverse("mfa_list_webauthn"))
    get(client, "passkey edit", reverse("mfa_edit_webauthn", kwargs={"pk": key.pk}))
    get(client, "passkey remove", reverse("mfa_remove_webauthn", kwargs={"pk": key.pk}))


def test_the_role_form_offers_a_dutch_empty_choice(client_for) -> None:
    html = get(client_for(Role.ADMINISTRATOR), "role form", reverse("accounts:assignment_create"))
    assert "Maak een keuze" in html


def test_the_substitute_form_offers_a_dutch_empty_choice(client_for) -> None:
    html = get(client_for(Role.ADMINISTRATOR), "substitute form", "/beheer/vervangers/nieuw/")
    assert "Maak een keuze" in html


def _catalogue(mo: Path) -> dict:
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]


OVERRIDES = Path(settings.PACKAGE_DIR) / "locale_overrides" / "nl" / "LC_MESSAGES"


def test_every_informal_allauth_translation_is_overridden() -> None:
    """An allauth upgrade that brings new "je/jouw" fails here, not in front of a user."""
    allauth_nl = _catalogue(
        Path(allauth.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.mo"
    )
    overrides = _catalogue(OVERRIDES / "django.mo")
    informal = [key for key, text in allauth_nl.items() if INFORMAL.search(text)]
    assert len(informal) > 50  # the check reads allauth's real catalogue
    missing = [key for key in informal if key not in overrides]
    assert not missing
    assert not [text for text in overrides.values() if INFORMAL.search(text)]


def test_the_overrides_are_compiled_and_win() -> None:
    po = (OVERRIDES / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po
    entries = len(re.findall(r"^msgid ", po, flags=re.M)) - 1  # without the header
    plurals = len(re.findall(r"^msgid_plural ", po, flags=re.M))
    compiled = [key for key in _catalogue(OVERRIDES / "django.mo") if key]
    assert len(compiled) == entries + plurals  # the committed .mo is the .po compiled
    with translation.override("nl"):
        assert translation.gettext("- Select an option -") == "- Maak een keuze -"
        assert translation.gettext("You have signed out.") == "U bent uitgelogd."
