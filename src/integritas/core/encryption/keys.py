"""Key holders and master-key rotation: re-wrap every data key under the current master key.

A key holder is a row that keeps its own random data key (a case; a counsellor's log, an
oath form ...), stored only wrapped by the master key in `wrapped_key`, next to that
master key's id in `key_id` (core/crypto.py). `sealing.Sealer` encrypts the row's fields
under it. An app registers each of its holder models in its `AppConfig.ready()`
(`register_key_holder`), so that `integritas rotate_master_key` re-wraps them all.

Only the wrapped data keys change; the data keys themselves and therefore every
ciphertext stay as they are, so nothing is re-encrypted. Receipt codes and blind indexes
are keyed by the pepper, not by the master key, and keep working. The old keys come from
INTEGRITAS_PREVIOUS_MASTER_KEYS ("id:key") and may be removed from the settings once a run
reports nothing left to re-wrap (keep them sealed while older backups exist,
docs/operations.md §4.4).

Idempotent: a row already wrapped by INTEGRITAS_MASTER_KEY_ID is never touched, so a
second run (or a run after an interrupted one) changes only what is left.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count
from django.utils.functional import Promise

from integritas.core import crypto

DEFAULT_BATCH_SIZE = 500
# The unwrapped data key, kept on the row object for the rest of the request.
KEY_CACHE_ATTR = "_integritas_data_key"
_KEY_FIELDS = ["key_id", "wrapped_key"]


class KeyHolder(Protocol):
    """A row with its own data key: `key_id = CharField(max_length=32)` and
    `wrapped_key = BinaryField()`."""

    key_id: str
    wrapped_key: Any


def _store(holder: KeyHolder, data_key: bytes) -> None:
    wrapped = crypto.wrap_data_key(data_key)
    holder.key_id = wrapped.key_id
    holder.wrapped_key = wrapped.wrapped
    setattr(holder, KEY_CACHE_ATTR, data_key)


def holder_new_key(holder: KeyHolder) -> bytes:
    """Give an unsaved row a fresh data key, wrapped by the current master key."""
    data_key = crypto.new_data_key()
    _store(holder, data_key)
    return data_key


def holder_data_key(holder: KeyHolder) -> bytes:
    """The row's data key, unwrapped once per object."""
    key = getattr(holder, KEY_CACHE_ATTR, None)
    if key is None:
        key = crypto.unwrap_data_key(crypto.WrappedKey(holder.key_id, bytes(holder.wrapped_key)))
        setattr(holder, KEY_CACHE_ATTR, key)
    return key


def holder_rewrap(holder: KeyHolder) -> bool:
    """Re-wrap the data key under the current master key; True when it changed."""
    if holder.key_id == settings.INTEGRITAS_MASTER_KEY_ID:
        return False
    _store(holder, holder_data_key(holder))
    return True


# --- the registry ------------------------------------------------------------------


@dataclass(frozen=True)
class RotationMessages:
    """What `rotate_master_key` prints for one holder model (lazy gettext strings).

    `per_key` gets %(key)s and %(count)d, `dry_run` the same, `done` also %(batches)d.
    """

    per_key: str | Promise
    dry_run: str | Promise
    done: str | Promise


@dataclass(frozen=True)
class KeyHolderModel:
    """A model whose rows are key holders, as its app registers it.

    `audit` records a finished run (core stands below the audit log): it gets the
    model's `ModelRotation` and the actor, and must write no key material.
    """

    model: type[models.Model]
    messages: RotationMessages
    audit: Callable[["ModelRotation", Any], None]


_holders: dict[str, KeyHolderModel] = {}


def register_key_holder(holder: KeyHolderModel) -> None:
    _holders[holder.model._meta.label] = holder


def key_holders() -> list[KeyHolderModel]:
    return list(_holders.values())


# --- the rotation ------------------------------------------------------------------


class RotationError(Exception):
    """The rotation cannot start: a data key is wrapped by a key that is not configured."""


@dataclass
class ModelRotation:
    holder: KeyHolderModel
    current_key_id: str
    by_key: Counter[str] = field(default_factory=Counter)  # stale rows per old key id
    rewrapped: int = 0
    batches: int = 0

    @property
    def stale(self) -> int:
        return sum(self.by_key.values())


@dataclass
class RotationResult:
    current_key_id: str
    models: list[ModelRotation] = field(default_factory=list)
    dry_run: bool = False

    @property
    def by_key(self) -> Counter[str]:
        return sum((rotation.by_key for rotation in self.models), Counter())

    @property
    def stale(self) -> int:
        return sum(rotation.stale for rotation in self.models)

    @property
    def rewrapped(self) -> int:
        return sum(rotation.rewrapped for rotation in self.models)

    @property
    def batches(self) -> int:
        return sum(rotation.batches for rotation in self.models)


def stale_by_key(model: type[models.Model]) -> Counter[str]:
    """How many rows of `model` each old master key still wraps."""
    rows = (
        model._default_manager.exclude(key_id=settings.INTEGRITAS_MASTER_KEY_ID)
        .values_list("key_id")
        .annotate(rows=Count("pk"))
        .order_by()
    )
    return Counter(dict(rows))


def _rotate(rotation: ModelRotation, batch_size: int) -> None:
    manager = rotation.holder.model._default_manager
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                manager.select_for_update()
                .filter(pk__gt=last_pk)
                .exclude(key_id=rotation.current_key_id)
                .order_by("pk")
                .only("pk", *_KEY_FIELDS)[:batch_size]
            )
            if not batch:
                return
            changed = [row for row in batch if holder_rewrap(row)]  # type: ignore[arg-type]
            manager.bulk_update(changed, _KEY_FIELDS)
            last_pk = batch[-1].pk
        rotation.rewrapped += len(changed)
        rotation.batches += 1


def rotate_master_key(
    *, batch_size: int = DEFAULT_BATCH_SIZE, dry_run: bool = False, actor: object = None
) -> RotationResult:
    """Re-wrap every data key of every registered model not wrapped by the current key.

    Each batch is one transaction with its rows locked, so an interrupted run leaves every
    row readable (either wrapped by the old key or by the new one) and a rerun finishes it.
    Each model's `audit` records its run: the new key id and the count, never a key.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    current = settings.INTEGRITAS_MASTER_KEY_ID
    result = RotationResult(
        current_key_id=current,
        models=[
            ModelRotation(holder, current, stale_by_key(holder.model)) for holder in key_holders()
        ],
        dry_run=dry_run,
    )
    missing = sorted(set(result.by_key) - set(crypto.master_keys()))
    if missing:
        raise RotationError(
            "Niet geconfigureerde hoofdsleutel(s): "
            + ", ".join(missing)
            + ". Zet ze in INTEGRITAS_PREVIOUS_MASTER_KEYS (id:sleutel)."
        )
    if dry_run:
        return result
    for rotation in result.models:
        _rotate(rotation, batch_size)
        rotation.holder.audit(rotation, actor)
    return result
