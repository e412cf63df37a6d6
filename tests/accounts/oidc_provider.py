"""A real OpenID Connect provider for the tests, on a loopback port.

The protocol is Authlib's: its `AuthorizationServer` with the authorization-code grant,
PKCE (RFC 7636) and OpenID Connect's ID token, signed RS256 with a joserfc key whose
public half is published at `/jwks`. Around it sits a small WSGI app for discovery,
authorize, token and userinfo. The authorize step approves the configured person at once
(the login screen of a municipality is not what is tested), so no browser is needed.
One instance per municipality, each its own issuer.
"""

import json
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from authlib.oauth2.rfc6749 import AuthorizationServer, OAuth2Request, grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import AuthorizationCodeMixin, UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey

SCOPES = ["openid", "email", "profile"]


@dataclass
class Person:
    """Who is logged in at the municipality, and how (`amr` None: the claim is absent)."""

    sub: str
    email: str
    name: str = "Medewerker"
    amr: list[str] | None = None
    acr: str | None = None


@dataclass
class _Client:
    client_id: str
    secret: str
    redirect_uri: str

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in scope.split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri == self.redirect_uri

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method == "client_secret_post"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class _Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    person: Person
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str | None:
        return self.person.acr

    def get_amr(self) -> list[str] | None:
        return self.person.amr


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_post"]

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        self.server.provider.codes[code] = _Code(
            code=code,
            client_id=request.client.get_client_id(),
            redirect_uri=data.get("redirect_uri", ""),
            scope=request.payload.scope,
            person=request.user,
            nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code: str, client: _Client) -> _Code | None:
        found = self.server.provider.codes.get(code)
        return found if found is not None and found.client_id == client.client_id else None

    def delete_authorization_code(self, authorization_code: _Code) -> None:
        self.server.provider.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: _Code) -> Person:
        return authorization_code.person


class _OpenIDCode(OpenIDCode):
    def __init__(self, provider: "OIDCProvider") -> None:
        super().__init__(require_nonce=False)
        self.provider = provider

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        return any(c.nonce == nonce for c in self.provider.codes.values())

    def resolve_client_private_key(self, client: _Client) -> RSAKey:
        return self.provider.id_token_key

    def get_client_algorithm(self, client: _Client) -> str:
        return "RS256"

    def get_encode_header(self, client: _Client) -> dict[str, str]:
        if self.provider.omit_kid:
            return {"alg": "RS256"}
        return {"alg": "RS256", "kid": self.provider.kid}

    def get_client_claims(self, client: _Client) -> dict[str, Any]:
        return {
            "iss": self.provider.issuer,
            "aud": [client.client_id],
            "exp": int(time.time()) + 300,
        }

    def generate_user_info(self, user: Person, scope: str) -> UserInfo:
        return self.provider.userinfo(user)


class _Server(AuthorizationServer):
    def __init__(self, provider: "OIDCProvider") -> None:
        super().__init__(scopes_supported=SCOPES)
        self.provider = provider
        self.register_grant(_CodeGrant, [CodeChallenge(required=True), _OpenIDCode(provider)])
        self.register_token_generator("default", self._bearer)

    @staticmethod
    def _bearer(grant_type: str, client: _Client, user: Any = None, scope: Any = None, **_: Any):
        return {
            "token_type": "Bearer",
            "access_token": secrets.token_urlsafe(32),
            "expires_in": 300,
            "scope": scope,
        }

    def query_client(self, client_id: str) -> _Client | None:
        client = self.provider.client
        return client if client.client_id == client_id else None

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        self.provider.access_tokens[token["access_token"]] = request.user

    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        return request

    def create_json_request(self, request: Any) -> Any:
        raise NotImplementedError

    def handle_response(self, status: int, body: Any, headers: Any) -> tuple[int, Any, Any]:
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None


