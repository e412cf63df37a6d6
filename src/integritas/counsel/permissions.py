"""Who keeps the directory of vertrouwenspersonen (R-WBK-6): administrators, per organisation.

The directory holds only public contact data; counsellors' own work (their logs) is a
separate matter that administrators never see (R-DP-3).
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
