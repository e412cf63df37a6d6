"""What `registers` offers other pages: navigation, work lists (counts only), the
employee's dossier section on "Mijn integriteit", and the retention scan (R-DP-2)."""

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from integritas.core.contributions import (
    Contribution,
    DossierSection,
    NavEntry,
    WorkLink,
    WorkList,
    WorkSummary,
)
from integritas.notifications.scans import ScanReport

from . import campaigns, selectors, services, signalling
from .constants import Route
from .permissions import (
    current_employee,
    is_integrity_officer,
    is_manager,
    is_mayor,
    keeps_register,
)

_ROWS = (
    (Route.MANAGER, is_manager, _("Leidinggevende: registraties van uw medewerkers"), 120),
    (Route.MAYOR, is_mayor, _("Burgemeester: registraties van de gemeentesecretaris"), 121),
    (
        Route.INTEGRITY_OFFICER,
        is_integrity_officer,
        _("Functionaris integriteit: financiële belangen"),
        122,
    ),
)


def work_lists(user: Any) -> Iterator[WorkList]:
    """One row per route the user decides on: one query each; the open re-confirmation."""
    yield from campaign_work_lists(user)
    url = reverse("registers:queue")
    for route, holds, title, order in _ROWS:
        if not holds(user):
            continue
        waiting = selectors.queue_count(user, route)
        yield WorkList(
            title=title,
            rows=[
                WorkSummary(
                    _("Registraties die wachten op uw besluit"), waiting.count, waiting.oldest, url
                )
            ],
            empty_text=_("Er wachten geen registraties op uw besluit."),
            links=[WorkLink(_("Te beoordelen registraties"), url)],
            order=order,
        )


def signal_work_lists(user: Any) -> Iterator[WorkList]:
    """Open conflict signals for the integrity officer and HRM (one query)."""
    if not keeps_register(user):
        return
    url = reverse("registers:signals")
    waiting = selectors.open_signals_count(user)
    yield WorkList(
        title=_("Signalen van mogelijke belangenverstrengeling"),
        rows=[
            WorkSummary(
                _("Signalen die u nog moet wegen"),
                waiting.count,
                waiting.oldest,
                f"{url}?weging=open",
            )
        ],
        empty_text=_("Er zijn geen signalen die op uw weging wachten."),
        links=[WorkLink(_("Signalen"), url)],
        order=123,
    )


def all_work_lists(user: Any) -> Iterator[WorkList]:
    yield from work_lists(user)
    yield from signal_work_lists(user)


def dossier_context(user: Any, employee: Any) -> dict[str, Any] | None:
    """The employee's registrations and their decisions (one query)."""
    if employee is None or current_employee(user) is None:
        return None
    return {
        "registrations": selectors.registrations_of_employee(employee, limit=20),
        "may_register_financial": user.has_perm("registers.register_financial"),
    }


def campaign_work_lists(user: Any) -> Iterator[WorkList]:
    """The employee's open re-confirmation (one query, shared with the dossier)."""
    own = campaigns.own_campaign(user, current_employee(user))
    if own is None or not own.to_do:
        return
    yield WorkList(
        title=_("Jaarlijkse herbevestiging"),
        rows=[
            WorkSummary(
                _("Bevestig dat uw registraties volledig zijn"),
                1,
                own.campaign.opens_on,
                reverse("registers:reconfirm"),
                urgent=own.closes_soon,
            )
        ],
        order=115,
    )


def campaign_dossier_context(user: Any, employee: Any) -> dict[str, Any] | None:
    """The state of the employee's re-confirmation on "Mijn integriteit"."""
    if employee is None or current_employee(user) is None:
        return None
    own = campaigns.own_campaign(user, employee)
    return {"own": own} if own is not None else None


def retention_scan(dry_run: bool) -> ScanReport:
    """R-DP-2: registrations 2 years after employment ended."""
    result = services.purge_expired_registrations(dry_run=dry_run)
    if result.dry_run:
        summary = _(
            "Proefrun: %(count)d registratie(s) van oud-medewerkers zouden worden verwijderd."
        )
    else:
        summary = _("%(count)d registratie(s) van oud-medewerkers verwijderd.")
    lines = (
        [
            _("Bewaarplicht: %(count)d registratie(s) van oud-medewerkers blijven bewaard.")
            % {"count": result.held}
        ]
        if result.held
        else []
    )
    return ScanReport(
        lines=lines, count=result.count, summary=str(summary) % {"count": result.count}
    )


def signal_refresh_scan() -> ScanReport:
    """The daily run (`send_reminders`): signals of side activities that started or ended
    since the previous run. It sends no mail; a line only when something changed."""
    result = signalling.refresh_signals()
    if not (result.raised or result.removed):
        return ScanReport()
    line = _(
        "Signalen bijgewerkt naar de kalender: %(raised)d nieuw, %(removed)d vervallen "
        "(%(count)d nevenwerkzaamheden opnieuw vergeleken)."
    ) % {"raised": result.raised, "removed": result.removed, "count": result.registrations}
    return ScanReport(lines=[str(line)])


CONTRIBUTION = Contribution(
    app="registers",
    navigation=(
        NavEntry(_("Mijn registraties"), "registers:mine", "registers.register", 210),
        NavEntry(_("Te beoordelen registraties"), "registers:queue", "registers.decide", 220),
        NavEntry(_("Registers"), "registers:register", "registers.view_register", 420),
        NavEntry(_("Herbevestiging"), "registers:campaigns", "registers.view_campaigns", 421),
        NavEntry(_("Signalen"), "registers:signals", "registers.view_signals", 425),
    ),
    work_lists=all_work_lists,
    dossier_sections=(
        DossierSection(
            key="registraties",
            title=_("Mijn registraties"),
            template_name="registers/dossier_section.html",
            context=dossier_context,
            order=200,
        ),
        DossierSection(
            key="herbevestiging",
            title=_("Jaarlijkse herbevestiging"),
            template_name="registers/campaign_dossier_section.html",
            context=campaign_dossier_context,
            order=199,
        ),
    ),
)
