"""Appending to the audit log: one contiguous hash chain per organisation plus the region's.

R-BIO-1: events are recorded append-only and `integritas audit_verify` proves it.
"""

import itertools

import pytest

from integritas.audit.constants import REGION_CHAIN, Origin, Result
from integritas.audit.hashing import GENESIS_HASH, event_digest
from integritas.audit.models import AuditChainHead, AuditEvent
from integritas.audit.services import HASHED_FIELDS, audit_record, chain_for

pytestmark = pytest.mark.django_db


def chain_rows(chain):
    return list(
        AuditEvent.objects.filter(chain=chain).order_by("sequence").values("hash", *HASHED_FIELDS)
    )


@pytest.mark.requirement("R-BIO-1")
def test_events_of_one_organisation_form_a_contiguous_chain(organisation, record_events):
    # R-BIO-1
    record_events(5, organisation)
    rows = chain_rows(chain_for(organisation))

    assert [r["sequence"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["prev_hash"] == GENESIS_HASH
    for previous, current in itertools.pairwise(rows):
        assert current["prev_hash"] == previous["hash"]
    for row in rows:
        assert event_digest(row) == row["hash"]
    assert all(r["organisation_id"] == organisation.pk for r in rows)
    head = AuditChainHead.objects.get(chain=chain_for(organisation))
    assert (head.sequence, head.last_hash) == (5, rows[-1]["hash"])


def test_each_organisation_and_the_region_have_their_own_chain(
    organisation, other_organisation, record_events
):
    record_events(3, organisation)
    record_events(2, other_organisation)
    record_events(4, None)
    record_events(1, organisation)

    assert chain_for(organisation) != chain_for(other_organisation)
    assert chain_for(None) == REGION_CHAIN
    heads = dict(AuditChainHead.objects.values_list("chain", "sequence"))
    assert heads == {
        chain_for(organisation): 4,
        chain_for(other_organisation): 2,
        REGION_CHAIN: 4,
    }
    for chain, length in heads.items():
        assert [r["sequence"] for r in chain_rows(chain)] == list(range(1, length + 1))
        assert chain_rows(chain)[0]["prev_hash"] == GENESIS_HASH
    assert not AuditEvent.objects.filter(chain=REGION_CHAIN, organisation__isnull=False).exists()


@pytest.mark.requirement("R-BIO-1")
def test_audit_record_stores_who_did_what_to_which_object(organisation, make_user):
    actor = make_user()
    event = audit_record(
        action="organisation.settings_changed",
        actor=actor,
        actor_role="administrator",
        obj=organisation,
        organisation=organisation,
        result=Result.DENIED,
        origin=Origin.CLI,
    )
    event.refresh_from_db()
    assert event.actor == actor
    assert event.actor_role == "administrator"
    assert event.object_type == "organisations.organisation"
    assert event.object_id == str(organisation.pk)
    assert event.organisation == organisation
    assert (event.result, event.origin) == (Result.DENIED, Origin.CLI)
    assert event.timestamp is not None


def test_anonymous_actor_is_recorded_as_none(organisation):
    from django.contrib.auth.models import AnonymousUser

    event = audit_record(action="test.anonymous", actor=AnonymousUser(), organisation=organisation)
    assert event.actor_id is None


def test_event_joins_the_callers_transaction(organisation):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action="test.rolled_back", organisation=organisation)
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.exists()
    head = AuditChainHead.objects.filter(chain=chain_for(organisation)).first()
    assert head is None or head.sequence == 0


def test_audit_verify_succeeds_on_an_intact_log_and_prints_the_heads(
    organisation, other_organisation, record_events, verify
):
    # R-BIO-1
    record_events(3, organisation)
    record_events(2, other_organisation)
    record_events(1, None)

    result = verify()

    assert result.ok, result.stderr
    for chain, count in [
        (chain_for(organisation), 3),
        (chain_for(other_organisation), 2),
        (REGION_CHAIN, 1),
    ]:
        head = AuditChainHead.objects.get(chain=chain)
        assert f"{chain}: {count} events, kop {head.last_hash}" in result.stdout
    assert "3 ketens" in result.stdout


def test_audit_verify_on_an_empty_log_succeeds(verify):
    result = verify()
    assert result.ok
    assert "0 ketens" in result.stdout
