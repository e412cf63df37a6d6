"""Choices of the document centre: English values, Dutch labels as the policy names them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """The documents that are "op één centraal punt beschikbaar" (seed 3.2.1, 3.2.9)."""

    INTEGRITY_POLICY = "integrity_policy", _("Integriteitsbeleid")
    CODE_OF_CONDUCT = "code_of_conduct", _("Gedragscode")
    REPORTING_REGULATION = (
        "reporting_regulation",
        _("Regeling melden vermoeden integriteitsschending"),
    )
    IT_REGULATION = (
        "it_regulation",
        _("Regeling IT-apparatuur en elektronische communicatiemiddelen"),
    )
    PROCUREMENT = (
        "procurement",
        _("Inkoop- en aanbestedingsbeleid (met algemene inkoopvoorwaarden)"),
    )
    UNWANTED_BEHAVIOUR = (
        "unwanted_behaviour",
        _("Beleid ongewenste omgangsvormen, agressie en geweld"),
    )
    STAFF_HANDBOOK = "staff_handbook", _("Personeelshandboek")


class VersionStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    ADOPTED = "adopted", _("Vastgesteld")
    EXPIRED = "expired", _("Vervallen")


class AdoptionBody(models.TextChoices):
    """Who took a step on the adoption route of a version (DESIGN §3, seed 4, 5.1)."""

    WORKING_GROUP = "working_group", _("Werkgroep integriteit")
    PLATFORM = "platform", _("Platform Bedrijfsvoering")
    DT = "dt", _("Directieteam (DT)")
    MT = "mt", _("Managementteam (MT)")
    COUNCIL_EXECUTIVE = "college", _("College van burgemeester en wethouders")
    WORKS_COUNCIL = "works_council", _("Ondernemingsraad (instemming)")


#: Kinds whose adoption needs the works council's consent (Wet bescherming klokkenluiders
#: art. 2, R-WBK-11; WOR art. 27 for the gedragscode): a version is adopted only with an
#: OR step that names the consent reference.
CONSENT_REQUIRED_KINDS = frozenset({DocumentKind.REPORTING_REGULATION})

#: Search hits shown at most.
SEARCH_LIMIT = 20
#: Longest search text read.
SEARCH_MAX_LENGTH = 200
#: Longest Markdown text of one version (characters).
CONTENT_MAX_LENGTH = 500_000
#: Employees per page of "wie nog niet bevestigde".
PENDING_PAGE_SIZE = 50
#: Personnel-file retention (R-DP-2): an employee's acknowledgements of the gedragscode
#: are deleted this many years after their employment ended, as their duties are.
ACKNOWLEDGEMENT_RETENTION_YEARS = 2
