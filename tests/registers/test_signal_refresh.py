"""The daily run of the signals: side activities that start or end change, by the
calendar alone, whether they should raise a signal (signalling.refresh_signals, run by
`integritas send_reminders`)."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integritas.registers import services, signalling
from integritas.registers.constants import SignalState
from integritas.registers.models import ConflictSignal, SideActivity, SignalRefresh

from .helpers import side_activity as _side_activity
from .helpers import supplier_list

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)


def _at(days: int) -> time_machine.travel:
    return time_machine.travel(MONDAY + datetime.timedelta(days=days), tick=False)


def side_activity(employee, **overrides):
    """A side activity that started a month before the travelled-to day, unless told."""
    start = timezone.localdate() - datetime.timedelta(days=30)
    return _side_activity(employee, **{"start_date": start, **overrides})


def _states(org) -> list[tuple[int, str]]:
    return list(
        ConflictSignal.objects.filter(organisation=org.organisation)
        .order_by("registration_id")
        .values_list("registration_id", "state")
    )


@pytest.mark.requirement("R-AW-5")
def test_a_planned_side_activity_raises_its_signal_the_day_it_starts(org):
    with _at(0):
        supplier_list(org, ("VV Leiderdorp", "12345678"))
        today = timezone.localdate()
        planned = side_activity(
            org.employee, start_date=today + datetime.timedelta(days=3), end_date=None
        )
        assert _states(org) == []  # not yet: it has not started
        signalling.refresh_signals()
    with _at(2):
        assert signalling.refresh_signals().raised == 0
        assert _states(org) == []
    with _at(3):
        result = signalling.refresh_signals()
        assert (result.raised, result.removed) == (1, 0)
        assert _states(org) == [(planned.pk, SignalState.OPEN)]
        # The same day again: nothing to do, nothing doubles.
        again = signalling.refresh_signals()
        assert (again.registrations, again.raised) == (0, 0)
    assert len(_states(org)) == 1


@pytest.mark.requirement("R-AW-5")
def test_an_ended_side_activity_loses_its_open_signal_but_keeps_a_weighed_one(org):
    with _at(0):
        supplier_list(org, ("VV Leiderdorp", "12345678"), ("Drukkerij Rijnland", "22222222"))
        today = timezone.localdate()
        ends = today + datetime.timedelta(days=1)
        open_one = side_activity(org.employee, end_date=ends)
        weighed_one = side_activity(
            org.colleague, client_name="Drukkerij Rijnland", kvk_number="22222222", end_date=ends
        )
        signal = ConflictSignal.objects.get(registration=weighed_one)
        services.signal_weigh(
            actor=org.officer, signal=signal, relevant=False, note="Geen raakvlak"
        )
        signalling.refresh_signals()
    with _at(1):  # the last day: still current
        signalling.refresh_signals()
        assert len(_states(org)) == 2
    with _at(2):
        result = signalling.refresh_signals()
    assert (result.raised, result.removed) == (0, 1)
    assert _states(org) == [(weighed_one.pk, SignalState.NOT_RELEVANT)]
    signal.refresh_from_db()
    assert signal.note == "Geen raakvlak" and signal.weighed_by == org.officer
    assert open_one.signals.count() == 0


def test_a_run_after_missed_days_covers_them_all(org):
    with _at(0):
        supplier_list(org, ("VV Leiderdorp", "12345678"), ("Drukkerij Rijnland", "22222222"))
        today = timezone.localdate()
        ended = side_activity(org.employee, end_date=today + datetime.timedelta(days=2))
        started = side_activity(
            org.colleague,
            client_name="Drukkerij Rijnland",
            kvk_number="22222222",
            start_date=today + datetime.timedelta(days=4),
        )
        signalling.refresh_signals()
        assert _states(org) == [(ended.pk, SignalState.OPEN)]
    with _at(10):  # the job did not run for ten days
        result = signalling.refresh_signals()
    assert (result.registrations, result.raised, result.removed) == (2, 1, 1)
    assert _states(org) == [(started.pk, SignalState.OPEN)]
    assert list(SignalRefresh.objects.order_by("day").values_list("day", flat=True)) == [
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 12),
    ]


def test_the_daily_run_reads_only_what_the_calendar_changed(org):
    """Queries per run: constant in the number of unchanged side activities."""
    with _at(0):
        supplier_list(org, ("VV Leiderdorp", "12345678"))
        for _n in range(5):
            side_activity(org.employee)
        signalling.refresh_signals()
    with _at(1), CaptureQueriesContext(connection) as few:
        signalling.refresh_signals()
    with _at(1):
        for _n in range(20):
            side_activity(org.colleague)
    with _at(2), CaptureQueriesContext(connection) as many:
        signalling.refresh_signals()
    assert len(many.captured_queries) == len(few.captured_queries) <= 6


def test_send_reminders_runs_the_refresh_and_says_what_changed(org):
    with _at(0):
        supplier_list(org, ("VV Leiderdorp", "12345678"))
        today = timezone.localdate()
        side_activity(org.employee, start_date=today + datetime.timedelta(days=1))
        call_command("send_reminders", stdout=io.StringIO())
    with _at(1):
        out = io.StringIO()
        call_command("send_reminders", stdout=out)
        assert "Signalen bijgewerkt naar de kalender: 1 nieuw, 0 vervallen" in out.getvalue()
        out = io.StringIO()
        call_command("send_reminders", stdout=out)
        assert "Signalen bijgewerkt" not in out.getvalue()
    assert len(_states(org)) == 1


def test_the_first_run_matches_every_organisation_whole(org):
    """Before any daily run, signals raised before this run existed may be stale: an
    ended activity's open signal goes, whatever its dates."""
    with _at(0):
        supplier_list(org, ("VV Leiderdorp", "12345678"))
        ended = side_activity(org.employee)
        # Ended by a write that did not recompute (as before the daily run existed).
        SideActivity.objects.filter(registration=ended).update(
            end_date=timezone.localdate() - datetime.timedelta(days=5)
        )
        result = signalling.refresh_signals()
    assert (result.since, result.removed) == (None, 1)
    assert _states(org) == []


def test_many_changes_in_one_organisation_are_matched_whole(org, monkeypatch):
    monkeypatch.setattr(signalling, "WHOLE_ORGANISATION", 1)
    test_a_run_after_missed_days_covers_them_all(org)
