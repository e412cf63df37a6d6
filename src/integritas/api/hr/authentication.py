"""Bearer tokens for the HR API: no session, no user, one organisation per token."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.request import Request

from integritas.accounts.api_tokens.models import ApiToken
from integritas.accounts.api_tokens.services import (
    api_token_check,
    api_token_is_active,
    api_token_touch,
)
from integritas.core import throttle

#: Failed authentications of one client (keyed hash of its address) per window; beyond
#: it the client gets 429 and no more audit events until the window has passed.
AUTH_FAILURE_LIMIT = 30
AUTH_FAILURE_MINUTES = 15
AUTH_SCOPE = "api-hr-auth"
#: Where a refused token waits for the audit in HrApiView.finalize_response.
REFUSED_TOKEN_ATTR = "integritas_refused_token"  # noqa: S105 (an attribute name)


class ApiClient:
    """`request.user` of an HR API call: the token's organisation, never a person."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    pk = None

    def __init__(self, token: ApiToken) -> None:
        self.token = token
        self.organisation_id = token.organisation_id

    def __str__(self) -> str:
        return f"api-token {self.token.pk}"


def failure_key(request: Request) -> str:
    return throttle.client_key(request._request, AUTH_SCOPE)


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer itg_<key id>_<secret>`; only an active token passes.

    Without the header this returns None and DRF answers 401 (the permission needs an
    authenticated client); a malformed, unknown, pending, rejected or revoked token is a
    401 as well, with the same message, so the answer never tells which.
    """

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[ApiClient, ApiToken] | None:
        if throttle.count(failure_key(request), AUTH_FAILURE_MINUTES) >= AUTH_FAILURE_LIMIT:
            raise Throttled(wait=AUTH_FAILURE_MINUTES * 60)
        parts = get_authorization_header(request).split()
        if not parts:
            return None
        if parts[0].lower() != self.keyword or len(parts) != 2:
            raise AuthenticationFailed(_("Ongeldige API-sleutel."))
        try:
            value = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise AuthenticationFailed(_("Ongeldige API-sleutel.")) from exc
        token = api_token_check(value)
        if token is None:
            raise AuthenticationFailed(_("Ongeldige API-sleutel."))
        if not api_token_is_active(token):
            setattr(request._request, REFUSED_TOKEN_ATTR, token)
            raise AuthenticationFailed(_("Ongeldige API-sleutel."))
        api_token_touch(token)
        return ApiClient(token), token

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI security scheme of the HR endpoints (drf-spectacular finds it by class)."""

    target_class = "integritas.api.hr.authentication.ApiTokenAuthentication"
    name = "hrApiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "Een API-sleutel van de organisatie (itg_…), uitgegeven door een beheerder "
                    "op de pagina API-sleutels. Lezen of lezen en schrijven."
                )
            ),
        }
