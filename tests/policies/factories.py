"""Documents in every state, made through the services (as a keeper of the region)."""

import datetime
from typing import Any

from integritas.accounts.constants import Role
from integritas.organisations.models import Organisation
from integritas.policies import services
from integritas.policies.constants import AdoptionBody, DocumentKind
from integritas.policies.models import Document, DocumentVersion
from tests.factories import EmployeeFactory, grant

CODE_V1 = """# Inleiding

Deze gedragscode geldt voor iedereen die voor de gemeente werkt.

# Geschenken

Geschenken tot een waarde van 50 euro mag u aannemen. Meld elk geschenk bij uw leidinggevende.

# Nevenwerkzaamheden

Meld nevenwerkzaamheden vooraf.
"""

CODE_V2 = """# Inleiding

Deze gedragscode geldt voor iedereen die voor de gemeente werkt, ook inhuur en stagiairs.

# Geschenken

Geschenken tot een waarde van 50 euro mag u aannemen. Meld elk geschenk bij uw leidinggevende.

# Ongewenst gedrag

Pesten, intimidatie en discriminatie tolereren wij niet.
"""


def regional_keeper(organisation: Organisation) -> Any:
    employee = EmployeeFactory(organisation=organisation)
    grant(employee.user, Role.WORKING_GROUP, organisation)
    return employee.user


def local_keeper(organisation: Organisation) -> Any:
    employee = EmployeeFactory(organisation=organisation)
    grant(employee.user, Role.INTEGRITY_OFFICER, organisation)
    return employee.user


def adopt(
    keeper: Any,
    document: Document,
    content: str,
    effective: datetime.date = datetime.date(2025, 1, 1),
    *,
    consent: str = "",
) -> DocumentVersion:
    version = services.version_create(actor=keeper, document=document, content=content)
    services.adoption_step_add(
        actor=keeper,
        version=version,
        body=AdoptionBody.COUNCIL_EXECUTIVE,
        decided_on=datetime.date(2024, 12, 10),
        decided_by="College van B&W",
    )
    if consent:
        services.adoption_step_add(
            actor=keeper,
            version=version,
            body=AdoptionBody.WORKS_COUNCIL,
            decided_on=datetime.date(2024, 12, 1),
            decided_by="Ondernemingsraad",
            consent_reference=consent,
        )
    return services.version_adopt(actor=keeper, version=version, effective_date=effective)


def regional_code(
    organisation: Organisation, keeper: Any = None, *, versions: int = 1
) -> tuple[Document, list[DocumentVersion]]:
    """The region's gedragscode with `versions` adopted versions (the last one current)."""
    keeper = keeper or regional_keeper(organisation)
    document = services.document_create(
        actor=keeper,
        kind=DocumentKind.CODE_OF_CONDUCT,
        title="Gedragscode Leidse regio",
        region=organisation.region,
    )
    made = [adopt(keeper, document, CODE_V1, datetime.date(2024, 1, 1))]
    if versions > 1:
        made.append(adopt(keeper, document, CODE_V2, datetime.date(2025, 1, 1)))
    for version in made:
        version.refresh_from_db()
    return document, made
