"""Reads of the counsellor directory (public: shown on the intake page too)."""

from django.db.models import QuerySet

from .models import CounsellorListing


def counsellors_for_organisation(organisation_id: int) -> QuerySet[CounsellorListing]:
    return CounsellorListing.objects.filter(organisation_id=organisation_id)


def counsellors_by_organisation() -> dict[int, list[CounsellorListing]]:
    grouped: dict[int, list[CounsellorListing]] = {}
    for listing in CounsellorListing.objects.order_by("organisation_id", "position", "name"):
        grouped.setdefault(listing.organisation_id, []).append(listing)
    return grouped
