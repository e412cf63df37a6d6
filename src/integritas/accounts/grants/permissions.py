"""Who may request, decide and revoke a four-eyes grant: pure predicates."""

from typing import Any

import rules

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.selectors import user_roles


def administers(user: Any, organisation_id: int | None) -> bool:
    """An administrator of the organisation (a regional one covers it), or, for None
    (a regional grant), a regional administrator."""
    roles = user_roles(user)
    if organisation_id is None:
        return Role.ADMINISTRATOR in roles.regional_roles
    return roles.has(Role.ADMINISTRATOR, organisation_id)


@rules.predicate
def manages_grants(user: Any) -> bool:
    """Reaches the grant pages at all: an administrator somewhere (the scope of each row is
    checked by the selector and the service)."""
    return user_roles(user).has(Role.ADMINISTRATOR)


@rules.predicate
def can_decide_grant(user: Any, grant: Any) -> bool:
    """Four eyes: another administrator of the grant's scope decides a pending request;
    never its requester, never the person who gains by it."""
    if grant is None:
        return manages_grants(user)
    return (
        grant.status == AssignmentStatus.PENDING
        and grant.requested_by_id != user.pk
        and grant.grant_beneficiary_id() != user.pk
        and administers(user, grant.grant_organisation_id())
    )
