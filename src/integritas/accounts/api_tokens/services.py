"""Issue, approve, revoke and check API tokens: atomic, permission-checked, audited.

Issue, approve, reject and revoke are the four-eyes grant's own steps (`grants.services`):
each writes one audit event (`api_token.request` or `.grant`, `.approve`, `.reject`,
`.revoke`), a refused step is recorded as denied and raises PermissionDenied.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext_lazy

from integritas.accounts.constants import AssignmentStatus
from integritas.accounts.grants.services import FourEyes, GrantTexts, grant_decide, grant_request
from integritas.accounts.grants.services import grant_revoke as _grant_revoke
from integritas.accounts.models import User
from integritas.organisations.models import Organisation

from .constants import TOKEN_ACTION, TokenScope
from .models import KEY_ID_LENGTH, ApiCall, ApiToken

PREFIX = "itg"
SECRET_BYTES = 32
#: `last_used_at` is written at most this often per token (one UPDATE, not one per call).
LAST_USED_RESOLUTION = timedelta(minutes=1)

API_TOKEN_GRANT = FourEyes(
    model=ApiToken,
    action=TOKEN_ACTION,
    texts=GrantTexts(
        to_self=gettext_lazy("U kunt uw eigen aanvraag niet goedkeuren."),
        duplicate=gettext_lazy("Deze API-sleutel bestaat al."),
        not_open=gettext_lazy("Deze API-sleutel is niet meer actief."),
        outside_scope=gettext_lazy("U bent geen beheerder van deze organisatie."),
    ),
    # A read token is in force at once; a write token waits for a second administrator.
    second_approval=lambda token: token.scope == TokenScope.WRITE,
)


@dataclass(frozen=True)
class IssuedToken:
    """The new token's row and its whole value, to show once and never again."""

    token: ApiToken
    value: str


@lru_cache(maxsize=4)
def _server_key(pepper: str) -> bytes:
    if not pepper:
        raise ImproperlyConfigured("INTEGRITAS_RECEIPT_PEPPER is not set.")
    return hmac.new(pepper.encode(), b"api-token", hashlib.sha256).digest()


def token_digest(secret: str) -> str:
    """HMAC-SHA256 of the secret under the server key (see the package docstring)."""
    key = _server_key(settings.INTEGRITAS_RECEIPT_PEPPER)
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


def api_token_issue(
    *, actor: User, organisation: Organisation, name: str, scope: str
) -> IssuedToken:
    """Make a token for `organisation`: a read token is active at once, a write token is
    pending until a second administrator approves it. The value is returned once."""
    key_id = secrets.token_hex(KEY_ID_LENGTH // 2)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(
        organisation=organisation,
        name=name,
        scope=scope,
        key_id=key_id,
        digest=token_digest(secret),
    )
    grant_request(kind=API_TOKEN_GRANT, actor=actor, grant=token)
    return IssuedToken(token=token, value=f"{PREFIX}_{key_id}_{secret}")


def api_token_decide(*, actor: User, token: ApiToken, approve: bool) -> ApiToken:
    """A second administrator of the organisation approves or rejects a write token."""
    return grant_decide(kind=API_TOKEN_GRANT, actor=actor, grant=token, approve=approve)


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token (or withdraw a pending one): it stops working at once."""
    return _grant_revoke(kind=API_TOKEN_GRANT, actor=actor, grant=token)


def _split(value: str) -> tuple[str, str] | None:
    prefix, _sep, rest = value.partition("_")
    key_id, _sep, secret = rest.partition("_")
    if prefix != PREFIX or len(key_id) != KEY_ID_LENGTH or not secret or len(secret) > 100:
        return None
    return key_id, secret


def api_token_check(value: str) -> ApiToken | None:
    """The token `value` names when it is known, its secret matches and its row exists,
    in any status (the caller refuses what is not active), or None.

    One query by the unique key id, then a constant-time comparison of the digests. An
    unknown key id still computes a digest, so both failures cost the same.
    """
    parts = _split(value)
    if parts is None:
        return None
    key_id, secret = parts
    token = ApiToken.objects.select_related("organisation").filter(key_id=key_id).first()
    presented = token_digest(secret)
    stored = token.digest if token is not None else "0" * 64
    if not hmac.compare_digest(presented.encode(), stored.encode()) or token is None:
        return None
    return token


def api_token_is_active(token: ApiToken) -> bool:
    return token.status == AssignmentStatus.ACTIVE


def api_token_touch(token: ApiToken) -> None:
    """Record that the token was used: at most once per LAST_USED_RESOLUTION."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def api_call_record(
    *,
    token: ApiToken,
    operation: str,
    status_code: int,
    rows: int = 0,
    created: int = 0,
    updated: int = 0,
) -> ApiCall:
    """The counts of one call (ids and numbers only), next to its audit event."""
    return ApiCall.objects.create(
        timestamp=timezone.now(),
        token=token,
        operation=operation,
        status_code=status_code,
        rows=rows,
        created=created,
        updated=updated,
    )


def api_calls_purge(*, older_than: datetime, dry_run: bool = False) -> int:
    """Delete the call records from before `older_than` (retention); how many (would) go.

    Idempotent: a second run finds nothing. The audit events of the calls stay (they
    follow the audit log's own retention); these rows hold only ids and counts.
    """
    calls = ApiCall.objects.filter(timestamp__lt=older_than)
    if dry_run:
        return calls.count()
    deleted, _per_model = calls.delete()
    return deleted
