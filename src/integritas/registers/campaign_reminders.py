"""Reminders of the yearly re-confirmation, run by `integritas send_reminders`.

For every campaign that is open today, each participant who has not confirmed gets an
e-mail: stage 1 once the campaign is open, stage 2 in the last LAST_REMINDER_DAYS before
the close date. Each (campaign, employee, stage) is mailed once: its
ReconfirmationReminder row is written in the transaction that sends the mail, so a
second run (the same day or later) sends nothing and a failed mail rolls the row back.
A first mail sent in the last week counts for both stages. The e-mail holds a link and
the close date, never a registration.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.notifications.scans import ScanReport
from integritas.organisations.models import Employee, Organisation
from integritas.organisations.selectors import personnel_records_expired

from .campaigns import LAST_REMINDER_DAYS, participants
from .models import Reconfirmation, ReconfirmationCampaign, ReconfirmationReminder

logger = logging.getLogger(__name__)

OPENED = 1
LAST_WEEK = 2


@dataclass
class ReminderResult:
    mails: int = 0
    without_address: int = 0


def stage_for(campaign: ReconfirmationCampaign, today: datetime.date) -> int:
    if campaign.closes_on - today <= datetime.timedelta(days=LAST_REMINDER_DAYS):
        return LAST_WEEK
    return OPENED


def _recipient(employee: Employee) -> str:
    if employee.email:
        return employee.email
    user = employee.user
    return user.email if user is not None and user.is_active else ""


def _message(campaign: ReconfirmationCampaign) -> tuple[str, str]:
    link = settings.INTEGRITAS_BASE_URL.rstrip("/") + reverse("registers:reconfirm")
    subject = _("Herinnering: bevestig uw registraties")
    body = (
        _(
            "Bevestig uiterlijk %(date)s dat uw registraties (nevenwerkzaamheden en, als "
            "dat voor uw functie geldt, financiële belangen) volledig zijn: %(link)s"
        )
        % {"date": date_format(campaign.closes_on, "j F Y"), "link": link}
        + "\n"
    )
    return subject, body


def _due(campaign: ReconfirmationCampaign, stage: int, today: datetime.date) -> QuerySet[Employee]:
    return (
        participants(campaign, today)
        .filter(start_date__lte=today)
        .exclude(Exists(Reconfirmation.objects.filter(campaign=campaign, employee=OuterRef("pk"))))
        .exclude(
            Exists(
                ReconfirmationReminder.objects.filter(
                    campaign=campaign, employee=OuterRef("pk"), stage=stage
                )
            )
        )
        .select_related("user")
        .only("pk", "organisation_id", "email", "user__email", "user__is_active")
        .order_by("pk")
    )


def send_campaign_reminders(*, today: datetime.date | None = None) -> ReminderResult:
    """Idempotent: what was sent for a stage is never sent again."""
    today = today or timezone.localdate()
    result = ReminderResult()
    open_campaigns = ReconfirmationCampaign.objects.filter(
        opens_on__lte=today, closes_on__gte=today
    ).order_by("pk")
    for campaign in open_campaigns:
        stage = stage_for(campaign, today)
        subject, body = _message(campaign)
        organisation = Organisation(pk=campaign.organisation_id)
        for employee in _due(campaign, stage, today).iterator(chunk_size=2000):
            address = _recipient(employee)
            if not address:
                result.without_address += 1
                continue
            try:
                with transaction.atomic():
                    # The earlier stages count as done; the stage itself is the guard.
                    ReconfirmationReminder.objects.bulk_create(
                        [
                            ReconfirmationReminder(
                                campaign=campaign, employee=employee, stage=s, sent_on=today
                            )
                            for s in range(OPENED, stage)
                        ],
                        ignore_conflicts=True,
                    )
                    ReconfirmationReminder.objects.create(
                        campaign=campaign, employee=employee, stage=stage, sent_on=today
                    )
                    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
                    audit_record(
                        action="registers.campaign.reminder_sent",
                        object_type="organisations.employee",
                        object_id=employee.pk,
                        organisation=organisation,
                        origin=Origin.SYSTEM,
                    )
            except IntegrityError:
                continue  # sent by a run at the same moment
            except OSError:
                logger.warning("A re-confirmation reminder could not be sent; retried next run.")
                continue
            result.mails += 1
    return result


def reminder_scan() -> ScanReport:
    result = send_campaign_reminders()
    warnings = []
    if result.without_address:
        warnings.append(
            _("%(count)d medewerker(s) die nog moeten herbevestigen hebben geen e-mailadres.")
            % {"count": result.without_address}
        )
    lines = (
        [_("Herbevestiging: %(mails)d herinnering(en) verstuurd.") % {"mails": result.mails}]
        if result.mails
        else []
    )
    return ScanReport(lines=lines, warnings=warnings, count=result.mails)


# --------------------------------------------------------------------------- retention


def purge_expired_confirmations(*, dry_run: bool, today: datetime.date | None = None) -> int:
    """R-DP-2: the confirmations and reminders of people whose employment ended more
    than two years ago go with their registrations; a legal hold on the employee keeps
    them (R-DP-2). Idempotent."""
    from .services import retention_cutoff

    today = today or timezone.localdate()
    cutoff = retention_cutoff(today)
    expired = Reconfirmation.objects.filter(personnel_records_expired(cutoff))
    if dry_run:
        return expired.count()
    with transaction.atomic():
        per_org = dict(
            expired.values_list("campaign__organisation_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("campaign__organisation_id", "n")
        )
        ReconfirmationReminder.objects.filter(personnel_records_expired(cutoff)).delete()
        Reconfirmation.objects.filter(pk__in=list(expired.values_list("pk", flat=True))).delete()
        for organisation_id, count in sorted(per_org.items()):
            audit_record(
                action="registers.campaign.purged",
                object_type="registers.reconfirmation",
                object_id=count,
                organisation=Organisation(pk=organisation_id),
                origin=Origin.SYSTEM,
            )
    return sum(per_org.values())


def retention_scan(dry_run: bool) -> ScanReport:
    count = purge_expired_confirmations(dry_run=dry_run)
    if dry_run:
        summary = _(
            "Proefrun: %(count)d herbevestiging(en) van oud-medewerkers zouden worden verwijderd."
        )
    else:
        summary = _("%(count)d herbevestiging(en) van oud-medewerkers verwijderd.")
    return ScanReport(count=count, summary=summary % {"count": count})
