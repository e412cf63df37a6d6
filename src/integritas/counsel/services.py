"""Writes to the directory of vertrouwenspersonen: one transaction and one audit event each."""

from typing import Any

from django.db import transaction

from integritas.accounts.constants import Role
from integritas.audit.services import audit_record
from integritas.organisations.models import Organisation

from .models import CounsellorListing

FIELDS = ("name", "is_external", "phone", "email", "availability", "position")


def counsellor_listing_create(
    *, actor: Any, organisation: Organisation, data: dict[str, Any]
) -> CounsellorListing:
    with transaction.atomic():
        listing = CounsellorListing.objects.create(
            organisation=organisation, **{name: data[name] for name in FIELDS if name in data}
        )
        audit_record(
            action="counsel.listing_create",
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            obj=listing,
            organisation=organisation,
        )
    return listing


def counsellor_listing_update(
    *, actor: Any, listing: CounsellorListing, data: dict[str, Any]
) -> CounsellorListing:
    with transaction.atomic():
        for name in FIELDS:
            if name in data:
                setattr(listing, name, data[name])
        listing.save()
        audit_record(
            action="counsel.listing_update",
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            obj=listing,
            organisation=listing.organisation,
        )
    return listing


def counsellor_listing_delete(*, actor: Any, listing: CounsellorListing) -> None:
    with transaction.atomic():
        pk, organisation = listing.pk, listing.organisation
        listing.delete()
        audit_record(
            action="counsel.listing_delete",
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            object_type="counsel.counsellorlisting",
            object_id=pk,
            organisation=organisation,
        )
