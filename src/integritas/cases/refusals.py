"""The Meldpunt's routes whose refusals are audit events (audit/denials.py): every page of
the case handlers, the attachments and the substitutes' four-eyes grants.

A case is referred to by the case number in its URL, kept as the user typed it when it
has the form of one ("LDP-2026-0007"), whether such a case exists or not.
"""

import re

from integritas.audit.constants import DeniedRoute
from integritas.audit.denials import GuardedRoute

#: The form of a case number (intake/services.py): prefix, year, sequence.
CASE_NUMBER = re.compile(r"[A-Za-z0-9]{1,5}-[0-9]{4}-[0-9]{1,10}")

_CASE = GuardedRoute(DeniedRoute.CASE, "cases.case_number", "case_number", CASE_NUMBER)
_IDENTITY = GuardedRoute(DeniedRoute.IDENTITY, "cases.case_number", "case_number", CASE_NUMBER)

#: The coordinator's page about the reporter and the forms on it (handling/views.py
#: REPORTER_PAGE_KEYS): identity, consent, disclosure, protection log.
IDENTITY_ROUTES = ("reporter", "reveal_identity", "disclose", "protection")

ROUTES = {
    "cases:*": _CASE,
    **{f"cases:{name}": _IDENTITY for name in IDENTITY_ROUTES},
    "attachments:*": GuardedRoute(DeniedRoute.ATTACHMENT, "cases.attachment", "pk"),
    "substitutes:*": GuardedRoute(DeniedRoute.GRANT, "cases.substitute", "pk"),
}
