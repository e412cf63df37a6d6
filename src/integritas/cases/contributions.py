"""What the Meldpunt offers the composed pages: its navigation entries, the secretary's
work list on the home page, and its daily reminder and retention scans."""

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.core.contributions import Contribution, NavEntry, WorkItem, WorkList
from integritas.notifications.scans import ScanReport

from .access import user_handles_cases
from .clock.reminders import send_reminders
from .constants import Status
from .handling.selectors import secretary_tasks
from .retention.services import purge_expired

#: The home page lists this many; the inbox has them all.
WORK_LIST_LENGTH = 50


def work_lists(user: Any) -> Iterator[WorkList]:
    """R-LR-2: the secretary's tasks (approve an investigation, decide) — numbers only."""
    if not user_roles(user).has(Role.SECRETARY):
        return
    cases = secretary_tasks(user).select_related("organisation")[:WORK_LIST_LENGTH]
    yield WorkList(
        title=gettext_lazy("Taken"),
        items=[
            WorkItem(
                link_text=case.case_number,
                url=reverse("cases:case_detail", args=[case.case_number]),
                context=case.organisation.name,
                action=_("besluit over een onderzoek")
                if case.status == Status.AWAITING_APPROVAL
                else _("besluit na het onderzoeksrapport"),
            )
            for case in cases
        ],
        empty_text=gettext_lazy("Geen openstaande taken."),
        order=100,
    )


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
