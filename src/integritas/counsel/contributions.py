"""What `counsel` offers other pages: its navigation entries (each behind its
permission), the public list of vertrouwenspersonen on the Meldpunt page (R-WBK-6), the
work lists of (central) counsellors — counts only, never an entry — and its retention
scan (R-DP-2)."""

import datetime
from collections.abc import Iterator, Sequence
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.core.contributions import (
    Contribution,
    NavEntry,
    PublicContact,
    WorkLink,
    WorkList,
    WorkSummary,
)
from integritas.notifications.scans import ScanReport

from . import selectors, services
from .models import CounsellorListing


def public_contacts(organisation_ids: Sequence[int]) -> Iterator[PublicContact]:
    listings = CounsellorListing.objects.filter(organisation_id__in=organisation_ids).order_by(
        "organisation_id", "position", "name"
    )
    for listing in listings.only(
        "organisation_id", "name", "is_external", "phone", "email", "availability", "introduction"
    ):
        yield PublicContact(
            organisation_id=listing.organisation_id,
            name=listing.name,
            is_external=listing.is_external,
            phone=listing.phone,
            email=listing.email,
            availability=listing.availability,
            introduction=listing.introduction,
        )


def _quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def work_lists(user: Any) -> Iterator[WorkList]:
    """The counsellor's log this quarter and their next intervisie; the central
    counsellor's figures and sessions. One small query per row, counts only."""
    directory = WorkLink(
        _("De lijst van vertrouwenspersonen op het Meldpunt"), reverse("meldpunt:intake")
    )
    today = timezone.localdate()
    if user.has_perm("counsel.keep_log"):
        logged = selectors.entries_count_since(user, _quarter_start(today))
        upcoming = selectors.upcoming_sessions_for(user, today)
        rows = [
            WorkSummary(
                _("Gesprekken vastgelegd dit kwartaal"),
                logged,
                None,
                reverse("counsel_log:entry_list"),
            ),
        ]
        if upcoming.count:
            rows.append(
                WorkSummary(
                    _("Komende trainingen en intervisie"),
                    upcoming.count,
                    upcoming.first,
                    reverse("counsel_training:session_list"),
                )
            )
        yield WorkList(
            title=_("Vertrouwenspersoon"),
            intro=_(
                "Uw logboek van gesprekken, zonder namen. Alleen u ziet het; de centrale "
                "vertrouwenspersoon ziet alleen aantallen."
            ),
            rows=rows,
            empty_text=_("U hebt dit kwartaal nog geen gesprekken vastgelegd."),
            links=[
                WorkLink(_("Gesprek vastleggen"), reverse("counsel_log:entry_create")),
                WorkLink(_("Mijn logboek"), reverse("counsel_log:entry_list")),
                directory,
            ],
            order=150,
        )
    if user.has_perm("counsel.view_figures"):
        yield WorkList(
            title=_("Centrale vertrouwenspersoon"),
            intro=_(
                "U ziet de aantallen gesprekken van de vertrouwenspersonen in de regio, per "
                "onderwerp en kwartaal, nooit de gesprekken zelf."
            ),
            links=[
                WorkLink(_("Cijfers vertrouwenspersonen"), reverse("counsel_log:figures")),
                WorkLink(_("Trainingen en intervisie"), reverse("counsel_training:session_list")),
                directory,
            ],
            order=150,
        )


def retention_scan(dry_run: bool) -> ScanReport:
    """R-DP-2: consultation entries past their retention (services.retention_date)."""
    result = services.purge_expired_entries(dry_run=dry_run)
    if result.dry_run:
        summary = _(
            "Proefrun: %(count)d gesprek(ken) van vertrouwenspersonen zouden worden verwijderd."
        )
    else:
        summary = _("%(count)d gesprek(ken) van vertrouwenspersonen verwijderd.")
    return ScanReport(count=result.count, summary=str(summary) % {"count": result.count})


CONTRIBUTION = Contribution(
    app="counsel",
    navigation=(
        NavEntry(_("Mijn logboek"), "counsel_log:entry_list", "counsel.keep_log", 250),
        NavEntry(
            _("Cijfers vertrouwenspersonen"), "counsel_log:figures", "counsel.view_figures", 450
        ),
        NavEntry(
            _("Trainingen vertrouwenspersonen"),
            "counsel_training:session_list",
            "counsel.manage_sessions",
            460,
        ),
        NavEntry(
            _("Benoemingen vertrouwenspersonen"),
            "counsel_training:appointment_list",
            "counsel.manage_appointments",
            830,
        ),
        NavEntry(_("Vertrouwenspersonen"), "counsel:listing_list", "counsel.manage_directory", 840),
    ),
    public_contacts=public_contacts,
    work_lists=work_lists,
)
