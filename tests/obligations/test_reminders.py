"""Reminders before and after due dates (once per stage) and retention (R-DP-2)."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from integritas.obligations.constants import DutyKind, DutyStatus
from integritas.obligations.models import Duty, SignedForm
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
