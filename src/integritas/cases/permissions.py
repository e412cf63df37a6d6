"""Who may do what with a case (R-WBK-7, R-DP-3): pure predicates over a CaseAccess.

Only the coordinator, the assigned investigators and — from the approval step on, or once
a possible crime is flagged (R-EXT-3) — the secretary of the organisation concerned see a
case; substitutes take the place of a
coordinator or secretary who is involved. Nobody named as involved sees the case.
Administrators and integrity officers see no case content.
"""

from dataclasses import dataclass
from typing import Any

import rules

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles

from .constants import SECRETARY_STATUSES


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


@rules.predicate
def is_case_worker(user: Any) -> bool:
    """May open the case inbox at all (what it lists is scoped by the selector)."""
    roles = user_roles(user)
    return (
        roles.has(Role.INTEGRITY_COORDINATOR)
        or roles.has(Role.SECRETARY)
        or roles.has(Role.INVESTIGATOR)
    )


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
