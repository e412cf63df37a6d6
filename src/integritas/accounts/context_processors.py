"""Navigation for every template, from the user's roles (one query set per request)."""

from typing import Any

from django.http import HttpRequest

from .navigation import context_items
from .selectors import user_roles


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    roles = user_roles(user)
    return {"nav_items": context_items(user, roles), "user_roles": roles}
