"""One navigation for a person with several roles: every entry they may use, once.

The entries come from the apps (``core.contributions``); the rules of each app decide
through ``user.has_perm`` who sees them, so this module knows no role and no app.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from integritas.core.contributions import NavEntry, navigation_entries

HOME = NavEntry(_("Mijn integriteit"), "home", None, 0)


def navigation_for(user: Any) -> list[NavEntry]:
    """The entries `user` may follow, in their order; anonymous users get none."""
    if user is None or not user.is_authenticated:
        return []
    entries = [HOME, *navigation_entries()]
    return [e for e in entries if e.permission is None or user.has_perm(e.permission)]
