"""The reporter's mailbox: opening it with the receipt code, reading it, and the reporter's
writes (a reply, a correction, approving the minutes).

The web page (/meldpunt/postvak/) and the API open and read it through the same functions
here, so they share one guessing budget per client and the same slowdown. No actor and
nothing about the client is kept; the audit event names only the case; the throttle keeps
only a daily-rotating keyed hash of the address (core/throttle.py).
"""

import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.cases.constants import MessageDirection
from integritas.cases.intake.services import receipt_code_normalise
from integritas.cases.models import Case, CaseMessage
from integritas.cases.notices import tasks
from integritas.cases.writes import create_sealed
from integritas.core import throttle

from .selectors import ReporterView, case_by_receipt, case_for_reporter

# Guessing receipt codes: per client (keyed hash of the address, one budget for the web
# page and the API) and over all clients together, which slows answers down instead of
# refusing them.
THROTTLE_SCOPE = "postvak"
THROTTLE_LIMIT = 5
THROTTLE_MINUTES = 15
THROTTLE_RETRY_AFTER_SECONDS = THROTTLE_MINUTES * 60
GLOBAL_THROTTLE_KEY = f"{throttle.GLOBAL_KEY}:{THROTTLE_SCOPE}"
GLOBAL_SLOWDOWN_FROM = 200
GLOBAL_SLOWDOWN_MAX_SECONDS = 1.0


@dataclass(frozen=True)
class MailboxThrottled:
    """Too many failed attempts from this client; the code was not even looked at."""

    retry_after: int  # seconds, for the Retry-After header


@dataclass(frozen=True)
class MailboxRefused:
    """No report has this code; `malformed`: no code could be read from the input at all."""

    malformed: bool


@dataclass(frozen=True)
class MailboxSession:
    """The receipt code was right: the channel may open this case's mailbox."""

    case: Case


def mailbox_client_key(request: HttpRequest) -> str:
    """The client's key in the mailbox throttle (never the address itself)."""
    return throttle.client_key(request, THROTTLE_SCOPE)


def _slow_down_when_busy() -> None:
    """Under a broad guessing attack, answer everyone more slowly rather than refuse."""
    total = throttle.count(GLOBAL_THROTTLE_KEY, THROTTLE_MINUTES)
    if total > GLOBAL_SLOWDOWN_FROM:
        excess = (total - GLOBAL_SLOWDOWN_FROM) / GLOBAL_SLOWDOWN_FROM
        time.sleep(min(GLOBAL_SLOWDOWN_MAX_SECONDS, 0.25 + excess))


def mailbox_open(
    *, receipt_code: str | None, client_key: str
) -> MailboxSession | MailboxThrottled | MailboxRefused:
    """Check a receipt code for the mailbox (R-WBK-9), guarded against guessing.

    `receipt_code` is the code as entered (spaces and dashes allowed), or None when the
    channel could not read one from the input at all; both count as an attempt. Every
    attempt is counted before the slow hash, so parallel guesses cannot slip past the
    limit and a blocked client costs next to nothing; a failure also counts towards the
    global slowdown; a right code takes its attempt back, so only failures count.
    """
    if not throttle.attempt(client_key, THROTTLE_MINUTES, THROTTLE_LIMIT):
        return MailboxThrottled(retry_after=THROTTLE_RETRY_AFTER_SECONDS)
    _slow_down_when_busy()
    code = receipt_code_normalise(receipt_code) if receipt_code is not None else None
    case = case_by_receipt(code) if code is not None else None
    if case is None:
        throttle.record(GLOBAL_THROTTLE_KEY)  # the client's own attempt is counted already
        return MailboxRefused(malformed=code is None)
    throttle.release(client_key)
    return MailboxSession(case=case)


def mailbox_read(*, case: Case, origin: str = Origin.WEB) -> ReporterView:
    """What the reporter reads in their mailbox; the read is audited (no actor)."""
    view = case_for_reporter(case)
    audit_record(
        action="case.mailbox_read", obj=case, organisation=case.organisation, origin=origin
    )
    return view


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
        tasks.enqueue_in_transaction(tasks.notify_reporter_replied, case.pk)
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
        tasks.enqueue_in_transaction(tasks.notify_reporter_replied, case.pk)
    return locked