class _Request(OAuth2Request):
    """An OAuth2Request from WSGI: the query string and the form body apart."""

    def __init__(self, method: str, uri: str, headers: dict[str, str], args: dict, form: dict):
        super().__init__(method, uri, headers=headers)
        self._args = args
        self._form = form
        self.payload = BasicOAuth2Payload({**args, **form})

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


class OIDCProvider:
    """A municipality's identity provider: `person` is who the next login will be."""

    def __init__(self, *, client_id: str, secret: str, redirect_uri: str) -> None:
        self.client = _Client(client_id=client_id, secret=secret, redirect_uri=redirect_uri)
        self.kid = secrets.token_hex(8)
        self.published_key = RSAKey.generate_key(2048, parameters={"kid": self.kid})
        #: The key the ID tokens are signed with; a test swaps it for a forger's key.
        self.id_token_key = self.published_key
        #: Leave the key id out of the ID token's header.
        self.omit_kid = False
        self.person: Person | None = None
        self.codes: dict[str, _Code] = {}
        self.access_tokens: dict[str, Person] = {}
        self.requests: list[str] = []
        self._authorization = _Server(self)
        self._httpd: WSGIServer | None = None
        self.issuer = ""

    # -- lifetime -------------------------------------------------------------------------

    def start(self) -> "OIDCProvider":
        self._httpd = make_server("127.0.0.1", 0, self, handler_class=_QuietHandler)
        self.issuer = f"http://127.0.0.1:{self._httpd.server_port}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def sign_with_foreign_key(self) -> None:
        """Sign ID tokens with a key that is not the published one (same key id)."""
        self.id_token_key = RSAKey.generate_key(2048, parameters={"kid": self.kid})

    def userinfo(self, person: Person) -> UserInfo:
        return UserInfo(sub=person.sub, email=person.email, email_verified=True, name=person.name)

    # -- the WSGI app ---------------------------------------------------------------------

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ["PATH_INFO"]
        self.requests.append(path)
        status, body, headers = self._route(environ, path)
        if isinstance(body, dict):
            body = json.dumps(body)
            headers = [*list(headers or []), ("Content-Type", "application/json")]
        reason = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized"}
        start_response(f"{status} {reason.get(status, 'Error')}", list(headers or []))
        return [(body or "").encode()]

    def _route(self, environ: dict[str, Any], path: str) -> tuple[int, Any, Any]:
        if path == "/.well-known/openid-configuration":
            return 200, self._discovery(), []
        if path == "/jwks":
            return 200, {"keys": [self.published_key.as_dict(private=False)]}, []
        if path == "/authorize":
            request = self._oauth2_request(environ)
            grant = self._authorization.get_consent_grant(request)
            return self._authorization.create_authorization_response(
                request, grant_user=self.person, grant=grant
            )
        if path == "/token":
            return self._authorization.create_token_response(self._oauth2_request(environ))
        if path == "/userinfo":
            bearer = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
            person = self.access_tokens.get(bearer)
            if person is None:
                return 401, {"error": "invalid_token"}, []
            return 200, dict(self.userinfo(person)), []
        return 404, {"error": "not_found"}, []

    def _discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": SCOPES,
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name", "amr", "acr"],
        }

    def _oauth2_request(self, environ: dict[str, Any]) -> OAuth2Request:
        query = environ.get("QUERY_STRING", "")
        uri = f"{self.issuer}{environ['PATH_INFO']}" + (f"?{query}" if query else "")
        form: dict[str, str] = {}
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = dict(parse_qsl(environ["wsgi.input"].read(length).decode()))
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        return _Request(environ["REQUEST_METHOD"], uri, headers, dict(parse_qsl(query)), form)


def running(**kwargs: Any) -> Iterator[OIDCProvider]:
    """A started provider for a fixture; stopped when the fixture ends."""
    provider = OIDCProvider(**kwargs).start()
    try:
        yield provider
    finally:
        provider.stop()


__all__ = ["OIDCProvider", "Person", "running"]
