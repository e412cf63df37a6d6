"""Recompute every audit chain; report the first event that does not fit.

Verification runs while the application keeps appending, so it works in passes: it checks
the events it can see, then compares the chain head. A head that moved on since is not a
break: the new events are checked in another pass. Only a head that lags behind the
events, points at another hash, or is missing while events exist is reported.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .hashing import GENESIS_HASH, event_digest
from .models import AuditChainHead, AuditEvent
from .services import HASHED_FIELDS

# Passes per chain before giving up on catching up with a very busy chain.
MAX_PASSES = 20

# One line of `audit_verify` output, as recorded outside the database.
ANCHOR_LINE = re.compile(
    r"^\s*(?P<chain>\S+): (?P<sequence>\d+) events, kop (?P<hash>[0-9a-f]{64})"
)


@dataclass(frozen=True)
class ChainBreak:
    chain: str
    sequence: int
    event_id: int | None
    reason: str


@dataclass(frozen=True)
class Anchor:
    """A chain head recorded outside the database: (chain, sequence, hash)."""

    chain: str
    sequence: int
    hash: str


def _chains() -> list[str]:
    names = set(AuditChainHead.objects.values_list("chain", flat=True))
    names |= set(_event_chains())
    return sorted(names)


def _event_chains() -> Iterator[str]:
    """Every chain that holds events, one index seek per chain.

    Not SELECT DISTINCT: over ten million events SQLite builds a temporary B-tree of every
    row's chain (a minute and 1.2 GB at ten million events); this walks the index on
    (chain, timestamp) from one chain to the next.
    """
    chain = AuditEvent.objects.order_by("chain").values_list("chain", flat=True).first()
    while chain is not None:
        yield chain
        chain = (
            AuditEvent.objects.filter(chain__gt=chain)
            .order_by("chain")
            .values_list("chain", flat=True)
            .first()
        )


def _events_after(chain: str, sequence: int) -> Iterator[dict[str, Any]]:
    return (
        AuditEvent.objects.filter(chain=chain, sequence__gt=sequence)
        .order_by("sequence")
        .values("pk", "hash", *HASHED_FIELDS)
        .iterator(chunk_size=2000)
    )


#: Called every PROGRESS_EVERY events with the number of events checked so far.
Progress = Callable[[int], None]
PROGRESS_EVERY = 100_000


def verify_chain(
    chain: str, *, start: Anchor | None = None, progress: Progress | None = None
) -> ChainBreak | Anchor:
    """The first break in `chain`, or its verified head when every event and the head fit.

    From `start` (a head recorded earlier, itself checked to be in the chain) only the
    events after it are checked: a period since the last anchor. Events are read in
    chunks, so memory stays the same for ten events or ten million.
    """
    expected_prev = GENESIS_HASH
    last_seq = 0
    if start is not None and start.sequence > 0:
        found = verify_anchors([start])
        if found:
            return found[0]
        expected_prev, last_seq = start.hash, start.sequence
    checked = 0
    for _ in range(MAX_PASSES):
        for row in _events_after(chain, last_seq):
            checked += 1
            if progress is not None and checked % PROGRESS_EVERY == 0:
                progress(checked)
            if row["sequence"] != last_seq + 1:
                return ChainBreak(chain, last_seq + 1, row["pk"], "ontbrekend volgnummer")
            if row["prev_hash"] != expected_prev:
                return ChainBreak(
                    chain,
                    row["sequence"],
                    row["pk"],
                    "vorige hash klopt niet (dit event of zijn voorganger is vervangen)",
                )
            if event_digest(row) != row["hash"]:
                return ChainBreak(chain, row["sequence"], row["pk"], "inhoud gewijzigd")
            expected_prev = row["hash"]
            last_seq = row["sequence"]
        head = AuditChainHead.objects.filter(chain=chain).first()
        if head is None:
            return ChainBreak(chain, last_seq, None, "ketenkop ontbreekt")
        if head.sequence > last_seq:
            # Either events were appended since this pass read them, or the tail was
            # deleted. Look again: events that are still missing prove a truncation.
            if AuditEvent.objects.filter(chain=chain, sequence__gt=last_seq).exists():
                continue
            return ChainBreak(chain, last_seq + 1, None, "keten ingekort (kop wijst verder)")
        if head.sequence < last_seq:
            return ChainBreak(chain, head.sequence + 1, None, "events na de ketenkop")
        if (head.last_hash or GENESIS_HASH) != expected_prev:
            return ChainBreak(chain, last_seq, None, "laatste event wijkt af van de ketenkop")
        return Anchor(chain, last_seq, expected_prev)
    return ChainBreak(chain, last_seq + 1, None, "keten groeide te snel om bij te houden")


def chain_lengths(chains: Iterable[str] | None = None) -> dict[str, int]:
    """The length of each chain as its head says (no scan of the events): for progress."""
    heads = AuditChainHead.objects.all()
    if chains is not None:
        heads = heads.filter(chain__in=list(chains))
    return dict(heads.values_list("chain", "sequence"))


def verify_all(
    *,
    chains: Iterable[str] | None = None,
    starts: dict[str, Anchor] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> tuple[list[Anchor], list[ChainBreak]]:
    """(the verified heads of the intact chains, the breaks — at most one per chain).

    `chains` limits the run to those chains; `starts` gives a recorded head per chain to
    verify from; `progress(chain, checked)` is told how far each chain is.
    """
    heads: list[Anchor] = []
    breaks: list[ChainBreak] = []
    starts = starts or {}
    for chain in sorted(chains) if chains is not None else _chains():
        tell = (lambda n, c=chain: progress(c, n)) if progress is not None else None
        result = verify_chain(chain, start=starts.get(chain), progress=tell)
        if isinstance(result, ChainBreak):
            breaks.append(result)
        else:
            heads.append(result)
    return heads, breaks


def parse_anchors(lines: Iterable[str]) -> list[Anchor]:
    """Read chain heads from earlier `audit_verify` output; other lines are ignored."""
    anchors = []
    for line in lines:
        match = ANCHOR_LINE.match(line)
        if match:
            anchors.append(Anchor(match["chain"], int(match["sequence"]), match["hash"]))
    return anchors


def verify_anchors(anchors: Iterable[Anchor]) -> list[ChainBreak]:
    """Each recorded head must still be in its chain with the same hash.

    This catches what the chain alone cannot: a rewrite of a whole chain, head included,
    by someone with write access to the database.
    """
    breaks = []
    for anchor in anchors:
        if anchor.sequence == 0:
            continue
        event = (
            AuditEvent.objects.filter(chain=anchor.chain, sequence=anchor.sequence)
            .values("pk", "hash")
            .first()
        )
        if event is None:
            breaks.append(
                ChainBreak(anchor.chain, anchor.sequence, None, "vastgelegde kop ontbreekt")
            )
        elif event["hash"] != anchor.hash:
            breaks.append(
                ChainBreak(
                    anchor.chain, anchor.sequence, event["pk"], "wijkt af van de vastgelegde kop"
                )
            )
    return breaks
