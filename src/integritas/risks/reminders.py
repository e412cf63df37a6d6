"""E-mail reminders for overdue measure reviews, run by `integritas send_reminders`.

Besides the owner's work list (contributions.py), the owner of a measure whose review
date has passed gets one e-mail per organisation: a link to their overdue measures, no
content (no function, process or description). Each (measure, review date) is mailed
once: its MeasureReminder row is written in the transaction that sends the mail, so a
second run the same day (or later) sends nothing, and a failed mail rolls the row back.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.organisations.models import Organisation

from .models import Measure, MeasureReminder
from .selectors import overdue_filter


@dataclass
class ReminderResult:
    mails: int = 0
    reminders: int = 0
    without_address: int = 0


def _message() -> tuple[str, str]:
    link = (
        settings.INTEGRITAS_BASE_URL.rstrip("/")
        + reverse("risks:measure_list")
        + "?achterstallig=1"
    )
    subject = _("Herinnering: evaluatie van beheersmaatregelen")
    body = (
        _("De evaluatiedatum van een of meer maatregelen waarvan u eigenaar bent is verstreken.")
        + "\n\n"
        + _("Bekijk ze in Integritas: %(link)s") % {"link": link}
        + "\n"
    )
    return subject, body


def send_reminders(*, today: datetime.date | None = None) -> ReminderResult:
    today = today or timezone.localdate()
    result = ReminderResult()
    overdue = (
        Measure.objects.filter(overdue_filter(today))
        .exclude(reminders__review_date=F("review_date"))
        .select_related("owner")
        .order_by("owner_id", "organisation_id", "pk")
    )
    groups: dict[tuple[int, int], list[Measure]] = defaultdict(list)
    for measure in overdue.iterator(chunk_size=2000):
        groups[(measure.owner_id, measure.organisation_id)].append(measure)
    for (owner_id, organisation_id), measures in groups.items():
        owner = measures[0].owner
        if not owner.is_active or not owner.email:
            result.without_address += 1
            continue
        subject, body = _message()
        try:
            with transaction.atomic():
                MeasureReminder.objects.bulk_create(
                    [
                        MeasureReminder(measure=m, review_date=m.review_date, sent_on=today)
                        for m in measures
                    ]
                )
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])
                audit_record(
                    action="risks.review_reminder_sent",
                    object_type="accounts.user",
                    object_id=owner_id,
                    organisation=Organisation(pk=organisation_id),
                    origin=Origin.SYSTEM,
                )
        except IntegrityError:
            continue
        result.mails += 1
        result.reminders += len(measures)
    return result
