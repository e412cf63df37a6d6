"""Calls per token per minute, counted in the database (the same on every process)."""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from integritas.accounts.api_tokens.models import ApiToken
from integritas.core import throttle

#: Calls of one token per minute; a batch of 5,000 employees is one call.
CALLS_PER_MINUTE = 120


class TokenRateThrottle(BaseThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True  # the permission refuses it already
        return throttle.attempt(f"api-hr-token:{token.pk}", 1, CALLS_PER_MINUTE)

    def wait(self) -> float:
        return 60.0
