"""django-axes needs to know where allauth puts the login name."""

from typing import Any

from django.http import HttpRequest


def username_from_request(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """allauth posts `login`, Django's forms `username`; the backend receives `email`."""
    credentials = credentials or {}
    for key in ("login", "email", "username"):
        value = credentials.get(key) or request.POST.get(key)
        if value:
            return str(value).strip().lower()
    return ""
