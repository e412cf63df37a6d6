"""One navigation for a person with several roles: every item they may use, once."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .constants import Role
from .selectors import UserRoles


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def navigation_for(roles: UserRoles) -> list[NavItem]:
    items = [NavItem(_("Mijn integriteit"), "home")]
    # Everyone may report; the Meldpunt itself never sees who followed this link.
    items.append(NavItem(_("Melding doen"), "meldpunt:intake"))
    if roles.has(Role.INTEGRITY_COORDINATOR) or roles.is_manager:
        items.append(NavItem(_("Melding vastleggen"), "cases:record"))
    if (
        roles.has(Role.INTEGRITY_COORDINATOR)
        or roles.has(Role.SECRETARY)
        or roles.has(Role.INVESTIGATOR)
    ):
        items.append(NavItem(_("Meldingen"), "cases:inbox"))
    if roles.has(Role.INTEGRITY_OFFICER):
        items.append(NavItem(_("Cijfers meldingen"), "cases:figures"))
    if roles.has(Role.HRM):
        items.append(NavItem(_("Medewerkers"), "organisations:employee_list"))
        items.append(NavItem(_("HR-import"), "organisations:hr_import"))
    if roles.has(Role.ADMINISTRATOR):
        items.append(NavItem(_("Gebruikers"), "accounts:user_list"))
        items.append(NavItem(_("Roltoewijzingen"), "accounts:assignment_list"))
        items.append(NavItem(_("Toegangsreview"), "accounts:access_review"))
        items.append(NavItem(_("Organisaties"), "organisations:organisation_list"))
        items.append(NavItem(_("Vertrouwenspersonen"), "counsel:listing_list"))
        items.append(NavItem(_("Vervangers"), "substitutes:list"))
        items.append(NavItem(_("Auditlog"), "audit:event_list"))
    return items


def context_items(user: Any, roles: UserRoles) -> list[NavItem]:
    return navigation_for(roles) if user.is_authenticated else []
