"""The reporter's writes from the mailbox: a reply, a correction, approving the minutes.

No actor and nothing about the client is kept; the audit event names only the case.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.audit.services import audit_record
from integritas.cases.constants import MessageDirection
from integritas.cases.models import Case, CaseMessage
from integritas.cases.notices import tasks
from integritas.cases.writes import create_sealed


def case_reporter_reply(*, case: Case, body: str, is_correction: bool = False) -> CaseMessage:
    """The reporter answers from the mailbox: no actor, nothing about the client kept.

    `is_correction` labels the reply as a correction of the minutes (R-WBK-8).
    """
    if not body.strip():
        raise ValidationError({"body": _("Schrijf een bericht.")})
    with transaction.atomic():
        message = create_sealed(
            CaseMessage,
            case,
            {"body_enc": ("message", body)},
            direction=MessageDirection.FROM_REPORTER,
            is_correction=is_correction,
        )
        audit_record(action="case.reporter_reply", obj=case, organisation=case.organisation)
        tasks.enqueue_on_commit(tasks.notify_reporter_replied, case.pk)
    return message


def case_minutes_approve(*, case: Case, message: CaseMessage) -> CaseMessage:
    """The reporter approves the minutes of their oral report from the mailbox (R-WBK-8).

    Only minutes of this case that await approval; approving twice is refused. No actor
    and nothing about the client is kept; the audit event names only the case.
    """
    with transaction.atomic():
        locked = (
            CaseMessage.objects.select_for_update()
            .filter(pk=message.pk, case=case, direction=MessageDirection.TO_REPORTER)
            .first()
        )
        if locked is None or not locked.needs_approval:
            raise ValidationError(_("Dit bericht is geen verslag om goed te keuren."))
        if locked.approved_at is not None:
            raise ValidationError(_("U heeft dit verslag al goedgekeurd."))
        if locked.superseded_at is not None:
            raise ValidationError(
                _("Dit verslag is vervangen door een nieuwere versie; keur die versie goed.")
            )
        locked.approved_at = timezone.now()
        locked.save(update_fields=["approved_at", "updated_at"])
        audit_record(action="case.minutes_approved", obj=case, organisation=case.organisation)
        tasks.enqueue_on_commit(tasks.notify_reporter_replied, case.pk)
    return locked
