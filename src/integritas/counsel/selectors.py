"""Reads of the counsellor directory (public: shown on the intake page too)."""

from typing import Any

from django.db.models import QuerySet

from integritas.accounts.constants import Role
from integritas.organisations.models import Organisation
from integritas.organisations.selectors import organisations_for_role

from .models import CounsellorListing


def counsellors_for_organisation(organisation_id: int) -> QuerySet[CounsellorListing]:
    return CounsellorListing.objects.filter(organisation_id=organisation_id)


def counsellors_by_organisation() -> dict[int, list[CounsellorListing]]:
    grouped: dict[int, list[CounsellorListing]] = {}
    for listing in CounsellorListing.objects.order_by("organisation_id", "position", "name"):
        grouped.setdefault(listing.organisation_id, []).append(listing)
    return grouped


def organisations_administered(user: Any) -> QuerySet[Organisation]:
    """Organisations whose directory `user` keeps (administrator there, or regionally)."""
    return organisations_for_role(user, Role.ADMINISTRATOR)


def listings_for_administration(user: Any) -> QuerySet[CounsellorListing]:
    return CounsellorListing.objects.filter(
        organisation__in=organisations_administered(user)
    ).select_related("organisation")


def listing_get_for_administration(user: Any, pk: int) -> CounsellorListing | None:
    return listings_for_administration(user).filter(pk=pk).first()
