"""Master-key rotation: re-wrap every case's data key under the current master key.

Only the wrapped data keys change (`Case.wrapped_key`, `Case.key_id`); the data keys
themselves and therefore every ciphertext stay as they are, so nothing is re-encrypted.
Receipt codes and blind indexes are keyed by the pepper, not by the master key, and keep
working. The old keys come from INTEGRITAS_PREVIOUS_MASTER_KEYS ("id:key") and may be
removed from the settings once a run reports nothing left to re-wrap (keep them sealed
while older backups exist, docs/operations.md §4.4).

Idempotent: a case already wrapped by INTEGRITAS_MASTER_KEY_ID is never touched, so a
second run (or a run after an interrupted one) changes only what is left.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.core import crypto

from . import vault
from .models import Case

DEFAULT_BATCH_SIZE = 500
_FIELDS = ("pk", "key_id", "wrapped_key", "case_number", "organisation_id")


class RotationError(Exception):
    """The rotation cannot start: a data key is wrapped by a key that is not configured."""


@dataclass
class RotationResult:
    current_key_id: str
    by_key: Counter[str] = field(default_factory=Counter)  # stale cases per old key id
    rewrapped: int = 0
    batches: int = 0
    dry_run: bool = False

    @property
    def stale(self) -> int:
        return sum(self.by_key.values())


def stale_cases_by_key() -> Counter[str]:
    """How many cases each old master key still wraps."""
    current = settings.INTEGRITAS_MASTER_KEY_ID
    rows = Case.objects.exclude(key_id=current).values_list("key_id", flat=True)
    return Counter(rows)


def rotate_master_key(
    *, batch_size: int = DEFAULT_BATCH_SIZE, dry_run: bool = False, actor: object = None
) -> RotationResult:
    """Re-wrap every data key not wrapped by the current master key.

    Each batch is one transaction with its rows locked, so an interrupted run leaves every
    case readable (either wrapped by the old key or by the new one) and a rerun finishes it.
    One audit event per run records the new key id and the count, never a key.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    current = settings.INTEGRITAS_MASTER_KEY_ID
    result = RotationResult(current_key_id=current, by_key=stale_cases_by_key(), dry_run=dry_run)
    missing = sorted(set(result.by_key) - set(crypto.master_keys()))
    if missing:
        raise RotationError(
            "Niet geconfigureerde hoofdsleutel(s): "
            + ", ".join(missing)
            + ". Zet ze in INTEGRITAS_PREVIOUS_MASTER_KEYS (id:sleutel)."
        )
    if dry_run:
        return result

    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                Case.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .exclude(key_id=current)
                .order_by("pk")
                .only(*_FIELDS)[:batch_size]
            )
            if not batch:
                break
            changed = [case for case in batch if vault.rewrap(case)]
            Case.objects.bulk_update(changed, ["key_id", "wrapped_key"])
            last_pk = batch[-1].pk
        result.rewrapped += len(changed)
        result.batches += 1

    audit_record(
        action="case.master_key_rotated",
        actor=actor,
        object_type="crypto.master_key",
        object_id=f"{current}:{result.rewrapped}",
        origin=Origin.CLI,
    )
    return result
