"""Single sign-on through a municipality's OpenID Connect provider, its answers mocked."""

import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from integritas.accounts.adapters import SocialAccountAdapter
from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.accounts.second_factor import (
    OIDC_MFA_SESSION_KEY,
    oidc_claims_prove_second_factor,
)
from integritas.accounts.signals import on_login
from integritas.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD

from .conftest import add_totp, totp_code

PROVIDER = "leiderdorp"
SERVER = "https://login.leiderdorp.example"
CLIENT_ID = "integritas-leiderdorp"
DISCOVERY = {
    "issuer": SERVER,
    "authorization_endpoint": f"{SERVER}/authorize",
    "token_endpoint": f"{SERVER}/token",
    "userinfo_endpoint": f"{SERVER}/userinfo",
    "jwks_uri": f"{SERVER}/jwks",
    "token_endpoint_auth_methods_supported": ["client_secret_post"],
}
SIGNING_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
KID = "sleutel-1"
JWKS = {
    "keys": [
        {
            **jwt.algorithms.RSAAlgorithm.to_jwk(SIGNING_KEY.public_key(), as_dict=True),
            "kid": KID,
            "alg": "RS256",
        }
    ]
}
MFA_POLICY = {"amr": ["mfa", "hwk", "otp", "swk", "sms"], "acr": ["urn:leiderdorp:loa:high"]}


