"""Login events become audit events; an OIDC-asserted or newly added factor counts as 2FA."""

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.account.signals import user_logged_in
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from integritas.audit.constants import Result
from integritas.audit.services import audit_record

from .second_factor import OIDC_MFA_SESSION_KEY, oidc_claims_prove_second_factor


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    sociallogin = kwargs.get("sociallogin")
    request.session.pop(OIDC_MFA_SESSION_KEY, None)
    if sociallogin is not None:
        id_token = (sociallogin.account.extra_data or {}).get("id_token") or {}
        if oidc_claims_prove_second_factor(sociallogin.account.provider, id_token):
            request.session[OIDC_MFA_SESSION_KEY] = user.pk
    method = "oidc" if sociallogin is not None else "password"
    audit_record(action=f"login.{method}", actor=user, obj=user)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # No user name in the log: it is personal data and often a mistyped password.
    audit_record(action="login.failed", result=Result.FAILURE, object_type="accounts.user")


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="logout", actor=user, obj=user)


@receiver(authenticator_added)
def on_authenticator_added(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    """Activating a factor requires a valid code from it: that proves the factor now.

    Recorded as a fresh (re)authentication, as allauth's own 2FA form does, so the
    recovery codes allauth shows next open without asking again.
    """
    audit_record(action="mfa.added", actor=user, obj=authenticator)
    record_authentication(
        request,
        user,
        "mfa",
        type=authenticator.type,
        id=authenticator.pk,
        reauthenticated=True,
    )


@receiver(authenticator_removed)
def on_authenticator_removed(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    audit_record(action="mfa.removed", actor=user, obj=authenticator)
