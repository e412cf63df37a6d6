"""`integritas send_reminders`: deadline reminders before R-WBK-3 and R-WBK-4 pass."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from integritas.accounts.constants import Role
from integritas.cases import services
from integritas.cases.clock import reminders
from integritas.cases.models import ReminderSent
from integritas.organisations.models import Employee

from .factories import submit_case

# Received Monday 2 March 2026 (local): acknowledgement due at the end of Monday 9 March.
RECEIVED = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
DESCRIPTION = "De kascommissie zag contant geld verdwijnen."


def _at(day: int, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def coordinator(make_user, organisation):
    return make_user(Role.INTEGRITY_COORDINATOR, organisation)


@pytest.fixture
def case(organisation, coordinator):
    with time_machine.travel(RECEIVED, tick=False):
        return submit_case(organisation, description=DESCRIPTION).case


def _run(moment: datetime.datetime) -> str:
    with time_machine.travel(moment, tick=False):
        out = StringIO()
        call_command("send_reminders", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.requirement("R-WBK-3")
def test_two_runs_send_one_mail(case, coordinator):
    # R-WBK-3: two days before the acknowledgement is due, once.
    _run(_at(7))
    _run(_at(7))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [coordinator.email]
    assert f"melding {case.case_number}: ontvangstbevestiging uiterlijk 09-03-2026" in message.body
    # No content: the case number and the date, nothing the reporter wrote.
    assert DESCRIPTION not in message.body and DESCRIPTION not in message.subject
    assert "kascommissie" not in message.body
    assert ReminderSent.objects.filter(case=case).count() == 1


def test_nothing_before_the_first_stage(case):
    _run(_at(5))
    assert mail.outbox == []


def test_stages_progress_to_the_due_day_and_stop(case):
    _run(_at(7))  # 2 days before: stage 2
    _run(_at(8))  # 1 day before: stage 2 was sent, stage 0 not yet due
    assert len(mail.outbox) == 1
    _run(_at(9))  # the due day: stage 0
    assert len(mail.outbox) == 2
    _run(_at(10))  # overdue: stage 0 stays due but was sent
    _run(_at(20))
    assert len(mail.outbox) == 2
    assert sorted(ReminderSent.objects.values_list("kind", "stage")) == [
        ("acknowledgement", 0),
        ("acknowledgement", 2),
    ]


def test_a_missed_run_still_warns_once(case):
    # The first run after the deadline sends the last stage only.
    _run(_at(12))
    _run(_at(13))
    assert len(mail.outbox) == 1
    assert list(ReminderSent.objects.values_list("stage", flat=True)) == [0]


@pytest.mark.requirement("R-WBK-4")
def test_acknowledged_case_gets_no_acknowledgement_reminder_but_a_feedback_one(case, coordinator):
    with time_machine.travel(_at(3), tick=False):
        services.case_transition(actor=coordinator, case=case, name="acknowledge")
    _run(_at(7))
    _run(_at(9))
    assert mail.outbox == []
    # R-WBK-4: feedback due 3 months after the acknowledgement (3 June), reminded on 1 June.
    _run(_at(1, month=6))
    assert len(mail.outbox) == 1
    assert "terugkoppeling uiterlijk 03-06-2026" in mail.outbox[0].body
    assert list(ReminderSent.objects.values_list("kind", "stage")) == [("feedback", 2)]


def test_closed_cases_get_nothing(case, coordinator):
    with time_machine.travel(_at(3), tick=False):
        services.case_transition(actor=coordinator, case=case, name="acknowledge")
        services.case_message_to_reporter(
            actor=coordinator, case=case, body="Afgehandeld.", is_feedback=True
        )
        services.case_transition(actor=coordinator, case=case, name="close_without_investigation")
    for moment in (_at(7), _at(9), _at(1, month=6), _at(3, month=6)):
        _run(moment)
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_feedback_given_stops_the_feedback_reminder(case, coordinator):
    with time_machine.travel(_at(3), tick=False):
        services.case_transition(actor=coordinator, case=case, name="acknowledge")
        services.case_message_to_reporter(
            actor=coordinator, case=case, body="Terugkoppeling.", is_feedback=True
        )
    _run(_at(1, month=6))
    _run(_at(3, month=6))
    assert mail.outbox == []


@pytest.mark.requirement("R-WBK-7")
def test_a_coordinator_named_as_involved_is_not_reminded(
    case, coordinator, make_user, organisation
):
    # R-WBK-7: someone the report concerns learns nothing about it, not even the number.
    other = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    services.case_link_involved(
        actor=coordinator,
        case=case,
        employee=Employee.objects.get(user=other),
        description="betrokken",
    )
    _run(_at(7))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [coordinator.email]


def test_no_recipients_records_nothing_so_a_later_run_can_send(case, coordinator):
    coordinator.is_active = False
    coordinator.save()
    with time_machine.travel(_at(7), tick=False):
        result = reminders.send_reminders()
    assert result.sent == [] and result.without_recipients == [case.case_number]
    assert not ReminderSent.objects.exists()
    coordinator.is_active = True
    coordinator.save()
    _run(_at(7))
    assert len(mail.outbox) == 1


def test_a_failed_mail_is_not_recorded(case, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    with time_machine.travel(_at(7), tick=False), pytest.raises(OSError):
        reminders.send_reminders()
    assert not ReminderSent.objects.exists()
