"""What `risks` offers the home page and the navigation.

Work lists, one small query per row (at most WORK_COUNT_CAP items, oldest first, from an
index that matches the row): the owner's measures whose review date has passed (any role
can own a measure), and for HRM / the functionaris integriteit the assessments still in
draft and the confirmed ones whose consequences for the function's profile wait.
"""

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.core.contributions import (
    WORK_COUNT_CAP,
    Contribution,
    NavEntry,
    WorkLink,
    WorkList,
    WorkSummary,
)
from integritas.notifications.scans import ScanReport

from . import reminders
from .constants import AssessmentStatus
from .models import Measure, RiskAssessment
from .permissions import edit_organisation_ids
from .selectors import overdue_filter


def work_lists(user: Any) -> Iterator[WorkList]:
    if user_roles(user).has(Role.WORKING_GROUP):
        # Merged with the working group's list of awareness (same key).
        yield WorkList(
            title=_("Werkgroep integriteit"),
            intro=_(
                "Wat de organisaties in de regio doen aan bewustwording en kwetsbare "
                "functies, voor voorstellen en de evaluatie."
            ),
            links=[WorkLink(_("Heatmap van de regio"), reverse("risks:region"))],
            order=450,
            key="working_group",
        )
    rows: list[WorkSummary] = []
    today = timezone.localdate()
    overdue = list(
        Measure.objects.filter(overdue_filter(today), owner=user)
        .order_by("review_date")
        .values_list("review_date", flat=True)[:WORK_COUNT_CAP]
    )
    if overdue:
        rows.append(
            WorkSummary(
                _("Maatregelen met een verlopen evaluatiedatum"),
                len(overdue),
                overdue[0],
                reverse("risks:measure_list") + "?achterstallig=1",
                urgent=True,
            )
        )
    editable = edit_organisation_ids(user)
    if editable:
        drafts = list(
            RiskAssessment.objects.filter(
                organisation_id__in=editable, status=AssessmentStatus.DRAFT
            )
            .order_by("updated_at")
            .values_list("updated_at", flat=True)[:WORK_COUNT_CAP]
        )
        pending = list(
            RiskAssessment.objects.filter(
                organisation_id__in=editable,
                status=AssessmentStatus.CONFIRMED,
                profile_applied_on__isnull=True,
            )
            .order_by("updated_at")
            .values_list("updated_at", flat=True)[:WORK_COUNT_CAP]
        )
        overview = reverse("risks:overview")
        rows.append(
            WorkSummary(
                _("Risicoanalyses van functies in concept"),
                len(drafts),
                timezone.localdate(drafts[0]) if drafts else None,
                overview,
            )
        )
        rows.append(
            WorkSummary(
                _("Vastgestelde risicoanalyses waarvan de gevolgen nog niet zijn doorgevoerd"),
                len(pending),
                timezone.localdate(pending[0]) if pending else None,
                overview,
            )
        )
    if rows:
        yield WorkList(
            title=_("Kwetsbare functies"),
            rows=rows,
            empty_text=_("Er wachten geen risicoanalyses of evaluaties van maatregelen."),
            links=[WorkLink(_("Naar de kwetsbare functies"), reverse("risks:overview"))]
            if editable
            else [],
            order=420,
        )


CONTRIBUTION = Contribution(
    app="risks",
    navigation=(NavEntry(_("Kwetsbare functies"), "risks:overview", "risks.view_any", 470),),
    work_lists=work_lists,
)


def reminder_scan() -> ScanReport:
    """Overdue measure reviews: the owner gets one e-mail (a link, no content)."""
    result = reminders.send_reminders()
    warnings = []
    if result.without_address:
        warnings.append(
            _("%(count)d eigenaar(s) van maatregelen hebben geen e-mailadres.")
            % {"count": result.without_address}
        )
    return ScanReport(
        lines=[
            _("Maatregelen: %(mails)d e-mail(s) over %(count)d verlopen evaluatie(s).")
            % {"mails": result.mails, "count": result.reminders}
        ]
        if result.mails
        else [],
        warnings=warnings,
        count=result.mails,
    )
