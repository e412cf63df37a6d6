"""What the Meldpunt offers the composed pages: its navigation entries, the work lists
of its roles on the home page (counted in worklists.py), and its daily reminder and
retention scans."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas.core.contributions import (
    Contribution,
    NavEntry,
    WorkLink,
    WorkList,
    WorkSummary,
)
from integritas.notifications.scans import ScanReport

from . import worklists
from .access import user_handles_cases
from .clock.reminders import send_reminders
from .retention.services import purge_expired
from .worklists import Tally


def _inbox(tally: Tally) -> str:
    """The inbox, filtered to exactly the cases `tally` counted."""
    return f"{reverse('cases:inbox')}?{urlencode(tally.filters)}"


def _case(tally: Tally) -> str:
    return reverse("cases:case_detail", args=[tally.oldest_case]) if tally.oldest_case else ""


def _row(label: Any, tally: Tally, url: str, *, urgent: bool = False) -> WorkSummary:
    return WorkSummary(label, tally.count, tally.oldest, url, urgent=urgent and bool(tally.count))


def _coordinator_list(case_work: worklists.CaseWork) -> Iterator[WorkList]:
    """R-WBK-3, R-WBK-4: what the Meldpunt's coordinator must do, and by when."""
    work = case_work.coordinator()
    if work is None:
        return
    yield WorkList(
        title=gettext_lazy("Meldpunt: te doen"),
        rows=[
            _row(
                gettext_lazy("Ontvangst te bevestigen"),
                work["acknowledge"],
                _inbox(work["acknowledge"]),
            ),
            _row(
                gettext_lazy("Ontvangstbevestiging te laat (7 dagen verstreken)"),
                work["ack_overdue"],
                _inbox(work["ack_overdue"]),
                urgent=True,
            ),
            _row(
                gettext_lazy("Terugkoppeling binnen 7 dagen"),
                work["feedback_week"],
                _inbox(work["feedback_week"]),
                urgent=True,
            ),
            _row(
                gettext_lazy("Terugkoppeling te laat (3 maanden verstreken)"),
                work["feedback_overdue"],
                _inbox(work["feedback_overdue"]),
                urgent=True,
            ),
            _row(
                gettext_lazy("Reactie van een melder wacht op antwoord"),
                work["replies"],
                _inbox(work["replies"]),
            ),
            # The flood defence's held queue (ADR 0006): reviewed there, not in the inbox.
            _row(
                gettext_lazy("Vastgehouden meldingen te beoordelen"),
                work["held"],
                reverse("held_queue"),
                urgent=True,
            ),
        ],
        empty_text=gettext_lazy(
            "Geen meldingen om te bevestigen, geen termijnen binnen 7 dagen, geen "
            "reacties van melders die wachten en geen vastgehouden meldingen."
        ),
        order=100,
    )


def _secretary_list(case_work: worklists.CaseWork) -> Iterator[WorkList]:
    """R-LR-2, R-EXT-3: the secretary's decisions — numbers only."""
    work = case_work.secretary()
    if work is None:
        return
    yield WorkList(
        title=gettext_lazy("Taken"),
        rows=[
            _row(
                gettext_lazy("Besluit over een onderzoek"),
                work["approve"],
                _inbox(work["approve"]),
            ),
            _row(
                gettext_lazy("Besluit na het onderzoeksrapport"),
                work["decide"],
                _inbox(work["decide"]),
            ),
            _row(
                gettext_lazy("Besluit over aangifte (mogelijk strafbaar feit)"),
                work["aangifte"],
                _inbox(work["aangifte"]),
                urgent=True,
            ),
        ],
        empty_text=gettext_lazy("Geen besluiten die op u wachten."),
        order=110,
    )


def _investigator_list(case_work: worklists.CaseWork) -> Iterator[WorkList]:
    """The investigations under way: an investigator's inbox holds only the cases they
    handle, so its status filter lists exactly these."""
    work = case_work.investigator()
    if work is None:
        return
    yield WorkList(
        title=gettext_lazy("Uw onderzoeken"),
        rows=[_row(gettext_lazy("Onderzoek loopt"), work, _inbox(work))],
        empty_text=gettext_lazy("U heeft geen lopend onderzoek."),
        order=120,
    )