@pytest.fixture(autouse=True)
def oidc_settings(settings):
    """One provider configured as conf/base.py does from OIDC_LEIDERDORP_* variables."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": PROVIDER,
                    "name": "Gemeente Leiderdorp",
                    "client_id": CLIENT_ID,
                    "secret": "geheim-van-de-test",
                    "settings": {
                        "server_url": SERVER,
                        "fetch_userinfo": True,
                        "oauth_pkce_enabled": True,
                        "scope": ["openid", "email", "profile"],
                    },
                }
            ]
        }
    }
    settings.INTEGRITAS_OIDC_MFA = {PROVIDER: MFA_POLICY}
    return settings


class FakeResponse:
    def __init__(self, payload: dict[str, Any], status_code: int = 200) -> None:
        self.payload = payload
        self.status_code = status_code
        self.headers = {"content-type": "application/json"}
        self.text = json.dumps(payload)
        self.content = self.text.encode()

    def json(self) -> dict[str, Any]:
        return self.payload

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise AssertionError(f"HTTP {self.status_code}")


@dataclass
class FakeProvider:
    """Plays the municipality's identity provider for allauth's requests session."""

    email: str
    amr: list[str] = field(default_factory=lambda: ["pwd"])
    acr: str | None = None
    sub: str = "medewerker-123"
    email_verified: bool = True
    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def id_token(self) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": SERVER,
            "aud": CLIENT_ID,
            "sub": self.sub,
            "iat": now,
            "exp": now + 300,
            "email": self.email,
            "amr": self.amr,
        }
        if self.acr:
            claims["acr"] = self.acr
        # Signed with the key published at jwks_uri: the signature is always checked
        # (accounts/sso.py), besides issuer, audience and expiry.
        return jwt.encode(claims, SIGNING_KEY, algorithm="RS256", headers={"kid": KID})

    # -- the parts of requests.Session that allauth uses --
    def __enter__(self) -> "FakeProvider":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def get(self, url: str, **kwargs: Any) -> FakeResponse:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> FakeResponse:
        return self.request("POST", url, **kwargs)

    def request(self, method: str, url: str, **kwargs: Any) -> FakeResponse:
        self.calls.append((method, url, kwargs))
        if url == f"{SERVER}/.well-known/openid-configuration":
            return FakeResponse(DISCOVERY)
        if url == DISCOVERY["jwks_uri"]:
            return FakeResponse(JWKS)
        if url == DISCOVERY["token_endpoint"] and method == "POST":
            return FakeResponse(
                {
                    "access_token": "toegang-123",
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": self.id_token(),
                }
            )
        if url == DISCOVERY["userinfo_endpoint"]:
            assert kwargs["headers"]["Authorization"] == "Bearer toegang-123"
            return FakeResponse(
                {
                    "sub": self.sub,
                    "email": self.email,
                    "email_verified": self.email_verified,
                    "name": "Iemand van Leiderdorp",
                }
            )
        return FakeResponse({"error": "not_found"}, status_code=404)


@pytest.fixture
def idp(monkeypatch):
    """provider = idp(email, amr=[...]): every HTTP call allauth makes goes to it."""
    holder: dict[str, FakeProvider] = {}

    def _make(email: str, **kwargs: Any) -> FakeProvider:
        holder["provider"] = FakeProvider(email=email, **kwargs)
        return holder["provider"]

    monkeypatch.setattr(
        SocialAccountAdapter, "get_requests_session", lambda self: holder["provider"]
    )
    return _make


def oidc_login(client: Client, provider: FakeProvider) -> Any:
    """Start at our login URL, 'log in' at the provider, come back with a code."""
    login_url = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER})
    assert client.get(login_url).status_code == 200  # confirmation page, no login on GET
    response = client.post(login_url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (
        f"{location.scheme}://{location.netloc}{location.path}"
        == DISCOVERY["authorization_endpoint"]
    )
    params = parse_qs(location.query)
    assert params["client_id"] == [CLIENT_ID]
    assert params["response_type"] == ["code"]
    assert params["code_challenge_method"] == ["S256"]  # PKCE
    assert "openid" in params["scope"][0].split()
    callback = urlsplit(params["redirect_uri"][0]).path
    assert callback == reverse("openid_connect_callback", kwargs={"provider_id": PROVIDER})
    return client.get(callback, {"code": "autorisatiecode", "state": params["state"][0]})


def _logged_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def test_oidc_login_logs_in_the_existing_user_matched_by_email(client, make_user, idp):
    user = make_user()
    provider = idp(user.email)
    users_before = User.objects.count()
    response = oidc_login(client, provider)
    assert response.status_code == 302
    assert _logged_in_as(client) == user.pk
    assert User.objects.count() == users_before
    assert client.get("/").status_code == 200
    # The provider was really asked: discovery, token (with the PKCE verifier), userinfo.
    token_call = next(c for c in provider.calls if c[1] == DISCOVERY["token_endpoint"])
    assert token_call[2]["data"]["code"] == "autorisatiecode"
    assert token_call[2]["data"]["code_verifier"]
    assert any(c[1] == DISCOVERY["userinfo_endpoint"] for c in provider.calls)
    account = SocialAccount.objects.get(user=user)
    assert account.provider == PROVIDER
    assert account.uid == provider.sub
    assert AuditEvent.objects.filter(action="login.oidc", actor_id=user.pk).exists()


def test_second_oidc_login_uses_the_linked_account(client, make_user, idp):
    user = make_user()
    provider = idp(user.email)
    oidc_login(client, provider)
    client.post(reverse("account_logout"))
    assert _logged_in_as(client) is None
    oidc_login(client, provider)
    assert _logged_in_as(client) == user.pk
    assert SocialAccount.objects.filter(user=user).count() == 1


def test_unknown_email_creates_no_user(client, db, organisation, idp):
    # Sign-up is closed: SSO only logs in people HR or an administrator created.
    provider = idp("onbekend@leiderdorp.example")
    users_before = User.objects.count()
    response = oidc_login(client, provider)
    assert _logged_in_as(client) is None
    assert User.objects.count() == users_before
    assert not SocialAccount.objects.exists()
    assert response.status_code in (200, 302)
    assert client.get("/").status_code == 302


def test_unverified_email_does_not_log_in(client, make_user, idp):
    user = make_user()
    provider = idp(user.email, email_verified=False)
    oidc_login(client, provider)
    assert _logged_in_as(client) is None
    assert User.objects.count() == 1


def test_self_signup_is_closed(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "nieuw@example.nl", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
    )
    assert not User.objects.filter(email="nieuw@example.nl").exists()
    assert _logged_in_as(client) is None
    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.HRM, Role.INTEGRITY_OFFICER])
def test_provider_asserting_mfa_satisfies_the_middleware(client, make_user, idp, role):
    # R-BIO-2: the municipality's own second factor, asserted in amr, counts.
    user = make_user(role)
    response = oidc_login(client, idp(user.email, amr=["pwd", "mfa"]))
    assert response.status_code == 302
    assert _logged_in_as(client) == user.pk
    assert client.session[OIDC_MFA_SESSION_KEY] == user.pk
    assert client.get("/").status_code == 200
    assert client.get("/beheer/toegangsreview/").status_code in (200, 403)
    assert client.get("/beheer/toegangsreview/").status_code != 302


def test_provider_asserting_acr_satisfies_the_middleware(client, make_user, idp):
    user = make_user(Role.ADMINISTRATOR)
    oidc_login(client, idp(user.email, amr=["pwd"], acr="urn:leiderdorp:loa:high"))
    assert client.get("/beheer/gebruikers/").status_code == 200


@pytest.mark.requirement("R-BIO-2")
@pytest.mark.parametrize("amr", [["pwd"], [], ["pwd", "kba"]])
def test_provider_without_mfa_sends_privileged_user_to_totp(client, make_user, idp, amr):
    user = make_user(Role.ADMINISTRATOR)
    oidc_login(client, idp(user.email, amr=amr))
    assert _logged_in_as(client) == user.pk
    assert OIDC_MFA_SESSION_KEY not in client.session
    for page in ("/", "/beheer/gebruikers/"):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")


def test_sso_user_without_password_can_activate_totp(client, make_user, idp, monkeypatch):
    # Someone who only ever logs in through the municipality has no password to re-enter;
    # the fresh SSO login lets them enrol the TOTP the middleware asks for.
    user = make_user(Role.ADMINISTRATOR)
    user.set_unusable_password()
    user.save()
    oidc_login(client, idp(user.email, amr=["pwd"]))
    assert client.get("/")["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]
    # allauth announces the new factor on commit; the test transaction never commits.
    monkeypatch.setattr(transaction, "on_commit", lambda func, *args, **kwargs: func())
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/beheer/gebruikers/").status_code == 200


def test_employee_needs_no_mfa_from_the_provider(client, make_user, idp):
    user = make_user()
    oidc_login(client, idp(user.email, amr=["pwd"]))
    assert client.get("/").status_code == 200


def test_user_with_own_totp_is_asked_for_it_after_sso_without_mfa(client, make_user, idp):
    user = make_user(Role.ADMINISTRATOR)
    secret = add_totp(user)
    response = oidc_login(client, idp(user.email, amr=["pwd"]))
    # allauth's own MFA stage asks for the code before the login completes.
    assert response["Location"] == reverse("mfa_authenticate")
    assert _logged_in_as(client) is None
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert _logged_in_as(client) == user.pk
    assert client.get("/beheer/gebruikers/").status_code == 200


def test_mfa_flag_of_an_earlier_sso_login_does_not_survive_a_password_login(client, make_user, idp):
    user = make_user(Role.ADMINISTRATOR)
    oidc_login(client, idp(user.email, amr=["mfa"]))
    assert client.get("/").status_code == 200
    # Same browser, now a password login: the provider's assertion no longer counts.
    user.set_password(TEST_PASSWORD)
    user.save()
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert _logged_in_as(client) == user.pk
    assert client.get("/").status_code == 302


def test_provider_cannot_log_in_a_user_of_another_organisation(
    client, make_user, other_organisation, idp
):
    # Leiderdorp's provider may not vouch for an Oegstgeest employee (or a regional
    # administrator working there) just by naming their e-mail address.
    stranger = make_user(Role.ADMINISTRATOR, other_organisation)
    response = oidc_login(client, idp(stranger.email, amr=["pwd", "mfa"]))
    assert response["Location"] == reverse("account_login")
    assert _logged_in_as(client) is None
    assert not SocialAccount.objects.exists()
    assert stranger.has_usable_password()
    assert client.get("/").status_code == 302
    page = client.get(reverse("account_login")).content.decode()
    assert "eigen organisatie" in page
    refused = AuditEvent.objects.get(action="login.failed")
    assert refused.actor_id is None
    assert refused.object_id == ""


# --- the pieces, directly ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"amr": ["pwd", "mfa"]}, True),
        ({"amr": ["OTP"]}, True),
        ({"amr": "hwk"}, True),
        ({"amr": ["pwd"]}, False),
        ({"amr": []}, False),
        ({}, False),
        ({"acr": "urn:leiderdorp:loa:high"}, True),
        ({"acr": "urn:leiderdorp:loa:low"}, False),
        ({"amr": ["pwd"], "acr": ""}, False),
    ],
)
def test_oidc_claims_prove_second_factor(oidc_settings, claims, expected):
    assert oidc_claims_prove_second_factor(PROVIDER, claims) is expected


def test_unconfigured_provider_proves_nothing(oidc_settings):
    assert oidc_claims_prove_second_factor("leiden", {"amr": ["mfa"]}) is False


def test_on_login_handler_sets_and_clears_the_flag(make_user):
    user = make_user(Role.ADMINISTRATOR)
    request = RequestFactory().get("/")
    request.session = Client().session

    class Account:
        provider = PROVIDER
        extra_data = {"id_token": {"amr": ["mfa"]}, "userinfo": {}}

    class Login:
        account = Account()

    on_login(sender=None, request=request, user=user, sociallogin=Login())
    assert request.session[OIDC_MFA_SESSION_KEY] == user.pk
    on_login(sender=None, request=request, user=user)  # a later password login
    assert OIDC_MFA_SESSION_KEY not in request.session


def test_first_sso_login_keeps_the_password_of_a_login_an_administrator_made(
    client, organisation, idp
):
    # Logins come from administrators and HR data, so their address counts as verified:
    # allauth's wiping of the password (meant for self-registered accounts with an
    # unproven address) must not lock the employee out of their password login.
    from allauth.account.models import EmailAddress

    from integritas.accounts.services import user_create
    from tests.factories import EmployeeFactory

    made = user_create(
        actor=None,
        email="sso.medewerker@example.nl",
        full_name="SSO Medewerker",
        password=TEST_PASSWORD,
    )
    EmployeeFactory(organisation=organisation, user=made, email=made.email)
    assert EmailAddress.objects.get(user=made).verified
    oidc_login(client, idp(made.email))
    assert _logged_in_as(client) == made.pk
    made.refresh_from_db()
    assert made.has_usable_password()
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": made.email, "password": TEST_PASSWORD})
    assert _logged_in_as(client) == made.pk
