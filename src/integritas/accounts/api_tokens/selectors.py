"""Reads of API tokens, scoped to the organisations the user administers."""

from typing import Any

from django.db.models import QuerySet

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.selectors import user_roles

from .constants import TokenScope
from .models import ApiToken

#: The token page lists at most this many tokens (newest first); an organisation has a few.
TOKENS_SHOWN = 200


def api_tokens_visible(user: Any) -> QuerySet[ApiToken]:
    """The tokens of every organisation `user` administers (404 for any other)."""
    return ApiToken.objects.filter(
        organisation_id__in=sorted(user_roles(user).organisation_ids(Role.ADMINISTRATOR))
    )


def api_tokens_of(organisation_id: int) -> list[ApiToken]:
    """The page's list: the organisation's tokens, newest first, with who asked and decided."""
    return list(
        ApiToken.objects.filter(organisation_id=organisation_id)
        .select_related("requested_by", "decided_by")
        .order_by("-created_at", "-pk")[:TOKENS_SHOWN]
    )


def api_token_get(user: Any, organisation_id: int, pk: int) -> ApiToken | None:
    return api_tokens_visible(user).filter(organisation_id=organisation_id, pk=pk).first()


def write_tokens_for_review(organisation_ids: list[int]) -> list[ApiToken]:
    """R-BIO-2: the tokens that may write (active, or waiting for a second administrator)
    of these organisations, with who asked for and who approved each: one query."""
    return list(
        ApiToken.objects.filter(
            organisation_id__in=sorted(organisation_ids),
            scope=TokenScope.WRITE,
            status__in=[AssignmentStatus.ACTIVE, AssignmentStatus.PENDING],
        )
        .select_related("organisation", "requested_by", "decided_by")
        .order_by("organisation__name", "-created_at", "pk")
    )
