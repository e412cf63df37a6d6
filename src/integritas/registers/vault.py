"""Seal and unseal the details of financial interests (R-AW-8) under their own data key.

Each `FinancialInterest` row is a key holder; the associated data names the row's token,
its organisation and the field, so details copied to another row fail to decrypt.
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

from .models import FinancialInterest

SEALER = Sealer[FinancialInterest](
    label="registers_financial",
    identity=lambda interest: interest.token,
    organisation=lambda interest: interest.registration.organisation_id,
)

DETAIL_FIELDS = ("description", "company", "kvk_number")


def seal_details(interest: FinancialInterest, details: dict[str, str]) -> None:
    """Give an unsaved row a data key (when it has none) and seal its details."""
    if not interest.wrapped_key:
        SEALER.new_key(interest)
    clean = {name: str(details.get(name, "")) for name in DETAIL_FIELDS}
    interest.details_enc = SEALER.seal_json(interest, "details", clean)


def unseal_details(interest: FinancialInterest) -> dict[str, str]:
    return SEALER.unseal_json(interest, "details", interest.details_enc)


def _rotation_audited(rotation: ModelRotation, actor: Any) -> None:
    audit_record(
        action="registers.master_key_rotated",
        actor=actor,
        object_type="crypto.master_key",
        object_id=f"{rotation.current_key_id}:{rotation.rewrapped}",
        origin=Origin.CLI,
    )


register_key_holder(
    KeyHolderModel(
        model=FinancialInterest,
        messages=RotationMessages(
            per_key=_("Sleutel %(key)s: %(count)d financiële belang(en)"),
            dry_run=_(
                "Proefrun: %(count)d financiële belang(en) zouden opnieuw verpakt worden "
                "met %(key)s."
            ),
            done=_(
                "%(count)d financiële belang(en) opnieuw verpakt met %(key)s in "
                "%(batches)d batch(es)."
            ),
        ),
        audit=_rotation_audited,
    )
)
