"""Sealing the fields of a key holder under its own data key (keys.py, core/crypto.py).

A `Sealer` belongs to one holder model and names its ciphertexts: the associated data of
each is `label|identity|organisation|field|row` (e.g. `case|MI-2026-0001|7|note|42`), so a
ciphertext copied into another holder, organisation, field or row fails to decrypt. The
identity must be fixed when the data key is made (a case number, not a pk that an insert
assigns later); `row` names the row of a child table that holds the field, when there is
one. Changing any of these for an existing model makes its data unreadable.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from integritas.core import crypto

from .keys import KeyHolder, holder_data_key, holder_new_key, holder_rewrap

Blob = bytes | memoryview | None


@dataclass(frozen=True)
class Sealer[H: KeyHolder]:
    """Seal and unseal text, JSON and bytes of one model's rows under their data keys."""

    label: str
    identity: Callable[[H], object]
    organisation: Callable[[H], object]

    def new_key(self, holder: H) -> bytes:
        return holder_new_key(holder)

    def rewrap(self, holder: H) -> bool:
        return holder_rewrap(holder)

    def context(self, holder: H, field: str, row: object = "") -> bytes:
        return crypto.context(
            self.label, self.identity(holder), self.organisation(holder), field, row
        )

    def seal_bytes(self, holder: H, field: str, data: bytes, *, row: object = "") -> bytes:
        return crypto.encrypt(holder_data_key(holder), data, self.context(holder, field, row))

    def unseal_bytes(self, holder: H, field: str, blob: bytes, *, row: object = "") -> bytes:
        key = holder_data_key(holder)
        return crypto.decrypt(key, bytes(blob), self.context(holder, field, row))

    def seal(self, holder: H, field: str, text: str, *, row: object = "") -> bytes:
        """The ciphertext of `text`; an empty text stays empty (nothing to hide)."""
        if text == "":
            return b""
        return self.seal_bytes(holder, field, text.encode(), row=row)

    def unseal(self, holder: H, field: str, blob: Blob, *, row: object = "") -> str:
        if not blob:
            return ""
        return self.unseal_bytes(holder, field, bytes(blob), row=row).decode()

    def seal_json(self, holder: H, field: str, data: dict[str, Any], *, row: object = "") -> bytes:
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        return self.seal(holder, field, text, row=row)

    def unseal_json(self, holder: H, field: str, blob: Blob, *, row: object = "") -> dict:
        text = self.unseal(holder, field, blob, row=row)
        return json.loads(text) if text else {}
