"""Session security enforced on every request, not only at login."""

import time
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from .second_factor import session_has_second_factor
from .selectors import user_is_privileged

LAST_SEEN_KEY = "integritas_last_seen"

# Paths that never need a login. The Meldpunt and the reporter's mailbox also never touch
# an employee's session (DESIGN §2): the middleware leaves them alone completely.
PUBLIC_PREFIXES = (
    "/accounts/",
    "/healthz",
    "/static/",
    "/i18n/",
    "/favicon.ico",
    "/api/v1/schema/",
    # The public register of side activities (R-AW-7): open data, no login.
    "/openbaar/",
)
SESSIONLESS_PREFIXES = ("/meldpunt/", "/api/v1/meldpunt/", "/api/v1/hr/")
# While a privileged user still lacks a second factor, only these stay reachable ...
# /favicon.ico: a browser fetches it by itself; redirecting it to TOTP activation would
# regenerate the secret the user is typing a code for.
SECOND_FACTOR_PREFIXES = ("/static/", "/healthz", "/i18n/", "/accounts/oidc/", "/favicon.ico")
# ... and these allauth pages: logging in or out and proving a factor the user has.
SECOND_FACTOR_URL_NAMES = (
    "account_login",
    "account_logout",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_reauthenticate_webauthn",
    "mfa_login_webauthn",
)
# Enrolling a first factor is allowed only while the user has none. Otherwise a password
# alone would reach the factor management pages: view the recovery codes, or replace the
# authenticator, and so pass as two factors (R-BIO-2).
ENROLMENT_URL_NAMES = (
    "account_reauthenticate",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_add_webauthn",
)


def _is_sessionless(request: HttpRequest) -> bool:
    return request.path.startswith(SESSIONLESS_PREFIXES)


class IdleSessionMiddleware:
    """Log out after SESSION_IDLE_MINUTES without a request (shorter for privileged roles)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _is_sessionless(request) or not request.user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        last_seen = request.session.get(LAST_SEEN_KEY)
        minutes = (
            settings.SESSION_IDLE_MINUTES_PRIVILEGED
            if user_is_privileged(request.user)
            else settings.SESSION_IDLE_MINUTES
        )
        if last_seen is not None and now - int(last_seen) > minutes * 60:
            logout(request)
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        # Write at most once a minute to keep session writes cheap.
        if last_seen is None or now - int(last_seen) >= 60:
            request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class LoginRequiredMiddleware:
    """Everything but the public paths needs a login; anonymous GET / ends on the login page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            or request.path.startswith(PUBLIC_PREFIXES)
            or _is_sessionless(request)
        ):
            return self.get_response(request)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


class SecondFactorRequiredMiddleware:
    """Privileged roles reach nothing but the 2FA pages until this session proved a factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            not user.is_authenticated
            or request.path.startswith(SECOND_FACTOR_PREFIXES)
            or _is_sessionless(request)
            or not user_is_privileged(user)
            or session_has_second_factor(request)
            or request.path in _paths(SECOND_FACTOR_URL_NAMES)
        ):
            return self.get_response(request)
        has_factor = Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
        if not has_factor:
            if request.path in _paths(ENROLMENT_URL_NAMES):
                return self.get_response(request)
            return redirect("mfa_activate_totp")
        url = reverse("mfa_reauthenticate")
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


def _paths(url_names: tuple[str, ...]) -> set[str]:
    """The paths of those allauth pages that exist with the configured MFA types."""
    paths = set()
    for name in url_names:
        try:
            paths.add(reverse(name))
        except NoReverseMatch:
            continue
    return paths
