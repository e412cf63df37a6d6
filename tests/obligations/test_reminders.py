"""Reminders before and after due dates (once per stage) and retention (R-DP-2)."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from integritas.obligations.constants import DutyKind, DutyStatus
from integritas.obligations.models import Duty, DutyReminder, SignedForm
from integritas.obligations.reminders import purge_expired, send_reminders
from tests.obligations.factories import starter

pytestmark = pytest.mark.django_db


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.UTC), tick=False
    )


def run() -> str:
    out = StringIO()
    call_command("send_reminders", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_send_reminders_twice_the_same_day_sends_nothing_the_second_time(organisation, mailoutbox):
    start = datetime.date(2026, 11, 10)
    with at(datetime.date(2026, 12, 1)):
        employee = starter(organisation, start)
        first = run()
        assert first.strip().splitlines()[-1] == "1 herinnering(en) verstuurd."
        assert len(mailoutbox) == 1
        assert mailoutbox[0].to == [employee.email]
        assert "Integriteitsverklaring" not in mailoutbox[0].body
        second = run()
        assert second.strip().splitlines()[-1] == "0 herinnering(en) verstuurd."
        assert len(mailoutbox) == 1


def test_overdue_is_a_second_stage(organisation, mailoutbox):
    start = datetime.date(2026, 11, 10)
    with at(datetime.date(2026, 12, 1)):
        starter(organisation, start)
        send_reminders()
    with at(datetime.date(2027, 1, 15)):
        result = send_reminders()
        assert result.mails == 1
        assert "te laat" in mailoutbox[-1].body
        assert send_reminders().mails == 0


def test_done_duties_are_not_reminded(organisation, mailoutbox):
    with at(datetime.date(2026, 12, 1)):
        employee = starter(organisation, datetime.date(2026, 11, 10))
        Duty.objects.filter(employee=employee).update(
            status=DutyStatus.DONE,
            completed_on=datetime.date(2026, 12, 1),
            oath_form="eed",
            administered_by="X",
        )
        assert send_reminders().mails == 0


@pytest.mark.requirement("R-DP-2")
def test_duties_purged_two_years_after_employment_ends(organisation):
    with at(datetime.date(2024, 1, 1)):
        gone = starter(organisation, datetime.date(2024, 1, 1))
        stays = starter(organisation, datetime.date(2024, 1, 1))
    gone.end_date = datetime.date(2024, 6, 30)
    gone.save()
    stays.end_date = datetime.date(2025, 6, 30)
    stays.save()
    with at(datetime.date(2026, 12, 6)):
        dry = purge_expired(dry_run=True)
        assert dry.duties > 0
        assert Duty.objects.filter(employee=gone).exists()
        purge_expired(dry_run=False)
    assert not Duty.objects.filter(employee=gone).exists()
    assert Duty.objects.filter(employee=stays).exists()
    assert not SignedForm.objects.filter(duty__employee=gone).exists()


def test_kinds_in_the_mail_are_the_employees_own(organisation, mailoutbox):
    with at(datetime.date(2026, 12, 1)):
        starter(organisation, datetime.date(2026, 11, 10))
        send_reminders()
    body = mailoutbox[0].body
    assert str(DutyKind.OATH.label) in body


def test_each_stage_is_mailed_once_over_the_days_before_and_after_the_due_date(
    organisation, mailoutbox
):
    """Before the due date one reminder, however many days the run repeats; after it one
    more ("te laat"), then nothing, while the duties stay open."""
    start = datetime.date(2026, 11, 10)
    with at(datetime.date(2026, 11, 10)):
        starter(organisation, start)
    due = Duty.objects.filter(status=DutyStatus.OPEN).order_by("due_date").first().due_date
    sent = []
    day = due - datetime.timedelta(days=14)
    while day <= due + datetime.timedelta(days=10):
        with at(day):
            last = run().strip().splitlines()[-1]
            sent.append((day, last))
            # A second run on the same day sends nothing.
            assert run().strip().splitlines()[-1] == "0 herinnering(en) verstuurd."
        day += datetime.timedelta(days=1)
    mailing_days = [d for d, line in sent if line != "0 herinnering(en) verstuurd."]
    assert mailing_days[0] == due - datetime.timedelta(days=14)
    assert due + datetime.timedelta(days=1) in mailing_days
    # Stage 1 and stage 2 of every duty once, whatever day it fell due.
    open_duties = Duty.objects.filter(status=DutyStatus.OPEN, due_date__lte=sent[-1][0])
    stages = DutyReminder.objects.filter(duty__in=open_duties)
    assert stages.count() == len(set(stages.values_list("duty_id", "stage")))
    assert set(stages.values_list("stage", flat=True)) == {1, 2}
    assert len(mailoutbox) == len(mailing_days)


@pytest.mark.requirement("R-DP-2")
def test_the_retention_run_is_idempotent(organisation):
    with at(datetime.date(2023, 1, 2)):
        gone = starter(organisation, datetime.date(2023, 1, 2))
    gone.end_date = datetime.date(2024, 1, 31)
    gone.save()
    with at(datetime.date(2026, 2, 1)):
        first = purge_expired(dry_run=False)
        assert first.duties > 0
        second = purge_expired(dry_run=False)
        assert (second.duties, second.forms) == (0, 0)
    # Exactly two years after the end date the records are still kept.
    with at(datetime.date(2023, 1, 2)):
        kept = starter(organisation, datetime.date(2023, 1, 2))
    kept.end_date = datetime.date(2024, 2, 1)
    kept.save()
    with at(datetime.date(2026, 2, 1)):
        assert purge_expired(dry_run=False).duties == 0
    assert Duty.objects.filter(employee=kept).exists()
