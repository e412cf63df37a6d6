"""Reads of the audit log for administrators (R-BIO-1)."""

from typing import Any

from django.db.models import Q, QuerySet

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.audit.constants import REGION_CHAIN
from integritas.audit.models import AuditEvent


def events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """A regional administrator sees the chains of the organisations of their region and
    the region's chain; an organisation's administrator only that organisation's chain."""
    roles = user_roles(user)
    qs = AuditEvent.objects.select_related("actor", "organisation")
    own = Q(organisation_id__in=roles.organisation_ids(Role.ADMINISTRATOR)) & ~Q(chain=REGION_CHAIN)
    if Role.ADMINISTRATOR in roles.regional_roles:
        return qs.filter(own | Q(chain=REGION_CHAIN))
    return qs.filter(own)
