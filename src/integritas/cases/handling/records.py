"""Records at any point of a case: aangifte (R-EXT-3), referrals and what came back
(R-EXT-1, R-EXT-2), and the protection log (R-WBK-12). Permission-checked and audited."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from integritas.accounts.constants import Role
from integritas.audit.services import audit_record
from integritas.cases import vault
from integritas.cases.access import case_access
from integritas.cases.constants import IdentityMode
from integritas.cases.models import Case, ProtectionLogEntry, Referral
from integritas.cases.writes import create_sealed, lock, require


def case_record_aangifte(
    *, actor: Any, case: Case, decision: bool, date: datetime.date | None, reference: str
) -> Case:
    """R-EXT-3: the decision on aangifte, its date and the police reference."""
    with transaction.atomic():
        locked = lock(case)
        access = case_access(actor, locked)
        require(access.as_secretary or access.as_coordinator)
        if decision and date is None:
            raise ValidationError({"aangifte_date": _("Vul de datum van de aangifte in.")})
        locked.aangifte_decision = decision
        locked.aangifte_date = date if decision else None
        locked.police_reference = reference.strip() if decision else ""
        locked.save()
        audit_record(
            action="case.aangifte", actor=actor, obj=locked, organisation=locked.organisation
        )
    return locked


def case_record_referral(
    *, actor: Any, case: Case, body: str, referred_on: datetime.date, notes: str = ""
) -> Referral:
    """R-EXT-1, R-EXT-2: a referral to an external body, at any point."""
    with transaction.atomic():
        require(case_access(actor, case).as_coordinator)
        referral = create_sealed(
            Referral,
            case,
            {"notes_enc": ("referral", notes)},
            body=body,
            referred_on=referred_on,
            recorded_by=actor,
        )
        audit_record(action="case.referral", actor=actor, obj=case, organisation=case.organisation)
    return referral


def case_record_referral_outcome(
    *,
    actor: Any,
    case: Case,
    referral: Referral,
    advice_on: datetime.date | None,
    advice: str,
    decision_on: datetime.date | None,
    decision: str,
) -> Referral:
    """R-EXT-1: the advice that came back (LKOG) and the employer's decision on it.

    Added to the referral when it arrives, weeks or months later; an empty field keeps
    what was recorded before."""
    errors: dict[str, str] = {}
    if advice.strip() and advice_on is None:
        errors["advice_on"] = _("Vul de datum van het advies in.")
    if decision.strip() and decision_on is None:
        errors["employer_decision_on"] = _("Vul de datum van het besluit in.")
    if not (advice.strip() or decision.strip()):
        errors["advice"] = _("Vul het advies of het besluit van de werkgever in.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = lock(case)
        require(case_access(actor, locked).as_coordinator)
        row = Referral.objects.select_for_update().filter(pk=referral.pk, case=locked).first()
        if row is None:
            raise ValidationError(_("Deze doorverwijzing hoort niet bij deze melding."))
        fields = []
        if advice.strip():
            row.advice_on = advice_on
            row.advice_enc = vault.seal(locked, "referral_advice", advice, row=row.pk)
            fields += ["advice_on", "advice_enc"]
        if decision.strip():
            row.employer_decision_on = decision_on
            row.employer_decision_enc = vault.seal(
                locked, "referral_decision", decision, row=row.pk
            )
            fields += ["employer_decision_on", "employer_decision_enc"]
        row.save(update_fields=[*fields, "updated_at"])
        audit_record(
            action="case.referral_outcome",
            actor=actor,
            actor_role=Role.INTEGRITY_COORDINATOR,
            obj=locked,
            organisation=locked.organisation,
        )
    return row


def case_protection_log_add(
    *, actor: Any, case: Case, occurred_on: datetime.date, measure: str, reason: str
) -> ProtectionLogEntry:
    """R-WBK-12: a measure concerning a named or confidential reporter, with its reason."""
    if case.identity_mode == IdentityMode.ANONYMOUS:
        raise ValidationError(_("Bij een anonieme melding is de melder niet bekend."))
    if not measure.strip() or not reason.strip():
        raise ValidationError(_("Vul de maatregel en de reden in."))
    with transaction.atomic():
        require(case_access(actor, case).as_coordinator)
        entry = create_sealed(
            ProtectionLogEntry,
            case,
            {
                "measure_enc": ("protection_measure", measure),
                "reason_enc": ("protection_reason", reason),
            },
            occurred_on=occurred_on,
            recorded_by=actor,
        )
        audit_record(
            action="case.protection_log", actor=actor, obj=case, organisation=case.organisation
        )
    return entry
