"""What a person weighed stays as long as the registration it belongs to: through
re-imports of the list (also when the list names the party by another key), through the
daily runs, and through the retention run until the registration itself is purged
(R-DP-2: two years after employment ends)."""

import datetime
import io

import pytest
from django.core.management import call_command

from integritas.audit.models import AuditEvent
from integritas.registers import services, signalling
from integritas.registers.constants import MatchBy, SignalState
from integritas.registers.models import (
    ConflictSignal,
    Counterparty,
    PurgedRegistrationTally,
    Registration,
)

from .helpers import TODAY, side_activity, supplier_list

pytestmark = pytest.mark.django_db


def _weighed(org, registration, note: str = "Geen raakvlak met het werk") -> ConflictSignal:
    signal = ConflictSignal.objects.get(registration=registration)
    return services.signal_weigh(actor=org.officer, signal=signal, relevant=False, note=note)


def _leave(employee, days_ago: int) -> None:
    employee.start_date = datetime.date(2015, 1, 1)
    employee.end_date = TODAY - datetime.timedelta(days=days_ago)
    employee.save()


def _purge() -> str:
    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    return out.getvalue()


def test_the_weighing_follows_its_party_when_the_list_adds_its_kvk_number(org):
    registration = side_activity(org.employee, kvk_number="")
    supplier_list(org, ("VV Leiderdorp", ""))
    weighed = _weighed(org, registration)
    assert weighed.party_key == "name:vv leiderdorp"
    # The next list gives the party's KvK number: the same party, the weighing stays.
    supplier_list(org, ("VV Leiderdorp", "12345678"))
    [signal] = ConflictSignal.objects.filter(registration=registration)
    assert signal.pk == weighed.pk and signal.state == SignalState.NOT_RELEVANT
    assert signal.party_key == "kvk:12345678" and signal.on_list
    assert signal.note == "Geen raakvlak met het werk" and signal.weighed_by == org.officer
    # And drops it again: still the same signal.
    supplier_list(org, ("V.V. Leiderdorp", ""))
    [signal] = ConflictSignal.objects.filter(registration=registration)
    assert signal.pk == weighed.pk and signal.party_key == "name:vv leiderdorp"


def test_a_party_with_another_kvk_number_does_not_take_over_a_weighing(org):
    registration = side_activity(org.employee, kvk_number="")
    supplier_list(org, ("VV Leiderdorp", "12345678"))
    _weighed(org, registration)
    # Another party of the same name: the weighed signal stays apart, off the list.
    supplier_list(org, ("VV Leiderdorp", "87654321"))
    signals = ConflictSignal.objects.filter(registration=registration).order_by("pk")
    assert [(s.party_key, s.state, s.on_list) for s in signals] == [
        ("kvk:12345678", SignalState.NOT_RELEVANT, False),
        ("kvk:87654321", SignalState.OPEN, True),
    ]
    assert signals[1].match_by == MatchBy.NAME


@pytest.mark.requirement("R-DP-2")
def test_weighed_signals_stay_until_their_registration_is_purged(org):
    supplier_list(org, ("VV Leiderdorp", "12345678"))
    registration = side_activity(org.employee)
    signal = _weighed(org, registration)
    side_activity(org.colleague)  # an open signal of someone still employed
    # Left a year and a half ago: within the two years, everything stays.
    _leave(org.employee, days_ago=2 * 365 - 180)
    _purge()
    supplier_list(org, ("Iemand anders", "33333333"))  # the party leaves the list
    signalling.refresh_signals()
    signal.refresh_from_db()
    assert (signal.state, signal.note, signal.on_list) == (
        SignalState.NOT_RELEVANT,
        "Geen raakvlak met het werk",
        False,
    )
    # Two years and a day after the end of employment: the registration goes, and with
    # it its signal and weighing; the other registration, the list and the audit trail
    # of the weighing stay.
    _leave(org.employee, days_ago=2 * 365 + 1)
    assert "1 registratie(s) van oud-medewerkers verwijderd" in _purge()
    assert not Registration.objects.filter(pk=registration.pk).exists()
    assert not ConflictSignal.objects.filter(pk=signal.pk).exists()
    assert ConflictSignal.objects.filter(organisation=org.organisation).count() == 0
    assert Registration.objects.filter(employee=org.colleague).count() == 1
    assert list(Counterparty.objects.values_list("name", flat=True)) == ["Iemand anders"]
    assert PurgedRegistrationTally.objects.get(organisation=org.organisation).count == 1
    assert AuditEvent.objects.filter(
        action="registers.signal.weighed", object_id=str(signal.pk)
    ).exists()


@pytest.mark.requirement("R-DP-2")
def test_the_retention_run_leaves_the_list_and_live_signals_alone(org):
    supplier_list(org, ("VV Leiderdorp", "12345678"))
    registration = side_activity(org.employee)
    _weighed(org, registration)
    _leave(org.colleague, days_ago=3 * 365)  # someone else, long gone, registered nothing
    before = list(ConflictSignal.objects.values_list("pk", "state", "note", "weighed_by"))
    _purge()
    _purge()
    assert list(ConflictSignal.objects.values_list("pk", "state", "note", "weighed_by")) == before
    assert Counterparty.objects.count() == 1
