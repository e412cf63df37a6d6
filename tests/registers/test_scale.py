"""The scale phase writes valid registrations in bulk, idempotently."""

import datetime

import pytest

from integritas.demo.scale.registers import PHASES, registrations_bulk
from integritas.registers import selectors
from integritas.registers.constants import Kind, Route, Status
from integritas.registers.models import Gift, Registration, SideActivity

pytestmark = pytest.mark.django_db


def test_bulk_registrations_are_valid_and_idempotent(org):
    org.employee.manager = org.manager
    org.employee.save()
    written = registrations_bulk([org.organisation.pk], seed=1, per_employee=5)
    employees = 8  # the org fixture's people
    assert written == employees * 5
    assert registrations_bulk([org.organisation.pk], seed=1) == 0
    assert (
        SideActivity.objects.count() == Registration.objects.filter(kind=Kind.SIDE_ACTIVITY).count()
    )
    assert Gift.objects.count() == Registration.objects.filter(kind=Kind.GIFT).count()
    for gift in Gift.objects.select_related("registration"):
        assert (gift.registration.status == Status.NOTED) == (gift.value_cents <= 5000)
    mine = Registration.objects.filter(employee=org.employee).exclude(route=Route.NONE)
    assert all(r.decider_id == org.manager.pk and r.route == Route.MANAGER for r in mine)
    # The designated functions' approved side activities reach the public register only.
    published = selectors.public_side_activities(org.organisation)
    assert {a.registration.employee_id for a in published} <= {org.secretary.pk, org.director.pk}
    assert PHASES[0].rows(type("O", (), {"employees": 10})()) == 50


def test_bulk_registrations_are_dated_in_the_past_and_counted_in_the_gift_totals(org, monkeypatch):
    """created_at as the seed dates it (the decision, or a pending one of the last
    month), not the moment of the insert; the totals per giver and month match the gifts,
    also where a later batch of the organisation added to the totals of an earlier one."""
    from integritas.demo.scale import registers

    monkeypatch.setattr(registers, "BATCH", 3)  # three batches for the fixture's 8 people
    from django.db.models import Count, Sum
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from integritas.registers.models import GiftTotal

    start = timezone.now()
    registrations_bulk([org.organisation.pk], seed=1, per_employee=10)
    decided = Registration.objects.exclude(decided_at=None)
    assert decided.exists()
    assert all(r.created_at == r.decided_at for r in decided)
    for r in Registration.objects.filter(decided_at=None):
        assert start - datetime.timedelta(days=30) <= r.created_at < start
        assert r.updated_at >= start
    gifts = (
        Gift.objects.annotate(month=TruncMonth("given_on"))
        .values_list("organisation_id", "giver_organisation", "month")
        .annotate(n=Count("pk"), cents=Sum("value_cents"))
    )
    totals = GiftTotal.objects.values_list(
        "organisation_id", "giver_organisation", "month", "count", "value_cents"
    )
    assert sorted(totals) == sorted(gifts)


def test_bulk_counterparty_lists_raise_signals_and_are_idempotent(org):
    from integritas.demo.scale.registers import counterparties_bulk
    from integritas.registers.constants import SignalReason
    from integritas.registers.models import ConflictSignal, Counterparty

    registrations_bulk([org.organisation.pk], seed=1, per_employee=10)
    assert counterparties_bulk([org.organisation.pk], seed=1) == 50  # the minimum
    assert Counterparty.objects.filter(organisation=org.organisation).count() == 50
    side = SideActivity.objects.filter(client_name="Woonstichting Rijnland").count()
    signals = ConflictSignal.objects.filter(reason=SignalReason.SIDE_ACTIVITY)
    assert signals.count() == side
    assert counterparties_bulk([org.organisation.pk], seed=1) == 0
    assert PHASES[1].rows(type("O", (), {"employees": 10})()) == 5
