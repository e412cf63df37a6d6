"""Audit events in bulk, in chain order, with hashes that `audit_verify` accepts.

The events run through the period in time order, each in the chain of its organisation
(`org-<pk>`); per chain the sequence and the previous hash are carried along and every
hash is `audit.hashing.event_digest` over exactly the fields `audit_record` hashes. Rows
go in by plain multi-row INSERT on SQLite and by COPY on PostgreSQL; after every batch
the chain heads are advanced in the same transaction, so a run that stops half-way
still leaves chains that verify. No trigger is switched off: the append-only triggers
refuse UPDATE and DELETE, and only INSERT is used.

The table's secondary indexes that enforce nothing (neither unique nor backing a
constraint nor the primary key: twelve on PostgreSQL, eleven on SQLite) are dropped
before the events go in and built again afterwards from their exact definitions as the
database's catalogue gave them (`pg_get_indexdef`, `sqlite_master.sql`), in a `finally`,
so an exception or Ctrl-C (KeyboardInterrupt) also puts them back, as long as the
database connection survived it; only a SIGKILL or a crash of the machine (or a lost
connection) can leave them missing (then start again from a fresh database, as after any
interrupted run). Two of them take rows in random order (actor/time, and the
hash's `varchar_pattern_ops` copy on PostgreSQL): at ten million rows they no longer fit
in the database's cache, and every insert into them became a random read and write (on
PostgreSQL also a full-page image in the WAL after every checkpoint). Building an index
from the finished table is one sorted pass instead.

Every unique index stays, also the random-order one on the hash: they are the integrity
of the log (the hash is unique, one event per place in a chain). On PostgreSQL both back
constraints (`audit_auditevent_hash_key`, `audit_chain_sequence`); on SQLite they are
UNIQUE clauses of the table, whose indexes cannot be dropped at all. Dropped, they would not
guard the rows written meanwhile, and rebuilding them would check uniqueness only at the
end, where a duplicate makes the rebuild fail and leaves the table without the
constraint; the inserts into them are the price of keeping every row checked as it
arrives. On PostgreSQL the index builds run with `maintenance_work_mem = 512MB` for the
session, set back afterwards (`run.py` sets `synchronous_commit = off` for the run).

Events hold ids only, as real ones do: who (a user of the organisation, with their role),
what (logins, reads of cases that existed at that moment, notes, messages ...), which
object, result and origin. The demo organisation's chain is continued from its head.
"""

import datetime
import hashlib
import itertools
import random
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from integritas.audit.constants import Origin, Result
from integritas.audit.hashing import GENESIS_HASH, event_digest
from integritas.audit.models import AuditChainHead, AuditEvent
from integritas.audit.services import HASHED_FIELDS, chain_for

from . import plan
from .cases import CaseIndex
from .organisations import Slot
from .people import People
from .tuning import postgresql_session

BATCH = 250_000  # events per transaction: few commits, each rewriting the random index pages once
COLUMNS = (*HASHED_FIELDS, "hash")
Row = tuple[Any, ...]  # one event's values in COLUMNS order

# (action, weight, object kind, origin, result): what happens how often.
_ACTIONS: tuple[tuple[str, int, str, str, str], ...] = (
    ("case.read", 380, "case", Origin.WEB, Result.SUCCESS),
    ("login.oidc", 200, "user", Origin.WEB, Result.SUCCESS),
    ("logout", 90, "user", Origin.WEB, Result.SUCCESS),
    ("case.reporter.read", 50, "case", Origin.WEB, Result.SUCCESS),
    ("case.note", 50, "case", Origin.WEB, Result.SUCCESS),
    ("case.message", 40, "case", Origin.WEB, Result.SUCCESS),
    ("case.mailbox_read", 40, "case", Origin.WEB, Result.SUCCESS),
    ("case.acknowledge", 25, "case", Origin.WEB, Result.SUCCESS),
    ("case.submit", 25, "case", Origin.WEB, Result.SUCCESS),
    ("case.assess", 20, "case", Origin.WEB, Result.SUCCESS),
    ("login.failed", 30, "none", Origin.WEB, Result.FAILURE),
    ("case.read", 5, "case", Origin.WEB, Result.DENIED),
    ("case.submit", 5, "case", Origin.API, Result.SUCCESS),
    ("mfa.added", 5, "user", Origin.WEB, Result.SUCCESS),
    ("hr.import", 2, "import", Origin.CLI, Result.SUCCESS),
)
# Actions of the reporter (no actor) and those of anyone versus a case handler.
_NO_ACTOR = frozenset({"case.submit", "case.mailbox_read", "login.failed"})
_HANDLER_ACTIONS = frozenset(
    {
        "case.read",
        "case.reporter.read",
        "case.note",
        "case.message",
        "case.acknowledge",
        "case.assess",
    }
)


