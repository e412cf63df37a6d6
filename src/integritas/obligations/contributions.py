"""What obligations offers the portal: navigation, work lists, the dossier section, and
its reminder and retention scans (notifications.scans).

Every work-list row is one query: the first WORK_COUNT_CAP matching duties by due date
(the index on organisation, status, due date), which gives the count and the oldest.
"""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas.accounts.selectors import user_roles
from integritas.core.contributions import (
    WORK_COUNT_CAP,
    Contribution,
    DossierSection,
    NavEntry,
    WorkList,
    WorkSummary,
)
from integritas.notifications.scans import ScanReport

from . import reminders, selectors
from .constants import DutyFilter, DutyStatus
from .models import Duty

_OWN_ATTR = "_obligations_own_duties"


def _summary(label: Any, duties: QuerySet[Duty], url: str, *, urgent: bool = False) -> WorkSummary:
    dates = list(
        duties.order_by("due_date", "pk").values_list("due_date", flat=True)[:WORK_COUNT_CAP]
    )
    return WorkSummary(label, len(dates), dates[0] if dates else None, url, urgent=urgent)


def _url(name: str, state: str) -> str:
    return f"{reverse(name)}?{urlencode({'status': state})}"


def work_lists(user: Any) -> Iterator[WorkList]:
    today = timezone.localdate()
    roles = user_roles(user)
    if user.has_perm("obligations.view_duties"):
        duties = selectors.duties_for_hrm(user)
        yield WorkList(
            title=gettext_lazy("Verplichtingen van medewerkers"),
            rows=[
                _summary(
                    gettext_lazy("Te laat"),
                    selectors.duties_filter(duties, state=DutyFilter.OVERDUE, today=today),
                    _url("obligations:duty_list", DutyFilter.OVERDUE),
                    urgent=True,
                ),
                _summary(
                    gettext_lazy("Binnen 14 dagen"),
                    selectors.duties_filter(duties, state=DutyFilter.DUE_SOON, today=today),
                    _url("obligations:duty_list", DutyFilter.DUE_SOON),
                ),
            ],
            empty_text=gettext_lazy("Geen verplichtingen die te laat zijn of binnenkort verlopen."),
            order=420,
        )
    if roles.is_manager:
        yield WorkList(
            title=gettext_lazy("Verplichtingen van uw team"),
            rows=[
                _summary(
                    gettext_lazy("Te laat"),
                    selectors.duties_filter(
                        selectors.duties_for_team(user), state=DutyFilter.OVERDUE, today=today
                    ),
                    _url("obligations:team", DutyFilter.OVERDUE),
                    urgent=True,
                )
            ],
            empty_text=gettext_lazy("Niemand in uw team heeft een verplichting die te laat is."),
            order=430,
        )
    if roles.employee is not None:
        own = [d for d in _own_duties(user, roles.employee) if d.status == DutyStatus.OPEN]
        if own:
            yield WorkList(
                title=gettext_lazy("Uw verplichtingen"),
                rows=[
                    WorkSummary(
                        gettext_lazy("Open verplichtingen"),
                        len(own),
                        own[0].due_date,
                        reverse("home") + "#dossier-obligations",
                        urgent=own[0].due_date < today,
                    )
                ],
                order=440,
            )


def _own_duties(user: Any, employee: Any) -> list[Duty]:
    """The employee's duties, read once per request for the work list and the dossier."""
    cached = getattr(user, _OWN_ATTR, None)
    if cached is None or cached[0] != employee.pk:
        cached = (employee.pk, selectors.dossier_duties(employee))
        setattr(user, _OWN_ATTR, cached)
    return cached[1]


def dossier_context(user: Any, employee: Any) -> dict[str, Any] | None:
    """The employee's own duties, by due date; None when they have none (one query)."""
    if employee is None:
        return None
    duties = _own_duties(user, employee)
    if not duties:
        return None
    return {"duties": duties, "today": timezone.localdate()}


def reminder_scan() -> ScanReport:
    """Duties due within 14 days or overdue: the employee gets one e-mail per stage."""
    result = reminders.send_reminders()
    warnings = []
    if result.without_address:
        warnings.append(
            _("%(count)d medewerker(s) met open verplichtingen hebben geen e-mailadres.")
            % {"count": result.without_address}
        )
    return ScanReport(
        lines=[
            _("Verplichtingen: %(mails)d e-mail(s) over %(count)d verplichting(en).")
            % {"mails": result.mails, "count": result.reminders}
        ]
        if result.mails
        else [],
        warnings=warnings,
        count=result.mails,
    )


def retention_scan(dry_run: bool) -> ScanReport:
    """R-DP-2: duties and signed forms 2 years after employment ended."""
    result = reminders.purge_expired(dry_run=dry_run)
    if result.dry_run:
        summary = _(
            "Proefrun: %(duties)d verplichting(en) en %(forms)d ondertekend(e) formulier(en) "
            "zouden worden verwijderd."
        ) % {"duties": result.duties, "forms": result.forms}
    else:
        summary = _(
            "%(duties)d verplichting(en) en %(forms)d ondertekend(e) formulier(en) verwijderd."
        ) % {"duties": result.duties, "forms": result.forms}
    lines = (
        [
            _("Bewaarplicht: %(count)d verplichting(en) van oud-medewerkers blijven bewaard.")
            % {"count": result.held}
        ]
        if result.held
        else []
    )
    return ScanReport(lines=lines, count=result.duties, summary=summary)


CONTRIBUTION = Contribution(
    app="obligations",
    navigation=(
        NavEntry(
            gettext_lazy("Verplichtingen"), "obligations:duty_list", "obligations.view_duties", 620
        ),
        NavEntry(
            gettext_lazy("Verplichtingen team"), "obligations:team", "obligations.view_team", 470
        ),
    ),
    work_lists=work_lists,
    dossier_sections=(
        DossierSection(
            key="obligations",
            title=gettext_lazy("Uw verplichtingen"),
            template_name="obligations/dossier_section.html",
            context=dossier_context,
            order=200,
        ),
    ),
)
