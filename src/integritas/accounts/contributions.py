"""The navigation entries of the pages this app keeps: user and role administration,
the organisations' settings, the employee list, the HR import and the audit log; and the
home page's lists of the administrator (four eyes, bursts of refused requests), HRM (gaps
in the HR data) and the roles whose work is not in Integritas yet."""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from integritas.audit.constants import Result
from integritas.audit.denials import BURST
from integritas.core.contributions import (
    WORK_COUNT_CAP,
    Contribution,
    NavEntry,
    WorkLink,
    WorkList,
    WorkSummary,
)

from .audit_log.selectors import events_visible_to
from .constants import AssignmentStatus, Role
from .selectors import (
    assignments_for_administration,
    employees_without,
    user_roles,
)


def _local(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _assignments_to_decide(user: Any) -> Iterator[WorkList]:
    """Four eyes (R-BIO-2): requests in the administrator's scope that they may decide —
    never one they asked for, never one that grants them a role (can_decide_grant)."""
    if not user.has_perm("accounts.manage_grants"):
        return
    found = (
        assignments_for_administration(user)
        .filter(status=AssignmentStatus.PENDING)
        .exclude(requested_by=user)
        .exclude(user=user)
        .order_by()
        .aggregate(n=Count("pk"), oldest=Min("created_at"))
    )
    yield WorkList(
        title=_("Goedkeuren (vier ogen)"),
        rows=[
            WorkSummary(
                _("Roltoewijzingen"),
                found["n"],
                _local(found["oldest"]),
                reverse("accounts:assignment_list"),
            )
        ],
        empty_text=_("Geen verzoeken die op uw goedkeuring wachten."),
        order=200,
        key="four_eyes",
    )


#: How far back the administrator's home page looks for bursts of refused requests.
DENIED_BURST_DAYS = 7


def _denied_bursts(user: Any) -> Iterator[WorkList]:
    """Bursts of refused requests in the administrator's chains (audit/denials.py): one
    event each time a user passed the bound of a window. One query, oldest first from
    the (action, time) index, at most WORK_COUNT_CAP rows."""
    if not user.has_perm("audit.view_events"):
        return
    # Whole local days, as the audit log's date filter that the row links to.
    first_day = timezone.localdate() - timedelta(days=DENIED_BURST_DAYS)
    since = timezone.make_aware(datetime.combine(first_day, time.min))
    first = (
        events_visible_to(user)
        .filter(action=BURST, timestamp__gte=since)
        .order_by("timestamp")
        .values_list("timestamp", flat=True)[:WORK_COUNT_CAP]
    )
    found = list(first)
    query = urlencode(
        {"action": BURST, "result": Result.DENIED, "date_from": first_day.isoformat()}
    )
    yield WorkList(
        title=_("Geweigerde toegang"),
        rows=[
            WorkSummary(
                _("Reeksen van veel geweigerde verzoeken (laatste 7 dagen)"),
                len(found),
                _local(found[0]) if found else None,
                f"{reverse('audit:event_list')}?{query}",
            )
        ],
        empty_text=_("Geen reeksen van geweigerde verzoeken in de laatste 7 dagen."),
        order=210,
    )


def _hr_data_gaps(user: Any) -> Iterator[WorkList]:
    """What the HR import left open: current employees without a department or a
    function (their manager and their integrity profile follow from those). Two queries,
    each reading only the employees with that gap (capped, oldest first, along a partial
    index), never every employee of an organisation of 20,000."""
    if not user.has_perm("organisations.import_hr"):
        return
    url = reverse("organisations:hr_import")
    rows = []
    for label, field in (
        (_("Medewerkers zonder afdeling"), "org_unit"),
        (_("Medewerkers zonder functie"), "function"),
    ):
        moments = employees_without(user, field)
        rows.append(WorkSummary(label, len(moments), _local(moments[0] if moments else None), url))
    yield WorkList(
        title=_("HR-gegevens aanvullen"),
        rows=rows,
        empty_text=_("Alle huidige medewerkers hebben een afdeling en een functie."),
        order=300,
    )


# Roles whose own work comes to Integritas later: what they will find here, where to go now.
_LATER = {
    Role.WORKS_COUNCIL: (
        _("Ondernemingsraad"),
        _(
            "Hier vindt u later de evaluaties van het integriteitsbeleid en de voorstellen "
            "waarover de ondernemingsraad instemming geeft (gedragscode, meldregeling). "
            "Die staan nog niet in Integritas."
        ),
    ),
    Role.WORKING_GROUP: (
        _("Werkgroep integriteit"),
        _(
            "Hier vindt u later de regionale voorstellen en evaluaties van de werkgroep. "
            "Die staan nog niet in Integritas."
        ),
    ),
    Role.MANAGEMENT_BOARD: (
        _("Directie"),
        _(
            "Hier vindt u later de jaarlijkse evaluatie en de verantwoording over "
            "integriteit, ter vaststelling. Die staan nog niet in Integritas."
        ),
    ),
}


def _later(user: Any) -> Iterator[WorkList]:
    roles = user_roles(user)
    for role, (title, intro) in _LATER.items():
        if roles.has(role):
            yield WorkList(
                title=title,
                intro=intro,
                links=[WorkLink(_("Melding doen of een vertrouwenspersoon vinden"), _meldpunt())],
                order=400,
            )


def _meldpunt() -> str:
    return reverse("meldpunt:intake")


def work_lists(user: Any) -> Iterator[WorkList]:
    yield from _assignments_to_decide(user)
    yield from _denied_bursts(user)
    yield from _hr_data_gaps(user)
    yield from _later(user)


CONTRIBUTION = Contribution(
    app="accounts",
    navigation=(
        NavEntry(
            _("Medewerkers"), "organisations:employee_list", "organisations.view_employees", 600
        ),
        NavEntry(_("HR-import"), "organisations:hr_import", "organisations.import_hr", 610),
        NavEntry(_("Gebruikers"), "accounts:user_list", "accounts.manage_users", 800),
        NavEntry(_("Roltoewijzingen"), "accounts:assignment_list", "accounts.manage_users", 810),
        NavEntry(_("Toegangsreview"), "accounts:access_review", "accounts.view_access_review", 820),
        NavEntry(
            _("Organisaties"),
            "organisations:organisation_list",
            "organisations.change_settings",
            830,
        ),
        NavEntry(_("Auditlog"), "audit:event_list", "audit.view_events", 860),
    ),
    work_lists=work_lists,
)
