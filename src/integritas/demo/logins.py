"""The demo logins as `integritas demo_logins` prints them: read back from the database."""

import base64
import time
from dataclasses import dataclass

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP

from integritas.accounts.models import User

from . import data


@dataclass(frozen=True)
class DemoLogin:
    label: str
    scope: str  # the organisation's slug, or the region's for a regional role
    scope_name: str  # "Gemeente Leiden", or "Leidse regio" for a regional role
    email: str
    password: str
    totp_secret: str  # empty: this role needs no second factor
    current_code: str
    recovery_codes: tuple[str, ...]
    exists: bool


def current_totp_code(secret: str, at: float | None = None) -> str:
    """The code an authenticator app shows now for this secret (RFC 6238, as allauth)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    totp = TOTP(
        # RFC 6238 and every authenticator app use HMAC-SHA1; it is no collision use.
        key,
        mfa_settings.TOTP_DIGITS,
        SHA1(),  # noqa: S303
        mfa_settings.TOTP_PERIOD,
        enforce_key_length=False,
    )
    return totp.generate(int(time.time() if at is None else at)).decode()


def seconds_left(at: float | None = None) -> int:
    now = int(time.time() if at is None else at)
    return mfa_settings.TOTP_PERIOD - now % mfa_settings.TOTP_PERIOD


def _ordered() -> list[data.DemoAccount]:
    """The regional accounts first, then each organisation's, in the demo's order."""
    position = {spec.slug: n for n, spec in enumerate(data.ORGANISATIONS, start=1)}
    return sorted(data.DEMO_ACCOUNTS, key=lambda a: 0 if a.regional else position[a.organisation])


def demo_logins(at: float | None = None, *, organisation: str = "") -> list[DemoLogin]:
    """One line per demo account, with the secret as stored (not as planned).

    `organisation` (a slug) keeps the accounts that work there or act there (regional).
    """
    names = {spec.slug: spec.name for spec in data.ORGANISATIONS}
    names[data.REGION_SLUG] = data.REGION_NAME
    accounts = [
        a for a in _ordered() if not organisation or a.organisation == organisation or a.regional
    ]
    emails = [account.email for account in accounts]
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    authenticators = {
        (a.user_id, a.type): a
        for a in Authenticator.objects.filter(
            user__in=users.values(),
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES],
        )
    }
    logins = []
    for account in accounts:
        user = users.get(account.email)
        secret = ""
        recovery: tuple[str, ...] = ()
        if user is not None:
            totp = authenticators.get((user.pk, Authenticator.Type.TOTP))
            if totp is not None:
                secret = get_mfa_adapter().decrypt(totp.data["secret"])
            codes = authenticators.get((user.pk, Authenticator.Type.RECOVERY_CODES))
            if codes is not None:
                recovery = tuple(codes.wrap().get_unused_codes())
        logins.append(
            DemoLogin(
                label=str(account.label),
                scope=account.scope,
                scope_name=names[account.scope],
                email=account.email,
                password=data.DEMO_PASSWORD,
                totp_secret=secret,
                current_code=current_totp_code(secret, at) if secret else "",
                recovery_codes=recovery,
                exists=user is not None,
            )
        )
    return logins
