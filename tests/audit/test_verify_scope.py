"""`audit_verify` at scale: one chain, the period since the last anchor, progress.

Verifying ten million events from genesis every night takes long; an operator verifies
the new events since the heads recorded last time, or one chain after an incident. The
narrower run must still catch what it covers, and must not pass what it cannot see.
"""

import pytest

from integritas.audit import verification
from integritas.audit.models import AuditEvent
from integritas.audit.services import chain_for

from .conftest import unguarded

pytestmark = pytest.mark.django_db
TABLE = AuditEvent._meta.db_table


@pytest.fixture
def two_chains(organisation, other_organisation, record_events):
    record_events(4, organisation)
    record_events(3, other_organisation)
    return chain_for(organisation), chain_for(other_organisation)


def tamper(event_pk: int) -> None:
    with unguarded() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = 'harmless' WHERE id = %s", [event_pk])  # noqa: S608


@pytest.mark.requirement("R-BIO-1")
def test_one_chain_is_verified_alone(two_chains, verify):
    own, other = two_chains
    result = verify("--chain", other, "--no-progress")
    assert result.ok
    assert f"{other}: 3 events" in result.stdout
    assert own not in result.stdout

    tamper(AuditEvent.objects.get(chain=other, sequence=2).pk)
    assert not verify("--chain", other).ok
    assert verify("--chain", own).ok  # the other chain is not this run's business


@pytest.mark.requirement("R-BIO-1")
def test_since_the_last_anchor_only_new_events_are_recomputed(
    two_chains, verify, record_events, organisation, tmp_path
):
    own, _other = two_chains
    heads = tmp_path / "heads.txt"
    heads.write_text(verify().stdout, encoding="utf-8")
    record_events(3, organisation)

    result = verify("--anchors", str(heads), "--since-anchors")
    assert result.ok
    assert f"{own}: 7 events" in result.stdout

    # A change after the anchor is found; one before it is outside this run's period...
    tamper(AuditEvent.objects.get(chain=own, sequence=6).pk)
    assert "volgnummer 6" in verify("--anchors", str(heads), "--since-anchors").stderr


@pytest.mark.requirement("R-BIO-1")
def test_a_rewritten_anchor_event_fails_the_period_run(two_chains, verify, tmp_path):
    own, _other = two_chains
    heads = tmp_path / "heads.txt"
    heads.write_text(verify().stdout, encoding="utf-8")
    early = AuditEvent.objects.get(chain=own, sequence=2).pk
    with unguarded() as cursor:  # ...unless the anchor itself no longer matches
        cursor.execute(f"UPDATE {TABLE} SET action = 'harmless' WHERE id = %s", [early])  # noqa: S608
        cursor.execute(
            f"UPDATE {TABLE} SET hash = %s WHERE chain = %s AND sequence = 4",  # noqa: S608
            ["0" * 64, own],
        )
    result = verify("--anchors", str(heads), "--since-anchors")
    assert not result.ok
    assert "vastgelegde kop" in result.stderr


def test_since_anchors_needs_an_anchors_file(verify):
    assert "vereist --anchors" in verify("--since-anchors").stderr


def test_progress_counts_up_to_the_chain_lengths(two_chains, monkeypatch, verify):
    monkeypatch.setattr(verification, "PROGRESS_EVERY", 2)
    result = verify()
    assert result.ok
    lines = [line for line in result.stderr.splitlines() if "gecontroleerd" in line]
    assert lines
    assert all("/7 events gecontroleerd" in line for line in lines)
    assert "nog ongeveer" in lines[-1]


def test_events_are_read_in_chunks(two_chains, monkeypatch):
    """Constant memory: the events come through a chunked iterator, never a list."""
    seen = []
    original = verification._events_after

    def spy(chain: str, sequence: int):
        rows = original(chain, sequence)
        seen.append(type(rows).__name__)
        return rows

    monkeypatch.setattr(verification, "_events_after", spy)
    _heads, breaks = verification.verify_all()
    assert not breaks
    assert seen and all(name == "generator" for name in seen)
