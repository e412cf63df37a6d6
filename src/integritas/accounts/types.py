"""Typing helpers: views behind the login middleware always have a real user."""

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
