"""django-axes needs to know where allauth puts the login name."""

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.http import HttpRequest


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
