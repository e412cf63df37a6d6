"""The token's scope decides: reading needs read or write, writing needs write."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from integritas.accounts.api_tokens.models import ApiToken


class HasTokenScope(BasePermission):
    """401 without an active token; 403 when a read token tries to write."""

    message = _("Deze API-sleutel mag alleen lezen.")

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        return request.method in SAFE_METHODS or token.can_write
