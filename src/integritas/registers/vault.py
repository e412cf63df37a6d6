"""Seal and unseal the details of financial interests (R-AW-8) under their own data key.

Each `FinancialInterest` row is a key holder; the associated data names the row's token,
its organisation and the field, so details copied to another row fail to decrypt.

Beside the sealed details the row keeps two keyed blind indexes (`blind_keys`): the HMAC
of the company's normalised name and of its KvK number, so that the conflict signals
match the supplier list without unsealing anything. They are keyed like the project's
other blind indexes (core/crypto.blind_index: the pepper, not the master key, so a
master-key rotation leaves them valid) and bound to the organisation, so the same company
gives different indexes in two organisations. Without the key they reveal nothing; with
it, only whether a given name was registered.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.core import crypto
from integritas.core.encryption.keys import (
    KeyHolderModel,
    ModelRotation,
    RotationMessages,
    register_key_holder,
)
from integritas.core.encryption.sealing import Sealer

from .matching import normalise_kvk, normalise_name
from .models import FinancialInterest

SEALER = Sealer[FinancialInterest](
    label="registers_financial",
    identity=lambda interest: interest.token,
    organisation=lambda interest: interest.registration.organisation_id,
)

DETAIL_FIELDS = ("description", "company", "kvk_number")
NAME_PURPOSE = "registers-financial-company"
KVK_PURPOSE = "registers-financial-kvk"


def blind_keys(organisation_id: int, *, name: str, kvk: str) -> tuple[str, str]:
    """The blind indexes of a company's name and KvK number within one organisation, as
    a financial interest stores them and as a party on the list is looked up ("" for
    what is empty or not a KvK number)."""
    name_key, number = normalise_name(name or ""), normalise_kvk(kvk or "")
    return (
        crypto.blind_index(f"{organisation_id}:{name_key}", purpose=NAME_PURPOSE)
        if name_key
        else "",
        crypto.blind_index(f"{organisation_id}:{number}", purpose=KVK_PURPOSE) if number else "",
    )


def seal_details(interest: FinancialInterest, details: dict[str, str]) -> None:
    """Give an unsaved row a data key (when it has none), seal its details and set its
    blind indexes."""
    if not interest.wrapped_key:
        SEALER.new_key(interest)
    clean = {name: str(details.get(name, "")) for name in DETAIL_FIELDS}
    interest.details_enc = SEALER.seal_json(interest, "details", clean)
    interest.name_index, interest.kvk_index = blind_keys(
        interest.registration.organisation_id, name=clean["company"], kvk=clean["kvk_number"]
    )


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
