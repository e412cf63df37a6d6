"""What the counsellor directory offers other pages: its navigation entry, the public
list of vertrouwenspersonen on the Meldpunt page (R-WBK-6), without importing them, and
on the home page of (central) counsellors what they will find here once their own work
is in Integritas."""

from collections.abc import Iterator, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.core.contributions import (
    Contribution,
    NavEntry,
    PublicContact,
    WorkLink,
    WorkList,
)

from .models import CounsellorListing


def public_contacts(organisation_ids: Sequence[int]) -> Iterator[PublicContact]:
    listings = CounsellorListing.objects.filter(organisation_id__in=organisation_ids).order_by(
        "organisation_id", "position", "name"
    )
    for listing in listings.only(
        "organisation_id", "name", "is_external", "phone", "email", "availability"
    ):
        yield PublicContact(
            organisation_id=listing.organisation_id,
            name=listing.name,
            is_external=listing.is_external,
            phone=listing.phone,
            email=listing.email,
            availability=listing.availability,
        )


def work_lists(user: Any) -> Iterator[WorkList]:
    """Nothing to count yet: the consultation log and its figures come later."""
    roles = user_roles(user)
    directory = WorkLink(
        _("De lijst van vertrouwenspersonen op het Meldpunt"), reverse("meldpunt:intake")
    )
    if roles.has(Role.CONFIDENTIAL_COUNSELLOR):
        yield WorkList(
            title=_("Vertrouwenspersoon"),
            intro=_(
                "Hier houdt u later uw vertrouwelijke logboek van gesprekken bij, zonder "
                "namen. Medewerkers vinden u nu in de lijst van vertrouwenspersonen op het "
                "Meldpunt."
            ),
            links=[directory],
            order=150,
        )
    if roles.has(Role.CENTRAL_COUNSELLOR):
        yield WorkList(
            title=_("Centrale vertrouwenspersoon"),
            intro=_(
                "Hier ziet u later de cijfers van de vertrouwenspersonen in de regio, "
                "zonder de inhoud van gesprekken. Die staan nog niet in Integritas."
            ),
            links=[directory],
            order=150,
        )


CONTRIBUTION = Contribution(
    app="counsel",
    navigation=(
        NavEntry(_("Vertrouwenspersonen"), "counsel:listing_list", "counsel.manage_directory", 840),
    ),
    public_contacts=public_contacts,
    work_lists=work_lists,
)