@dataclass
class _Chain:
    name: str
    organisation: int
    sequence: int
    last_hash: str
    users: list[int]
    handlers: list[tuple[int, str]]  # (user, role) who read and handle cases


def _chains(slots: list[Slot], people: People) -> list[_Chain]:
    heads = dict(
        AuditChainHead.objects.filter(
            chain__in=[chain_for(s.organisation) for s in slots]
        ).values_list("chain", "sequence")
    )
    hashes = dict(AuditChainHead.objects.values_list("chain", "last_hash"))
    regional = [(u, r) for u, r in people.roles.items() if r == "integrity_coordinator"]
    chains = []
    for slot in slots:
        name = chain_for(slot.organisation)
        users = people.users.get(slot.organisation.pk, [])
        own = [(u, people.roles[u]) for u in users if u in people.roles]
        chains.append(
            _Chain(
                name=name,
                organisation=slot.organisation.pk,
                sequence=heads.get(name, 0),
                last_hash=hashes.get(name) or GENESIS_HASH,
                users=users or [0],
                handlers=own + regional or [(users[0] if users else 0, "")],
            )
        )
    return chains


def _timeline(
    count: int, start: datetime.datetime, end: datetime.datetime, rng: random.Random
) -> Iterator[datetime.datetime]:
    """`count` increasing moments spread evenly over [start, end), each jittered."""
    step = (end - start) / max(count, 1)
    for k in range(count):
        yield start + step * (k + rng.random())


def events(
    slots: list[Slot],
    people: People,
    case_index: CaseIndex,
    *,
    count: int,
    years: int,
    seed: int,
    tick: Callable[[int], None],
) -> int:
    """Write `count` events over the last `years` years; returns how many were written."""
    if count == 0 or not slots:
        return 0
    with secondary_indexes_dropped():
        return _events(slots, people, case_index, count=count, years=years, seed=seed, tick=tick)


def _events(
    slots: list[Slot],
    people: People,
    case_index: CaseIndex,
    *,
    count: int,
    years: int,
    seed: int,
    tick: Callable[[int], None],
) -> int:
    rng = random.Random(f"{seed}:audit")  # noqa: S311 (not for security)
    chains = _chains(slots, people)
    weights = list(itertools.accumulate(plan.proportional(count, [s.size for s in slots])))
    action_weights = list(itertools.accumulate(a[1] for a in _ACTIONS))
    _ensure_heads(chains)
    end = timezone.now()
    start = end - datetime.timedelta(days=365 * years)
    writer = _writer()
    written = 0
    batch: list[Row] = []
    touched: dict[str, _Chain] = {}
    for moment in _timeline(count, start, end, rng):
        chain = chains[_pick(weights, rng.random() * weights[-1])]
        action, _, kind, origin, result = _ACTIONS[
            _pick(action_weights, rng.random() * action_weights[-1])
        ]
        actor: int | None
        role = ""
        object_type, object_id = "", ""
        if action in _HANDLER_ACTIONS:
            actor, role = rng.choice(chain.handlers)
        elif action in _NO_ACTOR:
            actor = None
        else:
            actor = rng.choice(chain.users)
        if kind == "case":
            known = case_index.before(chain.organisation, moment)
            if not known:
                action, actor, role, kind = "login.oidc", rng.choice(chain.users), "", "user"
            else:
                at = known - 1 if action == "case.submit" else rng.randrange(known)
                object_type, object_id = "cases.case", str(case_index.pks[chain.organisation][at])
        if kind == "user":
            object_type, object_id = "accounts.user", str(actor)
        elif kind == "none":
            object_type = "accounts.user"
        elif kind == "import":
            object_type = "organisations.employee"
        if actor == 0:  # an organisation without accounts
            actor = None
        chain.sequence += 1
        row = (
            chain.name,
            chain.sequence,
            moment,
            actor,
            role,
            action,
            object_type,
            object_id,
            chain.organisation,
            result,
            origin,
            chain.last_hash,
        )
        chain.last_hash = digest(row)
        if not batch and chain.last_hash != event_digest(
            dict(zip(HASHED_FIELDS, row, strict=True))
        ):
            # The first of every batch is checked against the real encoding.
            raise RuntimeError("digest() no longer matches audit.hashing.event_digest")
        batch.append((*row, chain.last_hash))
        touched[chain.name] = chain
        if len(batch) >= BATCH:
            writer(batch, touched.values())
            written += len(batch)
            tick(len(batch))
            batch, touched = [], {}
    if batch:
        writer(batch, touched.values())
        written += len(batch)
        tick(len(batch))
    return written


