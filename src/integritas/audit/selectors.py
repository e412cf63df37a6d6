"""Reads of the audit log for administrators (R-BIO-1)."""

from typing import Any

from django.db.models import QuerySet

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles

from .constants import REGION_CHAIN
from .models import AuditEvent


def events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """A regional administrator sees every chain; an organisation's admin only its own."""
    roles = user_roles(user)
    qs = AuditEvent.objects.select_related("actor", "organisation")
    if Role.ADMINISTRATOR in roles.regional_roles:
        return qs
    return qs.filter(organisation_id__in=roles.organisation_ids(Role.ADMINISTRATOR)).exclude(
        chain=REGION_CHAIN
    )
