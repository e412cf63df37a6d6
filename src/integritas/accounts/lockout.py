"""Guessing at the login: django-axes' lock per name and address, and the slowdown per name.

django-axes needs to know where allauth puts the login name. What locks, what slows and
why is in conf/base.py (the axes and allauth settings) and in the README.
"""

import time
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


def username_from_request(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """allauth posts `login`, Django's forms `username`; the backend receives `email`."""
    credentials = credentials or {}
    for key in ("login", "email", "username"):
        value = credentials.get(key) or request.POST.get(key)
        if value:
            return str(value).strip().lower()
    return ""


def _forget_user_agent(request: HttpRequest | None) -> None:
    if request is not None:
        request.axes_user_agent = ""  # type: ignore[attr-defined]


class PrivacyAxesHandler(AxesDatabaseHandler):
    """Axes' database handler without the browser's user agent.

    The login name and address are needed for the lock-out itself; the user agent is not,
    and it is personal data (DESIGN §2: log nothing we do not need).
    """

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        _forget_user_agent(request)
        super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        _forget_user_agent(request)
        super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        _forget_user_agent(request)
        super().user_logged_out(sender, request, user, **kwargs)


def login_name_failures(login_name: str) -> int:
    """Failed logins of this name within the cool-off, summed over every address.

    Read from axes' own records (one row per name and address): the slowdown stores
    nothing of its own.
    """
    if not login_name:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(username=login_name, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return int(total or 0)


def login_slowdown_seconds(login_name: str) -> int:
    """How long a password check for this name waits: 0, or 1 s more per failure beyond
    INTEGRITAS_LOGIN_SLOWDOWN_AFTER, up to INTEGRITAS_LOGIN_SLOWDOWN_MAX_SECONDS."""
    beyond = login_name_failures(login_name) - settings.INTEGRITAS_LOGIN_SLOWDOWN_AFTER
    if beyond < 0:
        return 0
    return min(beyond + 1, settings.INTEGRITAS_LOGIN_SLOWDOWN_MAX_SECONDS)


def login_slow_down(request: HttpRequest, credentials: dict[str, Any]) -> None:
    """Per login name only a slowdown, never a refusal.

    A name guessed from many addresses makes every check of it wait, the real user's too,
    but the right password still logs in: only the name together with one address is ever
    locked (by axes). A pair that axes has locked is refused at once, without the wait.
    """
    name = username_from_request(request, credentials)
    seconds = login_slowdown_seconds(name)
    if seconds and not AxesProxyHandler.is_locked(request, credentials):
        time.sleep(seconds)
