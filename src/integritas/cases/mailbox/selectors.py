"""Reads of the reporter's mailbox: the case behind a receipt code, and what the reporter
may read of it (their own text and the messages, never an internal note)."""

import datetime
from dataclasses import dataclass

from integritas.cases import vault
from integritas.cases.models import Case, CaseMessage
from integritas.core import crypto


def case_by_receipt(receipt_code: str) -> Case | None:
    """Find a case by its receipt code (slow keyed hash, compared in constant time)."""
    lookup = crypto.receipt_lookup_hash(receipt_code)
    case = Case.objects.select_related("organisation").filter(receipt_lookup=lookup).first()
    if case is None or not crypto.constant_time_equal(case.receipt_lookup or "", lookup):
        return None
    return case


def case_for_mailbox(case_id: object) -> Case | None:
    """The case behind a valid mailbox cookie (the receipt code was checked at entry)."""
    if not isinstance(case_id, int):
        return None
    return Case.objects.select_related("organisation").filter(pk=case_id).first()


@dataclass(frozen=True)
class ReporterMessage:
    direction: str
    body: str
    created_at: datetime.datetime
    pk: int = 0
    needs_approval: bool = False  # minutes the reporter may approve (R-WBK-8)
    approved_at: datetime.datetime | None = None
    superseded_at: datetime.datetime | None = None  # replaced by newer minutes
    is_correction: bool = False


@dataclass(frozen=True)
class ReporterView:
    """What the reporter may read in the mailbox: their own text and the messages."""

    case: Case
    description: str
    messages: list[ReporterMessage]


def case_for_reporter(case: Case) -> ReporterView:
    """Decrypt the reporter's own description and the two-way messages (no internal notes)."""
    messages = [
        ReporterMessage(
            direction=message.direction,
            body=vault.unseal(case, "message", message.body_enc, row=message.pk),
            created_at=message.created_at,
            pk=message.pk,
            needs_approval=message.needs_approval,
            approved_at=message.approved_at,
            superseded_at=message.superseded_at,
            is_correction=message.is_correction,
        )
        for message in case.messages.order_by("created_at", "pk")
    ]
    return ReporterView(
        case=case,
        description=vault.unseal(case, "description", case.description_enc),
        messages=messages,
    )


def case_message_for_reporter(case: Case, message_id: int) -> CaseMessage | None:
    """A message of the reporter's own case; another case's id finds nothing."""
    return CaseMessage.objects.filter(case=case, pk=message_id).first()
