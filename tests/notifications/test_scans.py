"""`send_reminders` and `purge_expired` run the scans every app registers.

The commands know no app: a domain app registers its reminder and retention scans, and
the shared machinery below the apps (the throttle) gets its retention run too, so its
table does not grow forever.
"""

import datetime
import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.utils import timezone

from integritas.core.models import ThrottleCounter
from integritas.notifications import scans
from integritas.notifications.scans import ScanReport

pytestmark = pytest.mark.django_db


def _run(command: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def registered_app() -> Iterator[list[bool]]:
    """Another app's scans, registered the way every app registers its own."""
    calls: list[bool] = []

    def reminders() -> ScanReport:
        return ScanReport(lines=["NW-7 herbevestiging"], warnings=["NW-8: geen e-mail"], count=1)

    def retention(dry_run: bool) -> ScanReport:
        calls.append(dry_run)
        return ScanReport(lines=["NW-1"], summary="1 registratie(s) verwijderd.")

    # A name of its own: the fixture must neither replace a real app's scans nor, on
    # leaving, remove them for the tests that follow (it once popped the registers' own
    # retention scan, and a later retention test found nothing purged).
    scans.register_reminder_scan("test_other_app", reminders)
    scans.register_retention_scan("test_other_app", retention)
    yield calls
    scans._reminder_scans.pop("test_other_app")
    scans._retention_scans.pop("test_other_app")


def test_the_meldpunt_registers_its_scans():
    assert "cases" in scans.reminder_scans()
    assert "cases" in scans.retention_scans()


def test_send_reminders_runs_every_registered_scan_and_counts_them_together(registered_app):
    out, err = _run("send_reminders")
    assert "NW-7 herbevestiging" in out
    assert "NW-8: geen e-mail" in err
    assert "1 herinnering(en) verstuurd." in out  # no case is due: only the other app's one


def test_purge_expired_runs_every_registered_scan_with_the_dry_run_flag(registered_app):
    out, _err = _run("purge_expired", "--dry-run")
    assert registered_app == [True]
    assert "NW-1" in out
    assert "Proefrun: 0 melding(en)" in out
    _run("purge_expired")
    assert registered_app == [True, False]


def test_purge_expired_removes_throttle_counters_older_than_every_window():
    now = timezone.now()
    old = ThrottleCounter.objects.create(key="a", window_start=now - datetime.timedelta(hours=49))
    recent = ThrottleCounter.objects.create(key="b", window_start=now - datetime.timedelta(hours=2))

    out, _err = _run("purge_expired", "--dry-run")
    assert ThrottleCounter.objects.filter(pk=old.pk).exists()  # a dry run deletes nothing

    out, _err = _run("purge_expired")
    assert not ThrottleCounter.objects.filter(pk=old.pk).exists()
    assert ThrottleCounter.objects.filter(pk=recent.pk).exists()
    assert "1 verlopen tellers van de pogingenteller opgeruimd." in out

    out, _err = _run("purge_expired")
    assert "pogingenteller" not in out  # nothing to report: the output stays as it was
