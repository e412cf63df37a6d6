"""Tamper detection: the model and the database refuse changes, and `audit_verify`
finds the first broken event when someone steps around both.

R-BIO-1: the audit log is append-only and its integrity can be proven.
"""

from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from integritas.audit.hashing import event_digest
from integritas.audit.models import AuditChainHead, AuditEvent
from integritas.audit.services import HASHED_FIELDS, chain_for

from .conftest import unguarded

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R-BIO-1")]

TABLE = AuditEvent._meta.db_table


# -- (a) the model refuses ---------------------------------------------------------------


def test_model_refuses_to_save_an_existing_event(organisation, record_events):
    event = record_events(1, organisation)[0]
    event.action = "forged"
    with pytest.raises(PermissionError):
        event.save()
    event.refresh_from_db()
    assert event.action == "test.step0"


def test_model_refuses_delete(organisation, record_events):
    event = record_events(1, organisation)[0]
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_refuses_update_and_delete(organisation, record_events):
    record_events(2, organisation)
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(chain=chain_for(organisation)).update(action="forged")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    events = list(AuditEvent.objects.all())
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEvent.objects.bulk_update(events, ["action"])
    assert AuditEvent.objects.count() == 2
    assert not AuditEvent.objects.filter(action="forged").exists()


# -- (b) the database refuses (SQLite trigger from migration 0002, pgtrigger on PostgreSQL) --


@pytest.mark.parametrize(
    "statement",
    [
        f"UPDATE {TABLE} SET action = 'forged' WHERE id = %s",  # noqa: S608
        f"DELETE FROM {TABLE} WHERE id = %s",  # noqa: S608
    ],
    ids=["update", "delete"],
)
def test_raw_sql_is_refused_by_the_database_trigger(organisation, record_events, statement):
    event = record_events(1, organisation)[0]
    with (
        pytest.raises(DatabaseError, match=r"append-only|Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # IntegrityError on SQLite (RAISE(ABORT)), InternalError on PostgreSQL (pgtrigger).
        cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action="test.step0").exists()


def test_the_base_manager_is_refused_by_the_database_too(organisation, record_events):
    # The model's guard lives on its default manager; the trigger holds for every path.
    event = record_events(1, organisation)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent._base_manager.filter(pk=event.pk).update(action="forged")
    assert AuditEvent.objects.filter(pk=event.pk, action="test.step0").exists()


# -- (c) around the guard: verification finds it ----------------------------------------


@pytest.fixture
def chain(organisation, other_organisation, record_events):
    """Five events for `organisation`; other chains stay intact alongside."""
    record_events(2, other_organisation)
    events = record_events(5, organisation)
    record_events(2, None)
    return chain_for(organisation), events


def assert_break(result, chain, sequence):
    assert not result.ok
    assert f"Keten {chain}: gebroken bij volgnummer {sequence} " in result.stderr
    # Only the tampered chain is reported.
    assert result.stderr.count("Keten ") == 1


def test_raw_update_of_the_action_is_detected(chain, verify):
    name, events = chain
    with unguarded() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = 'harmless' WHERE id = %s", [events[2].pk])  # noqa: S608
    result = verify()
    assert_break(result, name, 3)
    assert "inhoud gewijzigd" in result.stderr


@pytest.mark.parametrize(
    ("column", "value"),
    [("actor_id", 999999), ("result", "denied"), ("object_id", "42"), ("timestamp", None)],
)
def test_every_hashed_field_is_covered(chain, verify, column, value):
    name, events = chain
    with unguarded() as cursor:
        if column == "timestamp":
            cursor.execute(
                f"UPDATE {TABLE} SET timestamp = %s WHERE id = %s",  # noqa: S608
                [events[1].timestamp.replace(year=2020), events[1].pk],
            )
        else:
            cursor.execute(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, events[1].pk])  # noqa: S608
    assert_break(verify(), name, 2)


def test_deleted_middle_event_is_detected(chain, verify):
    name, events = chain
    with unguarded() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[2].pk])  # noqa: S608
    result = verify()
    assert_break(result, name, 3)
    assert "ontbrekend volgnummer" in result.stderr


def test_deleted_first_event_is_detected(chain, verify):
    name, events = chain
    with unguarded() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[0].pk])  # noqa: S608
    assert_break(verify(), name, 1)


