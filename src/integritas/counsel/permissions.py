"""Who may do what in `counsel`.

The directory of vertrouwenspersonen (R-WBK-6) is kept by administrators, per organisation;
it holds only public contact data. The consultation log is the counsellor's own: the
permission only opens the pages, and every read of an entry is scoped to its author
(selectors.entries_of), so no other role — administrator, coordinator, secretary, HRM,
integrity officer, central counsellor — has any path to an entry (R-DP-3). The central
counsellor sees counts; HRM keeps the appointments of internal counsellors.
"""

from typing import Any

import rules

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles


@rules.predicate
def administers_organisation(user: Any, organisation: Any = None) -> bool:
    """Without an organisation: administrator anywhere; with one: of that organisation."""
    roles = user_roles(user)
    if organisation is None:
        return roles.has(Role.ADMINISTRATOR)
    return roles.has(Role.ADMINISTRATOR, organisation)


rules.add_perm("counsel.manage_directory", administers_organisation)


@rules.predicate
def keeps_a_log(user: Any) -> bool:
    """A vertrouwenspersoon (anywhere): keeps their own consultation log. Whose entries
    they read is decided by the selectors: only their own (R-DP-3)."""
    return user_roles(user).has(Role.CONFIDENTIAL_COUNSELLOR)


@rules.predicate
def is_central_counsellor(user: Any) -> bool:
    """The central counsellor: counts over the region, sessions and attendance."""
    return user_roles(user).has(Role.CENTRAL_COUNSELLOR)


@rules.predicate
def supports_appointments(user: Any, organisation: Any = None) -> bool:
    """HRM (of the organisation) keeps the appointments of internal counsellors (seed 4)."""
    roles = user_roles(user)
    if organisation is None:
        return roles.has(Role.HRM)
    return roles.has(Role.HRM, organisation)


rules.add_perm("counsel.keep_log", keeps_a_log)
rules.add_perm("counsel.view_figures", is_central_counsellor)
rules.add_perm("counsel.manage_sessions", is_central_counsellor)
rules.add_perm("counsel.manage_appointments", supports_appointments)
rules.add_perm("counsel.view_sessions", keeps_a_log | is_central_counsellor)
