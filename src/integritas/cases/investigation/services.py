"""The formal investigation: its records (plan, hearings, report), the evidence, and
informing the person concerned (AVG art. 14). Only while the investigation runs, by the
coordinator or an assigned investigator; the texts are stored encrypted."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.accounts.constants import Role
from integritas.audit.services import audit_record
from integritas.cases import vault
from integritas.cases.access import case_access
from integritas.cases.constants import INVESTIGATION_STATUSES
from integritas.cases.models import (
    Attachment,
    Case,
    EvidenceItem,
    IntervieweeRole,
    InvestigationKind,
    InvestigationRecord,
)
from integritas.cases.writes import create_sealed, lock, require

SHA256_LENGTH = 64


def _investigating(actor: Any, case: Case) -> Case:
    """Lock the case and check that `actor` may record investigation work on it now."""
    locked = lock(case)
    access = case_access(actor, locked)
    require(access.as_coordinator or access.as_investigator)
    if locked.status not in INVESTIGATION_STATUSES:
        raise ValidationError(
            _("Dit kan alleen tijdens het onderzoek; de status is nu '%(status)s'.")
            % {"status": locked.get_status_display()}
        )
    return locked


def _investigation_role(actor: Any, case: Case) -> str:
    access = case_access(actor, case)
    return Role.INTEGRITY_COORDINATOR if access.as_coordinator else Role.INVESTIGATOR


def case_add_investigation_record(
    *,
    actor: Any,
    case: Case,
    kind: str,
    occurred_on: datetime.date,
    body: str,
    hoor_en_wederhoor: bool = False,
    interviewee_role: str = "",
) -> InvestigationRecord:
    """A plan, the record of a hearing or the report; the text is stored encrypted."""
    if kind not in InvestigationKind.values:
        raise ValidationError({"kind": _("Kies het soort stuk.")})
    if not body.strip():
        raise ValidationError({"body": _("Vul de tekst van het stuk in.")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("De datum ligt in de toekomst.")})
    if kind == InvestigationKind.INTERVIEW:
        if interviewee_role not in IntervieweeRole.values:
            raise ValidationError({"interviewee_role": _("Kies wie er is gehoord.")})
    else:
        hoor_en_wederhoor, interviewee_role = False, ""
    with transaction.atomic():
        locked = _investigating(actor, case)
        record = create_sealed(
            InvestigationRecord,
            locked,
            {"body_enc": ("investigation_record", body)},
            kind=kind,
            occurred_on=occurred_on,
            recorded_by=actor,
            hoor_en_wederhoor=hoor_en_wederhoor,
            interviewee_role=interviewee_role,
        )
        audit_record(
            action=f"case.investigation_{kind}",
            actor=actor,
            actor_role=_investigation_role(actor, locked),
            obj=locked,
            organisation=locked.organisation,
        )
    return record


def case_add_evidence(
    *,
    actor: Any,
    case: Case,
    description: str,
    sha256: str = "",
    attachment: Attachment | None = None,
    recorded_on: datetime.date | None = None,
) -> EvidenceItem:
    """Evidence fixed by its SHA-256; an uploaded attachment of the case gives its own hash."""
    if not description.strip():
        raise ValidationError({"description": _("Beschrijf het bewijsstuk.")})
    given = sha256.strip().lower()
    if attachment is not None:
        if attachment.case_id != case.pk:
            raise ValidationError({"attachment": _("Deze bijlage hoort niet bij de melding.")})
        if given and given != attachment.sha256:
            raise ValidationError(
                {"sha256": _("De SHA-256 komt niet overeen met die van de bijlage.")}
            )
        given = attachment.sha256
    if len(given) != SHA256_LENGTH or any(ch not in "0123456789abcdef" for ch in given):
        raise ValidationError(
            {"sha256": _("Een SHA-256 bestaat uit 64 hexadecimale tekens (0-9, a-f).")}
        )
    recorded_on = recorded_on or timezone.localdate()
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": _("De datum ligt in de toekomst.")})
    with transaction.atomic():
        locked = _investigating(actor, case)
        item = create_sealed(
            EvidenceItem,
            locked,
            {"description_enc": ("evidence", description)},
            sha256=given,
            attachment=attachment,
            recorded_by=actor,
            recorded_on=recorded_on,
        )
        audit_record(
            action="case.evidence",
            actor=actor,
            actor_role=_investigation_role(actor, locked),
            obj=locked,
            organisation=locked.organisation,
        )
    return item


def case_record_subject_informed(
    *,
    actor: Any,
    case: Case,
    informed_on: datetime.date | None,
    how: str = "",
    deferred_reason: str = "",
) -> Case:
    """AVG art. 14: the person concerned was informed (date and how), or informing them is
    deferred, with the reason, while it would harm the investigation (art. 14(5)(b) AVG,
    art. 41 UAVG). A deferral stays on record once they are informed."""
    if informed_on is not None:
        if not how.strip():
            raise ValidationError({"how": _("Vul in hoe de betrokkene is geïnformeerd.")})
        if informed_on > timezone.localdate():
            raise ValidationError({"informed_on": _("De datum ligt in de toekomst.")})
    elif not deferred_reason.strip():
        raise ValidationError(
            _(
                "Vul de datum in waarop de betrokkene is geïnformeerd en hoe, of de reden "
                "om het informeren uit te stellen."
            )
        )
    with transaction.atomic():
        locked = _investigating(actor, case)
        if informed_on is not None:
            locked.subject_informed_on = informed_on
            locked.subject_informed_how_enc = vault.seal(locked, "subject_informed_how", how)
            action = "case.subject_informed"
        else:
            if locked.subject_informed_on is not None:
                raise ValidationError(_("De betrokkene is al geïnformeerd."))
            locked.subject_information_deferred_reason_enc = vault.seal(
                locked, "subject_information_deferred_reason", deferred_reason
            )
            action = "case.subject_information_deferred"
        locked.save(
            update_fields=[
                "subject_informed_on",
                "subject_informed_how_enc",
                "subject_information_deferred_reason_enc",
                "updated_at",
            ]
        )
        audit_record(
            action=action,
            actor=actor,
            actor_role=_investigation_role(actor, locked),
            obj=locked,
            organisation=locked.organisation,
        )
    return locked
