"""Who may do what in `awareness` (pure predicates; tests/awareness/test_matrix.py).

Trainings and other activities belong to an organisation (seed 5.1): HRM and the
functionaris integriteit of the organisation plan them and record attendance; the
gemeentesecretaris and the directie read them; the werkgroep integriteit and the
integriteitscoördinator read those of every organisation of their region (evaluation,
regional proposals). Managers pick dilemmas from the library and record that they
discussed one with their own team (R-AW-2); everyone who reads activities reads the
library too. Nobody else sees anything (404 on rows of other organisations).
"""

from typing import Any

import rules

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles

MANAGE_ROLES = (Role.HRM, Role.INTEGRITY_OFFICER)
READ_ROLES = (
    *MANAGE_ROLES,
    Role.SECRETARY,
    Role.MANAGEMENT_BOARD,
    Role.WORKING_GROUP,
    Role.INTEGRITY_COORDINATOR,
)


def _organisation_id(target: Any) -> int | None:
    if target is None:
        return None
    if isinstance(target, int):
        return target
    return getattr(target, "organisation_id", None) or getattr(target, "pk", None)


def manage_organisation_ids(user: Any) -> frozenset[int]:
    roles = user_roles(user)
    return frozenset().union(*(roles.organisation_ids(role) for role in MANAGE_ROLES))


def read_organisation_ids(user: Any) -> frozenset[int]:
    roles = user_roles(user)
    return frozenset().union(*(roles.organisation_ids(role) for role in READ_ROLES))


@rules.predicate
def manages_awareness(user: Any, target: Any = None) -> bool:
    ids = manage_organisation_ids(user)
    return bool(ids) if target is None else _organisation_id(target) in ids


@rules.predicate
def reads_awareness(user: Any, target: Any = None) -> bool:
    ids = read_organisation_ids(user)
    return bool(ids) if target is None else _organisation_id(target) in ids


@rules.predicate
def is_manager(user: Any) -> bool:
    return user_roles(user).is_manager


rules.add_perm("awareness.manage", manages_awareness)
rules.add_perm("awareness.view", reads_awareness)
rules.add_perm("awareness.discuss", is_manager)
rules.add_perm("awareness.view_library", reads_awareness | is_manager)
