"""Envelope encryption and keyed hashes for confidential records (DESIGN §2, R-WBK-7).

The primitives. Every key holder (a case, and every other row that keeps confidential
fields) has its own random data key (AES-256-GCM). The data key is stored only wrapped by
the master key (INTEGRITAS_MASTER_KEY, never in the database), together with the master
key's id, so `integritas rotate_master_key` can re-wrap it under a new master key. Every
ciphertext binds associated data (model, pk/field, organisation) so a ciphertext copied
into another row or field fails to decrypt. `core/encryption/` holds the key holders and
the sealing of their fields on top of these primitives.

Receipt codes and the identities of involved persons are never stored in clear: receipt
codes get a slow keyed hash (Argon2id over an HMAC with the pepper) that is still
findable through an index; involved persons get a keyed blind index (HMAC-SHA256).
The pepper (INTEGRITAS_RECEIPT_PEPPER) is independent of the master key, so rotation
leaves receipts and blind indexes valid.
"""

import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from integritas.conf.base import decode_master_key

NONCE_BYTES = 12
KEY_BYTES = 32
_WRAP_AAD = b"integritas:data-key:v1"


class DecryptionError(Exception):
    """A ciphertext did not authenticate: wrong key, wrong context or tampering."""


def _decode(value: str, name: str) -> bytes:
    if not value:
        raise ImproperlyConfigured(f"{name} is not set; run `make setup` or set it.")
    return decode_master_key(value)


def master_keys() -> dict[str, bytes]:
    """Current and previous master keys by id; the current one is settings' key id."""
    keys = {
        settings.INTEGRITAS_MASTER_KEY_ID: _decode(
            settings.INTEGRITAS_MASTER_KEY, "INTEGRITAS_MASTER_KEY"
        )
    }
    for entry in settings.INTEGRITAS_PREVIOUS_MASTER_KEYS:
        key_id, _, value = entry.partition(":")
        if not key_id or not value:
            raise ImproperlyConfigured("INTEGRITAS_PREVIOUS_MASTER_KEYS: use id:key pairs.")
        keys.setdefault(key_id.strip(), _decode(value.strip(), "a previous master key"))
    return keys


@dataclass(frozen=True)
class WrappedKey:
    key_id: str
    wrapped: bytes


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def wrap_data_key(data_key: bytes) -> WrappedKey:
    key_id = settings.INTEGRITAS_MASTER_KEY_ID
    master = master_keys()[key_id]
    nonce = os.urandom(NONCE_BYTES)
    wrapped = nonce + AESGCM(master).encrypt(nonce, data_key, _WRAP_AAD + key_id.encode())
    return WrappedKey(key_id=key_id, wrapped=wrapped)


def unwrap_data_key(wrapped: WrappedKey) -> bytes:
    keys = master_keys()
    master = keys.get(wrapped.key_id)
    if master is None:
        raise DecryptionError(f"master key {wrapped.key_id!r} is not configured")
    blob = bytes(wrapped.wrapped)
    try:
        return AESGCM(master).decrypt(
            blob[:NONCE_BYTES], blob[NONCE_BYTES:], _WRAP_AAD + wrapped.key_id.encode()
        )
    except InvalidTag as exc:
        raise DecryptionError("data key does not authenticate") from exc


def encrypt(data_key: bytes, plaintext: bytes, context: bytes) -> bytes:
    """nonce || AES-256-GCM(plaintext), authenticated together with `context`."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(data_key).encrypt(nonce, plaintext, context)


def decrypt(data_key: bytes, blob: bytes, context: bytes) -> bytes:
    blob = bytes(blob)
    try:
        return AESGCM(data_key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context)
    except InvalidTag as exc:
        raise DecryptionError("ciphertext does not authenticate") from exc


def context(*parts: object) -> bytes:
    """Associated data from named parts, e.g. context("case", pk, "description", org_id)."""
    return "|".join(str(p) for p in parts).encode()


# --- keyed hashes -------------------------------------------------------------------


@lru_cache(maxsize=4)
def _pepper_key(pepper: str, purpose: str) -> bytes:
    if not pepper:
        raise ImproperlyConfigured("INTEGRITAS_RECEIPT_PEPPER is not set.")
    return hmac.new(pepper.encode(), purpose.encode(), hashlib.sha256).digest()


def receipt_lookup_hash(receipt_code: str, *, cheap: bool = False) -> str:
    """Slow keyed hash of a receipt code, deterministic so it can be found by index.

    `cheap=True` exists only for benchmark generators that create cases nobody opens.
    """
    pepper = settings.INTEGRITAS_RECEIPT_PEPPER
    keyed = hmac.new(_pepper_key(pepper, "receipt"), receipt_code.encode(), hashlib.sha256)
    if cheap:
        return "c$" + keyed.hexdigest()
    salt = _pepper_key(pepper, "receipt-salt")[:16]
    raw = hash_secret_raw(
        secret=keyed.digest(),
        salt=salt,
        time_cost=settings.INTEGRITAS_RECEIPT_HASH_TIME_COST,
        memory_cost=settings.INTEGRITAS_RECEIPT_HASH_MEMORY_KIB,
        parallelism=1,
        hash_len=32,
        type=Type.ID,
    )
    return "a$" + raw.hex()


def blind_index(value: str, *, purpose: str = "person") -> str:
    """Keyed HMAC of a normalised identifier: lets us match without storing who it is."""
    normalised = " ".join(value.split()).casefold()
    key = _pepper_key(settings.INTEGRITAS_RECEIPT_PEPPER, f"blind-index:{purpose}")
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
