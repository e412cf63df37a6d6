"""Reminders before and after due dates, and the retention of duty records (R-DP-2).

`integritas send_reminders` runs `reminder_scan` daily. Stage 1: an open duty due within
DUE_SOON_DAYS; stage 2: an open duty past its due date. Each (duty, stage) is mailed once:
its DutyReminder row is written in the transaction that sends the mail, so a second run
(the same day or later) sends nothing, and a failed mail rolls the row back. One e-mail
per employee names the duties and their dates, and links to "Mijn integriteit".
The scan first makes the year's duties (yearly_duties_plan) and closes leavers' duties.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.organisations.models import Employee, Organisation
from integritas.organisations.selectors import personnel_records_expired, personnel_records_held

from . import services
from .constants import DUE_SOON_DAYS, RETENTION_YEARS, DutyStatus
from .deadlines import add_months
from .models import Duty, DutyReminder, SignedForm

logger = logging.getLogger(__name__)

BEFORE = 1
AFTER = 2


@dataclass
class ReminderResult:
    mails: int = 0
    reminders: int = 0
    without_address: int = 0
    lines: list[str] = field(default_factory=list)


def _stage(duty: Duty, today: datetime.date) -> int:
    return AFTER if duty.due_date < today else BEFORE


def _recipient(employee: Employee) -> str:
    if employee.email:
        return employee.email
    user = employee.user
    return user.email if user is not None and user.is_active else ""


def _message(duties: list[Duty], today: datetime.date) -> tuple[str, str]:
    lines = []
    for duty in duties:
        if duty.due_date < today:
            line = _("%(duty)s: was uiterlijk %(date)s (te laat)")
        else:
            line = _("%(duty)s: uiterlijk %(date)s")
        lines.append(
            "- "
            + line % {"duty": duty.get_kind_display(), "date": duty.due_date.strftime("%d-%m-%Y")}
        )
    link = settings.INTEGRITAS_BASE_URL.rstrip("/") + reverse("home")
    subject = _("Herinnering: uw verplichtingen bij indiensttreding en integriteit")
    body = (
        _("Er staan verplichtingen voor u open:")
        + "\n\n"
        + "\n".join(lines)
        + "\n\n"
        + _("Bekijk ze op Mijn integriteit: %(link)s") % {"link": link}
        + "\n"
    )
    return subject, body


def send_reminders(*, today: datetime.date | None = None) -> ReminderResult:
    today = today or timezone.localdate()
    result = ReminderResult()
    services.duties_close_for_leavers(today=today)
    services.yearly_duties_plan(today=today)
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    due = (
        Duty.objects.filter(status=DutyStatus.OPEN, due_date__lte=horizon)
        .filter(Q(employee__end_date__isnull=True) | Q(employee__end_date__gte=today))
        .select_related("employee", "employee__user")
        .order_by("employee_id", "due_date", "pk")
    )
    sent = set(
        DutyReminder.objects.filter(
            duty__status=DutyStatus.OPEN, duty__due_date__lte=horizon
        ).values_list("duty_id", "stage")
    )
    per_employee: dict[int, list[Duty]] = defaultdict(list)
    for duty in due.iterator(chunk_size=2000):
        if (duty.pk, _stage(duty, today)) not in sent:
            per_employee[duty.employee_id].append(duty)
    for duties in per_employee.values():
        employee = duties[0].employee
        address = _recipient(employee)
        if not address:
            result.without_address += 1
            continue
        subject, body = _message(duties, today)
        try:
            with transaction.atomic():
                DutyReminder.objects.bulk_create(
                    [DutyReminder(duty=d, stage=_stage(d, today), sent_on=today) for d in duties]
                )
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
                audit_record(
                    action="obligations.reminder_sent",
                    object_type="organisations.employee",
                    object_id=employee.pk,
                    organisation=Organisation(pk=employee.organisation_id),
                    origin=Origin.SYSTEM,
                )
        except IntegrityError:
            continue
        result.mails += 1
        result.reminders += len(duties)
    return result


@dataclass
class PurgeResult:
    duties: int = 0
    forms: int = 0
    dry_run: bool = False
    #: Expired duties that a legal hold on their employee keeps (R-DP-2).
    held: int = 0


def purge_expired(*, dry_run: bool, today: datetime.date | None = None) -> PurgeResult:
    """R-DP-2: duty records and signed forms of people whose employment ended more than
    RETENTION_YEARS ago are deleted, the stored files after the commit; those of people
    under a legal hold stay, counted in `held`."""
    today = today or timezone.localdate()
    cutoff = add_months(today, -12 * RETENTION_YEARS)
    expired = Duty.objects.filter(personnel_records_expired(cutoff))
    held = Duty.objects.filter(personnel_records_held(cutoff)).count()
    forms = SignedForm.objects.filter(duty__in=expired.values("pk"))
    if dry_run:
        return PurgeResult(expired.count(), forms.count(), dry_run=True, held=held)
    result = PurgeResult(held=held)
    with transaction.atomic():
        names = list(forms.values_list("storage_name", flat=True))
        result.forms = len(names)
        by_org: dict[int, int] = defaultdict(int)
        for organisation_id in expired.values_list("organisation_id", flat=True):
            by_org[organisation_id] += 1
        DutyReminder.objects.filter(duty__in=expired.values("pk")).delete()
        forms.delete()
        result.duties = (
            Duty.objects.filter(pk__in=expired.values("pk")).delete()[1].get(Duty._meta.label, 0)
        )
        for organisation_id, count in sorted(by_org.items()):
            audit_record(
                action="obligations.duties_purged",
                object_type="obligations.duty",
                object_id=count,
                organisation=Organisation(pk=organisation_id),
                origin=Origin.SYSTEM,
            )
        transaction.on_commit(lambda: _delete_files(names))
    return result


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - the next purge of orphans removes it
            logger.warning("obligations: a signed form could not be deleted")
