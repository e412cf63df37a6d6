"""Signed tokens of the public Meldpunt: the intake form token and the proof of receipt.

A form token that needs no session: signed, with a random nonce, valid for 2 hours.

The intake form carries it in a hidden field. `services.case_submit` keys the submission on
it, so a refresh, the back button or a double click yields one case; the receipt page's
"I have saved it" and "download proof" forms present it again. Nothing is stored for a
token until a case is submitted with it.
"""

import datetime
import secrets

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

PROOF_SALT = "meldpunt-receipt-proof"
PROOF_TYPE = "integritas-ontvangstbewijs"
PROOF_FIELDS = ("zaaknummer", "organisatie", "ontvangen_op")


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
    return {
        "type": PROOF_TYPE,
        **facts,
        "handtekening": signing.dumps(facts, salt=PROOF_SALT, compress=False),
    }


def receipt_proof_verify(proof: object) -> dict[str, str] | None:
    """The signed facts when the proof is authentic and unchanged, otherwise None."""
    if not isinstance(proof, dict) or proof.get("type") != PROOF_TYPE:
        return None
    signature = proof.get("handtekening")
    if not isinstance(signature, str):
        return None
    try:
        facts = signing.loads(signature, salt=PROOF_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(facts, dict) or set(facts) != set(PROOF_FIELDS):
        return None
    if any(proof.get(field) != facts[field] for field in PROOF_FIELDS):
        return None
    return {field: str(facts[field]) for field in PROOF_FIELDS}