def secondary_indexes() -> dict[str, str]:
    """The audit table's indexes that enforce nothing, by name: their exact definitions
    from the catalogue. Unique indexes (constraints or not) and the primary key are left
    out."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """
                SELECT c.relname, pg_get_indexdef(i.indexrelid)
                FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
                ORDER BY c.relname
                """,
                [connection.ops.quote_name(table)],
            )
            return dict(cursor.fetchall())
        if connection.vendor == "sqlite":
            # origin "c": made by CREATE INDEX (not by a UNIQUE or PRIMARY KEY clause).
            cursor.execute(f"PRAGMA index_list({connection.ops.quote_name(table)})")
            plain = {row[1] for row in cursor.fetchall() if not row[2] and row[3] == "c"}
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL ORDER BY name",
                [table],
            )
            return {name: sql for name, sql in cursor.fetchall() if name in plain}
    return {}  # another database: the indexes stay


@contextmanager
def secondary_indexes_dropped() -> Iterator[None]:
    """Drop the indexes of `secondary_indexes()` for the bulk insert and create them again
    from the same definitions afterwards, also after an exception or Ctrl-C. A SIGKILL
    (or a crash of the machine) skips the `finally`: the indexes then stay missing; the
    run cannot be resumed anyway (start from a fresh database)."""
    definitions = secondary_indexes()
    dropped: list[str] = []
    try:
        with connection.cursor() as cursor:
            for name in definitions:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                dropped.append(name)
        yield
    finally:
        _create_indexes([definitions[name] for name in dropped])


def _create_indexes(definitions: list[str]) -> None:
    """Create every index, also when one fails (the first error is raised after)."""
    failed: Exception | None = None
    with postgresql_session(maintenance_work_mem="512MB"), connection.cursor() as cursor:
        for definition in definitions:
            try:
                cursor.execute(definition)
            except Exception as error:  # the others are still created
                failed = failed or error
    if failed is not None:
        raise failed


def digest(row: Row) -> str:
    """`event_digest` for a row in HASHED_FIELDS order, without building a dict: the same
    canonical JSON (sorted keys, no spaces) written directly, for values that need no
    escaping (ids, fixed action names, hex). Checked against event_digest per batch."""
    chain, sequence, moment, actor, role, action, otype, oid, org, result, origin, prev = row
    payload = (
        f'{{"action":"{action}","actor":{"null" if actor is None else actor},'
        f'"actor_role":"{role}","chain":"{chain}","object_id":"{oid}",'
        f'"object_type":"{otype}","organisation":{"null" if org is None else org},'
        f'"origin":"{origin}","prev_hash":"{prev}","result":"{result}",'
        f'"sequence":{sequence},'
        f'"timestamp":"{moment.isoformat(timespec="microseconds")}"}}'
    )
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def _pick(cumulative: list[int], value: float) -> int:
    return min(bisect_right(cumulative, value), len(cumulative) - 1)


def _ensure_heads(chains: list[_Chain]) -> None:
    AuditChainHead.objects.bulk_create(
        [AuditChainHead(chain=c.name) for c in chains], ignore_conflicts=True
    )


def _writer() -> Callable[[list[Row], Iterable[_Chain]], None]:
    """Insert one batch and advance the heads of its chains, in one transaction."""
    quote = connection.ops.quote_name
    table = quote(AuditEvent._meta.db_table)
    fields = {f.attname: f for f in AuditEvent._meta.concrete_fields}
    columns = ", ".join(quote(str(fields[name].column)) for name in COLUMNS)
    head_table = quote(AuditChainHead._meta.db_table)
    advance = (
        f"UPDATE {head_table} SET {quote('sequence')} = %s, {quote('last_hash')} = %s "  # noqa: S608
        f"WHERE {quote('chain')} = %s"
    )
    timestamp_at = COLUMNS.index("timestamp")

    def heads(cursor: Any, chains: Iterable[_Chain]) -> None:
        cursor.executemany(advance, [(c.sequence, c.last_hash, c.name) for c in chains])

    if connection.vendor == "postgresql":
        copy_sql = f"COPY {table} ({columns}) FROM STDIN"

        def write_pg(rows: list[Row], chains: Iterable[_Chain]) -> None:
            with transaction.atomic(), connection.cursor() as cursor:
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
                heads(cursor, chains)

        return write_pg

    insert = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608
    adapt = fields["timestamp"]

    def write_sqlite(rows: list[Row], chains: Iterable[_Chain]) -> None:
        # What Django's SQLite adapter writes: the naive UTC time as str() gives it.
        first = rows[0][timestamp_at]
        if str(first.replace(tzinfo=None)) != adapt.get_db_prep_save(first, connection):
            raise RuntimeError("Django's SQLite adapter writes times differently now")
        prepared = [
            (
                *row[:timestamp_at],
                str(row[timestamp_at].replace(tzinfo=None)),
                *row[timestamp_at + 1 :],
            )
            for row in rows
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(insert, prepared)
            heads(cursor, chains)

    return write_sqlite