def _substitute_list(case_work: worklists.CaseWork) -> Iterator[WorkList]:
    """Seed 5.2: the cases a substitute took over; each row opens its oldest case (see
    CaseWork.substitute), and the list links to the inbox, which lists them all."""
    work = case_work.substitute()
    if work is None:
        return
    yield WorkList(
        title=gettext_lazy("Als vervanger"),
        rows=[
            _row(
                gettext_lazy("Open meldingen als vervangend integriteitscoördinator"),
                work["coordinator"],
                _case(work["coordinator"]),
            ),
            _row(
                gettext_lazy("Waarvan een wettelijke termijn verstreken"),
                work["overdue"],
                _case(work["overdue"]),
                urgent=True,
            ),
            _row(
                gettext_lazy("Besluiten als vervangend gemeentesecretaris"),
                work["secretary"],
                _case(work["secretary"]),
            ),
        ],
        empty_text=gettext_lazy("U vervangt op dit moment in geen enkele open melding."),
        links=[WorkLink(gettext_lazy("Alle meldingen die u kunt inzien"), reverse("cases:inbox"))],
        order=130,
    )


def _figures_note(user: Any) -> Iterator[WorkList]:
    """The integrity officer sees no case, only counts (DESIGN §2)."""
    if not user.has_perm("cases.view_figures"):
        return
    yield WorkList(
        title=gettext_lazy("Meldpunt"),
        intro=gettext_lazy(
            "Als functionaris integriteit ziet u geen meldingen, wel hoeveel er zijn per "
            "status en soort."
        ),
        links=[WorkLink(gettext_lazy("Cijfers meldingen"), reverse("cases:figures"))],
        order=140,
    )


def _substitutes_to_approve(user: Any) -> Iterator[WorkList]:
    """Four eyes: designations another administrator asked for, waiting for this one."""
    if not user.has_perm("cases.manage_substitutes"):
        return
    tally = worklists.substitutes_to_decide(user)
    yield WorkList(
        title=gettext_lazy("Goedkeuren (vier ogen)"),
        rows=[
            WorkSummary(
                gettext_lazy("Aanwijzingen van vervangers"),
                tally.count,
                tally.oldest,
                reverse("substitutes:list"),
            )
        ],
        empty_text=gettext_lazy("Geen verzoeken die op uw goedkeuring wachten."),
        order=200,
        key="four_eyes",
    )


def work_lists(user: Any) -> Iterator[WorkList]:
    """The Meldpunt's lists for every role of `user`: counts and dates, never content."""
    work = worklists.CaseWork(user)
    yield from _coordinator_list(work)
    yield from _secretary_list(work)
    yield from _investigator_list(work)
    yield from _substitute_list(work)
    yield from _figures_note(user)
    yield from _substitutes_to_approve(user)


def reminder_scan() -> ScanReport:
    """R-WBK-3, R-WBK-4: the coordinators' reminders before the legal deadlines."""
    result = send_reminders()
    return ScanReport(
        lines=[f"{number} {kind} {stage}" for number, kind, stage in result.sent],
        warnings=[
            _("%(number)s: geen coördinator met e-mailadres om te herinneren.") % {"number": number}
            for number in sorted(set(result.without_recipients))
        ],
        count=len(result.sent),
    )


def retention_scan(dry_run: bool) -> ScanReport:
    """R-DP-2: closed cases past their retention period, unless under legal hold."""
    result = purge_expired(dry_run=dry_run)
    if result.dry_run:
        summary = _(
            "Proefrun: %(count)d melding(en) zouden worden verwijderd, en "
            "%(orphans)d achtergebleven bestand(en)."
        ) % {"count": result.count, "orphans": result.orphans_deleted}
    else:
        summary = _(
            "%(count)d melding(en) verwijderd, %(files)d bijlage(n); "
            "%(orphans)d achtergebleven bestand(en) opgeruimd."
        ) % {
            "count": result.count,
            "files": result.attachments_deleted,
            "orphans": result.orphans_deleted,
        }
    return ScanReport(lines=list(result.case_numbers), count=result.count, summary=summary)


CONTRIBUTION = Contribution(
    app="cases",
    navigation=(
        # Everyone may report; the Meldpunt itself never sees who followed this link.
        NavEntry(gettext_lazy("Melding doen"), "meldpunt:intake", None, 100),
        NavEntry(gettext_lazy("Melding vastleggen"), "cases:record", "cases.record_report", 200),
        NavEntry(gettext_lazy("Meldingen"), "cases:inbox", "cases.view_inbox", 300),
        NavEntry(gettext_lazy("Cijfers meldingen"), "cases:figures", "cases.view_figures", 400),
        NavEntry(gettext_lazy("Vervangers"), "substitutes:list", "cases.manage_substitutes", 850),
    ),
    work_lists=work_lists,
    privilege_checks=(user_handles_cases,),
)
