"""The public face of the Meldpunt's writes, for other apps, the API and tests.

Every write lives in the room of its work (intake, mailbox, handling, investigation,
retention, substitutes): one transaction each, permission-checked and audited. Code inside
`cases` imports from those rooms; everything else imports from here.
"""

from .handling.channels import case_record_report
from .handling.identity import case_disclose_identity, case_reveal_identity
from .handling.records import (
    case_protection_log_add,
    case_record_aangifte,
    case_record_referral,
    case_record_referral_outcome,
)
from .handling.services import (
    case_add_note,
    case_assess,
    case_assign_investigator,
    case_link_involved,
    case_message_to_reporter,
    case_record_decision,
    case_transition,
    case_unlink_involved,
)
from .intake.services import (
    PROOF_REFUSED_MESSAGE,
    IntakeProofRefused,
    IntakeRefused,
    IntakeResult,
    Submission,
    case_submit,
    form_token_used,
    intake_receipt_forget,
    intake_receipt_take,
    intake_receipts_expire,
    intake_submit,
    receipt_code_new,
    receipt_code_normalise,
)
from .investigation.services import (
    case_add_evidence,
    case_add_investigation_record,
    case_record_subject_informed,
)
from .mailbox.services import (
    MailboxRefused,
    MailboxSession,
    MailboxThrottled,
    case_minutes_approve,
    case_reporter_reply,
    mailbox_client_key,
    mailbox_open,
    mailbox_read,
)
from .retention.services import case_set_legal_hold, retention_until, retention_years
from .substitutes.services import (
    can_decide_substitute,
    substitute_decide,
    substitute_request,
    substitute_revoke,
    substitutes_designated,
)

__all__ = [
    "PROOF_REFUSED_MESSAGE",
    "IntakeProofRefused",
    "IntakeRefused",
    "IntakeResult",
    "MailboxRefused",
    "MailboxSession",
    "MailboxThrottled",
    "Submission",
    "can_decide_substitute",
    "case_add_evidence",
    "case_add_investigation_record",
    "case_add_note",
    "case_assess",
    "case_assign_investigator",
    "case_disclose_identity",
    "case_link_involved",
    "case_message_to_reporter",
    "case_minutes_approve",
    "case_protection_log_add",
    "case_record_aangifte",
    "case_record_decision",
    "case_record_referral",
    "case_record_referral_outcome",
    "case_record_report",
    "case_record_subject_informed",
    "case_reporter_reply",
    "case_reveal_identity",
    "case_set_legal_hold",
    "case_submit",
    "case_transition",
    "case_unlink_involved",
    "form_token_used",
    "intake_receipt_forget",
    "intake_receipt_take",
    "intake_receipts_expire",
    "intake_submit",
    "mailbox_client_key",
    "mailbox_open",
    "mailbox_read",
    "receipt_code_new",
    "receipt_code_normalise",
    "retention_until",
    "retention_years",
    "substitute_decide",
    "substitute_request",
    "substitute_revoke",
    "substitutes_designated",
]
