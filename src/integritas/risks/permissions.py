"""Who may do what in `risks` (pure predicates; tests/risks/test_matrix.py holds them).

The analysis of vulnerable functions is personnel policy of one organisation (seed 3.2.4,
DESIGN §1): HRM and the functionaris integriteit of the organisation assess functions,
record the amplifying factors and keep the measures. The gemeentesecretaris and the
directie of the organisation read it (they decide on measures). A manager reads the
assessments of the functions in their own team. The werkgroep integriteit and the
integriteitscoördinator are regional: they read the figures of every organisation of
their region (the regional heat map, for proposals and the evaluation) and the heat map
of each organisation, but change nothing. Every other role sees nothing (404 on rows).
Personal circumstances of an employee are never part of it, so no role reads a person.
"""

from typing import Any

import rules

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles

EDIT_ROLES = (Role.HRM, Role.INTEGRITY_OFFICER)
READ_ROLES = (*EDIT_ROLES, Role.SECRETARY, Role.MANAGEMENT_BOARD)
REGIONAL_READ_ROLES = (Role.WORKING_GROUP, Role.INTEGRITY_COORDINATOR)


def _organisation_id(target: Any) -> int | None:
    if target is None:
        return None
    if isinstance(target, int):
        return target
    return getattr(target, "organisation_id", None) or getattr(target, "pk", None)


def edit_organisation_ids(user: Any) -> frozenset[int]:
    roles = user_roles(user)
    return frozenset().union(*(roles.organisation_ids(role) for role in EDIT_ROLES))


def read_organisation_ids(user: Any) -> frozenset[int]:
    """Organisations whose whole analysis the user reads (not the manager's team view)."""
    roles = user_roles(user)
    return frozenset().union(
        *(roles.organisation_ids(role) for role in (*READ_ROLES, *REGIONAL_READ_ROLES))
    )


@rules.predicate
def edits_risks(user: Any, target: Any = None) -> bool:
    """HRM or functionaris integriteit; with a target, of its organisation."""
    ids = edit_organisation_ids(user)
    if target is None:
        return bool(ids)
    return _organisation_id(target) in ids


@rules.predicate
def reads_risks(user: Any, target: Any = None) -> bool:
    ids = read_organisation_ids(user)
    if target is None:
        return bool(ids)
    return _organisation_id(target) in ids


@rules.predicate
def reads_region(user: Any) -> bool:
    roles = user_roles(user)
    return any(roles.region_ids(role) for role in REGIONAL_READ_ROLES)


@rules.predicate
def is_manager(user: Any) -> bool:
    return user_roles(user).is_manager


rules.add_perm("risks.edit", edits_risks)
rules.add_perm("risks.view", reads_risks)
rules.add_perm("risks.view_region", reads_region)
rules.add_perm("risks.view_team", is_manager)
rules.add_perm("risks.view_any", reads_risks | is_manager)
