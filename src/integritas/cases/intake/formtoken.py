"""Signed tokens of the public Meldpunt: the intake form token and the proof of receipt.

A form token that needs no session: signed, with a random nonce, valid for 2 hours.

The intake form carries it in a hidden field. `services.case_submit` keys the submission on
it, so a refresh, the back button or a double click yields one case; the receipt page's
"I have saved it" and "download proof" forms present it again. Nothing is stored for a
token until a case is submitted with it.
"""

import base64
import datetime
import json
import secrets

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core import signing
from django.utils import timezone

SALT = "meldpunt-intake"
MAX_AGE_SECONDS = 2 * 60 * 60


def form_token_new() -> str:
    return signing.dumps({"n": secrets.token_urlsafe(18)}, salt=SALT, compress=False)


def form_token_valid(token: str | None) -> bool:
    """True for a token this server signed less than two hours ago."""
    if not token or len(token) > 200:
        return False
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return False
    return isinstance(payload, dict) and isinstance(payload.get("n"), str)


# --- proof of receipt ---------------------------------------------------------------
# Signed with Ed25519 under a key derived from INTEGRITAS_RECEIPT_PEPPER, not SECRET_KEY:
# the pepper lives as long as the installation (never rotated, sealed copies, see
# docs/operations.md §4), while SECRET_KEY may be replaced at any time. A proof must stay
# verifiable for as long as the reporter may need it, years later.

PROOF_TYPE = "integritas-ontvangstbewijs"
PROOF_FIELDS = ("zaaknummer", "organisatie", "ontvangen_op")
_PROOF_KEY_INFO = b"integritas receipt proof v1"


def _proof_key() -> Ed25519PrivateKey:
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PROOF_KEY_INFO).derive(
        settings.INTEGRITAS_RECEIPT_PEPPER.encode()
    )
    return Ed25519PrivateKey.from_private_bytes(seed)


def proof_public_key() -> str:
    """The verification key, url-safe base64; may be published for anyone to check proofs."""
    raw = _proof_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.urlsafe_b64encode(raw).decode()


def _signed_bytes(facts: dict[str, str]) -> bytes:
    canonical = {"type": PROOF_TYPE, **{field: facts[field] for field in PROOF_FIELDS}}
    return json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def receipt_proof(*, case_number: str, organisation: str, received_at: datetime.datetime) -> dict:
    """A proof of receipt: what was received when, signed by this server.

    It never contains the receipt code or anything the reporter wrote, so it may be kept
    anywhere. `integritas verify_receipt_proof FILE` checks the signature later.
    """
    facts = {
        "zaaknummer": case_number,
        "organisatie": organisation,
        "ontvangen_op": timezone.localtime(received_at).isoformat(timespec="seconds"),
    }
    signature = _proof_key().sign(_signed_bytes(facts))
    return {
        "type": PROOF_TYPE,
        **facts,
        "algoritme": "Ed25519",
        "handtekening": base64.urlsafe_b64encode(signature).decode(),
    }


def receipt_proof_verify(proof: object) -> dict[str, str] | None:
    """The signed facts when the proof is authentic and unchanged, otherwise None."""
    if not isinstance(proof, dict) or proof.get("type") != PROOF_TYPE:
        return None
    signature = proof.get("handtekening")
    facts = {field: value for field in PROOF_FIELDS if isinstance(value := proof.get(field), str)}
    if not isinstance(signature, str) or len(facts) != len(PROOF_FIELDS):
        return None
    try:
        raw = base64.urlsafe_b64decode(signature.encode("ascii"))
        _proof_key().public_key().verify(raw, _signed_bytes(facts))
    except (ValueError, InvalidSignature):
        return None
    return facts
