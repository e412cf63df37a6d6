"""Writing audit events: the only way events come into being."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .constants import REGION_CHAIN, Origin, Result
from .hashing import GENESIS_HASH, event_digest
from .models import AuditChainHead, AuditEvent

HASHED_FIELDS = (
    "chain",
    "sequence",
    "timestamp",
    "actor_id",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "organisation_id",
    "result",
    "origin",
    "prev_hash",
)


def chain_for(organisation: Any) -> str:
    """Each organisation has its own chain; events without one go to the region's."""
    return f"org-{organisation.pk}" if organisation is not None else REGION_CHAIN


def _locked_head(chain: str) -> AuditChainHead:
    """The chain's head row, locked; created once per chain (three queries per event)."""
    head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(chain=chain)
    except IntegrityError:
        pass  # another process created it first
    return AuditChainHead.objects.select_for_update().get(chain=chain)


def audit_record(
    *,
    action: str,
    actor: Any = None,
    actor_role: str = "",
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    organisation: Any = None,
    result: str = Result.SUCCESS,
    origin: str = Origin.WEB,
) -> AuditEvent:
    """Append one event to its chain.

    Records who did what to which object, never content or personal data beyond the
    actor (R-BIO-1). Joins the caller's transaction, so the event and the change it
    describes commit or roll back together.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    chain = chain_for(organisation)
    # No savepoint: an event that cannot be written must fail the caller's whole action.
    with transaction.atomic(savepoint=False):
        head = _locked_head(chain)
        fields: dict[str, Any] = {
            "chain": chain,
            "sequence": head.sequence + 1,
            "timestamp": timezone.now(),
            "actor_id": actor.pk if actor is not None else None,
            "actor_role": actor_role,
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "organisation_id": organisation.pk if organisation is not None else None,
            "result": result,
            "origin": origin,
            "prev_hash": head.last_hash or GENESIS_HASH,
        }
        digest = event_digest(fields)
        event = AuditEvent(**fields, hash=digest)
        event.save(force_insert=True)
        head.sequence = fields["sequence"]
        head.last_hash = digest
        head.save(update_fields=["sequence", "last_hash"])
    return event


def audit_record_read(*, actor: Any, obj: Any, organisation: Any, actor_role: str = "") -> None:
    """Record that `actor` viewed a sensitive record (R-BIO-1: reads are logged too)."""
    audit_record(
        action="read",
        actor=actor,
        actor_role=actor_role,
        obj=obj,
        organisation=organisation,
    )
