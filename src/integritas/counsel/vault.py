"""Seal and unseal the free text of consultation entries under their log's data key.

A counsellor's log (one per counsellor and organisation) is the key holder; the associated
data of every ciphertext names the counsellor, the organisation, the field and the entry's
token, so a note copied to another entry, log or organisation fails to decrypt.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.core.encryption.keys import (
    KeyHolderModel,
    ModelRotation,
    RotationMessages,
    register_key_holder,
)
from integritas.core.encryption.sealing import Sealer

from .models import ConsultationEntry, CounsellorLog

SEALER = Sealer[CounsellorLog](
    label="counsel_log",
    identity=lambda log: log.counsellor_id,
    organisation=lambda log: log.organisation_id,
)

log_new_key = SEALER.new_key


def seal_note(log: CounsellorLog, entry: ConsultationEntry, text: str) -> bytes:
    return SEALER.seal(log, "note", text, row=entry.token)


def unseal_note(log: CounsellorLog, entry: ConsultationEntry) -> str:
    return SEALER.unseal(log, "note", entry.note_enc, row=entry.token)


def _rotation_audited(rotation: ModelRotation, actor: Any) -> None:
    """One audit event per run: the new key id and the count, never a key."""
    audit_record(
        action="counsel.master_key_rotated",
        actor=actor,
        object_type="crypto.master_key",
        object_id=f"{rotation.current_key_id}:{rotation.rewrapped}",
        origin=Origin.CLI,
    )


register_key_holder(
    KeyHolderModel(
        model=CounsellorLog,
        messages=RotationMessages(
            per_key=_("Sleutel %(key)s: %(count)d logboek(en) van vertrouwenspersonen"),
            dry_run=_(
                "Proefrun: %(count)d logboek(en) van vertrouwenspersonen zouden opnieuw "
                "verpakt worden met %(key)s."
            ),
            done=_(
                "%(count)d logboek(en) van vertrouwenspersonen opnieuw verpakt met %(key)s "
                "in %(batches)d batch(es)."
            ),
        ),
        audit=_rotation_audited,
    )
)
