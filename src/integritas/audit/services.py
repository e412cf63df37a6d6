"""Writing audit events: the only way events come into being."""

from typing import Any

from django.db import IntegrityError, connection, transaction
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


# Every rendering of case content writes an event, so the three statements of an append
# are plain SQL: the ORM's work to build them cost more than the statements themselves.
# Values still go through each field's get_db_prep_save, as the ORM would send them.
_EVENT_FIELDS = {field.attname: field for field in AuditEvent._meta.concrete_fields}
_EVENT_COLUMNS = (*HASHED_FIELDS, "hash")


def _sql() -> dict[str, str]:
    quote = connection.ops.quote_name
    head = quote(AuditChainHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    columns = ", ".join(quote(str(_EVENT_FIELDS[name].column)) for name in _EVENT_COLUMNS)
    placeholders = ", ".join(["%s"] * len(_EVENT_COLUMNS))
    # Names come from the models' metadata, quoted; every value is a parameter.
    return {
        "head": f"SELECT {quote('sequence')}, {quote('last_hash')} FROM {head} "  # noqa: S608
        f"WHERE {quote('chain')} = %s{lock}",
        "insert": f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({placeholders}) RETURNING {quote('id')}",
        "advance": f"UPDATE {head} SET {quote('sequence')} = %s, "  # noqa: S608
        f"{quote('last_hash')} = %s WHERE {quote('chain')} = %s",
    }


def _locked_head(chain: str, sql: dict[str, str]) -> tuple[int, str]:
    """The chain's (sequence, last hash), its row locked; the row is created once."""
    with connection.cursor() as cursor:
        cursor.execute(sql["head"], [chain])
        row = cursor.fetchone()
        if row is not None:
            return int(row[0]), row[1]
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(chain=chain)
    except IntegrityError:
        pass  # another process created it first
    with connection.cursor() as cursor:
        cursor.execute(sql["head"], [chain])
        sequence, last_hash = cursor.fetchone()
    return int(sequence), last_hash


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
    sql = _sql()
    # No savepoint: an event that cannot be written must fail the caller's whole action.
    with transaction.atomic(savepoint=False):
        sequence, last_hash = _locked_head(chain, sql)
        fields: dict[str, Any] = {
            "chain": chain,
            "sequence": sequence + 1,
            "timestamp": timezone.now(),
            "actor_id": actor.pk if actor is not None else None,
            "actor_role": actor_role,
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "organisation_id": organisation.pk if organisation is not None else None,
            "result": result,
            "origin": origin,
            "prev_hash": last_hash or GENESIS_HASH,
        }
        digest = event_digest(fields)
        values = {**fields, "hash": digest}
        params = [
            _EVENT_FIELDS[name].get_db_prep_save(values[name], connection)
            for name in _EVENT_COLUMNS
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql["insert"], params)
            (pk,) = cursor.fetchone()
            cursor.execute(sql["advance"], [fields["sequence"], digest, chain])
    event = AuditEvent(pk=pk, **values)
    event._state.adding = False
    event._state.db = connection.alias
    return event
