"""Who reads and who keeps the documents of the document centre.

- **Reading**: everyone who works for an organisation (their employee record, or a role
  held there) reads its current and past documents: the organisation's own and those of
  its region (seed 3.2.1: "op één centraal punt beschikbaar voor alle medewerkers").
  Concept versions are read only by those who keep the document.
- **Keeping a local document** (the organisation's own, or its addition to a regional
  one): the functionaris integriteit, who is responsible for the documents in the
  organisation (DESIGN §1), and HRM, who keeps the personeelshandboek and the rules on
  employment (IT regulation, unwanted behaviour).
- **Keeping a regional document** (the base text the region shares): the werkgroep
  integriteit, which drafts the regional proposals (DESIGN §3: the adoption route of a
  proposal starts there), and the integriteitscoördinator, the regional role that runs
  the instruments for the whole region (R-LR-1). Both are regional roles; they keep the
  documents of the regions they hold the role for. A local integrity officer does not
  change the shared text: that is what the local addition is for.
- **Acknowledgements per version**: HRM and the functionaris integriteit of the
  organisation (who has read the gedragscode is part of onboarding and of the yearly
  accountability, seed 5.1).
"""

from typing import Any

import rules

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles

LOCAL_KEEPERS = (Role.INTEGRITY_OFFICER, Role.HRM)
REGIONAL_KEEPERS = (Role.WORKING_GROUP, Role.INTEGRITY_COORDINATOR)
ACKNOWLEDGEMENT_VIEWERS = (Role.HRM, Role.INTEGRITY_OFFICER)


def keeps_organisation(user: Any, organisation_id: int) -> bool:
    roles = user_roles(user)
    return any(roles.has(role, organisation_id) for role in LOCAL_KEEPERS)


def keeps_region(user: Any, region_id: int) -> bool:
    roles = user_roles(user)
    return any(region_id in roles.region_ids(role) for role in REGIONAL_KEEPERS)


@rules.predicate
def keeps_documents(user: Any) -> bool:
    """Keeps any document at all (the "Nieuw document" link)."""
    roles = user_roles(user)
    return any(roles.organisation_ids(role) for role in LOCAL_KEEPERS) or any(
        roles.region_ids(role) for role in REGIONAL_KEEPERS
    )


@rules.predicate
def keeps_document(user: Any, document: Any) -> bool:
    if document is None:
        return False
    if document.region_id is not None:
        return keeps_region(user, document.region_id)
    return keeps_organisation(user, document.organisation_id)


@rules.predicate
def works_somewhere(user: Any) -> bool:
    roles = user_roles(user)
    return roles.employee is not None or bool(roles.roles)


@rules.predicate
def views_acknowledgements(user: Any, organisation: Any = None) -> bool:
    roles = user_roles(user)
    if organisation is None:
        return any(roles.organisation_ids(role) for role in ACKNOWLEDGEMENT_VIEWERS)
    return any(roles.has(role, organisation) for role in ACKNOWLEDGEMENT_VIEWERS)


rules.add_perm("policies.view_documents", works_somewhere)
rules.add_perm("policies.keep_documents", keeps_documents)
rules.add_perm("policies.keep_document", keeps_document)
rules.add_perm("policies.view_acknowledgements", views_acknowledgements)
