"""Field encryption for any key holder (core/encryption): one format, one rotation for all.

DESIGN §2, R-WBK-7: every ciphertext is bound to its holder, organisation, field and row;
`integritas rotate_master_key` re-wraps the data keys of every registered holder model.
"""

import base64
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command

from integritas.cases.models import Case
from integritas.core.crypto import DecryptionError
from integritas.core.encryption import keys
from integritas.core.encryption.sealing import Sealer
from tests.cases.factories import submit_case

# Written by the case vault as it was before core/encryption existed: data key
# bytes(range(32)) wrapped under the test master key ("test"), and two fields of case
# LDP-2026-0001 of organisation 7. Existing data must stay readable, byte for byte.
WRAPPED = bytes.fromhex(
    "1e324c07f30608039bbf84b6561e5426ac56324d74710789558c40726bbf61fa2c6cb64118c5ba92"
    "52bd9452f2ca72830ddb969e9a733bb3241bff8e"
)
DESCRIPTION = bytes.fromhex(
    "110c9cec1c985cbb0986690be0e8d04dfec9aa063b7b66254b15c10359168e3d917f3b4e138843aa28a962"
)
NOTE = bytes.fromhex(
    "6b58953c9883772fdb9a2a67d9549f442add1c87a4fbc0bda9b464d68e66bce32033bb8fcf07f6"
)


@dataclass
class Holder:
    number: str
    organisation_id: int
    key_id: str = ""
    wrapped_key: bytes = b""


SEALER = Sealer[Holder](
    label="case", identity=lambda h: h.number, organisation=lambda h: h.organisation_id
)


def test_ciphertexts_written_before_the_shared_layer_still_decrypt():
    holder = Holder("LDP-2026-0001", 7, key_id="test", wrapped_key=WRAPPED)
    assert SEALER.context(holder, "note", 42) == b"case|LDP-2026-0001|7|note|42"
    assert SEALER.unseal(holder, "description", DESCRIPTION) == "Wat er gebeurde"
    assert SEALER.unseal(holder, "note", NOTE, row=42) == "Een notitie"


@pytest.mark.parametrize(
    ("number", "organisation", "field", "row"),
    [
        ("LDP-2026-0002", 7, "note", 42),  # another holder
        ("LDP-2026-0001", 8, "note", 42),  # another organisation
        ("LDP-2026-0001", 7, "message", 42),  # another field
        ("LDP-2026-0001", 7, "note", 43),  # another row
    ],
)
def test_a_ciphertext_moved_elsewhere_does_not_decrypt(number, organisation, field, row):
    holder = Holder(number, organisation, key_id="test", wrapped_key=WRAPPED)
    with pytest.raises(DecryptionError):
        SEALER.unseal(holder, field, NOTE, row=row)


def test_a_new_holder_seals_text_json_and_bytes():
    holder = Holder("T-1", 1)
    SEALER.new_key(holder)
    assert holder.key_id == "test" and holder.wrapped_key
    assert SEALER.seal(holder, "note", "") == b"" and SEALER.unseal(holder, "note", b"") == ""
    sealed = SEALER.seal_json(holder, "details", {"waar": "kantoor"}, row=3)
    assert b"kantoor" not in sealed
    fresh = Holder("T-1", 1, key_id=holder.key_id, wrapped_key=holder.wrapped_key)  # no cache
    assert SEALER.unseal_json(fresh, "details", sealed, row=3) == {"waar": "kantoor"}
    assert SEALER.unseal_bytes(fresh, "file", SEALER.seal_bytes(holder, "file", b"\x00")) == b"\x00"


# --- rotation over the registry ---------------------------------------------------------

KEY_B = base64.urlsafe_b64encode(b"B" * 32).decode()


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test; the apps' registrations come back afterwards."""
    monkeypatch.setattr(keys, "_holders", {})
    return keys


def _switch_to_b(settings) -> None:
    settings.INTEGRITAS_PREVIOUS_MASTER_KEYS = [f"test:{settings.INTEGRITAS_MASTER_KEY}"]
    settings.INTEGRITAS_MASTER_KEY = KEY_B
    settings.INTEGRITAS_MASTER_KEY_ID = "b"


def test_without_registered_models_there_is_nothing_to_rotate(registry, settings, organisation):
    submit_case(organisation)
    _switch_to_b(settings)
    out = StringIO()
    call_command("rotate_master_key", stdout=out)
    assert out.getvalue() == ""
    assert set(Case.objects.values_list("key_id", flat=True)) == {"test"}


def test_every_registered_model_is_rotated_with_its_own_lines_and_audit(
    registry, settings, organisation
):
    audited = []
    registry.register_key_holder(
        keys.KeyHolderModel(
            model=Case,
            messages=keys.RotationMessages(
                per_key="%(key)s: %(count)d rijen",
                dry_run="proef: %(count)d naar %(key)s",
                done="klaar: %(count)d naar %(key)s in %(batches)d",
            ),
            audit=lambda rotation, actor: audited.append((rotation.current_key_id, actor)),
        )
    )
    for _ in range(3):
        submit_case(organisation)
    _switch_to_b(settings)
    out = StringIO()
    call_command("rotate_master_key", "--dry-run", stdout=out)
    assert out.getvalue() == "test: 3 rijen\nproef: 3 naar b\n"
    call_command("rotate_master_key", "--batch-size", "2", stdout=out)
    assert out.getvalue().endswith("test: 3 rijen\nklaar: 3 naar b in 2\n")
    assert set(Case.objects.values_list("key_id", flat=True)) == {"b"}
    assert audited == [("b", None)]
