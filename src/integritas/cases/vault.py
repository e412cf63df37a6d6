"""Encrypt and decrypt a case's fields under its own data key (core/encryption).

A case is the key holder of everything reported in it: the associated data of every
ciphertext names the case number (fixed at creation, unlike the pk which an insert assigns
later), the organisation, the field and, for child rows, the row.
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

from .models import Case

SEALER = Sealer[Case](
    label="case",
    identity=lambda case: case.case_number,
    organisation=lambda case: case.organisation_id,
)

case_new_key = SEALER.new_key
seal = SEALER.seal
unseal = SEALER.unseal
seal_json = SEALER.seal_json
unseal_json = SEALER.unseal_json
seal_bytes = SEALER.seal_bytes
unseal_bytes = SEALER.unseal_bytes


def _rotation_audited(rotation: ModelRotation, actor: Any) -> None:
    """One audit event per run: the new key id and the count, never a key."""
    audit_record(
        action="case.master_key_rotated",
        actor=actor,
        object_type="crypto.master_key",
        object_id=f"{rotation.current_key_id}:{rotation.rewrapped}",
        origin=Origin.CLI,
    )


register_key_holder(
    KeyHolderModel(
        model=Case,
        messages=RotationMessages(
            per_key=_("Sleutel %(key)s: %(count)d melding(en)"),
            dry_run=_("Proefrun: %(count)d melding(en) zouden opnieuw verpakt worden met %(key)s."),
            done=_("%(count)d melding(en) opnieuw verpakt met %(key)s in %(batches)d batch(es)."),
        ),
        audit=_rotation_audited,
    )
)
