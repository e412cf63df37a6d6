"""Who may do what with a case (R-WBK-7, R-DP-3): pure predicates over a CaseAccess.

Only the coordinator, the assigned investigators and — from the approval step on, or once
a possible crime is flagged (R-EXT-3) — the secretary of the organisation concerned see a
case; substitutes take the place of a
coordinator or secretary who is involved. Nobody named as involved sees the case.
Administrators and integrity officers see no case content.

Besides the roles, the predicates ask what a user is to the Meldpunt's cases
(handler_standing: a designated substitute, a handler), read once per request.
"""

from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import Exists

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import User
from integritas.accounts.selectors import user_is_privileged, user_roles

from .constants import SECRETARY_STATUSES
from .models import CaseHandler, Substitute


@dataclass(frozen=True)
class CaseAccess:
    """What one user is to one case; built by access.case_access()."""

    involved: bool
    coordinator: bool  # holds the coordinator role for the case's organisation
    secretary: bool  # holds the secretary role for the case's organisation
    handler_roles: frozenset[str]  # active CaseHandler roles (investigator, substitutes)
    status: str
    secretary_involved_before: bool  # the investigation was approved/decided already
    possible_offence: bool = False  # the coordinator flagged a possible crime (R-EXT-3)

    @property
    def as_coordinator(self) -> bool:
        return not self.involved and (
            self.coordinator or Role.INTEGRITY_COORDINATOR in self.handler_roles
        )

    @property
    def as_secretary(self) -> bool:
        """The secretary, or their substitute, from the approval step on (R-WBK-7), or as
        soon as the coordinator flags a possible crime: the decision on aangifte is the
        secretary's, without delay (art. 162 Sv, R-EXT-3)."""
        if self.involved:
            return False
        if not (self.secretary or Role.SECRETARY in self.handler_roles):
            return False
        return (
            self.status in SECRETARY_STATUSES
            or self.secretary_involved_before
            or self.possible_offence
        )

    @property
    def as_investigator(self) -> bool:
        return not self.involved and Role.INVESTIGATOR in self.handler_roles


@rules.predicate
def can_view_case(user: Any, access: CaseAccess | None) -> bool:
    return access is not None and (
        access.as_coordinator or access.as_secretary or access.as_investigator
    )


@rules.predicate
def can_handle_case(user: Any, access: CaseAccess | None) -> bool:
    """Coordinator work: acknowledge, triage, messages to the reporter, assign, close."""
    return access is not None and access.as_coordinator


@rules.predicate
def can_decide_case(user: Any, access: CaseAccess | None) -> bool:
    """Secretary work: approve the investigation, decide finding and measures, aangifte."""
    return access is not None and access.as_secretary


@rules.predicate
def can_add_note(user: Any, access: CaseAccess | None) -> bool:
    return access is not None and (
        access.as_coordinator or access.as_secretary or access.as_investigator
    )


@rules.predicate
def can_investigate(user: Any, access: CaseAccess | None) -> bool:
    """Records of the formal investigation: the coordinator or an assigned investigator."""
    return access is not None and (access.as_coordinator or access.as_investigator)


@rules.predicate
def can_view_identity(user: Any, access: CaseAccess | None) -> bool:
    """The identity vault is the coordinator's alone (DESIGN §2)."""
    return access is not None and access.as_coordinator


@dataclass(frozen=True)
class HandlerStanding:
    """What a user is to the Meldpunt besides their roles (handler_standing)."""

    designated: bool  # an active designation as substitute (seed 5.2)
    handles: bool  # an active CaseHandler row, in any role
    investigates: bool  # an active CaseHandler row as investigator


_STANDING_ATTR = "_integritas_case_standing"


def handler_standing(user: Any) -> HandlerStanding:
    """Whether `user` is a designated substitute and whether they handle cases: one query
    of three index lookups, kept on the user object for the request (as user_roles), so
    that the navigation and the home page's work lists ask it once between them."""
    cached = getattr(user, _STANDING_ATTR, None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        return HandlerStanding(designated=False, handles=False, investigates=False)
    handling = CaseHandler.objects.filter(user=user, active=True)
    found = (
        User.objects.filter(pk=user.pk)
        .values_list(
            Exists(Substitute.objects.filter(user=user, status=AssignmentStatus.ACTIVE)),
            Exists(handling),
            Exists(handling.filter(role=Role.INVESTIGATOR)),
        )
        .first()
    )
    designated, handles, investigates = found or (False, False, False)
    standing = HandlerStanding(
        designated=bool(designated), handles=bool(handles), investigates=bool(investigates)
    )
    setattr(user, _STANDING_ATTR, standing)
    return standing


@rules.predicate
def is_case_worker(user: Any) -> bool:
    """May open the case inbox at all (what it lists is scoped by the selector): a
    coordinator, secretary or investigator, and whoever handles cases without that role:
    a designated substitute (seed 5.2), or an investigator assigned to a case. The last
    question costs a query only for a user whose login counts as privileged (every
    substitute and handler does, accounts.selectors.user_is_privileged: asked on every
    request already), never for an employee without a role."""
    roles = user_roles(user)
    if (
        roles.has(Role.INTEGRITY_COORDINATOR)
        or roles.has(Role.SECRETARY)
        or roles.has(Role.INVESTIGATOR)
    ):
        return True
    if not user_is_privileged(user):
        return False
    standing = handler_standing(user)
    return standing.designated or standing.handles


@rules.predicate
def can_record_report(user: Any) -> bool:
    """Records an oral, phone, e-mail or in-person report (R-WBK-2, R-WBK-8): the
    coordinator, or a manager who received it from an employee (R-LR-2)."""
    roles = user_roles(user)
    return roles.has(Role.INTEGRITY_COORDINATOR) or roles.is_manager


@rules.predicate
def is_integrity_officer(user: Any) -> bool:
    """Sees counts of cases for their organisation, never content (DESIGN §2)."""
    return user_roles(user).has(Role.INTEGRITY_OFFICER)


@rules.predicate
def administers_substitutes(user: Any) -> bool:
    """Designating substitutes is the administrators' work (seed 5.2), four-eyed."""
    return user_roles(user).has(Role.ADMINISTRATOR)


rules.add_perm("cases.view_inbox", is_case_worker)
rules.add_perm("cases.manage_substitutes", administers_substitutes)
rules.add_perm("cases.record_report", can_record_report)
rules.add_perm("cases.view_figures", is_integrity_officer)
rules.add_perm("cases.view_case", can_view_case)
rules.add_perm("cases.handle_case", can_handle_case)
rules.add_perm("cases.decide_case", can_decide_case)
rules.add_perm("cases.add_note", can_add_note)
rules.add_perm("cases.view_identity", can_view_identity)
rules.add_perm("cases.investigate", can_investigate)
