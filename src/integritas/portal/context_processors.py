"""Navigation for every template, from the user's permissions (one role query a request)."""

from typing import Any

from django.http import HttpRequest

from integritas.accounts.selectors import user_roles

from .navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": navigation_for(user), "user_roles": user_roles(user)}
