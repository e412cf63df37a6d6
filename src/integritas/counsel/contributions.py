"""What the counsellor directory offers other pages: its navigation entry and the public
list of vertrouwenspersonen on the Meldpunt page (R-WBK-6), without importing them."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from integritas.core.contributions import Contribution, NavEntry, PublicContact

from .models import CounsellorListing


def public_contacts() -> Iterator[PublicContact]:
    listings = CounsellorListing.objects.order_by("organisation_id", "position", "name")
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


CONTRIBUTION = Contribution(
    app="counsel",
    navigation=(
        NavEntry(_("Vertrouwenspersonen"), "counsel:listing_list", "counsel.manage_directory", 840),
    ),
    public_contacts=public_contacts,
)
