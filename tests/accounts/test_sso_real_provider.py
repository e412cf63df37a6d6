"""Single sign-on against real OpenID Connect providers (Authlib) on loopback.

Two municipalities, Leiden and Leiderdorp, each with its own provider and issuer. allauth
takes its real path: discovery over HTTP, the code exchange with PKCE, the ID token's
signature against the provider's published keys, userinfo. Only the person's browser is
played here: it follows the provider's redirect back to Integritas.
"""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.accounts.second_factor import OIDC_MFA_SESSION_KEY
from integritas.accounts.services import user_create
from integritas.audit.constants import Result
from integritas.audit.models import AuditEvent
from integritas.organisations.models import Organisation
from tests.factories import TEST_PASSWORD, EmployeeFactory, OrganisationFactory, grant

from .conftest import add_totp, totp_code
from .oidc_provider import OIDCProvider, Person, running

MFA_POLICY = {"amr": ["mfa", "hwk", "otp", "swk", "sms"], "acr": []}
SECRET = "geheim-van-de-test"


def _callback(slug: str) -> str:
    path = reverse("openid_connect_callback", kwargs={"provider_id": slug})
    return f"http://testserver{path}"


@pytest.fixture(scope="module")
def leiden_idp() -> Iterator[OIDCProvider]:
    yield from running(
        client_id="integritas-leiden", secret=SECRET, redirect_uri=_callback("leiden")
    )


@pytest.fixture(scope="module")
def leiderdorp_idp() -> Iterator[OIDCProvider]:
    yield from running(
        client_id="integritas-leiderdorp", secret=SECRET, redirect_uri=_callback("leiderdorp")
    )


@pytest.fixture(autouse=True)
def providers(settings: Any, leiden_idp: OIDCProvider, leiderdorp_idp: OIDCProvider) -> None:
    """Both municipalities configured as conf/base.py does from OIDC_<CODE>_* variables."""
    apps = []
    for slug, name, idp in (
        ("leiden", "Gemeente Leiden", leiden_idp),
        ("leiderdorp", "Gemeente Leiderdorp", leiderdorp_idp),
    ):
        idp.person = None
        idp.id_token_key = idp.published_key
        idp.omit_kid = False
        apps.append(
            {
                "provider_id": slug,
                "name": name,
                "client_id": idp.client.client_id,
                "secret": SECRET,
                "settings": {
                    "server_url": idp.issuer,
                    "fetch_userinfo": True,
                    "oauth_pkce_enabled": True,
                    "scope": ["openid", "email", "profile"],
                },
            }
        )
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": apps}}
    settings.INTEGRITAS_OIDC_MFA = {"leiden": MFA_POLICY, "leiderdorp": MFA_POLICY}


@pytest.fixture
def leiden(organisation: Organisation) -> Organisation:
    return OrganisationFactory(
        slug="leiden", name="Gemeente Leiden", case_prefix="LDN", region=organisation.region
    )


def _employee(org: Organisation, email: str, role: str | None = None) -> User:
    """A login as an administrator makes it (verified address, with a password)."""
    user = user_create(actor=None, email=email, full_name="Medewerker", password=TEST_PASSWORD)
    EmployeeFactory(organisation=org, user=user, email=user.email)
    if role is not None:
        grant(user, role, org)
    return user


