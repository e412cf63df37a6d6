"""Encrypt and decrypt a case's fields under its own data key (core/crypto.py)."""

import json
from typing import Any

from integritas.core import crypto

from .models import Case

_KEY_ATTR = "_integritas_data_key"


def case_new_key(case: Case) -> bytes:
    """Give an unsaved case a fresh data key, wrapped by the current master key."""
    data_key = crypto.new_data_key()
    wrapped = crypto.wrap_data_key(data_key)
    case.key_id = wrapped.key_id
    case.wrapped_key = wrapped.wrapped
    setattr(case, _KEY_ATTR, data_key)
    return data_key


def _key(case: Case) -> bytes:
    key = getattr(case, _KEY_ATTR, None)
    if key is None:
        key = crypto.unwrap_data_key(crypto.WrappedKey(case.key_id, bytes(case.wrapped_key)))
        setattr(case, _KEY_ATTR, key)
    return key


def _context(case: Case, field: str, row: object) -> bytes:
    # The case number is fixed at creation, unlike the pk which an insert assigns later.
    return crypto.context("case", case.case_number, case.organisation_id, field, row)


def seal(case: Case, field: str, text: str, *, row: object = "") -> bytes:
    if text == "":
        return b""
    return crypto.encrypt(_key(case), text.encode(), _context(case, field, row))


def unseal(case: Case, field: str, blob: bytes | memoryview | None, *, row: object = "") -> str:
    if not blob:
        return ""
    return crypto.decrypt(_key(case), bytes(blob), _context(case, field, row)).decode()


def seal_json(case: Case, field: str, data: dict[str, Any], *, row: object = "") -> bytes:
    return seal(case, field, json.dumps(data, ensure_ascii=False, sort_keys=True), row=row)


def unseal_json(
    case: Case, field: str, blob: bytes | memoryview | None, *, row: object = ""
) -> dict:
    text = unseal(case, field, blob, row=row)
    return json.loads(text) if text else {}


def seal_bytes(case: Case, field: str, data: bytes, *, row: object = "") -> bytes:
    return crypto.encrypt(_key(case), data, _context(case, field, row))


def unseal_bytes(case: Case, field: str, blob: bytes, *, row: object = "") -> bytes:
    return crypto.decrypt(_key(case), bytes(blob), _context(case, field, row))


def rewrap(case: Case) -> bool:
    """Re-wrap the data key under the current master key; True when it changed."""
    from django.conf import settings

    if case.key_id == settings.INTEGRITAS_MASTER_KEY_ID:
        return False
    data_key = _key(case)
    wrapped = crypto.wrap_data_key(data_key)
    case.key_id = wrapped.key_id
    case.wrapped_key = wrapped.wrapped
    return True
