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


def demo_logins(at: float | None = None) -> list[DemoLogin]:
    """One line per demo account, with the secret as stored (not as planned)."""
    emails = [account.email for account in data.DEMO_ACCOUNTS]
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    authenticators = {
        (a.user_id, a.type): a
        for a in Authenticator.objects.filter(
            user__in=users.values(),
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES],
        )
    }
    logins = []
    for account in data.DEMO_ACCOUNTS:
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
                email=account.email,
                password=data.DEMO_PASSWORD,
                totp_secret=secret,
                current_code=current_totp_code(secret, at) if secret else "",
                recovery_codes=recovery,
                exists=user is not None,
            )
        )
    return logins