def sso_login(client: Client, idp: OIDCProvider, slug: str, person: Person) -> Any:
    """Our login button, the provider's authorize step (over HTTP), back to our callback."""
    idp.person = person
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": slug}))
    assert response.status_code == 302
    authorize = response["Location"]
    assert authorize.startswith(f"{idp.issuer}/authorize?")
    at_provider = requests.get(authorize, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert f"http://{back.netloc}{back.path}" == _callback(slug)
    return client.get(f"{back.path}?{back.query}")


def _logged_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def test_leiden_login_with_mfa_amr_counts_as_the_second_factor(client, leiden, leiden_idp):
    user = _employee(leiden, "beheerder@leiden.example", Role.ADMINISTRATOR)
    person = Person(sub="leiden-001", email=user.email, amr=["pwd", "otp"])
    response = sso_login(client, leiden_idp, "leiden", person)
    assert response.status_code == 302
    assert _logged_in_as(client) == user.pk
    assert client.session[OIDC_MFA_SESSION_KEY] == user.pk
    # A privileged page opens without our own TOTP: Leiden's factor counts.
    assert client.get(reverse("accounts:user_list")).status_code == 200
    # allauth really spoke to the provider: discovery, keys, token, userinfo.
    for path in ("/.well-known/openid-configuration", "/jwks", "/token", "/userinfo"):
        assert path in leiden_idp.requests
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("leiden", "leiden-001")
    assert AuditEvent.objects.filter(action="login.oidc", actor_id=user.pk).exists()


@pytest.mark.requirement("R-BIO-1")
def test_a_municipality_provider_cannot_log_in_an_employee_of_another(
    client, organisation, leiden, leiden_idp
):
    # Leiden's provider asserts the address (and a second factor) of a Leiderdorp
    # administrator: it vouches only for Leiden's own people.
    stranger = _employee(organisation, "beheerder@leiderdorp.example", Role.ADMINISTRATOR)
    person = Person(sub="leiden-666", email=stranger.email, amr=["mfa"])
    response = sso_login(client, leiden_idp, "leiden", person)
    assert response["Location"] == reverse("account_login")
    assert _logged_in_as(client) is None
    assert OIDC_MFA_SESSION_KEY not in client.session
    assert not SocialAccount.objects.exists()
    assert client.get("/").status_code == 302
    assert "eigen organisatie" in client.get(reverse("account_login")).content.decode()
    refused = AuditEvent.objects.get(action="login.failed")
    assert refused.result == Result.FAILURE
    assert refused.actor_id is None
    stranger.refresh_from_db()
    assert stranger.has_usable_password()


def test_first_sso_login_keeps_the_local_password(client, organisation, leiderdorp_idp):
    user = _employee(organisation, "medewerker@leiderdorp.example")
    person = Person(sub="ldp-042", email=user.email, amr=["pwd"])
    sso_login(client, leiderdorp_idp, "leiderdorp", person)
    assert _logged_in_as(client) == user.pk
    user.refresh_from_db()
    assert user.has_usable_password()
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert _logged_in_as(client) == user.pk


@pytest.mark.requirement("R-BIO-2")
def test_sso_without_amr_claim_asks_for_our_own_second_factor(client, organisation, leiderdorp_idp):
    user = _employee(organisation, "integriteit@leiderdorp.example", Role.ADMINISTRATOR)
    person = Person(sub="ldp-007", email=user.email, amr=None)
    sso_login(client, leiderdorp_idp, "leiderdorp", person)
    assert _logged_in_as(client) == user.pk
    assert OIDC_MFA_SESSION_KEY not in client.session
    for page in ("/", reverse("accounts:user_list")):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.requirement("R-BIO-2")
def test_sso_without_amr_claim_asks_an_enrolled_user_for_their_totp(
    client, organisation, leiderdorp_idp
):
    user = _employee(organisation, "secretaris@leiderdorp.example", Role.ADMINISTRATOR)
    secret = add_totp(user)
    response = sso_login(
        client, leiderdorp_idp, "leiderdorp", Person(sub="ldp-008", email=user.email)
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert _logged_in_as(client) is None
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert _logged_in_as(client) == user.pk
    assert client.get(reverse("accounts:user_list")).status_code == 200


@pytest.mark.requirement("R-BIO-2")
def test_id_token_signed_with_a_foreign_key_is_refused(client, leiden, leiden_idp):
    # Whoever answers at the token endpoint without Leiden's key cannot log anyone in,
    # let alone assert a second factor for them.
    user = _employee(leiden, "coordinator@leiden.example", Role.ADMINISTRATOR)
    leiden_idp.sign_with_foreign_key()
    person = Person(sub="leiden-002", email=user.email, amr=["mfa"])
    response = sso_login(client, leiden_idp, "leiden", person)
    assert response.status_code in (200, 401)
    assert _logged_in_as(client) is None
    assert OIDC_MFA_SESSION_KEY not in client.session
    assert not SocialAccount.objects.exists()
    assert client.get(reverse("accounts:user_list")).status_code == 302


def test_id_token_without_key_id_is_refused_without_a_server_error(client, leiden, leiden_idp):
    user = _employee(leiden, "zonder-kid@leiden.example")
    leiden_idp.omit_kid = True
    person = Person(sub="leiden-003", email=user.email, amr=["mfa"])
    response = sso_login(client, leiden_idp, "leiden", person)
    assert response.status_code in (200, 401)
    assert _logged_in_as(client) is None


def test_sso_creates_no_user_unknown_to_integritas(client, leiden, leiden_idp):
    # No self sign-up: the provider knows the person, Integritas does not.
    users_before = User.objects.count()
    person = Person(sub="leiden-999", email="nieuw@leiden.example", amr=["mfa"])
    sso_login(client, leiden_idp, "leiden", person)
    assert _logged_in_as(client) is None
    assert User.objects.count() == users_before
    assert not SocialAccount.objects.exists()
    assert client.get("/").status_code == 302
