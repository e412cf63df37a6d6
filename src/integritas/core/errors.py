"""Error pages: Dutch (or the chosen language), in the house style, with a way back.

Django's own pages are English and bare, and its CSRF page is technical. These say what
happened in plain words and nothing about the cause: no exception text, no reason, no
path details, whatever DEBUG says. The way back depends on where the visitor is: the
Meldpunt's pages lead back to the Meldpunt only (its visitors are anonymous on purpose),
a logged-in user goes to the home page, anyone else to the Meldpunt or the login.
"""

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.views.decorators.csrf import requires_csrf_token

from .middleware import SESSIONLESS_PATH_PREFIXES

logger = logging.getLogger(__name__)

MINIMAL_TEMPLATE = "errors/500.html"
# The layout around an error page: the Meldpunt's own (its header leads to the intake and
# the mailbox, no employee's name or menu) on its paths, the application's elsewhere.
LAYOUT = "base.html"
MELDPUNT_LAYOUT = "meldpunt/base.html"


def _url(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def _ways_back(request: HttpRequest, *, ask_user: bool = True) -> dict[str, Any]:
    """Which links lead back: the Meldpunt's own, the home page, or Meldpunt and login.

    ask_user=False for the 500 page, which must not touch the session or the database.
    """
    on_meldpunt = request.path.startswith(SESSIONLESS_PATH_PREFIXES)
    logged_in = False
    if ask_user and not on_meldpunt:
        user = getattr(request, "user", None)
        logged_in = bool(user is not None and user.is_authenticated)
    return {
        "layout": MELDPUNT_LAYOUT if on_meldpunt else LAYOUT,
        "on_meldpunt": on_meldpunt,
        "logged_in": logged_in,
        "user_unknown": not ask_user and not on_meldpunt,
        "home_url": _url("home", "/"),
        "login_url": _url("account_login", "/accounts/login/"),
        "meldpunt_url": _url("meldpunt:intake", "/meldpunt/"),
        "mailbox_url": _url("meldpunt:mailbox", "/meldpunt/postvak/"),
    }


def _minimal(request: HttpRequest, status: int) -> HttpResponse:
    """The page without context processors, session or database (also the fallback)."""
    context = {"status": status, **_ways_back(request, ask_user=False)}
    html = loader.get_template(MINIMAL_TEMPLATE).render(context)
    return HttpResponse(html, status=status)


def _page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    try:
        return render(request, template, {"status": status, **_ways_back(request)}, status=status)
    except Exception:
        # The error page itself must not fail: fall back to the page that needs nothing.
        logger.exception("The %s page could not be rendered in full", status)
        return _minimal(request, status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "errors/400.html", 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "errors/403.html", 403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: whatever broke (the database included), this page needs none of it."""
    return _minimal(request, 500)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form that came back without a valid token (expired page, cookies off).

    Django's reason is for developers and stays out of the page.
    """
    return _page(request, "errors/csrf.html", 403)
