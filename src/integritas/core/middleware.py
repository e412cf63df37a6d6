"""Middleware for every page: response hardening, the sessionless Meldpunt, the language."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from .throttle import client_address
from .work_cache import mark_sent_form


class NoStoreForAuthenticatedMiddleware:
    """Pages behind a login must not be kept by browsers or shared caches."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, " + response["Cache-Control"]
        return response


# The public Meldpunt: the web intake and the reporter's mailbox, and their API.
# The HR API (api/hr/) authenticates by token only: it never reads a session either.
SESSIONLESS_PATH_PREFIXES = ("/meldpunt/", "/api/v1/meldpunt/", "/api/v1/hr/")
# Request headers that identify a client and that nothing on those paths may see.
IDENTIFYING_HEADERS = (
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_X_CLIENT_IP",
)


class ThrowawaySession(SessionBase):
    """A session that is always empty and never stored: nothing can be read or kept."""

    def exists(self, session_key: str) -> bool:
        return False

    def create(self) -> None:
        self._session_key = None

    def save(self, must_create: bool = False) -> None:
        return None

    def delete(self, session_key: str | None = None) -> None:
        return None

    def load(self) -> dict[str, Any]:
        return {}

    def cycle_key(self) -> None:
        return None

    @classmethod
    def clear_expired(cls) -> None:
        return None


class SessionlessPathsMiddleware:
    """The Meldpunt never reads or writes an employee's session (DESIGN §2).

    Placed directly after SessionMiddleware. For the Meldpunt's paths it swaps the real
    session for a throwaway one before anything else can touch it, so authentication
    sees nobody (request.user is AnonymousUser), allauth, axes, messages and our session
    middlewares find an empty session, and no last-activity time is written: no timing in
    the database links a report to a logged-in employee. The session cookie is hidden
    from everything downstream as well, together with headers that identify the client.

    On the way out the untouched real session is put back, so SessionMiddleware neither
    saves it nor sets or deletes the session cookie (it would delete the cookie of an
    empty session whose cookie came with the request).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(SESSIONLESS_PATH_PREFIXES):
            return self.get_response(request)
        real_session = getattr(request, "session", None)
        request.session = ThrowawaySession()
        request.user = AnonymousUser()
        request.COOKIES = {
            name: value
            for name, value in request.COOKIES.items()
            if name != settings.SESSION_COOKIE_NAME
        }
        # The throttle's client, resolved through trusted proxies before the forwarding
        # headers go; REMOTE_ADDR is read only to build its keyed hash, never stored.
        request.META["REMOTE_ADDR"] = client_address(request)
        for header in IDENTIFYING_HEADERS:
            request.META.pop(header, None)
        try:
            response = self.get_response(request)
        finally:
            if real_session is not None:
                request.session = real_session
        if settings.SESSION_COOKIE_NAME in response.cookies:
            # Nothing on these paths may set or delete the employee's session cookie.
            del response.cookies[settings.SESSION_COOKIE_NAME]
        return response


class WorkListsMarkMiddleware:
    """Every form a logged-in user sends renews their work-list mark (core.work_cache),
    so that their home page shows the result of their own work at once. Placed after
    AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        mark_sent_form(request)
        return self.get_response(request)


class LanguageMiddleware:
    """Dutch unless the user chose another language in the application (issue 8).

    Replaces Django's LocaleMiddleware, which follows the browser's Accept-Language: a
    browser set to English would show an English UI that nobody chose, next to Dutch
    letters and documents. The choice is the language cookie that the footer's language
    form sets, else the language stored on the logged-in user (so it follows them to
    another browser), else LANGUAGE_CODE. Placed after AuthenticationMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


def supported_language(value: str | None) -> str | None:
    """The value if it is one of LANGUAGES, else None."""
    if value and value in dict(settings.LANGUAGES):
        return value
    return None


def chosen_language(request: HttpRequest) -> str | None:
    """The language chosen in the application: the cookie first, then the user's choice."""
    from_cookie = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if from_cookie:
        return from_cookie
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return supported_language(getattr(user, "language", None))
    return None
