"""Overdue measure reviews: besides the owner's work list, one e-mail through
`integritas send_reminders` (a link, no content), once per review date."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from integritas.audit.models import AuditEvent
from integritas.risks.constants import MeasureStatus
from integritas.risks.models import Measure, MeasureReminder
from integritas.risks.reminders import send_reminders
from tests.factories import EmployeeFactory

from .factories import measure

pytestmark = pytest.mark.django_db


def _owner(organisation):
    return EmployeeFactory(organisation=organisation).user


def test_an_overdue_review_mails_its_owner_once(organisation, mailoutbox):
    owner = _owner(organisation)
    late = measure(organisation, owner, days=-3)
    measure(organisation, owner, days=-10)  # the same owner: one e-mail for both
    measure(organisation, owner, days=5)  # not due yet
    measure(organisation, owner, days=-3, status=MeasureStatus.ENDED)  # ended: no review
    out = StringIO()
    call_command("send_reminders", stdout=out, stderr=StringIO())
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [owner.email]
    assert "?achterstallig=1" in mail.body
    assert "Inkoop" not in mail.body  # no content: not the process, kind or description
    assert MeasureReminder.objects.count() == 2
    event = AuditEvent.objects.get(action="risks.review_reminder_sent")
    assert event.object_id == str(owner.pk)
    # A second run the same day sends nothing.
    call_command("send_reminders", stdout=StringIO(), stderr=StringIO())
    assert len(mailoutbox) == 1
    assert send_reminders().mails == 0
    # A new review date that passes in its turn is reminded again.
    Measure.objects.filter(pk=late.pk).update(
        review_date=late.review_date - datetime.timedelta(days=1)
    )
    assert send_reminders().mails == 1
    assert len(mailoutbox) == 2


def test_an_owner_without_address_is_counted_not_mailed(organisation, mailoutbox):
    owner = _owner(organisation)
    owner.email = ""
    owner.save(update_fields=["email"])
    measure(organisation, owner, days=-1)
    result = send_reminders()
    assert result.without_address == 1
    assert not mailoutbox
    assert not MeasureReminder.objects.exists()
