"""The canonical encoding and hash of an audit event. Changing it breaks every chain."""

import hashlib
import json
from datetime import UTC
from typing import Any

GENESIS_HASH = "0" * 64


def event_digest(fields: dict[str, Any]) -> str:
    """SHA-256 over the event's fields in a fixed, canonical JSON form."""
    payload = {
        "chain": fields["chain"],
        "sequence": int(fields["sequence"]),
        "timestamp": fields["timestamp"].astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": fields["actor_id"],
        "actor_role": fields["actor_role"],
        "action": fields["action"],
        "object_type": fields["object_type"],
        "object_id": fields["object_id"],
        "organisation": fields["organisation_id"],
        "result": fields["result"],
        "origin": fields["origin"],
        "prev_hash": fields["prev_hash"],
    }
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(encoded.encode("ascii")).hexdigest()