def test_deleted_last_event_is_detected_through_the_chain_head(chain, verify):
    # Truncation: the remaining events still link up; only the head knows there were five.
    name, events = chain
    with unguarded() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[-1].pk])  # noqa: S608
    result = verify()
    assert_break(result, name, 5)
    assert "ingekort" in result.stderr


def test_event_appended_after_a_truncation_leaves_a_gap(chain, verify, organisation):
    from integritas.audit.services import audit_record

    name, events = chain
    with unguarded() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[-1].pk])  # noqa: S608
    audit_record(action="test.later", organisation=organisation)
    assert_break(verify(), name, 5)


def test_rehashed_forgery_is_detected_at_its_successor(chain, verify):
    # The forger recomputes the hash of event 3, so event 3 looks consistent on its own;
    # event 4 still names the original hash as its predecessor.
    name, events = chain
    row = AuditEvent.objects.filter(pk=events[2].pk).values(*HASHED_FIELDS).get()
    row["action"] = "harmless"
    forged_hash = event_digest(row)
    with unguarded() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET action = %s, hash = %s WHERE id = %s",  # noqa: S608
            ["harmless", forged_hash, events[2].pk],
        )
    result = verify()
    assert_break(result, name, 4)
    assert "vorige hash klopt niet" in result.stderr


def test_rehashed_last_event_is_detected_through_the_chain_head(chain, verify):
    name, events = chain
    row = AuditEvent.objects.filter(pk=events[-1].pk).values(*HASHED_FIELDS).get()
    row["action"] = "harmless"
    with unguarded() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET action = %s, hash = %s WHERE id = %s",  # noqa: S608
            ["harmless", event_digest(row), events[-1].pk],
        )
    result = verify()
    assert_break(result, name, 5)
    assert "ketenkop" in result.stderr


def test_forged_event_beyond_the_head_is_detected(chain, verify):
    name, events = chain
    # Inserting is allowed (it is how events come into being); a forged sixth event that
    # does not move the head is still found.
    row = AuditEvent.objects.filter(pk=events[-1].pk).values(*HASHED_FIELDS).get()
    forged = {**row, "sequence": 6, "prev_hash": events[-1].hash, "action": "forged"}
    AuditEvent.objects.create(**forged, hash=event_digest(forged))
    result = verify()
    assert_break(result, name, 6)


def test_deleted_chain_head_is_detected(chain, verify):
    name, _events = chain
    AuditChainHead.objects.filter(chain=name).delete()
    assert_break(verify(), name, 5)


def test_rewrite_of_a_whole_chain_is_caught_by_recorded_heads(chain, verify, tmp_path):
    # Heads recorded outside the database (docs/operations.md) catch what the chain cannot:
    # an attacker who rebuilds every hash and the head after changing an event.
    name, _events = chain
    first = verify()
    assert first.ok
    anchors = Path(tmp_path / "heads.txt")
    anchors.write_text(first.stdout, encoding="utf-8")
    assert verify("--anchors", str(anchors)).ok

    rows = list(
        AuditEvent.objects.filter(chain=name).order_by("sequence").values("pk", *HASHED_FIELDS)
    )
    rows[1]["action"] = "harmless"
    with unguarded() as cursor:
        prev = rows[0]["prev_hash"]
        for row in rows:
            row["prev_hash"] = prev
            prev = event_digest(row)
            cursor.execute(
                f"UPDATE {TABLE} SET action = %s, prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
                [row["action"], row["prev_hash"], prev, row["pk"]],
            )
    AuditChainHead.objects.filter(chain=name).update(last_hash=prev)

    assert verify().ok  # internally consistent again
    result = verify("--anchors", str(anchors))
    assert_break(result, name, 5)
    assert "vastgelegde kop" in result.stderr


def test_anchors_file_without_heads_is_refused(verify, tmp_path):
    anchors = tmp_path / "empty.txt"
    anchors.write_text("niets\n", encoding="utf-8")
    result = verify("--anchors", str(anchors))
    assert not result.ok
    assert "Geen ketenkoppen" in result.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncate_of_the_audit_table_is_refused_on_postgresql(organisation, record_events):
    # TRUNCATE empties a table without touching rows, so row triggers never see it; a
    # statement trigger refuses it (grants and anchored heads are the other two guards).
    record_events(2, organisation)
    with (
        pytest.raises(DatabaseError, match="Cannot truncate"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"TRUNCATE {TABLE}")
    assert AuditEvent.objects.count() == 2
