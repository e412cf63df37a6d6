"""Roles of DESIGN.md §1 and the scopes they are granted in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Medewerker")
    HRM = "hrm", _("HRM")
    INTEGRITY_OFFICER = "integrity_officer", _("Functionaris integriteit")
    INTEGRITY_COORDINATOR = "integrity_coordinator", _("Integriteitscoördinator")
    INVESTIGATOR = "investigator", _("Onderzoeker")
    SECRETARY = "secretary", _("Gemeentesecretaris")
    #: Decides on the gemeentesecretaris's own registrations (side activities, gifts),
    #: who has no manager in the organisation (seed 3.2.6).
    MAYOR = "mayor", _("Burgemeester")
    CONFIDENTIAL_COUNSELLOR = "confidential_counsellor", _("Vertrouwenspersoon")
    CENTRAL_COUNSELLOR = "central_counsellor", _("Centrale vertrouwenspersoon")
    MANAGEMENT_BOARD = "management_board", _("Directie")
    WORKS_COUNCIL = "works_council", _("OR-lid")
    WORKING_GROUP = "working_group", _("Werkgroep integriteit")
    ADMINISTRATOR = "administrator", _("Beheerder")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op goedkeuring")
    ACTIVE = "active", _("Actief")
    REJECTED = "rejected", _("Afgewezen")
    REVOKED = "revoked", _("Ingetrokken")


# Roles granted for the whole region rather than one organisation (R-LR-1).
REGIONAL_ROLES = frozenset(
    {Role.INTEGRITY_COORDINATOR, Role.CENTRAL_COUNSELLOR, Role.WORKING_GROUP}
)
# Roles that may be granted either regionally or per organisation.
EITHER_SCOPE_ROLES = frozenset({Role.ADMINISTRATOR, Role.INVESTIGATOR})

# Everything above employee/manager needs a second factor (DESIGN §2, R-BIO-2).
PRIVILEGED_ROLES = frozenset(set(Role) - {Role.EMPLOYEE})

# Roles that can see case or counsellor content: granting one needs a second
# administrator's approval (four-eyes, DESIGN §2).
CONTENT_ROLES = frozenset(
    {
        Role.INTEGRITY_COORDINATOR,
        Role.SECRETARY,
        Role.INVESTIGATOR,
        Role.CONFIDENTIAL_COUNSELLOR,
    }
)

# Granting these waits for a second administrator: the content roles, the
# administrator role itself (otherwise one administrator could create a second account
# of his own, make it administrator and approve his own requests with it), and the
# burgemeester, who decides on the gemeentesecretaris's registrations.
FOUR_EYES_ROLES = CONTENT_ROLES | {Role.ADMINISTRATOR, Role.MAYOR}
