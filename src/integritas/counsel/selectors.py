"""Reads of the counsellor directory (public: shown on the intake page too)."""

from typing import Any

from django.db.models import QuerySet

from integritas.accounts.constants import Role
from integritas.accounts.selectors import organisations_for_role
from integritas.organisations.models import Organisation

from .models import CounsellorListing


def organisations_administered(user: Any) -> QuerySet[Organisation]:
    """Organisations whose directory `user` keeps (administrator there, or regionally)."""
    return organisations_for_role(user, Role.ADMINISTRATOR)


def listings_for_administration(user: Any) -> QuerySet[CounsellorListing]:
    return CounsellorListing.objects.filter(
        organisation__in=organisations_administered(user)
    ).select_related("organisation")


def listings_of(organisations: list[Organisation]) -> QuerySet[CounsellorListing]:
    """The listings of these organisations (already scoped by the caller), in list order."""
    return CounsellorListing.objects.filter(
        organisation_id__in=[org.pk for org in organisations]
    ).order_by("organisation_id", "position", "name")


def listing_get_for_administration(user: Any, pk: int) -> CounsellorListing | None:
    return listings_for_administration(user).filter(pk=pk).first()
