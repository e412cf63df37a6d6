"""Deadline reminders for open cases (R-WBK-3, R-WBK-4): an idempotent scan.

`integritas send_reminders` (run it daily, or more often) looks at every open case, asks
deadlines.reminder_due which stage is due for the acknowledgement and the feedback
deadline, and mails the case's coordinators once per (case, deadline, stage). The row in
ReminderSent is written in the same transaction as the mail is sent: a second run finds
it and sends nothing; a failed mail rolls the row back, so the next run tries again.

The e-mail names the case number and the date, never content.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.accounts.selectors import role_holders
from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.cases.access import case_access
from integritas.cases.constants import CLOSED_STATUSES
from integritas.cases.models import Case, CaseHandler, ReminderSent

from .deadlines import acknowledgement_due, feedback_due, local_date, reminder_due

ACKNOWLEDGEMENT = "acknowledgement"
FEEDBACK = "feedback"


@dataclass
class ReminderResult:
    sent: list[tuple[str, str, int]] = field(default_factory=list)  # case number, kind, stage
    without_recipients: list[str] = field(default_factory=list)


def due_reminders(case: Case, now: datetime.datetime) -> list[tuple[str, int, datetime.datetime]]:
    """(kind, stage, due) for each deadline of `case` whose reminder stage is due now."""
    if case.status in CLOSED_STATUSES:
        return []
    found = []
    if case.acknowledged_at is None:
        due = acknowledgement_due(case.received_at)
        stage = reminder_due(due, now)
        if stage is not None:
            found.append((ACKNOWLEDGEMENT, stage, due))
    if case.feedback_given_at is None:
        due = feedback_due(case.received_at, case.acknowledged_at)
        stage = reminder_due(due, now)
        if stage is not None:
            found.append((FEEDBACK, stage, due))
    return found


def coordinator_recipients(case: Case) -> list[str]:
    """E-mail addresses of those who handle the case as coordinator, never someone involved."""
    holders = role_holders(Role.INTEGRITY_COORDINATOR, case.organisation)
    user_ids = set(holders.values_list("pk", flat=True))
    user_ids |= set(
        CaseHandler.objects.filter(
            case=case, role=Role.INTEGRITY_COORDINATOR, active=True
        ).values_list("user_id", flat=True)
    )
    users = User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="").order_by("pk")
    return [user.email for user in users if case_access(user, case).as_coordinator]


def _link() -> str:
    base = settings.INTEGRITAS_BASE_URL.rstrip("/")
    try:
        return base + reverse("cases:inbox")
    except NoReverseMatch:
        return base + "/"


def _message(case: Case, kind: str, due: datetime.datetime) -> tuple[str, str]:
    day = local_date(due).strftime("%d-%m-%Y")
    if kind == ACKNOWLEDGEMENT:
        line = _("melding %(number)s: ontvangstbevestiging uiterlijk %(date)s")
    else:
        line = _("melding %(number)s: terugkoppeling uiterlijk %(date)s")
    line = line % {"number": case.case_number, "date": day}
    subject = _("Herinnering termijn Meldpunt Integriteit")
    body = f"{line}\n\n{_('Bekijk de inbox: %(link)s') % {'link': _link()}}\n"
    return subject, body


def reminder_send(
    *, case: Case, kind: str, stage: int, due: datetime.datetime, now: datetime.datetime
) -> bool:
    """Record and send one reminder; False when it was sent before (or nobody to send to)."""
    recipients = coordinator_recipients(case)
    if not recipients:
        return False
    try:
        with transaction.atomic():
            ReminderSent.objects.create(case=case, kind=kind, stage=stage, sent_at=now)
            subject, body = _message(case, kind, due)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
            audit_record(
                action=f"case.reminder_{kind}",
                obj=case,
                organisation=case.organisation,
                origin=Origin.SYSTEM,
            )
    except IntegrityError:
        return False
    return True


def send_reminders(*, now: datetime.datetime | None = None) -> ReminderResult:
    now = now or timezone.now()
    result = ReminderResult()
    sent = set(
        ReminderSent.objects.filter(case__in=_open_cases().values("pk")).values_list(
            "case_id", "kind", "stage"
        )
    )
    for case in _open_cases().select_related("organisation"):
        for kind, stage, due in due_reminders(case, now):
            if (case.pk, kind, stage) in sent:
                continue
            if reminder_send(case=case, kind=kind, stage=stage, due=due, now=now):
                result.sent.append((case.case_number, kind, stage))
            elif not ReminderSent.objects.filter(case=case, kind=kind, stage=stage).exists():
                result.without_recipients.append(case.case_number)
    return result


def _open_cases() -> QuerySet[Case]:
    """Open cases still waiting for an acknowledgement or for feedback; no content loaded."""
    return (
        Case.objects.exclude(status__in=CLOSED_STATUSES)
        .filter(Q(acknowledged_at__isnull=True) | Q(feedback_given_at__isnull=True))
        .defer("description_enc", "details_enc", "decision_note_enc", "wrapped_key")
        .order_by("pk")
    )
