"""The reporter's identity: opened by the coordinator with a reason, and shared only on
the reporter's consent or a legal duty (R-WBK-7). Both are recorded and audited."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from integritas.accounts.constants import Role
from integritas.audit.services import audit_record
from integritas.cases import vault
from integritas.cases.access import case_access
from integritas.cases.constants import DisclosureGround, DisclosureRecipient, IdentityMode
from integritas.cases.models import Case, CaseNote, ReporterIdentity
from integritas.cases.writes import create_sealed, lock, require

from .services import case_message_to_reporter


def case_reveal_identity(*, actor: Any, case: Case, reason: str) -> dict[str, Any]:
    """Open the identity vault: the coordinator only, with a reason, always audited."""
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": _("Geef een reden (minstens 10 tekens).")})
    with transaction.atomic():
        require(case_access(actor, case).as_coordinator)
        identity = ReporterIdentity.objects.get(case=case)
        reveal_note = _("Identiteit ingezien. Reden: %(reason)s") % {"reason": reason}
        create_sealed(CaseNote, case, {"body_enc": ("note", reveal_note)}, author=actor)
        audit_record(
            action="case.identity_reveal",
            actor=actor,
            actor_role=Role.INTEGRITY_COORDINATOR,
            obj=case,
            organisation=case.organisation,
        )
    data = vault.unseal_json(case, "identity", identity.identity_enc)
    data["consent_investigators"] = identity.consent_investigators
    data["consent_secretary"] = identity.consent_secretary
    return data


# --- disclosing the reporter's identity (R-WBK-7) -----------------------------------

DISCLOSURE_MIN_REASON = 10


def _consent_covers(identity: ReporterIdentity, recipient_kind: str) -> bool:
    if recipient_kind == DisclosureRecipient.INVESTIGATORS:
        return identity.consent_investigators
    if recipient_kind == DisclosureRecipient.SECRETARY:
        return identity.consent_secretary
    return False  # an external party is never covered by the consent the intake asks


def case_disclose_identity(
    *,
    actor: Any,
    case: Case,
    recipient_kind: str,
    recipient: str,
    ground: str,
    reason: str,
    notice_to_reporter: str = "",
) -> CaseNote:
    """Record that the coordinator shares the reporter's identity with someone (R-WBK-7).

    Only with the reporter's explicit consent for that kind of recipient, or under a legal
    duty; then the reporter is first told, with reasons, through the mailbox: the notice
    is written before the disclosure in the same transaction, and its e-mail goes out on
    commit. The disclosure is an encrypted note; the audit event names only the case.
    """
    errors: dict[str, str] = {}
    if recipient_kind not in DisclosureRecipient.values:
        errors["recipient_kind"] = _("Kies met wie de identiteit wordt gedeeld.")
    if not recipient.strip():
        errors["recipient"] = _("Vul in met wie de identiteit wordt gedeeld.")
    if ground not in DisclosureGround.values:
        errors["ground"] = _("Kies de grond: toestemming of een wettelijke plicht.")
    if len(reason.strip()) < DISCLOSURE_MIN_REASON:
        errors["reason"] = _("Geef een reden (minstens 10 tekens).")
    if ground == DisclosureGround.LEGAL_DUTY and not notice_to_reporter.strip():
        errors["notice_to_reporter"] = _(
            "Bij een wettelijke plicht moet de melder vooraf met redenen worden ingelicht: "
            "schrijf het bericht aan de melder."
        )
    with transaction.atomic():
        locked = lock(case)
        require(case_access(actor, locked).as_coordinator)
        if locked.identity_mode == IdentityMode.ANONYMOUS:
            raise ValidationError(_("Bij een anonieme melding is geen identiteit vastgelegd."))
        if errors:
            raise ValidationError(errors)
        identity = ReporterIdentity.objects.get(case=locked)
        if ground == DisclosureGround.CONSENT and not _consent_covers(identity, recipient_kind):
            raise ValidationError(
                {
                    "ground": _(
                        "De melder heeft hiervoor geen toestemming gegeven. Delen kan dan "
                        "alleen bij een wettelijke plicht, na het vooraf inlichten van de melder."
                    )
                }
            )
        if notice_to_reporter.strip():
            # First the reporter is told (R-WBK-7), then the disclosure is recorded.
            case_message_to_reporter(actor=actor, case=locked, body=notice_to_reporter)
        text = _(
            "Identiteit gedeeld met %(recipient)s (%(kind)s), grond: %(ground)s. Reden: %(reason)s"
        ) % {
            "recipient": recipient.strip(),
            "kind": DisclosureRecipient(recipient_kind).label,
            "ground": DisclosureGround(ground).label,
            "reason": reason.strip(),
        }
        if notice_to_reporter.strip():
            text += "\n" + _("De melder is vooraf via het postvak ingelicht.")
        note = create_sealed(CaseNote, locked, {"body_enc": ("note", text)}, author=actor)
        audit_record(
            action="case.identity_disclose",
            actor=actor,
            actor_role=Role.INTEGRITY_COORDINATOR,
            obj=locked,
            organisation=locked.organisation,
        )
    return note
