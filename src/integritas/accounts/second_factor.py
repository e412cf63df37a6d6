"""Whether the current session proved a second factor (R-BIO-2).

Our own factor (TOTP, passkey, recovery code) is recorded by allauth as an "mfa"
authentication record in the session. A municipality's OpenID Connect provider proves one
through its `amr`/`acr` claims; we record that as a session flag at login.
"""

from collections.abc import Iterable
from typing import Any

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.http import HttpRequest

OIDC_MFA_SESSION_KEY = "integritas_oidc_second_factor"


def oidc_claims_prove_second_factor(provider_id: str, id_token: dict[str, Any]) -> bool:
    """True when the provider's id_token asserts a second factor by amr or acr."""
    policy = settings.INTEGRITAS_OIDC_MFA.get(provider_id)
    if not policy:
        return False
    amr = id_token.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if _intersects(amr, policy["amr"]):
        return True
    acr = id_token.get("acr")
    return bool(acr) and acr in policy["acr"]


def _intersects(values: Iterable[Any], accepted: Iterable[str]) -> bool:
    accepted_set = {a.strip().lower() for a in accepted if a.strip()}
    return any(str(v).lower() in accepted_set for v in values)


def session_has_second_factor(request: HttpRequest) -> bool:
    if request.session.get(OIDC_MFA_SESSION_KEY) == request.user.pk:
        return True
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)
