"""Typing helpers: views behind the login middleware always have a real user."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from integritas.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: "User"
