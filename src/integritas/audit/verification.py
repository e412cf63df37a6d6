"""Recompute every audit chain; report the first event that does not fit."""

from collections.abc import Iterator
from dataclasses import dataclass

from .hashing import GENESIS_HASH, event_digest
from .models import AuditChainHead, AuditEvent
from .services import HASHED_FIELDS


@dataclass(frozen=True)
class ChainBreak:
    chain: str
    sequence: int
    event_id: int | None
    reason: str


def _chains() -> list[str]:
    names = set(AuditChainHead.objects.values_list("chain", flat=True))
    names |= set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    return sorted(names)


def verify_chain(chain: str) -> ChainBreak | None:
    expected_prev = GENESIS_HASH
    expected_seq = 1
    rows: Iterator[dict] = (
        AuditEvent.objects.filter(chain=chain)
        .order_by("sequence")
        .values("pk", "hash", *HASHED_FIELDS)
        .iterator(chunk_size=2000)
    )
    for row in rows:
        if row["sequence"] != expected_seq:
            return ChainBreak(chain, expected_seq, row["pk"], "ontbrekend volgnummer")
        if row["prev_hash"] != expected_prev:
            return ChainBreak(chain, row["sequence"], row["pk"], "vorige hash klopt niet")
        if event_digest(row) != row["hash"]:
            return ChainBreak(chain, row["sequence"], row["pk"], "inhoud gewijzigd")
        expected_prev = row["hash"]
        expected_seq += 1
    head = AuditChainHead.objects.filter(chain=chain).first()
    last_seq = expected_seq - 1
    if (
        head is None
        or head.sequence != last_seq
        or (head.last_hash or GENESIS_HASH) != expected_prev
    ):
        return ChainBreak(chain, last_seq + 1, None, "keten ingekort of kop gewijzigd")
    return None


def verify_all() -> tuple[int, list[ChainBreak]]:
    """(number of chains checked, breaks found — at most one per chain)."""
    chains = _chains()
    breaks = [b for b in (verify_chain(c) for c in chains) if b is not None]
    return len(chains), breaks
